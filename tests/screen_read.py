"""Reading a screen as a person does: the big timer, the too-small notice, colours.

Shared by the tmux end-to-end tests (a capture-pane text) and the Pilot size sweeps (the
app's rendered lines): both are the same characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD

from hipmob_tui.ui.widgets.too_small import MIN_HEIGHT, MIN_WIDTH


def _glyphs() -> dict[tuple[str, str, str], str]:
    """Each character of Textual's Digits font, as its three rows padded to three cells."""
    table: dict[tuple[str, str, str], str] = {}
    for rows in (DIGITS3X3_BOLD, DIGITS3X3):  # three lines a character
        for index, char in enumerate(DIGITS):
            top, middle, bottom = (row.ljust(3) for row in rows[index * 3 : index * 3 + 3])
            table.setdefault((top, middle, bottom), char)
    return table


_GLYPHS = _glyphs()
_CLOCK = re.compile(r"\d{1,2}:\d\d")


def big_clock(screen: str) -> str | None:
    """The time the big Digits timer shows ("0:42"), or None when none is on the screen."""
    lines = screen.splitlines()
    for top, middle, bottom in zip(lines, lines[1:], lines[2:], strict=False):
        inked = [i for row in (top, middle, bottom) for i, c in enumerate(row) if c != " "]
        if not inked:
            continue
        start, end = min(inked), max(inked) + 1
        # Three cells a character; the last one's right column may be trimmed blank.
        a, b, c = (row.ljust(end + 2)[start : end + 2] for row in (top, middle, bottom))
        shown = "".join(
            _GLYPHS.get((a[i : i + 3], b[i : i + 3], c[i : i + 3]), "?")
            for i in range(0, end - start, 3)
        )
        if _CLOCK.fullmatch(shown):
            return shown
    return None


def seconds_of(clock: str) -> int:
    """ "1:05" -> 65."""
    minutes, seconds = clock.split(":")
    return int(minutes) * 60 + int(seconds)


NOTICE_LINES = ("Terminal too small.", f"Make it at least {MIN_WIDTH} × {MIN_HEIGHT}.")


def notice_problem(screen: str, width: int, height: int) -> str | None:
    """Why `screen` (width × height) does not show what it should about its size, or None.

    At the minimum size or more the notice must be gone. Below it, as much of the notice as
    fits: the title bar takes the first row, so with two rows and 19 columns the first line
    fits whole, with three rows and 25 columns both; from 8 columns the word "Terminal".
    """
    below = width < MIN_WIDTH or height < MIN_HEIGHT
    if not below:
        return (
            "the too-small notice is shown at the minimum size" if "too small" in screen else None
        )
    wanted: list[str] = []
    if height >= 2 and width >= 8:
        wanted.append("Terminal")
    if height >= 2 and width >= len(NOTICE_LINES[0]):
        wanted.append(NOTICE_LINES[0])
    if height >= 3 and width >= len(NOTICE_LINES[1]):
        wanted.append(NOTICE_LINES[1])
    missing = [text for text in wanted if text not in screen]
    return f"{missing} not shown at {width}×{height}" if missing else None


# -- colours in `tmux capture-pane -e` ------------------------------------------------------

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_GREY_CUBE = {16 + 43 * level for level in range(6)}  # r == g == b in the 6×6×6 cube


@dataclass(frozen=True)
class Cell:
    char: str
    fg: tuple[int, ...] | None  # None: the terminal's default
    bg: tuple[int, ...] | None
    reverse: bool


def _colour(params: list[int], at: int, base: int) -> tuple[tuple[int, ...] | None, int]:
    """The colour an SGR parameter at `at` sets (base 30 for fg, 40 for bg), and the next."""
    code = params[at]
    if code == base + 8:  # 38;5;N (the 256 palette) or 38;2;R;G;B
        if params[at + 1 : at + 2] == [5]:
            return tuple(params[at + 2 : at + 3]), at + 3
        return tuple(params[at + 2 : at + 5]), at + 5
    if code == base + 9:
        return None, at + 1
    if base <= code <= base + 7:
        return (code - base,), at + 1
    return (code - base - 60 + 8,), at + 1  # 90-97 / 100-107: the bright eight


def cells(captured: str) -> list[list[Cell]]:
    """Every character of a `capture-pane -e` text with the colours it is drawn in."""
    fg: tuple[int, ...] | None = None
    bg: tuple[int, ...] | None = None
    reverse = False
    screen: list[list[Cell]] = []
    for line in captured.splitlines():
        row: list[Cell] = []
        for index, part in enumerate(_SGR.split(line)):
            if index % 2 == 0:
                row.extend(Cell(char, fg, bg, reverse) for char in part)
                continue
            params = [int(p or 0) for p in re.split("[;:]", part)]
            at = 0
            while at < len(params):
                code = params[at]
                if code == 0:
                    fg, bg, reverse, at = None, None, False, at + 1
                elif code == 7 or code == 27:
                    reverse, at = code == 7, at + 1
                elif 30 <= code <= 39 or 90 <= code <= 97:
                    fg, at = _colour(params, at, 30)
                elif 40 <= code <= 49 or 100 <= code <= 107:
                    bg, at = _colour(params, at, 40)
                else:
                    at += 1
        screen.append(row)
    return screen


def is_grey(colour: tuple[int, ...] | None) -> bool:
    """No hue: black, white, a grey of the 256 palette, or an RGB with r == g == b."""
    if colour is None:
        return True
    if len(colour) == 3:
        return colour[0] == colour[1] == colour[2]
    (index,) = colour
    return index in (0, 7, 8, 15) or index in _GREY_CUBE or 232 <= index <= 255


def hues(screen: list[list[Cell]]) -> set[tuple[int, ...]]:
    """Every colour with a hue used on the screen."""
    return {c for row in screen for cell in row for c in (cell.fg, cell.bg) if not is_grey(c)}


def _same(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> bool:
    """Whether two colours are surely the same (the default colours are unknown here).

    The sixteen named colours and the first sixteen of the 256 palette share indexes.
    """
    return a is not None and a == b


def invisible(screen: list[list[Cell]]) -> list[str]:
    """Each line with text drawn in the colour of its own background, with that text.

    Text is letters, digits and punctuation; lines and bars are left out (in 16 colours the
    untaken part of the tab underline is drawn in the background's colour, by design).
    """
    found = []
    for number, row in enumerate(screen):
        hidden = "".join(
            cell.char
            for cell in row
            if unicodedata.category(cell.char)[0] in "LNP"
            and _same(*((cell.bg, cell.fg) if cell.reverse else (cell.fg, cell.bg)))
        )
        if hidden:
            found.append(f"line {number}: {hidden!r}")
    return found
