"""The help screen: every key, grouped by where it works, read from the bindings themselves.

Each row is a binding's key and its tooltip (or its description): the keys in help are
the keys in force, so the two cannot drift. Keys that a stock widget handles without a
binding of ours (the arrows of a list, Input's ctrl+w) are written beside the bindings,
as a `HELP_NOTES` tuple on the same class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from hipmob_tui.ui.dialogs.once import dismiss_once
from hipmob_tui.ui.widgets.footer import key_footer

CLOSE_HINT = "escape or ? closes this help"

KeyRow = tuple[str, str]
"""A key as the footer shows it, and what it does."""
KeySection = tuple[str, Sequence[KeyRow]]
"""A heading, and its rows."""
HelpSource = type[DOMNode] | tuple[type[DOMNode], str]
"""A class whose bindings and notes help lists, optionally with where they apply
("On the summary")."""
KeyDisplay = Callable[[Binding], str]


def key_sections(
    key_display: KeyDisplay, sections: Sequence[tuple[str, Sequence[HelpSource]]]
) -> list[KeySection]:
    """Each heading with the rows of its classes' bindings and notes, in their order.

    `key_display` is the app's `get_key_display`, so keys read as in the footer.
    """
    return [
        (heading, [row for source in sources for row in _rows(key_display, source)])
        for heading, sources in sections
    ]


def _rows(key_display: KeyDisplay, source: HelpSource) -> list[KeyRow]:
    """One class's rows; texts of one key are joined, so "space" reads pause and resume."""
    node_type, where = source if isinstance(source, tuple) else (source, "")
    rows: dict[str, str] = {}
    # The class's own bindings: a stock base's (a list's arrows) are said in HELP_NOTES.
    for binding in vars(node_type).get("BINDINGS", ()):
        if not isinstance(binding, Binding) or not (binding.tooltip or binding.description):
            continue  # a stand-in key with nothing to say (the filter's arrows)
        keys = _keys(key_display, binding)
        text = binding.tooltip or binding.description
        if keys not in rows:
            rows[keys] = text
        elif text not in rows[keys]:
            rows[keys] = f"{rows[keys]}; {_lower_first(text)}"
    notes: Sequence[KeyRow] = getattr(node_type, "HELP_NOTES", ())
    rows.update((keys, text) for keys, text in notes if keys not in rows)
    if where:
        return [(keys, f"{where}: {_lower_first(text)}") for keys, text in rows.items()]
    return list(rows.items())


def _keys(key_display: KeyDisplay, binding: Binding) -> str:
    """Every key of a binding as the footer shows keys: "d del", not "d,delete"."""
    keys = binding.key.split(",")
    return " ".join(key_display(replace(binding, key=key.strip())) for key in keys)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class HelpScreen(ModalScreen[None]):
    """Lists every key; any of Escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", tooltip="Close this help"),
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
        dismiss_once(self)
