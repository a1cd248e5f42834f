"""Keys a browser keeps: under `hipmob serve` ctrl+w, ctrl+q and ctrl+p close the tab, quit
the browser and print before the page sees them. Every action hipmob has, its own and its
stock widgets', must have another key, and help must show that one.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode

import hipmob_tui.ui
from hipmob_tui.content.loading import Catalog
from hipmob_tui.paths import resolve
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.screens.library import LibraryScreen
from tests.uitools import screen_text

BROWSER_KEEPS = frozenset({"ctrl+w", "ctrl+q", "ctrl+p"})
SENT_AS = {"ctrl+w": "alt+backspace"}
"""A key Textual reads from what a terminal sends for another key: alt+backspace is sent as
ESC DEL, which Textual reads as ctrl+w (test_serve_browser presses it in Chromium)."""
SIZE = (100, 30)


SHOWN_UNNAMED: tuple[type[DOMNode], ...] = (CommandPalette,)
"""Stock screens hipmob shows without naming them in its modules."""


def hipmob_node_types() -> Iterator[type[DOMNode]]:
    """Every app, screen, dialog and widget class the UI's modules define or use (a stock
    widget a module imports is one it composes), with every class they derive from; not
    Textual's App, which never runs: hipmob's own does, with its bindings over App's."""
    seen: set[type[DOMNode]] = set()
    named: list[type] = list(SHOWN_UNNAMED)
    for module_info in pkgutil.walk_packages(hipmob_tui.ui.__path__, "hipmob_tui.ui."):
        module = importlib.import_module(module_info.name)
        named += [v for v in vars(module).values() if isinstance(v, type)]
    for value in named:
        for node_type in value.__mro__:
            if node_type in seen or not issubclass(node_type, DOMNode):
                continue
            seen.add(node_type)
            if not issubclass(node_type, App) or node_type.__module__.startswith("hipmob_tui"):
                yield node_type


def keys_by_action(node_type: type[DOMNode]) -> dict[str, set[str]]:
    """Each action of a class and the keys that reach it, its bases' bindings merged as
    Textual merges them: a key bound again in a subclass is that subclass's alone."""
    by_key: dict[str, list[str]] = {}
    for base in reversed(node_type.__mro__):
        bindings = base.__dict__.get("BINDINGS", [])
        own: dict[str, list[str]] = {}
        for binding in bindings:
            if isinstance(binding, tuple):
                binding = Binding(*binding)
            for key in binding.key.split(","):
                own.setdefault(key.strip(), []).append(binding.action)
        by_key.update(own)
    # Textual adds its palette key as the app is made, unless a binding opens it already.
    palette_bound = any("command_palette" in actions for actions in by_key.values())
    if issubclass(node_type, App) and node_type.ENABLE_COMMAND_PALETTE and not palette_bound:
        by_key.setdefault(node_type.COMMAND_PALETTE_BINDING, []).append("command_palette")
    actions: dict[str, set[str]] = {}
    for key, key_actions in by_key.items():
        for action in key_actions:
            actions.setdefault(action, set()).add(key)
    return actions


def browser_keys(keys: set[str]) -> set[str]:
    """The keys of `keys` a browser passes on to the page, and what stands in for the others."""
    return {SENT_AS.get(key, key) for key in keys if key not in BROWSER_KEEPS or key in SENT_AS}


def test_every_action_has_a_key_a_browser_passes_on() -> None:
    found = {node_type.__name__ for node_type in hipmob_node_types()}
    # The walk reaches hipmob's classes and the stock ones under them.
    assert {"HipmobApp", "LibraryScreen", "RunnerScreen", "PainScreen", "FilterInput"} <= found
    assert {"Screen", "Input", "OptionList", "DataTable", "TextArea", "CommandPalette"} <= found
    only_the_browsers = [
        f"{node_type.__module__}.{node_type.__name__}: {action} ({', '.join(sorted(keys))})"
        for node_type in hipmob_node_types()
        for action, keys in keys_by_action(node_type).items()
        if not browser_keys(keys)
    ]
    assert only_the_browsers == []


def test_the_walk_would_find_an_action_bound_only_to_a_key_a_browser_keeps() -> None:
    class QuitOnly(App[None]):
        BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    class PaletteOnly(App[None]):
        pass  # Textual's own palette key, ctrl+p

    assert not browser_keys(keys_by_action(QuitOnly)["quit"])
    assert not browser_keys(keys_by_action(PaletteOnly)["command_palette"])
    assert browser_keys(keys_by_action(HipmobApp)["quit"]) == {"q"}
    assert browser_keys(keys_by_action(HipmobApp)["command_palette"]) == {"colon"}


async def test_help_shows_the_keys_a_browser_passes_on(builtin_catalog: Catalog) -> None:
    """Each row of help names a key that works in a browser, or says its key is a
    terminal's (and another row names one that works)."""
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE):
        sections = dict(app.key_sections())
    everywhere = dict(sections["Everywhere"])
    assert everywhere["q"].startswith("Leave hipmob")
    assert everywhere[":"].startswith("Command palette")
    library = dict(sections["Library"])
    assert library["alt+⌫"].startswith("While typing a filter: delete the word")
    for heading, rows in sections.items():
        for keys, said in rows:
            if set(keys.split()) <= BROWSER_KEEPS:
                assert "in a terminal" in said, (heading, keys, said)


def _app(catalog: Catalog, folder: Path) -> HipmobApp:
    return HipmobApp(catalog, resolve(db=str(folder / "h.json"), environ={"HOME": str(folder)}))


async def test_colon_opens_the_palette_and_is_typed_in_a_filter(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.press("slash", *"hip:", "colon")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.filter.text == "hip::"
        await pilot.press("escape", "h")  # History: a table has the focus
        await pilot.pause()
        await pilot.press("colon")
        assert isinstance(app.screen, CommandPalette)


async def test_q_quits_where_nothing_is_typed(builtin_catalog: Catalog, tmp_path: Path) -> None:
    app = _app(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"q")
        await pilot.pause()
        assert app.is_running and "q" in screen_text(app)
        await pilot.press("escape", "q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
