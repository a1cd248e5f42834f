"""The Session picker puts today's suggestion first, with its reason (under Pilot)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.widgets import OptionList, Static

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.records import from_json
from hipmob_tui.history.store import Store
from hipmob_tui.paths import Paths, resolve
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.screens.picker import PickerScreen
from tests.uitools import screen_text

TODAY = date(2026, 11, 24)
SIZE = (100, 30)


def paths_in(folder: Path) -> Paths:
    return resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})


def session(n: int, day: date, routine_id: str, name: str, **more: object) -> object:
    start = datetime.combine(day, datetime.min.time()).replace(hour=8, tzinfo=UTC)
    return from_json(
        {
            "id": f"t{n:04d}",
            "routine_id": routine_id,
            "routine_name": name,
            "started_at": (start + timedelta(minutes=n)).isoformat(),
            "ended_at": (start + timedelta(minutes=n + 10)).isoformat(),
            "status": "completed",
            "planned_seconds": 600,
            "active_seconds": 600,
            **more,
        }
    )


def today_line(app: HipmobApp) -> str:
    """The line above the routines, as one string (the screen wraps it)."""
    line = app.screen.query_one("#picker-today", Static)
    return str(line.content) if line.display else ""


def first_option(app: HipmobApp) -> tuple[str | None, str]:
    routines = app.screen.query_one("#picker-routines", OptionList)
    option = routines.get_option_at_index(0)
    return option.id, str(option.prompt)


def highlighted(app: HipmobApp) -> str | None:
    picker = app.screen
    assert isinstance(picker, PickerScreen)
    chosen = picker._highlighted()
    return chosen.id if chosen else None


async def test_after_a_flare_day_a_reset_only_routine_is_first_and_says_why(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = paths_in(tmp_path)
    store = Store(paths.db)
    store.add(session(1, TODAY - timedelta(days=3), "full-session", "Full Session"))
    store.add(session(2, TODAY - timedelta(days=2), "desk-reset", "Desk Reset"))
    store.set_marks([TODAY - timedelta(days=1)], "flare")
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert today_line(app) == "A flare day yesterday: a RESET-only routine is gentler."
        assert "A flare day yesterday: a RESET-only" in screen_text(app)
        assert first_option(app) == ("desk-reset", "Desk Reset  suggested\n  about 6 min  RESET")
        assert highlighted(app) == "desk-reset"


async def test_otherwise_the_routine_done_least_recently_is_first(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = paths_in(tmp_path)
    store = Store(paths.db)
    for n, routine_id in enumerate(["pre-run-prep", "full-session", "desk-reset"]):
        store.add(session(n, TODAY - timedelta(days=3 - n), routine_id, routine_id))
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert today_line(app) == "You did Desk Reset last; Evening Wind-Down is not done yet."
        assert first_option(app)[0] == "evening-wind-down"
        assert highlighted(app) == "evening-wind-down"
        # The other routines keep the catalog's order below it.
        routines = app.screen.query_one("#picker-routines", OptionList)
        order = [routines.get_option_at_index(i).id for i in range(routines.option_count)]
        assert order == ["evening-wind-down", "desk-reset", "pre-run-prep", "full-session"]


async def test_the_line_follows_the_history_each_time_the_picker_is_shown(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = paths_in(tmp_path)
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert today_line(app) == "Suggested today: Desk Reset (not done yet)."
        await pilot.press("down")  # the person's own choice is kept
        Store(paths.db).add(
            session(1, TODAY, "evening-wind-down", "Evening Wind-Down", pain_before=8)
        )
        await pilot.press("l", "s")
        await pilot.pause()
        assert today_line(app) == (
            "Done for today (streak 1 day). Your pain was 8 before your last session: "
            "a RESET-only routine is gentler."
        )
        assert first_option(app)[1].startswith("Desk Reset  suggested next")
        assert highlighted(app) == "pre-run-prep"


async def test_a_rest_day_suggests_nothing_and_lists_the_routines_as_ever(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = paths_in(tmp_path)
    Store(paths.db).set_marks([TODAY], "rest")
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert today_line(app) == "A rest day (marked): nothing to do today."
        assert "suggested" not in screen_text(app)
        assert first_option(app)[0] == next(iter(builtin_catalog.routines))


async def test_a_damaged_history_shows_no_suggestion_and_the_picker_still_works(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = paths_in(tmp_path)
    paths.db.write_text("{not json")
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert "Pick a routine" in screen_text(app) and today_line(app) == ""
        assert highlighted(app) == "desk-reset"
    assert paths.db.read_text() == "{not json"
