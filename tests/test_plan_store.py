"""The facts of following a program, in the history file: kept by id, checked on read,
merged on import (the newer wins), exported, salvaged, and the one in force on a day."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history import fileformat
from hipmob_tui.history.fileformat import DamagedStore, salvage_plan_facts
from hipmob_tui.history.records import PlanFact, RecordError, plan_fact_from_json, plan_in_force
from hipmob_tui.history.store import Store
from tests.test_store import PLAN_FACT, _with_plan_table, record


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def fact(n: int, **changes: Any) -> PlanFact:
    return plan_fact_from_json({**PLAN_FACT, "id": f"plan-{n:04d}", **changes})


def test_facts_are_kept_and_sessions_still_append(db: Path) -> None:
    store = Store(db)
    store.merge([record(1)])
    assert store.add_plan_fact(fact(1)).changed == 1
    document = json.loads(db.read_bytes())
    assert list(document)[-1] == "sessions"
    store.add(record(2))
    assert json.loads(db.read_bytes())["plan"] == document["plan"]
    assert [f.id for f in Store(db).plan_facts()] == ["plan-0001"]


def test_the_fact_in_force_is_the_one_set_last_of_those_dated_by_the_day() -> None:
    follow = fact(1, date="2026-01-05")
    stop = fact(2, date="2026-02-01", program_id=None, updated_at="2026-02-01T08:00:00+00:00")
    again = fact(3, date="2026-03-01", stage=2, updated_at="2026-02-20T08:00:00+00:00")
    facts = [follow, stop, again]
    assert plan_in_force(facts, date(2026, 1, 4)) is None
    assert plan_in_force(facts, date(2026, 1, 31)) == follow
    assert plan_in_force(facts, date(2026, 2, 15)) is None, "stopped"
    assert plan_in_force(facts, date(2026, 3, 1)) == again
    # Following again from an earlier day, after stopping, follows from that day.
    backdated = fact(4, date="2026-01-20", stage=3, updated_at="2026-03-02T09:00:00.000001+00:00")
    assert plan_in_force([*facts, backdated], date(2026, 3, 2)) == backdated


def test_a_newer_version_of_a_fact_wins_an_import_and_an_older_does_not(db: Path) -> None:
    store = Store(db)
    store.add_plan_fact(fact(1))
    newer = fact(1, stage=2, updated_at="2026-01-06T08:00:00+00:00")
    assert store.merge([], plans=[newer]).plans == 1
    assert store.merge([], plans=[fact(1)]).plans == 0
    assert Store(db).plan_facts() == [newer]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stage": 0}, "stage must be a whole number from 1 to 100"),
        ({"program_id": "Not An Id"}, "program_id 'Not An Id' is not a valid program id"),
        ({"date": "2026-1-5"}, "date '2026-1-5' is not a date like 2026-12-05"),
        ({"extra": 1}, "a plan fact has no field 'extra'"),
    ],
)
def test_a_bad_fact_is_refused_with_its_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        plan_fact_from_json({**PLAN_FACT, **changes})


def test_a_bad_fact_in_the_file_makes_it_damaged_and_doctor_recovers_the_good_ones(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(1)])
    good = {**PLAN_FACT, "id": "plan-good"}
    db.write_bytes(_with_plan_table(db.read_bytes(), good, {**PLAN_FACT, "stage": "two"}))
    with pytest.raises(DamagedStore, match="plan fact 2: stage must be a whole number"):
        Store(db).plan_facts()
    assert [f.id for f in salvage_plan_facts(db.read_bytes())] == ["plan-good"]
    assert main(["--db", str(db), "doctor"]) == 0
    assert "plan        1 plan fact recovered" in capsys.readouterr().out
    assert [f.id for f in Store(db).plan_facts()] == ["plan-good"]


def test_export_and_import_carry_the_facts(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(1)])
    Store(db).add_plan_fact(fact(1))
    exported = tmp_path / "export.json"
    assert main(["--db", str(db), "export", str(exported)]) == 0
    assert "and 1 plan fact" in capsys.readouterr().out
    (stored,) = Store(db).plan_facts()
    assert stored.device == fileformat.device_of(json.loads(db.read_bytes())), "set here"
    assert json.loads(exported.read_text())["plan"] == [stored.to_json()]
    other = tmp_path / "other.json"
    assert main(["--db", str(other), "import", str(exported)]) == 0
    out = capsys.readouterr().out
    assert "1 plan fact new or newer (0 already present)" in out
    assert Store(other).plan_facts() == [stored], "its version as it was made, device and all"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sessions": [], "plan": [{**PLAN_FACT, "stage": -1}]}))
    before = other.read_bytes()
    assert main(["--db", str(other), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "plan fact 1: stage must be" in err and "nothing imported: 1 plan fact is invalid" in err
    assert other.read_bytes() == before
