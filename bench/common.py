"""Shared helpers for the benchmarks: an installed hipmob, histories, timing whole processes.

Every figure is a ratio against a reference measured in the same run, alternating, with
medians: this machine is shared and noisy, so only ratios travel.

hipmob is measured as a user has it, not as an editable checkout: `installed()` builds a
wheel of this checkout, or of the one HIPMOB_BENCH_SOURCE names (pip, no build isolation:
hatchling comes with the test extra), and installs it with `pip install --target` into a
temporary folder. pip compiles the bytecode there, and launches keep
PYTHONDONTWRITEBYTECODE=1, so Python reads that bytecode and writes none. hipmob is
driven only through its command line and a real pseudo-terminal, never its modules, so
the benches measure any version of it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(os.environ.get("HIPMOB_BENCH_SOURCE", ROOT))
"""The checkout measured: this one, or another (e.g. main's worktree) to compare."""
REFS = Path(os.environ.get("HIPMOB_BENCH_REFS", ROOT.parent / "shared" / "bench-ref"))
"""The reference apps; beside the repository, as in CI and fresh clones."""
TEN_YEARS = 3650
HUNDRED_YEARS = 36500


def scratch(name: str) -> Path:
    """A temporary folder, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix=f"hipmob-bench-{name}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@dataclass(frozen=True)
class Installed:
    """hipmob installed from a wheel, and a clean environment to launch it in."""

    hipmob: str
    """The console script pip wrote."""
    site: Path
    """The folder the wheel went into (first on PYTHONPATH)."""

    def env(self, home: Path) -> dict[str, str]:
        """A launch environment: this install, `home` for every user folder, no settings.

        The cache, data and config folders are HOME's own, so a bench empties the caches
        by removing `home / "cache"`.
        """
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("HIPMOB_", "TEXTUAL", "XDG_"))
            and key not in ("COLORTERM", "NO_COLOR", "FORCE_COLOR", "PYTHONPATH")
        }
        return {
            **base,
            "PYTHONPATH": str(self.site),
            "PYTHONDONTWRITEBYTECODE": "1",  # read the installed bytecode, write none
            "HOME": str(home),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
        }


_installed: Installed | None = None


def installed() -> Installed:
    """The checkout built as a wheel and installed into a temporary folder (once a process)."""
    global _installed
    if _installed is None:
        folder = scratch("install")
        pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
        subprocess.run(
            [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(folder / "dist"), "."],
            cwd=SOURCE,
            check=True,
        )
        (wheel,) = (folder / "dist").glob("*.whl")
        site = folder / "site"
        subprocess.run(
            [*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True
        )
        _installed = Installed(str(site / "bin" / "hipmob"), site)
    return _installed


def reference(name: str) -> str:
    """The path of a reference app; a clear message when the folder is not there."""
    path = REFS / name
    if not path.exists():
        raise SystemExit(f"reference app {path} not found (set HIPMOB_BENCH_REFS to its folder)")
    return str(path)


def sessions_document(count: int, newest: date) -> dict[str, Any]:
    """`count` sessions in the export format, one a day on distinct days back from `newest`."""
    exercises = [
        {
            "id": f"exercise-{n}",
            "name": f"Exercise number {n}",
            "phase": ("reset", "restore", "rebuild")[n % 3],
            "sets_done": 2,
            "sets_planned": 3,
            "seconds": 140,
        }
        for n in range(11)
    ]
    sessions = []
    for n in range(count):
        day = newest - timedelta(days=n)
        began = datetime(day.year, day.month, day.day, 7, n % 7, tzinfo=UTC)
        sessions.append(
            {
                "id": f"bench-{n:07d}",
                "routine_id": "full-session",
                "routine_name": "Full Session",
                "started_at": began.isoformat(),
                "ended_at": (began + timedelta(minutes=24)).isoformat(),
                "date": day.isoformat(),
                "status": "partial" if n % 11 == 5 else "completed",
                "planned_seconds": 1441,
                "active_seconds": 1400,
                "exercises": exercises,
                "pain_before": n % 8,
                "pain_after": n % 5,
                "notes": "felt good, hips looser" if n % 3 else "",
            }
        )
    return {"format": "hipmob-sessions", "version": 1, "sessions": sessions}


_histories: dict[int, Path] = {}


def history(count: int) -> Path:
    """A database of `count` sessions on distinct days up to yesterday, made by `hipmob import`.

    Made once a process and only read by the benches that share it; a bench that writes
    works on a copy (`copy_history`).
    """
    if count not in _histories:
        folder = scratch(f"history-{count}")
        source = folder / "sessions.json"
        newest = date.today() - timedelta(days=1)
        source.write_text(json.dumps(sessions_document(count, newest)))
        db = folder / "db" / "hipmob.json"
        app = installed()
        subprocess.run(
            [app.hipmob, "--db", str(db), "import", str(source)],
            env=app.env(folder / "home"),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        source.unlink()
        _histories[count] = db
    return _histories[count]


def copy_history(count: int, folder: Path) -> Path:
    """A private copy of the `count`-session database, with whatever files lie beside it."""
    original = history(count)
    target = folder / f"db-{count}"
    shutil.copytree(original.parent, target)
    return target / original.name


def run_process(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds of running `argv` to its end, and its peak memory (KiB, ru_maxrss)."""
    began = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, argv)
    return took, int(usage.ru_maxrss)


