"""The Library: exercises by phase and the routines, with filters and a detail pane."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from hipmob_tui.library import LibraryFilter, equipment_choices, exercise_routine, next_choice
from hipmob_tui.models import Catalog, Phase
from hipmob_tui.ui import text
from hipmob_tui.ui.widgets.too_small import TooSmall

_PHASE_KEYS = {"1": Phase.RESET, "2": Phase.RESTORE, "3": Phase.REBUILD}


class LibraryScreen(Screen[None]):
    """Browse every exercise and routine; everything reachable by keyboard."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by name, target or equipment"),
        Binding("t", "toggle_tab", "List", tooltip="Switch between exercises and routines"),
        Binding("1", "phase('1')", "RESET", show=False, tooltip="Only RESET"),
        Binding("2", "phase('2')", "RESTORE", show=False, tooltip="Only RESTORE"),
        Binding("3", "phase('3')", "REBUILD", show=False, tooltip="Only REBUILD"),
        Binding("0", "phase('0')", "All", show=False, tooltip="All phases"),
        Binding("p", "cycle_phase", "Phase", tooltip="Cycle the phase filter (or 1, 2, 3, 0)"),
        Binding("e", "cycle_equipment", "Equipment", tooltip="Cycle the equipment filter"),
        Binding("r", "run", "Run", tooltip="Run the highlighted routine or exercise now"),
        Binding("enter", "open_detail", "Details", show=False, tooltip="Into the detail pane"),
        Binding("escape", "back", "Back", show=False, tooltip="Back to the list; again: clear"),
    ]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.filter = LibraryFilter()
        self._equipment = equipment_choices(catalog.exercises.values())

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="body"):
            with Vertical(id="browser"):
                yield Input(placeholder="/ filter: name, area, gear", id="filter", compact=True)
                yield Static(id="filter-status")
                with TabbedContent(id="tabs"):
                    with TabPane("Exercises", id="exercises-tab"):
                        yield OptionList(id="exercises")
                    with TabPane("Routines", id="routines-tab"):
                        yield OptionList(id="routines")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-body")
        yield TooSmall()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = "Library"
        self._refill()
        self.query_one("#exercises", OptionList).focus()

    # -- showing --------------------------------------------------------------------------

    def _refill(self) -> None:
        """Rebuild both lists from the filter, keeping the highlighted item where it can."""
        exercises = self.query_one("#exercises", OptionList)
        previous = _highlighted_id(exercises)
        exercises.clear_options()
        for phase in Phase:
            members = [e for e in self.catalog.exercises_in(phase) if self.filter.matches(e)]
            if not members:
                continue
            exercises.add_option(Option(text.phase_header(phase), disabled=True))
            exercises.add_options(Option(text.exercise_row(e), id=f"x:{e.id}") for e in members)
        routines = self.query_one("#routines", OptionList)
        previous_routine = _highlighted_id(routines)
        routines.clear_options()
        routines.add_options(
            Option(text.routine_row(r), id=f"r:{r.id}")
            for r in self.catalog.routines.values()
            if self.filter.matches_routine(r, self.catalog.exercises)
        )
        _highlight(exercises, previous)
        _highlight(routines, previous_routine)
        shown = sum(1 for o in exercises.options if o.id)
        status = f"{self.filter.describe()} · {shown}/{len(self.catalog.exercises)}"
        self.query_one("#filter-status", Static).update(text.literal(status))
        self._show_detail()

    def _show_detail(self) -> None:
        """Show whatever is highlighted in the visible list."""
        body = self.query_one("#detail-body", Static)
        option_id = _highlighted_id(self._visible_list())
        if option_id is None:
            body.update(text.literal("Nothing matches the filter. Press Escape to clear it."))
        elif option_id.startswith("x:"):
            width = body.content_region.width or None
            body.update(text.exercise_detail(self.catalog.exercises[option_id[2:]], width))
        else:
            body.update(text.routine_detail(self.catalog.routines[option_id[2:]], self.catalog))
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def _visible_list(self) -> OptionList:
        tab = self.query_one("#tabs", TabbedContent).active
        return self.query_one("#routines" if tab == "routines-tab" else "#exercises", OptionList)

    def show_item(self, kind: str, item_id: str) -> None:
        """Select an exercise ("x") or routine ("r") by id, clearing filters that hide it."""
        self.filter = LibraryFilter()
        self.query_one("#filter", Input).value = ""
        self.query_one("#tabs", TabbedContent).active = (
            "exercises-tab" if kind == "x" else "routines-tab"
        )
        self._refill()
        options = self._visible_list()
        _highlight(options, f"{kind}:{item_id}")
        options.focus()
        self._show_detail()

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

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self._visible_list().focus()
        self._show_detail()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        self._refill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._visible_list().focus()

    # -- actions --------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        """Move to the filter box."""
        self.query_one("#filter", Input).focus()

    def action_toggle_tab(self) -> None:
        """Switch between the exercise and routine lists."""
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.active = "routines-tab" if tabs.active == "exercises-tab" else "exercises-tab"

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
        if _highlighted_id(self._visible_list()) is not None:
            self.query_one("#detail", VerticalScroll).focus()

    def action_run(self) -> None:
        """Start a session of the highlighted routine, or of the exercise on its own."""
        option_id = _highlighted_id(self._visible_list())
        if option_id is None:
            return
        kind, item_id = option_id.split(":", 1)
        if kind == "x":
            routine = exercise_routine(self.catalog.exercises[item_id])
        else:
            routine = self.catalog.routines[item_id]
        from hipmob_tui.ui.screens.picker import StartRoutine

        self.post_message(StartRoutine(routine))

    def action_back(self) -> None:
        """Leave the detail or the filter box; a second press clears the filters."""
        focused = self.focused
        if focused is not None and focused.id in ("detail", "filter"):
            self._visible_list().focus()
            return
        if self.filter != LibraryFilter():
            self.filter = LibraryFilter()
            self.query_one("#filter", Input).value = ""
            self._refill()


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
