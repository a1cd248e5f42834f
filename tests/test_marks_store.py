"""Day marks in the history file: one per date, checked on read, carried by the summary,
and changed without breaking the append path that saving a session takes."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.history import fileformat, summary
from hipmob_tui.history import store as store_module
from hipmob_tui.history.fileformat import DamagedStore
from hipmob_tui.history.records import MAX_MARK_NOTE, RecordError
from hipmob_tui.history.store import Store
from tests.test_store import record

DAY = date(2026, 1, 5)
EARLY = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 1, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def never_read(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the history was parsed")


def test_a_file_without_marks_is_valid_and_has_none(db: Path) -> None:
    Store(db).merge([record(1)])
    assert "marks" not in json.loads(db.read_bytes()), "an older file: no marks table"
    assert Store(db).marks() == []
    days = Store(db).days()
    assert days is not None and days.marks == {}


def test_marks_round_trip_one_per_date(db: Path) -> None:
    store = Store(db)
    store.merge([record(1)])
    assert store.set_marks([DAY, date(2026, 1, 6)], "rest", "sore", now=EARLY).changed == 2
    first = store.marks()
    assert [(m.date, m.kind, m.note) for m in first] == [
        (DAY, "rest", "sore"),
        (date(2026, 1, 6), "rest", "sore"),
    ]
    assert first[0].id != first[1].id
    # Marked again: the kind and note change, the id and created time stay.
    assert store.set_marks([DAY], "flare", "worse", now=LATER).changed == 1
    again = {m.date: m for m in store.marks()}[DAY]
    assert (again.id, again.created_at) == (first[0].id, EARLY)
    assert (again.kind, again.note, again.updated_at) == ("flare", "worse", LATER)
    assert len(store.marks()) == 2
    before = db.read_bytes()
    assert store.set_marks([DAY], "flare", "worse", now=LATER).changed == 0
    assert db.read_bytes() == before, "nothing to change, nothing written"
    assert store.remove_marks([DAY, date(2020, 1, 1)]).changed == 1
    assert [m.date for m in store.marks()] == [date(2026, 1, 6)]
    assert store.remove_marks([DAY]).changed == 0
    assert [r.id for r in store.sessions()] == ["s00001"], "sessions untouched"


@pytest.mark.parametrize(
    ("kind", "note", "says"),
    [
        ("holiday", "", "kind must be rest, flare or away"),
        ("rest", "esc \x1b[31m", "control character U+001B"),
        ("rest", "bidi \u202e", "control character U+202E"),
        ("rest", "x" * (MAX_MARK_NOTE + 1), f"at most {MAX_MARK_NOTE}"),
    ],
)
def test_a_mark_that_cannot_be_stored_changes_nothing(
    db: Path, kind: str, note: str, says: str
) -> None:
    store = Store(db)
    store.merge([record(1)])
    before = db.read_bytes()
    with pytest.raises(RecordError, match=re.escape(says)):
        store.set_marks([DAY], kind, note)
    assert db.read_bytes() == before


def test_a_mark_change_keeps_the_append_path_and_the_summary_exact(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db)
    store.merge([record(1), record(2, day_offset=1)])
    store.set_marks([DAY], "away", "trip", now=EARLY)
    # Another process's first save: the index beside the file says what it holds.
    store_module._written.clear()
    with monkeypatch.context() as patch:
        patch.setattr(fileformat, "parse_document", never_read)
        patch.setattr(fileformat, "read_history", never_read)
        assert Store(db).add(record(3, day_offset=2)).changed == 1
        days = Store(db).days()
    assert [r.id for r in Store(db).sessions()] == ["s00001", "s00002", "s00003"]
    assert [m.note for m in Store(db).marks()] == ["trip"]
    assert days == summary.of_records(Store(db).sessions(), Store(db).marks())
    assert days is not None and days.marks == {DAY.toordinal(): ("away", "trip")}


def test_the_summary_is_rebuilt_with_marks_after_a_hand_edit(db: Path) -> None:
    store = Store(db)
    store.merge([record(1), record(2), record(3, status="partial", day_offset=1)])
    store.set_marks([DAY], "rest", "")
    summary.forget(db)
    days = Store(db).days()
    assert days is not None and days.marks == {DAY.toordinal(): ("rest", "")}
    jan_1 = date(2026, 1, 1).toordinal()
    assert days.counts(jan_1) == (2, 2) and days.counts(jan_1 + 1) == (1, 0)
    assert days.counts(jan_1 + 2) == (0, 0)
    assert summary.read(db) == days, "saved for the next streak"


def _with_marks(good: bytes, *rows: dict[str, object]) -> bytes:
    table = {str(n): row for n, row in enumerate(rows, start=1)}
    return good.replace(b'"sessions":', b'"marks":%s,"sessions":' % json.dumps(table).encode(), 1)


def mark_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "mark-a",
        "date": "2026-01-05",
        "kind": "rest",
        "note": "",
        "created_at": "2026-01-05T08:00:00+00:00",
        "updated_at": "2026-01-05T08:00:00+00:00",
    }
    return {**row, **changes}


def test_a_date_marked_twice_by_hand_reads_the_newer_and_is_stored_once(db: Path) -> None:
    Store(db).merge([record(1)])
    newer = mark_row(id="mark-b", kind="flare", updated_at="2026-01-06T08:00:00+00:00")
    db.write_bytes(_with_marks(db.read_bytes(), mark_row(), newer, mark_row()))
    assert [(m.id, m.kind) for m in Store(db).marks()] == [("mark-b", "flare")]
    Store(db).set_marks([date(2026, 2, 1)], "away")
    stored = json.loads(db.read_bytes())["marks"]
    assert "mark-b" in {row["id"] for row in stored.values()} and len(stored) == 2


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (mark_row(kind="holiday"), "mark 1: kind must be rest, flare or away"),
        (mark_row(date="2026-02-30"), "mark 1: date '2026-02-30' is not a date"),
        (mark_row(note="a\x07b"), "mark 1: note contains the control character U+0007"),
        (mark_row(extra=1), "mark 1: a mark has no field 'extra'"),
        (mark_row(updated_at="2025-01-01T00:00:00+00:00"), "updated_at is before created_at"),
        ("rest", "it is JSON but not a hipmob database"),
    ],
)
def test_a_bad_mark_makes_the_file_damaged_and_a_read_leaves_it(
    db: Path, row: object, says: str
) -> None:
    Store(db).merge([record(1)])
    damaged = _with_marks(db.read_bytes(), row)  # type: ignore[arg-type]
    db.write_bytes(damaged)
    with pytest.raises(DamagedStore, match=re.escape(says)):
        Store(db).sessions()
    with pytest.raises(DamagedStore, match=re.escape(says)):
        Store(db).days()
    assert db.read_bytes() == damaged


def test_merging_marks_keeps_the_newer_per_id_and_per_date(db: Path) -> None:
    from hipmob_tui.history.records import mark_from_json

    store = Store(db)
    store.set_marks([DAY], "rest", "mine", now=LATER)
    mine = store.marks()[0]
    older = mark_from_json(mark_row(id="theirs", kind="flare", updated_at=EARLY.isoformat()))
    assert store.merge_marks([older]).changed == 0
    assert [(m.id, m.kind) for m in store.marks()] == [(mine.id, "rest")]
    newer = mark_from_json(
        mark_row(id="theirs", kind="away", updated_at="2026-02-01T00:00:00+00:00")
    )
    assert store.merge_marks([newer]).changed == 1
    assert [(m.id, m.kind) for m in store.marks()] == [("theirs", "away")]
    assert store.merge_marks([newer, older]).changed == 0, "idempotent"


def test_doctor_recovers_the_marks_of_a_damaged_file(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hipmob_tui.cli.main import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    store = Store(db)
    store.merge([record(1), record(2, day_offset=1)])
    store.set_marks([DAY], "rest", "planned", now=EARLY)
    store.set_marks([date(2026, 1, 9)], "away", "", now=EARLY)
    marks = [m.to_json() for m in store.marks()]
    # A broken session: the file is damaged, and its marks must not be lost with it.
    db.write_bytes(db.read_bytes().replace(b'"status":"completed"', b'"status":"done"', 1))
    assert main(["--db", str(db), "doctor"]) == 0
    out = capsys.readouterr().out
    assert "marks       2 day marks recovered from" in out
    assert [m.to_json() for m in Store(db).marks()] == marks
    assert [r.id for r in Store(db).sessions()] == ["s00002"]
