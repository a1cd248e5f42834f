"""Moving between the areas: keys, the command palette, and `hipmob run`'s first screen."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from hipmob_tui.content.loading import Catalog
from hipmob_tui.paths import resolve
from hipmob_tui.ui.app import HipmobApp, RoutineApp
from hipmob_tui.ui.dialogs.questions import PainScreen
from hipmob_tui.ui.screens.history import HistoryScreen
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.screens.picker import PickerScreen
from tests.uitools import screen_text

SIZE = (100, 30)


def _app(catalog: Catalog, folder: Path) -> HipmobApp:
    return HipmobApp(catalog, resolve(db=str(folder / "h.json"), environ={"HOME": str(folder)}))


async def _palette(pilot: Pilot[None], command: str) -> None:
    """Open the palette, type a command, wait for its match, and run it."""
    await pilot.press("ctrl+p")
    await pilot.press(*command)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    matches = palette.query_one(CommandList)
    while matches.option_count == 0 or command not in str(matches.get_option_at_index(0).prompt):
        await pilot.pause()
    await pilot.press("enter")
    while isinstance(pilot.app.screen, CommandPalette):
        await pilot.pause()
    await pilot.pause()


async def test_the_palette_goes_to_an_area_and_back_to_a_routine(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """From the palette: History, then a routine, which opens the Library on that routine."""
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _palette(pilot, "Go to History")
        assert isinstance(app.screen, HistoryScreen) and app.current_mode == "history"
        await _palette(pilot, "Routine: Evening Wind-Down")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and app.current_mode == "library"
        options = app.screen.query_one("#items", OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == "r:evening-wind-down"


async def test_run_opens_on_the_pain_question_over_the_session_area(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """`hipmob run ID`: the Session area from the start, its question in front; escape and l
    then lead where a person expects."""
    paths = resolve(db=str(tmp_path / "h.json"), environ={"HOME": str(tmp_path)})
    app = RoutineApp(builtin_catalog, paths, start_routine="evening-wind-down")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current_mode == "session"
        assert isinstance(app.screen, PainScreen)
        assert [type(s) for s in app.screen_stack] == [PickerScreen, PainScreen]
        await pilot.press("escape")  # back: nothing starts, the routines are there
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "Evening Wind-Down" in screen_text(app)
        await pilot.press("l")
        assert isinstance(app.screen, LibraryScreen)
