"""Shared helpers for benchmarks: realistic databases, and timing whole processes."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def make_database(path: Path, sessions: int) -> None:
    """A database of `sessions` full sessions, one a day back from today."""
    start = datetime.now(UTC).replace(hour=7, minute=0, second=0, microsecond=0)
    exercises = [
        {
            "id": f"exercise-{n}",
            "name": f"Exercise number {n}",
            "phase": "restore",
            "sets_done": 2,
            "sets_planned": 3,
            "seconds": 140,
        }
        for n in range(11)
    ]
    rows = {}
    for n in range(sessions):
        began = start - timedelta(days=n // max(1, sessions // 3650), minutes=n % 7)
        rows[str(n + 1)] = {
            "id": f"b{n:07d}",
            "routine_id": "full-session",
            "routine_name": "Full Session",
            "started_at": began.isoformat(),
            "ended_at": (began + timedelta(minutes=24)).isoformat(),
            "date": began.date().isoformat(),
            "status": "completed" if n % 9 else "partial",
            "planned_seconds": 1441,
            "active_seconds": 1400,
            "exercises": exercises,
            "pain_before": n % 8,
            "pain_after": n % 5,
            "notes": "felt good, hips looser" if n % 3 else "",
        }
    document = {"meta": {"1": {"schema": 1}}, "sessions": rows}
    path.write_text(json.dumps(document, separators=(",", ":")))


def compiled_env() -> dict[str, str]:
    """An environment whose launches use compiled bytecode (this machine disables it by default)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "hipmob_tui")], env=env, check=True
    )
    return env


def median_seconds(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of running `argv` to completion."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


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
