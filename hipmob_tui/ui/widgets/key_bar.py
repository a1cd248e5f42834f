"""The keys that apply now, on the bottom line: what Textual's Footer shows, as one widget."""

from __future__ import annotations

from itertools import groupby

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

_KEY_STYLE = "bold $footer-key-foreground"


class KeyBar(Static):
    """One line of "key Description" pairs from the screen's active bindings.

    Textual's Footer mounts a widget per key and builds them again on every binding
    change; with a dozen keys that was a quarter of hipmob's time to its first frame.
    A key the screen disables (check_action returns None) is dimmed; a click presses it.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []
        """(first cell, end cell, key) of each key shown, for clicks."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._show_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._show_keys()

    def _show_keys(self) -> None:
        shown: list[tuple[Binding, bool]] = []
        shown_actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown_actions:
                shown_actions.add(binding.action)
                shown.append((binding, enabled))
        items: list[Content] = []
        self._spans = []
        cell = 0
        # Bindings of one group side by side share a description: "+ - 10s".
        for group, members in groupby(shown, key=lambda shown_key: shown_key[0].group):
            keys = list(members)
            grouped = group is not None and len(keys) > 1
            parts: list[Content] = []
            for binding, enabled in keys:
                key = Content.styled(self.app.get_key_display(binding), _KEY_STYLE)
                item = key if grouped else Content.assemble(key, " ", binding.description)
                if not enabled:
                    item = item.stylize("dim")
                self._spans.append((cell, cell + item.cell_length, binding.key))
                cell += item.cell_length + 1
                parts.append(item)
            if grouped and group is not None:
                parts.append(Content(group.description))
                cell += len(group.description) + 1
            items.append(Content(" ").join(parts))
        self.update(Content(" ").join(items), layout=False)  # always one line

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for start, end, key in self._spans:
            if start <= offset.x < end:
                self.app.simulate_key(key)
                return
