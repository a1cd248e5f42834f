"""The bottom line of every screen: Textual's own Footer, set up once for hipmob."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Label

Shown = list[tuple[Binding, bool, str]]
"""What a footer shows: each binding it lists, whether it is enabled, and its tooltip."""


class KeyFooter(Footer):
    """Footer that rebuilds its keys only when the keys it would show have changed, and
    once for a burst of changes.

    Textual's Footer recomposes on every `refresh_bindings` and focus change, each rebuild
    10-45 ms of the main thread. Opening History at ten years asked for 12 of them while
    the file was read (most with the same keys), which doubled the time from `h` to the
    first rows (206 -> 416 ms, bench/history.py). Only a real difference rebuilds; and
    changes that come before a rebuild asked for has run join it, as it composes the keys
    as they are then (opening History changes them four times in a row: the table's
    focus, the area, the rows, the keys that need a session: 64 ms of rebuilds, before
    the first rows were drawn, down to 15).
    """

    HELP_NOTES = (("tap", "A key in the bottom line: does what the key does"),)
    """What a tap (or a click) on the footer does, for help."""

    def __init__(self, *, compact: bool, classes: str) -> None:
        super().__init__(compact=compact, show_command_palette=False, classes=classes)
        self.shown: Shown | None = None
        """The keys as last composed; None before the first."""
        self._rebuild_asked = False
        """Whether a rebuild was asked for and has not composed yet."""
        self._ready = False
        """Whether Footer was told of the bindings once (it composes nothing before)."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild the keys if what the screen would show differs from what is shown."""
        if screen is not self.app.screen:
            # The Library's keys change as History opens over it (its `l` comes back):
            # rebuilt out of sight, 15 ms of History's opening. A screen shown again gets
            # its focus back, which tells its footer (tests/test_ui_footer.py).
            return
        if self._rebuild_asked or self.keys_of(screen) == self.shown:
            return
        # Footer itself waits while the app is out of focus or the screen is another's: then
        # nothing is composed, and the next change must not look like nothing changed.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_asked = True
        self._ready = True
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._rebuild_asked = False
        if self._ready:
            self.shown = self.keys_of(self.screen)
        yield from super().compose()

    async def recompose(self) -> None:
        await super().recompose()
        # The new keys have their widths once laid out, after the next refresh.
        self.call_after_refresh(self.drop_keys_that_do_not_fit)

    def on_resize(self) -> None:
        self.drop_keys_that_do_not_fit()

    def drop_keys_that_do_not_fit(self) -> None:
        """Hide, from the end, each key that would be cut by the right edge.

        Footer lets its line run past the edge, so a narrow terminal showed "g Progres";
        a key is shown whole or not at all (help and the palette list every key). The
        app's `?`, docked on the right, keeps its place; a group's label goes with its keys.
        """
        keys = list(self.children)
        available = self.content_size.width
        if self.has_class("-help-right") and keys and not isinstance(keys[-1], Label):
            available -= keys.pop().outer_size.width
        used = 0
        drop_from = len(keys)
        for index, key in enumerate(keys):
            width = key.outer_size.width
            if width == 0:  # not laid out yet: composing again will ask again
                return
            used += width + key.styles.margin.left + key.styles.margin.right
            # A trailing margin may run under the edge: only the key's cells must fit.
            if used - key.styles.margin.right > available:
                drop_from = index
                break
        if 0 < drop_from < len(keys) and isinstance(keys[drop_from], Label):
            drop_from -= 1  # a group's label ("+ - 10s") alone would say nothing
        for index, key in enumerate(keys):
            key.display = index < drop_from

    @staticmethod
    def keys_of(screen: Screen[object]) -> Shown:
        """The keys Footer would show for `screen`, as it reads them in `compose`."""
        return [
            (binding, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        ]


def key_footer(*, help_on_right: bool = False) -> Footer:
    """The keys that act on the screen in front of you, one line, as tight as Footer packs them.

    Compact, because at 60 columns every gap is a key that does not fit. `help_on_right`
    (the areas, whose last key is the app's `?`) docks that key on the right edge, where a
    narrow terminal cuts off the other keys before it; so the command palette's key, which
    Footer would put there, is left out (help lists : and ctrl+p).
    """
    return KeyFooter(compact=True, classes="-help-right" if help_on_right else "")
