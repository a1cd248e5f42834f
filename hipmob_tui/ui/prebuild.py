"""Building an area's screen out of sight, so that its key only has to show it."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen


def build_mode_out_of_sight(app: App[None], mode: str) -> bool:
    """Compose, style and start `mode`'s screen while the current one stays shown.

    Textual builds a mode's screen on the first `switch_mode`, inside the key press:
    imports, stylesheet, compose, first data. This runs Textual 8's own first step of a
    switch (`App._init_mode`) without the switch; the screen then loads its data while
    unseen, and the key only shows it. False when the mode was built already.

    The shown screen is laid out and repainted once more (Textual refreshes its toasts
    when the new screen resumes): the same picture, about 4.7 KB, once.
    """
    if mode in app._screen_stacks:
        return False
    make = app._modes[mode]

    def styled_as_is() -> Screen[object]:
        screen = make() if callable(make) else app.get_screen(make)
        # Its widgets are styled by the stylesheet as it is (with the screen's own file,
        # which _init_mode adds). Marked so, neither _init_mode nor the switch reparses
        # every stylesheet and restyles the whole app again (about 25 ms each).
        screen._css_update_count = app._css_update_count
        return screen

    app._modes[mode] = styled_as_is
    try:
        app._init_mode(mode)
    finally:
        app._modes[mode] = make
    return True
