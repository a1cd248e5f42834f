"""`hipmob today` as a person at a prompt sees it: one line, --short, --json, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.content.routine_index import INDEX_NAME
from hipmob_tui.history.store import Store
from tests.test_store import record


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def today(capsys: pytest.CaptureFixture[str], db: Path, *more: str) -> str:
    code, out, err = run(capsys, "--db", str(db), "today", *more)
    assert (code, err) == (0, ""), err
    return out.rstrip("\n")


def log(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> None:
    code, _, err = run(capsys, "--db", str(db), "log", *argv)
    assert code == 0, err


def mark(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> None:
    code, _, err = run(capsys, "--db", str(db), "mark", *argv)
    assert code == 0, err


def test_before_any_history_it_suggests_the_shortest_routine_and_creates_no_data(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert today(capsys, db) == "today: Desk Reset · 0 of 3 this week · streak 0d"
    assert today(capsys, db, "--short") == "Desk Reset"
    shown = json.loads(today(capsys, db, "--json"))
    assert shown["state"] == "suggest" and shown["path"] == str(db)
    assert not db.parent.exists(), "today must not create the data folder"


def test_routines_take_turns_then_a_session_today_makes_it_done(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log(capsys, db, "desk-reset", "--date", "yesterday")
    line = today(capsys, db)
    assert line.startswith("today: Pre-Run Hip Prep · ") and line.endswith(" · streak 1d")
    log(capsys, db, "pre-run-prep")
    assert today(capsys, db) == "done today · streak 2d"
    assert today(capsys, db, "--short") == "done"


def test_a_painful_session_makes_the_next_suggestion_reset_only(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log(capsys, db, "desk-reset", "--date", "yesterday")
    log(
        capsys, db, "full-session", "--date", "yesterday", "--pain-before", "3", "--pain-after", "5"
    )
    line = today(capsys, db)
    assert line.startswith("today: Desk Reset (RESET only: pain rose last time) · ")
    shown = json.loads(today(capsys, db, "--json"))
    assert (shown["trigger"], shown["gentle"]) == ("pain_rose", True)
    assert shown["reason"] == (
        "your pain went from 3 to 5 in your last session: a RESET-only routine is gentler"
    )


def test_marked_days(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log(capsys, db, "evening-wind-down", "--date", "yesterday")
    mark(capsys, db, "flare")
    assert today(capsys, db) == (
        "flare day: take it easy — Desk Reset (RESET only) if you move at all · streak 1d (frozen)"
    )
    assert today(capsys, db, "--short") == "flare"
    mark(capsys, db, "rest")
    assert today(capsys, db) == "rest day (marked) · streak 1d (frozen)"
    shown = json.loads(today(capsys, db, "--json"))
    assert (shown["state"], shown["routine"], shown["frozen_today"]) == ("rest", None, True)
    mark(capsys, db, "away")
    assert today(capsys, db) == "away (marked) · streak 1d (frozen)"
    run(capsys, "--db", str(db), "unmark")
    mark(capsys, db, "flare", "--date", "yesterday")
    assert today(capsys, db).startswith("today: Desk Reset (RESET only: flare day yesterday) · ")


def test_a_rest_day_with_no_streak_does_not_call_zero_frozen(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user marks today rest: "streak 0d", not "streak 0d (frozen)"."""
    mark(capsys, db, "rest")
    assert today(capsys, db) == "rest day (marked) · streak 0d"


def test_a_damaged_history_is_one_line_exit_1_and_left_as_it_is(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(n) for n in range(1, 4)])
    raw = db.read_bytes()
    db.write_bytes(raw[: len(raw) // 2])
    damaged = db.read_bytes()
    for more in ([], ["--json"], ["--short"]):
        code, out, err = run(capsys, "--db", str(db), "today", *more)
        assert (code, out) == (1, "")
        assert len(err.strip().splitlines()) == 1 and "is damaged" in err
        assert "Traceback" not in err
    assert db.read_bytes() == damaged


def test_a_new_routine_file_is_seen_at_once_through_the_routine_index(
    tmp_path: Path, isolated_home: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today(capsys, db)
    index = isolated_home / ".cache" / "hipmob" / INDEX_NAME
    assert index.exists()
    folder = isolated_home / ".config" / "hipmob" / "routines"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "routines:\n"
        "  - id: tiny-breath\n"
        "    name: Tiny Breath\n"
        "    description: Just the breathing.\n"
        "    items:\n"
        "      - exercise: breathing-hip-lift\n"
        "        dosage: {sets: 1}\n"
    )
    assert today(capsys, db, "--short") == "Tiny Breath"
    # A damaged index is only a miss.
    index.write_text("{not json")
    assert today(capsys, db, "--short") == "Tiny Breath"
    assert json.loads(index.read_text())["routines"]


def test_warm_today_imports_no_yaml_no_models_no_tinydb_no_ui(
    tmp_path: Path, isolated_home: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log(capsys, db, "desk-reset", "--date", "yesterday")
    today(capsys, db)  # writes the routine index
    code = (
        "import sys; from hipmob_tui.cli.main import main; "
        f"main(['--db', {str(db)!r}, 'today']); "
        "print(sorted(m for m in ('yaml', 'tinydb', 'textual', 'rich', 'pickle', "
        "'hipmob_tui.content.models', 'hipmob_tui.history.records', "
        "'hipmob_tui.history.fileformat') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    line, loaded = done.stdout.splitlines()
    assert line.startswith("today: Pre-Run Hip Prep")
    assert loaded == "[]"
