"""Left and right: which side of a per-side exercise felt tighter, from record to Progress."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.content.models import Exercise
from hipmob_tui.history.progress import progress, side_summaries
from hipmob_tui.history.records import (
    ExerciseCache,
    ExerciseDone,
    RecordError,
    SessionRecord,
    from_json,
)
from hipmob_tui.history.store import Store
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import SessionEngine, StepChange, readout, session_record
from hipmob_tui.session.journal import Journal
from hipmob_tui.session.run import SessionRun
from hipmob_tui.session.timeline import StepKind
from tests.test_engine import COUNTED, HOLD, timeline_of

START = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
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
    assert stored.same_content(noted) and stored.exercises[0].side_note == "left"
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
    assert code == 0 and ": 2 new, 0 updated" in out
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
    assert code == 0 and ": 1 new, 0 updated" in out
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


# -- the engine and the run -------------------------------------------------------------------

# HOLD: get ready 5, then two sets of 20 s a side (switch 5, rest 15), then COUNTED's get
# ready (25 s: the rest and the get-ready together) before reps the person confirms.
THROUGH_HOLD = 5 + 20 + 5 + 20 + 15 + 20 + 5 + 20


def started(*exercises: Exercise) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(timeline_of(*exercises), clock)
    engine.start()
    return engine, clock


def at(engine: SessionEngine, clock: FakeClock, seconds: float) -> None:
    clock.tick(seconds)
    engine.advance()


def test_a_side_note_is_offered_only_once_both_sides_of_the_last_set_are_done() -> None:
    engine, clock = started(HOLD, COUNTED)
    offered = []
    for _ in range(THROUGH_HOLD + 1):
        offered.append((engine.step.kind, engine.side_note_item))
        at(engine, clock, 1)
    assert all(item is None for _kind, item in offered[:THROUGH_HOLD]), "not before its end"
    assert offered[THROUGH_HOLD] == (StepKind.GET_READY, 0), "the pause after it"
    assert not engine.can_note_side(1), "COUNTED is not done per side"
    with pytest.raises(ValueError, match="per-side exercise that was done"):
        engine.note_side(1, "left")


def test_nothing_is_offered_during_a_rest_between_sets() -> None:
    engine, clock = started(HOLD, COUNTED)
    at(engine, clock, 5 + 20 + 5 + 20 + 1)
    assert engine.step.kind is StepKind.REST and engine.side_note_item is None
    assert not engine.can_note_side(0)
    with pytest.raises(ValueError):
        engine.note_side(0, "left")


def test_an_exercise_skipped_before_a_set_was_done_on_both_sides_takes_no_note() -> None:
    engine, clock = started(HOLD, COUNTED)
    for _ in range(8):  # every step of HOLD left at once: nothing of it done
        engine.next()
    assert engine.step.kind is StepKind.GET_READY and engine.step.item_index == 1
    assert engine.side_note_item is None and not engine.can_note_side(0)


def test_the_same_side_again_clears_the_note_and_the_record_carries_it() -> None:
    engine, clock = started(HOLD, COUNTED)
    at(engine, clock, THROUGH_HOLD + 1)
    engine.note_side(0, "left")
    assert engine.side_notes == {0: "left"} and readout(engine).side_note == "left"
    engine.note_side(0, "right")
    assert engine.side_notes == {0: "right"}
    engine.note_side(0, "right")
    assert engine.side_notes == {} and readout(engine).side_note is None
    engine.note_side(0, "even")
    with pytest.raises(ValueError, match="left, right or even"):
        engine.note_side(0, "both")
    record = session_record(engine, started_at=START, ended_at=START)
    assert [e.side_note for e in record.exercises] == ["even", None]


def test_a_side_note_never_stops_the_clock() -> None:
    engine, clock = started(HOLD, COUNTED)
    at(engine, clock, THROUGH_HOLD + 1)
    left = engine.step_remaining
    clock.tick(3)
    engine.note_side(0, "left")  # acts on the clock's now, like every command
    assert engine.running and engine.step_remaining == pytest.approx(left - 3)
    clock.tick(30)
    events = engine.advance()
    assert engine.running and engine.step.is_work and engine.step.item_index == 1
    assert [e for e in events if isinstance(e, StepChange)], "the pause ended on time"
    assert engine.side_note_item is None, "the offer ends with the pause"
    assert engine.side_notes == {0: "left"}, "the note stays"


def test_a_note_can_be_set_after_the_offer_and_after_the_end() -> None:
    engine, clock = started(HOLD, COUNTED)
    at(engine, clock, THROUGH_HOLD + 30)  # into COUNTED
    engine.note_side(0, "right")
    engine.done_reps()
    assert engine.finished
    engine.note_side(0, "right")
    engine.note_side(0, "even")
    assert engine.side_notes == {0: "even"}


def test_side_notes_survive_a_resume_and_old_snapshots_have_none() -> None:
    engine, clock = started(HOLD, COUNTED)
    at(engine, clock, THROUGH_HOLD + 1)
    engine.note_side(0, "left")
    snapshot = json.loads(json.dumps(engine.snapshot()))
    again = SessionEngine.resumed(timeline_of(HOLD, COUNTED), FakeClock(), snapshot)
    assert again.side_notes == {0: "left"}
    del snapshot["side_notes"]
    assert SessionEngine.resumed(timeline_of(HOLD, COUNTED), FakeClock(), snapshot).side_notes == {}
    for bad in ({"0": "both"}, {"1": "left"}, {"x": "left"}, ["left"]):
        snapshot["side_notes"] = bad
        resumed = SessionEngine.resumed(timeline_of(HOLD, COUNTED), FakeClock(), snapshot)
        assert resumed.side_notes == {}, "a note that does not fit is left out, not the session"


def test_the_run_keeps_a_side_note_in_its_journal_at_once(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    clock = FakeClock()
    run = SessionRun(timeline_of(HOLD, COUNTED), db, clock=clock, now=lambda: START)
    run.start()
    clock.tick(THROUGH_HOLD + 1)
    run.advance()
    run.note_side(0, "right")
    saved = Journal(db).load()
    assert saved is not None and saved.snapshot["side_notes"] == {"0": "right"}
    assert saved.record.exercises[0].side_note == "right"


# -- progress ---------------------------------------------------------------------------------


def noted_sessions(*notes: str | None, exercise: ExerciseDone = IR) -> list[SessionRecord]:
    """One session a day, oldest first, each with `exercise` noted as given."""
    return [
        session(n, replace(exercise, side_note=note), BREATHING)
        for n, note in enumerate(notes, start=1)
    ]


def test_the_last_ten_noted_sessions_of_an_exercise_make_its_side_summary() -> None:
    older = ["right", "right", "right"]  # beyond the last ten noted: not counted
    last_ten = ["left", None, "even", "left", "left", "right", "left", None, "even", "left"]
    last_ten += ["left", "left"]  # None: done without a note, not counted either
    records = noted_sessions(*older, *last_ten)
    found = progress(records, date(2026, 4, 1))
    (ir,) = found.sides
    assert (ir.noted, ir.left, ir.right, ir.even) == (10, 7, 1, 2)
    assert ir.text == "90/90 IR: left tighter in 7, even in 2, right in 1 of the last 10"
    assert found.to_json()["sides"] == [
        {
            "exercise_id": "ninety-ninety-ir",
            "name": "90/90 IR",
            "noted": 10,
            "left": 7,
            "right": 1,
            "even": 2,
            "text": "90/90 IR: left tighter in 7, even in 2, right in 1 of the last 10",
        }
    ]


@pytest.mark.parametrize(
    ("notes", "text"),
    [
        (["left"] * 7, "left tighter in 7 of the last 7"),
        (["right"], "right tighter in the only session noted"),
        (["even"], "even in the only session noted"),
        (["even"] * 5 + ["right"] * 3 + ["left"] * 2, "even in 5, right tighter in 3, left in 2"),
        (["left", "right"], "left tighter in 1, right in 1 of the last 2"),
    ],
)
def test_side_summaries_in_words(notes: list[str], text: str) -> None:
    (found,) = side_summaries(noted_sessions(*notes))
    assert found.counts_text.startswith(text)


def test_only_exercises_with_a_note_appear_named_as_their_newest_record_names_them() -> None:
    assert side_summaries(noted_sessions(None, None)) == ()
    assert progress(noted_sessions(None), date(2026, 4, 1)).to_json()["sides"] == []
    renamed = replace(IR, name="90/90 Internal Rotation", side_note="right")
    records = [*noted_sessions("left", "left"), session(9, renamed)]
    (found,) = side_summaries(records)
    assert found.text == "90/90 Internal Rotation: left tighter in 2, right in 1 of the last 3"


def test_an_exercise_done_twice_in_a_session_counts_once_with_its_later_note() -> None:
    twice = session(1, replace(IR, side_note="left"), replace(IR, side_note="even"))
    (found,) = side_summaries([twice])
    assert (found.noted, found.left, found.even) == (1, 0, 1)


def test_progress_prints_the_side_summary_only_when_there_is_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hipmob.json"
    Store(db).merge(noted_sessions(None, None))
    code, out, _ = run(capsys, "--db", str(db), "progress")
    assert code == 0 and "EXERCISE" in out and "Tighter side" not in out
    sides = ["left", "left", "right"]
    Store(db).merge(session(10 + n, replace(IR, side_note=side)) for n, side in enumerate(sides))
    code, out, _ = run(capsys, "--db", str(db), "progress")
    assert code == 0
    section = out.split("Tighter side", 1)[1].splitlines()
    assert section[:2] == [
        " (each exercise's last 10 sessions with a side note)",
        "  90/90 IR: left tighter in 2, right in 1 of the last 3",
    ]
    code, out, _ = run(capsys, "--db", str(db), "progress", "--json")
    (ir,) = json.loads(out)["sides"]
    assert (ir["exercise_id"], ir["noted"], ir["left"], ir["right"], ir["even"]) == (
        "ninety-ninety-ir",
        3,
        2,
        1,
        0,
    )
