"""A Footer that rebuilds its keys once for a burst of binding changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class OnceFooter(Footer):
    """Textual's Footer, rebuilt once however many binding changes arrive before it is.

    Switching areas announces new bindings two or three times in a row (the key, the
    screen resuming, the focus). Textual's Footer rebuilds every key for each one, and
    each rebuild holds the screen's next paint: on the History area that was about 60 ms
    before its first rows could show.
    """

    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Queue one rebuild; later changes are picked up by it, as it reads them then."""
        if self._rebuild_queued:
            return
        super().bindings_changed(screen)
        # The same test Footer makes before it queues a rebuild.
        self._rebuild_queued = bool(
            screen.app.app_focus and self.is_attached and screen is self.screen
        )

    async def recompose(self) -> None:
        """Rebuild the keys; a change announced from now on queues another rebuild."""
        self._rebuild_queued = False
        await super().recompose()
