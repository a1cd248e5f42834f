"""Building an area's screen out of sight, so that its key only has to show it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.screen import Screen

AnyScreen = TypeVar("AnyScreen", bound=Screen[Any])


def styled_as_is(app: App[None], make: Callable[[], AnyScreen]) -> Callable[[], AnyScreen]:
    """`make`, with a screen made while the app runs marked as styled by the stylesheet.

    A mode's new screen otherwise makes Textual reparse every stylesheet and restyle the
    whole app (`App._init_mode` calls `refresh_css` for a screen whose
    `_css_update_count` lags the app's): about 25 ms on the first visit to each area. A
    new screen's widgets are styled as they are mounted, by the stylesheet as it is (with
    the screen's own file, which `_init_mode` reads first), so that refresh is redone
    work; a theme change still restyles everything. Not the first screen: the app's theme
    classes (`-dark-mode`) take effect only with that first refresh.
    """

    def make_styled() -> AnyScreen:
        screen = make()
        if app._is_mounted:  # not the first screen, which is made as the app mounts
            screen._css_update_count = app._css_update_count
        return screen

    return make_styled


def build_mode_out_of_sight(app: App[None], mode: str) -> bool:
    """Compose, style and start `mode`'s screen while the current one stays shown.

    Textual builds a mode's screen on the first `switch_mode`, inside the key press:
    imports, stylesheet, compose, first data. This runs Textual 8's own first step of a
    switch (`App._init_mode`) without the switch; the screen then loads its data while
    unseen, and the key only shows it. False when the mode was built already. The mode's
    factory must be wrapped in `styled_as_is`, or the build restyles the shown screen too.

    The shown screen is laid out and repainted once more (Textual refreshes its toasts
    when the new screen resumes): the same picture, about 4.7 KB, once.
    """
    if mode in app._screen_stacks:
        return False
    app._init_mode(mode)
    return True
