"""The reference countdown the runner is measured against (issue 4), run as its own process.

Header, Digits in whole seconds updated only when the text changes, a ProgressBar, Footer,
a 10 Hz tick, time from the monotonic clock: the frugal way to write a Textual timer.
"""

from __future__ import annotations

import math
import time

from textual.app import App, ComposeResult
from textual.widgets import Digits, Footer, Header, ProgressBar

SECONDS = 120


class CountdownApp(App[None]):
    TITLE = "Countdown"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Digits("")
        yield ProgressBar(total=SECONDS, show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.began = time.monotonic()
        self.shown = ""
        self.set_interval(0.1, self.tick)
        self.tick()

    def tick(self) -> None:
        elapsed = time.monotonic() - self.began
        text = str(max(0, math.ceil(SECONDS - elapsed)))
        if text != self.shown:
            self.shown = text
            self.query_one(Digits).update(text)
            self.query_one(ProgressBar).update(progress=int(elapsed))


if __name__ == "__main__":
    CountdownApp().run()
