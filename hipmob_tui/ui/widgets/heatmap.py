"""A GitHub-style calendar of the last months: one column a week, one cell a day."""

from __future__ import annotations

from datetime import date, timedelta

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from hipmob_tui.history.streaks import week_start
from hipmob_tui.history.view import CALENDAR_WEEKS, Overview, calendar_weeks, month_labels

LEVEL_CELL = {
    0: ("·", "$text-disabled"),
    1: ("◦", "$warning"),
    2: ("■", "$success 45%"),
    3: ("■", "$success 75%"),
    4: ("■", "$success"),
}
"""Day level → glyph and colour: the glyph tells none, partial and done apart without
colour; the shade of a done day tells its minutes."""
LEGENDS: tuple[tuple[int | str, ...], ...] = (
    (0, "none  ", 1, "partial  done: ", 2, "<10 ", 3, "10–19 ", 4, "20+ min"),
    (0, "none ", 1, "partial ", 2, "<10 ", 3, "10–19 ", 4, "20+ min"),
    (0, "none  ", 1, "partial  ", 4, "done"),
)
"""The key under the calendar, widest first: a level stands for its cell, in its colour."""
MARK_CELL = {
    "rest": ("r", "bold $primary"),
    "flare": ("f", "bold $error"),
    "away": ("a", "bold $secondary"),
}
"""A marked day without a completed session: its kind's letter (a completed session on a
marked day shows as done: it counts as usual)."""

_LABEL_ROOM = 6
"""Border columns a label cannot use: each side a corner, a line and a space."""
_DAY_NAMES = ("Mon", "", "Wed", "", "Fri", "", "Sun")
_LABEL_WIDTH = 4


class Heatmap(Widget, can_focus=True):
    """Days with sessions, shaded by minutes; arrows move the selected day."""

    BINDINGS = [
        Binding("left", "move(-7)", "Week back", show=False),
        Binding("right", "move(7)", "Week on", show=False),
        Binding("up", "move(-1)", "Day back", show=False),
        Binding("down", "move(1)", "Day on", show=False),
        Binding("home", "first", "First session", show=False),
        Binding("end", "today", "Today", show=False),
    ]

    DEFAULT_CSS = """
    Heatmap {
        height: 8;
        width: 1fr;
    }
    """

    selected: reactive[date] = reactive(date.min)

    class DaySelected(Message):
        """The person moved to another day."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.overview: Overview | None = None
        self.today = today
        self._last_week = week_start(today)
        """The Monday of the rightmost column: today's week unless scrolled back."""
        self.set_reactive(Heatmap.selected, today)

    def legend(self) -> Content:
        """The widest key that fits the border; its cells look as they do in the calendar.

        With marks in the history, the marks' key comes first: the shades of done give way.
        """
        room = self.outer_size.width - _LABEL_ROOM
        keys = [_key(parts) for parts in LEGENDS]
        if self.overview is not None and self.overview.marks:
            marks = _marks_key()
            # Narrow, the marks stay in the key (they are drawn) and none and partial go.
            tight = Content.assemble(_key((4, "done")), _marks_key(gap=" "))
            keys = [Content.assemble(key, marks) for key in keys] + [tight] + keys
        return next((key for key in keys if key.cell_length <= room), keys[-1])

    def show(self, overview: Overview) -> None:
        """Shade the days of `overview`."""
        self.overview = overview
        self.today = overview.today
        self.border_subtitle = self.legend()
        self.refresh()

    @property
    def weeks(self) -> int:
        """As many weeks as fit, up to six months."""
        return max(4, min(CALENDAR_WEEKS, (self.size.width - _LABEL_WIDTH) // 2))

    def render(self) -> Content:
        columns = calendar_weeks(self._last_week + timedelta(days=6), self.weeks)
        labels = month_labels(columns)
        header = [" " * _LABEL_WIDTH]
        skip = 0
        for index in range(len(columns)):
            if skip:
                skip -= 1
                continue
            label = labels.get(index)
            if label and index + 1 < len(columns):
                header.append(label.ljust(4)[:4])
                skip = 1
            else:
                header.append("  ")
        lines = [Content.styled("".join(header).rstrip(), "$text-muted")]
        for weekday in range(7):
            parts = [Content.styled(_DAY_NAMES[weekday].ljust(_LABEL_WIDTH), "$text-muted")]
            for column in columns:
                parts.append(self._cell(column[weekday]))
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)

    @property
    def last_day(self) -> date:
        """The last day the selection may reach: the Sunday of today's week, so the days
        left in it can be marked ahead (a planned rest day)."""
        return week_start(self.today) + timedelta(days=6)

    def _cell(self, day: date | None) -> Content:
        if day is None:
            return Content("  ")
        if day > self.today:  # ahead: blank unless marked; the selection still shows
            mark = self.overview.marks.get(day) if self.overview else None
            glyph, style = MARK_CELL.get(mark.kind, ("?", "")) if mark else (" ", "")
            if day == self.selected:
                style = f"{style} on $accent" if self.has_focus else f"{style} on $accent 35%"
            return Content.styled(f"{glyph} ", style)
        level = self.overview.day_level(day) if self.overview else 0
        glyph, style = LEVEL_CELL[level]
        mark = self.overview.marks.get(day) if self.overview else None
        if mark is not None and level < 2:
            glyph, style = MARK_CELL.get(mark.kind, ("?", "$warning"))
            if self.overview is not None and day not in self.overview.frozen:
                style = f"{style} dim"  # a rest past the week's limit: kept, holds nothing
        if day == self.selected:
            style = f"{style} on $accent" if self.has_focus else f"{style} on $accent 35%"
            return Content.styled(f"{glyph} ", style)
        return Content.styled(f"{glyph} ", style)

    def watch_selected(self, day: date) -> None:
        first_shown = self._last_week - timedelta(weeks=self.weeks - 1)
        if day > self._last_week + timedelta(days=6):
            self._last_week = week_start(day)
        elif day < first_shown:
            self._last_week = week_start(day) + timedelta(weeks=self.weeks - 1)
        self.refresh()
        self.post_message(self.DaySelected(day))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.border_subtitle = self.legend()
        self.refresh()

    def action_move(self, days: int) -> None:
        """Move the selection, never past the end of today's week."""
        self.selected = min(self.last_day, self.selected + timedelta(days=days))

    def action_today(self) -> None:
        """Back to today."""
        self.selected = self.today

    def action_first(self) -> None:
        """The day of the first session."""
        if self.overview and self.overview.sessions:
            self.selected = self.overview.sessions[-1].date

    def select(self, day: date) -> None:
        """Select `day` without telling anyone (the table moved there itself)."""
        with self.prevent(self.DaySelected):
            self.selected = min(self.last_day, day)


def _marks_key(gap: str = "  ") -> Content:
    """r rest  f flare  a away, each letter as the calendar draws it."""
    return Content.assemble(
        *(
            Content.styled(f"{gap}{MARK_CELL[kind][0]} ", MARK_CELL[kind][1]) + kind
            for kind in ("rest", "flare", "away")
        )
    )


def _key(parts: tuple[int | str, ...]) -> Content:
    """A legend: levels become their cell's glyph and colour, text stays text."""
    return Content.assemble(
        *(
            Content.styled(f"{LEVEL_CELL[part][0]} ", LEVEL_CELL[part][1])
            if isinstance(part, int)
            else part
            for part in parts
        )
    )
