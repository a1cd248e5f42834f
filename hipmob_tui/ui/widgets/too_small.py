"""A notice that replaces a screen's body while the terminal is below the minimum size."""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20


class TooSmall(Static):
    """Shown instead of the body (by the app's `-too-small` class) when the terminal is tiny."""

    DEFAULT_CSS = """
    TooSmall {
        display: none;
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-align: center;
        color: $warning;
    }
    """

    def __init__(self) -> None:
        super().__init__(self.message(session_paused=False), markup=False)

    @staticmethod
    def message(*, session_paused: bool) -> str:
        lines = ["Terminal too small.", f"Make it at least {MIN_WIDTH} × {MIN_HEIGHT}."]
        if session_paused:
            lines.append("The session is paused: space goes on once it fits.")
        return "\n".join(lines)

    def say_session_paused(self, paused: bool) -> None:
        self.update(self.message(session_paused=paused))