def alternate(probes: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Each probe `runs` times, interleaved in a new order every round (drift hits all)."""
    found: dict[str, list[float]] = {name: [] for name in probes}
    names = list(probes)
    for n in range(runs):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            found[name].append(probes[name]())
    return found


@dataclass
class Row:
    """One line of a bench's table: a figure, its reference, and the target beside it."""

    bench: str
    what: str
    value: str
    ratio: float | None = None
    target: float | None = None
    """The most the ratio may be; None for a reference or a figure shown for comparison."""
    note: str = ""

    def verdict(self) -> str:
        if self.ratio is None or self.target is None:
            return ""
        return "ok" if self.ratio <= self.target else "OVER"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def print_table(rows: list[Row]) -> None:
    """The rows as one aligned table: figure, ratio, target and verdict side by side."""
    width = max(len(f"{r.bench}: {r.what}") for r in rows)
    value_width = max(len(r.value) for r in rows)
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:6.2f}x"
        target = "" if r.target is None else f"target <= {r.target:g}x"
        line = (
            f"{r.bench + ': ' + r.what:<{width}}  {r.value:>{value_width}}  {ratio:>7}  "
            f"{target:<15} {r.verdict():<4}  {r.note}"
        )
        print(line.rstrip())


def bench_main(doc: str | None, measure: Callable[[int], list[Row]], runs: int) -> int:
    """The command line of one bench: `--runs N`, then its table."""
    import argparse

    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=runs, help=f"rounds (default {runs})")
    rows = measure(parser.parse_args().runs)
    print()
    print_table(rows)
    return 0


def make_database(path: Path, sessions: int) -> None:
    """A raw TinyDB file of `sessions` sessions, one a day: for in-process benches only."""
    document = sessions_document(sessions, datetime.now(UTC).date())
    rows = {str(n + 1): session for n, session in enumerate(document["sessions"])}
    path.write_text(json.dumps({"meta": {"1": {"schema": 1}}, "sessions": rows}))


class MarkerTimeout(TimeoutError):
    """A marker never reached the screen: the app is slow, ended, or shows something else."""


