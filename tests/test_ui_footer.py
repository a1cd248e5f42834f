"""The bottom line (KeyFooter): the keys that act now, rebuilt once for a burst of changes,
and never for a screen out of sight until it is shown again."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from hipmob_tui.ui.widgets.footer import KeyFooter, key_footer


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
    keys = app.screen.query(FooterKey)
    return [key.description for key in keys if not key.has_class("-disabled")]


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
