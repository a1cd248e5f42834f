"""The sessions table: rows added a page at a time, so ten years open in a blink."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import lru_cache

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from hipmob_tui.history.records import NO_SCORE, SessionRecord
from hipmob_tui.history.view import SORTS, completion, sort_sessions

FIRST_PAGE = 40
"""Rows built before the first paint: more than a 30-line terminal shows."""
PAGE = 200
"""Rows added per idle moment afterwards."""
_DIRECTIONS = {
    "date": ("newest first", "oldest first"),
    "routine": ("Z to A", "A to Z"),
    "minutes": ("longest first", "shortest first"),
    "relief": ("most first", "least first"),
}
_COLUMNS = {"Date": 10, "Routine": 0, "Min": 3, "Done": 5, "Pain": 5}
"""Column → width; the routine gets what is left."""
_SORT = Binding.Group("Sort")
"""o and r share one place in the footer ("o r Sort"): r costs two columns there, not ten,
where History's keys already fill 80 columns. Each key's tooltip and help say which is which."""


# Cells are shared between rows that show the same thing: ten years are 3,650 rows, and a
# Text a row for the routine and the done mark was about 2 MB of History's memory. The
# table only reads its cells (it renders copies), so one object can stand in many rows.


@lru_cache(maxsize=512)
def _done_cell(done: int, planned: int, completed: bool) -> Text:
    if completed:
        return Text("✓", style="green")
    return Text(f"{done}/{planned}" if planned else "part", style="yellow")


@lru_cache(maxsize=512)
def _routine_cell(name: str) -> Text:
    return Text(name, no_wrap=True, overflow="ellipsis")


def _done(record: SessionRecord) -> Text:
    if record.completed:
        return _done_cell(0, 0, True)
    return _done_cell(*completion(record), False)


def table_row(record: SessionRecord) -> tuple[Text | str, ...]:
    """One session as cells; user text as rich Text, never parsed as markup."""
    return (
        record.date.isoformat(),
        _routine_cell(record.routine_name),
        sys.intern(record.minutes_text),
        _done(record),
        sys.intern(record.pain_change or NO_SCORE),
    )


class SessionsTable(DataTable[Text | str]):
    """Every session, newest first by default; `o` changes the order, `r` reverses it."""

    BINDINGS = [
        Binding(
            "o",
            "cycle_sort",
            "Sort",
            tooltip="Sort by date, routine, minutes or relief",
            group=_SORT,
        ),
        Binding("r", "reverse", "Reverse", tooltip="Reverse the order", group=_SORT),
        Binding("home", "first", "First", show=False, tooltip="First session in the table"),
        Binding("end", "last", "Last", show=False, tooltip="Last session in the table"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.ordered: list[SessionRecord] = []
        self.sort_by = "date"
        self.descending = True
        self._sessions: Sequence[SessionRecord] = ()

    def _routine_width(self) -> int:
        fixed = sum(_COLUMNS.values()) + 2 * self.cell_padding * len(_COLUMNS)
        return max(10, min(40, self.size.width - fixed - 1))

    def _add_columns(self) -> None:
        routine_width = self._routine_width()
        for label, width in _COLUMNS.items():
            self.add_column(label, width=width or routine_width, key=label.lower())

    def on_resize(self) -> None:
        """Give the routine column the room there is."""
        if self.columns and self.columns[ColumnKey("routine")].width != self._routine_width():
            keep = self.current
            self.show(self._sessions, keep.id if keep else None)

    @property
    def loaded(self) -> int:
        """Rows built so far."""
        return self.row_count

    def show(self, sessions: Sequence[SessionRecord], keep: str | None = None) -> None:
        """Show `sessions` in the current order, keeping the cursor on session `keep`."""
        self._sessions = sessions
        self.ordered = sort_sessions(sessions, self.sort_by, self.descending)
        self.clear(columns=True)
        self._add_columns()
        self._add_rows(FIRST_PAGE)
        if keep is not None:
            self.move_to(keep)
        self._update_title()
        self.refresh_bindings()  # keys that need a session grey out, or light up again
        if self.loaded < len(self.ordered):
            self.set_timer(0.25, self._load_more)  # after the first rows are on screen

    def _add_rows(self, count: int) -> None:
        start = self.row_count
        for record in self.ordered[start : start + count]:
            self.add_row(*table_row(record), key=record.id)

    def _load_more(self) -> None:
        """The next page, one idle moment at a time, so keys stay answered."""
        if self.loaded >= len(self.ordered):
            return
        self._add_rows(PAGE)
        if self.loaded < len(self.ordered):
            self.set_timer(0.01, self._load_more)

    def move_to(self, session_id: str) -> None:
        """Put the cursor on one session, building rows up to it if needed."""
        index = next((n for n, s in enumerate(self.ordered) if s.id == session_id), None)
        if index is None:
            return
        if index >= self.loaded:
            self._add_rows(index + 1 - self.loaded + FIRST_PAGE)
        self.move_cursor(row=index, animate=False)

    @property
    def current(self) -> SessionRecord | None:
        """The session under the cursor."""
        if not self.ordered or not 0 <= self.cursor_row < self.loaded:
            return None
        return self.ordered[self.cursor_row]

    def action_first(self) -> None:
        """The top row."""
        self.move_cursor(row=0, animate=False)

    def action_last(self) -> None:
        """The bottom row, building the rows still missing."""
        if self.ordered:
            self.move_to(self.ordered[-1].id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Sorting is greyed while there is nothing to sort."""
        if action in ("cycle_sort", "reverse"):
            return True if self.ordered else None
        return True

    def action_cycle_sort(self) -> None:
        """The next sort order, keeping the same session selected."""
        keys = list(SORTS)
        self.sort_by = keys[(keys.index(self.sort_by) + 1) % len(keys)]
        self.descending = self.sort_by != "routine"
        self._resort()

    def action_reverse(self) -> None:
        """Flip the order."""
        self.descending = not self.descending
        self._resort()

    def _resort(self) -> None:
        keep = self.current
        self.show(self._sessions, keep.id if keep else None)

    def _update_title(self) -> None:
        label = SORTS[self.sort_by][0]
        high, low = _DIRECTIONS[self.sort_by]
        direction = high if self.descending else low
        count = len(self.ordered)
        self.border_title = f"Sessions · {count:,} · {label}, {direction}"
