"""The bottom line of every screen: Textual's own Footer, set up once for hipmob."""

from __future__ import annotations

from textual.widgets import Footer


def key_footer(*, help_on_right: bool = False) -> Footer:
    """The keys that act on the screen in front of you, one line, as tight as Footer packs them.

    Compact, because at 60 columns every gap is a key that does not fit. `help_on_right`
    (the areas, whose last key is the app's `?`) docks that key on the right edge, where a
    narrow terminal cuts off the other keys before it; so the command palette's key, which
    Footer would put there, is left out (help lists ctrl+p).
    """
    return Footer(
        compact=True, show_command_palette=False, classes="-help-right" if help_on_right else ""
    )
