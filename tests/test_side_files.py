"""The files and folders hipmob keeps beside the history: private folders, no symbolic link
followed, and no summary believed that hipmob did not write."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history.store import Store
from tests.test_store import record


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture(params=[0o000, 0o022, 0o077], ids=["umask-000", "umask-022", "umask-077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.mark.parametrize("command", ["log", "import"])
def test_every_folder_hipmob_creates_is_private_whatever_the_umask(
    tmp_path: Path, umask: int, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.json"
    Store(source).add(record(1))
    export = tmp_path / "export.json"
    assert main(["--db", str(source), "export", str(export)]) == 0
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o751)
    os.chmod(mine, 0o751)
    db = mine / "a" / "b" / "c" / "hipmob.json"
    argv = ["log", "desk-reset"] if command == "log" else ["import", str(export)]
    assert main(["--db", str(db), *argv]) == 0, capsys.readouterr().err
    for folder in (mine / "a", mine / "a" / "b", mine / "a" / "b" / "c"):
        assert mode_of(folder) == 0o700, f"{folder}: {oct(mode_of(folder))}"
    assert mode_of(mine) == 0o751, "a folder you made keeps its mode"
    assert mode_of(db) == 0o600


def test_the_default_place_is_private_up_from_the_first_folder_that_exists(
    isolated_home: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["log", "desk-reset"]) == 0, capsys.readouterr().err
    data = isolated_home / ".local" / "share"
    assert (data / "hipmob" / "hipmob.json").is_file()
    for folder in (isolated_home / ".local", data, data / "hipmob"):
        assert mode_of(folder) == 0o700, f"{folder}: {oct(mode_of(folder))}"


# -- no symbolic link is followed --------------------------------------------------------


def logged_twice(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "hipmob.json"
    Store(db).merge([record(1), record(2, day_offset=1)])
    return db


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("dangling", [True, False], ids=["dangling", "to-a-file"])
@pytest.mark.parametrize("command", ["log", "import", "doctor"])
def test_a_symlinked_lock_is_refused_and_its_target_never_made(
    tmp_path: Path, dangling: bool, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = logged_twice(tmp_path)
    export = tmp_path / "export.json"
    assert main(["--db", str(db), "export", str(export)]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "someone-elses-file"
    if not dangling:
        target.write_bytes(b"precious\n")
    lock = db.with_name(db.name + ".lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)
    before = db.read_bytes()
    capsys.readouterr()
    argv = {"log": ["log", "desk-reset"], "import": ["import", str(export)], "doctor": ["doctor"]}
    assert main(["--db", str(db), *argv[command]]) == 1
    line = one_line(capsys.readouterr().err)
    assert str(lock) in line and "symbolic link" in line, line
    assert db.read_bytes() == before
    if dangling:
        assert not target.exists(), "the link's target was created"
    else:
        assert target.read_bytes() == b"precious\n"
    assert lock.is_symlink(), "hipmob does not remove what it did not make"


@pytest.mark.parametrize("side", [".written", ".days.json", ".session", ".backup-TODAY"])
def test_a_side_file_that_is_a_dangling_link_is_replaced_not_followed(
    tmp_path: Path, side: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from hipmob_tui.session.journal import Journal

    db = tmp_path / "data" / "hipmob.json"
    db.parent.mkdir()
    db.write_text('{"meta":{"1":{"schema":1}},"sessions":{}}')  # no backup of today yet
    name = db.name + side.replace("TODAY", date.today().isoformat())
    link = db.with_name(name)
    target = tmp_path / "elsewhere" / "target"
    target.parent.mkdir()
    link.symlink_to(target)
    assert main(["--db", str(db), "log", "desk-reset"]) == 0, capsys.readouterr().err
    assert main(["--db", str(db), "streak"]) == 0
    if side == ".session":
        Journal(db).save(record(3, status="partial"), {"index": 0}, record(3).started_at, "Hold")
    assert not target.exists(), f"{name}: the link's target was created"
    assert link.is_file() and not link.is_symlink(), f"{name} is hipmob's own file now"
    assert mode_of(link) == 0o600


def test_a_backup_that_is_a_link_to_a_file_is_replaced_by_a_real_backup(tmp_path: Path) -> None:
    from datetime import date

    db = tmp_path / "data" / "hipmob.json"
    db.parent.mkdir()
    db.write_text('{"meta":{"1":{"schema":1}},"sessions":{}}')
    target = tmp_path / "elsewhere"
    target.write_bytes(b"not a backup\n")
    backup = db.with_name(f"{db.name}.backup-{date.today().isoformat()}")
    backup.symlink_to(target)
    Store(db).add(record(1))
    assert target.read_bytes() == b"not a backup\n"
    assert not backup.is_symlink() and b'"sessions":{}' in backup.read_bytes()


def test_a_day_summary_behind_a_link_is_not_believed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hipmob_tui.history import summary

    db = logged_twice(tmp_path)
    days = summary.summary_path(db)
    forged = json.loads(days.read_bytes())
    forged["completed"] = list(range(forged["completed"][0] - 99, forged["completed"][0] + 1))
    elsewhere = tmp_path / "forged.json"
    elsewhere.write_text(json.dumps(forged))
    os.chmod(elsewhere, 0o600)
    days.unlink()
    days.symlink_to(elsewhere)
    capsys.readouterr()
    assert main(["--db", str(db), "streak", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["longest"] == 2


def test_a_journal_behind_a_link_is_not_offered(tmp_path: Path) -> None:
    from hipmob_tui.session.journal import Journal, JournalDamaged, journal_path

    db = tmp_path / "hipmob.json"
    elsewhere = tmp_path / "elsewhere.session"
    Journal(elsewhere).save(record(3, status="partial"), {"index": 0}, record(3).started_at, "x")
    journal_path(db).symlink_to(journal_path(elsewhere))
    with pytest.raises(JournalDamaged, match="symbolic link"):
        Journal(db).load()


def test_doctor_does_not_salvage_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = logged_twice(tmp_path)
    other = tmp_path / "other.json"
    Store(other).merge([record(5, day_offset=4)])
    copy = db.with_name(db.name + ".damaged-20260101-000000")
    copy.symlink_to(other)
    capsys.readouterr()
    assert main(["--db", str(db), "doctor"]) == 0
    out = capsys.readouterr().out
    assert f"skipped     {copy}: it is a symbolic link" in out
    assert len(Store(db).sessions()) == 2


# -- a day summary hipmob did not write is not believed ------------------------------------


def forge_a_hundred_days(db: Path) -> Path:
    """What another user who may write the folder can do: copy the summary's stat key
    (it only takes `stat`), claim 100 days, and put the file in the summary's place."""
    from hipmob_tui.history import summary

    days = summary.summary_path(db)
    real = json.loads(days.read_bytes())
    last = max(real["completed"])
    forged = {**real, "completed": list(range(last - 99, last + 1)), "sessions": 100}
    replacement = db.with_name("forged")
    replacement.write_text(json.dumps(forged))
    os.replace(replacement, days)
    return days


