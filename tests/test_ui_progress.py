"""Progress under Pilot: g opens it, Enter opens the Library, it follows the file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.store import Store
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.screens.progress import ProgressScreen
from tests.test_ui_history import (
    SIZE,
    TODAY,
    _app,
    _own_reads_held,
    _paths,
    _read_the_library,
    _settle,
    _with_history,
)
from tests.uitools import notices, screen_text


async def test_g_shows_each_routine_with_its_median_change_and_n(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    _, app = _with_history(builtin_catalog, tmp_path, 60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await _settle(app, pilot)
        assert isinstance(app.screen, ProgressScreen)
        text = screen_text(app)
        assert "What helps" in text and "Median" in text and "pain before" in text
        found = app.screen.found
        assert found is not None
        for routine in found.routines:
            assert routine.name in text
        first = found.routines[0]
        row = app.screen.query_one("#routines", DataTable).get_row_at(0)
        assert str(row[3]) == first.pain.median_text.replace("-", "−")
        assert row[4] == str(first.pain.scored)


async def test_history_read_after_the_first_frame_is_in_progress_s_first_paint(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Opened once the app has read the file, Progress shows its figures as it first
    appears, with no read of its own."""
    _, app = _with_history(builtin_catalog, tmp_path, 60)
    async with app.run_test(size=SIZE) as pilot:
        await _read_the_library(app, pilot)
        with _own_reads_held(app):
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app.screen, ProgressScreen) and app.screen.found is not None
            assert "What helps" in screen_text(app)


async def test_enter_opens_the_routine_in_the_library(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    _, app = _with_history(builtin_catalog, tmp_path, 60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await _settle(app, pilot)
        assert isinstance(app.screen, ProgressScreen) and app.screen.found is not None
        second = app.screen.found.routines[1]
        await pilot.press("down", "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.showing == "r"
        assert second.name in screen_text(app).split("▎", 1)[-1]  # in the detail pane


async def test_enter_on_a_routine_no_longer_in_the_files_says_so(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    (one,) = demo_sessions(builtin_catalog, TODAY, 1)[:1]
    Store(paths.db).merge([one.with_changes(routine_id="gone", routine_name="Old Routine")])
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, ProgressScreen)
        assert "Old Routine is not in your routine files any more" in notices(app)


async def test_coming_back_after_a_new_session_shows_it(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    sessions = demo_sessions(builtin_catalog, TODAY, 30)
    Store(paths.db).merge(sessions)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await _settle(app, pilot)
        assert f"of {len(sessions)} sessions scored" in screen_text(app)
        await pilot.press("l")
        newest = max(sessions, key=lambda s: s.started_at)
        later = newest.started_at + timedelta(hours=3)
        Store(paths.db).add(
            newest.with_changes(id="later", started_at=later, ended_at=later + timedelta(minutes=9))
        )
        await pilot.press("g")
        await _settle(app, pilot)
        assert f"of {len(sessions) + 1} sessions scored" in screen_text(app)


async def test_no_sessions_says_what_will_appear(builtin_catalog: Catalog, tmp_path: Path) -> None:
    app = _app(builtin_catalog, _paths(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await _settle(app, pilot)
        assert "No sessions yet" in screen_text(app)
        await pilot.press("enter")  # nothing to open: nothing happens
        assert isinstance(app.screen, ProgressScreen) and notices(app) == ""


async def test_a_damaged_file_is_reported_and_left_alone(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    paths.db.parent.mkdir(parents=True)
    paths.db.write_bytes(b'{"sessions": {"1": ')
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await _settle(app, pilot)
        assert "Cannot read your history" in screen_text(app) and "hipmob doctor" in notices(app)
    assert paths.db.read_bytes() == b'{"sessions": {"1": '
