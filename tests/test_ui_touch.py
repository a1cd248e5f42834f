"""Touch, under Pilot: what a tap (a click) does where a tablet on the floor needs one.

A score is a tap of its button, never the on-screen keyboard; a tap on a routine shows
it, and only a second tap starts it. The keys keep working as they did.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, Static

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.store import Store
from hipmob_tui.paths import resolve
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.dialogs.check_form import CheckScreen
from hipmob_tui.ui.dialogs.questions import PainScreen
from hipmob_tui.ui.dialogs.session_forms import EditSessionScreen, LogSessionScreen
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.screens.picker import PickerScreen
from hipmob_tui.ui.screens.runner import RunnerScreen
from hipmob_tui.ui.widgets.score_buttons import ScoreButtons
from hipmob_tui.ui.widgets.sessions_table import SessionsTable
from tests.test_ui_session import SIZE, quick_app, settle, wait
from tests.uitools import screen_text

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

TODAY = date(2026, 11, 24)
SCORE_ROW = re.compile(r"\b0 +1 +2 +3 +4 +5 +6 +7 +8 +9 +10\b")


async def tap_score(pilot: Pilot[None], row_id: str, score: int) -> bool:
    """A click on one score's cell of a row of score buttons."""
    row = pilot.app.screen.query_one(row_id, ScoreButtons)
    return await pilot.click(row_id, offset=row.offset_of(score))


async def test_a_click_in_a_gap_gives_no_score(quick_catalog: Catalog, tmp_path: Path) -> None:
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.screen.query_one("#pain-buttons", ScoreButtons)
        gap = row.offset_of(1).x
        while row.score_at(gap) == 1:
            gap -= 1  # the column left of 1's cell: between 0 and 1
        assert row.score_at(gap) is None and row.score_at(gap - 1) == 0
        await pilot.click("#pain-buttons", offset=(gap, 0))
        await pilot.pause()
        assert isinstance(app.screen, PainScreen)  # nothing given: still asking


async def test_pain_before_and_after_are_a_tap_each(quick_catalog: Catalog, tmp_path: Path) -> None:
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PainScreen)
        assert "Tap a score or press 0–9, t for 10" in screen_text(app)
        assert await tap_score(pilot, "#pain-buttons", 7)
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert app.active_run is not None and app.active_run.pain_before == 7
        await wait(pilot, clock, 200)
        await pilot.press("enter")  # the reps are done: the pain question after
        await pilot.pause()
        assert "Pain now, after the session?" in screen_text(app)
        assert await tap_score(pilot, "#pain-buttons", 10)
        await settle(pilot)
        assert "7→10" in screen_text(app)
    (record,) = Store(app.paths.db).sessions()
    assert (record.pain_before, record.pain_after) == (7, 10)


@pytest.mark.parametrize("twice", ["keys", "taps"])
async def test_a_score_given_twice_at_once_counts_once(
    quick_catalog: Catalog, tmp_path: Path, twice: str
) -> None:
    """A double tap, or "4 4" in one burst: the second finds the question gone and does
    nothing (it closed the screen beneath: the session's start, the summary, or the last
    screen, a crash)."""
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")

    async def score_twice(score: int) -> None:
        if twice == "keys":
            for _ in range(2):
                app.simulate_key(str(score))  # queued together, as a burst arrives
        else:
            row = app.screen.query_one("#pain-buttons", ScoreButtons)
            for _ in range(2):
                row.post_message(ScoreButtons.Picked(row, score))
        await settle(pilot)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await score_twice(4)
        assert isinstance(app.screen, RunnerScreen)
        assert app.active_run is not None and app.active_run.pain_before == 4
        await wait(pilot, clock, 200)
        await pilot.press("enter")  # the reps are done: the pain question after
        await pilot.pause()
        await score_twice(3)
        assert "4→3" in screen_text(app)  # still on the summary
    (record,) = Store(app.paths.db).sessions()
    assert (record.pain_before, record.pain_after) == (4, 3)


