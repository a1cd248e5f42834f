"""Side notes: which side of a per-side exercise felt tighter, as the runner and the
summary offer them. The keys and their words live here, so the two screens agree."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable

from hipmob_tui.history.records import SIDE_WORDS
from hipmob_tui.ui import text

SIDE_KEYS = {"left": "[", "right": "]", "even": "\\"}
"""The keys as the footer shows them. Not = (it is +10s in the runner), nor l, r or e
(Library, restart, edit...): these three are free on every screen that takes a note."""
_KEY_NAMES = {"left": "left_square_bracket", "right": "right_square_bracket", "even": "backslash"}
_TIPS = {
    "left": "the left side felt tighter (again: no note)",
    "right": "the right side felt tighter (again: no note)",
    "even": "both sides felt the same (again: no note)",
}


def side_bindings(where: str) -> list[Binding]:
    """The side notes' keys, each twice: to note a side, and (ticked) to clear it once noted.

    The screen's `check_action` shows one of each pair, `note_side` or `clear_side`, so the
    footer shows the note; both toggle. `where` begins the tooltip, {} where the side goes.
    """
    bindings = []
    for side, key in _KEY_NAMES.items():
        tip = where.format(_TIPS[side])
        name = side.capitalize()
        bindings.append(Binding(key, f"note_side('{side}')", name, tooltip=tip))
        bindings.append(Binding(key, f"clear_side('{side}')", f"{name} ✓", tooltip=tip))
    return bindings


def _key(side: str) -> Content:
    return Content.styled(SIDE_KEYS[side], "bold $accent")


def _keys() -> list[Content | str]:
    return [_key("left"), " left  ", _key("right"), " right  ", _key("even"), " even"]


def side_line(name: str, side_note: str | None) -> Content:
    """The runner's line in the pause after a per-side exercise: its note, or the keys."""
    head = Content.assemble(text.literal(name, "bold"), Content.styled(" · ", "dim"))
    if side_note is None:
        return Content.assemble(head, Content.styled("tighter side? ", "dim"), *_keys())
    return Content.assemble(
        head,
        Content.styled(SIDE_WORDS[side_note], "bold"),
        Content.styled(" · ", "dim"),
        _key(side_note),
        Content.styled(" again: no note", "dim"),
    )


def sides_label() -> Content:
    """The summary's line above its side notes: what they are and the keys that set them."""
    return Content.assemble(
        Content.styled("Tighter side  ", "bold"),
        *_keys(),
        Content.styled("  (the same again: no note)", "dim"),
    )


def side_cell(side_note: str | None) -> Text:
    """A side note as the summary's table shows it: in words, or dim when there is none."""
    if side_note is None:
        return Text("not noted", style="dim")
    return Text(SIDE_WORDS[side_note], style="bold")


class SideNotesTable(DataTable[Text], inherit_bindings=False):
    """The summary's per-side exercises and their notes, a row each; its screen's keys set
    them. Enter is left to the screen (Done): the table's own would only select the row."""

    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]
