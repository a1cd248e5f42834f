"""Ordinary OS errors (a read-only file system, a folder one may not write, a file where a
folder should be, a file size limit) as a person at a prompt sees them: one line in words,
exit 1, and the history byte for byte as it was."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui import fileio
from hipmob_tui.cli.main import main
from hipmob_tui.history.store import Store
from tests.test_store import record

REASONS = {
    errno.EROFS: ("Read-only file system", "the file system is read-only"),
    errno.EACCES: ("Permission denied", "permission denied"),
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "hipmob.json"
    Store(path).merge([record(1), record(2, day_offset=1)])
    return path


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    source = tmp_path / "other" / "hipmob.json"
    Store(source).merge([record(3, day_offset=2)])
    target = tmp_path / "export.json"
    assert main(["--db", str(source), "export", str(target)]) == 0
    return target


def files_beside(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(db.parent.iterdir()) if p.is_file()}


@pytest.mark.parametrize("code", list(REASONS), ids=["EROFS", "EACCES"])
@pytest.mark.parametrize("command", ["log", "import", "doctor"])
def test_a_lock_that_cannot_be_opened_is_one_line_and_changes_nothing(
    db: Path,
    export_file: Path,
    command: str,
    code: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capsys.readouterr()
    before = files_beside(db)
    real_open = os.open
    strerror, reason = REASONS[code]

    def refusing_the_lock(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".lock"):
            raise OSError(code, strerror, str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(fileio.os, "open", refusing_the_lock)
    argv = {
        "log": ["log", "desk-reset"],
        "import": ["import", str(export_file)],
        "doctor": ["doctor"],
    }[command]
    exit_code, _, err = run(capsys, "--db", str(db), *argv)
    monkeypatch.undo()
    line = one_line(err)
    assert exit_code == 1
    assert f"{db}.lock" in line and reason in line and "nothing was changed" in line, line
    assert files_beside(db) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["streak"],
        ["streak", "--short"],
        ["history"],
        ["history", "--format", "json"],
        ["export", "-"],
        ["doctor"],
        ["log", "desk-reset"],
        ["import", "EXPORT"],
    ],
    ids=" ".join,
)
def test_a_file_where_a_folder_should_be_is_one_line(
    tmp_path: Path, export_file: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("my notes\n")
    argv = [str(export_file) if arg == "EXPORT" else arg for arg in argv]
    for db in (in_the_way / "hipmob.json", in_the_way / "deeper" / "hipmob.json"):
        exit_code, _, err = run(capsys, "--db", str(db), *argv)
        line = one_line(err)
        assert exit_code == 1
        assert f"{in_the_way} is a file, not a folder" in line or (
            "it is a file, not a folder" in line and str(in_the_way) in line
        ), line
        assert in_the_way.read_text() == "my notes\n"


def test_a_file_size_limit_is_not_called_a_full_disk(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db.read_bytes()
    real_write = os.write

    def over_the_limit(fd: int, data: Any) -> int:
        if len(data) > 1000:  # the history, not the lock or the day summary
            raise OSError(errno.EFBIG, "File too large")
        return real_write(fd, data)

    monkeypatch.setattr(fileio.os, "write", over_the_limit)
    exit_code, _, err = run(capsys, "--db", str(db), "log", "desk-reset", "--note", "x" * 2000)
    monkeypatch.undo()
    line = one_line(err)
    assert exit_code == 1
    assert "file size limit" in line and "disk is full" not in line, line
    assert str(db) in line and "the previous file is unchanged" in line
    assert db.read_bytes() == before


def test_any_other_os_error_is_still_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_disk(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EIO, "Input/output error", str(db))

    monkeypatch.setattr(Store, "add", broken_disk)
    exit_code, _, err = run(capsys, "--db", str(db), "log", "desk-reset")
    assert exit_code == 1
    assert one_line(err) == f"hipmob: error: {db}: input/output error"


def test_the_app_s_history_read_says_what_is_in_the_way(tmp_path: Path) -> None:
    """History (and the app's prefetch) show a HipmobError's message; an OSError would
    end the app."""
    from hipmob_tui.errors import HipmobError

    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("my notes\n")
    with pytest.raises(HipmobError, match="notes.txt is a file, not a folder"):
        Store(in_the_way / "hipmob.json").sessions()
    assert Store(tmp_path / "nothing" / "hipmob.json").sessions() == []


def test_a_link_to_nothing_where_the_data_folder_should_be_is_named_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.symlink_to(tmp_path / "gone")
    exit_code, _, err = run(capsys, "--db", str(folder / "hipmob.json"), "log", "desk-reset")
    assert exit_code == 1
    assert f"could not create the folder {folder}: it is a link to nothing" in one_line(err)
    assert not (tmp_path / "gone").exists()
