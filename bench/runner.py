"""The session runner over a slow link: bytes and CPU while a hold runs; silence.

    python bench/runner.py [--runs N] [--window SECONDS]

In a real pty (TERM=xterm as a plain ssh session sets, no COLORTERM, 100x30), every byte
the app writes is counted over a whole number of seconds (a display that changes once a
second then changes as often in every window), CPU as user+sys from /proc/PID/stat:

- `hipmob run bench` in a 120 s hold, against the guarded whole-second countdown
  ../shared/bench-ref/countdown_app.py --hz 10 --seconds 120 --whole --guard (Digits,
  a ProgressBar, Header and Footer, redrawn only when the shown second changes),
  alternated, one window each a round. Targets (issue 11): at most 1.2x its bytes/s and
  2x its CPU.
- then 5 s of the same session paused, and 5 s of an idle Library: target 0 bytes.

The launch times are bench/startup.py's.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    MarkerTimeout,
    PtyApp,
    Row,
    bench_routine,
    installed,
    print_table,
    reference,
    scratch,
)

TERM = "xterm"  # what a plain ssh session sets: 16 colours, no truecolor
SIZE = (100, 30)
IDLE_WINDOW = 5  # seconds of a paused session and of an idle Library
SETTLE = 1.5  # seconds after a marker before a window opens: the rest of the frame
START_TIMEOUT = 30.0  # launch to first marker; about 1 s normally, more on a busy machine


@dataclass
class Window:
    """What one app wrote and spent over one measuring window."""

    seconds: float
    bytes: int
    cpu: float  # CPU seconds, user + system


def measure_window(app: PtyApp, seconds: float) -> Window:
    """Count every byte and the CPU of `app` over `seconds`, straight after a settling read."""
    app.read_for(SETTLE)  # leaves the pty empty, so the window holds only its own bytes
    began = app.cpu_seconds()
    count = app.read_for(seconds)
    return Window(seconds, count, app.cpu_seconds() - began)


def reference_running(env: dict[str, str], seconds: float) -> Window:
    """The guarded countdown while it counts down."""
    argv = [sys.executable, reference("countdown_app.py"), "--hz", "10", "--seconds", "120"]
    app = PtyApp([*argv, "--whole", "--guard"], env, SIZE, TERM, name="countdown_app.py")
    try:
        app.wait_for(b"Countdown", START_TIMEOUT)
        return measure_window(app, seconds)
    finally:
        app.close()


class Hipmob:
    """hipmob's side of every measurement; each launch gets a database of its own.

    A fresh database per launch, because a killed run leaves its journal behind, and the
    next `run` would offer to resume it before asking about pain.
    """

    PAIN = b"Pain right now"
    GET_READY = b"GET READY"
    WORK = b"WORK"
    PAUSED = b"PAUSED"
    LIBRARY = b"RESET"  # the Library's first phase heading

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.env = env
        self.routines = folder / "routines"
        self.routines.mkdir()
        (self.routines / "bench.yaml").write_text(bench_routine(120))
        self.launches = 0

    def launch(self, *command: str) -> PtyApp:
        self.launches += 1
        db = self.folder / f"db-{self.launches}" / "hipmob.json"
        argv = [installed().hipmob, "--db", str(db), "--routines", str(self.routines), *command]
        return PtyApp(argv, self.env, SIZE, TERM, name=" ".join(["hipmob", *command]))

    def running(self, seconds: float) -> tuple[Window, int]:
        """A 120 s hold while it runs; then the bytes of 5 s paused."""
        app = self.launch("run", "bench")
        try:
            app.wait_for(self.PAIN, START_TIMEOUT)
            app.read_for(0.3)  # a person reads the question
            mark = len(app.output)
            app.press(b"s")
            app.wait_for(self.GET_READY, 10, since=mark)
            app.wait_for(self.WORK, 30, since=mark)  # get-ready is 5 s by default
            hold = measure_window(app, seconds)
            mark = len(app.output)
            app.press(b" ")
            app.wait_for(self.PAUSED, 10, since=mark)
            paused = measure_window(app, IDLE_WINDOW).bytes
            return hold, paused
        finally:
            app.close()

    def idle_library(self) -> int:
        """Bytes of 5 s of the Library with nothing pressed."""
        app = self.launch()
        try:
            app.wait_for(self.LIBRARY, START_TIMEOUT)
            app.read_for(1.0)  # History is prefetched after the first frame
            return measure_window(app, IDLE_WINDOW).bytes
        finally:
            app.close()


def rate(windows: list[Window]) -> tuple[float, float]:
    """Bytes per second and CPU share over all windows together (CPU ticks are 10 ms)."""
    seconds = sum(w.seconds for w in windows)
    return sum(w.bytes for w in windows) / seconds, sum(w.cpu for w in windows) / seconds


def measure(runs: int, window: int = 10) -> list[Row]:
    """`runs` rounds of a `window`-second hold of hipmob and of the reference, alternated."""
    folder = scratch("runner")
    env = installed().env(folder / "home")  # no COLORTERM: a plain ssh session
    hipmob = Hipmob(folder, env)
    reference_windows: list[Window] = []
    holds: list[Window] = []
    paused: list[int] = []
    idle: list[int] = []
    failed: str | None = None
    print(f"runner: {runs} rounds of {window} s ...", flush=True)
    for n in range(runs):
        hipmob_first = n % 2 == 1  # alternate who goes first: drift hits both
        if not hipmob_first:
            reference_windows.append(reference_running(env, window))
        if failed is None:
            try:
                hold, quiet = hipmob.running(window)
                holds.append(hold)
                paused.append(quiet)
                idle.append(hipmob.idle_library())
            except MarkerTimeout as failure:  # not there yet, or broken: say so, go on
                failed = str(failure)
        if hipmob_first:
            reference_windows.append(reference_running(env, window))

    tick = 1000 / os.sysconf("SC_CLK_TCK")
    ref_bytes, ref_cpu = rate(reference_windows)
    bench = "runner"
    rows = [
        Row(bench, "guarded countdown, bytes/s", f"{ref_bytes:.0f} B/s", note="reference"),
        Row(bench, "guarded countdown, CPU", f"{ref_cpu * 100:.2f}%", note="reference"),
    ]
    if failed is not None:
        rows.append(Row(bench, "hipmob run bench", "NOT MEASURED", note=failed))
        return rows
    own_bytes, own_cpu = rate(holds)
    rows += [
        Row(bench, "a 120 s hold, bytes/s", f"{own_bytes:.0f} B/s", own_bytes / ref_bytes, 1.2),
        Row(
            bench,
            "a 120 s hold, CPU",
            f"{own_cpu * 100:.2f}%",
            own_cpu / ref_cpu if ref_cpu else None,
            2.0,
            note=f"CPU counted in {tick:g} ms ticks",
        ),
        Row(
            bench,
            f"paused, {IDLE_WINDOW} s",
            f"{max(paused)} B",
            note=f"target 0 B: {'ok' if max(paused) == 0 else 'OVER'}",
        ),
        Row(
            bench,
            f"idle Library, {IDLE_WINDOW} s",
            f"{max(idle)} B",
            note=f"target 0 B: {'ok' if max(idle) == 0 else 'OVER'}",
        ),
    ]
    return rows


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    # Whole seconds: a display that changes once a second changes N times in any N s.
    parser.add_argument("--window", type=int, default=10, help="seconds a window (default 10)")
    args = parser.parse_args()
    rows = measure(args.runs, args.window)
    print()
    print_table(rows)
    return 1 if any(r.value == "NOT MEASURED" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
