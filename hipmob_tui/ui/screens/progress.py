"""Progress: what helps. Pain change per routine and per exercise, and the last weeks.

The figures come from `history.progress` (medians with their n); this screen lays them
out, reads in a worker thread, and opens a routine or exercise in the Library on Enter.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from hipmob_tui.content.models import Catalog
from hipmob_tui.errors import HipmobError
from hipmob_tui.history.checks import CheckProgress, check_progress, format_value
from hipmob_tui.history.progress import (
    ASSOCIATION,
    CAUTION,
    SIDE_WINDOW,
    TREND_WEEKS,
    WORSE,
    ExerciseProgress,
    PainResponse,
    Progress,
    RoutineProgress,
    SideSummary,
    progress,
)
from hipmob_tui.history.store import Facts, Stamp, Store
from hipmob_tui.ui import text
from hipmob_tui.ui.area_css import area_css
from hipmob_tui.ui.messages import ListKind, ShowInLibrary
from hipmob_tui.ui.reads import read_for_first_paint
from hipmob_tui.ui.widgets.fitted_table import FittedTable
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.too_small import TooSmall
from hipmob_tui.ui.widgets.weekly_trend import WeeklyTrend

_EMPTY = (
    "No sessions yet.\n\nProgress shows, for each routine and exercise, how your pain changed "
    "over the sessions you scored before and after. Press s to run a routine."
)
_ROUTINE_COLUMNS = (
    ("Routine", 0),
    ("Sessions", 8),
    ("Last", 10),
    ("Median", 7),
    ("n", 3),
    ("Range", 8),  # "−2 to −1"; only a change of 10 (rare) would need one more
)
_CHECK_COLUMNS = (
    ("Check", 0),
    ("Side", 5),
    ("Latest", 8),
    (f"{TREND_WEEKS} weeks", TREND_WEEKS),
    ("Change", 7),
    ("n", 3),
)
_EXERCISE_COLUMNS = (
    ("Exercise", 0),
    ("Times", 5),
    ("Sets", 7),
    ("Median", 7),
    ("n", 3),
    ("Last", 10),
)


def _median(pain: PainResponse) -> Text:
    """The median change, green for relief, yellow for a rise; why there is none, dim."""
    if pain.median_change is None:
        return Text(pain.median_text, style="dim")
    style = "green" if pain.median_change < 0 else "yellow" if pain.median_change > 0 else ""
    return Text(pain.median_text.replace("-", "−"), style=style)


def _name(name: str, pain: PainResponse) -> Text:
    """A name as data (never markup), marked when its sessions call for caution."""
    if pain.caution:
        return Text.assemble(("! ", "bold yellow"), (name, ""), no_wrap=True, overflow="ellipsis")
    return Text(name, no_wrap=True, overflow="ellipsis")


def side_lines(sides: tuple[SideSummary, ...]) -> Content:
    """Each exercise's side summary, a line each: the name as data, then the counts."""
    return Content("\n").join(
        Content.assemble(text.literal(side.name, "bold"), Content(f": {side.counts_text}"))
        for side in sides
    )


def routine_row(routine: RoutineProgress) -> tuple[Text | str, ...]:
    """One routine as table cells."""
    pain = routine.pain
    return (
        _name(routine.name, pain),
        str(routine.sessions),
        routine.last_done.isoformat(),
        _median(pain),
        str(pain.scored),
        pain.range_text.replace("-", "−"),
    )


def exercise_row(exercise: ExerciseProgress) -> tuple[Text | str, ...]:
    """One exercise as table cells."""
    pain = exercise.pain
    return (
        _name(exercise.name, pain),
        str(exercise.times),
        f"{exercise.sets_done}/{exercise.sets_planned}",
        _median(pain),
        str(pain.scored),
        exercise.last_done.isoformat(),
    )


def check_rows(check: CheckProgress) -> list[tuple[Text | str, ...]]:
    """One check as table rows: one per side, the name on the first."""
    rows: list[tuple[Text | str, ...]] = []
    for number, side in enumerate(check.sides):
        latest = "" if side.latest is None else f"{format_value(side.latest)} {check.unit}"
        rows.append(
            (
                Text("" if number else check.name, no_wrap=True, overflow="ellipsis"),
                side.side or "",
                latest.strip(),
                Text(check.trend(side), style="cyan"),
                Text(
                    side.change.median_text.replace("-", "−"),
                    style="" if side.change.median_change is not None else "dim",
                ),
                str(side.change.pairs) if side.change.pairs else "",
            )
        )
    return rows


