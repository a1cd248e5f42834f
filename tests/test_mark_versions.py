"""Day marks, check results and plan facts travel between machines as sessions do: what a
sync sends, each fact's own version, and what removing a mark leaves behind."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hipmob_tui.history.records import CheckResult, PlanFact
from hipmob_tui.history.store import Facts, Store
from tests.test_store import record

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
