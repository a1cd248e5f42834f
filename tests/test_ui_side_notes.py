"""Side notes under Pilot: the runner's keys in the pause after a per-side exercise, and
the summary's list of them; on a fake clock, with holds of a second or two."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from hipmob_tui.content.loading import Catalog, load_catalog
from hipmob_tui.history.records import ExerciseDone, SessionRecord
from hipmob_tui.history.store import Store
from hipmob_tui.paths import builtin_routines_dir, resolve, routine_files
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import State
from hipmob_tui.ui.app import HipmobApp, RoutineApp
from hipmob_tui.ui.screens.picker import PickerScreen
from hipmob_tui.ui.screens.runner import RunnerScreen
from hipmob_tui.ui.screens.summary import SummaryScreen
from hipmob_tui.ui.widgets.side_notes import SideNotesTable
from tests.uitools import screen_text, settle, wait

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

SIZE = (100, 30)
SIDES = """\
exercises:
  - id: side-hold
    name: 90/90 Side Hold
    phase: restore
    purpose: A short hold on each side.
    steps: [Sit in 90/90., Hold.]
    cues: [Breathe.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 2, per_side: true}
  - id: lunge-hold
    name: Lunge Hold
    phase: restore
    purpose: Another short hold on each side.
    steps: [Kneel., Hold.]
    cues: [Tall.]
    equipment: []
    targets: [hip flexors]
    dosage: {sets: 2, hold_seconds: 1, per_side: true}
  - id: plain-reps
    name: Plain Reps
    phase: rebuild
    purpose: Reps you count.
    steps: [Do them.]
    cues: [Slow.]
    equipment: []
    targets: [core]
    dosage: {sets: 1, reps: 3}
routines:
  - id: sides
    name: Both Sides
    description: Two per-side holds, then reps.
    items:
      - exercise: side-hold
      - exercise: lunge-hold
      - exercise: plain-reps
  - id: plain
    name: Just Reps
    description: Nothing per side.
    items:
      - exercise: plain-reps
