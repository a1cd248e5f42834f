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
        theirs.deleted_marks,
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


# -- removing a mark leaves a tombstone -------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_removing_a_mark_leaves_its_tombstone_and_nothing_shows_it(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = folder / "hipmob.json"
    clock = Clock()
    store = Store(db, clock=clock)
    store.add(record(1))
    store.set_marks([DAY, DAY + timedelta(days=1)], "away", "trip")
    clock.now = NOW + timedelta(hours=1)
    assert store.remove_marks([DAY, date(2020, 1, 1)]).changed == 1
    device = fileformat.device_of(json.loads(db.read_bytes()))
    removal = {"date": "2026-01-05", "deleted_at": "2026-03-01T10:30:15.123456+00:00"}
    assert rows(db, "deleted_marks") == [{**removal, "device": device}]
    assert [m.date for m in Store(db).marks()] == [DAY + timedelta(days=1)]
    code, out, _ = cli(capsys, "--db", str(db), "history", "--format", "json")
    assert [m["date"] for m in json.loads(out)["marks"]] == ["2026-01-06"]
    code, out, _ = cli(capsys, "--db", str(db), "streak", "--explain", "--json", "--days", "366")
    assert "2026-01-05" not in {d["date"] for d in json.loads(out)["days"] if d["mark"]}
    code, out, _ = cli(capsys, "--db", str(db), "export", "-")
    assert json.loads(out)["deleted_marks"] == rows(db, "deleted_marks"), "exported as stored"
    assert store.remove_marks([DAY]).changed == 0, "a day without a mark: nothing to remove"


def test_an_unmark_carries_to_the_other_side_and_an_old_copy_does_not_bring_it_back(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, server = folder / "laptop.json", folder / "server.json"
    Store(laptop).add(record(1))
    assert cli(capsys, "--db", str(laptop), "mark", "rest", "--date", "2026-01-05")[0] == 0
    before = folder / "before.json"
    assert cli(capsys, "--db", str(laptop), "export", str(before))[0] == 0
    assert cli(capsys, "--db", str(server), "import", str(before))[0] == 0
    code, out, _ = cli(capsys, "--db", str(server), "unmark", "--date", "2026-01-05")
    assert (code, out) == (0, "Removed the mark of Mon 05 Jan 2026 (rest).\n")
    after = folder / "after.json"
    assert cli(capsys, "--db", str(server), "export", str(after))[0] == 0
    code, out, _ = cli(capsys, "--db", str(laptop), "import", str(after))
    assert out == (
        f"Imported into {laptop}: 0 new, 0 updated, 0 deleted, 1 unchanged; 1 day mark removed\n"
    )
    assert Store(laptop).marks() == Store(server).marks() == []
    # The laptop's export from before the removal, imported again anywhere: still removed.
    for db in (laptop, server):
        bytes_before = db.read_bytes()
        code, out, _ = cli(capsys, "--db", str(db), "import", str(before))
        assert "0 day marks new or newer (1 already present)" in out
        assert Store(db).marks() == [] and db.read_bytes() == bytes_before, "nothing written"


def test_a_later_mark_of_the_day_comes_back_and_a_later_removal_removes(
    folder: Path,
) -> None:
    a_clock, b_clock = Clock(), Clock(NOW - timedelta(hours=2))  # b's clock is behind
    a, b = Store(folder / "a.json", clock=a_clock), Store(folder / "b.json", clock=b_clock)

    def exchange() -> None:
        for target, source in ((a, b), (b, a)):
            facts = source.facts()[0]
            target.merge([], facts.marks, deleted_marks=facts.deleted_marks)

    a.set_marks([DAY], "rest")
    exchange()
    b.remove_marks([DAY])  # on a clock two hours behind: still later than the mark
    a_clock.now += timedelta(minutes=1)
    exchange()
    assert a.marks() == b.marks() == []
    b.set_marks([DAY], "flare", "back")  # later than the removal, whatever the clock says
    exchange()
    assert [(m.kind, m.note) for m in a.marks()] == [("flare", "back")]
    assert a.facts()[0].deleted_marks == b.facts()[0].deleted_marks == []
    a.remove_marks([DAY])
    exchange()
    assert a.marks() == b.marks() == []
    assert a.facts()[0].deleted_marks == b.facts()[0].deleted_marks


def test_a_file_holding_a_mark_and_a_newer_removal_of_its_date_reads_as_removed(
    folder: Path,
) -> None:
    """hipmob never stores both; a merge of two files by hand may."""
    db = folder / "hipmob.json"
    Store(db, clock=Clock()).set_marks([DAY, DAY + timedelta(days=1)], "rest")
    document = json.loads(db.read_bytes())
    newer = {"date": "2026-01-05", "deleted_at": "2026-03-02T00:00:00.000000+00:00", "device": "x"}
    older = {"date": "2026-01-06", "deleted_at": "2026-02-01T00:00:00.000000+00:00", "device": "x"}
    document["deleted_marks"] = {"1": newer, "2": older}
    db.write_text(json.dumps(document))
    assert [m.date for m in Store(db).marks()] == [DAY + timedelta(days=1)]
    Store(db).set_marks([date(2026, 2, 1)], "away")  # the next write keeps one per date
    assert [row["date"] for row in rows(db, "marks")] == ["2026-01-06", "2026-02-01"]
    assert rows(db, "deleted_marks") == [newer]


@pytest.mark.parametrize(
    "removal",
    [
        {"date": "2026-01-05", "deleted_at": "yesterday", "device": "x"},
        {"date": "2026-02-30", "deleted_at": "2026-03-01T10:00:00+00:00", "device": "x"},
        {"date": "2026-01-05", "deleted_at": "2026-03-01T10:00:00+00:00", "device": "x", "id": 1},
        {"date": "2026-01-05", "deleted_at": "2026-03-01T10:00:00+00:00"},
    ],
)
def test_a_bad_removal_damages_the_file_and_an_import_of_one_imports_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str], removal: dict[str, object]
) -> None:
    db = folder / "hipmob.json"
    Store(db).add(record(1))
    good = db.read_bytes()
    export = folder / "export.json"
    export.write_text(json.dumps({"sessions": [], "deleted_marks": [removal]}))
    code, _, err = cli(capsys, "--db", str(db), "import", str(export))
    assert code == 1 and f"{export}: deleted mark 1: " in err
    assert "nothing imported: 1 deleted mark is invalid" in err and db.read_bytes() == good
    db.write_text(json.dumps({**json.loads(good), "deleted_marks": {"1": removal}}))
    code, _, err = cli(capsys, "--db", str(db), "history")
    assert code == 1 and "deleted mark 1: " in err and len(err.splitlines()) == 1


