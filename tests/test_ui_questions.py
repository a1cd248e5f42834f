"""Yes-or-no questions under Pilot: only y says yes, and any other key says no, as help says."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.store import Store
from hipmob_tui.paths import resolve
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.dialogs.session_forms import ConfirmDeleteScreen
from hipmob_tui.ui.screens.history import HistoryScreen
from tests.uitools import screen_text

SIZE = (100, 30)
TODAY = date(2026, 11, 24)


async def _settle(pilot: Pilot[None]) -> None:
    """Let History's reads and writes finish, then let it repaint."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_any_key_but_y_keeps_a_session_asked_to_be_deleted(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """`d` asks; a key other than y (a letter, enter, space, a digit) closes the question
    and keeps the session, as every other question does; y deletes."""
    paths = resolve(db=str(tmp_path / "hipmob.json"), environ={"HOME": str(tmp_path)})
    Store(paths.db).merge(demo_sessions(builtin_catalog, TODAY, 10))
    before = len(Store(paths.db).sessions())
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(pilot)
        for stray in ("x", "enter", "space", "3", "n", "escape"):
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDeleteScreen)
            assert "y deletes · any other key keeps it" in screen_text(app)
            await pilot.press(stray)
            await _settle(pilot)
            assert isinstance(app.screen, HistoryScreen), f"{stray} left the question open"
            assert len(Store(paths.db).sessions()) == before, f"{stray} deleted"
        await pilot.press("d", "y")
        await _settle(pilot)
        assert len(Store(paths.db).sessions()) == before - 1
