"""The store keeps every acknowledged session: atomic writes, locking, damage, full disks."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hipmob_tui import fileio
from hipmob_tui.history.fileformat import SCHEMA_VERSION, DamagedStore, StoreError, salvage
from hipmob_tui.history.records import ExerciseCache, RecordError, SessionRecord, from_json
from hipmob_tui.history.store import Store


def record(n: int, *, status: str = "completed", day_offset: int = 0) -> SessionRecord:
    """A valid session record, distinct for each n."""
    start = datetime(2026, 1, 1, 8, 0, tzinfo=UTC) + timedelta(days=day_offset, minutes=n)
    return from_json(
        {
            "id": f"s{n:05d}",
            "routine_id": "desk-reset",
            "routine_name": "Desk Reset",
            "started_at": start.isoformat(),
            "ended_at": (start + timedelta(minutes=6)).isoformat(),
            "status": status,
            "planned_seconds": 378,
            "active_seconds": 360,
            "exercises": [],
            "pain_before": 4,
            "pain_after": 2,
            "notes": f"note {n}",
        }
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def test_sessions_round_trip_with_private_modes(db: Path) -> None:
    store = Store(db)
    assert store.sessions() == [] and not db.exists()
    store.add(record(1))
    store.add(record(2))
    assert [r.id for r in store.sessions()] == ["s00001", "s00002"]
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert json.loads(db.read_bytes())["meta"]["1"]["schema"] == SCHEMA_VERSION


def test_merge_never_duplicates(db: Path) -> None:
    store = Store(db)
    assert store.merge([record(1), record(2), record(1)]).changed == 2
    assert store.merge([record(2), record(3)]).changed == 1
    assert [r.id for r in store.sessions()] == ["s00001", "s00002", "s00003"]


def test_update_and_delete(db: Path) -> None:
    store = Store(db)
    store.merge([record(1), record(2)])
    store.update("s00002", lambda r: r.with_changes(notes="edited", pain_after=0))
    edited = store.sessions()[1]
    assert (edited.notes, edited.pain_after) == ("edited", 0)
    store.delete("s00001")
    assert [r.id for r in store.sessions()] == ["s00002"]
    with pytest.raises(StoreError, match="no session 'nope'"):
        store.delete("nope")
    with pytest.raises(StoreError, match="no session 'nope'"):
        store.update("nope", lambda r: r)


def test_a_daily_backup_is_kept_and_pruned(db: Path) -> None:
    store = Store(db)
    store.add(record(1))
    store.add(record(2))  # the first write of the day on an existing file makes a backup
    backups = store.backups()
    assert len(backups) == 1 and b"s00001" in backups[0].read_bytes()
    for day in range(1, 12):
        db.with_name(f"{db.name}.backup-2025-01-{day:02d}").write_bytes(db.read_bytes())
    store.add(record(3))
    assert len(store.backups()) == 7


def _with_rows(good: bytes, *rows: dict[str, object]) -> bytes:
    """A database file as hipmob writes it, with `rows` added to its sessions by hand."""
    added = b"".join(b',"%d":%s' % (90 + n, json.dumps(row).encode()) for n, row in enumerate(rows))
    return good[:-2] + added + b"}}"


MARK = {
    "id": "mark-20260105-0a0b0c0d",
    "date": "2026-01-05",
    "kind": "rest",
    "note": "",
    "created_at": "2026-01-05T08:00:00+00:00",
    "updated_at": "2026-01-05T08:00:00+00:00",
}


def _with_mark_table(good: bytes, *rows: dict[str, object]) -> bytes:
    """A database file as hipmob writes it, with a marks table of `rows` added by hand."""
    table = json.dumps({str(n): row for n, row in enumerate(rows, start=1)}).encode()
    return good.replace(b'"sessions":', b'"marks":' + table + b',"sessions":', 1)


CHECK_RESULT = {
    "id": "check-20260105T080000Z-0a0b0c0d",
    "check_id": "ir-ease-90-90",
    "date": "2026-01-05",
    "at": "2026-01-05T08:00:00+00:00",
    "side": "left",
    "value": 6,
    "session_id": None,
    "when": None,
    "updated_at": "2026-01-05T08:00:00+00:00",
}


def _with_check_table(good: bytes, *rows: dict[str, object]) -> bytes:
    """A database file as hipmob writes it, with a checks table of `rows` added by hand."""
    table = json.dumps({str(n): row for n, row in enumerate(rows, start=1)}).encode()
    return good.replace(b'"sessions":', b'"checks":' + table + b',"sessions":', 1)


PLAN_FACT = {
    "id": "plan-20260105-0a0b0c0d",
    "date": "2026-01-05",
    "program_id": "reset-restore-rebuild",
    "stage": 1,
    "updated_at": "2026-01-05T08:00:00+00:00",
}


def _with_plan_table(good: bytes, *rows: dict[str, object]) -> bytes:
    """A database file as hipmob writes it, with a plan table of `rows` added by hand."""
    table = json.dumps({str(n): row for n, row in enumerate(rows, start=1)}).encode()
    return good.replace(b'"sessions":', b'"plan":' + table + b',"sessions":', 1)


DIFFERENT_UNDER_SAME_ID = {**record(1).to_json(), "notes": "the other copy's note"}
SIDE_NOTED_BADLY = {
    **record(6).to_json(),
    "exercises": [
        {
            "id": "ninety-ninety-ir",
            "name": "90/90 IR",
            "phase": "restore",
            "sets_done": 2,
            "sets_planned": 2,
            "seconds": 120,
            "side_note": "both",
        }
    ],
}

DAMAGE = {
    "truncated": lambda good: good[: len(good) // 2],
    "nul bytes": lambda good: good[:40] + b"\x00" * 64 + good[104:],
    "bom": lambda good: b"\xef\xbb\xbf" + good,
    "garbage": lambda good: b"\x89PNG\r\n\x1a\n not a database",
    "wrong shape": lambda good: b"[1, 2, 3]",
    "newer schema": lambda good: good.replace(b'"schema":%d' % SCHEMA_VERSION, b'"schema":99'),
    "bad record": lambda good: good.replace(b'"status":"completed"', b'"status":"done"', 1),
    "deep nesting": lambda good: good[:-2] + b',"99":' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    "huge integer": lambda good: good.replace(
        b'"active_seconds":360', b'"active_seconds":' + b"9" * 5000, 1
    ),
    "absurd number": lambda good: good.replace(
        b'"active_seconds":360', b'"active_seconds":' + b"1" + b"0" * 30, 1
    ),
    "duplicate ids": lambda good: _with_rows(good, DIFFERENT_UNDER_SAME_ID),
    "bidi control": lambda good: good.replace(b'"note 1"', '"note \u202e1"'.encode(), 1),
    "bad side note": lambda good: _with_rows(good, SIDE_NOTED_BADLY),
    "bad mark kind": lambda good: _with_mark_table(good, {**MARK, "kind": "holiday"}),
    "mark id shared": lambda good: _with_mark_table(
        good, MARK, {**MARK, "date": "2026-01-09", "kind": "away"}
    ),
    "bad check side": lambda good: _with_check_table(good, {**CHECK_RESULT, "side": "both"}),
    "check result id shared": lambda good: _with_check_table(
        good, CHECK_RESULT, {**CHECK_RESULT, "value": 7}
    ),
    "bad plan stage": lambda good: _with_plan_table(good, {**PLAN_FACT, "stage": 0}),
    "plan fact id shared": lambda good: _with_plan_table(
        good, PLAN_FACT, {**PLAN_FACT, "program_id": None}
    ),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_file_is_refused_kept_aside_and_salvaged(db: Path, kind: str) -> None:
    store = Store(db)
    store.merge([record(n) for n in range(1, 6)])
    damaged = DAMAGE[kind](db.read_bytes())
    db.write_bytes(damaged)
    with pytest.raises(DamagedStore) as info:
        store.sessions()
    assert str(db) in info.value.message and "hipmob doctor" in info.value.message
    assert db.read_bytes() == damaged, "a read never changes the file"
    change = store.add(record(9))  # the app keeps working: the damaged file moves aside
    assert change.kept_aside is not None and change.kept_aside.read_bytes() == damaged
    assert [r.id for r in store.sessions()] == ["s00009"]
    recovered = salvage(change.kept_aside.read_bytes())
    if kind in ("garbage", "wrong shape"):
        assert recovered == []
    elif kind == "duplicate ids":  # both kept: the second under an id of its own
        assert len(recovered) == 6 and len({r.id for r in recovered}) == 6
        assert {r.notes for r in recovered if r.id.startswith("s00001")} == {
            "note 1",
            "the other copy's note",
        }
        assert salvage(change.kept_aside.read_bytes()) == recovered, "the same ids every time"
    elif kind == "truncated":
        assert 1 <= len(recovered) < 5
    elif kind in ("bad record", "nul bytes", "huge integer", "absurd number", "bidi control"):
        assert len(recovered) == 4  # the one record it broke is lost, every other is back
    else:
        assert len(recovered) == 5


def test_a_row_repeating_a_session_exactly_is_one_session_for_every_reader(db: Path) -> None:
    """A copy or a hand merge: the same session twice reads once, and a write stores it once."""
    store = Store(db)
    store.merge([record(n) for n in range(1, 6)])
    db.write_bytes(_with_rows(db.read_bytes(), record(1).to_json(), record(2).to_json()))
    assert [r.id for r in store.sessions()] == [f"s{n:05d}" for n in range(1, 6)]
    days = store.days()
    assert days is not None and (days.sessions, days.active_seconds) == (5, 5 * 360)
    health = store.check()
    assert (health.problem, health.sessions, health.repeats) == (None, 5, 2)
    store.update("s00001", lambda r: r.with_changes(notes="edited"))
    stored = json.loads(db.read_bytes())["sessions"]
    assert sorted(row["id"] for row in stored.values()) == [f"s{n:05d}" for n in range(1, 6)]
    assert store.sessions()[0].notes == "edited" and store.check().repeats == 0


def test_a_directory_in_place_of_the_file_is_reported(db: Path) -> None:
    db.mkdir(parents=True)
    with pytest.raises(DamagedStore, match="is a directory"):
        Store(db).sessions()
    with pytest.raises(DamagedStore, match="is a directory"):
        Store(db).add(record(1))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_reported(db: Path) -> None:
    Store(db).add(record(1))
    db.chmod(0)
    with pytest.raises(DamagedStore, match="permission denied"):
        Store(db).sessions()


@pytest.mark.parametrize("content", [b"", b"null", b"null\n"])
def test_an_empty_file_is_suspicious_when_a_backup_has_sessions(db: Path, content: bytes) -> None:
    store = Store(db)
    store.add(record(1))
    store.add(record(2))  # makes today's backup, which holds s00001
    db.write_bytes(content)
    with pytest.raises(DamagedStore, match="a backup beside it has sessions"):
        store.sessions()
    change = store.add(record(3))
    assert change.kept_aside is not None and change.kept_aside.read_bytes() == content


def test_an_empty_file_without_backups_is_a_new_database(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    assert Store(db).sessions() == []
    Store(db).add(record(1))
    assert len(Store(db).sessions()) == 1


def test_stale_temp_files_are_removed_on_the_next_write(db: Path) -> None:
    store = Store(db)
    store.add(record(1))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    leftover = db.parent / f"{fileio.TEMP_PREFIX}hipmob.json.{int(dead.stdout)}.456"
    leftover.write_bytes(b"half a write")
    in_flight = db.parent / f"{fileio.TEMP_PREFIX}hipmob.json.session.{os.getpid()}.789"
    in_flight.write_bytes(b"the journal, being written right now")
    store.add(record(2))
    assert not leftover.exists()
    assert in_flight.exists()  # its writer is alive: not a leftover


def test_lock_timeout_is_a_clear_error(db: Path) -> None:
    store = Store(db, lock_timeout=0.2)
    with (
        fileio.locked(store.lock_path, 1),
        pytest.raises(fileio.LockTimeout, match="another hipmob"),
    ):
        store.add(record(1))


def test_a_file_changed_by_someone_else_is_checked_again(db: Path) -> None:
    """The store skips re-checking only the exact file it wrote; any other is checked."""
    store = Store(db)
    store.add(record(1))
    document = json.loads(db.read_bytes())
    next(iter(document["sessions"].values()))["status"] = "mostly"  # same size or not
    tampered = db.with_name("tampered.json")
    tampered.write_text(json.dumps(document))
    os.replace(tampered, db)  # a new file, as any editor or other program would leave
    change = store.add(record(2))
    assert change.kept_aside is not None, "the damaged file must be kept aside, not rewritten"
    assert [r.id for r in store.sessions()] == [record(2).id]


OTHER_PROCESS = """
import sys
from datetime import datetime, timedelta
from pathlib import Path
from hipmob_tui.history.records import SessionRecord
from hipmob_tui.history.store import Store
start = datetime(2026, 1, 3, 7).astimezone()
end = start + timedelta(minutes=5)
Store(Path(sys.argv[1])).add(SessionRecord("other", "r", "R", start, end, "completed", 300, 300))
"""


def test_a_store_reads_again_only_after_a_change(db: Path) -> None:
    store = Store(db)
    assert store.sessions_and_stamp() == ([], None)
    store.add(record(1))
    first, stamp = store.sessions_and_stamp()
    assert [r.id for r in first] == [record(1).id] and stamp is not None
    assert store.sessions_and_stamp()[0] is first  # unchanged file: no second read
    Store(db).add(record(2))  # another Store
    again, _ = store.sessions_and_stamp()
    assert [r.id for r in again] == [record(1).id, record(2).id]
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(db)], check=True)
    assert [r.id for r in store.sessions()] == [record(1).id, record(2).id, "other"]


def test_facts_if_read_answers_only_from_a_read_of_the_file_as_it_is(db: Path) -> None:
    """What History and Progress show in their first paint: the last read while the file is
    unchanged; nothing (so they read in a thread) before a read, after a write, or while a
    read is in progress beyond the wait."""
    store = Store(db)
    assert store.facts_if_read() is None  # no file, nothing read
    store.add(record(1))
    assert store.facts_if_read() is None  # not read since the write
    facts, stamp = store.facts()
    assert store.facts_if_read() == (facts, stamp)
    Store(db).add(record(2))  # another Store, or another process
    assert store.facts_if_read() is None
    store.facts()
    with store._read_lock:  # a read in progress in another thread: no waiting past `wait`
        assert store.facts_if_read() is None
        assert store.facts_if_read(wait=0.01) is None
    found = store.facts_if_read(wait=0.01)
    assert found is not None and [r.id for r in found[0].sessions] == [record(1).id, record(2).id]


def test_shared_exercise_entries_keep_types_exact() -> None:
    """Checking an entry once and sharing it must not let True or 1.0 pass as 1."""
    good = record(1).to_json()
    good["exercises"] = [
        {"id": "a", "name": "A", "phase": "reset", "sets_done": 1, "sets_planned": 1, "seconds": 60}
    ]
    seen: ExerciseCache = {}
    first = from_json(good, seen)
    for bad in (True, 1.0):
        twin = json.loads(json.dumps(good))
        twin["exercises"][0]["sets_done"] = bad
        with pytest.raises(RecordError, match="sets_done"):
            from_json(twin, seen)
    assert from_json(good, seen).exercises[0] is first.exercises[0]
