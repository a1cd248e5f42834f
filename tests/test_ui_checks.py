"""Self-checks in the app: asked before a routine's first exercise and before its summary,
every field optional, never holding up the clock; and recorded on their own from the Library."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipmob_tui.content.loading import Catalog, load_catalog
from hipmob_tui.history.store import Store
from hipmob_tui.paths import builtin_routines_dir, routine_files
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.ui import text
from hipmob_tui.ui.dialogs.check_form import CheckPickerScreen, CheckScreen
from hipmob_tui.ui.screens.runner import RunnerScreen
from hipmob_tui.ui.screens.summary import SummaryScreen
from tests.conftest import QUICK_ROUTINES
from tests.test_ui_session import SIZE, quick_app, settle, wait
from tests.uitools import notices, screen_text

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

CHECKED = """\
routines:
  - id: quick-checked
    name: Quick Checked
    checks_before: [ir-ease-90-90]
    checks_after: [ir-ease-90-90, movement-pain]
    items:
      - exercise: quick-hold
      - exercise: quick-reps
"""


@pytest.fixture
def checked_catalog(tmp_path: Path) -> Catalog:
    """The quick routine's exercises in a routine that checks before and after."""
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "checked.yaml").write_text(CHECKED)
    return load_catalog(routine_files(builtin_routines_dir()), [QUICK_ROUTINES, folder])


