"""Helpers for Pilot tests: what is on the screen, as plain text; time on a fake clock."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot

from hipmob_tui.session.clock import FakeClock
from hipmob_tui.ui.screens.runner import RunnerScreen


def screen_text(app: App[object]) -> str:
    """Every line of the current screen, as a person would read it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notices(app: App[object]) -> str:
    """Every notification raised so far, title and message, one per line."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def wait(pilot: Pilot[None], clock: FakeClock, seconds: float) -> None:
    """Let `seconds` pass on the session clock, tick the runner, and let the screen settle.

    The runner's own 10 Hz tick runs too, but finds no time passed: only this one moves it.
    """
    clock.tick(seconds)
    for screen in pilot.app.screen_stack:
        if isinstance(screen, RunnerScreen):
            screen.tick()
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    """Until the workers are done and the screen has caught up with them (a footer fills in
    after the binding refresh that follows a change)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
