"""Reference Textual apps the benchmarks compare hipmob against, run as separate processes.

python bench/ref_apps.py datatable           a plain app holding a 3,650-row DataTable
python bench/ref_apps.py bare                Header, Label, Footer
python bench/ref_apps.py countdown [SECONDS] the frugal Textual timer (default 120 s)

Each app imports only the widgets it shows, inside compose, so that the bare app's first
frame is not slowed by modules it never uses (it is the yardstick for launch times).
"""

from __future__ import annotations

import math
import sys
import time
from datetime import date, timedelta

from textual.app import App, ComposeResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from textual.widgets import Digits, ProgressBar

ROWS = 3650
COUNTDOWN_SECONDS = 120


class DataTableApp(App[None]):
    """What a straightforward History pane would be: every row built before the first paint."""

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable, Footer, Header

        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        from textual.widgets import DataTable

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
        from textual.widgets import Footer, Header, Label

        yield Header()
        yield Label("READY")
        yield Footer()


class CountdownApp(App[None]):
    """The frugal way to write a Textual timer, the yardstick for the runner's bytes and CPU.

    Header, Digits in whole seconds, a ProgressBar, Footer; a 10 Hz tick reads the monotonic
    clock and touches the widgets only when the shown text changes (Digits repaints on
    every update, even with the same text).
    """

    TITLE = "Countdown"
    digits: Digits
    bar: ProgressBar

    def __init__(self, seconds: int = COUNTDOWN_SECONDS) -> None:
        super().__init__()
        self.seconds = seconds
        self.began = 0.0
        self.shown = ""

    def compose(self) -> ComposeResult:
        from textual.widgets import Digits, Footer, Header, ProgressBar

        yield Header()
        yield Digits("")
        yield ProgressBar(total=self.seconds, show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        from textual.widgets import Digits, ProgressBar

        self.digits = self.query_one(Digits)
        self.bar = self.query_one(ProgressBar)
        self.began = time.monotonic()
        self.set_interval(0.1, self.tick)
        self.tick()

    def tick(self) -> None:
        elapsed = time.monotonic() - self.began
        text = str(max(0, math.ceil(self.seconds - elapsed)))
        if text != self.shown:
            self.shown = text
            self.digits.update(text)
            self.bar.update(progress=int(elapsed))


def main(argv: list[str]) -> None:
    if argv[0] == "countdown":
        CountdownApp(int(argv[1]) if len(argv) > 1 else COUNTDOWN_SECONDS).run()
    else:
        {"datatable": DataTableApp, "bare": BareApp}[argv[0]]().run()


if __name__ == "__main__":
    main(sys.argv[1:])
