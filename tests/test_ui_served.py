"""The app as `hipmob serve` runs it (served=True), under Pilot on a fake clock.

Served, blur means the page has gone (the server sends no other) and focus that a page is
back; the app's end is a hang-up's. In a terminal, neither blur nor focus touches a session.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.store import Store
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import State
from hipmob_tui.session.journal import journal_path
from hipmob_tui.ui.app import RoutineApp
from tests.test_ui_session import SIZE, paths_in, settle, wait
from tests.uitools import notices


def served_app(catalog: Catalog, folder: Path, clock: FakeClock, *, served: bool) -> RoutineApp:
    return RoutineApp(catalog, paths_in(folder), clock=clock, start_routine="quick", served=served)


@pytest.mark.parametrize("served", [True, False])
async def test_served_a_dropped_page_pauses_the_session(
    quick_catalog: Catalog, tmp_path: Path, served: bool
) -> None:
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=served)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait(pilot, clock, 6)
        run = app.active_run
        assert run is not None and run.engine.state is State.RUNNING
        app.post_message(events.AppBlur())
        await pilot.pause()
        await wait(pilot, clock, 30)  # the page stays away half a minute
        assert run.engine.state is (State.PAUSED if served else State.RUNNING)
        app.post_message(events.AppFocus())
        await pilot.pause()
        said = "Paused while the page was away. Press space to go on."
        assert (said in notices(app)) is served
        if served:
            await pilot.press("space")
            assert run.engine.state is State.RUNNING


async def test_served_the_apps_end_keeps_the_session_as_a_hang_up_does(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """The server ends the app (the page stayed away, or the server stops): the session so
    far is saved as partial, once, and its journal kept for the next start to offer."""
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait(pilot, clock, 7)
        await settle(pilot)
        app.exit()
    (record,) = Store(app.paths.db).sessions()
    assert record.status == "partial" and record.active_seconds >= 7
    assert journal_path(app.paths.db).exists()


async def test_in_a_terminal_the_apps_end_saves_nothing_by_itself(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Unchanged for the terminal: only a y to "quit?" (or a signal) saves on the way out."""
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait(pilot, clock, 7)
        app.exit()
    assert Store(app.paths.db).sessions() == []


@pytest.mark.parametrize(
    ("settings", "beeps"),
    [
        # As the terminal's bell rings (test_ui_session): a step beep at each new step, the
        # short one at 3-2-1 before the rest, the only step long enough for it.
        (
            "{}",
            [
                (1005, "beep-step"),
                (1008, "beep-step"),
                (1013, "beep-step"),
                (1016, "beep-step"),
                (1028, "beep-countdown"),
                (1029, "beep-countdown"),
                (1030, "beep-countdown"),
                (1031, "beep-step"),
            ],
        ),
        ('{"bell": false}', []),
    ],
)
async def test_served_the_bell_is_a_beep_in_the_page_and_the_screen_stays_on(
    quick_catalog: Catalog, tmp_path: Path, settings: str, beeps: list[tuple[float, str]]
) -> None:
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=True)
    app.paths.settings.parent.mkdir(parents=True, exist_ok=True)
    app.paths.settings.write_text(settings)
    rung: list[float] = []
    app.bell = lambda: rung.append(clock.now)  # type: ignore[method-assign]
    heard: list[tuple[float, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert list(app.cues) == ["awake-on"]  # the runner is up: keep the screen on
        for _ in range(32):
            await wait(pilot, clock, 1)
            while len(app.cues) > 1:
                heard.append((clock.now, app.cues.pop()))
        assert heard == beeps
        assert rung == []  # no terminal bell: nothing would hear it
        await pilot.press("q", "y")
        await settle(pilot)
        assert app.cues[-1] == "awake-off"  # on to the summary: the screen may sleep


async def test_in_a_terminal_nothing_is_cued(quick_catalog: Catalog, tmp_path: Path) -> None:
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        for _ in range(10):
            await wait(pilot, clock, 1)
    assert list(app.cues) == []