"""
SIDE_HOLD_DONE = 5 + 2 + 5 + 2
"""Get ready, left, switch, right: then the pause before the Lunge Hold (25 s)."""
LUNGE_HOLD_DONE = 25 + 1 + 5 + 1 + 15 + 1 + 5 + 1
"""From there through both sets of the Lunge Hold: then the pause before the reps."""


@pytest.fixture
def sides_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = tmp_path_factory.mktemp("routines")
    (folder / "sides.yaml").write_text(SIDES)
    return load_catalog(routine_files(builtin_routines_dir()), [folder])


@contextlib.asynccontextmanager
async def sides_session(
    catalog: Catalog, folder: Path, routine: str = "sides"
) -> AsyncIterator[tuple[RoutineApp, Pilot[None], FakeClock]]:
    """`hipmob run sides` on a fake clock, past the pain question (skipped)."""
    clock = FakeClock()
    paths = resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})
    app = RoutineApp(catalog, paths, clock=clock, start_routine=routine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        yield app, pilot, clock


def footer(app: RoutineApp) -> str:
    return screen_text(app).splitlines()[-1]


def runner(app: RoutineApp) -> RunnerScreen:
    screen = app.screen
    assert isinstance(screen, RunnerScreen)
    return screen


async def test_the_pause_after_a_per_side_exercise_takes_a_side_note_without_stopping(
    sides_catalog: Catalog, tmp_path: Path
) -> None:
    async with sides_session(sides_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 5.5)
        assert "left side" in screen_text(app)
        await pilot.press("left_square_bracket")  # mid-exercise: no note, nothing else
        await pilot.pause()
        assert "[ Left" not in footer(app) and not runner(app).engine.side_notes
        await wait(pilot, clock, SIDE_HOLD_DONE - 5.5 + 1)
        text = screen_text(app)
        assert "GET READY" in text
        assert "90/90 Side Hold · tighter side? [ left  ] right  \\ even" in text
        assert "[ Left ] Right \\ Even" in footer(app)
        clock_before = runner(app).engine.step_remaining
        await pilot.press("left_square_bracket")
        await wait(pilot, clock, 2)
        text = screen_text(app)
        assert "90/90 Side Hold · left tighter · [ again: no note" in text
        assert "[ Left ✓ ] Right \\ Even" in footer(app)
        engine = runner(app).engine
        assert engine.state is State.RUNNING, "a side note never pauses the session"
        assert engine.step_remaining == pytest.approx(clock_before - 2), "the clock ran on"
        await pilot.press("left_square_bracket")  # the same again: no note
        await pilot.pause()
        assert "tighter side? [ left" in screen_text(app) and engine.side_notes == {}
        await pilot.press("backslash")
        await pilot.pause()
        assert "90/90 Side Hold · even · \\ again: no note" in screen_text(app)
        assert "\\ Even ✓" in footer(app)
        await wait(pilot, clock, 25)  # into the Lunge Hold: the offer is over, the note kept
        assert "tighter side?" not in screen_text(app) and "Even" not in footer(app)
        await wait(pilot, clock, LUNGE_HOLD_DONE - 25)
        assert "Lunge Hold · tighter side?" in screen_text(app)
        await pilot.press("right_square_bracket")
        await wait(pilot, clock, 30)
        await pilot.press("enter", "s")  # the reps done; no pain score after
        await settle(pilot)
    (record,) = Store(app.paths.db).sessions()
    assert [e.side_note for e in record.exercises] == ["even", "right", None]


async def test_pressing_nothing_records_nothing(sides_catalog: Catalog, tmp_path: Path) -> None:
    async with sides_session(sides_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, SIDE_HOLD_DONE + 1)
        assert "tighter side?" in screen_text(app)
        await wait(pilot, clock, LUNGE_HOLD_DONE + 30)
        await pilot.press("enter", "s")
        await settle(pilot)
    (record,) = Store(app.paths.db).sessions()
    assert record.completed and [e.side_note for e in record.exercises] == [None, None, None]


def stored_notes(app: RoutineApp) -> list[str | None]:
    (record,) = Store(app.paths.db).sessions()
    return [e.side_note for e in record.exercises]


async def test_the_summary_lists_the_per_side_exercises_and_changes_their_notes(
    sides_catalog: Catalog, tmp_path: Path
) -> None:
    async with sides_session(sides_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, SIDE_HOLD_DONE + 1)
        await pilot.press("left_square_bracket")
        await wait(pilot, clock, LUNGE_HOLD_DONE + 30)
        await pilot.press("enter", "s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        lines = screen_text(app).splitlines()
        sides = lines.index(next(line for line in lines if "Tighter side" in line))
        assert "[ left  ] right  \\ even" in lines[sides]
        assert lines[sides + 1].split() == ["90/90", "Side", "Hold", "left", "tighter"]
        assert lines[sides + 2].split() == ["Lunge", "Hold", "not", "noted"]
        assert "Plain Reps" not in lines[sides + 3], "only exercises done per side"
        assert stored_notes(app) == ["left", None, None]
        assert "[ Left ✓ ] Right" in footer(app), "the highlighted one's note is ticked"
        await pilot.press("down", "right_square_bracket")
        await settle(pilot)
        assert "Lunge Hold" in screen_text(app) and "right tighter" in screen_text(app)
        assert "] Right ✓" in footer(app)
        assert stored_notes(app) == ["left", "right", None], "saved with the session"
        await pilot.press("up", "left_square_bracket")  # the same again: no note
        await settle(pilot)
        assert stored_notes(app) == [None, "right", None]
        await pilot.press("backslash", "backslash", "backslash")  # even, none, even
        await settle(pilot)
        assert stored_notes(app) == ["even", "right", None]
        text = screen_text(app)
        assert "Session complete" in text and "Saved. Streak 1 day" in text
        await pilot.press("enter")  # Done, even with the list in focus
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_a_note_typed_on_the_summary_takes_the_side_keys_as_text(
    sides_catalog: Catalog, tmp_path: Path
) -> None:
    async with sides_session(sides_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, SIDE_HOLD_DONE + LUNGE_HOLD_DONE + 31)
        await pilot.press("enter", "s")
        await settle(pilot)
        await pilot.press("n", *"[L] tight", "enter")
        await settle(pilot)
        await pilot.press("down", "backslash")  # back in the list once the note is saved
        await settle(pilot)
    (record,) = Store(app.paths.db).sessions()
    assert record.notes == "[L] tight"
    assert [e.side_note for e in record.exercises] == [None, "even", None]


async def test_a_skipped_per_side_exercise_is_not_listed(
    sides_catalog: Catalog, tmp_path: Path
) -> None:
    async with sides_session(sides_catalog, tmp_path) as (app, pilot, clock):
        for _ in range(4):  # the 90/90 Side Hold left at once, before any of it was done
            await pilot.press("n")
        await wait(pilot, clock, LUNGE_HOLD_DONE + 30)
        await pilot.press("enter", "s")
        await settle(pilot)
        (table,) = app.screen.query(SideNotesTable)
        assert table.row_count == 1 and "90/90 Side Hold" not in str(table.get_row_at(0))


async def test_a_summary_without_per_side_exercises_shows_nothing_new(
    sides_catalog: Catalog, tmp_path: Path
) -> None:
    async with sides_session(sides_catalog, tmp_path, "plain") as (app, pilot, clock):
        await wait(pilot, clock, 30)
        await pilot.press("enter", "s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen) and "Session complete" in screen_text(app)
        assert not app.screen.query(SideNotesTable) and "Tighter side" not in screen_text(app)
        assert "Left" not in footer(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
    assert stored_notes(app) == [None]


def noted_session(day: date) -> SessionRecord:
    """A session of `sides` with its two per-side exercises noted, left and even."""
    start = datetime(day.year, day.month, day.day, 8).astimezone()
    return SessionRecord(
        id="s-noted",
        routine_id="sides",
        routine_name="Both Sides",
        started_at=start,
        ended_at=start + timedelta(minutes=3),
        status="completed",
        planned_seconds=180,
        active_seconds=170,
        exercises=(
            ExerciseDone("side-hold", "90/90 Side Hold", "restore", 1, 1, 4, "left"),
            ExerciseDone("lunge-hold", "Lunge Hold", "restore", 2, 2, 4, "even"),
            ExerciseDone("plain-reps", "Plain Reps", "rebuild", 1, 1, 15),
        ),
    )


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_history_shows_each_exercise_s_side_note(
    sides_catalog: Catalog, tmp_path: Path, size: tuple[int, int]
) -> None:
    today = date(2026, 11, 24)
    paths = resolve(db=str(tmp_path / "hipmob.json"), environ={"HOME": str(tmp_path)})
    Store(paths.db).add(noted_session(today))
    app = HipmobApp(sides_catalog, paths, today=lambda: today)
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await settle(pilot)
        if size == (60, 20):
            await pilot.press("enter")  # narrow: the detail opens in a window
            await pilot.pause()
        (detail,) = [
            str(static.content)
            for static in app.screen.query(Static)
            if "Exercises" in str(static.content)
        ]
        assert "▍90/90 Side Hold  1/1 sets · left tighter\n" in detail
        assert "▍Lunge Hold  2/2 sets · even\n" in detail
        assert "▍Plain Reps  1/1 sets\n" in detail
        assert "left" in screen_text(app) and "tighter" in screen_text(app)


async def test_progress_shows_the_side_summary_only_with_a_note(
    sides_catalog: Catalog, tmp_path: Path
) -> None:
    today = date(2026, 11, 24)
    paths = resolve(db=str(tmp_path / "hipmob.json"), environ={"HOME": str(tmp_path)})
    unnoted = noted_session(today - timedelta(days=1))
    unnoted = unnoted.with_side_note(0, None).with_side_note(1, None).with_changes(id="s-plain")
    Store(paths.db).add(unnoted)
    app = HipmobApp(sides_catalog, paths, today=lambda: today)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await settle(pilot)
        assert "What helps" in screen_text(app) and "Tighter side" not in screen_text(app)
        Store(paths.db).add(noted_session(today))
        await pilot.press("l", "g")  # back to Progress: read again, the file changed
        await settle(pilot)
        text = screen_text(app)
        assert "Tighter side · each exercise's last 10 noted sessions" in text
        assert "90/90 Side Hold: left tighter in the only session noted" in text
        assert "Lunge Hold: even in the only session noted" in text
