"""The last weeks side by side: sessions as bars, the median pain before under each."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from hipmob_tui.history.progress import Week

_EIGHTHS = " ▁▂▃▄▅▆▇█"
_BAR_ROWS = 2
_COLUMN = 4
"""Cells per week: a two-cell bar and room for a pain like 3.5."""
_LABEL = 13
"""Cells for the row names on the left."""


def _bar(sessions: int, tallest: int, row: int) -> str:
    """The `row` (0 at the top) of a bar for `sessions` on a scale of `tallest`."""
    eighths = round(sessions / tallest * 8 * _BAR_ROWS) if sessions else 0
    below = (_BAR_ROWS - 1 - row) * 8
    fill = max(0, min(8, eighths - below))
    if sessions and fill == 0 and row == _BAR_ROWS - 1:
        fill = 1  # one session is never drawn as none
    return _EIGHTHS[fill] * 2


def month_line(weeks: tuple[Week, ...]) -> str:
    """Month names over the first week that starts in each month."""
    line = ""
    last = None
    for number, week in enumerate(weeks):
        if week.monday.month != last:
            at = number * _COLUMN
            if at >= len(line):
                line = line.ljust(at) + f"{week.monday:%b}"
            last = week.monday.month
    return line


class WeeklyTrend(Widget):
    """Sessions a week and the median pain before, for as many weeks as fit."""

    DEFAULT_CSS = """
    WeeklyTrend {
        height: 6;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.weeks: tuple[Week, ...] = ()

    def show(self, weeks: tuple[Week, ...]) -> None:
        """Draw these weeks (oldest first); the newest are kept when space runs out."""
        self.weeks = weeks
        self.refresh()

    def render(self) -> Content:
        room = max(1, (self.size.width - _LABEL) // _COLUMN)
        weeks = self.weeks[-room:]
        if not any(week.sessions for week in weeks):
            return Content.styled("No sessions in these weeks yet.", "$text-muted")
        tallest = max(7, *(week.sessions for week in weeks))
        muted = "$text-muted"
        lines = [Content.styled(" " * _LABEL + month_line(weeks), muted)]
        for row in range(_BAR_ROWS):
            name = "sessions" if row == _BAR_ROWS - 1 else ""
            bars = "".join(_bar(w.sessions, tallest, row).ljust(_COLUMN) for w in weeks)
            lines.append(
                Content.assemble(Content.styled(name.ljust(_LABEL), "$success"), (bars, "$success"))
            )
        counts = "".join(str(w.sessions).ljust(_COLUMN) for w in weeks)
        lines.append(Content.styled(" " * _LABEL + counts, muted))
        pains = "".join(
            ("·" if w.median_pain_before is None else f"{w.median_pain_before:g}").ljust(_COLUMN)
            for w in weeks
        )
        lines.append(
            Content.assemble(
                Content.styled("pain before".ljust(_LABEL), "$warning"),
                Content.styled(pains, "bold $warning"),
            )
        )
        return Content("\n").join(lines)
