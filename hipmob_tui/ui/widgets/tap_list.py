"""A list where a tap only highlights: a second tap on the highlighted entry acts on it.

Textual's OptionList highlights and selects on one click, so one tap on a routine would
start it. On a tablet a finger lands where it lands: here the first tap shows what was
touched (and its detail), and only a tap on the entry already highlighted posts `Tapped`.
Keys are the stock list's, unchanged (Enter still selects).
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import OptionList


class TapList(OptionList):
    """An OptionList whose click highlights, and whose click on the highlight is `Tapped`."""

    HELP_NOTES = (
        ("tap", "A list's entry: shows it; a second tap on it starts that routine or exercise"),
    )
    """What a tap (or a click) does, for help."""

    class Tapped(Message):
        """The highlighted entry was tapped again."""

        def __init__(self, tap_list: TapList, index: int) -> None:
            super().__init__()
            self.tap_list = tap_list
            self.index = index

        @property
        def control(self) -> TapList:
            """The list tapped."""
            return self.tap_list

    def on_click(self, event: events.Click) -> None:
        # The option under the pointer, as the stock list reads it from what it drew.
        index = event.style.meta.get("option")
        if not isinstance(index, int) or self.get_option_at_index(index).disabled:
            return  # not on an entry (or on a heading): the stock list's own handling
        event.prevent_default()  # the stock click would select (start) at once
        if index == self.highlighted:
            self.post_message(self.Tapped(self, index))
        else:
            self.highlighted = index
