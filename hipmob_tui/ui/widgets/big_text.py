"""Letters and digits as large as their box allows: the floor clock's, read from two metres.

A 5 × 7 dot font, scaled by whole numbers (crisp strokes at any size) and drawn with half
blocks, so a cell holds two dots one above the other: about square dots in a terminal's
cells, which are about twice as tall as they are wide. Where even the smallest size does
not fit, the text is written plainly, in bold.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

GLYPH_HEIGHT = 7
GAP = 1
"""Blank dots between two glyphs."""

_FONT_ROWS = {
    "0": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    ":": (".", ".", "#", ".", "#", ".", "."),
    "·": (".", ".", ".", "#", ".", ".", "."),
    "-": ("....", "....", "....", "####", "....", "....", "...."),
    " ": ("...", "...", "...", "...", "...", "...", "..."),
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": ("###", ".#.", ".#.", ".#.", ".#.", ".#.", "###"),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
}
FONT: dict[str, tuple[tuple[bool, ...], ...]] = {
    char: tuple(tuple(dot == "#" for dot in row) for row in rows)
    for char, rows in _FONT_ROWS.items()
}
"""Each glyph as rows of dots, top first."""

HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
"""A cell's character for its (top, bottom) dots."""

Parts = tuple[tuple[str, str], ...]
"""Text in runs of one style each: (text, style), the style as Content takes it ("" none)."""


def dots_wide(text: str) -> int:
    """The width of `text` in dots, glyphs and the gaps between them."""
    return sum(len(FONT[char][0]) for char in text) + GAP * max(0, len(text) - 1)


def fit(text: str, width: int, height: int, tallest: float) -> tuple[int, int] | None:
    """The largest whole scale of `text` in `width` cells × `height` rows: (cells a dot is
    wide, half rows a dot is tall); None when even one cell a dot does not fit.

    A half row is about as tall as a cell is wide, so (n, n) is a square dot; a dot may be
    up to `tallest` times as tall as wide (condensed figures use a tall box better).
    """
    if not text or any(char not in FONT for char in text):
        return None
    across = width // dots_wide(text)
    down = (2 * height) // GLYPH_HEIGHT
    wide = min(across, down)
    if wide < 1:
        return None
    return wide, max(wide, min(down, int(wide * tallest)))


def draw(parts: Parts, width: int, height: int, scale: tuple[int, int]) -> list[Content]:
    """`parts` at `scale`, centred in `width` × `height`: one Content per row."""
    wide, tall = scale
    text = "".join(run for run, _ in parts)
    styles = [style for run, style in parts for _ in run]
    # One row of dots at a time, each dot `wide` cells; the style of every cell.
    dots: list[list[bool]] = [[] for _ in range(GLYPH_HEIGHT)]
    cell_styles: list[str] = []
    for index, char in enumerate(text):
        glyph = FONT[char]
        for row, line in enumerate(glyph):
            for dot in line:
                dots[row].extend([dot] * wide)
            if index < len(text) - 1:
                dots[row].extend([False] * (GAP * wide))
        cell_styles.extend([styles[index]] * (len(glyph[0]) * wide))
        if index < len(text) - 1:
            cell_styles.extend([""] * (GAP * wide))
    drawn_width = len(cell_styles)
    left = (width - drawn_width) // 2
    top = (2 * height - GLYPH_HEIGHT * tall) // 2  # in half rows

    def half_row(y: int) -> list[bool] | None:
        row = (y - top) // tall
        return dots[row] if y >= top and row < GLYPH_HEIGHT else None

    blank = [False] * drawn_width
    lines = []
    for row in range(height):
        upper = half_row(2 * row) or blank
        lower = half_row(2 * row + 1) or blank
        chars = [HALF_BLOCKS[pair] for pair in zip(upper, lower, strict=True)]
        runs: list[Content] = [Content(" " * left)]
        start = 0
        for end in range(1, drawn_width + 1):
            if end == drawn_width or cell_styles[end] != cell_styles[start]:
                piece = "".join(chars[start:end])
                style = cell_styles[start]
                runs.append(Content.styled(piece, style) if style else Content(piece))
                start = end
        runs.append(Content(" " * (width - left - drawn_width)))
        lines.append(Content.assemble(*runs))
    return lines


