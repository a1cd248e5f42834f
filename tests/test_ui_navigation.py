"""Moving between the areas: keys, the command palette, and `hipmob run`'s first screen."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.store import Store
from hipmob_tui.paths import resolve
from hipmob_tui.ui.app import HipmobApp, RoutineApp
from hipmob_tui.ui.dialogs.questions import PainScreen
from hipmob_tui.ui.screens.help import HelpScreen
from hipmob_tui.ui.screens.history import HistoryScreen
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.screens.picker import PickerScreen
from hipmob_tui.ui.screens.plan import PlanScreen
from hipmob_tui.ui.widgets.sessions_table import SessionsTable
from hipmob_tui.ui.widgets.too_small import TooSmall
from tests.test_history import session
from tests.uitools import notices, screen_text

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

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
        assert isinstance(app.screen, HistoryScreen) and app.area == "history"
        await _palette(pilot, "Routine: Evening Wind-Down")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and app.area == "library"
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
        assert app.area == "session"
        assert isinstance(app.screen, PainScreen)
        assert [type(s) for s in app.screen_stack] == [PickerScreen, PainScreen]
        await pilot.press("escape")  # back: nothing starts, the routines are there
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "Evening Wind-Down" in screen_text(app)
        await pilot.press("l")
        assert isinstance(app.screen, LibraryScreen)


async def _pick_in_palette(pilot: Pilot[None], text: str) -> None:
    """Type into the open palette, wait for `text` to lead the matches, and choose it."""
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*text)
    matches = palette.query_one(CommandList)
    while matches.option_count == 0 or text not in str(matches.get_option_at_index(0).prompt):
        await pilot.pause()
    await pilot.press("enter")
    while pilot.app.screen is palette:
        await pilot.pause()
    await pilot.pause()


async def test_a_theme_picked_in_the_palette_is_kept_for_the_next_start(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    settings = tmp_path / ".config" / "hipmob" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"weekly_goal": 5, "mine": 1}')
    app = _app(builtin_catalog, tmp_path)
    assert app.paths.settings == settings
    async with app.run_test(size=SIZE) as pilot:
        default = app.theme
        assert default != "nord"
        await pilot.press("ctrl+p")
        await _pick_in_palette(pilot, "Theme")
        await _pick_in_palette(pilot, "nord")
        assert app.theme == "nord"
    # Written over the file, every other key as it was (the unknown one too: it is the user's).
    assert json.loads(settings.read_text()) == {"weekly_goal": 5, "mine": 1, "theme": "nord"}
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    again = _app(builtin_catalog, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        assert notices(again) == (
            f"settings: {settings}: unknown setting 'mine', ignored; "
            "known: weekly_goal, max_rest_days_per_week, bell, pauses, theme"
        )
        again.theme = default
        await pilot.pause()
    assert json.loads(settings.read_text())["theme"] == default


async def test_a_theme_that_is_not_there_is_a_notice_and_the_default(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    settings = tmp_path / ".config" / "hipmob" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"theme": "no-such-theme"}')
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == _app(builtin_catalog, tmp_path / "elsewhere").theme
        assert notices(app) == (
            f"settings: {settings}: there is no theme 'no-such-theme'; using the default "
            "(pick one with : or ctrl+p, then 'theme')"
        )
    assert settings.read_text() == '{"theme": "no-such-theme"}'


async def test_a_settings_file_that_is_not_json_is_never_overwritten_by_a_theme(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    settings = tmp_path / ".config" / "hipmob" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_bytes(b'{"weekly_goal": 4,')
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
        shown = notices(app)
    assert settings.read_bytes() == b'{"weekly_goal": 4,'
    assert f"settings: {settings} cannot be read as JSON" in shown
    assert (
        f"The theme is used now but not kept for the next start: {settings} cannot be read as JSON"
    ) in shown and shown.endswith("fix or delete it; it was left as it is")


def _footer_keys(app: HipmobApp) -> list[str]:
    """The descriptions of the keys the screen in front shows in its bottom line."""
    return [key.description for key in app.screen.query(FooterKey)]


async def _settled(pilot: Pilot[None]) -> None:
    for _ in range(4):  # a footer rebuilds after the refresh that follows a change
        await pilot.pause()


async def test_an_area_comes_back_as_it_was_left_with_its_own_keys(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """History, Library, History: the same History, the row chosen still chosen; each area's
    bottom line offers the other areas and never its own, also after being away."""
    paths = resolve(db=str(tmp_path / "h.json"), environ={"HOME": str(tmp_path)})
    Store(paths.db).merge([session(date(2026, 11, 20 + n)) for n in range(3)])
    app = HipmobApp(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(pilot)
        assert "History" in _footer_keys(app) and "Library" not in _footer_keys(app)
        await pilot.press("h")
        await _settled(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = history.query_one(SessionsTable)
        while not table.row_count:
            await pilot.pause()
        await pilot.press("down")
        chosen = table.current
        assert chosen is not None
        assert "Library" in _footer_keys(app) and "History" not in _footer_keys(app)
        await pilot.press("l")
        await _settled(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "History" in _footer_keys(app) and "Library" not in _footer_keys(app)
        await pilot.press("h")
        await _settled(pilot)
        assert app.screen is history and table.current == chosen
        assert "Library" in _footer_keys(app) and "History" not in _footer_keys(app)


async def _open_the_plan(pilot: Pilot[None]) -> None:
    """From the Library, as it first shows: f, and the Plan is in front."""
    await _settled(pilot)
    await pilot.press("f")
    await _settled(pilot)
    assert isinstance(pilot.app.screen, PlanScreen)


async def test_the_plan_closes_as_the_library_is_left(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """The Plan is opened over the Library: leaving for another area closes it, and l then
    shows the Library (its own key, f, opens the Plan again)."""
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_the_plan(pilot)
        await pilot.press("g")
        await _settled(pilot)
        assert app.area == "progress"
        await pilot.press("l")
        await _settled(pilot)
        assert isinstance(app.screen, LibraryScreen) and app.area == "library"
        assert [type(screen) for screen in app.screen_stack] == [LibraryScreen]


async def test_l_on_the_plan_goes_back_to_the_library_and_its_keys_are_in_the_footer(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """The Plan's own keys (Enter follows: the list's Enter would hide it) lead its footer,
    and `l` returns to the Library it was opened from, as h, g and s leave for theirs."""
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_the_plan(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.startswith("⏎ Follow esc Back"), footer
        assert footer.rstrip().endswith("? Help") and "Help" not in footer[:-8], footer
        await pilot.press("l")
        await _settled(pilot)
        assert isinstance(app.screen, LibraryScreen) and app.area == "library"
        assert [type(screen) for screen in app.screen_stack] == [LibraryScreen]


async def test_an_area_left_while_the_terminal_changed_size_fits_the_new_size(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """The Library under History misses a resize: it is restyled as it comes back, so its
    "too small" notice follows the size the terminal has then, both ways."""
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(pilot)
        await pilot.resize_terminal(40, 10)
        await pilot.press("h")
        await pilot.resize_terminal(*SIZE)
        await pilot.press("l")
        await _settled(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert not app.screen.query_one(TooSmall).display
        await pilot.press("h")
        await pilot.resize_terminal(40, 10)
        await pilot.press("l")
        await _settled(pilot)
        assert app.screen.query_one(TooSmall).display


async def _palette_offers(pilot: Pilot[None], typed: str) -> list[str]:
    """Open the palette, type `typed`, and read the titles it offers; then close it."""
    await pilot.press("ctrl+p", *typed)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    matches = palette.query_one(CommandList)
    while matches.option_count == 0:
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the palette's search is a worker
    await pilot.pause()
    prompts = [str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return [prompt.splitlines()[0] for prompt in prompts]  # each with its help below


async def _areas_offered(pilot: Pilot[None]) -> list[str]:
    """The areas the palette offers to go to."""
    titles = await _palette_offers(pilot, "go to")
    return sorted(t.removeprefix("Go to ") for t in titles if t.startswith("Go to "))


async def test_the_palette_s_own_commands_are_hipmob_s(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Theme, every key (hipmob's help, not Textual's panel of scrolling and copying keys)
    and quit; nothing that saves a file unasked or resizes a widget."""
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(pilot)
        offered = await _palette_offers(pilot, "")
        assert {"Theme", "Keys", "Quit"} <= set(offered), offered
        assert not {"Maximize", "Screenshot", "Minimize"} & set(offered), offered
        await pilot.press("ctrl+p", *"keys")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await _settled(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_the_palette_offers_every_area_but_the_one_shown(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Like the area keys in the footer: going where you are would do nothing."""
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert await _areas_offered(pilot) == ["History", "Progress", "Session"]
        await pilot.press("h")
        await _settled(pilot)
        assert await _areas_offered(pilot) == ["Library", "Progress", "Session"]
        await pilot.press("s")
        await pilot.pause()
        assert await _areas_offered(pilot) == ["History", "Library", "Progress"]
