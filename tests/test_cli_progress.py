"""`hipmob progress` as a user at a prompt sees it: tables, JSON, no data, bad flags."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.store import Store
from tests.test_cli_history import run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def test_no_history_says_so_and_creates_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "progress")
    assert code == 0 and "no sessions yet" in out and not db.parent.exists()
    code, out, _ = run(capsys, "--db", str(db), "progress", "--json")
    found = json.loads(out)
    assert (found["path"], found["routines"], found["exercises"]) == (str(db), [], [])
    assert [week["sessions"] for week in found["weeks"]] == [0] * 12


def test_tables_name_each_routine_with_its_median_and_n(
    db: Path, builtin_catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge(demo_sessions(builtin_catalog, date.today(), 60))
    code, out, _ = run(capsys, "--db", str(db), "progress", "--weeks", "4")
    assert code == 0
    assert "ROUTINE" in out and "MEDIAN" in out and "EXERCISE" in out and "WEEK OF" in out
    assert "Evening Wind-Down" in out and "90/90 Pigeon Stretch" in out
    assert "not what caused a change" in out
    week_rows = out.split("WEEK OF", 1)[1].strip().splitlines()[1:5]
    assert len(week_rows) == 4 and all(row[:4].isdigit() for row in week_rows)
    assert "\x1b" not in out


def test_json_has_the_documented_shape(
    db: Path, builtin_catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge(demo_sessions(builtin_catalog, date.today(), 60))
    code, out, _ = run(capsys, "--db", str(db), "progress", "--json")
    found = json.loads(out)
    assert code == 0 and len(found["weeks"]) == 12
    routine = found["routines"][0]
    assert set(routine) == {"routine_id", "name", "sessions", "completed", "last_done", "pain"}
    assert set(routine["pain"]) == {
        "scored",
        "median_change",
        "low",
        "high",
        "raised",
        "lowered",
        "caution",
    }
    assert set(found["exercises"][0]) == {
        "exercise_id",
        "name",
        "times",
        "sets_done",
        "sets_planned",
        "last_done",
        "pain",
    }
    assert set(found["weeks"][0]) == {"week", "sessions", "completed", "median_pain_before"}


def test_a_routine_that_often_raises_pain_gets_a_caution_line(
    db: Path, builtin_catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = demo_sessions(builtin_catalog, date.today() - timedelta(days=1), 3)
    Store(db).merge(s.with_changes(pain_before=2, pain_after=5) for s in sessions)
    code, out, _ = run(capsys, "--db", str(db), "progress")
    assert code == 0 and "Caution: Sessions with" in out and "see a clinician" in out


@pytest.mark.parametrize("weeks", ["0", "521", "x", "-1"])
def test_a_bad_week_count_is_a_usage_error(
    db: Path, weeks: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db), "progress", "--weeks", weeks])
    assert exit_.value.code == 2
    assert "weeks is a whole number from 1 to 520" in capsys.readouterr().err
