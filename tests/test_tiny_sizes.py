"""Every terminal size from 1×1 to 40×12, in process under Pilot: no crash, the too-small
notice as far as it fits, and the session clock untouched by resizing.

A real terminal (tmux) samples these sizes in test_e2e_tmux; here every one of the 480 is
drawn, on the runner during a hold and in the Library, and a sample on the other screens.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.events import Resize
from textual.geometry import Size
from textual.pilot import Pilot

from hipmob_tui.content.loading import load_catalog
from hipmob_tui.history.store import Store
from hipmob_tui.paths import builtin_routines_dir, routine_files
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import whole_seconds
from hipmob_tui.ui.app import HipmobApp, RoutineApp
from tests.screen_read import big_clock, notice_problem, seconds_of
from tests.test_ui_session import paths_in
from tests.uitools import wait

EVERY_SIZE = [(w, h) for w in range(1, 41) for h in range(1, 13)]
SAMPLE = [(w, h) for w in (1, 2, 3, 5, 8, 13, 19, 25, 33, 40) for h in (1, 2, 3, 5, 8, 12)]
STEP = 0.1
"""Seconds the session clock moves between two sizes."""

HOLD = """\
exercises:
  - id: sweep-hold
    name: Sweep Hold
    phase: restore
    purpose: A hold that outlasts every size.
    steps: [Hold still and breathe slowly while the window changes size all around you.]
    cues: [Breathe out slowly.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 120, per_side: false}
    source: added
routines:
  - id: sweep
    name: Sweep
    description: One long hold.
    pauses: {get_ready: 1}
    items:
      - exercise: sweep-hold
"""


async def show(pilot: Pilot[None], width: int, height: int) -> str:
    """The screen as drawn at width × height.

    pilot.resize_terminal waits for the CPU to idle after each resize: 480 sizes take a
    minute that way. Waiting for the screen's messages is enough when the frame comes back
    at the new size; otherwise (rarely) the full wait follows.
    """
    app = pilot.app
    size = Size(width, height)
    app._driver._size = size  # type: ignore[union-attr]  # what resize_terminal does
    app.post_message(Resize(size, size))
    await asyncio.sleep(0.01)  # Textual applies a resize after 1/120 s, to merge bursts
    for _ in range(3):
        await pilot._wait_for_screen()
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    if len(lines) != height or any(len(line) != width for line in lines):
        await pilot.pause()
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
    assert len(lines) == height and all(len(line) == width for line in lines), lines
    return "\n".join(lines)


async def sweep(
    pilot: Pilot[None], sizes: list[tuple[int, int]], where: str, notice: bool = True
) -> None:
    """Draw every size; with `notice`, check the too-small notice (a dialog has none: it
    stays usable, scrolling, at any size)."""
    for width, height in sizes:
        shown = await show(pilot, width, height)
        problem = notice_problem(shown, width, height) if notice else None
        assert problem is None, f"{where}: {problem}"


@pytest.mark.slow
@pytest.mark.parametrize("columns", [range(1, 21), range(21, 41)], ids=["1-20", "21-40"])
async def test_every_tiny_size_during_a_hold(tmp_path: Path, columns: range) -> None:
    (tmp_path / "sweep.yaml").write_text(HOLD)
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    clock = FakeClock()
    app = RoutineApp(catalog, paths_in(tmp_path), clock=clock, start_routine="sweep")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")  # no pain score
        await wait(pilot, clock, 1.5)  # through the get-ready, into the hold
        run = app.active_run
        assert run is not None and run.engine.step.is_work
        sizes = [(w, h) for w, h in EVERY_SIZE if w in columns]
        for width, height in sizes:
            clock.tick(STEP)
            problem = notice_problem(await show(pilot, width, height), width, height)
            assert problem is None, problem
        # The first tiny size paused the hold: only the step before it counted.
        left = 120 - 0.5 - STEP
        assert run.engine.paused and run.engine.step_remaining == pytest.approx(left)
        await pilot.resize_terminal(100, 30)
        await pilot.press("space")
        await wait(pilot, clock, 0)  # a tick of the runner
        shown = await show(pilot, 100, 30)
        assert "WORK" in shown and "Sweep Hold" in shown
        clock_text = big_clock(shown)
        assert clock_text is not None and seconds_of(clock_text) == whole_seconds(left), shown
        # The how-to is wrapped again for the new width, with its hanging indent.
        assert "1. Hold still and breathe slowly while the window changes size all" in shown
        narrow = (await show(pilot, 60, 20)).splitlines()
        step = next(i for i, line in enumerate(narrow) if "1. Hold still" in line)
        indent = narrow[step].index("Hold")
        assert narrow[step + 1][:indent].isspace() and narrow[step + 1][indent] != " ", narrow


@pytest.mark.slow
async def test_every_tiny_size_in_the_library(tmp_path: Path) -> None:
    app = HipmobApp(load_catalog(routine_files(builtin_routines_dir()), []), paths_in(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await sweep(pilot, EVERY_SIZE, "Library")
        shown = await show(pilot, 60, 20)
        assert "RESET" in shown and "too small" not in shown


@pytest.mark.slow
async def test_a_sample_of_tiny_sizes_on_every_other_screen(tmp_path: Path) -> None:
    """The routine picker, History empty and with a session (its calendar and pain chart
    size themselves), the help, and a session's summary."""
    paths = paths_in(tmp_path)
    (tmp_path / "sweep.yaml").write_text(HOLD)
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    app = HipmobApp(catalog, paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await sweep(pilot, SAMPLE, "the picker")
        await show(pilot, 100, 30)
        await pilot.press("h")
        await sweep(pilot, SAMPLE, "History, empty")
        await show(pilot, 100, 30)
        await pilot.press("question_mark")
        await sweep(pilot, SAMPLE, "help", notice=False)
        assert "Keys" in await show(pilot, 60, 20)
    store = Store(paths.db)
    assert store.sessions() == []
    from hipmob_tui.cli.main import main

    assert main(["--db", str(paths.db), "log", "desk-reset", "--pain-before", "6"]) == 0
    again = HipmobApp(catalog, paths)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert "Desk Reset" in await show(pilot, 100, 30)
        await sweep(pilot, SAMPLE, "History with a session")
    clock = FakeClock()
    third = RoutineApp(catalog, paths, clock=clock, start_routine="sweep")
    async with third.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await wait(pilot, clock, 5)
        await pilot.press("q", "y")  # end early: saved as partial
        await pilot.pause()
        await pilot.press("s")  # no pain score after
        assert "Saved as a partial session" in await show(pilot, 100, 30)
        await sweep(pilot, SAMPLE, "the summary")
