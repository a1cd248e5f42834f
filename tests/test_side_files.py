"""The files and folders hipmob keeps beside the history: private folders, no symbolic link
followed, and no summary believed that hipmob did not write."""

from __future__ import annotations

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
