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


class PtyApp:
    """A full-screen app in a real pseudo-terminal, watched for text on its screen."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)):
        import fcntl
        import pty
        import struct
        import termios

        self.started = time.perf_counter()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])},
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> float:
        """Seconds since launch when `marker` first appears in what the app wrote."""
        import select

        deadline = time.perf_counter() + timeout
        start = len(self.output)
        while marker not in self.output[max(0, start - len(marker)) :]:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"{marker!r} never appeared")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    self.output += os.read(self.master, 1 << 16)
                except OSError:
                    raise TimeoutError(f"the app ended before {marker!r} appeared") from None
        return time.perf_counter() - self.started

    def press(self, keys: bytes) -> float:
        """Send keys; returns the time since launch at which they were sent."""
        os.write(self.master, keys)
        return time.perf_counter() - self.started

    def close(self) -> int:
        """End the app; returns its peak resident memory in KiB."""
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        _, _, usage = os.wait4(self.process.pid, 0)
        os.close(self.master)
        return usage.ru_maxrss