class PtyApp:
    """A full-screen app in a real pseudo-terminal, watched for text on its screen.

    Whatever the app writes is read into `output` while `wait_for`, `read_for` or `close`
    runs; nothing reads in between. To count bytes exactly, call `read_for` straight after
    another read, so the pty holds nothing from before the window, and never sleep
    instead of reading (an unread pty also stalls the app once its buffer fills).
    """

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        size: tuple[int, int] = (100, 30),
        term: str = "xterm-256color",
        name: str | None = None,
    ):
        import fcntl
        import pty
        import struct
        import termios

        self.name = name or " ".join([Path(argv[0]).name, *argv[1:]])
        """What messages call the app."""
        self.started = time.perf_counter()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": term, "COLUMNS": str(size[0]), "LINES": str(size[1])},
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.ended = False
        """True once every process holding the terminal has closed it (the app exited)."""
        self._arrivals: list[tuple[int, float]] = []  # (end offset in output, perf_counter)
        self._usage: Any = None  # resource usage once reaped

    def _read(self, timeout: float) -> bool:
        """Wait up to `timeout` for output and append it; whether anything came."""
        import select

        if self.ended:
            time.sleep(max(0.0, timeout))
            return False
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # EIO: the other end of the pty is closed
            chunk = b""
        if not chunk:
            self.ended = True
            return False
        self.output += chunk
        self._arrivals.append((len(self.output), time.perf_counter()))
        return True

    def wait_for(self, marker: bytes, timeout: float = 30.0, since: int | None = None) -> float:
        """Seconds since launch when `marker` first reached the pty.

        Looks from offset `since` of `output` on (by default, at what arrives after this
        call). Raises MarkerTimeout with a one-line reason rather than waiting forever.
        """
        deadline = time.perf_counter() + timeout
        start = max(0, (len(self.output) if since is None else since) - len(marker) + 1)
        while (found := self.output.find(marker, start)) < 0:
            start = max(start, len(self.output) - len(marker) + 1)  # a marker split by reads
            if self.ended:
                status = self._reap(1.0)
                raise MarkerTimeout(
                    f"{self.name} ended (exit status {status}) before {marker.decode()!r} "
                    f"appeared; its last words: {self.last_words()!r}"
                )
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise MarkerTimeout(
                    f"{marker.decode()!r} not on screen of {self.name} after {timeout:g} s"
                )
            self._read(remaining)
        end = found + len(marker)
        arrived = self._arrivals[-1][1]
        for offset, when in reversed(self._arrivals):  # the read that completed the marker
            if offset < end:
                break
            arrived = when
        return arrived - self.started

    def read_for(self, seconds: float) -> int:
        """Read everything the app writes for `seconds`; returns the number of bytes."""
        before = len(self.output)
        deadline = time.perf_counter() + seconds
        while (remaining := deadline - time.perf_counter()) > 0:
            self._read(remaining)
        return len(self.output) - before

    def press(self, keys: bytes) -> float:
        """Send keys; returns the time since launch at which they were sent."""
        os.write(self.master, keys)
        return time.perf_counter() - self.started

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the app so far, every thread included."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()  # the name in brackets may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def last_words(self, limit: int = 160) -> str:
        """The end of what the app wrote, escape sequences removed: why it did not start."""
        import re

        text = re.sub(
            rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)",
            b" ",
            bytes(self.output),
        )
        return " ".join(text.decode(errors="replace").split())[-limit:]

    def _reap(self, timeout: float) -> int | None:
        """Collect the app's exit within `timeout`, reading meanwhile; its exit status."""
        deadline = time.perf_counter() + timeout
        while self._usage is None:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                self._usage = usage
                self.process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() > deadline:
                return None
            self._read(0.02)  # keep draining: an app blocked on a full pty cannot exit
        return self.process.returncode

    def close(self, grace: float = 5.0) -> int:
        """End the app (SIGKILL if SIGTERM is not enough); returns its peak memory in KiB."""
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        if self._reap(grace) is None:  # a stuck app must not hang the benchmark
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self._reap(float("inf"))
        os.close(self.master)
        return int(self._usage.ru_maxrss)


_BENCH_ROUTINE = """\
exercises:
  - id: bench-hold
    name: Bench Hold
    phase: restore
    purpose: Hold still for the benchmark.
    steps: [Hold the position.]
    cues: [Breathe.]
    equipment: []
    targets: [hips]
    dosage: {{sets: 1, hold_seconds: {seconds}, per_side: false}}
    source: added
routines:
  - id: bench
    name: Bench
    description: One long hold{note}.
    items:
      - exercise: bench-hold
"""


def bench_routine(seconds: int, note: str = "") -> str:
    """A YAML file with one routine, `bench`: a single hold of `seconds` (`note` changes the
    file's bytes, not its meaning: a user's edit that makes the catalog cache miss)."""
    return _BENCH_ROUTINE.format(seconds=seconds, note=f" ({note})" if note else "")
