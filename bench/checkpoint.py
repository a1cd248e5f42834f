"""What a step change costs, and how well the runner keeps time when the process is starved.

    python bench/checkpoint.py [--quick]

1. Checkpoint: the journal write at a step change (atomic: temp file, fsync, rename, fsync
   of the folder), beside a 10-year history and beside an empty one. Target: under 5 ms
   whatever the size of the history; the bare atomic write of the same bytes is printed
   as the reference.
2. Timer error: an engine on the real monotonic clock runs a 60 s session while a ticker
   thread samples it at 10 Hz; the loop is blocked 300 ms once a second and the process
   stopped for 5 s (SIGSTOP, SIGCONT from a child). Target: at most 0.1 s error in the
   remaining time after 60 s. Counting ticks instead would lose the 5 s stop and the
   blocked ticks (printed for comparison).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import make_database  # noqa: E402
from hipmob_tui import fileio  # noqa: E402
from hipmob_tui.content.loading import load_catalog  # noqa: E402
from hipmob_tui.paths import (
    builtin_routines_dir,  # noqa: E402
    routine_files,
)
from hipmob_tui.session.engine import SessionEngine  # noqa: E402
from hipmob_tui.session.run import SessionRun  # noqa: E402
from hipmob_tui.session.timeline import build_timeline  # noqa: E402


def checkpoint_times(db: Path, count: int) -> list[float]:
    catalog = load_catalog(routine_files(builtin_routines_dir()), [])
    timeline = build_timeline(catalog.routines["full-session"], catalog.exercises)
    run = SessionRun(timeline, db)
    run.start()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        run.next()  # a step change: the run writes the journal
        times.append(time.perf_counter() - began)
        if run.engine.finished:
            run = SessionRun(timeline, db)
            run.start()
    return times


def bare_write_times(path: Path, data: bytes, count: int) -> list[float]:
    times = []
    for _ in range(count):
        began = time.perf_counter()
        fileio.atomic_write(path, data)
        times.append(time.perf_counter() - began)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(times) * 1000:5.2f} ms, p95 {p95 * 1000:5.2f} ms"


def timer_error(seconds: float, stop_at: float, stop_for: float) -> tuple[float, float]:
    """The engine's error in remaining time, and what counting ticks would have said."""
    catalog = load_catalog(routine_files(builtin_routines_dir()), [])
    timeline = build_timeline(catalog.routines["full-session"], catalog.exercises)
    engine = SessionEngine(timeline, time.monotonic)
    began = time.monotonic()
    engine.start()
    planned = timeline.planned_seconds
    # A child stops and continues this process once, as a suspended laptop or ^Z would.
    stopper = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import os, signal, time; time.sleep({stop_at}); os.kill({os.getpid()}, "
            f"signal.SIGSTOP); time.sleep({stop_for}); os.kill({os.getpid()}, signal.SIGCONT)",
        ]
    )
    ticks = 0
    next_block = began + 1.0
    while time.monotonic() - began < seconds:
        time.sleep(0.1)
        ticks += 1
        engine.advance()
        if time.monotonic() >= next_block:
            time.sleep(0.3)  # the event loop blocked by a slow frame
            next_block += 1.0
    stopper.wait()
    engine.advance()  # readings are as of the last advance: bring it up to now
    elapsed = time.monotonic() - began
    error = abs((planned - engine.session_remaining) - elapsed)
    tick_error = abs(ticks * 0.1 - elapsed)
    return error, tick_error


def main() -> int:
    quick = "--quick" in sys.argv
    count = 50 if quick else 300
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big" / "hipmob.json"
        big.parent.mkdir()
        make_database(big, 3650)
        empty = Path(folder) / "empty" / "hipmob.json"
        empty.parent.mkdir()
        sample = (Path(folder) / "sample.json").with_suffix(".json")
        journal_bytes = b"x" * 3000
        bare = bare_write_times(sample, journal_bytes, count)
        with_big = checkpoint_times(big, count)
        with_empty = checkpoint_times(empty, count)
        print(f"bare atomic write of 3 KB     {summary(bare)}  (reference)")
        print(f"checkpoint, empty history     {summary(with_empty)}")
        print(f"checkpoint, 10-year history   {summary(with_big)}")
        worst = statistics.median(with_big) * 1000
        print(f"checkpoint median {worst:.2f} ms  (target 5 ms: {'ok' if worst < 5 else 'OVER'})")
        ratio = statistics.median(with_big) / statistics.median(with_empty)
        print(f"10-year / empty history: {ratio:.2f}x  (the history's size should not matter)")
    seconds = 20.0 if quick else 60.0
    error, tick_error = timer_error(seconds, stop_at=seconds / 3, stop_for=5.0)
    print(
        f"timer error after {seconds:.0f} s with a 5 s SIGSTOP and 300 ms blocks each second: "
        f"{error:.3f} s  (target 0.1 s: {'ok' if error <= 0.1 else 'OVER'}); "
        f"counting ticks: {tick_error:.1f} s off"
    )
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    raise SystemExit(main())
