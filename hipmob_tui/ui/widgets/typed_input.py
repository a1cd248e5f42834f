"""Text fields whose editing keys act in the order they were typed.

Textual's Input and TextArea insert a typed character in their own key handler, but run
their editing keys (backspace, delete, the arrows, home, end...) as bindings, once the key
has bubbled up to the app. In a burst of keys (a paste by a terminal that sends keys, a
key macro, `tmux send-keys`, a busy machine) the characters typed after an editing key
then land before it acts: "12⌫⌫2.5" became "122", and a check saved the wrong number
(Textual issue #6605). Here a field runs its own bindings as the key arrives, in its
turn, through the app's public `run_action` (so `check_action` still decides).

The notes' TextArea takes the same mixin where it is used (`dialogs/session_forms.py`):
importing TextArea here would put its 15 ms on every start, for the Library's filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

_OWN_BINDINGS: dict[type, dict[str, Binding]] = {}


def _own_bindings(widget_class: type) -> dict[str, Binding]:
    """Key → the class's non-priority binding; a subclass's binding wins over its base's."""
    known = _OWN_BINDINGS.get(widget_class)
    if known is not None:
        return known
    found: dict[str, Binding] = {}
    for klass in reversed(widget_class.__mro__):
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", ())):
            if not binding.priority:
                found[binding.key] = binding
            else:
                found.pop(binding.key, None)  # the app ran it before the key got here
    _OWN_BINDINGS[widget_class] = found
    return found


_MOVES_ON: dict[str, Callable[[Screen[object]], object]] = {
    "tab": lambda screen: screen.focus_next(),
    "shift+tab": lambda screen: screen.focus_previous(),
}
"""Keys that move the focus to the next field (or back), run in turn as well."""


# A plain mixin: as a Widget subclass it would stand between the field and its own
# component classes (Textual collects those per class), and the field would not draw.
if TYPE_CHECKING:
    from textual.widget import Widget as _Field
else:
    _Field = object


class KeysInOrder(_Field):
    """Runs the widget's own key bindings as the key arrives, not after it bubbled up."""

    async def on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if focused is not self:
            if focused is not None and focused.screen is self.screen:
                # Queued here before a key of the same burst moved the focus on (Tab, or
                # Enter to a check's next side): it belongs where the focus is now, in
                # the order it came ("4 Tab 6" is 4 here and 6 there, not 46 here).
                event.prevent_default()
                event.stop()
                focused.post_message(events.Key(event.key, event.character))
            return
        bindings = _own_bindings(type(self))
        if event.key in _MOVES_ON and event.key not in bindings:
            # The app's own Tab would run after the keys behind it reached this field.
            event.prevent_default()
            event.stop()
            _MOVES_ON[event.key](self.screen)
            return
        for key in event.aliases:
            binding = bindings.get(key)
            if binding is not None and await self.app.run_action(binding.action, self):
                event.prevent_default()  # not Input's own handler, nor the app's later
                event.stop()
                return


class TypedInput(KeysInOrder, Input):
    """An Input whose backspace and arrows keep their place among the typed characters."""
