"""Characters no text hipmob shows may hold: the one definition routine files and history share.

Control characters and the bidi controls can rewrite or reorder what a terminal shows, so
a name or a note carrying one is refused wherever text comes in (YAML, imports, the
history file), not cleaned up on the way out.
"""

from __future__ import annotations

import re

FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
"""C0 controls other than tab and newline, DEL, C1 controls, and the bidi controls."""

_FORBIDDEN_PATTERN = re.compile("[" + re.escape("".join(sorted(FORBIDDEN))) + "]")


def find_control_character(
    text: str, forbidden: frozenset[str] = FORBIDDEN
) -> tuple[int, str] | None:
    """The index and a readable name of the first forbidden character in `text`, if any.

    Forbidden by default: C0 controls but tab and newline, DEL, C1 controls and the bidi
    controls, the characters that can rewrite or reorder what a terminal shows."""
    if forbidden is FORBIDDEN:
        # One regex pass: the history reader checks every text of every session this way.
        match = _FORBIDDEN_PATTERN.search(text)
        return None if match is None else (match.start(), f"U+{ord(match.group()):04X}")
    if forbidden.isdisjoint(text):
        return None
    for index, char in enumerate(text):
        if char in forbidden:
            return index, f"U+{ord(char):04X}"
    return None  # pragma: no cover - isdisjoint said there was one


def printable(text: str) -> str:
    """`text` with every forbidden character (see FORBIDDEN) and line break taken out: a
    line from another program (a remote shell, ssh) that is shown, never obeyed."""
    return _FORBIDDEN_PATTERN.sub("", text.replace("\n", " ").replace("\t", " "))
