"""A score in one tap: a row of stock Buttons, one per whole number of a small scale.

On a tablet on the floor a score (pain 0-10, a self-check's 0-10) is a tap, not the
on-screen keyboard. The buttons never take the focus: Enter and the number keys keep
doing what they did, and a key meant for the dialog is never a press of a button.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

MOST_BUTTONS = 11
"""A scale with more whole numbers than this (0-80 cm) is typed: its row would not fit."""


class ScoreButtons(Horizontal):
    """`low` to `high`, a button each; a tap posts `Picked` with its number."""

    DEFAULT_CSS = """
    ScoreButtons {
        height: auto;
        width: 100%;
        align-horizontal: center;
    }
    """
    """The buttons' look is hipmob.tcss's: the app's stylesheet wins over Button's own."""

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
            button = Button(str(score), id=f"score-{score}", compact=True)
            button.can_focus = False  # keys stay the dialog's: Enter never presses a score
            # No padding beside the label (CSS cannot say 0): "10" fits 2 columns, so
            # eleven buttons and their gaps fit a form's field (40 at 60 columns).
            button.styles.line_pad = 0
            yield button

    def on_resize(self) -> None:
        """Every button as wide as the others: shared out by `fr`, the columns left over
        went to some of them ("2" and "5" a column wider than "3" and "4")."""
        buttons = self.query(Button)
        gaps = len(buttons) - 1  # a column between two buttons (hipmob.tcss)
        width = max(2, (self.size.width - gaps) // max(1, len(buttons)))
        for button in buttons:
            button.styles.width = width

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        score = event.button.id
        if score is not None:
            self.post_message(self.Picked(self, int(score.removeprefix("score-"))))


def fits_buttons(low: int, high: int) -> bool:
    """Whether a whole-number scale is short enough for a row of buttons."""
    return 0 < high - low + 1 <= MOST_BUTTONS
