"""The bottom line (KeyFooter): the keys that act now, rebuilt once for a burst of changes,
and never for a screen out of sight until it is shown again."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Label

import hipmob_tui.ui.app
from hipmob_tui.ui.widgets.footer import KeyFooter, key_footer
from tests.uitools import screen_text


class CountingFooter(KeyFooter):
    """KeyFooter that counts its rebuilds (each compose with the bindings ready)."""

    rebuilds = 0

    def compose(self) -> ComposeResult:
        CountingFooter.rebuilds += 1
        yield from super().compose()


class Steps(Screen[None]):
    """A screen whose keys light up one by one as `steps` goes up."""

    BINDINGS = [Binding(f"{n}", f"step({n})", f"Step {n}") for n in range(1, 5)]

    def __init__(self) -> None:
        super().__init__()
        self.steps = 0

    def compose(self) -> ComposeResult:
        yield Label("steps")
        yield CountingFooter(compact=True, classes="")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step" and parameters:
            return int(str(parameters[0])) <= self.steps
        return True

    def action_step(self, n: int) -> None:
        pass


class Other(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("other")
        yield key_footer()


class FooterApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Steps())


def shown(app: App[None]) -> list[str]:
    """The enabled keys' descriptions, as drawn (Textual does not export FooterKey: its
    type name selects it, and each draws "key description")."""
    keys = app.screen.query("FooterKey")
    return [str(key.render()).split(" ", 1)[1] for key in keys if not key.has_class("-disabled")]


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(5):
        await pilot.pause()


async def test_a_burst_of_changes_is_one_rebuild_showing_the_last() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Steps)
        assert shown(app) == []
        CountingFooter.rebuilds = 0
        for steps in range(1, 5):  # four changes before any refresh
            screen.steps = steps
            screen.refresh_bindings()
        await settle(pilot)
        assert shown(app) == ["Step 1", "Step 2", "Step 3", "Step 4"]
        assert CountingFooter.rebuilds == 1


async def test_a_screen_out_of_sight_is_rebuilt_when_shown_again() -> None:
    """Keys that change while another screen is in front are not rebuilt out of sight;
    they are right as soon as the screen is back, with no other change to prompt it."""
    app = FooterApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        steps = app.screen
        assert isinstance(steps, Steps)
        app.push_screen(Other())
        await settle(pilot)
        CountingFooter.rebuilds = 0
        steps.steps = 2
        steps.refresh_bindings()
        await settle(pilot)
        assert CountingFooter.rebuilds == 0
        app.pop_screen()
        await settle(pilot)
        assert app.screen is steps
        assert shown(app) == ["Step 1", "Step 2"]
        assert CountingFooter.rebuilds == 1


class Many(Screen[None]):
    """Nine keys of ten cells each ("1 Stretch1"), the last docked on the right as help is."""

    BINDINGS = [Binding(f"{n}", f"press({n})", f"Stretch{n}") for n in range(1, 10)]

    def compose(self) -> ComposeResult:
        yield Label("many")
        yield key_footer(help_on_right=True)

    def action_press(self, n: int) -> None:
        pass


class ManyApp(App[None]):
    CSS_PATH = Path(hipmob_tui.ui.app.__file__).parent / "hipmob.tcss"  # docks the ? right

    def on_mount(self) -> None:
        self.push_screen(Many())


async def test_a_narrow_footer_drops_whole_keys_and_keeps_help_on_the_right() -> None:
    """Footer ran its keys past the edge ("4 Stret"); a key is now shown whole or not at
    all, and the keys come back as the terminal widens."""
    app = ManyApp()
    async with app.run_test(size=(50, 10)) as pilot:
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        assert line.rstrip().endswith("9 Stretch9"), line
        keys = line.split("▏")[0].rstrip()
        # Each key is "n Stretchn" and one space after it: four fit in 50 - 8 cells.
        assert keys == "1 Stretch1 2 Stretch2 3 Stretch3", keys
        await pilot.resize_terminal(120, 10)
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        assert "8 Stretch8" in line and line.rstrip().endswith("9 Stretch9"), line
        await pilot.resize_terminal(40, 10)
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        assert line.split("▏")[0].rstrip() == "1 Stretch1 2 Stretch2", line
