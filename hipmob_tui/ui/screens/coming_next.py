"""A plain panel for areas whose issue has not landed yet; the navigation to it is real."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from hipmob_tui.ui.widgets.too_small import TooSmall


class ComingNextScreen(Screen[None]):
    """An area that is not built yet, saying so plainly."""

    def __init__(self, area: str, promise: str) -> None:
        super().__init__()
        self.area = area
        self.promise = promise

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(classes="body"), Center():
            yield Static(
                f"{self.area}\n\n{self.promise}\n\nComing next.",
                markup=False,
                classes="coming-next",
            )
        yield TooSmall()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = self.area


class SessionScreen(ComingNextScreen):
    """The guided session runner (not built yet)."""

    def __init__(self) -> None:
        super().__init__(
            "Session",
            "Pick a routine and follow it step by step, "
            "with a big timer you can read from the floor.",
        )
