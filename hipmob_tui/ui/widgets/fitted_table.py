"""A table whose name column takes the width the other columns leave, so nothing is cut."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

Cell = Text | str
Columns = Sequence[tuple[str, int]]
"""Each column's label and width; the one of width 0 takes the room that is left."""


class FittedTable(DataTable[Cell]):
    """Rows under fixed columns; on resize the flexible column is fitted again."""

    def __init__(self, columns: Columns, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.fitted_columns = tuple(columns)
        self.rows_shown: list[tuple[Cell, ...]] = []
        self.fitted_width = 0

    def _flexible_width(self) -> int:
        fixed = sum(width for _, width in self.fitted_columns)
        padding = 2 * self.cell_padding * len(self.fitted_columns)
        return max(10, min(48, self.size.width - fixed - padding - 1))

    def show(self, rows: list[tuple[Cell, ...]]) -> None:
        """Show `rows`, keeping the cursor where it was as far as they reach."""
        row = self.cursor_row
        self.rows_shown = rows
        self.fitted_width = self._flexible_width()
        self.clear(columns=True)
        for label, width in self.fitted_columns:
            self.add_column(label, width=width or self.fitted_width)
        self.add_rows(rows)
        if rows:
            self.move_cursor(row=min(row, len(rows) - 1))

    def on_resize(self) -> None:
        if self.fitted_width != self._flexible_width():
            self.show(self.rows_shown)