async def test_the_score_buttons_never_take_the_keys(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Enter still skips and a number key still scores, with the buttons there (none of
    them holds the focus, so Enter is never the press of a score)."""
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(app.focused, ScoreButtons)
        await pilot.press("enter")
        await pilot.pause()
        assert app.active_run is not None and app.active_run.pain_before is None
        await wait(pilot, clock, 200)
        await pilot.press("enter", "3")
        await settle(pilot)
    (record,) = Store(app.paths.db).sessions()
    assert (record.pain_before, record.pain_after) == (None, 3)


def footer_key(app: App[None], key: str) -> Widget:
    """The footer's key `key`, to tap."""
    return next(
        shown for shown in app.screen.query("FooterKey") if getattr(shown, "key", "") == key
    )


async def test_a_sessions_pain_is_edited_by_taps(builtin_catalog: Catalog, tmp_path: Path) -> None:
    """History's edit dialog: a tap under each field fills it, the footer's Save saves."""
    paths = resolve(db=str(tmp_path / "data" / "hipmob.json"), environ={"HOME": str(tmp_path)})
    Store(paths.db).merge(demo_sessions(builtin_catalog, TODAY, 20))
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        chosen = app.screen.query_one(SessionsTable).current
        assert chosen is not None
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditSessionScreen)
        assert await tap_score(pilot, "#pain-before-buttons", 4)
        assert await tap_score(pilot, "#pain-after-buttons", 0)
        await pilot.pause()
        assert app.screen.query_one("#pain-before", Input).value == "4"
        assert await pilot.click(footer_key(app, "ctrl+s"))
        await settle(pilot)
        assert not isinstance(app.screen, EditSessionScreen)
    stored = {r.id: r for r in Store(paths.db).sessions()}[chosen.id]
    assert (stored.pain_before, stored.pain_after) == (4, 0)
    assert stored.notes == chosen.notes


async def test_a_hand_logged_session_takes_its_pain_by_taps(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = resolve(db=str(tmp_path / "data" / "hipmob.json"), environ={"HOME": str(tmp_path)})
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, LogSessionScreen)
        assert await tap_score(pilot, "#pain-before-buttons", 8)
        assert await tap_score(pilot, "#pain-after-buttons", 5)
        await pilot.press("ctrl+s")
        await settle(pilot)
    (record,) = Store(paths.db).sessions()
    assert (record.pain_before, record.pain_after) == (8, 5) and record.date == TODAY


async def test_a_checks_sides_are_scored_by_taps_and_a_long_scale_is_typed(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """90/90 ease (0-10, each side): a row of scores under each side. Seated reach (0-80 cm)
    has none: a row of 81 would not fit; it is typed."""
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "enter")  # the first check: 90/90 internal rotation ease
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen) and app.screen.check.id == "ir-ease-90-90"
        assert await tap_score(pilot, "#check-left-buttons", 3)
        assert await tap_score(pilot, "#check-right-buttons", 6)
        assert await pilot.click(footer_key(app, "ctrl+s"))
        await settle(pilot)
        await pilot.press("c", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen) and app.screen.check.id == "seated-reach"
        assert not app.screen.query(ScoreButtons)
    saved = {(r.check_id, r.side): r.value for r in Store(app.paths.db).check_results()}
    assert saved == {("ir-ease-90-90", "left"): 3, ("ir-ease-90-90", "right"): 6}


async def tap_text(pilot: Pilot[None], list_id: str, shown: str) -> None:
    """A tap (a click) on `shown` where the list `list_id` shows it."""
    region = pilot.app.screen.query_one(list_id).region
    lines = screen_text(pilot.app).splitlines()
    row = next(
        y for y in range(region.y, region.bottom) if shown in lines[y][region.x : region.right]
    )
    x = lines[row].index(shown, region.x)
    assert await pilot.click(offset=(x + 1, row))
    await pilot.pause()