def test_doctor_keeps_removals_when_it_recovers_a_damaged_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = folder / "hipmob.json"
    clock = Clock()
    store = Store(db, clock=clock)
    store.add(record(1))
    store.set_marks([DAY, DAY + timedelta(days=1)], "rest")
    copy = json.loads(db.read_bytes())
    clock.now = NOW + timedelta(hours=1)
    store.remove_marks([DAY])
    # A damaged file holding the removed mark (a copy from before) and its removal:
    # recovering every mark must not bring it back.
    both = {**json.loads(db.read_bytes()), "old": copy["marks"]}
    db.write_bytes(json.dumps(both).encode()[:-1])  # cut short: not JSON any more
    code, out, _ = cli(capsys, "--db", str(db), "doctor")
    assert code == 0 and "damaged" in out
    assert [m.date for m in Store(db).marks()] == [DAY + timedelta(days=1)]
    assert [r.date for r in Store(db).facts()[0].deleted_marks] == [DAY]


def test_a_sync_sends_a_removal_the_far_side_lacks(folder: Path) -> None:
    here, there = synced_pair(folder)
    here.set_marks([DAY], "rest")
    facts = here.facts()[0]
    there.merge([], facts.marks)
    here.remove_marks([DAY])
    sent = what_a_sync_sends(here, there)
    assert sent.marks == [] and [r.date for r in sent.deleted_marks] == [DAY]


def test_a_hipmob_that_reads_the_older_formats_is_told_to_upgrade(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older hipmob refuses a field it does not know (`device`) as damage: the file's
    schema and the export's version say instead that a newer hipmob wrote them. Here this
    hipmob stands in for the older one, reading up to schema 1 and export version 2 (the
    same check, by hand, with the hipmob of the commit before: the same two messages)."""
    from hipmob_tui.history import exchange

    db = folder / "hipmob.json"
    db.write_text(json.dumps({"meta": {"1": {"schema": 1}}, "sessions": {}}))
    assert cli(capsys, "--db", str(db), "mark", "rest", "--date", "2026-01-05")[0] == 0
    assert json.loads(db.read_bytes())["meta"]["1"]["schema"] == 2, "migrated by the write"
    export = folder / "export.json"
    assert cli(capsys, "--db", str(db), "export", str(export))[0] == 0
    written = db.read_bytes()
    monkeypatch.setattr(fileformat, "SCHEMA_VERSION", 1)
    monkeypatch.setattr(exchange, "EXPORT_VERSION", 2)
    code, out, err = cli(capsys, "--db", str(db), "history")
    assert (code, out) == (1, "")
    assert "it was written by a newer hipmob (schema 2); upgrade hipmob to read it" in err
    code, out, err = cli(capsys, "--db", str(folder / "other.json"), "import", str(export))
    assert (code, out) == (1, "")
    assert err == (
        f"hipmob: error: {export} was written by a newer hipmob (export version 3; this one "
        "reads up to 2); upgrade hipmob to import it\n"
    )
    assert db.read_bytes() == written and not (folder / "other.json").exists()