class ProgressScreen(Screen[None]):
    """What helps: routines and exercises by the pain change of their sessions."""

    DEFAULT_CSS = area_css("progress.tcss")  # read on first use, not before the first frame
    SCOPED_CSS = False

    BINDINGS = [
        # Priority: before the table's own Enter, which selects a row and does nothing more.
        Binding(
            "enter",
            "open",
            "In Library",
            priority=True,
            tooltip="Open the selected routine or exercise in the Library",
        ),
    ]
    HELP_NOTES = (
        ("↑ ↓", "Move in a table"),
        ("tab", "Between the routines and the exercises"),
    )
    """Keys the tables and the focus chain handle themselves, for help."""

    def __init__(self, catalog: Catalog, store: Store, today: Callable[[], date]) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.today = today
        self.found: Progress | None = None
        self.checks: tuple[CheckProgress, ...] = ()
        self._stamp: Stamp | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="body", id="progress-body"):
            yield Static(
                Content.styled("Reading your history…", "$text-muted"), id="progress-intro"
            )
            yield FittedTable(_ROUTINE_COLUMNS, id="routines")
            yield WeeklyTrend(id="trend")
            yield FittedTable(_CHECK_COLUMNS, id="checks")
            yield Static(id="check-headlines")
            yield Static(id="sides")
            yield FittedTable(_EXERCISE_COLUMNS, id="exercises")
            yield Static(id="progress-notes")
        yield TooSmall()
        yield key_footer(help_on_right=True)

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = "Progress"
        self.query_one("#routines").border_title = "Routines · pain after − before"
        self.query_one("#trend").border_title = "Last weeks"
        checks = self.query_one("#checks", FittedTable)
        checks.border_title = "Self-checks · each week's median · change within sessions"
        checks.can_focus = False  # a few rows, nothing to open: tab goes between the others
        checks.show_cursor = False
        sides = self.query_one("#sides")
        sides.border_title = f"Tighter side · each exercise's last {SIDE_WINDOW} noted sessions"
        sides.display = False
        self.query_one("#exercises").border_title = "Exercises · in the sessions they were done"
        self.query_one("#routines").focus()
        read = read_for_first_paint(self.store)
        if read is None:
            self.load()
        else:  # the figures in the first paint (ten years: a few ms to sum up)
            self._show(*self._figures(read[0]), read[1])

    def on_screen_resume(self) -> None:
        """Coming back: read again only if the file changed meanwhile."""
        if self.found is not None and self.store.stamp() != self._stamp:
            self.load()

    @work(thread=True, exclusive=True, group="progress-load")
    def load(self) -> None:
        """Read the history in a thread and work out the figures; shown when done."""
        try:
            facts, stamp = self.store.facts()
        except HipmobError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._show, *self._figures(facts), stamp)

    def _figures(self, facts: Facts) -> tuple[Progress, tuple[CheckProgress, ...]]:
        """What the view shows of `facts`: the sessions summed up, and the self-checks'."""
        today = self.today()
        found = progress(facts.sessions, today)
        return found, check_progress(facts.checks, self.catalog.checks, today, TREND_WEEKS)

    def _failed(self, error: HipmobError) -> None:
        self.query_one("#progress-intro", Static).update(
            Content.styled(f"Cannot read your history: {error.message}", "$error")
        )
        self.notify(error.message, title=error.title, severity="error", timeout=20, markup=False)

    def _show(
        self, found: Progress, checks: tuple[CheckProgress, ...], stamp: Stamp | None
    ) -> None:
        self.found = found
        self.checks = checks
        self._stamp = stamp
        self.refresh_bindings()
        self.set_class(not found.routines, "-empty")
        self._show_checks(checks)
        intro = self.query_one("#progress-intro", Static)
        if not found.routines:
            intro.update(Content.styled(_EMPTY, "$text-muted"))
            return
        scored = sum(r.pain.scored for r in found.routines)
        sessions = sum(r.sessions for r in found.routines)
        intro.update(
            Content.assemble(
                Content.styled("What helps", "bold"),
                Content.styled(
                    f" · {scored:,} of {sessions:,} sessions scored before and after"
                    " · median change, negative is relief",
                    "$text-muted",
                ),
            )
        )
        self.query_one("#routines", FittedTable).show([routine_row(r) for r in found.routines])
        self.query_one("#exercises", FittedTable).show([exercise_row(e) for e in found.exercises])
        self.query_one(WeeklyTrend).show(found.weeks)
        sides = self.query_one("#sides", Static)
        sides.update(side_lines(found.sides))
        sides.display = bool(found.sides)
        self.query_one("#trend").border_title = f"Last {len(found.weeks)} weeks"
        notes = [
            Content.styled("! " + CAUTION.format(name=name, worse=WORSE) + "\n", "$warning")
            for name in found.cautions
        ]
        notes.append(Content.styled(ASSOCIATION, "$text-muted"))
        self.query_one("#progress-notes", Static).update(Content.assemble(*notes))

    def _show_checks(self, checks: tuple[CheckProgress, ...]) -> None:
        """Each check's trend per side and its change within sessions; hidden without any."""
        table = self.query_one("#checks", FittedTable)
        headlines = self.query_one("#check-headlines", Static)
        table.display = headlines.display = bool(checks)
        table.show([row for check in checks for row in check_rows(check)])
        said = [check.headline for check in checks if check.headline]
        headlines.update(text.literal("\n".join(said)))
        headlines.display = bool(said)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is greyed until there is a row to open."""
        if action == "open":
            return None if self.found is None or not self.found.routines else True
        return True

    def action_open(self) -> None:
        """The routine or exercise under the cursor, in the Library."""
        focused = self.focused
        if self.found is None or not isinstance(focused, DataTable):
            return
        if focused.id == "routines" and self.found.routines:
            routine = self.found.routines[focused.cursor_row]
            self._open("r", routine.routine_id, routine.name, self.catalog.routines)
        elif focused.id == "exercises" and self.found.exercises:
            exercise = self.found.exercises[focused.cursor_row]
            self._open("x", exercise.exercise_id, exercise.name, self.catalog.exercises)

    def _open(self, kind: ListKind, item_id: str, name: str, known: Container[str]) -> None:
        if item_id in known:
            self.post_message(ShowInLibrary(kind, item_id))
        else:
            self.notify(
                f"{name} is not in your routine files any more; its sessions are kept.",
                timeout=5,
                markup=False,
            )
