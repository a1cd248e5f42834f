"""A score in one tap: a row of cells, one per whole number of a small scale.

On a tablet on the floor a score (pain 0-10, a self-check's 0-10) is a tap, not the
on-screen keyboard. The cells never take the focus: Enter and the number keys keep
doing what they did, and a key meant for the dialog is never a press of a score.

Each cell is a stock Static that answers a click, not a Button: eleven Buttons made the
pain question's first frame (`hipmob run ID`) 36 ms later, eleven Statics 11 ms (Button
brings its own stylesheet, parsed with all the others, and more to draw); a cell that
cannot take the focus needs none of what a Button adds.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

MOST_BUTTONS = 11
"""A scale with more whole numbers than this (0-80 cm) is typed: its row would not fit."""


class ScoreCell(Static):
    """One score of the row: a click (a tap) gives it."""

    def __init__(self, score: int) -> None:
        super().__init__(str(score), id=f"score-{score}")
        self.score = score

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.add_class("-active")  # a moment's colour: the tap was taken
        self.set_timer(0.2, lambda: self.remove_class("-active"))
        row = self.parent
        if isinstance(row, ScoreButtons):
            row.post_message(ScoreButtons.Picked(row, self.score))


class ScoreButtons(Horizontal):
    """`low` to `high`, a button each; a tap posts `Picked` with its number."""

    DEFAULT_CSS = """
    ScoreButtons {
        height: auto;
        width: 100%;
        align-horizontal: center;
    }
    """
    """The cells' look is hipmob.tcss's (ScoreCell), beside the app's other colours."""

    HELP_NOTES = (("tap", "A score's button (pain, a 0-10 check): gives that score"),)
    """What a tap (or a click) on a score does, for help."""

    class Picked(Message):
        """A score was tapped."""

        def __init__(self, buttons: ScoreButtons, score: int) -> None:
            super().__init__()
            self.buttons = buttons
            self.score = score

        @property
        def control(self) -> ScoreButtons:
            """The row tapped (its id says which score it gives)."""
            return self.buttons

    def __init__(self, low: int = 0, high: int = 10, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.low = low
        self.high = high

    def compose(self) -> ComposeResult:
        for score in range(self.low, self.high + 1):
            yield ScoreCell(score)

    def on_resize(self) -> None:
        """Every button as wide as the others: shared out by `fr`, the columns left over
        went to some of them ("2" and "5" a column wider than "3" and "4")."""
        buttons = self.query(ScoreCell)
        gaps = len(buttons) - 1  # a column between two buttons (hipmob.tcss)
        width = max(2, (self.size.width - gaps) // max(1, len(buttons)))
        for button in buttons:
            button.styles.width = width


def fits_buttons(low: int, high: int) -> bool:
    """Whether a whole-number scale is short enough for a row of buttons."""
    return 0 < high - low + 1 <= MOST_BUTTONS
