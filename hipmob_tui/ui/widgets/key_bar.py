"""The keys that apply now, on the bottom line: what Textual's Footer shows, as one widget."""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

_KEY_STYLE = "bold $footer-key-foreground"


class _KeyGroup(NamedTuple):
    """One entry of the bar: "k Desc", or a group's keys with their shared description."""

    content: Content
    spans: list[tuple[int, int, str]]
    """(first cell, end cell, key) within the entry."""
    is_help: bool


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
        self._groups: list[_KeyGroup] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._show_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._show_keys()

    def on_resize(self) -> None:
        self._lay_out()

    def _show_keys(self) -> None:
        shown: list[tuple[Binding, bool]] = []
        shown_actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown_actions:
                shown_actions.add(binding.action)
                shown.append((binding, enabled))
        # Bindings of one group side by side share a description: "+ - 10s".
        runs: list[list[tuple[Binding, bool]]] = []
        for binding, enabled in shown:
            if runs and binding.group is not None and runs[-1][0][0].group == binding.group:
                runs[-1].append((binding, enabled))
            else:
                runs.append([(binding, enabled)])
        self._groups = []
        for keys in runs:
            group = keys[0][0].group
            grouped = group is not None and len(keys) > 1
            parts: list[Content] = []
            spans: list[tuple[int, int, str]] = []
            cell = 0
            for binding, enabled in keys:
                key = Content.styled(self.app.get_key_display(binding), _KEY_STYLE)
                item = key if grouped else Content.assemble(key, " ", binding.description)
                if not enabled:
                    item = item.stylize("dim")
                spans.append((cell, cell + item.cell_length, binding.key))
                cell += item.cell_length + 1
                parts.append(item)
            if grouped and group is not None:
                parts.append(Content(group.description))
            is_help = any(binding.action == "help" for binding, _enabled in keys)
            self._groups.append(_KeyGroup(Content(" ").join(parts), spans, is_help))
        self._lay_out()

    def _lay_out(self) -> None:
        """Show the groups that fit; on a narrow terminal "? Help" (which lists every key) stays."""
        width = self.size.width or 10_000
        groups = self._groups
        if sum(group.content.cell_length + 1 for group in groups) - 1 > width:
            help_groups = [group for group in groups if group.is_help]
            room = width - sum(group.content.cell_length + 1 for group in help_groups)
            kept: list[_KeyGroup] = []
            for group in groups:
                if group.is_help:
                    continue
                if group.content.cell_length + 1 > room:
                    break
                kept.append(group)
                room -= group.content.cell_length + 1
            groups = kept + help_groups
        self._spans = []
        cell = 0
        for group in groups:
            self._spans.extend((cell + start, cell + end, key) for start, end, key in group.spans)
            cell += group.content.cell_length + 1
        self.update(Content(" ").join(group.content for group in groups), layout=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for start, end, key in self._spans:
            if start <= offset.x < end:
                self.app.simulate_key(key)
                return
