"""Helpers for Pilot tests: what is on the screen, as plain text."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App[object]) -> str:
    """Every line of the current screen, as a person would read it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notices(app: App[object]) -> str:
    """Every notification raised so far, title and message, one per line."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)
