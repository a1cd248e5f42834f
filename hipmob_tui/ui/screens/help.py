"""The help screen: every key, grouped by where it works."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

CLOSE_HINT = "escape or ? closes this help"

KeySection = tuple[str, Sequence[tuple[str, str]]]
"""A heading, and (key, what it does) pairs."""


class HelpScreen(ModalScreen[None]):
    """Lists every key; any of Escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            # On the frame, not only at the end of the list: seen without scrolling.
            box.border_subtitle = CLOSE_HINT
            yield Static(self._render_keys(), id="help-keys")

    def _render_keys(self) -> Content:
        width = max((len(key) for _, keys in self.sections for key, _ in keys), default=4) + 2
        parts: list[Content] = [Content.styled("Keys\n", "bold $accent")]
        for heading, keys in self.sections:
            parts.append(Content.styled(f"\n{heading}\n", "bold underline"))
            for key, description in keys:
                parts.append(Content.styled(f"  {key.ljust(width)}", "bold $primary"))
                parts.append(Content(f"{description}\n"))
        parts.append(Content.styled(f"\n{CLOSE_HINT.capitalize()}.", "dim"))
        return Content.assemble(*parts)

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss()
