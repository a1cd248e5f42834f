"""Reference Textual apps the benchmarks compare hipmob against, run as separate processes.

python bench/ref_apps.py datatable   a plain app holding a 3,650-row DataTable
python bench/ref_apps.py bare        Header, Label, Footer
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Label

ROWS = 3650


class DataTableApp(App[None]):
    """What a straightforward History pane would be: every row built before the first paint."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Routine", "Min", "Done", "Pain")
        today = date.today()
        table.add_rows(
            (
                (today - timedelta(days=n)).isoformat(),
                "Full Session (Reset, Restore, Rebuild)",
                str(20 + n % 5),
                "✓",
                f"{n % 8}→{n % 5}",
            )
            for n in range(ROWS)
        )


class BareApp(App[None]):
    """The least a Textual app can show."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("READY")
        yield Footer()


if __name__ == "__main__":
    {"datatable": DataTableApp, "bare": BareApp}[sys.argv[1]]().run()
