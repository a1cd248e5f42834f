"""The Session area: pick a routine to run."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from hipmob_tui.content.models import Catalog, Routine, format_duration
from hipmob_tui.ui import text
from hipmob_tui.ui.messages import StartRoutine
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.tap_list import TapList
from hipmob_tui.ui.widgets.too_small import TooSmall

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from hipmob_tui.history.today import Suggestion


class PickerScreen(Screen[None]):
    """Every routine with its time and phases; enter starts the highlighted one.

    Today's suggestion (`history/today.py`) comes first, marked, with its reason in a line
    above the list; both are brought up to date each time the picker is shown.
    """

    CSS_PATH = "session.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        # A priority binding, so the footer shows it (the list's own enter would hide it).
        Binding("enter", "start", "Start", priority=True, tooltip="Run the highlighted routine"),
    ]

    def __init__(
        self,
        catalog: Catalog,
        *,
        covered_at_start: bool = False,
        suggest: Callable[[], Suggestion | None] | None = None,
    ) -> None:
        """`covered_at_start`: compose the list only once the picker is really seen.

        `hipmob run ID` covers the picker with the pain question at once (or with the
        offer to resume): building and drawing a list nobody sees would delay that first
        frame (about 17 ms). The start's resume is let pass; the list is built when the
        picker is next shown.
        """
        super().__init__()
        self.catalog = catalog
        self._built = not covered_at_start
        self._starting_covered = covered_at_start
        self._building = False
        self._to_select: str | None = None
        """A routine to highlight once the list is built."""
        self._suggest = suggest
        self._suggested: tuple[str | None, str] = (None, "")
        """The id of the routine suggested today, listed first, and its label."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Horizontal(*(self._panes() if self._built else ()), classes="body")
        yield TooSmall()
        yield key_footer(help_on_right=True)

    def _panes(self) -> list[Widget]:
        routines = TapList(
            *(Option(_routine_option(r), id=r.id) for r in self.catalog.routines.values()),
            id="picker-routines",
        )
        return [
            Vertical(
                Static("Pick a routine", id="picker-title"),
                Static(id="picker-today"),
                routines,
                Static("enter or a second tap starts the routine", id="picker-hint"),
                id="picker",
            ),
            VerticalScroll(Static(id="picker-detail-body"), id="picker-detail"),
        ]

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = "Session"
        if self._built:
            self._show_first()

    async def on_screen_resume(self) -> None:
        if self._starting_covered:
            self._starting_covered = False  # the app's start, under what covers it at once
            return
        if not self._built and not self._building and self.is_current:
            self._building = True
            await self.query_one(".body").mount_all(self._panes())
            self._built = True  # only now: until mounted there is no list to select in
            self._show_first()
        elif self._built:
            self._show_today(keep=True)  # a session since, a mark, a new day

    def _show_first(self) -> None:
        routines = self.query_one("#picker-routines", OptionList)
        self._show_today(keep=False)
        if routines.option_count:
            routines.highlighted = 0
        routines.focus()
        self._show_detail()
        if self._to_select is not None:
            self.select(self._to_select)

    def _show_today(self, *, keep: bool) -> None:
        """Today's suggestion first in the list, marked, and its reason above; `keep` the
        routine highlighted now (else the suggestion is highlighted, being first)."""
        suggestion = self._suggest() if self._suggest is not None else None
        line = self.query_one("#picker-today", Static)
        line.update(today_line(suggestion) if suggestion else "")
        line.display = suggestion is not None
        suggested = suggestion.routine.id if suggestion and suggestion.routine else None
        label = "suggested next" if suggestion and suggestion.state == "done" else "suggested"
        if (suggested, label) == self._suggested:
            return
        self._suggested = (suggested, label)
        routines = self.query_one("#picker-routines", OptionList)
        highlighted = self._highlighted() if keep else None
        ordered = sorted(self.catalog.routines.values(), key=lambda r: r.id != suggested)
        routines.clear_options()
        routines.add_options(
            Option(_routine_option(r, label if r.id == suggested else None), id=r.id)
            for r in ordered
        )
        if highlighted is not None:
            self.select(highlighted.id)
        elif routines.option_count:
            routines.highlighted = 0

    def on_resize(self) -> None:
        """Re-wrap the detail for the new width (names keep their hanging indent)."""
        if self._built:
            self.call_after_refresh(self._show_detail)

    def _highlighted(self) -> Routine | None:
        if not self._built:
            return None
        routines = self.query_one("#picker-routines", OptionList)
        index = routines.highlighted
        if index is None or index >= routines.option_count:
            return None
        option_id = routines.get_option_at_index(index).id
        return self.catalog.routines.get(option_id or "")

    @on(OptionList.OptionHighlighted)
    def _show_detail(self) -> None:
        routine = self._highlighted()
        body = self.query_one("#picker-detail-body", Static)
        if routine is None:
            body.update("No routines. Add one in a YAML file (see the README).")
        else:
            body.update(
                text.routine_detail(routine, self.catalog, body.content_region.width or None)
            )

    @on(OptionList.OptionSelected)  # enter in the list
    @on(TapList.Tapped)  # a second tap: the first only highlights
    def _selected(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        """Run the highlighted routine."""
        routine = self._highlighted()
        if routine is not None:
            self.post_message(StartRoutine(routine))

    def select(self, routine_id: str) -> None:
        """Highlight one routine (once the list is there, if it is not yet)."""
        found = self.query("#picker-routines").results(OptionList)
        routines = next(found, None)
        if not self._built or routines is None:  # not built, or not yet composed
            self._to_select = routine_id
            return
        self._to_select = None
        for index, option in enumerate(routines.options):
            if option.id == routine_id:
                routines.highlighted = index


def _routine_option(routine: Routine, tag: str | None = None) -> Content:
    """A routine as the picker lists it: name (and `tag`), then time and phases below."""
    phases = Content(" → ").join(text.phase_label(phase) for phase in routine.phases)
    return Content.assemble(
        text.literal(routine.name, "bold"),
        Content.styled(f"  {tag}", "italic $text-accent") if tag else "",
        "\n  ",
        Content.styled(f"about {format_duration(routine.estimated_seconds)}  ", "dim"),
        phases,
    )


def today_line(suggestion: Suggestion) -> Content:
    """The line above the routines: what today is, and why the first routine is suggested."""
    figures = suggestion.streak
    streak = f"streak {figures.current} {'day' if figures.current == 1 else 'days'}"
    routine = suggestion.routine
    if suggestion.state == "done":
        said = f"Done for today ({streak})."
        if routine is not None and suggestion.gentle:
            said += f" {_sentence(suggestion.reason)}."
    elif suggestion.state == "rest":
        said = "A rest day (marked): nothing to do today."
    elif suggestion.state == "away":
        said = "Away (marked): nothing to do today."
    elif suggestion.state == "flare":
        said = "A flare day (marked): take it easy."
        if routine is not None:
            said += f" If you move at all, {routine.name} is RESET only."
    elif routine is None:
        said = "No routine to suggest."
    elif suggestion.gentle or routine.name in suggestion.reason:
        said = f"{_sentence(suggestion.reason)}."
    else:
        said = f"Suggested today: {routine.name} ({suggestion.reason})."
    return text.literal(said, "$text-accent" if suggestion.gentle else "")


def _sentence(reason: str) -> str:
    """A reason as the start of a sentence."""
    return reason[:1].upper() + reason[1:]
