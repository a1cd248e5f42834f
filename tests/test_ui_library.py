"""Pilot tests of the app shell and the Library: what a keyboard user sees after each key."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList

from hipmob_tui.content.loading import Catalog, load_catalog
from hipmob_tui.paths import builtin_routines_dir, routine_files
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.screens.help import HelpScreen
from hipmob_tui.ui.screens.library import LibraryScreen
from tests.uitools import notices, screen_text

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

SIZE = (100, 30)


def _highlighted(app: HipmobApp, list_id: str) -> str | None:
    options = app.screen.query_one(list_id, OptionList)
    assert options.highlighted is not None
    return options.get_option_at_index(options.highlighted).id


def _listed(app: HipmobApp, list_id: str = "#items") -> list[str]:
    options = app.screen.query_one(list_id, OptionList)
    return [o.id for o in options.options if o.id]


async def test_starts_in_library_grouped_by_phase(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        text = screen_text(app)
        reset, restore, rebuild = (
            text.index(p) for p in ("RESET  calm", "RESTORE  mob", "REBUILD  stab")
        )
        assert reset < restore < rebuild
        assert _highlighted(app, "#items") == "x:breathing-hip-lift"
        assert "How to" in text and " 1. " in text


async def test_phase_keys_filter_and_zero_clears(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        restore = [e.id for e in builtin_catalog.exercises.values() if e.phase.value == "restore"]
        assert _listed(app) == [f"x:{i}" for i in restore]
        assert "RESTORE · any gear" in screen_text(app)
        await pilot.press("p")  # RESTORE -> REBUILD
        assert all(builtin_catalog.exercises[i[2:]].phase.value == "rebuild" for i in _listed(app))
        await pilot.press("0")
        assert len(_listed(app)) == len(builtin_catalog.exercises)


async def test_typing_filters_and_escape_returns_then_clears(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        assert "/ filter: name, area, gear" in screen_text(app)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"band")
        listed = _listed(app)
        assert listed and all(
            "band" in " ".join((e.name, *e.equipment)).lower()
            for e in (builtin_catalog.exercises[i[2:]] for i in listed)
        )
        await pilot.press("escape")
        assert isinstance(app.focused, OptionList)
        assert _listed(app) == listed, "the first Escape only stops typing"
        await pilot.press("escape")
        assert len(_listed(app)) == len(builtin_catalog.exercises)
        assert "filter: name, area, gear" in screen_text(app)


async def test_filter_matching_nothing_says_so(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"zzzz", "enter")
        await pilot.pause()
        assert _listed(app) == []
        assert "Nothing matches the filter" in screen_text(app)
        keys = app.screen.active_bindings
        assert "r Run" in _bottom(app) and not keys["r"].enabled, "nothing to run: r greyed"
        await pilot.press("r")
        assert app.area == "library"
        await pilot.press("escape")  # clears the filter: r runs again
        await pilot.pause()
        assert app.screen.active_bindings["r"].enabled


async def test_equipment_key_cycles_through_equipment(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert "no equipment" in screen_text(app)
        assert all(not builtin_catalog.exercises[i[2:]].equipment for i in _listed(app))
        await pilot.press("e")
        status = app.screen.query_one("#filter-status").render()
        first_item = sorted({q for e in builtin_catalog.exercises.values() for q in e.equipment})[0]
        assert first_item in str(status)
        assert all(first_item in builtin_catalog.exercises[i[2:]].equipment for i in _listed(app))


async def test_every_exercise_reachable_by_arrow_keys(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for _ in builtin_catalog.exercises:
            exercise = builtin_catalog.exercises[_highlighted(app, "#items")[2:]]  # type: ignore[index]
            seen.append(exercise.id)
            assert exercise.name in screen_text(app)
            await pilot.press("down")
        assert seen == list(builtin_catalog.exercises)


async def test_routines_tab_shows_routine_detail(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        first = next(iter(builtin_catalog.routines.values()))
        assert _highlighted(app, "#items") == f"r:{first.id}"
        text = screen_text(app)
        assert first.name in text and "Exercises" in text and "about " in text
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "detail"


async def test_area_keys_switch_and_grey_out_current(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.check_action("area", ("library",))
        await pilot.press("s")
        assert app.area == "session" and "Session" in screen_text(app)
        await pilot.press("h")
        assert app.area == "history" and "History" in screen_text(app)
        assert not app.check_action("area", ("history",))
        await pilot.press("l")
        assert app.area == "library"


async def test_help_lists_every_key_and_closes(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=(100, 60)) as pilot:  # tall: the sections read unscrolled
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in [*HipmobApp.BINDINGS, *LibraryScreen.BINDINGS]:
            assert isinstance(binding, Binding)
            if binding.tooltip:
                assert binding.tooltip in text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_help_is_read_from_the_bindings_in_force(builtin_catalog: Catalog) -> None:
    """Every described key of every screen is in help with its own words, and a binding's
    new tooltip is what help then says: the two cannot drift."""
    from hipmob_tui.ui.screens.runner import RunnerScreen

    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE):
        rows = {row for _heading, section in app.key_sections() for row in section}
        for screen in (HipmobApp, LibraryScreen, RunnerScreen):
            for binding in screen.BINDINGS:
                assert isinstance(binding, Binding)
                if binding.tooltip:
                    keys = binding.key.split(",")[0]
                    shown = app.get_key_display(Binding(keys, ""))
                    said = binding.tooltip.lower()  # joined texts of one key start lower case
                    assert any(k.startswith(shown) and said in t.lower() for k, t in rows), binding
        restart = next(b for b in RunnerScreen.BINDINGS if b.action == "restart")  # type: ignore[union-attr]
        index = RunnerScreen.BINDINGS.index(restart)
        moved = Binding("r", "restart", "Restart", tooltip="From the top of this step")
        RunnerScreen.BINDINGS[index] = moved
        try:
            session = dict(app.key_sections())["Session"]
            assert ("r", "From the top of this step") in session
        finally:
            RunnerScreen.BINDINGS[index] = restart


async def test_help_has_every_screen_s_own_keys(builtin_catalog: Catalog) -> None:
    """Every screen and dialog with keys of its own (or notes for help) is in help: Progress
    was left out, its Enter and arrows unlisted."""
    import importlib
    import pkgutil

    import hipmob_tui.ui.dialogs
    import hipmob_tui.ui.screens

    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE):
        said = " ".join(text.lower() for _heading, rows in app.key_sections() for _k, text in rows)
        missing = []
        for package in (hipmob_tui.ui.screens, hipmob_tui.ui.dialogs):
            for module_info in pkgutil.iter_modules(package.__path__):
                module = importlib.import_module(f"{package.__name__}.{module_info.name}")
                for screen in vars(module).values():
                    if not (isinstance(screen, type) and issubclass(screen, Screen)):
                        continue
                    if screen is HelpScreen:  # its one key, to close it, is in its footer
                        continue
                    own = vars(screen)
                    texts = [
                        binding.tooltip
                        for binding in own.get("BINDINGS", [])
                        if isinstance(binding, Binding) and binding.tooltip
                    ]
                    texts += [note for _keys, note in own.get("HELP_NOTES", ())]
                    missing += [(screen.__name__, t) for t in texts if t.lower() not in said]
        assert missing == [], "\n".join(map(str, missing))


async def test_palette_jumps_to_an_exercise(builtin_catalog: Catalog) -> None:
    target = builtin_catalog.exercises["side-plank"]
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # a filter that hides the target must not stop the jump
        await pilot.press("ctrl+p")
        await pilot.press(*f"Exercise: {target.name}")
        await app.workers.wait_for_complete()  # the palette's search
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()  # the jump highlights after a refresh
        assert isinstance(app.screen, LibraryScreen)
        assert _highlighted(app, "#items") == "x:side-plank"
        assert target.purpose[:30] in screen_text(app).replace(
            "\n", " "
        ) or target.name in screen_text(app)


@pytest.mark.parametrize("size", [(20, 10), (59, 20), (1, 1)])
async def test_tiny_terminal_shows_notice_without_crash(
    builtin_catalog: Catalog, size: tuple[int, int]
) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if size[0] >= 20:
            assert "too small" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "too small" not in screen_text(app)
        assert "RESET" in screen_text(app)


async def test_bad_user_file_is_one_notice_and_good_content_stays(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("routines:\n  - id: x\n    nme: [oops]\n")
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    app = HipmobApp(catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notices = list(app._notifications)
        assert len(notices) == 1
        assert "bad.yaml:3:5" in notices[0].message and "'nme'" in notices[0].message
        assert len(_listed(app)) == len(catalog.exercises) > 0


async def test_a_routine_naming_a_bad_exercise_is_in_the_notice_not_the_list(
    tmp_path: Path,
) -> None:
    (tmp_path / "legs.yaml").write_text(
        "exercises:\n  - id: wall-sit\n    name: Wall Sit\n    phase: rebuild\n"
        "    purpose: Thighs.\n    steps: [Sit.]\n    cues: []\n    equipment: []\n"
        "    targets: [quads]\n    dosage: {sets: 0, hold_seconds: 30}\n"
        "routines:\n  - id: legs\n    name: Legs\n    items:\n"
        "      - exercise: bird-dog\n      - exercise: wall-sit\n"
    )
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    app = HipmobApp(catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = notices(app)
        assert shown.startswith("2 problems in your routine files")
        assert (
            "legs.yaml:16:19: routines[legs].items[2].exercise: exercise 'wall-sit' is invalid "
            "(defined at line 2, see its problems); fix it to use this routine"
        ) in shown
        await pilot.press("t")
        await pilot.pause()
        listed = _listed(app)
        assert "r:desk-reset" in listed and "r:legs" not in listed


@pytest.mark.parametrize(("size", "listed"), [((60, 20), 1), ((100, 30), 3)])
async def test_the_problems_notice_fits_the_screen_with_its_title(
    tmp_path: Path, size: tuple[int, int], listed: int
) -> None:
    """Five problems: as many as fit are listed, the rest counted; the title stays on screen."""
    (tmp_path / "bad.yaml").write_text(
        "exercises:\n  - id: bad-one\n    name: Bad One\n    phase: restroe\n"
        "    purpose: x\n    steps: [x]\n    cues: [x]\n    equipment: []\n"
        "    targets: [hips]\n    dosage: {sets: 1, hold_seconds: 2, per_side: false}\n"
        "  - id: bad-two\n    name: [list]\n    phase: reset\n"
        "routines:\n  - id: bad-routine\n    name: Bad Routine\n    items: [x, y]\n"
    )
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    assert len(catalog.problems) == 5
    app = HipmobApp(catalog)
    async with app.run_test(size=size, notifications=True) as pilot:
        for _ in range(3):
            await pilot.pause()
        assert f"… and {5 - listed} more." in notices(app)
        assert notices(app).count("bad.yaml:") == listed
        shown = screen_text(app)
        assert "5 problems in your routine" in shown, shown
        assert "routines validate" in shown, shown


MARKUP_NAMES = ["[bold]Plank[/]", "[/]", "[@click=app.quit]Quit[/]", "a [b] c", "\\[x]", "$accent"]


async def test_names_with_markup_render_literally(tmp_path: Path) -> None:
    exercises = "\n".join(
        f"""  - id: x{i}
    name: {name!r}
    phase: reset
    purpose: {name!r}
    steps: [{name!r}]
    cues: [{name!r}]
    equipment: [{name!r}]
    targets: [{name!r}]
    dosage: {{sets: 1, hold_seconds: 2, per_side: false}}"""
        for i, name in enumerate(MARKUP_NAMES)
    )
    (tmp_path / "m.yaml").write_text(
        f"exercises:\n{exercises}\nroutines:\n  - id: r\n    name: '[red]R[/]'\n    items:\n"
        + "".join(f"      - exercise: x{i}\n" for i in range(len(MARKUP_NAMES)))
    )
    catalog = load_catalog([], [tmp_path])
    assert not catalog.problems
    app = HipmobApp(catalog)
    async with app.run_test(size=(120, 40)) as pilot:
        for index, name in enumerate(MARKUP_NAMES):
            await pilot.pause()
            text = screen_text(app)
            assert text.count(name) >= 4, (name, text)
            if index < len(MARKUP_NAMES) - 1:
                await pilot.press("down")
        await pilot.press("t")
        await pilot.pause()
        assert "[red]R[/]" in screen_text(app)
        assert app.is_running, "a [@click=app.quit] name must never act"


async def test_a_burst_of_keys_after_slash_all_lands_in_the_filter(
    builtin_catalog: Catalog,
) -> None:
    """Typed faster than the app reacts (a paste, SSH lag): "t", "p", "e", "r" are letters."""
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        for character in "/trap":  # t would switch lists, r run, a…, p cycle phases
            app.post_message(events.Key(character if character != "/" else "slash", character))
        for _ in range(5):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.filter.text == "trap"
        assert screen.showing == "x" and screen.filter.phase is None
        assert app.area == "library", "r must not have started a session"
        assert "trap" in screen_text(app).splitlines()[2]


async def test_typing_keeps_arrows_for_the_list_and_area_keys_are_letters(
    builtin_catalog: Catalog,
) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"hip")
        first = _highlighted(app, "#items")
        await pilot.press("down")
        assert _highlighted(app, "#items") != first
        await pilot.press("s", "h", "q")  # Session, History, Quit elsewhere
        assert app.area == "library" and app.is_running
        assert app.screen.filter.text == "hipshq"  # type: ignore[attr-defined]
        await pilot.press("backspace", "backspace", "backspace", "enter")
        assert app.screen.filter.text == "hip"  # type: ignore[attr-defined]
        assert isinstance(app.focused, OptionList)
        await pilot.press("t")  # typing is over: t switches lists again
        assert app.screen.showing == "r"  # type: ignore[attr-defined]


async def test_slash_inside_the_filter_is_a_character(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"90", "slash", *"90")
        assert app.screen.filter.text == "90/90"  # type: ignore[attr-defined]
        names = [builtin_catalog.exercises[i[2:]].name for i in _listed(app)]
        assert names and all("90/90" in name for name in names)


async def test_paste_while_typing_goes_to_the_filter(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        app.screen.focused.post_message(events.Paste("foam roll"))  # type: ignore[union-attr]
        await pilot.pause()
        assert app.screen.filter.text == "foam roll"  # type: ignore[attr-defined]
        names = [builtin_catalog.exercises[i[2:]].name.lower() for i in _listed(app)]
        assert names and all("foam roll" in name for name in names)


async def test_clicks_on_the_list_names_and_the_filter_line(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#list-switch", offset=(15, 0))  # "Routines"
        assert app.screen.showing == "r"  # type: ignore[attr-defined]
        assert _listed(app) == [f"r:{r}" for r in builtin_catalog.routines]
        await pilot.click("#list-switch", offset=(3, 0))  # "Exercises"
        assert app.screen.showing == "x"  # type: ignore[attr-defined]
        await pilot.click("#filter")
        await pilot.press(*"dead")
        assert isinstance(app.focused, Input)
        assert app.screen.filter.text == "dead"  # type: ignore[attr-defined]


async def test_each_list_keeps_its_own_highlight(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")
        exercise = _highlighted(app, "#items")
        await pilot.press("t", "down")
        routine = _highlighted(app, "#items")
        assert routine is not None and routine.startswith("r:")
        await pilot.press("t")
        assert _highlighted(app, "#items") == exercise
        await pilot.press("t")
        assert _highlighted(app, "#items") == routine
        count = len(builtin_catalog.routines)
        assert f"any gear · {count}/{count}" in screen_text(app)


def _bottom(app: HipmobApp) -> str:
    return screen_text(app).splitlines()[-1]


async def _footer_up(pilot: Pilot[None]) -> None:
    """Until the bottom line shows keys: Footer composes them after the first refresh."""
    while not screen_text(pilot.app).splitlines()[-1].strip():
        await pilot.pause()


async def test_footer_shows_what_applies_and_a_click_presses_the_key(
    builtin_catalog: Catalog,
) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await _footer_up(pilot)
        bottom = _bottom(app)
        assert "t List" in bottom and "s Session" in bottom and "l Library" not in bottom
        await pilot.click(Footer, offset=(bottom.index("t List"), 0))
        assert app.screen.showing == "r"  # type: ignore[attr-defined]
        await pilot.press("s")
        await pilot.pause()
        bottom = _bottom(app)
        assert "l Library" in bottom and "s Session" not in bottom and "t List" not in bottom


async def test_a_narrow_footer_keeps_help_on_the_right(builtin_catalog: Catalog) -> None:
    """At 60 columns not every key fits: those that come first show, and ? stays."""
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=(60, 20)) as pilot:
        await _footer_up(pilot)
        bottom = _bottom(app).rstrip()
        assert bottom.endswith("? Help") and bottom.startswith("/ Filter t List")
        await pilot.click(Footer, offset=(bottom.index("? Help"), 0))
        assert "escape or ? closes" in screen_text(app)
        await pilot.press("escape")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        bottom = _bottom(app).rstrip()
        assert "h History g Progress q Quit" in bottom and bottom.endswith("? Help")


async def test_while_typing_a_filter_the_footer_shows_only_the_keys_that_act(
    builtin_catalog: Catalog,
) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"hip")
        await pilot.pause()
        bottom = _bottom(app)
        assert "esc Done" in bottom and "ctrl+u Clear" in bottom
        for letter_key in ("/ Filter", "t List", "s Session", "h History", "? Help", "q Quit"):
            assert letter_key not in bottom
        await pilot.press("ctrl+u")
        assert app.screen.filter.text == ""  # type: ignore[attr-defined]
        await pilot.press(*"hip flexor", "ctrl+w")
        assert app.screen.filter.text == "hip "  # type: ignore[attr-defined]
        await pilot.press("ctrl+u", *"90", "enter")
        await pilot.pause()
        bottom = _bottom(app)
        assert "t List" in bottom and "q Quit" in bottom and "Done" not in bottom
        assert app.screen.filter.text == "90"  # type: ignore[attr-defined]
        await pilot.press("slash", *"x", "ctrl+q")  # ctrl+q still quits while typing
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_the_footer_is_rebuilt_only_when_its_keys_change(builtin_catalog: Catalog) -> None:
    """A refresh that leaves the keys as they were keeps the footer's key widgets; a real
    change (typing a filter) rebuilds them, and leaving it brings the list's keys back."""
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        before = list(footer.children)
        for _ in range(5):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert list(footer.children) == before
        await pilot.press("slash")
        await pilot.pause()
        assert list(footer.children) != before and "esc Done" in _bottom(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "t List" in _bottom(app)