def highlighted(app: App[None], list_id: str) -> str | None:
    options = app.screen.query_one(list_id, OptionList)
    index = options.highlighted
    return None if index is None else options.get_option_at_index(index).id


async def test_in_the_library_a_tap_shows_and_a_second_tap_starts(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Exercises, then routines: the first tap highlights an entry and shows its detail,
    nothing starts; a second tap on it asks the pain question of that one."""
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await tap_text(pilot, "#items", "Foam Roll Hip Flexors")
        assert highlighted(app, "#items") == "x:hip-flexor-roll"
        assert isinstance(app.screen, LibraryScreen) and app.active_run is None
        detail = app.screen.query_one("#detail-body", Static).render()
        assert str(detail).startswith("Foam Roll Hip Flexors\nRESET")
        await tap_text(pilot, "#items", "Foam Roll Hip Flexors")
        assert isinstance(app.screen, PainScreen)
        assert "Foam Roll Hip Flexors" in screen_text(app)
        await pilot.press("escape")  # back out: nothing starts
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await tap_text(pilot, "#items", "Evening Wind-Down")
        assert highlighted(app, "#items") == "r:evening-wind-down"
        assert isinstance(app.screen, LibraryScreen)
        await tap_text(pilot, "#items", "Evening Wind-Down")
        assert isinstance(app.screen, PainScreen) and "Evening Wind-Down" in screen_text(app)
        await pilot.press("5")
        await pilot.pause()
        run = app.active_run
        assert run is not None and run.engine.timeline.routine.id == "evening-wind-down"
        assert run.pain_before == 5


async def test_in_the_session_area_a_tap_shows_and_a_second_tap_starts(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await tap_text(pilot, "#picker-routines", "Pre-Run Hip Prep")
        assert highlighted(app, "#picker-routines") == "pre-run-prep"
        assert isinstance(app.screen, PickerScreen) and app.active_run is None
        await tap_text(pilot, "#picker-routines", "Pre-Run Hip Prep")
        assert isinstance(app.screen, PainScreen) and "Pre-Run Hip Prep" in screen_text(app)


async def test_enter_keeps_its_work_where_a_tap_now_waits(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Keys as before: enter in the Library opens the detail pane, in the picker it starts."""
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "detail"
        await pilot.press("s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PainScreen)


@pytest.mark.parametrize(("served", "rows"), [(True, 3), (False, 1)])
async def test_served_the_keys_and_the_score_buttons_are_three_rows_tall(
    quick_catalog: Catalog, tmp_path: Path, served: bool, rows: int
) -> None:
    """In a browser a row is 21 px (16 at ?fontsize=12): three make a finger's 40 px and
    more. A terminal keeps its one row."""
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick", served=served)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PainScreen)
        (buttons,) = app.screen.query(ScoreButtons)
        assert buttons.size.height == rows
        assert app.screen.query_one(Footer).size.height == rows
        keys = list(app.screen.query("FooterKey"))
        assert keys and {key.size.height for key in keys} == {rows}
        app.notify("A notice above the keys")
        await pilot.pause()
        (toast,) = app.screen.query("Toast")
        assert toast.region.bottom <= app.screen.query_one(Footer).region.y  # none covered


async def test_served_on_a_phone_the_dialogs_keep_their_fields_and_hint(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """A phone on its side at ?fontsize=12 is 120 × 24: a check's form and the log dialog,
    with their three-row buttons, still show every field, both rows of scores and the hint
    (a check's steps scroll in less)."""
    paths = resolve(db=str(tmp_path / "data" / "hipmob.json"), environ={"HOME": str(tmp_path)})
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY, served=True)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.press("c", "enter")  # 90/90 ease, a score each side
        await pilot.pause()
        shown = screen_text(app)
        assert len(SCORE_ROW.findall(shown)) == 2 and "esc skips the check" in shown
        await pilot.press("escape", "h")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        shown = screen_text(app)
        assert len(SCORE_ROW.findall(shown)) == 2
        assert "Notes" in shown and "ctrl+s save · tab next field · esc cancel" in shown
