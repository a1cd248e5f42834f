"""Left and right: which side of a per-side exercise felt tighter, from record to Progress."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history.records import (
    ExerciseCache,
    ExerciseDone,
    RecordError,
    SessionRecord,
    from_json,
)
from hipmob_tui.history.store import Store

IR = ExerciseDone("ninety-ninety-ir", "90/90 IR", "restore", 2, 2, 120)
BREATHING = ExerciseDone("breathing", "360 Breathing", "reset", 1, 1, 60)


def session(n: int, *exercises: ExerciseDone) -> SessionRecord:
    start = datetime(2026, 3, 1, 8, tzinfo=UTC) + timedelta(days=n)
    return SessionRecord(
        id=f"s{n:05d}",
        routine_id="evening",
        routine_name="Evening",
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        status="completed",
        planned_seconds=600,
        active_seconds=600,
        exercises=exercises,
    )


# -- the record -------------------------------------------------------------------------------


def test_a_side_note_goes_to_the_file_and_back(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    noted = session(1, replace(IR, side_note="left"), BREATHING)
    assert noted.to_json()["exercises"][0]["side_note"] == "left"
    assert noted.to_json()["exercises"][1]["side_note"] is None, "the JSON shape always has it"
    Store(db).add(noted)
    (stored,) = Store(db).sessions()
    assert stored == noted and stored.exercises[0].side_note == "left"
    rows = list(json.loads(db.read_bytes())["sessions"].values())
    assert rows[0]["exercises"][0]["side_note"] == "left"
    assert "side_note" not in rows[0]["exercises"][1], "no note: nothing more in the file"


def test_every_side_note_reads_back() -> None:
    for side in ("left", "right", "even", None):
        record = session(1, replace(IR, side_note=side))
        assert from_json(json.loads(json.dumps(record.to_json()))) == record


def test_an_old_record_without_side_notes_reads_as_none_and_is_stored_as_it_was(
    tmp_path: Path,
) -> None:
    old = session(1, IR).to_json()
    for entry in old["exercises"]:
        del entry["side_note"]
    assert from_json(old).exercises[0].side_note is None
    db = tmp_path / "hipmob.json"
    Store(db).add(from_json(old))
    Store(db).update(old["id"], lambda r: r.with_changes(notes="edited"))
    (row,) = json.loads(db.read_bytes())["sessions"].values()
    assert row["exercises"] == old["exercises"], "an old entry is written back as it was"


@pytest.mark.parametrize("bad", ["both", "Left", "", 1, True, ["left"], {"side": "left"}])
def test_a_bad_side_note_is_a_damaged_record(bad: object) -> None:
    data = session(1, IR).to_json()
    data["exercises"][0]["side_note"] = bad
    with pytest.raises(RecordError, match="side_note must be left, right, even or null, not"):
        from_json(data)


def test_shared_entries_keep_their_own_side_notes() -> None:
    """Entries checked once and shared (a big file) must not share a side note."""
    seen: ExerciseCache = {}
    plain = from_json(session(1, IR).to_json(), seen)
    left = from_json(session(2, replace(IR, side_note="left")).to_json(), seen)
    right = from_json(session(3, replace(IR, side_note="right")).to_json(), seen)
    assert [r.exercises[0].side_note for r in (plain, left, right)] == [None, "left", "right"]
    again = from_json(session(4, replace(IR, side_note="left")).to_json(), seen)
    assert again.exercises[0] is left.exercises[0]


def test_with_side_note_sets_and_clears_one_exercise() -> None:
    record = session(1, IR, BREATHING)
    noted = record.with_side_note(0, "even")
    assert [e.side_note for e in noted.exercises] == ["even", None]
    assert noted.with_side_note(0, None) == record
    with pytest.raises(RecordError):
        record.with_side_note(0, "both")


# -- export, import, history --format json ----------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_and_import_carry_side_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, other = tmp_path / "mine.json", tmp_path / "other.json"
    noted = [session(1, replace(IR, side_note="left"), BREATHING), session(2, IR)]
    Store(db).merge(noted)
    exported = tmp_path / "export.json"
    assert run(capsys, "--db", str(db), "export", str(exported))[0] == 0
    sessions = json.loads(exported.read_bytes())["sessions"]
    assert [[e["side_note"] for e in s["exercises"]] for s in sessions] == [["left", None], [None]]
    code, out, _ = run(capsys, "--db", str(other), "import", str(exported))
    assert code == 0 and "Imported 2 new sessions" in out
    assert Store(other).sessions() == noted
    code, out, _ = run(capsys, "--db", str(other), "history", "--format", "json")
    shown = json.loads(out)["sessions"]  # newest first
    assert [[e["side_note"] for e in s["exercises"]] for s in shown] == [[None], ["left", None]]


def test_an_export_from_before_side_notes_imports_as_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = session(1, IR, BREATHING).to_json()
    for entry in old["exercises"]:
        del entry["side_note"]
    exported = tmp_path / "old-export.json"
    exported.write_text(json.dumps({"format": "hipmob-sessions", "version": 1, "sessions": [old]}))
    db = tmp_path / "hipmob.json"
    code, out, _ = run(capsys, "--db", str(db), "import", str(exported))
    assert code == 0 and "Imported 1 new session" in out
    assert [e.side_note for e in Store(db).sessions()[0].exercises] == [None, None]


def test_an_import_with_a_bad_side_note_is_one_line_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = session(2, IR).to_json()
    bad["exercises"][0]["side_note"] = "both"
    exported = tmp_path / "bad.json"
    exported.write_text(json.dumps({"sessions": [session(1, IR).to_json(), bad]}))
    db = tmp_path / "hipmob.json"
    code, out, err = run(capsys, "--db", str(db), "import", str(exported))
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [
        f"{exported}: session 2: side_note must be left, right, even or null, not 'both'",
        "hipmob: error: nothing imported: 1 session is invalid (listed above)",
    ]
    assert not db.exists()
