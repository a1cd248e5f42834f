"""`hipmob import` merges by version: edits and deletions made on one machine carry to the
other, it says what changed ("3 new, 1 updated, 2 deleted, 140 unchanged"), `--dry-run`
only says it, and an import that changes nothing writes nothing."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history.store import Store
from tests.test_store import record


@pytest.fixture(autouse=True)
def no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys: pytest.CaptureFixture[str], db: Path, target: Path) -> Path:
    assert run(capsys, "--db", str(db), "export", str(target))[0] == 0
    return target


def untouched(db: Path) -> tuple[bytes, int, list[str]]:
    """What must not change when nothing is written: the bytes, the mtime, the folder."""
    return db.read_bytes(), os.stat(db).st_mtime_ns, sorted(p.name for p in db.parent.iterdir())


def two_machines(tmp_path: Path, sessions: int = 146) -> tuple[Path, Path]:
    """The laptop with `sessions` sessions, and the server with an export of them imported."""
    laptop, server = tmp_path / "laptop" / "hipmob.json", tmp_path / "server" / "hipmob.json"
    Store(laptop).merge([record(n) for n in range(1, sessions + 1)])
    Store(server).merge(Store(laptop).sessions())
    return laptop, server


def test_edits_and_deletions_carry_and_the_import_says_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, server = two_machines(tmp_path, 143)
    # On the server: a corrected pain score and note, two deletions, three new sessions.
    Store(server).update("s00007", lambda old: old.with_changes(pain_after=1, notes="fixed"))
    Store(server).delete("s00008")
    Store(server).delete("s00009")
    for n in (201, 202, 203):
        Store(server).add(record(n))
    exported = export(capsys, server, tmp_path / "server.json")
    code, out, err = run(capsys, "--db", str(laptop), "import", str(exported))
    assert (code, err) == (0, "")
    assert out == f"Imported into {laptop}: 3 new, 1 updated, 2 deleted, 140 unchanged\n"
    found = {r.id: r for r in Store(laptop).sessions()}
    assert (found["s00007"].pain_after, found["s00007"].notes) == (1, "fixed")
    assert "s00008" not in found and "s00009" not in found
    assert {"s00201", "s00202", "s00203"} <= found.keys() and len(found) == 144


def test_a_deleted_session_stays_deleted_when_an_old_copy_comes_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, server = two_machines(tmp_path)
    old_copy = export(capsys, server, tmp_path / "before.json")
    Store(laptop).delete("s00005")
    code, out, _ = run(capsys, "--db", str(laptop), "import", str(old_copy))
    assert ": 0 new, 0 updated, 0 deleted, 146 unchanged" in out
    assert "s00005" not in {r.id for r in Store(laptop).sessions()}
    # The other way, the deletion removes it there too.
    code, out, _ = run(
        capsys, "--db", str(server), "import", str(export(capsys, laptop, tmp_path / "l.json"))
    )
    assert ": 0 new, 0 updated, 1 deleted, 145 unchanged" in out
    assert "s00005" not in {r.id for r in Store(server).sessions()}


def test_an_edit_made_after_a_deletion_elsewhere_brings_the_session_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, server = two_machines(tmp_path)
    Store(laptop).delete("s00003")
    Store(server).update("s00003", lambda old: old.with_changes(notes="still wanted"))
    code, out, _ = run(
        capsys, "--db", str(laptop), "import", str(export(capsys, server, tmp_path / "s.json"))
    )
    assert ": 1 new, 0 updated, 0 deleted, 145 unchanged" in out
    assert {r.id: r.notes for r in Store(laptop).sessions()}["s00003"] == "still wanted"
    assert Store(laptop).facts()[0].deleted == []


def test_dry_run_says_what_would_change_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, server = two_machines(tmp_path)
    Store(server).update("s00002", lambda old: old.with_changes(notes="newer"))
    Store(server).delete("s00004")
    Store(server).add(record(300))
    exported = export(capsys, server, tmp_path / "server.json")
    before = untouched(laptop)
    code, out, _ = run(capsys, "--db", str(laptop), "import", "--dry-run", str(exported))
    assert code == 0
    assert out == (
        f"Would import into {laptop}: 1 new, 1 updated, 1 deleted, 144 unchanged "
        "(a dry run: nothing written)\n"
    )
    assert untouched(laptop) == before
    # Only new sessions: the import would append; a dry run does not.
    Store(server).add(record(301))
    Store(laptop).merge(Store(server).sessions())
    Store(laptop).delete("s00004")
    Store(server).add(record(302))
    before = untouched(laptop)
    exported = export(capsys, server, tmp_path / "again.json")
    out = run(capsys, "--db", str(laptop), "import", "--dry-run", str(exported))[1]
    assert "1 new, 0 updated, 0 deleted, 148 unchanged" in out
    assert untouched(laptop) == before


@pytest.mark.parametrize("index", ["kept", "lost"], ids=["index", "no index"])
def test_an_import_that_changes_nothing_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], index: str
) -> None:
    laptop, _server = two_machines(tmp_path)
    Store(laptop).delete("s00001")
    Store(laptop).set_marks([record(2).date], "rest")
    exported = export(capsys, laptop, tmp_path / "same.json")
    if index == "lost":  # another program wrote the file last: it must be parsed
        (laptop.parent / "hipmob.json.written").unlink()
    before = untouched(laptop)
    code, out, _ = run(capsys, "--db", str(laptop), "import", str(exported))
    assert code == 0 and ": 0 new, 0 updated, 0 deleted, 146 unchanged" in out
    assert untouched(laptop) == before, "same bytes, same mtime, nothing beside it"


def test_an_export_from_a_newer_hipmob_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, _server = two_machines(tmp_path)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": "hipmob-sessions", "version": 4, "sessions": []}))
    before = untouched(laptop)
    code, out, err = run(capsys, "--db", str(laptop), "import", str(newer))
    assert (code, out) == (1, "")
    assert err == (
        f"hipmob: error: {newer} was written by a newer hipmob (export version 4; this one "
        "reads up to 3); upgrade hipmob to import it\n"
    )
    assert untouched(laptop) == before


def test_two_different_sessions_under_one_version_import_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, server = two_machines(tmp_path)
    Store(server).add(record(400))
    document = json.loads(export(capsys, server, tmp_path / "s.json").read_bytes())
    # s00006 as the laptop has it, with other content under the very same version.
    (forged,) = [s for s in document["sessions"] if s["id"] == "s00006"]
    forged["notes"] = "not what was written"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    before = untouched(laptop)
    code, out, err = run(capsys, "--db", str(laptop), "import", str(bad))
    assert (code, out) == (1, "")
    assert err.startswith(f"hipmob: error: nothing imported from {bad}: two sessions differ ")
    assert "'s00006'" in err and len(err.splitlines()) == 1
    assert untouched(laptop) == before
    # One id twice in the export itself, differing: refused before the history is read.
    twice = {**document, "sessions": [*document["sessions"], {**forged, "notes": "twice"}]}
    bad.write_text(json.dumps(twice))
    code, _, err = run(capsys, "--db", str(laptop), "import", str(bad))
    assert code == 1 and "'s00006'" in err
    assert untouched(laptop) == before


def test_dry_run_on_a_damaged_history_leaves_it_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, server = two_machines(tmp_path)
    exported = export(capsys, server, tmp_path / "s.json")
    laptop.write_bytes(laptop.read_bytes()[:-10])
    before = untouched(laptop)
    code, _, err = run(capsys, "--db", str(laptop), "import", "--dry-run", str(exported))
    assert code == 1 and "is damaged" in err and "hipmob doctor" in err
    assert untouched(laptop) == before, "a dry run keeps nothing aside"


def test_one_mark_changed_on_two_machines_in_the_same_second_ends_the_same_on_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Marks from before they kept a device had their time in seconds: two machines could
    change one in the same second. Each side must keep the same one of the two (now: the
    greater device), or they would differ for good while every sync said there was nothing
    to do."""
    laptop, server = two_machines(tmp_path, 1)
    day = record(1).date
    Store(laptop).set_marks([day], "rest", "planned")
    Store(server).merge_marks(Store(laptop).marks())
    (shared,) = Store(laptop).marks()
    same_second = shared.updated_at.replace(microsecond=0) + timedelta(seconds=5)
    Store(laptop).set_marks([day], "flare", "", now=same_second)
    Store(server).set_marks([day], "away", "travel", now=same_second)
    to_server = export(capsys, laptop, tmp_path / "laptop.json")
    to_laptop = export(capsys, server, tmp_path / "server.json")
    assert run(capsys, "--db", str(server), "import", str(to_server))[0] == 0
    assert run(capsys, "--db", str(laptop), "import", str(to_laptop))[0] == 0
    assert Store(laptop).marks() == Store(server).marks()
    assert [m.id for m in Store(laptop).marks()] == [shared.id]