async def test_checks_before_and_after_a_session_are_saved_with_it_and_summed_up(
    checked_catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = quick_app(checked_catalog, tmp_path, clock, start_routine="quick-checked")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("6")  # pain before
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        shown = screen_text(app)
        assert "Before the session: 90/90 Internal Rotation Ease" in shown
        assert "1. Sit on the floor in the 90/90 position" in shown
        assert "0–10 ease, higher is better, each side" in shown
        assert app.session_run is None, "the session and its clock wait for the check"
        await pilot.press("4", "enter")  # left, then enter moves to the right side
        assert isinstance(app.screen, CheckScreen)
        await pilot.press("5", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        run = app.session_run
        assert run is not None and run.engine.active_seconds == 0
        assert "Saved 90/90 Internal Rotation Ease: left 4, right 5." in notices(app)
        await wait(pilot, clock, 200)
        await pilot.press("enter")  # the reps are done: the session is over
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        assert "After the session: 90/90 Internal Rotation Ease" in screen_text(app)
        await pilot.press("6", "enter", "7", "enter")
        await pilot.pause()
        assert "After the session: Pain on an Everyday Movement" in screen_text(app)
        await pilot.press("enter")  # left blank: skipped
        await pilot.pause()
        assert "Pain now, after the session?" in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        shown = screen_text(app)
        assert "Check      90/90 Internal Rotation Ease" in shown
        assert "           left 4 → 6 (+2) · right 5 → 7 (+2)" in shown
        assert "Saved. Streak 1 day" in shown
    (record,) = Store(app.paths.db).sessions()
    results = Store(app.paths.db).check_results()
    assert sorted((r.when, r.side, r.value) for r in results) == [
        ("after", "left", 6),
        ("after", "right", 7),
        ("before", "left", 4),
        ("before", "right", 5),
    ]
    assert {r.session_id for r in results} == {record.id}
    assert {r.check_id for r in results} == {"ir-ease-90-90"}


async def test_escape_or_enter_on_blank_skips_a_check_and_saves_nothing(
    checked_catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = quick_app(checked_catalog, tmp_path, clock, start_routine="quick-checked")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "escape")  # no pain score; the check skipped
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen), "escape skips the check, not the session"
        await wait(pilot, clock, 200)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # blank left: saves nothing for this check
        await pilot.pause()
        await pilot.press("escape")  # the pain-on-movement check skipped
        await pilot.pause()
        assert "Pain now, after the session?" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "Check " not in screen_text(app)
    assert len(Store(app.paths.db).sessions()) == 1
    assert Store(app.paths.db).check_results() == []


async def test_a_value_off_the_scale_is_said_and_the_form_stays(
    checked_catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = quick_app(checked_catalog, tmp_path, clock, start_routine="quick-checked")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "1", "2", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        said = " ".join(screen_text(app).replace("│", " ").split())
        assert "⚠ Left: 90/90 Internal Rotation Ease is scored from 0 to 10 (ease); 12 is" in said
        await pilot.press("8", "enter", "enter")  # the wrong value was selected: replaced
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
    (saved,) = Store(app.paths.db).check_results()
    assert (saved.side, saved.value, saved.when) == ("left", 8, "before")


async def test_a_check_on_its_own_from_the_library(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckPickerScreen)
        shown = screen_text(app)
        assert "Record a self-check" in shown and "Seated Forward Reach" in shown
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        assert "Check: Seated Forward Reach" in screen_text(app)
        await pilot.press(*"12.5", "enter")
        await settle(pilot)
        assert "Saved Seated Forward Reach: 12.5." in notices(app)
        await pilot.press("c", "escape")  # the picker closes: nothing recorded
        await pilot.pause()
        assert not isinstance(app.screen, CheckPickerScreen | CheckScreen)
    (saved,) = Store(app.paths.db).check_results()
    assert (saved.check_id, saved.value, saved.side, saved.session_id, saved.when) == (
        "seated-reach",
        12.5,
        None,
        None,
        None,
    )


def test_the_library_names_a_routines_checks(builtin_catalog: Catalog) -> None:
    full = builtin_catalog.routines["full-session"]
    shown = text.routine_detail(full, builtin_catalog).plain
    assert shown.endswith(
        "\nCheck before: 90/90 Internal Rotation Ease\nCheck after: 90/90 Internal Rotation Ease"
    )


async def test_progress_shows_each_checks_trend_and_its_change_in_sessions(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    from datetime import date, timedelta

    from tests.test_check_progress import sessions_checked

    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    days = [date.today() - timedelta(days=n) for n in (0, 1, 2)]
    Store(app.paths.db).add_check_results(sessions_checked(days, [(4, 6), (5, 8), (5, 6)]))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("g")
        await settle(pilot)
        shown = screen_text(app)
        assert "Self-checks · each week's median · change within sessions" in shown
        rows = [line.split() for line in shown.splitlines() if " ease " in line]
        assert [row[-6:-3] + row[-2:] for row in rows] == [
            ["left", "6", "ease", "+2", "3"],
            ["right", "6", "ease", "+2", "3"],
        ]
        trends = [row[-3] for row in rows]  # twelve weeks, the last ones checked (by weekday)
        assert all(len(t) == 12 and t[0] == "·" and t[-1] != "·" for t in trends)
        assert "90/90 Internal Rotation Ease: +2 after the session, median of 3" in shown


async def test_both_sides_typed_in_one_burst_land_on_their_sides(
    checked_catalog: Catalog, tmp_path: Path
) -> None:
    """Over a slow link "4", Enter, "5", Enter can arrive at once: the 5 is the right side."""
    app = quick_app(checked_catalog, tmp_path, FakeClock(), start_routine="quick-checked")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        for key in ("4", "enter", "5", "enter"):
            app.simulate_key(key)  # queued together, as a burst arrives
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
    assert sorted((r.side, r.value) for r in Store(app.paths.db).check_results()) == [
        ("left", 4),
        ("right", 5),
    ]


async def test_a_session_ended_early_asks_no_check_after(
    checked_catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = quick_app(checked_catalog, tmp_path, clock, start_routine="quick-checked")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("6", "4", "enter", "5", "enter")  # pain before, the check before
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
        await wait(pilot, clock, 8)  # a few seconds into the first exercise, then ended
        await pilot.press("q", "y")
        await pilot.pause()
        assert not isinstance(app.screen, CheckScreen)
        assert "Pain now, after the session?" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
    results = Store(app.paths.db).check_results()
    assert [r.when for r in results] == ["before", "before"], "no after to compare with"


async def test_a_correction_typed_in_one_burst_saves_what_was_meant(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Keys that arrive at once (a paste, a key macro, a slow link) keep their order: "12",
    two backspaces, "2.5" is 2.5, not the 122 a stock Input made of it."""
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        for key in ("1", "2", "backspace", "backspace", "2", ".", "5", "enter"):
            app.simulate_key(key)  # queued together, as a burst arrives
        await settle(pilot)
        assert "Saved Seated Forward Reach: 2.5." in notices(app)
    (saved,) = Store(app.paths.db).check_results()
    assert saved.value == 2.5


async def test_a_routine_asked_for_while_a_question_is_open_waits_for_its_answer(
    checked_catalog: Catalog, tmp_path: Path
) -> None:
    """A second start (a key queued behind the first, a tap) at the pain question or at a
    check before the session stacks no second question: the one open is answered first."""
    clock = FakeClock()
    app = quick_app(checked_catalog, tmp_path, clock, start_routine="quick-checked")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        routine = checked_catalog.routines["quick-checked"]
        stack = [type(screen) for screen in app.screen_stack]
        app.begin(routine)
        await pilot.pause()
        assert [type(screen) for screen in app.screen_stack] == stack
        await pilot.press("6")  # pain before
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        app.begin(routine)
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        assert [type(screen) for screen in app.screen_stack] == [*stack[:-1], CheckScreen]
        assert app.session_run is None
