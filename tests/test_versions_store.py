"""Every session carries its version (`updated_at`, `device`); a deletion leaves a tombstone.

What a person would notice: an edit or a deletion made on one machine is what a merge
keeps (slices after this one); here, that the file holds what that needs, that old files
still read as they did, and that History, the streak and every command never show a
tombstone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history import fileformat, summary
from hipmob_tui.history import store as store_module
from hipmob_tui.history.fileformat import DamagedStore
from hipmob_tui.history.store import Store
from tests.test_store import record

NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "data" / "hipmob.json"


def document(db: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(db.read_bytes())
    return loaded


def device(db: Path) -> str:
    found = fileformat.device_of(document(db))
    assert found is not None
    return found


def rows(db: Path, table: str = "sessions") -> list[dict[str, Any]]:
    return list(document(db).get(table, {}).values())


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def never_parse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the whole file was parsed")


def test_a_new_session_is_a_version_made_now_in_this_file(db: Path, tmp_path: Path) -> None:
    Store(db, clock=Clock()).add(record(1))
    (stored,) = Store(db).sessions()
    assert stored.version == (NOW, device(db))
    (row,) = rows(db)
    assert row["updated_at"] == "2026-03-01T09:30:15.123456+00:00"  # UTC, microseconds
    assert row["device"] == device(db) and len(device(db)) == 16
    first = device(db)
    Store(db, clock=Clock()).add(record(2))
    Store(db).delete("s00002")
    assert device(db) == first, "made once per file, kept in its meta table"
    other = tmp_path / "other.json"
    Store(other).add(record(1))
    assert device(other) != first, "each history file has its own"


def test_an_edit_is_a_later_version_even_when_this_clock_is_behind(db: Path) -> None:
    clock = Clock()
    store = Store(db, clock=clock)
    store.add(record(1))
    clock.now = NOW + timedelta(minutes=5)
    store.update("s00001", lambda old: old.with_changes(pain_after=1))
    (edited,) = store.sessions()
    assert edited.pain_after == 1 and edited.version == (clock.now, device(db))
    # This machine's clock is an hour behind the one that made the version: the edit
    # must still win any merge against it, so it is one microsecond later.
    clock.now = NOW - timedelta(hours=1)
    store.replace(edited.with_changes(notes="later, on a slow clock"))
    (again,) = store.sessions()
    assert again.notes == "later, on a slow clock"
    assert again.updated_at == NOW + timedelta(minutes=5, microseconds=1)


def test_an_edit_that_changes_nothing_writes_nothing(db: Path) -> None:
    store = Store(db, clock=Clock())
    store.add(record(1))
    before = db.read_bytes()
    assert store.update("s00001", lambda old: old.with_changes(notes=old.notes)).changed == 0
    assert db.read_bytes() == before, "no new version to send to other machines"


def test_a_deletion_leaves_a_tombstone_no_command_shows(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    store = Store(db, clock=clock)
    store.add(record(1))
    store.add(record(2, day_offset=1))
    clock.now = NOW + timedelta(hours=2)
    store.delete("s00002")
    assert rows(db, "deleted") == [
        {"id": "s00002", "deleted_at": "2026-03-01T11:30:15.123456+00:00", "device": device(db)}
    ]
    assert [r.id for r in Store(db).sessions()] == ["s00001"]
    code, out = cli(capsys, "--db", str(db), "history", "--format", "json")
    assert code == 0 and [s["id"] for s in json.loads(out)["sessions"]] == ["s00001"]
    code, out = cli(capsys, "--db", str(db), "streak", "--json")
    assert json.loads(out)["last_date"] == "2026-01-01"
    days = summary.read(db)
    assert days is not None and days.sessions == 1
    code, out = cli(capsys, "--db", str(db), "export", "-")
    exported = json.loads(out)
    assert [s["id"] for s in exported["sessions"]] == ["s00001"]
    assert exported["deleted"] == rows(db, "deleted"), "exported, in the same shape"


def test_history_json_shows_each_sessions_version(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db, clock=Clock()).add(record(1))
    code, out = cli(capsys, "--db", str(db), "history", "--format", "json")
    (shown,) = json.loads(out)["sessions"]
    assert (shown["updated_at"], shown["device"]) == (
        "2026-03-01T09:30:15.123456+00:00",
        device(db),
    )


OLD_FILE = {
    "meta": {"1": {"schema": 1}},
    "sessions": {
        "1": {
            **{k: v for k, v in record(1).to_row().items() if k not in ("updated_at", "device")},
            "started_at": "2026-01-01T09:01:00+01:00",
            "ended_at": "2026-01-01T09:07:00+01:00",
        }
    },
}


def test_an_old_file_reads_as_ever_its_versions_taken_from_ended_at(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.parent.mkdir(parents=True)
    raw = json.dumps(OLD_FILE).encode()
    db.write_bytes(raw)
    (old,) = Store(db).sessions()
    assert old.version == (datetime(2026, 1, 1, 8, 7, tzinfo=UTC), "")
    code, out = cli(capsys, "--db", str(db), "history", "--format", "json")
    (shown,) = json.loads(out)["sessions"]
    assert (shown["updated_at"], shown["device"]) == ("2026-01-01T08:07:00.000000+00:00", "")
    assert db.read_bytes() == raw, "reading changes nothing"
    Store(db, clock=Clock()).add(record(2))
    assert rows(db)[0] == OLD_FILE["sessions"]["1"], "its rows keep their bytes"
    assert device(db), "the first write gives the file its device"


def test_an_old_export_imports_with_ended_at_as_the_version(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = {k: v for k, v in record(1).to_json().items() if k not in ("updated_at", "device")}
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": "hipmob-sessions", "version": 1, "sessions": [session]}))
    assert cli(capsys, "--db", str(db), "import", str(old))[0] == 0
    (imported,) = Store(db).sessions()
    assert imported.version == (record(1).ended_at, "") and imported.same_content(record(1))


def test_adding_after_an_edit_and_a_deletion_still_appends_unparsed(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db, clock=Clock())
    for n in (1, 2, 3):
        store.add(record(n))
    store.update("s00001", lambda old: old.with_changes(notes="edited"))
    store.delete("s00002")
    store_module._written.clear()  # a new process: what it knows comes from beside the file
    with monkeypatch.context() as patch:
        patch.setattr(fileformat, "parse_document", never_parse)
        patch.setattr(fileformat, "history_of", never_parse)
        assert Store(db, clock=Clock()).add(record(4)).changed == 1
        assert Store(db).add(record(3)).changed == 0, "never a duplicate"
    assert {r.id: r.notes for r in Store(db).sessions()} == {
        "s00001": "edited",
        "s00003": "note 3",
        "s00004": "note 4",
    }
    assert [row["id"] for row in rows(db, "deleted")] == ["s00002"]


def test_a_deleted_session_saved_again_comes_back(db: Path) -> None:
    """A session kept from its journal after it was deleted: the save is the later act."""
    clock = Clock()
    store = Store(db, clock=clock)
    store.add(record(1))
    clock.now = NOW + timedelta(hours=1)
    store.delete("s00001")
    clock.now = NOW  # a clock set back cannot make the save older than the deletion
    assert store.add(record(1)).changed == 1
    (back,) = store.sessions()
    assert back.updated_at == NOW + timedelta(hours=1, microseconds=1)
    assert rows(db, "deleted") == []


def test_a_session_beside_its_own_tombstone_reads_as_the_newer_of_the_two(db: Path) -> None:
    """hipmob never stores both; a merge of two files by hand may."""
    clock = Clock()
    Store(db, clock=clock).add(record(1))
    Store(db, clock=clock).add(record(2))
    kept = document(db)
    newer = {"id": "s00001", "deleted_at": "2026-03-01T10:00:00.000000+00:00", "device": "x"}
    older = {"id": "s00002", "deleted_at": "2026-03-01T09:00:00.000000+00:00", "device": "x"}
    kept["deleted"] = {"1": newer, "2": older}
    db.write_text(json.dumps(kept))
    assert [r.id for r in Store(db).sessions()] == ["s00002"]
    assert [t.id for t in Store(db).facts()[0].deleted] == ["s00001"]
    Store(db).add(record(3))  # the next write stores each id once
    assert [row["id"] for row in rows(db)] == ["s00002", "s00003"]
    assert rows(db, "deleted") == [newer]


@pytest.mark.parametrize(
    "tombstone",
    [
        {"id": "s00009", "deleted_at": "yesterday", "device": "x"},
        {"id": "s00009", "deleted_at": "2026-03-01T10:00:00+00:00", "device": "x", "more": 1},
        {"id": "s00009", "device": "x"},
    ],
)
def test_a_bad_tombstone_makes_the_file_damaged(db: Path, tombstone: dict[str, object]) -> None:
    Store(db).add(record(1))
    damaged = {**document(db), "deleted": {"1": tombstone}}
    db.write_text(json.dumps(damaged))
    with pytest.raises(DamagedStore, match="deleted session 1"):
        Store(db).sessions()


def test_doctor_keeps_deletions_when_it_recovers_a_damaged_file(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    store = Store(db, clock=clock)
    for n in (1, 2):
        store.add(record(n))
    copy = {**document(db)}
    clock.now = NOW + timedelta(hours=1)
    store.delete("s00002")
    # A damaged file holding both the deleted session (a copy of it from before) and the
    # tombstone of its deletion: recovering every session must not bring it back.
    both = {**document(db), "old": copy["sessions"]}
    db.write_bytes(json.dumps(both).encode()[:-1])  # cut short: not JSON any more
    code, out = cli(capsys, "--db", str(db), "doctor")
    assert code == 0 and "damaged" in out
    assert [r.id for r in Store(db).sessions()] == ["s00001"]
    assert [t.id for t in Store(db).facts()[0].deleted] == ["s00002"]
