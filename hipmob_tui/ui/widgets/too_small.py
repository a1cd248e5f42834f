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
        super().__init__(
            f"Terminal too small.\nMake it at least {MIN_WIDTH} × {MIN_HEIGHT}.", markup=False
        )
