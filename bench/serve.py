"""`hipmob serve` in headless Chromium against the same hipmob in a terminal.

    python bench/serve.py [--runs N]

The page is 1280 × 800, a tablet: at the page's font its terminal is 142 × 38, and the
terminal side runs in a pty of that size, with truecolor as the page has it
(xterm-256color, COLORTERM=truecolor). Alternated, a new order every round, medians:

- first screen: from the start of the page's load (its navigation) to the Library's
  "RESET" arriving in the page, against `hipmob`'s launch to "RESET" in the pty. A fresh
  `hipmob serve` each round, the page opened as soon as it prints its address (which it
  does once its app is up: a person starts it, then opens the page). Target (issue 16):
  at most 1.5x.
- a hold: the bytes a second of a 120 s hold sends, counted on the page's WebSocket with
  its frame headers, against the pty's, over 10 seconds. The page shows the floor
  clock (served, it is the default): against the terminal's floor clock (f), the same
  screen; target (issue 16) at most 2x. The terminal's usual runner, with every detail,
  is shown beside for comparison.

Needs the web extra and Chromium; says so and measures nothing without them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    ROOT,
    PtyApp,
    Row,
    alternate,
    bench_main,
    bench_routine,
    installed,
    median,
    ms,
    scratch,
)

sys.path.insert(0, str(ROOT))  # the DevTools client of this checkout, whatever is measured

PAGE = (1280, 800)
CELLS = (142, 38)
"""The page's terminal at PAGE with its 16 px Roboto Mono (the tests check it)."""
START_TIMEOUT = 30.0
SETTLE = 1.5
WATCH = r"""
(() => {
  // Bytes as sent: each binary frame's payload and header (2 bytes, 4 from 126 bytes).
  const seen = (window.__seen = { text: "", wire: 0, first: null });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("message", (event) => {
        const size = typeof event.data === "string" ? event.data.length : event.data.byteLength;
        seen.wire += size + (size < 126 ? 2 : size < 65536 ? 4 : 10);
        if (typeof event.data !== "string") {
          seen.text = (seen.text + new TextDecoder().decode(event.data)).slice(-20000);
          if (seen.first === null && seen.text.includes("RESET")) seen.first = performance.now();
        }
      });
    }
  };
  localStorage.setItem("hipmob-sound", "off");
})();
"""


