"""Day marks, check results and plan facts travel between machines as sessions do: what a
sync sends, each fact's own version, and what removing a mark leaves behind."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history import fileformat
from hipmob_tui.history.records import (
    CheckResult,
    PlanFact,
    check_result_from_json,
    mark_from_json,
    plan_fact_from_json,
)
from hipmob_tui.history.store import Facts, Store
from tests.test_store import CHECK_RESULT, PLAN_FACT, record

DAY = date(2026, 1, 5)
NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def synced_pair(folder: Path) -> tuple[Store, Store]:
    """Two files holding the same sessions, as after a first sync."""
    here, there = Store(folder / "here.json"), Store(folder / "there.json")
    here.add(record(1))
    there.merge(here.sessions())
    return here, there


def what_a_sync_sends(here: Store, there: Store) -> Facts:
    """What `hipmob sync` run on `here` would send to `there`: `there`'s export merged here."""
    theirs = there.facts()[0]
    change = here.merge(
        theirs.sessions,
        theirs.marks,
        theirs.checks,
        theirs.plans,
        theirs.deleted,
        outgoing=True,
    )
    assert change.outgoing is not None
    return change.outgoing


def test_a_sync_sends_marks_results_and_plan_facts_the_far_side_has_none_of(
    folder: Path,
) -> None:
    """The far side had no marks at all: its export brought none, and this side's were
    left behind ("Already in sync") while the two histories differed."""
    here, there = synced_pair(folder)
    here.set_marks([DAY], "rest", "planned")
    result = CheckResult("check-1", "knee-to-wall", NOW, "left", 7, NOW)
    here.add_check_results([result])
    here.add_plan_fact(PlanFact("plan-1", DAY, "gentle-start", 1, NOW))
    sent = what_a_sync_sends(here, there)
    assert [(m.date, m.kind) for m in sent.marks] == [(DAY, "rest")]
    assert [r.id for r in sent.checks] == ["check-1"]
    assert [f.id for f in sent.plans] == ["plan-1"]
    assert sent.sessions == [] and sent.deleted == []


# -- each fact carries its own version --------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def rows(db: Path, table: str) -> list[dict[str, Any]]:
    return list(json.loads(db.read_bytes()).get(table, {}).values())


def test_marks_results_and_plan_facts_are_versions_of_this_file_to_the_microsecond(
    folder: Path,
) -> None:
    db = folder / "hipmob.json"
    store = Store(db, clock=Clock())
    store.set_marks([DAY], "rest", "planned")
    store.add_check_results([CheckResult("check-1", "knee-to-wall", NOW, "left", 7, NOW)])
    store.add_plan_fact(PlanFact("plan-1", DAY, "gentle-start", 1, NOW))
    device = fileformat.device_of(json.loads(db.read_bytes()))
    assert device
    for table in ("marks", "checks", "plan"):
        (row,) = rows(db, table)
        assert (row["updated_at"], row["device"]) == ("2026-03-01T09:30:15.123456+00:00", device)
    assert json.loads(db.read_bytes())["meta"]["1"]["schema"] == 2, "older hipmobs: upgrade"


def test_a_mark_changed_on_a_slow_clock_is_still_a_later_version(folder: Path) -> None:
    clock = Clock()
    store = Store(folder / "hipmob.json", clock=clock)
    store.set_marks([DAY], "rest")
    clock.now = NOW - timedelta(hours=1)  # this machine's clock went back
    store.set_marks([DAY], "flare", "worse")
    (mark,) = store.marks()
    assert mark.kind == "flare" and mark.updated_at == NOW + timedelta(microseconds=1)


def mark_version(updated_at: str, device: str, kind: str, note: str = "") -> dict[str, Any]:
    return {
        "id": "mark-20260105-0a0b0c0d",
        "date": DAY.isoformat(),
        "kind": kind,
        "note": note,
        "created_at": "2026-01-05T08:00:00+00:00",
        "updated_at": updated_at,
        "device": device,
    }


def test_of_two_versions_made_at_one_time_the_greater_device_stays_on_both_sides(
    folder: Path,
) -> None:
    """As for sessions: the version is (`updated_at`, `device`), and only when both are equal
    does the content decide. Here the content alone would pick the other one ("away" sorts
    before "rest", and "z" after "a" in the note)."""
    same = "2026-01-06T09:00:00.000001+00:00"
    on_a = mark_from_json(mark_version(same, "aaaa", "rest", "z"))
    on_b = mark_from_json(mark_version(same, "bbbb", "away", "a"))
    a, b = Store(folder / "a.json"), Store(folder / "b.json")
    a.merge_marks([on_a])
    b.merge_marks([on_b])
    a.merge_marks(b.marks())
    b.merge_marks([on_a])
    assert a.marks() == b.marks() == [on_b]
    first = check_result_from_json({**CHECK_RESULT, "updated_at": same, "device": "bbbb"})
    second = check_result_from_json(
        {**CHECK_RESULT, "updated_at": same, "device": "aaaa", "value": 9}
    )
    a.merge([], checks=[first])
    a.merge([], checks=[second])
    assert a.check_results() == [first]
    older = plan_fact_from_json({**PLAN_FACT, "stage": 3, "device": "aaaa", "updated_at": same})
    newer = plan_fact_from_json({**PLAN_FACT, "stage": 2, "device": "bbbb", "updated_at": same})
    a.merge([], plans=[newer])
    a.merge([], plans=[older])
    assert a.plan_facts() == [newer]


def test_facts_from_before_devices_read_and_import_with_none(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = folder / "old.json"
    old_mark = {k: v for k, v in mark_version(NOW.isoformat(), "", "rest").items() if k != "device"}
    old_mark["updated_at"] = "2026-03-01T10:30:15+01:00"  # seconds, a local offset
    old = {
        "meta": {"1": {"schema": 1}},
        "marks": {"1": old_mark},
        "checks": {"1": CHECK_RESULT},
        "plan": {"1": PLAN_FACT},
        "sessions": {},
    }
    db.write_text(json.dumps(old))
    facts = Store(db).facts()[0]
    assert [m.version for m in facts.marks] == [(datetime(2026, 3, 1, 9, 30, 15, tzinfo=UTC), "")]
    assert [r.device for r in facts.checks] == [f.device for f in facts.plans] == [""]
    export = folder / "old-export.json"
    export.write_text(
        json.dumps(
            {
                "format": "hipmob-sessions",
                "version": 2,
                "sessions": [],
                "marks": [old_mark],
                "checks": [CHECK_RESULT],
                "plan": [PLAN_FACT],
            }
        )
    )
    other = folder / "other.json"
    assert main(["--db", str(other), "import", str(export)]) == 0
    assert Store(other).facts()[0].marks == facts.marks
    capsys.readouterr()
