"""The real app in a real pseudo-terminal: signals, kills and hang-ups mid-session."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hipmob_tui.history.records import SessionRecord
from hipmob_tui.history.store import Store
from hipmob_tui.session.journal import Journal
from tests.conftest import QUICK_ROUTINES

pytestmark = [
    pytest.mark.slow,  # seconds each: whole processes in a pty, in real time
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty"),
]


class Pty:
    """`hipmob` in a 100×30 pseudo-terminal, with everything it writes kept."""

    def __init__(self, args: list[str], db: Path, routines: Path = QUICK_ROUTINES) -> None:
        import fcntl
        import pty
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "HIPMOB_DB": str(db)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hipmob_tui", "--routines", str(routines), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            # The pty becomes the controlling terminal, as sshd makes it: closing it hangs up.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()

    def read(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk

    def wait_for(self, marker: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{marker!r} never appeared in {bytes(self.output[-3000:])!r}")
            self.read(0.05)

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def ended(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.05)
        return self.process.poll()

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def started_session(db: Path) -> Pty:
    """The quick routine, past its pain question and into the first hold."""
    app = Pty(["run", "quick"], db)
    app.wait_for(b"Pain right now")
    app.press(b"s")
    app.wait_for(b"GET READY")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        saved = Journal(db).load()
        if saved is not None and saved.snapshot["index"] >= 1:
            return app
        app.read(0.1)
    raise AssertionError("the session never reached its first hold")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_saves_the_session_as_partial_and_restores_the_terminal(
    db: Path, signum: int
) -> None:
    app = started_session(db)
    try:
        sent = time.monotonic()
        app.process.send_signal(signum)
        code = app.ended(timeout=5)
        assert code is not None and time.monotonic() - sent < 2
        assert code == 128 + signum
        (record,) = Store(db).sessions()
        assert record.status == "partial" and record.routine_id == "quick"
        saved = Journal(db).load()
        assert saved is not None and saved.record.id == record.id  # still resumable
        tail = bytes(app.output[-4000:])
        assert b"\x1b[?1049l" in tail  # the alternate screen was left
        assert b"\x1b[?1000l" in tail  # mouse reporting off
    finally:
        app.close()


def test_after_kill_9_the_next_start_offers_to_resume(db: Path) -> None:
    app = started_session(db)
    app.process.send_signal(signal.SIGKILL)
    app.close()
    assert Store(db).sessions() == []
    again = Pty([], db)
    try:
        again.wait_for(b"An unfinished session")
        again.wait_for(b"Quick Try")
        again.press(b"r")
        again.wait_for(b"WORK")
    finally:
        again.close()


def test_resume_then_end_after_kill_9_saves_the_time_spent_as_partial(db: Path) -> None:
    """Killed in the first hold, after the get-ready: those seconds were spent, so they count."""
    app = started_session(db)
    app.process.send_signal(signal.SIGKILL)
    app.close()
    saved = Journal(db).load()
    assert saved is not None and saved.record.active_seconds >= 5  # the get-ready
    again = Pty([], db)
    try:
        again.wait_for(b"An unfinished session")
        again.press(b"r")
        again.wait_for(b"Resumed where you stopped")
        again.press(b"q")
        again.wait_for(b"End the session now?")
        again.read(0.3)
        asked = bytes(again.output)
        assert b"Nothing is done yet" not in asked
        assert b"saved as a partial session" in asked
        again.press(b"y")
        again.wait_for(b"Pain now, after the session?")
        (record,) = saved_and_journal_gone(db)
    finally:
        again.close()
    assert record.id == saved.record.id and record.status == "partial"
    assert record.active_seconds >= saved.record.active_seconds


LONG_HOLD = """\
exercises:
  - id: long-hold
    name: Long Hold
    phase: restore
    purpose: A hold long enough to be cut off in the middle.
    steps: [Hold still.]
    cues: [Breathe.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 60, per_side: false}
    source: added
routines:
  - id: long
    name: Long Hold Try
    description: One long hold.
    items:
      - exercise: long-hold
