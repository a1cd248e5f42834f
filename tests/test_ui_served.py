"""The app as `hipmob serve` runs it (served=True), under Pilot on a fake clock.

Served, blur means the page has gone (the server sends no other) and focus that a page is
back; the app's end is a hang-up's. In a terminal, neither blur nor focus touches a session.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Footer

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.store import Store
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import State
from hipmob_tui.session.journal import journal_path
from hipmob_tui.ui.app import HipmobApp, RoutineApp
from tests.test_ui_session import SIZE, paths_in, settle, wait
from tests.uitools import notices, screen_text

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test


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


@pytest.mark.parametrize(("served", "size"), [(True, (39, 15)), (False, (59, 20))])
async def test_a_session_started_too_small_to_be_seen_waits(
    quick_catalog: Catalog, tmp_path: Path, served: bool, size: tuple[int, int]
) -> None:
    """Just below the runner's minimum (the floor clock's when served): the session does
    not run unseen under the notice; it waits, and the notice says so."""
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=served)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await settle(pilot)
        await wait(pilot, clock, 30)
        run = app.active_run
        assert run is not None and run.engine.state is State.PAUSED
        assert run.engine.active_seconds == 0
        assert "The session is paused" in screen_text(app)
        said = "it needs 40 × 15 letters" if served else "Make it at least 60 × 20."
        assert said in " ".join(screen_text(app).split())


# -- the floor clock ---------------------------------------------------------------------------


def floor_shown(app: RoutineApp) -> bool:
    return app.screen.query_one("#floor").display and not app.screen.query_one("#runner").display


@pytest.mark.parametrize("served", [True, False])
async def test_the_floor_clock_is_the_served_default_and_f_switches(
    quick_catalog: Catalog, tmp_path: Path, served: bool
) -> None:
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=served)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait(pilot, clock, 6)
        assert floor_shown(app) is served
        assert ("f Big clock" in screen_text(app)) is not served
        await pilot.press("f")
        await pilot.pause()
        assert floor_shown(app) is not served
        assert ("f Details" in screen_text(app)) is not served
        await pilot.press("f")
        await pilot.pause()
        assert floor_shown(app) is served


async def test_the_floor_clock_runs_where_the_details_do_not_fit(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """50 × 18 (below the runner's 60 × 20): the floor clock shows and counts; the details,
    asked for, do not fit, so the notice comes and the session waits."""
    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=True)
    async with app.run_test(size=(50, 18)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        await wait(pilot, clock, 6)
        run = app.active_run
        assert run is not None and run.engine.state is State.RUNNING
        assert "too small" not in screen_text(app).lower()
        await pilot.press("f")
        await settle(pilot)
        assert run.engine.state is State.PAUSED
        assert "it needs 60 × 20 letters" in " ".join(screen_text(app).split())
        await pilot.press("f", "space")  # back to the floor clock, where space goes on
        await settle(pilot)
        assert run.engine.state is State.RUNNING


async def test_on_a_tablet_the_figures_take_over_half_the_height(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """142 × 38: what a 1280 × 800 tablet shows at the page's font. Minutes and seconds
    ("0:13") in over half the rows, every figure inside the screen."""
    from hipmob_tui.ui.widgets.big_text import Figure

    clock = FakeClock()
    app = RoutineApp(
        builtin_catalog,
        paths_in(tmp_path),
        clock=clock,
        start_routine="evening-wind-down",
        served=True,
    )
    async with app.run_test(size=(142, 38)) as pilot:
        await pilot.press("s", "n", "n", "n", "n")
        await wait(pilot, clock, 12.4)
        await settle(pilot)
        figures = list(app.screen.query(Figure))
        assert "".join(figure.char for figure in figures) == "0:13"
        rows_drawn = {
            y
            for y, line in enumerate(screen_text(app).splitlines())
            if any(char in "█▀▄" for char in line)
        }
        label_rows = app.screen.query_one("#floor-label").region.height
        assert len(rows_drawn) - label_rows >= 38 / 2
        assert all(app.screen.region.contains_region(figure.region) for figure in figures)


async def test_each_second_only_the_figures_that_change_are_drawn(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Bytes are the cost of a far screen too: a second redraws the last figure, not the
    row of them (the whole row was 2-3 times the bytes)."""
    from hipmob_tui.ui.widgets.big_text import Figure

    drawn: list[str] = []
    original = Figure.render

    def counting(figure: Figure) -> object:
        drawn.append(figure.char)
        return original(figure)

    clock = FakeClock()
    app = served_app(quick_catalog, tmp_path, clock, served=True)
    async with app.run_test(size=SIZE) as pilot:
        Figure.render = counting  # type: ignore[method-assign]
        try:
            await pilot.press("s")
            await wait(pilot, clock, 1.2)  # 0:04 on the get ready
            await settle(pilot)
            drawn.clear()
            await wait(pilot, clock, 1)  # 0:03
            await settle(pilot)
        finally:
            Figure.render = original  # type: ignore[method-assign]
    assert drawn == ["3"]


@pytest.mark.parametrize("served", [True, False])
async def test_served_the_on_screen_keyboard_is_let_up_only_while_typing(
    quick_catalog: Catalog, tmp_path: Path, served: bool
) -> None:
    """A tap on the page would bring up a tablet's keyboard over the session: the page is
    told when a text field has the focus (the filter here), and when none has."""
    app = HipmobApp(quick_catalog, paths_in(tmp_path), clock=FakeClock(), served=served)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert list(app.cues) == []  # the list has the focus: the page keeps it away
        await pilot.press("slash")
        await pilot.pause()
        assert list(app.cues) == (["keyboard-on"] if served else [])
        await pilot.press(*"hip", "enter")  # the filter is done: back to the list
        await pilot.pause()
        assert list(app.cues) == (["keyboard-on", "keyboard-off"] if served else [])


@pytest.mark.parametrize("served", [True, False])
async def test_too_small_says_what_helps_there(
    quick_catalog: Catalog, tmp_path: Path, served: bool
) -> None:
    """A page has no window to drag bigger: served, the notice names the phone's side and
    ?fontsize=12; in a terminal, the size to make it."""
    app = HipmobApp(quick_catalog, paths_in(tmp_path), clock=FakeClock(), served=served)
    async with app.run_test(size=(43, 40)) as pilot:  # a phone held upright
        await pilot.pause()
        shown = " ".join(screen_text(app).split())  # the notice wraps at 43 columns
        if served:
            assert "Too small for this page: it needs 60 × 20 letters." in shown
            assert "Turn the phone on its side, or add ?fontsize=12 to the address." in shown
        else:
            assert "Terminal too small." in shown and "Make it at least 60 × 20." in shown


async def test_on_a_phone_on_its_side_a_checks_keys_show(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """93 × 18, a phone held sideways at the page's font: the areas show their notice, but
    the questions around a floor-clock session still show, and with them the keys a finger
    taps to save or skip (hidden, a check could be saved only from a keyboard)."""
    app = HipmobApp(builtin_catalog, paths_in(tmp_path), clock=FakeClock(), served=True)
    async with app.run_test(size=(93, 18)) as pilot:
        await pilot.press("c", "down", "down", "enter")
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert footer.display and footer.region.bottom == 18
        assert "ctrl+s Save" in screen_text(app)