@pytest.mark.parametrize("how", ["another-owner", "group-writable", "world-writable"])
def test_a_forged_day_summary_is_not_believed(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = logged_twice(tmp_path)
    days = forge_a_hundred_days(db)
    if how == "another-owner":
        os.chown(days, os.geteuid() + 4321, os.getegid() + 4321)
        os.chmod(days, 0o600)
    else:
        os.chmod(days, 0o620 if how == "group-writable" else 0o602)
    capsys.readouterr()
    assert main(["--db", str(db), "streak", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["longest"] == 2, "the forged 100 days were believed"
    # Summarised afresh from the history and saved as hipmob's own, for the next streak.
    assert days.stat().st_uid == os.geteuid() and mode_of(days) == 0o600
    assert json.loads(days.read_bytes())["sessions"] == 2


def test_hipmob_s_own_summary_is_still_believed_without_a_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hipmob_tui.history import fileformat

    db = logged_twice(tmp_path)
    forge_a_hundred_days(db)  # by this very user: its own file, 0644 like any file it makes
    os.chmod(db.with_name(db.name + ".days.json"), 0o644)

    def never_read(*args: object, **kwargs: object) -> object:
        raise AssertionError("the history was parsed")

    monkeypatch.setattr(fileformat, "read_history", never_read)
    capsys.readouterr()
    assert main(["--db", str(db), "streak", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["longest"] == 100
