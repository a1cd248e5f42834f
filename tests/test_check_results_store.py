"""Self-check results in the history file: facts kept by id, checked on read, merged on
import (the newer wins), exported, salvaged from a damaged file, and kept in the app's copy,
without breaking the append path that saving a session takes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history import fileformat
from hipmob_tui.history.fileformat import DamagedStore, salvage_check_results
from hipmob_tui.history.records import CheckResult, RecordError, check_result_from_json
from hipmob_tui.history.store import Store
from tests.test_store import CHECK_RESULT, _with_check_table, record

AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 1, 8, 8, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def result(n: int, **changes: Any) -> CheckResult:
    """A valid result, distinct for each n: a left-side IR ease score recorded alone."""
    row = {**CHECK_RESULT, "id": f"check-{n:04d}", "value": n % 11, **changes}
    return check_result_from_json(row)


def test_a_file_without_a_checks_table_is_valid_and_has_no_results(db: Path) -> None:
    Store(db).merge([record(1)])
    assert "checks" not in json.loads(db.read_bytes()), "an older file: no checks table"
    assert Store(db).check_results() == []


def test_results_are_stored_oldest_first_and_sessions_still_append(db: Path) -> None:
    store = Store(db)
    store.merge([record(1)])
    later = result(2, at=LATER.isoformat(), date="2026-01-08", updated_at=LATER.isoformat())
    change = store.add_check_results([later, result(1)])
    assert change.changed == 2
    assert [r.id for r in Store(db).check_results()] == ["check-0001", "check-0002"]
    document = json.loads(db.read_bytes())
    assert list(document)[-1] == "sessions", "sessions stay last, where new ones are appended"
    assert [row["id"] for row in document["checks"].values()] == ["check-0001", "check-0002"]
    store.add(record(2))  # the append path: the results are still there, byte for byte
    assert json.loads(db.read_bytes())["checks"] == document["checks"]
    assert [r.id for r in Store(db).sessions()] == ["s00001", "s00002"]


def test_a_result_is_a_fact_the_newer_version_of_an_id_wins(db: Path) -> None:
    store = Store(db)
    store.add_check_results([result(1, value=4)])
    newer = result(1, value=7, updated_at=LATER.isoformat())
    older = result(1, value=2, updated_at="2026-01-01T00:00:00+00:00")
    assert store.add_check_results([older]).changed == 0
    assert [r.value for r in store.check_results()] == [4]
    before = db.read_bytes()
    assert store.add_check_results([result(1, value=4)]).changed == 0
    assert db.read_bytes() == before, "nothing new: nothing written"
    assert store.add_check_results([newer, older]).changed == 1
    assert [r.value for r in store.check_results()] == [7]
    assert store.merge([], checks=[older, newer]).checks == 0, "idempotent"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"side": "both"}, "side must be left, right or null, not 'both'"),
        ({"value": True}, "value must be a number"),
        ({"value": "6"}, "value must be a number"),
        ({"value": 1e9}, "value must be from -100000 to 100000"),
        ({"when": "before"}, "when and session_id go together"),
        ({"session_id": "s00001"}, "when and session_id go together"),
        ({"when": "during", "session_id": "s00001"}, "when must be before, after or null"),
        ({"date": "2026-01-06"}, "date does not match the local date of at"),
        ({"check_id": "IR Ease"}, "check_id 'IR Ease' is not a valid check id"),
        ({"at": "2026-01-05T08:00:00"}, "at '2026-01-05T08:00:00' has no UTC offset"),
        ({"extra": 1}, "a check result has no field 'extra'"),
    ],
)
def test_a_bad_result_is_refused_with_the_field_named(changes: dict[str, Any], says: str) -> None:
    with pytest.raises(RecordError, match=re.escape(says)):
        check_result_from_json({**CHECK_RESULT, **changes})


def test_a_result_without_a_field_is_refused() -> None:
    row = dict(CHECK_RESULT)
    del row["when"]
    with pytest.raises(RecordError, match="a check result needs the field 'when'"):
        check_result_from_json(row)


def test_nan_and_infinity_are_not_values() -> None:
    for text in ("NaN", "Infinity"):
        row = json.loads(json.dumps(CHECK_RESULT).replace('"value": 6', f'"value": {text}'))
        with pytest.raises(RecordError, match="value must be a finite number"):
            check_result_from_json(row)


def test_a_decimal_value_and_a_session_result_round_trip() -> None:
    row = {**CHECK_RESULT, "value": 12.5, "side": None, "session_id": "s00001", "when": "after"}
    row |= {"updated_at": "2026-01-05T08:00:00.250000+00:00", "device": "0a1b2c3d4e5f6071"}
    assert check_result_from_json(row).to_json() == row


def test_a_result_from_before_devices_reads_with_none_and_its_time_in_utc() -> None:
    old = {**CHECK_RESULT, "updated_at": "2026-01-05T09:00:00+01:00"}
    assert "device" not in old
    result = check_result_from_json(old)
    assert result.version == (AT, "")
    utc = "2026-01-05T08:00:00.000000+00:00"
    assert result.to_json() == {**old, "updated_at": utc, "device": ""}


def test_a_bad_result_makes_the_file_damaged_and_a_read_leaves_it(db: Path) -> None:
    Store(db).merge([record(1)])
    damaged = _with_check_table(db.read_bytes(), {**CHECK_RESULT, "side": "both"})
    db.write_bytes(damaged)
    says = "check result 1: side must be left, right or null, not 'both'"
    with pytest.raises(DamagedStore, match=re.escape(says)):
        Store(db).sessions()
    assert db.read_bytes() == damaged
    change = Store(db).add_check_results([result(5)])  # a write keeps the damaged file aside
    assert change.kept_aside is not None and change.kept_aside.read_bytes() == damaged
    assert [r.id for r in Store(db).check_results()] == ["check-0005"]


def test_an_exact_repeat_of_a_result_reads_once_and_the_next_write_drops_it(db: Path) -> None:
    Store(db).merge([record(1)])
    db.write_bytes(_with_check_table(db.read_bytes(), CHECK_RESULT, CHECK_RESULT))
    assert [r.id for r in Store(db).check_results()] == [CHECK_RESULT["id"]]
    Store(db).add_check_results([result(3)])
    assert len(json.loads(db.read_bytes())["checks"]) == 2


def test_salvage_finds_every_valid_result_and_the_newer_of_two_versions() -> None:
    newer = {**CHECK_RESULT, "value": 8, "updated_at": LATER.isoformat()}
    rows = {"1": CHECK_RESULT, "2": {**CHECK_RESULT, "id": "x", "side": "up"}, "3": newer}
    raw = json.dumps({"checks": rows}).encode()[:-2] + b',"4":{"id":"torn","check_id":"a'
    found = salvage_check_results(raw)
    assert [(r.id, r.value) for r in found] == [(CHECK_RESULT["id"], 8)]


def test_doctor_recovers_the_results_of_a_damaged_file(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    store = Store(db)
    store.merge([record(1), record(2, day_offset=1)])
    store.add_check_results([result(1), result(2, side="right")])
    results = [r.to_json() for r in store.check_results()]
    db.write_bytes(db.read_bytes().replace(b'"status":"completed"', b'"status":"done"', 1))
    assert main(["--db", str(db), "doctor"]) == 0
    out = capsys.readouterr().out
    assert "checks      2 check results recovered from" in out
    assert [r.to_json() for r in Store(db).check_results()] == results


def test_export_and_import_carry_results_and_an_old_export_still_imports(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(1)])
    Store(db).add_check_results([result(1), result(2, side=None, value=12.5)])
    exported = tmp_path / "export.json"
    assert main(["--db", str(db), "export", str(exported)]) == 0
    assert capsys.readouterr().out == f"Exported 1 session and 2 check results to {exported}\n"
    document = json.loads(exported.read_bytes())
    assert document["checks"] == [r.to_json() for r in Store(db).check_results()]
    other = tmp_path / "other" / "hipmob.json"
    assert main(["--db", str(other), "import", str(exported)]) == 0
    assert capsys.readouterr().out == (
        f"Imported into {other}: 1 new, 0 updated, 0 deleted, 0 unchanged; 2 check results "
        "new or newer (0 already present)\n"
    )
    assert [r.to_json() for r in Store(other).check_results()] == document["checks"]
    assert main(["--db", str(other), "import", str(exported)]) == 0
    assert "0 check results new or newer (2 already present)" in capsys.readouterr().out
    del document["checks"]  # an export from before checks
    exported.write_text(json.dumps(document))
    third = tmp_path / "third" / "hipmob.json"
    assert main(["--db", str(third), "import", str(exported)]) == 0
    assert Store(third).check_results() == []


def test_a_bad_result_in_an_import_imports_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(9)])
    before = db.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"sessions": [record(1).to_json()], "checks": [{**CHECK_RESULT, "value": "7"}]})
    )
    assert main(["--db", str(db), "import", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"{bad}: check result 1: value must be a number\n"
        "hipmob: error: nothing imported: 1 check result is invalid (listed above)\n"
    )
    assert db.read_bytes() == before


def test_the_apps_copy_of_the_history_holds_the_results(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    Store(db).merge([record(1)])
    Store(db).add_check_results([result(1)])
    first = Store(db, cache_dir=cache_dir, copy_delay=0).check_results()
    assert [r.id for r in first] == ["check-0001"]

    def never_parsed(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the history was parsed")

    monkeypatch.setattr(fileformat, "history_of", never_parsed)
    assert Store(db, cache_dir=cache_dir).check_results() == first
