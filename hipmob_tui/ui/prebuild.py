"""Building an area's screen out of sight, so that its key only has to show it."""

from __future__ import annotations

from textual.app import App


def build_mode_out_of_sight(app: App[None], mode: str) -> bool:
    """Compose, style and start `mode`'s screen while the current one stays shown.

    Textual builds a mode's screen on the first `switch_mode`, inside the key press:
    imports, stylesheet, compose, first data. This runs Textual 8's own first step of a
    switch (`App._init_mode`) without the switch; the screen then loads its data while
    unseen, and the key only shows it. False when the mode was built already.
    """
    if mode in app._screen_stacks:
        return False
    app._init_mode(mode)
    # Styled just now by the current stylesheet: mark it so, or the switch restyles it.
    app._screen_stacks[mode][0]._css_update_count = app._css_update_count
    return True
