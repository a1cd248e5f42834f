"""The hipmob app: four areas (Library, Session, History, Progress), one key each."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from hipmob_tui.content.filters import routine_by_id
from hipmob_tui.content.pacing import DEFAULT_PAUSES
from hipmob_tui.errors import HipmobError
from hipmob_tui.paths import Paths, journal_path, resolve
from hipmob_tui.serving import (
    AWAKE_OFF,
    AWAKE_ON,
    BEEP_COUNTDOWN,
    BEEP_STEP,
    CUE_SCHEME,
    KEYBOARD_OFF,
    KEYBOARD_ON,
)
from hipmob_tui.settings import Settings, read_settings, save_setting, settings_or_defaults
from hipmob_tui.ui.commands import JumpCommands
from hipmob_tui.ui.messages import (
    Rang,
    RecordCheck,
    SessionEnded,
    SessionOnScreen,
    ShowInLibrary,
    StartRoutine,
    SummaryClosed,
)
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.widgets.too_small import (
    FLOOR_MIN_HEIGHT,
    FLOOR_MIN_WIDTH,
    MIN_HEIGHT,
    MIN_WIDTH,
    TooSmall,
)
from hipmob_tui.ui.widgets.typed_input import KeysInOrder

# The first frame needs only the Library: sessions, the store and the other screens are
# imported when first used (each import here is paid by every start, before it paints).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from textual.theme import Theme

    from hipmob_tui.content.models import Catalog, Check, Routine
    from hipmob_tui.history.plan import PlanCheck, PlanState
    from hipmob_tui.history.store import Store
    from hipmob_tui.history.today import Suggestion
    from hipmob_tui.session.clock import Clock
    from hipmob_tui.session.journal import SavedSession
    from hipmob_tui.session.run import SessionRun
    from hipmob_tui.session.timeline import Timeline
    from hipmob_tui.ui.dialogs.check_form import CheckAnswer
    from hipmob_tui.ui.dialogs.resume import ResumeScreen
    from hipmob_tui.ui.screens.help import KeySection
    from hipmob_tui.ui.screens.history import HistoryScreen
    from hipmob_tui.ui.screens.picker import PickerScreen
    from hipmob_tui.ui.screens.progress import ProgressScreen

_PROBLEMS_SHOWN = 3
"""Problems listed in the notice on 30 rows or more; one below (each wraps to three to five
lines; the notice must fit with its title, and `routines validate` lists them all)."""
SESSION_CSS = Path(__file__).parent / "screens" / "session.tcss"
"""The Session area's stylesheet (the picker's, the runner's and their dialogs')."""
NARROW_WIDTH = 76
"""Below this many columns, side panes that would squeeze the main list are hidden."""
LOW_HEIGHT = 24
"""Below this many rows, a dialog's scrolling text gives rows to its fields (a check's
steps scroll in less, so its score buttons and hint still show at 20 rows)."""
SERVED_LOW_HEIGHT = 32
"""The same, served: the bottom line and a check's two rows of score buttons are 6 rows
taller there (a phone at ?fontsize=12 has 24)."""


class HipmobApp(App[None]):
    """Guided hip mobility; takes its catalog so tests can hand it any content."""

    CSS_PATH = "hipmob.tcss"
    TITLE = "hipmob"
    DEFAULT_MODE = "areas"
    """The mode shown first: the Library, History and Progress (a session has its own)."""
    COMMANDS = App.COMMANDS | {JumpCommands}
    BINDINGS = [
        Binding("l", "area('library')", "Library", tooltip="Browse exercises and routines"),
        Binding("s", "area('session')", "Session", tooltip="Run a routine"),
        Binding("h", "area('history')", "History", tooltip="Your sessions and streak"),
        Binding("g", "area('progress')", "Progress", tooltip="What helps: pain per routine"),
        Binding("q", "quit", "Quit", tooltip="Leave hipmob (asks during a session)"),
        # A browser keeps ctrl+p (print) for itself: ":" opens the palette there. Not a
        # priority binding, so ":" typed in a field stays a character.
        Binding(
            "colon",
            "command_palette",
            "Palette",
            show=False,
            tooltip="Command palette: jump to any area, exercise or routine",
        ),
        # Textual's own palette key, kept for the terminal, where it works while typing too
        # (a binding here that opens the palette stops Textual adding its own).
        Binding("ctrl+p", "command_palette", show=False, priority=True),
        # Last, so the footer can keep it on the right edge however narrow (hipmob.tcss).
        Binding("question_mark", "help", "Help", tooltip="Every key"),
    ]
    HELP_NOTES = (
        ("ctrl+p", "The command palette, also while typing (in a terminal)"),
        ("ctrl+q", "Quit, also while typing (in a terminal)"),
    )
    """Keys that work while typing, for help: a browser keeps both for itself (print, quit)."""

    def __init__(
        self,
        catalog: Catalog,
        paths: Paths | None = None,
        *,
        today: Callable[[], date] = date.today,
        clock: Clock = time.monotonic,
        served: bool | None = None,
    ) -> None:
        super().__init__()
        self._served = served
        self._styled_at: weakref.WeakKeyDictionary[Screen[object], int] = (
            weakref.WeakKeyDictionary()
        )
        """Each screen shown, and the `_size_generation` it was last styled at."""
        self.cues: deque[str] = deque(maxlen=100)
        """The cues sent to the served page (beeps, the screen kept on), newest last."""
        self.catalog = catalog
        self.paths = paths or resolve()
        self.today = today
        self.start_routine: str | None = None
        """A routine id to open straight into (`hipmob run ID`: see RoutineApp)."""
        self.clock = clock
        self.session_run: SessionRun | None = None
        """The session of the runner, from its start to its summary."""
        self._store: Store | None = None
        # Two modes: the Session area keeps its own stack of screens (the routines, the
        # runner over them, its summary), which waits while another area is shown. The
        # Library, History and Progress take turns in the other mode: see `_show_area` for
        # why they are not modes of their own. Their screens take the app's content, so
        # they are added here rather than in the class's MODES; each is built on its
        # first visit. The mode shown first is added once it is up (`on_mount`): until
        # then Textual builds it from `get_default_screen`, without the refresh of every
        # stylesheet that starting a known mode costs (a full parse, and another after,
        # its cache emptied: 14 ms of the first frame).
        self._mode_screens: dict[str, Callable[[], Screen[None]]] = {
            "areas": lambda: LibraryScreen(self.catalog, self.plan_state),
            "session": self._picker_screen,
        }
        for mode, make_screen in self._mode_screens.items():
            if mode != self.DEFAULT_MODE:
                self.add_mode(mode, make_screen)
        self._area = "session" if self.DEFAULT_MODE == "session" else "library"
        self._settings_warned: set[str] = set()
        """Settings problems already shown: each is said once, however often they are read."""
        # The theme before the first frame: set later, every widget would be styled twice.
        settings, self._settings_problems = read_settings(self.paths.settings)
        self._theme_wanted = settings.theme
        if settings.theme is not None and settings.theme in self.available_themes:
            self.theme = settings.theme
        self._theme_saved = self.theme
        """The theme the settings file holds (or the default): picking it again writes nothing."""

    def get_default_screen(self) -> Screen[None]:
        """The first screen: the Library, or the routines for `hipmob run`."""
        return self._mode_screens[self.DEFAULT_MODE]()

    @property
    def area(self) -> str:
        """The area shown: "library", "session", "history" or "progress"."""
        return self._area

    def _area_screen(self, area: str) -> Screen[None]:
        """History's or Progress's screen, built on its first visit and kept (installed)
        while another area is shown."""
        if self.is_screen_installed(area):
            return self.get_screen(area)
        screen = self._history_screen() if area == "history" else self._progress_screen()
        self.install_screen(screen, area)
        return screen

    def _show_area(self, area: str) -> None:
        """Show an area's screen, as it was left.

        The Session area is a mode, with its own stack (the routines, the runner over them,
        its summary) that waits while another area is shown. The Library is the screen of
        the other mode, and History or Progress, when shown, is over it; a screen open
        over one of those (the Plan over the Library) closes as the area is left. As modes
        of their own, each first visit made Textual parse every stylesheet three times and
        restyle every widget of every area twice (`switch_mode` refreshes the CSS for a
        screen it has not shown): 37 ms of `h` pressed at once, at ten years, before
        History's first paint. A screen pushed or switched to only adds its own styles.
        """
        self._area = area
        if area == "session":
            self.switch_mode("session")
            return
        if self.current_mode != "areas":
            self.switch_mode("areas")
        while len(self.screen_stack) > 2:
            self.pop_screen()
        over_library = len(self.screen_stack) == 2
        if area == "library":
            if over_library:
                self.pop_screen()
        elif over_library:
            self.switch_screen(self._area_screen(area))
        else:
            self.push_screen(self._area_screen(area))
        # A screen out of sight is not restyled when the app's classes change (a terminal
        # grown or shrunk meanwhile: its "too small" notice): it is, as it comes back. A
        # screen shown for the first time is styled as it mounts: `h` at once skips this.
        if self.screen.is_mounted:
            self.screen.update_node_styles(animate=False)
        self._fit(self.size.width, self.size.height)

    def _history_screen(self) -> HistoryScreen:
        # Imported on first visit: History's widgets cost the first frame time otherwise.
        from hipmob_tui.ui.screens.history import HistoryScreen

        return HistoryScreen(self.catalog, self.store, self.settings, self.today)

    def _progress_screen(self) -> ProgressScreen:
        from hipmob_tui.ui.screens.progress import ProgressScreen

        return ProgressScreen(self.catalog, self.store, self.today)

    def _picker_screen(self) -> PickerScreen:
        from hipmob_tui.ui.screens.picker import PickerScreen

        return PickerScreen(
            self.catalog,
            covered_at_start=self.start_routine is not None,
            suggest=self.today_suggestion,
        )

    def today_suggestion(self) -> Suggestion | None:
        """What to do today, as `hipmob today` says it; None when the history cannot be read
        (History says why)."""
        from hipmob_tui.history.plan import plan_of_summary
        from hipmob_tui.history.today import RoutineChoice, suggest_today

        try:
            days = self.store.days()
        except (HipmobError, OSError):
            return None
        settings = self.settings()
        routines = [
            RoutineChoice(r.id, r.name, [phase.value for phase in r.phases], r.estimated_seconds)
            for r in self.catalog.routines.values()
        ]
        today = self.today()
        plan = plan_of_summary(days, self.catalog.programs, today, self.check_results)
        return suggest_today(
            days,
            routines,
            today,
            settings.weekly_goal,
            settings.max_rest_days_per_week,
            plan=plan,
        )

    @property
    def store(self) -> Store:
        """The history, which keeps its last read until the file changes (main thread only)."""
        if self._store is None:
            from hipmob_tui.history.store import Store

            # The app keeps a copy of the parsed history: `h` at once need not parse it.
            self._store = Store(self.paths.db, cache_dir=self.paths.cache)
        return self._store

    def on_ready(self) -> None:
        """The first frame is up: read the history now, so `h` pressed at once finds it read
        (or being read) and History shows its rows in its first paint (see `ui.reads`).
        A timer (0.2 s) started it after the key instead."""
        self._start_prefetch()

    def _start_prefetch(self) -> None:
        self._prefetch_history(self.store)

    @work(thread=True, exit_on_error=False)
    def _prefetch_history(self, store: Store) -> None:
        """Read the history (and load History's code) while the first area shows.

        `h` then only builds the screen: a ten-year file is not parsed inside the key press.
        The read comes first: History and Progress both wait for it when opened at once
        (`ui.reads`), and the import, first, made it start 75 ms after the first frame.
        """
        # A damaged or unreadable file is said when History or Progress opens and reads
        # again; here it would only fail a worker nobody waits on.
        with contextlib.suppress(HipmobError, OSError):
            store.facts()
        import hipmob_tui.ui.screens.history  # noqa: F401  (the import, off the main thread)

    @property
    def served(self) -> bool:
        """Whether the app draws in a browser (`hipmob serve`) rather than a terminal."""
        return self.is_web if self._served is None else self._served

    def on_unmount(self) -> None:
        """Write the history's copy if it still waits: the next start reads it, not the JSON."""
        if self.served:
            # The server ends its app when the page has been gone too long, or as it stops
            # itself: a hang-up, for the session under way (saved as partial, journal kept).
            self.save_interrupted()
        if self._store is not None:
            self._store.flush_copy()

    def cue(self, name: str) -> None:
        """Ask the served page for a beep or the wake lock (nothing in a terminal).

        The web driver hands every URL the app opens to the server, which passes these on
        to hipmob's page as messages (hipmob_tui.serving).
        """
        if not self.served:
            return
        self.cues.append(name)
        if self.is_web:  # not under Pilot, whose driver would open a real browser
            self.open_url(f"{CUE_SCHEME}{name}", new_tab=False)

    def on_rang(self, message: Rang) -> None:
        """The runner's bell: the terminal's, or the page's beep (its own for 3-2-1)."""
        if not self.served:
            self.bell()
        else:
            self.cue(BEEP_COUNTDOWN if message.ring.value == "countdown" else BEEP_STEP)

    def on_session_on_screen(self, message: SessionOnScreen) -> None:
        """Served, the page keeps the screen on while the runner is up."""
        self.cue(AWAKE_ON if message.shown else AWAKE_OFF)

    def on_descendant_focus(self) -> None:
        if self.served:  # a terminal has its own keyboard: nothing to tell
            self.call_later(self._keyboard_follows_focus)

    def on_descendant_blur(self) -> None:
        if self.served:
            self.call_later(self._keyboard_follows_focus)

    _typing = False
    """Whether the served page was last told a text field has the focus."""

    def _keyboard_follows_focus(self) -> None:
        """Served, a tablet's on-screen keyboard comes up only while a text field has the
        focus: everywhere else a tap on the page would bring it up over the session (the
        page reads keys through a hidden text field). Checked once the focus has settled."""
        typing = isinstance(self.focused, Input | KeysInOrder)
        if typing != self._typing:
            self._typing = typing
            self.cue(KEYBOARD_ON if typing else KEYBOARD_OFF)

    def on_app_blur(self) -> None:
        """Served, blur means the page has gone (`hipmob serve` sends no other): the
        session waits, paused, for the page to come back."""
        if self.served and self._pause_session():
            self._paused_for_page = True

    def on_app_focus(self) -> None:
        """Served, focus means a page has (re)connected: its terminal is blank, so the
        whole screen is drawn again."""
        if not self.served:
            return
        self.refresh(layout=True)
        if self._paused_for_page:
            self._paused_for_page = False
            self.notify("Paused while the page was away. Press space to go on.")

    def on_mount(self) -> None:
        self.add_mode(self.DEFAULT_MODE, self._mode_screens[self.DEFAULT_MODE])
        # Served, the runner starts as the floor clock: a tablet or a phone on the floor;
        # and what a finger taps (the bottom line's keys, score buttons) is taller.
        self.set_class(self.served, "-floor")
        self.set_class(self.served, "-served")
        self._fit(self.size.width, self.size.height)
        self.screen_change_signal.subscribe(self, self._restyle_if_resized, immediate=True)
        if self.catalog.problems:
            self._notify_problems()
        for message in self._settings_problems:
            self._settings_warning(message)
        if self._theme_wanted is not None and self._theme_wanted != self.theme:
            self._settings_warning(
                f"{self.paths.settings}: there is no theme {self._theme_wanted!r}; using the "
                "default (pick one with : or ctrl+p, then 'theme')"
            )
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._install_signal_handlers()
        if not self._offer_resume():
            self._start_requested()

    # -- sessions ---------------------------------------------------------------------------

    @property
    def active_run(self) -> SessionRun | None:
        """The session under way, if any (a finished one is only being summed up)."""
        run = self.session_run
        return run if run is not None and not run.engine.finished else None

    def settings(self) -> Settings:
        """The user's settings; defaults (and a notice) when the file is bad."""
        return settings_or_defaults(self.paths.settings, self._settings_warning)

    def _settings_warning(self, message: str) -> None:
        """Show a problem of the settings file, once (also called from History's thread)."""
        if message not in self._settings_warned:
            self._settings_warned.add(message)
            self.notify(message, title="settings", severity="warning", markup=False)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked (in the command palette) is kept in the settings for the next start."""
        if theme.name == self._theme_saved:
            return
        try:
            save_setting(self.paths.settings, "theme", theme.name)
        except (HipmobError, OSError) as error:  # WriteFailed is an OSError
            why = error.message if isinstance(error, HipmobError) else str(error)
            self.notify(
                f"The theme is used now but not kept for the next start: {why}",
                title="settings",
                severity="warning",
                markup=False,
            )
            return
        self._theme_saved = theme.name

    def _start_requested(self) -> None:
        """`hipmob run ID`: straight into that routine."""
        routine_id, self.start_routine = self.start_routine, None
        if routine_id is None:
            return
        routine = routine_by_id(routine_id, self.catalog.routines, self.catalog.exercises)
        if routine is not None:
            self.begin(routine)

    def on_open_plan(self) -> None:
        """The Library asks for the Plan."""
        from hipmob_tui.ui.screens.plan import PlanScreen

        self.push_screen(PlanScreen(self.catalog, self.store, self.today))

    def plan_state(self) -> PlanState | str | None:
        """The program followed today and its stage, from the per-day summary; the id of
        the program followed when it is not defined (any more); None when none is followed
        or the history cannot be read (History says why)."""
        from hipmob_tui.history.plan import plan_of_summary

        try:
            days = self.store.days()
        except (HipmobError, OSError):
            return None
        today = self.today()
        state = plan_of_summary(days, self.catalog.programs, today, self.check_results)
        if state is None and days is not None:
            in_force = days.following(today.toordinal())
            return in_force[0] if in_force is not None else None
        return state

    def check_results(self) -> list[PlanCheck]:
        """The self-check results as the plan reads them (a program's rule on a check)."""
        from hipmob_tui.history.plan import checks_of

        try:
            return checks_of(self.store.facts()[0].checks)
        except (HipmobError, OSError):  # History says why; a check rule then waits
            return []

    def on_start_routine(self, message: StartRoutine) -> None:
        """The Library or the picker asks for a routine to be run."""
        self.begin(message.routine)

    def begin(self, routine: Routine) -> None:
        """Run a routine: a pain score first, then the runner, and its clock starts."""
        from hipmob_tui.ui.dialogs.questions import PainScreen

        if self.active_run is not None:
            self._show_area("session")
            self.notify(
                "End this session first (q), then start another.",
                title="a session is under way",
                markup=False,
            )
            return
        if isinstance(self.screen, ModalScreen):
            # This routine's or another's question is open already (its pain score, its
            # checks), or another dialog: answer it first. Asked of any dialog, so that
            # `hipmob run` does not import the forms' (a text area: 15 ms of its first frame).
            return
        # The question over the screen the routine was picked on (escape goes back to it);
        # the runner is built once it is answered, so the first frame of `hipmob run` is
        # just the question.
        self.push_screen(
            PainScreen("before", routine.name), lambda score: self._run(routine, score)
        )

    def _run(self, routine: Routine, pain_before: int | None) -> None:
        from hipmob_tui.ui.dialogs.check_form import ask_checks
        from hipmob_tui.ui.dialogs.questions import BACK

        if pain_before == BACK:
            self._highlight_in_picker(routine.id)
            return
        checks = [self.catalog.checks[i] for i in routine.checks_before if i in self.catalog.checks]
        # The routine's checks come before its clock starts: nothing waits on them.
        ask_checks(
            self, checks, "before", lambda answers: self._start(routine, pain_before, answers)
        )

    def _start(self, routine: Routine, pain_before: int | None, answers: list[CheckAnswer]) -> None:
        from hipmob_tui.session.run import SessionRun, local_now
        from hipmob_tui.ui.dialogs.check_form import results_of, said, save_results

        self._show_area("session")
        settings = self.settings()
        timeline = self._timeline(routine, settings)
        self.session_run = SessionRun(
            timeline, self.paths.db, clock=self.clock, pain_before=pain_before
        )
        if answers:
            results = results_of(
                answers, local_now(), session_id=self.session_run.session_id, when="before"
            )
            self.session_run.check_results = results
            save_results(self, self.paths.db, results, said(answers))
        self._show_runner(self.session_run, settings, resumed=False)

    def _timeline(self, routine: Routine, settings: Settings) -> Timeline:
        from hipmob_tui.session.timeline import build_timeline

        pauses = DEFAULT_PAUSES.overridden(settings.pauses)
        return build_timeline(routine, self.catalog.exercises, pauses)

    def _show_runner(self, run: SessionRun, settings: Settings, *, resumed: bool) -> None:
        from hipmob_tui.ui.screens.runner import RunnerScreen

        while len(self.screen_stack) > 1:  # a summary still open from the last session
            self.pop_screen()
        self._highlight_in_picker(run.engine.timeline.routine.id)
        self.push_screen(RunnerScreen(run, settings, resumed=resumed, today=self.today))
        self.refresh_bindings()
        # A session started in a screen too small to show it waits, as one that shrank does.
        self.call_after_refresh(lambda: self._fit(self.size.width, self.size.height))

    def _highlight_in_picker(self, routine_id: str) -> None:
        """Have the routines highlight the one just chosen, for when they are next seen.

        Left by escape at its pain question or by ending its session early, the picker
        would otherwise show today's suggestion first and highlighted: after `hipmob run
        ID` it has never shown the routine the person chose.
        """
        from hipmob_tui.ui.screens.picker import PickerScreen

        if self.current_mode != "session":
            return  # chosen in the Library: escape goes back there, not to the routines
        picker = self.screen_stack[0]
        if isinstance(picker, PickerScreen):
            picker.select(routine_id)

    def on_session_ended(self, message: SessionEnded) -> None:
        """The runner's session is over: its summary takes the runner's place."""
        from hipmob_tui.ui.screens.summary import SummaryScreen  # not needed to start

        self.switch_screen(SummaryScreen(message.run, message.settings, self.today))

    def on_record_check(self, message: RecordCheck) -> None:
        """A self-check on its own: which one, then its form; what is given is saved."""
        from hipmob_tui.ui.dialogs.check_form import CheckPickerScreen, ask_checks

        if not self.catalog.checks:
            self.notify("There are no self-checks to record.", timeout=4)
            return

        def picked(check: Check | None) -> None:
            if check is not None:
                ask_checks(self, [check], None, self._checks_alone)

        self.push_screen(CheckPickerScreen(list(self.catalog.checks.values())), picked)

    def _checks_alone(self, answers: list[CheckAnswer]) -> None:
        from hipmob_tui.session.run import local_now
        from hipmob_tui.ui.dialogs.check_form import results_of, said, save_results

        save_results(self, self.paths.db, results_of(answers, local_now()), said(answers))

    def on_summary_closed(self, message: SummaryClosed) -> None:
        """Back from the summary to the routines, on the one just done."""
        self.pop_screen()
        self._highlight_in_picker(message.routine_id)

    def _offer_resume(self) -> bool:
        """Offer the session a kill or a dropped connection interrupted; True when there is one."""
        if not journal_path(self.paths.db).exists():
            return False  # the usual start: no session was interrupted
        from hipmob_tui.session.journal import Journal, JournalDamaged

        try:
            saved = Journal(self.paths.db).load()
        except JournalDamaged as error:
            self.notify(str(error), title="unfinished session", severity="warning", timeout=30)
            return False
        if saved is None:
            return False
        routine = routine_by_id(
            saved.record.routine_id, self.catalog.routines, self.catalog.exercises
        )
        settings = self.settings()
        timeline = self._timeline(routine, settings) if routine is not None else None
        why_not = ""
        if timeline is None:
            why_not = "its routine is no longer in your library"
        elif saved.snapshot.get("fingerprint") != timeline.fingerprint:
            why_not = "its routine has changed since"
        from hipmob_tui.ui.dialogs.resume import ResumeScreen

        dialog = ResumeScreen(saved, can_resume=not why_not, why_not=why_not)
        self.push_screen(
            dialog, lambda choice: self._resume_chosen(saved, timeline, settings, choice)
        )
        # A hang-up saves a partial record after the journal's last checkpoint: the dialog
        # shows the newer one, found off the main thread (ten years take 100 ms to read).
        self._show_latest_save(dialog, saved, self.store)
        return True

    @work(thread=True, group="resume", exit_on_error=False)
    def _show_latest_save(self, dialog: ResumeScreen, saved: SavedSession, store: Store) -> None:
        from hipmob_tui.session.run import latest_save

        latest = latest_save(saved, store)
        if latest is not saved:
            self.call_from_thread(dialog.show, latest)

    def _resume_chosen(
        self,
        saved: SavedSession,
        timeline: Timeline | None,
        settings: Settings,
        choice: str | None,
    ) -> None:
        if choice == "resume" and timeline is not None:
            from hipmob_tui.session.run import SessionRun, latest_save

            # Read again: the dialog's look may still be under way (the store keeps it).
            saved = latest_save(saved, self.store)
            record = saved.record
            self._show_area("session")
            self.session_run = SessionRun(
                timeline,
                self.paths.db,
                clock=self.clock,
                pain_before=record.pain_before,
                resume_from=saved.snapshot,
                started_at=record.started_at,
                session_id=record.id,
            )
            self._show_runner(self.session_run, settings, resumed=True)
        elif choice == "keep":
            self._keep_as_partial(saved)
        else:
            self._start_requested()

    @work(thread=True, group="resume")
    def _keep_as_partial(self, saved: SavedSession) -> None:
        from hipmob_tui.session.journal import Journal
        from hipmob_tui.session.run import keep_as_partial
        from hipmob_tui.ui.writes import StoreWriteFailed, change_from_thread

        def keep(store: Store) -> None:
            keep_as_partial(store, saved)
            Journal(self.paths.db).clear()

        try:
            change_from_thread(self, self.paths.db, keep, lambda _waiting: None)
        except StoreWriteFailed as failure:
            self.call_from_thread(
                self.notify, failure.message, title="not saved", severity="error", markup=False
            )
            return
        self.call_from_thread(
            self.notify, f"{saved.record.routine_name}: saved as a partial session.", markup=False
        )
        self.call_from_thread(self._start_requested)

    def save_interrupted(self) -> None:
        """Save the session under way as partial, now (quit, hang-up); its journal stays.

        The next start offers to resume it; the partial record is replaced if it is.
        """
        run = self.active_run
        if run is None or run is self._saved_interrupted:
            return  # nothing under way, or saved already on the way out (quit, then unmount)
        self._saved_interrupted = run
        from hipmob_tui.history.store import Store
        from hipmob_tui.session.run import save_session

        run.advance()  # up to this second, not the runner's last tick
        # On failure the journal still holds the session, up to the current step.
        with contextlib.suppress(HipmobError, OSError, TimeoutError):
            save_session(Store(self.paths.db, lock_timeout=1.5), run.record())

    async def action_quit(self) -> None:
        """Quit; with a session under way, only after a y."""
        run = self.active_run
        if run is None:
            self.exit()
            return

        from hipmob_tui.ui.dialogs.questions import quit_question

        # As with "end the session?": the clock waits for the answer.
        was_running = self._pause_session()

        def answered(yes: bool | None) -> None:
            if yes:
                self.save_interrupted()
                self.exit()
            elif was_running and not run.engine.finished:
                run.resume()

        self.push_screen(quit_question(), answered)

    def _install_signal_handlers(self) -> None:
        """Save the session on SIGHUP (a dropped SSH link) and SIGTERM, then leave cleanly.

        Textual installs no handler for either: without these the process would die with
        the terminal still in the alternate screen and the session's last step unsaved.
        """
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_signal, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests) or no signals on this platform

    def _on_signal(self, signum: int) -> None:
        self.save_interrupted()
        # A hung-up terminal may never take the exit sequences, and the event loop may be
        # stuck on it: if the clean exit takes too long, a thread of its own sends the signal
        # again, now with its default action (the process ends, as if never caught).
        asyncio.get_running_loop().remove_signal_handler(signum)
        deadline = threading.Timer(1.0, os.kill, (os.getpid(), signum))
        deadline.daemon = True
        deadline.start()
        self.exit(return_code=128 + signum)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Swap every screen's body for a notice while the terminal is below the minimum
        (the floor clock's smaller one, on the runner, when the floor clock is on)."""
        classes_before = self._size_classes()
        floor = self.has_class("-floor")
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        tiny = width < FLOOR_MIN_WIDTH or height < FLOOR_MIN_HEIGHT
        runner_hidden = tiny if floor else too_small
        if (too_small, tiny) != (self.has_class("-too-small"), self.has_class("-tiny")):
            self.set_class(too_small, "-too-small")
            self.set_class(tiny, "-tiny")
            self.refresh_bindings()  # space resumes only a session that can be seen
        self.set_class(width < NARROW_WIDTH, "-narrow")
        low = SERVED_LOW_HEIGHT if self.has_class("-served") else LOW_HEIGHT
        self.set_class(height < low, "-low")
        if self._size_classes() != classes_before:
            self._size_generation += 1
            self._styled_at[self.screen] = self._size_generation  # Textual restyles the top
        # Nobody can follow a session on a "too small" notice: it waits, like out of sight.
        if runner_hidden:
            self._paused_for_size = self._pause_session() or self._paused_for_size
        if too_small:
            run = self.active_run
            waiting = runner_hidden and run is not None and not run.engine.finished
            for notice in self.screen.query(TooSmall):
                notice.say(session_paused=waiting, floor_clock=floor)
        if not runner_hidden and self._paused_for_size:
            self._paused_for_size = False
            self.notify("Paused while the terminal was too small. Press space to go on.")

    _SIZE_CLASSES = ("-too-small", "-tiny", "-narrow", "-low")
    """The app's classes that say how big the terminal is (set by `_fit`)."""
    _size_generation = 0
    """How many times those classes changed: a screen styled at another count is stale."""

    def _size_classes(self) -> tuple[bool, ...]:
        return tuple(self.has_class(name) for name in self._SIZE_CLASSES)

    def _restyle_if_resized(self, screen: Screen[object]) -> None:
        """Restyle a screen shown again if the terminal's size classes changed meanwhile.

        Textual restyles only the top screen when the app's classes change, and does not
        restyle the one a closing screen uncovers: the routine list under a session begun
        on a tiny terminal kept its "too small" look at full size (and Enter started a
        routine nobody could see).
        """
        # A screen not seen yet may have mounted under another (the routine list under the
        # runner of `hipmob run`): stale if the classes changed at all since the start.
        styled_at = self._styled_at.get(screen, 0)
        self._styled_at[screen] = self._size_generation
        if styled_at != self._size_generation:
            screen.update_node_styles(animate=False)

    def _notify_problems(self) -> None:
        """One notice for every bad user file; the good content stays usable."""
        problems = self.catalog.problems
        files = sorted({problem.file for problem in problems})
        shown = _PROBLEMS_SHOWN if self.size.height >= 30 else 1
        lines = [str(problem) for problem in problems[:shown]]
        if len(problems) > shown:
            lines.append(f"… and {len(problems) - shown} more.")
        lines.append(f"Check with: hipmob routines validate {' '.join(files)}")
        self.notify(
            "\n".join(lines),
            title=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
            "in your routine files",
            severity="warning",
            timeout=20,
            markup=False,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the key of the area already shown, and the floor clock's of the layout
        shown: they would do nothing."""
        if action == "floor" and parameters:
            return parameters[0] != self.has_class("-floor")
        return not (action == "area" and parameters and parameters[0] == self.area)

    def action_floor(self, on: bool) -> None:
        """The runner as a floor clock (the time left as large as the screen allows, the
        phase and the side in big letters) or with every detail. Kept until changed."""
        self.set_class(on, "-floor")
        self._fit(self.size.width, self.size.height)
        self.refresh_bindings()

    def runner_hidden(self) -> bool:
        """Whether the runner cannot be shown at this size (its notice instead)."""
        return self.has_class("-tiny" if self.has_class("-floor") else "-too-small")

    def action_area(self, area: str) -> None:
        """Show one of the areas; a running session pauses while out of sight."""
        if area != "session" and self._pause_session():
            self.notify("Session paused. Press s to go back to it.", timeout=6)
            self._paused_notice_shown = True
        elif area == "session" and self._paused_notice_shown:
            # Its advice is taken: left up, it would cover the runner (and the summary).
            # Textual removes toasts all at once only; the others were about the area left.
            self.clear_notifications()
            self._paused_notice_shown = False
        self._show_area(area)
        self.refresh_bindings()

    _paused_for_page = False
    """Whether a dropped page paused the session (said when a page is back)."""

    _paused_notice_shown = False
    """Whether "Session paused. Press s…" was said since the session was last shown."""

    _saved_interrupted: SessionRun | None = None
    """The session save_interrupted saved, once: the app is leaving."""

    _paused_for_size = False
    """Whether the terminal's shrinking paused the session (said when it is big again)."""

    def _pause_session(self) -> bool:
        """Pause the session if its clock is running; whether it did."""
        run = self.active_run
        if run is None or not run.engine.running:
            return False
        run.pause()
        return run.engine.paused  # not when the session ended since the runner last looked

    def action_help(self) -> None:
        """Every key, in one screen."""
        from hipmob_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's own commands: the theme, every key and quitting. Textual's others
        show its widgets rather than hipmob (its key panel, beside `?`, listed scrolling and
        copying keys and squeezed the screen), or save a file unasked (a screenshot)."""
        yield SystemCommand(
            "Theme", "Change the colours (kept for the next start)", self.action_change_theme
        )
        yield SystemCommand("Keys", "Every key, by where it works (also ?)", self.action_help)
        yield SystemCommand("Quit", "Leave hipmob (asks during a session)", self.action_quit)

    def key_sections(self) -> list[KeySection]:
        """Every key, by where it works: what the help screen lists, read from the bindings."""
        from hipmob_tui.ui.dialogs.check_form import CheckPickerScreen, CheckScreen
        from hipmob_tui.ui.dialogs.questions import PainScreen, YesScreen
        from hipmob_tui.ui.dialogs.session_forms import ConfirmDeleteScreen, FormDialog
        from hipmob_tui.ui.screens.help import key_sections
        from hipmob_tui.ui.screens.history import HistoryScreen
        from hipmob_tui.ui.screens.library import FilterInput
        from hipmob_tui.ui.screens.picker import PickerScreen
        from hipmob_tui.ui.screens.plan import PlanScreen
        from hipmob_tui.ui.screens.progress import ProgressScreen
        from hipmob_tui.ui.screens.runner import RunnerScreen
        from hipmob_tui.ui.screens.summary import NoteInput, SummaryScreen
        from hipmob_tui.ui.widgets.footer import KeyFooter
        from hipmob_tui.ui.widgets.heatmap import Heatmap
        from hipmob_tui.ui.widgets.score_buttons import ScoreButtons
        from hipmob_tui.ui.widgets.sessions_table import SessionsTable
        from hipmob_tui.ui.widgets.tap_list import TapList

        return key_sections(
            self.get_key_display,
            [
                ("Everywhere", [HipmobApp]),
                (
                    "Library",
                    [
                        LibraryScreen,
                        (FilterInput, "While typing a filter"),
                        (PlanScreen, "On the Plan"),
                    ],
                ),
                (
                    "Session",
                    [
                        PickerScreen,
                        (PainScreen, "At a pain score"),
                        RunnerScreen,
                        (SummaryScreen, "On the summary"),
                        (NoteInput, "In the note box"),
                    ],
                ),
                ("History", [HistoryScreen, SessionsTable, (Heatmap, "In the calendar")]),
                ("Progress", [ProgressScreen]),
                (
                    "Dialogs",
                    [
                        FormDialog,
                        (YesScreen, "In a question"),
                        (ConfirmDeleteScreen, "Deleting a session"),
                        (CheckPickerScreen, "Picking a self-check"),
                        (CheckScreen, "In a self-check"),
                    ],
                ),
                ("A tap or a click", [KeyFooter, TapList, ScoreButtons]),
            ],
        )

    def on_show_in_library(self, message: ShowInLibrary) -> None:
        """Open the Library on one exercise ("x") or routine ("r")."""
        self._show_area("library")
        self.call_after_refresh(self._select, message)

    def _select(self, message: ShowInLibrary) -> None:
        screen: Screen[object] = self.screen
        if isinstance(screen, LibraryScreen):
            screen.show_item(message.kind, message.item_id)


class RoutineApp(HipmobApp):
    """`hipmob run ID`: the app opened on one routine, its pain question over the Session area.

    A class of its own because Textual reads `DEFAULT_MODE` from the class as the app is
    made: started in the Library and switched to the Session area on mount, the Library
    is composed and styled for nothing and the first frame comes about 100-150 ms later.
    """

    DEFAULT_MODE = "session"

    def __init__(
        self,
        catalog: Catalog,
        paths: Paths | None = None,
        *,
        start_routine: str,
        today: Callable[[], date] = date.today,
        clock: Clock = time.monotonic,
        served: bool | None = None,
    ) -> None:
        super().__init__(catalog, paths, today=today, clock=clock, served=served)
        self.start_routine = start_routine
        # Read with the app's own stylesheet, in the one parse before the first frame;
        # left to the runner, it makes Textual reparse every stylesheet and restyle the
        # app once more (about 15 ms of `hipmob run`).
        self.css_path = [*self.css_path, SESSION_CSS]
