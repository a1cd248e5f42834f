"""The runner's how-to: the exercise's steps and a cue, fitted to the room the screen leaves."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from hipmob_tui.content.models import Exercise
from hipmob_tui.ui import text


class HowTo(Widget):
    """The cue and as many whole how-to steps as fit, with hanging indents; redone on resize."""

    DEFAULT_CSS = """
    HowTo {
        height: 1fr;
        overflow: hidden;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.exercise: Exercise | None = None
        self.cue = 0
        """Which of the exercise's cues shows (a different one each set)."""

    def show(self, exercise: Exercise, cue: int) -> None:
        """The steps of `exercise` and its cue number `cue` (repaints only on a change)."""
        if (exercise, cue) != (self.exercise, self.cue):
            self.exercise, self.cue = exercise, cue
            self.refresh()

    def render(self) -> Content:
        # Called again whenever the size changes, so the fit always matches the room.
        if self.exercise is None:
            return Content("")
        room = self.content_region
        if room.width <= 0:
            return text.runner_howto(self.exercise, self.cue)
        return text.runner_howto(self.exercise, self.cue, width=room.width, lines=room.height)
