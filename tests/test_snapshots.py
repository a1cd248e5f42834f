"""Snapshot tests: one class per screen, one docstring per picture."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.records import CheckResult, SessionRecord
from hipmob_tui.history.store import Store
from hipmob_tui.paths import resolve
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.ui.app import HipmobApp, RoutineApp
from hipmob_tui.ui.widgets.heatmap import Heatmap
from hipmob_tui.ui.widgets.sessions_table import SessionsTable
from tests.uitools import notices, settle, wait

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

Snap = Callable[..., bool]
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _history_app(catalog: Catalog, folder: Path, days: int) -> HipmobApp:
    """The app over a demo history of `days` days ending on a fixed Tuesday."""
    paths = resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})
    if days:
        Store(paths.db).merge(demo_sessions(catalog, TODAY, days))
    return HipmobApp(catalog, paths, today=lambda: TODAY)


def _in_history(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Open History, wait for its file to be read and its table filled, then press `keys`."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await _historysettle(pilot)
        await pilot.press(*keys)
        await _historysettle(pilot)

    return run_before


async def _historysettle(pilot: Pilot[None]) -> None:
    """Wait until no worker runs and every table on the stack holds all its rows.

    The table fills in after its first page; the scrollbar depends on how far it
    got. Look through the whole screen stack: a dialog on top hides the table
    from `app.screen` but the snapshot still shows it behind the dialog.
    """
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    tables = [table for screen in pilot.app.screen_stack for table in screen.query(SessionsTable)]
    for _ in range(200):
        if all(table.loaded == len(table.ordered) for table in tables):
            break
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _check_results(sessions: list[SessionRecord]) -> list[CheckResult]:
    """IR ease before and after every other session, rising a point a fortnight (left a
    point behind right), 2 points better after; and a seated reach each Monday."""
    results = []
    for number, session in enumerate(sessions[::2]):
        weeks = (session.date - (TODAY - timedelta(days=84))).days // 7
        for side, base in (("left", 2), ("right", 3)):
            before = min(8, base + weeks // 2)
            for when, value, at in (
                ("before", before, session.started_at),
                ("after", before + 2, session.ended_at),
            ):
                key = f"c{number}-{side}-{when}"
                result = CheckResult(key, "ir-ease-90-90", at, side, value, at, session.id, when)
                results.append(result)
    for week in range(12):
        at = NOW - timedelta(weeks=week, days=1)
        results.append(CheckResult(f"reach-{week}", "seated-reach", at, None, 30 - week, at))
    return results


class TestLibrary:
    """The Library, as a keyboard user walks through it."""

    def test_first_open(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The first thing a new user sees: RESET first, the breathing drill's detail."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(100, 30))

    def test_rebuild_exercise_marked_added(
        self, snap_compare: Snap, builtin_catalog: Catalog
    ) -> None:
        """REBUILD only, on an exercise the project added: the 'added' mark is visible."""
        assert snap_compare(
            HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["3", "down"]
        )

    def test_routines_tab(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The routine list with the full session's items and estimated time."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["t"])

    def test_filtered_by_text(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Typing 'foam' keeps only the foam-roller work; the status line says what is shown."""
        assert snap_compare(
            HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["slash", *"foam", "enter"]
        )

    def test_at_80_by_24(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The classic terminal size: everything fits, the footer keys included."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(80, 24))

    def test_at_60_by_20(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The smallest supported size: nothing overlaps."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(60, 20))

    def test_too_small(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Below 60 × 20 a notice replaces the body."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(40, 12))


class TestHelp:
    """The help screen."""

    def test_help(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Every key, grouped: Everywhere, then Library, then History."""
        assert snap_compare(
            HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["question_mark"]
        )


class TestSession:
    """The Session area: the picker, the runner in each state, the summary, resuming."""

    @staticmethod
    def _app(catalog: Catalog, folder: Path, clock: FakeClock) -> HipmobApp:
        paths = resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})
        return RoutineApp(catalog, paths, clock=clock, start_routine="evening-wind-down")

    @staticmethod
    def _steps(
        clock: FakeClock, *keys: str, seconds: float = 0, skipped_work: bool = False
    ) -> Callable[[Pilot[None]], Awaitable[None]]:
        """`keys`, then `seconds` on the clock. `skipped_work`: the keys skipped work to
        reach a step, whose notice (a set left early does not count; test_ui_session) is
        cleared so that the snapshot shows the step."""

        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.pause()
            await pilot.press(*keys)
            if skipped_work:
                assert "not counted" in notices(pilot.app)
                pilot.app.clear_notifications()
            await wait(pilot, clock, seconds)
            await settle(pilot)

        return run_before

    def test_picker(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Every routine with its time and phases, today's suggestion first with why; the
        highlighted one's exercises beside."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["s"])

    def test_picker_after_a_flare_day(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The day after a flare day: a RESET-only routine first, marked suggested, and why
        in a line above the list."""
        app = _history_app(builtin_catalog, tmp_path, 0)
        Store(app.paths.db).set_marks([TODAY - timedelta(days=1)], "flare", now=NOW)
        assert snap_compare(app, terminal_size=(100, 30), press=["s"])

    def test_pain_before(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """`hipmob run`: the pain question over the get-ready screen, one key to answer."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        assert snap_compare(app, terminal_size=(100, 30), run_before=self._steps(clock))

    def test_work_step(self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path) -> None:
        """A hold under way: phase and name, set and side, the big timer, bars, how-to, next."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        keys = ["s", *["n"] * 4]  # on to the glute release, right side
        run_before = self._steps(clock, *keys, seconds=12.4, skipped_work=True)
        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)

    def test_rest_step(self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path) -> None:
        """The one pause between exercises (rest and get-ready) looks calm, not like work, and
        shows what comes next."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        run_before = self._steps(clock, "s", "n", "n", seconds=6, skipped_work=True)
        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)

    def test_paced_reps_paused(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Paused on the breathing drill: PAUSED in the warning colour, the rep count kept."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        run_before = self._steps(clock, "s", "n", seconds=13)

        async def then_pause(pilot: Pilot[None]) -> None:
            await run_before(pilot)
            await pilot.press("space")
            await wait(pilot, clock, 60)
            await settle(pilot)

        assert snap_compare(app, terminal_size=(100, 30), run_before=then_pause)

    def test_at_60_by_20(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The runner at the smallest size: timer, label, how-to, cue, next line and keys fit."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        run_before = self._steps(clock, "s", "n", seconds=3)
        assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)

    def test_side_note_offered(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The pause after the glute release (done per side): under the timer, which side
        felt tighter, noted left; the footer ticks it."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        run_before = self._steps(clock, "6", seconds=130)  # 7 s into the pause after it

        async def note(pilot: Pilot[None]) -> None:
            await run_before(pilot)
            await pilot.press("left_square_bracket")
            await settle(pilot)

        assert snap_compare(app, terminal_size=(100, 30), run_before=note)

    def test_summary(self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path) -> None:
        """Finished early: a partial session with what was done, the glute release (done per
        side) not noted, pain before → after, saved."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        run_before = self._steps(clock, "6", seconds=5 + 60 + 20 + 5 + 30 + 5 + 30)

        async def finish(pilot: Pilot[None]) -> None:
            await run_before(pilot)
            await pilot.press("q", "y", "3")
            for _ in range(3):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=finish)

    def test_summary_with_side_notes(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The glute release noted left in the pause after it: the summary's list says
        "left tighter", highlighted, and the footer ticks Left."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        run_before = self._steps(clock, "6", seconds=130)  # 7 s into the pause after it

        async def finish(pilot: Pilot[None]) -> None:
            await run_before(pilot)
            await pilot.press("left_square_bracket", "q", "y", "3")
            for _ in range(3):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=finish)

    def test_summary_writing_a_note(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Writing a note looks different from reading one: a marked box, the keys named."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock)
        run_before = self._steps(clock, "6", seconds=5 + 60)

        async def note(pilot: Pilot[None]) -> None:
            await run_before(pilot)
            await pilot.press("q", "y", "3")
            for _ in range(3):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("n", *"hips loose")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=note)


class TestChecks:
    """A self-check's form, before a session and on its own."""

    @staticmethod
    def _app(catalog: Catalog, folder: Path) -> HipmobApp:
        paths = resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})
        return RoutineApp(catalog, paths, clock=FakeClock(), start_routine="full-session")

    def test_before_a_session(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """After the pain question, before the clock starts: how to do the 90/90 check, what
        to score, a field per side (the left one typed), and that each may be skipped."""
        app = self._app(builtin_catalog, tmp_path)
        steps = TestSession._steps(FakeClock(), "4", "6")
        assert snap_compare(app, terminal_size=(100, 30), run_before=steps)

    def test_at_60_by_20(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The smallest terminal: the steps scroll, the fields and the hint still show."""
        app = self._app(builtin_catalog, tmp_path)
        steps = TestSession._steps(FakeClock(), "4")
        assert snap_compare(app, terminal_size=(60, 20), run_before=steps)

    def test_on_its_own(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """From the Library (c): which check to record, with each one's scale."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["c"])


class TestFloorClock:
    """The runner as a floor clock (f; the default under `hipmob serve`): the time left as
    large as the screen allows, the phase and side in big letters, the step's bar."""

    @staticmethod
    def _app(catalog: Catalog, folder: Path, clock: FakeClock, *, served: bool) -> HipmobApp:
        paths = resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})
        return RoutineApp(
            catalog, paths, clock=clock, start_routine="evening-wind-down", served=served
        )

    def test_tablet(self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path) -> None:
        """A 1280 × 800 tablet at the page's font (142 × 38): the glute release, right side;
        the figures over half the height, RESET · RIGHT above them."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock, served=True)
        run_before = TestSession._steps(clock, "s", *["n"] * 4, seconds=12.4, skipped_work=True)
        assert snap_compare(app, terminal_size=(142, 38), run_before=run_before)

    def test_phone_in_landscape(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """A phone on its side (82 × 17): the rest between exercises, calm grey figures,
        the phase and side in one line."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock, served=True)
        run_before = TestSession._steps(clock, "s", "n", "n", seconds=6)
        assert snap_compare(app, terminal_size=(82, 17), run_before=run_before)

    def test_at_40_by_15(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The floor clock's smallest size: every part still there, the keys cut short."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock, served=True)
        run_before = TestSession._steps(clock, "s", "n", seconds=3)
        assert snap_compare(app, terminal_size=(40, 15), run_before=run_before)

    def test_below_40_by_15(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Below it, the notice names the floor clock's size, and the session waits."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock, served=True)
        run_before = TestSession._steps(clock, "s", "n", seconds=3)
        assert snap_compare(app, terminal_size=(39, 15), run_before=run_before)

    def test_in_a_terminal_paused(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """In an 80 × 24 terminal, f then space: PAUSED, the figures in the warning colour,
        the key to go back to the details."""
        clock = FakeClock()
        app = self._app(builtin_catalog, tmp_path, clock, served=False)
        run_before = TestSession._steps(clock, "s", "n", "f", "space", seconds=20)
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestHistory:
    """History over a reproducible demo database (about five sessions a week)."""

    def test_half_a_year(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Streak header, shaded calendar with today selected, pain trend, newest session."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(100, 30), run_before=_in_history())

    def test_marked_days(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Rest, flare and away days drawn by their letter, the key naming them, the day's
        mark and note on the day line, and the frozen days beside the streak."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        store = Store(app.paths.db)
        busy = {s.date for s in store.sessions()}
        quiet = [TODAY - timedelta(days=n) for n in range(1, 60)]
        quiet = [day for day in quiet if day not in busy]
        store.set_marks(quiet[:2], "rest", now=NOW)
        store.set_marks(quiet[2:4], "flare", "sciatica after gardening", now=NOW)
        store.set_marks(quiet[4:5], "away", now=NOW)

        async def run_before(pilot: Pilot[None]) -> None:
            await _in_history()(pilot)
            pilot.app.screen.query_one(Heatmap).selected = quiet[2]
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)

    def test_empty(self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path) -> None:
        """No sessions yet: every panel says what will appear and how to start."""
        app = _history_app(builtin_catalog, tmp_path, 0)
        assert snap_compare(app, terminal_size=(100, 30), run_before=_in_history())

    def test_at_80_by_24(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The classic size: fewer weeks, narrower chart, every column of the table."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(80, 24), run_before=_in_history())

    def test_at_60_by_20(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The smallest size: the detail pane gives way to the table."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(60, 20), run_before=_in_history())

    def test_session_window_at_60_by_20(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The smallest size, Enter on the newest session: its detail in a window."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(60, 20), run_before=_in_history("enter"))

    def test_calendar_day_selected(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """In the calendar, two weeks and a day back: that day and its session are shown."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        keys = _in_history("c", "left", "left", "up")
        assert snap_compare(app, terminal_size=(100, 30), run_before=keys)

    def test_sorted_by_relief(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Sorted by pain relief, most first; the table title says so."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        keys = _in_history("o", "o", "o")
        assert snap_compare(app, terminal_size=(100, 30), run_before=keys)

    def test_edit_dialog(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Editing the newest session: its scores and notes filled in, keys spelled out."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(100, 30), run_before=_in_history("e"))

    def test_log_dialog_with_an_error(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Logging by hand with a date in the wrong format: the error says what to write."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        keys = _in_history("a", "tab", *"24/11", "enter")
        assert snap_compare(app, terminal_size=(100, 30), run_before=keys)

    def test_delete_confirmation(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Deleting asks, naming the session; only y deletes."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(100, 30), run_before=_in_history("d"))


class TestProgress:
    """Progress over the same demo database: what helps, and the last weeks."""

    @staticmethod
    def _in_progress() -> Callable[[Pilot[None]], Awaitable[None]]:
        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press("g")
            for _ in range(3):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()

        return run_before

    def test_half_a_year(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Routines by sessions with their median change and n, the weeks, the exercises."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(100, 30), run_before=self._in_progress())

    def test_at_60_by_20(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The smallest size: names give way, every column stays whole."""
        app = _history_app(builtin_catalog, tmp_path, 200)
        assert snap_compare(app, terminal_size=(60, 20), run_before=self._in_progress())

    def test_side_summary(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Two exercises noted after the sessions: which side felt tighter in each one's last
        10 noted sessions, a line each, between the weeks and the exercises."""
        paths = resolve(db=str(tmp_path / "hipmob.json"), environ={"HOME": str(tmp_path)})
        pattern = {
            "trail-leg-internal-rotation": "lllelllrel",
            "pigeon-90-90": "rre",
        }
        seen = dict.fromkeys(pattern, 0)
        records = []
        for record in demo_sessions(builtin_catalog, TODAY, 200):
            for index, done in enumerate(record.exercises):
                if done.id in pattern and done.sets_done:
                    letters = pattern[done.id]
                    side = {"l": "left", "r": "right", "e": "even"}[
                        letters[seen[done.id] % len(letters)]
                    ]
                    seen[done.id] += 1
                    record = record.with_side_note(index, side)
            records.append(record)
        Store(paths.db).merge(records)
        app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
        assert snap_compare(app, terminal_size=(100, 30), run_before=self._in_progress())

    def test_empty(self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path) -> None:
        """No sessions yet: what will appear, and how to start."""
        app = _history_app(builtin_catalog, tmp_path, 0)
        assert snap_compare(app, terminal_size=(100, 30), run_before=self._in_progress())

    def test_check_trend(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """Self-checks under the weeks: the 90/90 ease rising on both sides over twelve
        weeks, +2 within sessions; the reach, checked on its own, weekly."""
        app = _history_app(builtin_catalog, tmp_path, 84)
        Store(app.paths.db).add_check_results(_check_results(Store(app.paths.db).sessions()))
        assert snap_compare(app, terminal_size=(100, 40), run_before=self._in_progress())


def _following_app(catalog: Catalog, folder: Path, days: int, since_days_ago: int) -> HipmobApp:
    """The demo history, following the shipped program since `since_days_ago` days."""
    from hipmob_tui.history.records import PlanFact

    app = _history_app(catalog, folder, days)
    since = TODAY - timedelta(days=since_days_ago)
    fact = PlanFact("plan-snapshot", since, "reset-restore-rebuild", 1, NOW)
    Store(app.paths.db).add_plan_fact(fact)
    return app


class TestPlan:
    """The Plan (f in the Library): the program followed, its stage and why."""

    def test_library_names_the_program_and_stage(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """The Library's line above the list: the program and the stage of today."""
        app = _following_app(builtin_catalog, tmp_path, 120, 90)
        assert snap_compare(app, terminal_size=(100, 30), run_before=settle)

    def test_following(self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path) -> None:
        """Stage, routines, the figures behind each rule ([x] met), the moves so far."""
        app = _following_app(builtin_catalog, tmp_path, 120, 90)

        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press("f")
            await settle(pilot)

        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)

    def test_not_following(
        self, snap_compare: Snap, builtin_catalog: Catalog, tmp_path: Path
    ) -> None:
        """What a program is, in a few words, and the programs to pick from."""
        app = _history_app(builtin_catalog, tmp_path, 30)

        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press("f")
            await settle(pilot)

        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
