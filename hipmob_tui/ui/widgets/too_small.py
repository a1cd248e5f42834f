"""A notice that replaces a screen's body while the terminal is below the minimum size."""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20
FLOOR_MIN_WIDTH = 40
FLOOR_MIN_HEIGHT = 15
"""The floor clock's minimum (a phone in landscape at a browser's default font)."""


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

    def __init__(self, *, floor: bool = False) -> None:
        super().__init__(self.message(session_paused=False), markup=False)
        self.floor = floor
        """On the runner, whose floor clock fits a smaller screen."""

    @staticmethod
    def message(
        *,
        session_paused: bool,
        floor: bool = False,
        served: bool = False,
        upright: bool = False,
        big_clock_fits: bool = False,
    ) -> str:
        width, height = (FLOOR_MIN_WIDTH, FLOOR_MIN_HEIGHT) if floor else (MIN_WIDTH, MIN_HEIGHT)
        lines = ["Terminal too small.", f"Make it at least {width} × {height}."]
        if served:
            # A page has no window to drag bigger: what helps is the phone's side, or smaller
            # letters (hipmob serve's page reads ?fontsize=).
            lines = [
                f"Too small for this page: it needs {width} × {height} letters.",
                "Turn the phone on its side, or add ?fontsize=12 to the address."
                if upright
                else "Add ?fontsize=12 to the address for smaller letters.",
            ]
        if session_paused:
            lines.append("The session is paused: space goes on once it fits.")
        if big_clock_fits:
            lines.append(
                f"Or press f for the big clock: it fits {FLOOR_MIN_WIDTH} × {FLOOR_MIN_HEIGHT}."
            )
        return "\n".join(lines)

    def on_mount(self) -> None:
        self.say(session_paused=False, floor_clock=self.app.has_class("-floor"))

    def on_resize(self) -> None:
        # Turning a phone on its side changes what helps (the page's notice says so).
        if self.app.has_class("-served"):
            self.say(session_paused=self.paused, floor_clock=self.app.has_class("-floor"))

    paused = False
    """Whether the notice last said a session waits."""

    def say(self, *, session_paused: bool, floor_clock: bool) -> None:
        """The notice for now: whether a session waits, and the size this screen needs
        (the floor clock's, when it is on and this is the runner); in a browser's words
        when served (the app's `-served` class)."""
        self.paused = session_paused
        floor = floor_clock and self.floor
        served = self.app.has_class("-served")
        # A letter is about twice as tall as it is wide: 43 × 40 letters is a phone upright.
        upright = self.screen.size.width < 2 * self.screen.size.height
        # On the runner with every detail, the big clock may fit where the details do not
        # (the app's `-tiny` class: below the big clock's minimum; sizes lag a resize here).
        # Served, the page has its own words (a phone on its side, smaller letters).
        big_clock_fits = (
            self.floor and not floor_clock and not served and not self.app.has_class("-tiny")
        )
        self.update(
            self.message(
                session_paused=session_paused,
                floor=floor,
                served=served,
                upright=upright,
                big_clock_fits=big_clock_fits,
            )
        )
