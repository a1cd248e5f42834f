"""The Library: exercises by phase and the routines, with filters and a detail pane."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from hipmob_tui.content.filters import (
    FILTER_MAX_LENGTH,
    LibraryFilter,
    equipment_choices,
    exercise_routine,
    next_choice,
)
from hipmob_tui.content.models import Catalog, Phase
from hipmob_tui.ui import text
from hipmob_tui.ui.messages import ListKind, OpenPlan, RecordCheck, StartRoutine
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.tap_list import TapList
from hipmob_tui.ui.widgets.too_small import TooSmall
from hipmob_tui.ui.widgets.typed_input import TypedInput

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.history.plan import PlanState

_PHASE_KEYS = {"1": Phase.RESET, "2": Phase.RESTORE, "3": Phase.REBUILD}

_LIST_NAMES: dict[ListKind, str] = {"x": "Exercises", "r": "Routines"}
_FILTER_HINT = "/ filter: name, area, gear"


class FilterInput(TypedInput):
    """The Library's filter line: an Input whose footer names the keys that stop it."""

    BINDINGS = [
        Binding("escape", "submit", "Done", tooltip="Stop typing; the filter stays (or ⏎)"),
        # Input binds ctrl+u already (all left of the cursor); this shows it.
        Binding(
            "ctrl+u", "delete_left_all", "Clear", key_display="ctrl+u", tooltip="Clear the filter"
        ),
        # Up and down scroll an Input; here they move in the list, as they do out of the filter.
        Binding("up", "screen.move('cursor_up')", show=False),
        Binding("down", "screen.move('cursor_down')", show=False),
        Binding("pageup", "screen.move('page_up')", show=False),
        Binding("pagedown", "screen.move('page_down')", show=False),
    ]
    HELP_NOTES = (
        # Terminals send alt+backspace as Input's ctrl+w, which a browser keeps (close tab).
        ("alt+⌫", "Delete the word before the cursor (or ctrl+w in a terminal)"),
    )
    """A key of the stock Input that help mentions too."""


