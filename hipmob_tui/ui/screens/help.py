"""The help screen: every key, grouped by where it works."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from hipmob_tui.ui.widgets.footer import key_footer

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
        key_width = max((len(key) for _, keys in self.sections for key, _ in keys), default=4)
        with VerticalScroll(id="help-box") as box:
            # On the frame, not only at the end of the list: seen without scrolling.
            box.border_subtitle = CLOSE_HINT
            yield Static(Content.styled("Keys", "bold $accent"), classes="help-title")
            for heading, keys in self.sections:
                yield Static(Content.styled(heading, "bold underline"), classes="help-heading")
                # A key and its text side by side: a long text wraps under itself, not
                # back under the keys.
                for key, description in keys:
                    with Horizontal(classes="help-row"):
                        yield Static(
                            Content.styled(key, "bold $primary"), classes="help-key"
                        ).set_styles(f"width: {key_width + 2};")
                        yield Static(Content(description), classes="help-text")
            yield Static(Content.styled(f"{CLOSE_HINT.capitalize()}.", "dim"), classes="help-end")
        yield key_footer()

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss()
