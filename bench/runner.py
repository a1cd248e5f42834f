"""The session runner over a slow link: bytes and CPU while a hold runs, silence, launch time.

    /work/venv/bin/python bench/runner.py            # 3 rounds of 10 s, 7 launches each
    /work/venv/bin/python bench/runner.py --quick    # 1 round of 5 s, 3 launches each
    options: --rounds N  --window SECONDS  --launches N  --only running|launch
             --hipmob PATH (the hipmob to measure; default: the one beside this Python)

Every figure is measured against references in the same run (this machine is noisy):

1. While a timed step runs, in a real pty (TERM=xterm, no COLORTERM, 100x30), every byte
   the app writes counted over a whole number of seconds (a 1 Hz display then changes
   the same number of times in every window), CPU as user+sys from /proc/PID/stat:
   `hipmob run bench` in a 120 s hold against the reference Textual countdown
   (bench/ref_apps.py countdown). Targets: at most 1.2x its bytes and 2x its CPU.
   termdown is printed for comparison (hipmob about 3.5x its bytes is expected); if it
   is missing: /work/venv/bin/pip install termdown.
   Then 5 s of a paused session and 5 s of an idle Library: target 0 bytes.
2. Launch to first frame, seen on screen rather than at process exit: `hipmob run bench`
   (until "Pain right now") and `hipmob` (until the Library's "RESET", as in
   bench/history.py) against a bare Textual app (Header, Label, Footer). Medians of
   interleaved launches. Target: at most 1.3x.

Exit status 1 when a hipmob figure could not be measured: the reason is printed on one
line (for example the marker that never appeared, and after how long).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import MarkerTimeout, PtyApp, compiled_env  # noqa: E402

HERE = Path(__file__).resolve().parent
TERM = "xterm"  # what a plain ssh session sets: 16 colours, no truecolor
SIZE = (100, 30)
IDLE_WINDOW = 5  # seconds of a paused session and of an idle Library
SETTLE = 1.5  # seconds after a marker before a window opens: the rest of the frame
START_TIMEOUT = 20.0  # launch to first marker; about 1 s normally, more on a busy machine
ROUTINE = """\
exercises:
  - id: bench-hold
    name: Bench Hold
    phase: restore
    purpose: Hold still for the benchmark.
    steps: [Hold the position.]
    cues: [Breathe.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 120, per_side: false}
    source: added
routines:
  - id: bench
    name: Bench
    description: One long hold.
    items:
      - exercise: bench-hold
"""


@dataclass
class Window:
    """What one app wrote and spent over one measuring window."""

    seconds: float
    bytes: int
    cpu: float  # CPU seconds, user + system


def measure(app: PtyApp, seconds: float) -> Window:
    """Count every byte and the CPU of `app` over `seconds`, straight after a settling read."""
    app.read_for(SETTLE)  # leaves the pty empty, so the window holds only its own bytes
    began = app.cpu_seconds()
    count = app.read_for(seconds)
    return Window(seconds, count, app.cpu_seconds() - began)


def bench_env(folder: Path) -> dict[str, str]:
    """Launches use bytecode, a throwaway HOME, and nothing of this user's settings."""
    env = {
        key: value
        for key, value in compiled_env().items()
        if not key.startswith(("HIPMOB_", "TEXTUAL", "XDG_"))
        and key not in ("COLORTERM", "NO_COLOR", "FORCE_COLOR")
    }
    return {**env, "HOME": str(folder)}


# -- references: these work today ---------------------------------------------------------


def reference_running(env: dict[str, str], seconds: float) -> Window:
    """The reference Textual countdown while it counts down."""
    app = PtyApp([sys.executable, str(HERE / "ref_apps.py"), "countdown"], env, SIZE, TERM)
    try:
        app.wait_for(b"Countdown", START_TIMEOUT)
        return measure(app, seconds)
    finally:
        app.close()


def termdown_running(termdown: str, env: dict[str, str], seconds: float) -> Window:
    """termdown (curses, figlet digits) counting down 120 s."""
    app = PtyApp([termdown, "120"], env, SIZE, TERM)
    try:
        app.wait_for(b"\x1b]2;", START_TIMEOUT)  # its first window title: it is drawing
        return measure(app, seconds)
    finally:
        app.close()


def bare_first_frame(env: dict[str, str]) -> float:
    """Seconds from launch to the bare Textual app on screen."""
    app = PtyApp([sys.executable, str(HERE / "ref_apps.py"), "bare"], env, SIZE, TERM)
    try:
        return app.wait_for(b"READY", START_TIMEOUT)
    finally:
        app.close()