class Bench:
    """The servers, the pty apps and the browser; each launch gets a history of its own."""

    def __init__(self) -> None:
        self.folder = scratch("serve")
        self.env = installed().env(self.folder / "home")
        self.routines = self.folder / "routines"
        self.routines.mkdir()
        (self.routines / "bench.yaml").write_text(bench_routine(120))
        self.launches = 0

    def _db(self) -> str:
        self.launches += 1
        return str(self.folder / f"db-{self.launches}" / "hipmob.json")

    def serve(self) -> tuple[subprocess.Popen[str], str]:
        argv = [installed().hipmob, "--db", self._db(), "--routines", str(self.routines)]
        server = subprocess.Popen(
            [*argv, "serve", "--port", "0"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError("hipmob serve did not start")
        return server, url

    @staticmethod
    def stop(server: subprocess.Popen[str]) -> None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    def terminal(self, *command: str) -> PtyApp:
        argv = [installed().hipmob, "--db", self._db(), "--routines", str(self.routines)]
        env = {**self.env, "COLORTERM": "truecolor"}
        return PtyApp([*argv, *command], env, CELLS, "xterm-256color", name="hipmob")


async def page_first_screen(bench: Bench, browser: object) -> float:
    from hipmob_tui.cli.devtools import Chromium

    assert isinstance(browser, Chromium)
    server, url = bench.serve()
    try:
        tab = await browser.tab(*PAGE)
        await tab.before_scripts(WATCH)
        await tab.open(url)
        first = await tab.wait_for("window.__seen && window.__seen.first", START_TIMEOUT)
        await tab.close()
        return float(first) / 1000
    finally:
        bench.stop(server)


def terminal_first_screen(bench: Bench) -> float:
    app = bench.terminal()
    try:
        return app.wait_for(b"RESET", START_TIMEOUT)
    finally:
        app.close()


async def page_hold(bench: Bench, browser: object, window: float) -> float:
    """Bytes a second on the page's WebSocket while a hold runs (the floor clock)."""
    from hipmob_tui.cli.devtools import Chromium

    assert isinstance(browser, Chromium)
    server, url = bench.serve()
    try:
        tab = await browser.tab(*PAGE)
        await tab.before_scripts(WATCH)
        await tab.open(url)
        await tab.wait_for("window.__seen && window.__seen.first", START_TIMEOUT)
        await tab.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        for key in ("t", "/", *"bench", "enter", "r"):
            await tab.press(key)
            await asyncio.sleep(0.05)
        await tab.wait_for("window.__seen.text.includes('Pain right now')", START_TIMEOUT)
        await tab.press("s")
        await tab.wait_for("window.__seen.text.includes('WORK')", START_TIMEOUT)
        await asyncio.sleep(SETTLE)
        before = await tab.evaluate("[window.__seen.wire, performance.now()]")
        await asyncio.sleep(window)
        after = await tab.evaluate("[window.__seen.wire, performance.now()]")
        await tab.close()
        return float(after[0] - before[0]) / ((after[1] - before[1]) / 1000)
    finally:
        bench.stop(server)


def terminal_hold(bench: Bench, window: float, *, floor: bool) -> float:
    app = bench.terminal("run", "bench")
    try:
        app.wait_for(b"Pain right now", START_TIMEOUT)
        app.read_for(0.3)
        mark = len(app.output)
        app.press(b"s")
        app.wait_for(b"WORK", START_TIMEOUT, since=mark)
        if floor:
            app.press(b"f")
        app.read_for(SETTLE)
        return app.read_for(window) / window
    finally:
        app.close()


def measure(runs: int, window: float = 10.0) -> list[Row]:
    try:
        import textual_serve  # noqa: F401

        from hipmob_tui.cli.browser import find_chromium
    except ImportError:
        return [Row("serve", "NOT MEASURED", "-", note="textual-serve is not installed")]
    chromium = find_chromium()
    if chromium is None:
        return [Row("serve", "NOT MEASURED", "-", note="chromium is not installed")]
    return asyncio.run(_measure(chromium, runs, window))


async def _measure(chromium: str, runs: int, window: float) -> list[Row]:
    from hipmob_tui.cli.devtools import Chromium

    bench = Bench()
    print(f"serve: {runs} rounds of first screens and {window:g} s holds ...", flush=True)
    async with Chromium(chromium) as browser:
        loop = asyncio.get_running_loop()

        def sync(coroutine: object) -> float:
            # alternate() calls plain functions: each page probe runs to its end here.
            future = asyncio.run_coroutine_threadsafe(coroutine, loop)  # type: ignore[arg-type]
            return future.result()

        # The probes block (ptys, waits): they run in a thread, the page's in this loop.
        def probes() -> dict[str, list[float]]:
            first = alternate(
                {
                    "page": lambda: sync(page_first_screen(bench, browser)),
                    "terminal": lambda: terminal_first_screen(bench),
                },
                runs,
            )
            holds = alternate(
                {
                    "page": lambda: sync(page_hold(bench, browser, window)),
                    "floor": lambda: terminal_hold(bench, window, floor=True),
                    "details": lambda: terminal_hold(bench, window, floor=False),
                },
                runs,
            )
            return {f"first {k}": v for k, v in first.items()} | holds

        found = await loop.run_in_executor(None, probes)

    terminal, page = median(found["first terminal"]), median(found["first page"])
    floor, details, served = (median(found[k]) for k in ("floor", "details", "page"))
    bench_name = "serve"
    return [
        Row(bench_name, "first screen: terminal, launch", ms(terminal), note="reference"),
        Row(bench_name, "first screen: page load", ms(page), page / terminal, 1.5),
        Row(bench_name, "a hold: terminal, floor clock", f"{floor:.0f} B/s", note="reference"),
        Row(bench_name, "a hold: page, floor clock", f"{served:.0f} B/s", served / floor, 2.0),
        Row(
            bench_name,
            "a hold: terminal, every detail",
            f"{details:.0f} B/s",
            served / details,
            note="comparison: the page's bytes against the usual runner's",
        ),
    ]


def main() -> int:
    return bench_main(__doc__, measure, runs=3)


if __name__ == "__main__":
    raise SystemExit(main())