"""


def test_keep_as_partial_after_a_hang_up_keeps_the_newer_record(db: Path, tmp_path: Path) -> None:
    """The hang-up saves the hold's seconds; the journal only knows the hold's start."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "long.yaml").write_text(LONG_HOLD)
    app = Pty(["run", "long"], db, routines)
    try:
        app.wait_for(b"Pain right now")
        app.press(b"s")
        app.wait_for(b"GET READY")
        app.press(b"n")  # into the hold: the journal's last checkpoint
        app.wait_for(b"WORK")
        app.read(3.5)
        os.close(app.master)  # the terminal goes away
        deadline = time.monotonic() + 10
        while app.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.process.poll() is not None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(app.process.pid, signal.SIGKILL)
        app.process.wait()
    (hung_up,) = Store(db).sessions()
    saved = Journal(db).load()
    assert saved is not None and saved.record.id == hung_up.id
    assert hung_up.active_seconds >= 3 > saved.record.active_seconds

    again = Pty([], db, routines)
    try:
        again.wait_for(b"An unfinished session")
        again.wait_for(f"{hung_up.active_seconds} s active".encode())
        again.press(b"k")
        again.wait_for(b"saved as a partial")  # the toast may wrap before "session"
    finally:
        again.close()
    (kept,) = Store(db).sessions()
    assert kept.active_seconds == hung_up.active_seconds
    assert kept.ended_at == hung_up.ended_at
    assert not Journal(db).path.exists()


def saved_and_journal_gone(db: Path, timeout: float = 10) -> list[SessionRecord]:
    """The history once the app has saved a session and cleared its journal (in a thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (records := Store(db).sessions()) and not Journal(db).path.exists():
            return records
        time.sleep(0.05)
    raise AssertionError("the session was never saved, or its journal never cleared")


def test_run_with_an_unknown_routine_says_which_exist(db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hipmob_tui", "run", "nope"],
        capture_output=True,
        text=True,
        env={**os.environ, "HIPMOB_DB": str(db), "TERM": "xterm"},
        stdin=subprocess.DEVNULL,
    )
    # No TTY is checked first: the app must never hang waiting for one.
    assert result.returncode == 2 and "needs a terminal" in result.stderr


def test_run_with_an_unknown_routine_in_a_terminal(db: Path) -> None:
    app = Pty(["run", "nope"], db)
    try:
        assert app.ended(timeout=10) == 1
        assert b"no routine 'nope'; known routines: desk-reset" in bytes(app.output)
        assert not db.exists()
    finally:
        app.close()


def test_a_dropped_connection_saves_the_session_and_ends_the_process(db: Path) -> None:
    """The terminal goes away (as when an SSH link drops): the kernel sends SIGHUP."""
    app = started_session(db)
    os.close(app.master)
    try:
        deadline = time.monotonic() + 10  # generous: CI machines are busy
        while app.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.process.poll() is not None, "the app outlived its terminal"
        (record,) = Store(db).sessions()
        assert record.status == "partial"
        assert Journal(db).load() is not None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(app.process.pid, signal.SIGKILL)
        app.process.wait()


def test_the_floor_clock_sends_only_the_figure_that_changed(db: Path, tmp_path: Path) -> None:
    """A second of the floor clock (f) writes the figures that changed, not the row of them:
    the clock's rows are written from at most three columns (the figures', and the end of
    the row), where a whole-row repaint wrote one run per figure, four times the bytes."""
    import re

    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "hold.yaml").write_text(
        QUICK_ROUTINES.joinpath("quick.yaml")
        .read_text()
        .replace("hold_seconds: 3", "hold_seconds: 60")
    )
    app = Pty(["run", "quick"], db, routines)
    try:
        app.wait_for(b"Pain right now")
        app.press(b"s")
        app.wait_for(b"WORK")  # a 60 s hold: no step changes in the second measured
        app.press(b"f")
        app.read(1.5)  # the layout change, drawn
        # A busy machine may still be drawing the new layout in the first second measured:
        # the clock's steady state is what counts, so up to five seconds are looked at.
        widest: list[int] = []
        for _second in range(5):
            start = len(app.output)
            app.read(1.0)
            second = bytes(app.output[start:])
            moves = [
                (int(row), int(column))
                for row, column in re.findall(rb"\x1b\[(\d+);(\d+)H", second)
            ]
            clock_rows = {row for row, _ in moves if 8 <= row <= 26}  # the step's bar is below
            if len(clock_rows) <= 5:
                continue  # the clock did not change in this window
            widest.append(len({column for row, column in moves if row in clock_rows}))
            if widest[-1] <= 3:
                break
        assert widest, "the clock never changed"
        # The figure that changed, the one beside it when a ten turns over, and the end of
        # the row; a whole-row repaint writes one run per figure (five or more).
        assert min(widest) <= 3, widest
    finally:
        app.close()