def glyph_width(char: str) -> int:
    """A glyph's width in dots (a character the font lacks: one)."""
    glyph = FONT.get(char)
    return len(glyph[0]) if glyph else 1


class BigText(Widget):
    """`parts` as large as the widget's box allows (see `fit`), centred; plainly when even
    the smallest size does not fit."""

    DEFAULT_CSS = """
    BigText {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    parts: reactive[Parts] = reactive((), layout=False)
    """What it shows."""

    def __init__(self, *, tallest: float = 1.0, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.tallest = tallest
        """How much taller than wide a dot may be (1: square)."""

    def render(self) -> Content:
        width, height = self.content_size
        text = "".join(run for run, _ in self.parts)
        scale = fit(text, width, height, self.tallest)
        if scale is None:
            return self._plain(width, height)
        return Content("\n").join(draw(self.parts, width, height, scale))

    def _plain(self, width: int, height: int) -> Content:
        line = Content.assemble(
            *(Content.styled(run, f"bold {style}".strip()) for run, style in self.parts)
        )
        pad = max(0, (width - line.cell_length) // 2)
        above = max(0, (height - 1) // 2)
        return Content("\n" * above).append(Content(" " * pad)).append(line)


class Figure(Widget):
    """One character of BigFigures, at the scale its row gives it."""

    DEFAULT_CSS = """
    Figure {
        width: 1;
        height: 1fr;
    }
    """

    char: reactive[str] = reactive(" ")
    scale: reactive[tuple[int, int] | None] = reactive(None)

    def render(self) -> Content:
        width, height = self.content_size
        if self.scale is None or self.char not in FONT:
            return Content("\n" * ((height - 1) // 2) + self.char.center(width))
        # The glyph on the left; the gap to the next figure, if any, on its right.
        drawn = glyph_width(self.char) * self.scale[0]
        gap = Content(" " * (width - drawn))
        lines = draw(((self.char, ""),), drawn, height, self.scale)
        return Content("\n").join(line + gap for line in lines)


class BigFigures(Horizontal):
    """A clock's figures as large as the box allows, one widget a character: as the time
    ticks, only the figures that change are drawn again (a changed part of a widget is
    sent from the widget's left edge on, so one widget would send almost every row whole,
    every second: 7 KB/s on a tablet instead of 2).

    The scale comes from `reserve` (the widest the time reads in this step, "8:88"), so
    the figures keep their size while the time changes; a time wider than that takes its
    own.
    """

    DEFAULT_CSS = """
    BigFigures {
        height: 1fr;
        align: center middle;
    }
    """

    text: reactive[str] = reactive("", init=False, repaint=False)
    """What it shows: digits and a colon (its figures repaint, not the row)."""

    def __init__(self, *, tallest: float = 1.0, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.tallest = tallest
        """How much taller than wide a dot may be (1: square)."""
        self.reserve = ""

    def compose(self) -> ComposeResult:
        yield from ()

    def set_reserve(self, reserve: str) -> None:
        """The widest text of the coming times ("8:88"): one figure for each character."""
        if reserve == self.reserve:
            return
        self.reserve = reserve
        self.remove_children()
        self.mount_all(Figure() for _ in reserve)
        self.call_after_refresh(self._arrange)

    def watch_text(self) -> None:
        text = self.text
        if len(text) > len(self.reserve) or any(
            glyph_width(mine) != glyph_width(kept)
            for mine, kept in zip(text.rjust(len(self.reserve)), self.reserve, strict=False)
            if mine != " "
        ):
            self.set_reserve("".join("8" if char.isdigit() else char for char in text))
        self._show()

    def _show(self) -> None:
        chars = self.text.rjust(len(self.reserve))
        for figure, char in zip(self.query(Figure), chars, strict=False):
            figure.char = char

    def on_resize(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        """Size each figure for the scale the box allows."""
        figures = list(self.query(Figure))
        if len(figures) != len(self.reserve):
            return  # still mounting: arranged once they are
        width, height = self.content_size
        scale = fit(self.reserve, width, height, self.tallest)
        for index, (figure, char) in enumerate(zip(figures, self.reserve, strict=True)):
            gap = GAP if index < len(figures) - 1 else 0  # each but the last, on its right
            figure.styles.width = (glyph_width(char) + gap) * scale[0] if scale else 1
            figure.scale = scale
        self._show()
