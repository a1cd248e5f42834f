"""A session run: checkpointed to its journal at every step, saved to the store, resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hipmob_tui.history.store import Store
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import State
from hipmob_tui.session.journal import Journal, JournalDamaged, SavedSession, journal_path
from hipmob_tui.session.run import (
    SessionRun,
    interrupted_session,
    keep_as_partial,
    save_session,
)
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


def wall_clock(clock: FakeClock) -> Callable[[], datetime]:
    """The local time, moving with the session's clock."""
    return lambda: START + timedelta(seconds=clock.now - 1000)


def hung_up_in_the_first_hold(db: Path) -> tuple[SessionRun, FakeClock]:
    """5 s of get-ready, 12 s into the hold, then a hang-up saves it as partial."""
    clock = FakeClock()
    run = SessionRun(timeline_of(HOLD, COUNTED), db, clock=clock, now=wall_clock(clock))
    run.start()
    clock.tick(5)
    run.advance()  # into the hold: the journal's checkpoint
    clock.tick(12)
    run.advance()
    save_session(Store(db), run.record())  # what the app's hang-up handler does
    return run, clock


def resumed(db: Path, saved: SavedSession, clock: FakeClock) -> SessionRun:
    return SessionRun(
        timeline_of(HOLD, COUNTED),
        db,
        clock=clock,
        now=wall_clock(clock),
        resume_from=saved.snapshot,
        started_at=saved.record.started_at,
        session_id=saved.record.id,
    )


def test_after_a_hang_up_the_saved_record_is_newer_than_the_checkpoint(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    hung_up_in_the_first_hold(db)
    checkpoint = Journal(db).load()
    assert checkpoint is not None and checkpoint.record.active_seconds == 5
    saved = interrupted_session(Journal(db), Store(db))
    assert saved is not None
    assert saved.record.active_seconds == 17
    assert saved.record.ended_at == START + timedelta(seconds=17)
    assert saved.snapshot["index"] == 1  # still resumed at the start of the hold


def test_keep_as_partial_after_a_hang_up_keeps_the_hang_ups_seconds(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    hung_up_in_the_first_hold(db)
    checkpoint = Journal(db).load()
    assert checkpoint is not None
    # Even handed the older checkpoint, keeping decides against the store, under its lock.
    kept = keep_as_partial(Store(db), checkpoint)
    (stored,) = Store(db).sessions()
    assert kept == stored
    assert stored.active_seconds == 17 and stored.ended_at == START + timedelta(seconds=17)


def test_a_checkpoint_newer_than_the_saved_record_wins(tmp_path: Path) -> None:
    """Resumed after a hang-up, then killed further on: the journal is the newer."""
    db = tmp_path / "hipmob.json"
    _run, clock = hung_up_in_the_first_hold(db)
    saved = interrupted_session(Journal(db), Store(db))
    assert saved is not None
    again = resumed(db, saved, clock)
    again.start()
    clock.tick(20 + 5)  # the whole hold this time, then the switch
    again.advance()  # checkpoints the right side; then a kill -9
    later = interrupted_session(Journal(db), Store(db))
    assert later is not None and later.record.active_seconds == 17 + 25
    keep_as_partial(Store(db), later)
    (stored,) = Store(db).sessions()
    assert stored.active_seconds == 42 and stored.ended_at == START + timedelta(seconds=42)


def test_a_resumed_session_counts_the_seconds_saved_at_the_hang_up(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    _run, clock = hung_up_in_the_first_hold(db)
    saved = interrupted_session(Journal(db), Store(db))
    assert saved is not None
    again = resumed(db, saved, clock)
    again.start()
    assert again.engine.index == 1 and again.engine.step_elapsed == 0  # the hold, afresh
    clock.tick(3)
    again.advance()
    assert again.record().active_seconds == 17 + 3


def test_an_unreadable_history_leaves_the_checkpoint_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    hung_up_in_the_first_hold(db)
    db.write_bytes(b"not json")
    saved = interrupted_session(Journal(db), Store(db))
    assert saved is not None and saved.record.active_seconds == 5
    assert db.read_bytes() == b"not json"


def test_time_before_an_interruption_is_something_done(tmp_path: Path) -> None:
    """Killed in the first hold, after the get-ready: ending it now keeps those seconds."""
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    fresh = run_in(db, clock)
    fresh.start()
    clock.tick(5)
    fresh.advance()  # into the hold: no work yet, only the get-ready
    assert not fresh.anything_done  # a start and an immediate end leave no record
    saved = Journal(db).load()  # then a kill -9
    assert saved is not None
    again = resumed(db, saved, clock)
    again.start()
    assert again.anything_done


def test_a_session_killed_in_its_first_get_ready_has_nothing_done(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    run_in(db, clock).start()
    clock.tick(3)
    saved = Journal(db).load()
    assert saved is not None
    again = resumed(db, saved, clock)
    again.start()
    assert not again.anything_done


def test_a_damaged_journal_is_kept_aside_and_named(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    journal_path(db).write_text('{"version": 1, "record": ')
    with pytest.raises(JournalDamaged, match="kept it as .*hipmob.json.session.damaged-"):
        Journal(db).load()
    assert not journal_path(db).exists()
    assert Journal(db).load() is None


def test_a_deeply_nested_journal_is_damaged_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    journal_path(db).write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(JournalDamaged, match="nested too deeply.*kept it as"):
        Journal(db).load()
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
