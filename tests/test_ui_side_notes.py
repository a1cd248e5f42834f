"""Side notes under Pilot: the runner's keys in the pause after a per-side exercise, and
the summary's list of them; on a fake clock, with holds of a second or two."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from hipmob_tui.content.loading import Catalog, load_catalog
from hipmob_tui.history.store import Store
from hipmob_tui.paths import builtin_routines_dir, resolve, routine_files
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import State
from hipmob_tui.ui.app import RoutineApp
from hipmob_tui.ui.screens.runner import RunnerScreen
from tests.uitools import screen_text

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
    catalog: Catalog, folder: Path
) -> AsyncIterator[tuple[RoutineApp, Pilot[None], FakeClock]]:
    """`hipmob run sides` on a fake clock, past the pain question (skipped)."""
    clock = FakeClock()
    paths = resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})
    app = RoutineApp(catalog, paths, clock=clock, start_routine="sides")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        yield app, pilot, clock


async def wait(pilot: Pilot[None], clock: FakeClock, seconds: float) -> None:
    """Let `seconds` pass on the session clock and show the runner as it is then."""
    clock.tick(seconds)
    for screen in pilot.app.screen_stack:
        if isinstance(screen, RunnerScreen):
            screen.tick()
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


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
