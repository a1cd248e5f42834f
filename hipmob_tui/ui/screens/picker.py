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
from hipmob_tui.ui.widgets.too_small import TooSmall


class PickerScreen(Screen[None]):
    """Every routine with its time and phases; enter starts the highlighted one."""

    CSS_PATH = "session.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        # A priority binding, so the footer shows it (the list's own enter would hide it).
        Binding("enter", "start", "Start", priority=True, tooltip="Run the highlighted routine"),
    ]

    def __init__(self, catalog: Catalog, *, covered_at_start: bool = False) -> None:
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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Horizontal(*(self._panes() if self._built else ()), classes="body")
        yield TooSmall()
        yield key_footer(help_on_right=True)

    def _panes(self) -> list[Widget]:
        routines = OptionList(
            *(Option(_routine_option(r), id=r.id) for r in self.catalog.routines.values()),
            id="picker-routines",
        )
        return [
            Vertical(
                Static("Pick a routine", id="picker-title"),
                routines,
                Static("enter starts the highlighted routine", id="picker-hint"),
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

    def _show_first(self) -> None:
        routines = self.query_one("#picker-routines", OptionList)
        if routines.option_count:
            routines.highlighted = 0
        routines.focus()
        self._show_detail()
        if self._to_select is not None:
            self.select(self._to_select)

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

    @on(OptionList.OptionSelected)
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


def _routine_option(routine: Routine) -> Content:
    """A routine as the picker lists it: name, then time and phases on a second line."""
    phases = Content(" → ").join(text.phase_label(phase) for phase in routine.phases)
    return Content.assemble(
        text.literal(routine.name, "bold"),
        "\n  ",
        Content.styled(f"about {format_duration(routine.estimated_seconds)}  ", "dim"),
        phases,
    )
