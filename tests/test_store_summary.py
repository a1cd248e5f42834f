"""The per-day summary is written with every change, and rebuilt when hipmob did not write it.

`hipmob streak` reads only the summary: after a session, a log, an import, an edit or a
delete it must find one that matches the file, without parsing the history; after a hand
edit it must not believe the old one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui import __version__, fileio
from hipmob_tui.cli.main import main
from hipmob_tui.history import fileformat, summary
from hipmob_tui.history import store as store_module
from hipmob_tui.history.store import EXPORT_VERSION, Store
from tests.test_store import record
from tests.test_store_append import rewrite_in_place


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def never_read(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the history was parsed")


def exact(db: Path) -> summary.DaySummary:
    """The summary worked out from the sessions themselves."""
    return summary.of_records(Store(db).sessions())


WRITES: dict[str, Callable[[Path], object]] = {
    "add": lambda db: Store(db).add(record(9, day_offset=5)),
    "merge": lambda db: Store(db).merge([record(7, day_offset=2), record(8, day_offset=3)]),
    "duplicate": lambda db: Store(db).merge([record(1)]),
    "update": lambda db: Store(db).update("s00002", lambda r: r.with_changes(status="partial")),
    "delete": lambda db: Store(db).delete("s00001"),
    "replace": lambda db: Store(db).replace(record(3).with_changes(notes="replaced")),
}


@pytest.mark.parametrize("parsed", [False, True], ids=["appended", "parsed"])
@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_leaves_a_summary_of_the_file_it_wrote(
    db: Path, write: str, parsed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db).merge([record(1), record(2, day_offset=1), record(3, status="partial")])
    if parsed:  # as another hipmob's first write: no index, so the file is parsed
        store_module._written.clear()
        fileformat.written_path(db).unlink()
    WRITES[write](db)
    expected = exact(db)
    monkeypatch.setattr(fileformat, "read_history", never_read)
    monkeypatch.setattr(fileformat, "parse_document", never_read)
    assert Store(db).days() == expected


def test_the_first_streak_after_a_log_or_an_import_parses_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db).merge([record(n, day_offset=n) for n in range(1, 4)])
    exported = tmp_path / "export.json"
    assert main(["--db", str(db), "export", str(exported)]) == 0
    other = tmp_path / "other" / "hipmob.json"
    for argv in (
        ["--db", str(db), "log", "desk-reset", "--note", "by hand"],
        ["--db", str(other), "import", str(exported)],
    ):
        assert main(argv) == 0
        with monkeypatch.context() as patch:
            patch.setattr(fileformat, "read_history", never_read)
            patch.setattr(fileformat, "parse_document", never_read)
            assert main(["--db", argv[1], "streak", "--json"]) == 0
    capsys.readouterr()
    assert Store(other).days() == exact(other)


def test_a_same_size_edit_with_mtime_restored_is_not_believed(db: Path) -> None:
    Store(db).merge([record(1), record(2, day_offset=1)])
    assert Store(db).days() == exact(db)
    before = db.read_bytes()
    # The same number of bytes: JSON allows the spaces after "partial".
    edited = before.replace(b'"status":"completed"', b'"status":"partial"  ', 1)
    rewrite_in_place(db, edited)
    days = Store(db).days()
    assert days is not None and len(days.completed) == 1
    assert days == exact(db)


def test_a_file_replaced_by_another_program_is_summarised_afresh(db: Path) -> None:
    Store(db).merge([record(1), record(2, day_offset=1)])
    document = json.loads(db.read_bytes())
    del document["sessions"]["1"]
    replacement = db.with_name("edited.json")
    replacement.write_text(json.dumps(document))
    os.replace(replacement, db)
    days = Store(db).days()
    assert days is not None and days.sessions == 1
    assert summary.read(db) == days, "the rebuilt summary is saved for the next streak"


def test_an_older_hipmob_s_summary_is_rebuilt(db: Path) -> None:
    Store(db).merge([record(1)])
    stat = db.stat()
    older = {
        "key": [1, stat.st_ino, stat.st_size, stat.st_mtime_ns],
        "completed_days": ["1999-01-01"],
        "sessions": 1,
        "active_seconds": 360,
    }
    summary.summary_path(db).write_text(json.dumps(older))
    assert Store(db).days() == exact(db)


def test_a_summary_that_cannot_be_written_costs_only_speed(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db).merge([record(1)])
    original = fileio.atomic_write

    def full_for_the_summary(path: Path, data: bytes) -> None:
        if path == summary.summary_path(db):
            raise fileio.WriteFailed(28, "the disk is full")
        original(path, data)

    monkeypatch.setattr(fileio, "atomic_write", full_for_the_summary)
    Store(db).add(record(2, day_offset=1))
    assert not summary.summary_path(db).exists(), "no summary of an older file is left"
    monkeypatch.undo()
    assert Store(db).days() == exact(db)


def test_no_history_no_summary(db: Path) -> None:
    assert Store(db).days() is None
    assert not db.parent.exists()


def test_export_is_the_documented_json_one_session_a_line(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = [record(2, day_offset=1), record(1).with_changes(notes='"quoted"\nnewline ✓')]
    Store(db).merge(sessions)
    assert main(["--db", str(db), "export", "-"]) == 0
    out = capsys.readouterr().out
    document = json.loads(out)
    assert list(document) == [
        "format",
        "version",
        "hipmob",
        "path",
        "sessions",
        "marks",
        "checks",
        "plan",
        "deleted",
        "deleted_marks",
    ]
    assert document["marks"] == document["checks"] == document["plan"] == []
    assert document["deleted"] == document["deleted_marks"] == []
    assert (document["format"], document["version"], document["path"]) == (
        "hipmob-sessions",
        EXPORT_VERSION,
        str(db),
    )
    assert document["hipmob"] == __version__
    assert document["sessions"] == [r.to_json() for r in Store(db).sessions()], "oldest first"
    assert [line[:8] for line in out.splitlines()[1:3]] == ['{"id": "'] * 2
    assert "newline ✓" in out, "text as typed, not escaped to ASCII"