def find_termdown() -> str | None:
    return shutil.which("termdown", path=str(Path(sys.executable).parent)) or shutil.which(
        "termdown"
    )


# -- hipmob: needs `hipmob run ROUTINE_ID` (the runner) and the Library ------------------


class Hipmob:
    """hipmob's side of every measurement; each launch gets a database of its own.

    A fresh database per launch, because a killed run leaves its journal behind, and the
    next `run` would offer to resume it before asking about pain.
    """

    PAIN = b"Pain right now"
    GET_READY = b"GET READY"
    WORK = b"WORK"
    PAUSED = b"PAUSED"
    LIBRARY = b"RESET"  # the Library's first phase heading, as in bench/history.py

    def __init__(self, hipmob: str, folder: Path, env: dict[str, str]) -> None:
        self.hipmob = hipmob
        self.folder = folder
        self.env = env
        self.routines = folder / "routines"
        self.routines.mkdir()
        (self.routines / "bench.yaml").write_text(ROUTINE)
        self.launches = 0

    def launch(self, *command: str) -> PtyApp:
        self.launches += 1
        db = self.folder / f"db-{self.launches}" / "hipmob.json"
        argv = [self.hipmob, "--db", str(db), "--routines", str(self.routines), *command]
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
            hold = measure(app, seconds)
            mark = len(app.output)
            app.press(b" ")
            app.wait_for(self.PAUSED, 10, since=mark)
            paused = measure(app, IDLE_WINDOW).bytes
            return hold, paused
        finally:
            app.close()

    def idle_library(self) -> int:
        """Bytes of 5 s of the Library with nothing pressed."""
        app = self.launch()
        try:
            app.wait_for(self.LIBRARY, START_TIMEOUT)
            app.read_for(1.0)  # History is prefetched after the first frame
            return measure(app, IDLE_WINDOW).bytes
        finally:
            app.close()

    def run_first_frame(self) -> float:
        app = self.launch("run", "bench")
        try:
            return app.wait_for(self.PAIN, START_TIMEOUT)
        finally:
            app.close()

    def library_first_frame(self) -> float:
        app = self.launch()
        try:
            return app.wait_for(self.LIBRARY, START_TIMEOUT)
        finally:
            app.close()


# -- running the rounds -------------------------------------------------------------------


T = TypeVar("T")
HOLD = "hipmob run bench, a hold"
IDLE = "hipmob, idle Library"
RUN_FRAME = "hipmob run bench, first frame"
LIBRARY_FRAME = "hipmob, first frame"


class Failures:
    """The first failure of each hipmob measurement; a failed one is not tried again."""

    def __init__(self) -> None:
        self.reasons: dict[str, str] = {}

    def attempt(self, what: str, action: Callable[[], T]) -> T | None:
        if what in self.reasons:
            return None
        try:
            return action()
        except MarkerTimeout as failure:  # not there yet, or broken: say so, and go on
            self.reasons[what] = str(failure)
            return None

    def report(self, what: str) -> None:
        if what in self.reasons:
            print(f"{what}: NOT MEASURED: {self.reasons[what]}")


def rate(windows: list[Window]) -> tuple[float, float]:
    """Bytes per second and CPU share over all windows together (CPU ticks are 10 ms)."""
    seconds = sum(w.seconds for w in windows)
    return sum(w.bytes for w in windows) / seconds, sum(w.cpu for w in windows) / seconds


def verdict(value: float, limit: float) -> str:
    return f"target {limit:g}x: {'ok' if value <= limit else 'OVER'}"


