"""A session run: checkpointed to its journal at every step, saved to the store, resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hipmob_tui.history.store import Store
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import State
from hipmob_tui.session.journal import Journal, JournalDamaged, journal_path
from hipmob_tui.session.run import SessionRun, save_session
from tests.test_engine import COUNTED, HOLD, timeline_of

START = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)


def run_in(db: Path, clock: FakeClock) -> SessionRun:
    return SessionRun(timeline_of(HOLD, COUNTED), db, clock=clock, now=lambda: START, pain_before=5)


def test_the_journal_follows_every_step(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    run = run_in(db, clock)
    run.start()
    saved = Journal(db).load()
    assert saved is not None and saved.snapshot["index"] == 0
    clock.tick(5 + 20 + 5 + 3)
    run.advance()
    saved = Journal(db).load()
    assert saved is not None
    assert saved.snapshot["index"] == 3 and saved.snapshot["done"] == [1]
    assert saved.record.status == "partial" and saved.record.pain_before == 5
    assert saved.record.id == run.session_id
    assert saved.step_text == "Hold · set 1/2 · right · 20 s"
    assert journal_path(db).stat().st_mode & 0o777 == 0o600


def test_keys_that_change_the_step_checkpoint_it_and_reading_does_not(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    run = run_in(db, clock)
    run.start()
    run.next()  # skip the get-ready
    saved = Journal(db).load()
    assert saved is not None and saved.snapshot["index"] == 1
    run.adjust(10)
    run.restart_step()  # the same step again: nothing new to keep
    clock.tick(30)  # past the end of the hold, unseen until the session advances
    assert run.engine.index == 1 and run.record().active_seconds == 0
    saved = Journal(db).load()
    assert saved is not None and saved.snapshot["index"] == 1
    # 20 s of hold, 5 of switch, 5 into the right side; then back to the switch.
    run.previous()
    saved = Journal(db).load()
    assert saved is not None and saved.snapshot["index"] == 2
    assert saved.snapshot["active_seconds"] == pytest.approx(30)


def test_resume_starts_again_at_the_step_it_stopped_in(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    first = run_in(db, clock)
    first.start()
    clock.tick(5 + 20 + 5 + 3)
    first.advance()
    saved = Journal(db).load()
    assert saved is not None
    again = SessionRun(
        timeline_of(HOLD, COUNTED),
        db,
        clock=clock,
        resume_from=saved.snapshot,
        started_at=saved.record.started_at,
        session_id=saved.record.id,
        pain_before=saved.record.pain_before,
    )
    assert again.engine.state is State.READY and again.engine.index == 3
    assert again.engine.done[1] and again.session_id == first.session_id


def test_saving_a_finished_session_clears_the_journal(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    run = run_in(db, clock)
    run.start()
    clock.tick(110 + 20 + 5)
    run.done_reps()
    record = run.record(pain_after=2, notes="looser")
    assert record.status == "completed"
    run.save(Store(db), record)
    assert not journal_path(db).exists()
    assert [r.id for r in Store(db).sessions()] == [run.session_id]


def test_a_partial_save_is_replaced_when_the_session_goes_on(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    run = run_in(db, clock)
    run.start()
    clock.tick(30)
    store = Store(db)
    save_session(store, run.record())  # what a dropped connection saves
    assert journal_path(db).exists()  # still resumable
    clock.tick(200)
    run.done_reps()
    run.save(store, run.record())
    (only,) = store.sessions()
    assert only.status == "completed" and only.id == run.session_id


def test_a_damaged_journal_is_kept_aside_and_named(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    journal_path(db).write_text('{"version": 1, "record": ')
    with pytest.raises(JournalDamaged, match="kept it as .*hipmob.json.session.damaged-"):
        Journal(db).load()
    assert not journal_path(db).exists()
    assert Journal(db).load() is None


def test_a_journal_of_a_newer_version_is_not_read_as_ours(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    journal_path(db).write_text(json.dumps({"version": 99}))
    with pytest.raises(JournalDamaged, match="not a hipmob session journal"):
        Journal(db).load()


def test_a_failed_checkpoint_is_reported_and_the_session_goes_on(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    journal_path(db).mkdir()  # in the way of every write, even as root
    clock = FakeClock()
    run = run_in(db, clock)
    run.start()
    assert run.checkpoint_error is not None and "could not write" in run.checkpoint_error
    clock.tick(10)
    assert len(run.advance()) == 1 and run.engine.index == 1


CHILD = """
import sys, time
from pathlib import Path
from hipmob_tui.session.run import SessionRun
from tests.test_engine import exercise, timeline_of
hold = exercise("quick", amount=1, sets=3)
run = SessionRun(timeline_of(hold), Path(sys.argv[1]))
run.start()
print("started", flush=True)
while True:
    run.advance()
    time.sleep(0.01)
"""


@pytest.mark.slow  # a real process, killed after real time
def test_a_session_killed_with_sigkill_is_resumable(tmp_path: Path) -> None:
    """A real process, killed mid-session: the journal holds every step before the current."""
    db = tmp_path / "hipmob.json"
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(db)],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"started"
    # Get ready (5 s) by default; wait until the journal shows the first hold under way.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        saved = Journal(db).load()
        if saved is not None and saved.snapshot["index"] >= 1:
            break
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    saved = Journal(db).load()
    assert saved is not None and saved.snapshot["index"] >= 1
    assert saved.record.routine_id == "test" and saved.record.status == "partial"
    assert saved.record.active_seconds >= 5
