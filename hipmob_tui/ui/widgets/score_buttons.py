"""A score in one tap: a row of cells, one per whole number of a small scale.

On a tablet on the floor a score (pain 0-10, a self-check's 0-10) is a tap, not the
on-screen keyboard. The row never takes the focus: Enter and the number keys keep doing
what they did, and a key meant for the dialog is never a press of a score.

The row is one widget that draws its cells and reads where a click fell. Eleven stock
Buttons made the pain question (the first frame of `hipmob run ID`) 36-40 ms later,
eleven Statics 25-30 ms: each widget is a message queue, a mount and a style of its own.
One widget costs about what an empty row did (5 ms), for the same look.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.geometry import Offset
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

MOST_BUTTONS = 11
"""A scale with more whole numbers than this (0-80 cm) is typed: its row would not fit."""
GAP = 1
"""Columns between two cells."""


class ScoreButtons(Widget):
    """`low` to `high`, a cell each, all one width and centred; a tap posts `Picked`."""

    DEFAULT_CSS = """
    ScoreButtons {
        height: 1;
        width: 100%;
    }
    """
    """Its colours are hipmob.tcss's (the component classes below); served, 3 rows tall."""

    COMPONENT_CLASSES = {"score-buttons--cell", "score-buttons--hover", "score-buttons--tapped"}

    HELP_NOTES = (("tap", "A score's button (pain, a 0-10 check): gives that score"),)
    """What a tap (or a click) on a score does, for help."""

    hovered: reactive[int | None] = reactive(None)
    """The score under the mouse, drawn lighter."""
    tapped: reactive[int | None] = reactive(None)
    """The score just tapped, drawn in the accent colour for a moment."""

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

    @property
    def scores(self) -> range:
        return range(self.low, self.high + 1)

    def _cell_width(self) -> int:
        count = len(self.scores)
        return max(2, (self.size.width - GAP * (count - 1)) // max(1, count))

    def _left(self) -> int:
        """Where the first cell starts: the row is centred."""
        count = len(self.scores)
        used = count * self._cell_width() + GAP * (count - 1)
        return max(0, (self.size.width - used) // 2)

    def offset_of(self, score: int) -> Offset:
        """Where a score's cell is, in the row (its middle): for a click by a test."""
        index = score - self.low
        x = self._left() + index * (self._cell_width() + GAP) + self._cell_width() // 2
        return Offset(x, self.size.height // 2)

    def score_at(self, x: int) -> int | None:
        """The score whose cell is at column `x`; None in a gap or beside the row."""
        step = self._cell_width() + GAP
        index, within = divmod(x - self._left(), step)
        if x < self._left() or within >= self._cell_width() or index >= len(self.scores):
            return None
        return self.low + index

    def render(self) -> Content:
        width = self._cell_width()
        middle = self.size.height // 2
        lines = []
        for y in range(max(1, self.size.height)):
            parts = [Content(" " * self._left())]
            for index, score in enumerate(self.scores):
                name = "score-buttons--cell"
                if score == self.tapped:
                    name = "score-buttons--tapped"
                elif score == self.hovered:
                    name = "score-buttons--hover"
                label = str(score) if y == middle else ""
                style = self.get_visual_style(name)
                if index:
                    parts.append(Content(" " * GAP))
                parts.append(Content.styled(label.center(width), style))
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self.score_at(event.x)

    def on_leave(self) -> None:
        self.hovered = None

    def on_click(self, event: events.Click) -> None:
        score = self.score_at(event.x)
        if score is None:
            return
        event.stop()
        self.tapped = score  # a moment's colour: the tap was taken
        self.set_timer(0.2, self._untap)
        self.post_message(self.Picked(self, score))

    def _untap(self) -> None:
        self.tapped = None


def fits_buttons(low: int, high: int) -> bool:
    """Whether a whole-number scale is short enough for a row of buttons."""
    return 0 < high - low + 1 <= MOST_BUTTONS