def running(hipmob: Hipmob, env: dict[str, str], rounds: int, seconds: float) -> Failures:
    failures = Failures()
    termdown = find_termdown()
    if termdown is None:
        print("termdown: SKIPPED, not found (install: /work/venv/bin/pip install termdown)")
    reference: list[Window] = []
    other: list[Window] = []
    holds: list[Window] = []
    paused: list[int] = []
    idle: list[int] = []
    for n in range(rounds):  # interleaved, so drift on this noisy machine hits every app
        print(f"round {n + 1}/{rounds} ...", flush=True)
        reference.append(reference_running(env, seconds))
        if termdown:
            other.append(termdown_running(termdown, env, seconds))
        if (measured := failures.attempt(HOLD, lambda: hipmob.running(seconds))) is not None:
            holds.append(measured[0])
            paused.append(measured[1])
        if (quiet := failures.attempt(IDLE, hipmob.idle_library)) is not None:
            idle.append(quiet)

    tick = 1000 / os.sysconf("SC_CLK_TCK")  # CPU is counted in whole clock ticks
    print(
        f"\n1. while a timed step runs: {rounds} x {seconds:g} s, TERM={TERM}, "
        f"{SIZE[0]}x{SIZE[1]}; CPU in {tick:g} ms ticks"
    )
    ref_bytes, ref_cpu = rate(reference)
    print(f"reference countdown   {ref_bytes:7.0f} B/s  CPU {ref_cpu * 100:5.2f}%  (reference)")
    if other:
        td_bytes, td_cpu = rate(other)
        print(f"termdown              {td_bytes:7.0f} B/s  CPU {td_cpu * 100:5.2f}%  (comparison)")
    if holds:
        own_bytes, own_cpu = rate(holds)
        print(f"hipmob, a 120 s hold  {own_bytes:7.0f} B/s  CPU {own_cpu * 100:5.2f}%")
        byte_ratio = own_bytes / ref_bytes
        print(f"ratio bytes/s hipmob / reference  {byte_ratio:5.2f}x  ({verdict(byte_ratio, 1.2)})")
        if ref_cpu > 0:
            cpu_ratio = own_cpu / ref_cpu
            print(f"ratio CPU     hipmob / reference  {cpu_ratio:5.2f}x  ({verdict(cpu_ratio, 2)})")
        else:
            print("ratio CPU     hipmob / reference  n/a (the reference used no measurable CPU)")
        if other and td_bytes > 0:
            print(
                f"ratio bytes/s hipmob / termdown   {own_bytes / td_bytes:5.2f}x  "
                "(comparison: about 3.5x expected)"
            )
    failures.report(HOLD)
    if paused:
        most = max(paused)
        print(f"paused session, {IDLE_WINDOW} s   {most:5d} bytes  (target 0: {_ok(most == 0)})")
    if idle:
        most = max(idle)
        print(f"idle Library, {IDLE_WINDOW} s     {most:5d} bytes  (target 0: {_ok(most == 0)})")
    failures.report(IDLE)
    return failures


def launch(hipmob: Hipmob, env: dict[str, str], launches: int) -> Failures:
    failures = Failures()
    times: dict[str, list[float]] = {"bare": [], "run": [], "library": []}
    probes: list[tuple[str, Callable[[], float | None]]] = [
        ("bare", lambda: bare_first_frame(env)),
        ("run", lambda: failures.attempt(RUN_FRAME, hipmob.run_first_frame)),
        ("library", lambda: failures.attempt(LIBRARY_FRAME, hipmob.library_first_frame)),
    ]
    for n in range(launches):
        for name, probe in probes[n % 3 :] + probes[: n % 3]:  # a new order every launch
            if (took := probe()) is not None:
                times[name].append(took)

    bare = statistics.median(times["bare"])
    print(f"\n2. launch to first frame: median of {launches}, interleaved")
    print(f"bare Textual app      {bare * 1000:5.0f} ms  {_spread(times['bare'])}  (reference)")
    for name, label in (("run", "hipmob run bench"), ("library", "hipmob (Library)")):
        if times[name]:
            took = statistics.median(times[name])
            print(
                f"{label:<20}  {took * 1000:5.0f} ms  {_spread(times[name])}  ratio "
                f"{took / bare:5.2f}x  ({verdict(took / bare, 1.3)})"
            )
    failures.report(RUN_FRAME)
    failures.report(LIBRARY_FRAME)
    return failures


def _spread(times: list[float]) -> str:
    return f"[{min(times) * 1000:.0f}-{max(times) * 1000:.0f}]"


def _ok(good: bool) -> str:
    return "ok" if good else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 5 s, 3 launches")
    parser.add_argument("--rounds", type=int, help="measuring rounds (default 3)")
    # Whole seconds: a display that changes once a second changes N times in any N s.
    parser.add_argument("--window", type=int, help="seconds per window (default 10)")
    parser.add_argument("--launches", type=int, help="launches of each app (default 7)")
    parser.add_argument("--only", choices=("running", "launch"), help="one part only")
    parser.add_argument("--hipmob", help="the hipmob executable to measure")
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)
    window = args.window or (5 if args.quick else 10)
    launches = args.launches or (3 if args.quick else 7)
    hipmob = args.hipmob or shutil.which("hipmob", path=str(Path(sys.executable).parent))
    if hipmob is None:
        print("hipmob: not found beside this Python; pass --hipmob PATH")
        return 1

    failed: dict[str, str] = {}
    print(f"hipmob: {hipmob}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(Path(folder))
        subject = Hipmob(hipmob, Path(folder), env)
        if args.only != "launch":
            failed |= running(subject, env, rounds, window).reasons
        if args.only != "running":
            failed |= launch(subject, env, launches).reasons
    if failed:
        print(f"\n{len(failed)} hipmob figure(s) not measured (see above)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
