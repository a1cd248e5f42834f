"""Plan: the program followed, its stage and why, and the programs to follow or stop.

The words are `hipmob plan`'s (`history/plan_text.py`); the stage comes from the per-day
summary (`history/plan.py`), so opening this screen never parses the history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from hipmob_tui.content.models import Catalog
from hipmob_tui.content.program import Program
from hipmob_tui.errors import HipmobError
from hipmob_tui.history.plan import PlanCheck, checks_of, plan_of_summary
from hipmob_tui.history.plan_text import describe
from hipmob_tui.history.records import PlanFact, new_plan_fact_id
from hipmob_tui.history.store import Store
from hipmob_tui.history.streaks import day_text
from hipmob_tui.ui import text
from hipmob_tui.ui.dialogs.once import dismiss_once
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.too_small import TooSmall
from hipmob_tui.ui.writes import StoreWriteFailed, change_from_thread


class PlanScreen(Screen[None]):
    """The program you follow and where you stand; Enter follows the highlighted one."""

    DEFAULT_CSS = """
    PlanScreen #plan-scroll { height: 1fr; padding: 0 1; }
    PlanScreen #plan-body { width: 100%; }
    PlanScreen #programs-title { padding: 0 1; color: $text-muted; }
    PlanScreen #programs { height: auto; max-height: 8; margin: 0 1; }
    """

    BINDINGS = [
        # A priority key: the program list's own Enter (hidden) would keep it off the footer.
        Binding(
            "enter",
            "follow",
            "Follow",
            tooltip="Follow the highlighted program from today",
            priority=True,
        ),
        Binding("x", "stop", "Stop", tooltip="Stop following a program (sessions are kept)"),
        Binding("escape", "back", "Back", tooltip="Back to the Library"),
        # The Plan is opened from the Library, so the Library's key goes back there, as the
        # other areas' keys close the Plan too (the app hides its own `l` in the Library).
        Binding("l", "back", "Library", show=False, tooltip="Back to the Library"),
    ]

    def __init__(self, catalog: Catalog, store: Store, today: Callable[[], date]) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.today = today
        self.followed: str | None = None
        """The id of the program followed today, if any."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="plan-scroll"):
            yield Static(id="plan-body")
        yield Static("Programs · enter follows the highlighted one from today", id="programs-title")
        yield OptionList(id="programs")
        yield TooSmall()
        yield key_footer(help_on_right=True)

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = "Plan"
        self.load()
        self.query_one("#programs", OptionList).focus()

    def load(self) -> None:
        """Show the plan as the history says it now, and the programs."""
        body = self.query_one("#plan-body", Static)
        try:
            days = self.store.days()
        except (HipmobError, OSError) as error:
            why = error.message if isinstance(error, HipmobError) else str(error)
            body.update(text.literal(f"The history cannot be read: {why}"))
            return
        today = self.today()
        in_force = days.following(today.toordinal()) if days is not None else None
        state = plan_of_summary(days, self.catalog.programs, today, self._check_results)
        self.followed = in_force[0] if in_force else None
        if state is not None:
            names = {r.id: r.name for r in self.catalog.routines.values()}
            followed = self.catalog.programs.get(state.followed)
            lines = describe(state, names, followed.name if followed else state.followed)
            body.update(text.literal("\n".join(lines)))
        elif in_force is not None:
            body.update(
                text.literal(
                    f"You follow {in_force[0]!r} (since "
                    f"{day_text(date.fromordinal(in_force[1]))}), which is not defined any "
                    "more or has problems: check your routine files, or follow another "
                    "program below."
                )
            )
        self._fill_programs()
        if state is None and in_force is None:
            self._show_unfollowed()
        self.refresh_bindings()

    def _show_unfollowed(self) -> None:
        """What a program is, and the highlighted one's description and stages."""
        said = [
            "You follow no program. A program moves you through stages across weeks: it says "
            "which routines to do and when to move on or step back, from your sessions, pain "
            "scores and flare days. Pick one below and press Enter to follow it from today.",
        ]
        program = self._highlighted_program()
        if program is not None:
            names = {r.id: r.name for r in self.catalog.routines.values()}
            said += ["", program.name, program.description, ""]
            said += [
                f"{number}. {stage.name}: {', '.join(names.get(r, r) for r in stage.routines)}"
                f"; {stage.sessions_per_week} a week"
                for number, stage in enumerate(program.stages, start=1)
            ]
        self.query_one("#plan-body", Static).update(text.literal("\n".join(said)))

    def _highlighted_program(self) -> Program | None:
        programs = self.query_one("#programs", OptionList)
        index = programs.highlighted
        if index is None or not self.catalog.programs:
            return None
        return self.catalog.programs.get(str(programs.get_option_at_index(index).id))

    @on(OptionList.OptionHighlighted, "#programs")
    def _program_highlighted(self) -> None:
        if self.followed is None:
            self._show_unfollowed()

    def _check_results(self) -> list[PlanCheck]:
        try:
            return checks_of(self.store.facts()[0].checks)
        except (HipmobError, OSError):  # History says why; a check rule then waits
            return []

    def _fill_programs(self) -> None:
        programs = self.query_one("#programs", OptionList)
        highlighted = programs.highlighted
        programs.clear_options()
        programs.add_options(
            Option(_program_row(program, program.id == self.followed), id=program.id)
            for program in self.catalog.programs.values()
        )
        if not self.catalog.programs:
            programs.add_option(Option("No program is defined.", disabled=True))
        else:
            # The one highlighted before (a reload after a change), else the first.
            keep = highlighted is not None and highlighted < programs.option_count
            programs.highlighted = highlighted if keep else 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Stop greys out when no program is followed."""
        if action == "stop":
            return self.followed is not None
        return True

    @on(OptionList.OptionSelected, "#programs")
    def _selected(self) -> None:
        self.action_follow()

    def action_follow(self) -> None:
        program = self._highlighted_program()
        if program is None:
            return
        if program.id == self.followed:
            self.notify(
                f"You follow {program.name} already. Following it again would start over at "
                "stage 1: stop first if that is what you want.",
                markup=False,
            )
            return
        today = self.today()
        fact = PlanFact(new_plan_fact_id(today), today, program.id, 1, datetime.now().astimezone())
        done = f"Following {program.name} from today, stage 1: {program.stages[0].name}."
        if self.followed is None:
            self._write(fact, done)
            return
        # Leaving a program loses its place (it starts over if followed again): ask first.
        self._ask(
            f"Follow {program.name} instead?",
            f"You follow {self._followed_name()}. {program.name} would start at its first "
            "stage today; your sessions are all kept.",
            "y follows it · any other key keeps the one you follow",
            lambda: self._write(fact, done),
        )

    def action_stop(self) -> None:
        if self.followed is None:
            return
        today = self.today()
        fact = PlanFact(new_plan_fact_id(today), today, None, 1, datetime.now().astimezone())
        name = self._followed_name()
        self._ask(
            f"Stop following {name}?",
            "Your sessions are all kept. Following it again starts at its first stage "
            "(hipmob plan follow with --date and --stage takes it up where it was).",
            "y stops · any other key keeps following",
            lambda: self._write(fact, f"Stopped following {name}. Your sessions are all kept."),
        )

    def _followed_name(self) -> str:
        followed = self.catalog.programs.get(self.followed or "")
        return followed.name if followed is not None else repr(self.followed)

    def _ask(self, title: str, body: str, hint: str, then: Callable[[], object]) -> None:
        """A question only y answers yes; `then` runs on a yes."""
        from hipmob_tui.ui.dialogs.questions import YesScreen

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(YesScreen(title, body, hint), answered)

    def action_back(self) -> None:
        dismiss_once(self)

    @work(thread=True, exit_on_error=False)
    def _write(self, fact: PlanFact, done: str) -> None:
        try:
            change_from_thread(
                self.app, self.store.path, lambda store: store.add_plan_fact(fact), self._waiting
            )
        except StoreWriteFailed as failure:
            self.app.call_from_thread(
                self.notify,
                f"{failure.message}\nNothing was changed.",
                title="not saved",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        self.app.call_from_thread(self.notify, done, markup=False, timeout=8)
        self.app.call_from_thread(self.load)

    def _waiting(self, waiting: bool) -> None:
        self.sub_title = (
            "Plan · waiting for another hipmob to finish writing…" if waiting else "Plan"
        )


def _program_row(program: Program, followed: bool) -> Content:
    """A program as a list row: its name, its stages, and a mark when it is followed."""
    stages = f"{len(program.stages)} stage{'s' if len(program.stages) != 1 else ''}"
    row = Content.assemble(text.literal(program.name), Content.styled(f"  {stages}", "dim"))
    if followed:
        row = Content.assemble(row, Content.styled("  following", "bold $accent"))
    return row