class LibraryScreen(Screen[None]):
    """Browse every exercise and routine; everything reachable by keyboard.

    One list shows either kind (a one-line switch above it): it costs the first frame
    less than tabs.
    """

    AUTO_FOCUS = "#items"
    """The list, not the filter above it: the first keys shown are the list's."""

    BINDINGS = [
        # A priority binding acts before the keys behind it are handed on, so "/band" typed
        # in one burst (a paste, a fast typist over SSH) all lands in the filter.
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            priority=True,
            tooltip="Type a filter: name, target, gear (enter or esc stops)",
        ),
        Binding("t", "toggle_list", "List", tooltip="Switch between exercises and routines"),
        Binding("1", "phase('1')", "RESET", show=False, tooltip="Only RESET"),
        Binding("2", "phase('2')", "RESTORE", show=False, tooltip="Only RESTORE"),
        Binding("3", "phase('3')", "REBUILD", show=False, tooltip="Only REBUILD"),
        Binding("0", "phase('0')", "All", show=False, tooltip="All phases"),
        Binding("p", "cycle_phase", "Phase", tooltip="Cycle the phase filter (or 1, 2, 3, 0)"),
        Binding("e", "cycle_equipment", "Equipment", tooltip="Cycle the equipment filter"),
        Binding("r", "run", "Run", tooltip="Run the highlighted routine or exercise now"),
        Binding("f", "plan", "Plan", tooltip="The program you follow, its stage, and why"),
        Binding("c", "record_check", "Check", show=False, tooltip="Record a self-check on its own"),
        Binding("enter", "open_detail", "Details", show=False, tooltip="Into the detail pane"),
        Binding(
            "escape", "back", "Back", show=False, tooltip="Back to the list; again: clear filters"
        ),
    ]
    HELP_NOTES = (
        ("↑ ↓", "Move in the list, also while typing a filter"),
        ("tab", "Next pane"),
    )
    """Keys the list and the filter handle themselves, for help."""

    def __init__(
        self, catalog: Catalog, plan: Callable[[], PlanState | str | None] | None = None
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self._plan = plan
        """Where the program followed today comes from (None: no history to ask)."""
        self.filter = LibraryFilter()
        self.showing: ListKind = "x"
        self._list_empty = False
        """Whether the filter leaves nothing to run or open (their keys are greyed)."""
        self._last_highlighted: dict[ListKind, str | None] = {"x": None, "r": None}
        self._equipment = equipment_choices(catalog.exercises.values())

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="body"):
            with Vertical(id="browser"):
                yield FilterInput(
                    placeholder=_FILTER_HINT,
                    max_length=FILTER_MAX_LENGTH,
                    compact=True,
                    select_on_focus=False,
                    id="filter",
                )
                yield Static(id="filter-status")
                yield Static(id="list-switch")
                yield Static(id="program-line")
                yield TapList(id="items")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-body")
        yield TooSmall()
        yield key_footer(help_on_right=True)

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = "Library"
        self._refill()
        self._list.focus()
        # After the first frame: it reads the per-day summary, which the frame need not wait on.
        self.call_after_refresh(self.show_plan)

    def on_screen_resume(self) -> None:
        self.show_plan()  # back from the Plan, or from a session that moved the stage

    def show_plan(self) -> None:
        """The program followed and its stage, in one line above the list."""
        line = self.query_one("#program-line", Static)
        state = self._plan() if self._plan is not None else None
        if state is None:
            line.update(Content.styled("No program · f: plan", "dim"), layout=False)
            return
        if isinstance(state, str):  # followed, but not defined (any more)
            said = f"Following {state!r}: not defined · f: plan"
            line.update(text.literal(said, "$text-warning"), layout=False)
            return
        said = (
            f"{state.program.name} · stage {state.stage_number}/{state.stage_count} "
            f"{state.stage.name}"
        )
        line.update(text.literal(said, "$text-accent"), layout=False)

    @property
    def _list(self) -> OptionList:
        return self.query_one("#items", OptionList)

    @property
    def _filter_input(self) -> FilterInput:
        return self.query_one("#filter", FilterInput)

    # -- showing --------------------------------------------------------------------------

    def _refill(self) -> None:
        """Rebuild the list from the filter, keeping the highlighted item where it can."""
        options = self._list
        previous = _highlighted_id(options) or self._last_highlighted[self.showing]
        options.clear_options()
        if self.showing == "x":
            for phase in Phase:
                members = [e for e in self.catalog.exercises_in(phase) if self.filter.matches(e)]
                if not members:
                    continue
                options.add_option(Option(text.phase_header(phase), disabled=True))
                options.add_options(Option(text.exercise_row(e), id=f"x:{e.id}") for e in members)
        else:
            options.add_options(
                Option(text.routine_row(r), id=f"r:{r.id}")
                for r in self.catalog.routines.values()
                if self.filter.matches_routine(r, self.catalog.exercises)
            )
        _highlight(options, previous)
        if (_highlighted_id(options) is None) != self._list_empty:
            self._list_empty = not self._list_empty
            self.refresh_bindings()  # r and enter grey out, or light up again
        self._show_filter()
        self._show_detail()

    def _show_filter(self) -> None:
        """The status under the filter, and the list switch."""
        if self.showing == "x":
            count = sum(1 for e in self.catalog.exercises.values() if self.filter.matches(e))
            total = len(self.catalog.exercises)
        else:
            count = self._list.option_count
            total = len(self.catalog.routines)
        status = f"{self.filter.describe()} · {count}/{total}"
        self.query_one("#filter-status", Static).update(text.literal(status), layout=False)
        self.query_one("#list-switch", Static).update(_list_switch(self.showing), layout=False)

    def _show_detail(self) -> None:
        """Show whatever is highlighted in the list."""
        body = self.query_one("#detail-body", Static)
        option_id = _highlighted_id(self._list)
        if option_id is None:
            body.update(text.literal("Nothing matches the filter. Press Escape to clear it."))
        else:
            width = body.content_region.width or None  # wrapped with hanging indents
            if option_id.startswith("x:"):
                body.update(text.exercise_detail(self.catalog.exercises[option_id[2:]], width))
            else:
                routine = self.catalog.routines[option_id[2:]]
                body.update(text.routine_detail(routine, self.catalog, width))
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def show_list(self, kind: ListKind, highlight: str | None = None) -> None:
        """Show the exercises ("x") or the routines ("r"), and highlight one when given."""
        if kind != self.showing:
            self._last_highlighted[self.showing] = _highlighted_id(self._list)
            self.showing = kind
            self._list.clear_options()  # the other kind's highlight means nothing here
        if highlight is not None:
            self._list.clear_options()
            self._last_highlighted[kind] = highlight
        self._refill()

    def show_item(self, kind: ListKind, item_id: str) -> None:
        """Select an exercise ("x") or routine ("r") by id, clearing filters that hide it."""
        self._set_filter(LibraryFilter())
        self.show_list(kind, highlight=f"{kind}:{item_id}")
        self._list.focus()

    # -- events ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        """Re-wrap the detail for the new width (steps keep their hanging indent)."""
        self.call_after_refresh(self._show_detail)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_open_detail()

    @on(TapList.Tapped)
    def _tapped_again(self) -> None:
        """A second tap on the highlighted entry runs it (the first only shows it)."""
        self.action_run()

    @on(Input.Changed, "#filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        if event.value != self.filter.text:
            self.filter = replace(self.filter, text=event.value)
            self._refill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._list.focus()

    def on_click(self, event: events.Click) -> None:
        """A click on a list's name shows that list."""
        if event.widget is not None and event.widget.id == "list-switch":
            offset = event.get_content_offset(event.widget)
            if offset is not None:
                self.show_list("x" if offset.x <= len(_LIST_NAMES["x"]) + 1 else "r")

    # -- actions --------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        """Type a filter: letters go to it until Enter or Escape; arrows still move."""
        # Focus moves now, not after the keys already queued behind "/" (a paste, a fast
        # typist over SSH): they are letters of the filter.
        self.set_focus(self._filter_input)

    async def action_move(self, action: str) -> None:
        """An arrow key while typing a filter: move in the list all the same."""
        await self._list.run_action(action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey Run and Details when nothing is listed; hide "/" while the filter is typed.

        (There "/" is a character: letter keys step aside for a focused Input by
        themselves, but "/" is a priority binding, and Textual finds no character for its
        key name "slash".)
        """
        if action in ("run", "open_detail"):
            return None if self._list_empty else True
        return not (action == "focus_filter" and self.focused is self._filter_input)

    def action_toggle_list(self) -> None:
        """Switch between the exercise and routine lists."""
        self.show_list("r" if self.showing == "x" else "x")

    def action_phase(self, key: str) -> None:
        """Show one phase (1, 2, 3) or all (0)."""
        self.filter = replace(self.filter, phase=_PHASE_KEYS.get(key))
        self._refill()

    def action_cycle_phase(self) -> None:
        """Step the phase filter: all, RESET, RESTORE, REBUILD."""
        self.filter = replace(self.filter, phase=next_choice([None, *Phase], self.filter.phase))
        self._refill()

    def action_cycle_equipment(self) -> None:
        """Step the equipment filter through what the library uses."""
        self.filter = replace(
            self.filter, equipment=next_choice(self._equipment, self.filter.equipment)
        )
        self._refill()

    def action_open_detail(self) -> None:
        """Move into the detail pane to scroll it."""
        if _highlighted_id(self._list) is not None:
            self.query_one("#detail", VerticalScroll).focus()

    def action_run(self) -> None:
        """Start a session of the highlighted routine, or of the exercise on its own."""
        option_id = _highlighted_id(self._list)
        if option_id is None:
            return
        kind, item_id = option_id.split(":", 1)
        if kind == "x":
            routine = exercise_routine(self.catalog.exercises[item_id])
        else:
            routine = self.catalog.routines[item_id]
        self.post_message(StartRoutine(routine))

    def action_plan(self) -> None:
        """The program followed, its stage and why; follow or stop one."""
        self.post_message(OpenPlan())

    def action_record_check(self) -> None:
        """Record a self-check on its own (the app opens the form and saves it)."""
        self.post_message(RecordCheck())

    def action_back(self) -> None:
        """Leave the detail pane; in the list, clear the filters."""
        focused = self.focused
        if focused is not None and focused.id == "detail":
            self._list.focus()
            return
        if self.filter != LibraryFilter():
            self._set_filter(LibraryFilter())
            self._refill()

    def _set_filter(self, library_filter: LibraryFilter) -> None:
        self.filter = library_filter
        self._filter_input.value = library_filter.text


def _list_switch(showing: ListKind) -> Content:
    """ "Exercises   Routines", the one shown marked."""
    names = [
        Content.styled(name, "bold $accent underline" if kind == showing else "dim")
        for kind, name in _LIST_NAMES.items()
    ]
    return Content("   ").join(names)


def _highlighted_id(options: OptionList) -> str | None:
    index = options.highlighted
    if index is None or index >= options.option_count:
        return None
    return options.get_option_at_index(index).id


def _highlight(options: OptionList, option_id: str | None) -> None:
    """Highlight `option_id` when listed, else the first selectable option."""
    for index, option in enumerate(options.options):
        if option.id is not None and (option_id is None or option.id == option_id):
            options.highlighted = index
            return
    if option_id is not None:
        _highlight(options, None)
