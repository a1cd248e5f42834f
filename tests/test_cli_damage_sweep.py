"""Every command over every kind of damaged file: one clear line, never a traceback.

The history file and the import file are each damaged in every way `DAMAGE` knows; each
command must end with exit 0 or 1 (2 for usage), name the problem without a traceback,
and, when it only reads, leave the file byte-identical.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history.store import Store
from tests.test_store import DAMAGE, record

READERS = [
    ["streak"],
    ["streak", "--json"],
    ["streak", "--short"],
    ["streak", "--explain"],
    ["streak", "--explain", "--json"],
    ["history"],
    ["history", "--format", "csv"],
    ["history", "--format", "json"],
    ["progress"],
    ["export", "-"],
    ["report", "-o", "-"],
    ["report", "-o", "-", "--format", "md"],
    ["check", "ir-ease-90-90"],
    ["check", "ir-ease-90-90", "--json"],
]
WRITERS = [
    ["unmark", "--date", "2026-01-05"],
    ["mark", "rest", "--date", "2026-01-05"],
    ["log", "desk-reset", "--minutes", "5"],
    ["check", "movement-pain", "--value", "3"],
    ["doctor"],
]


def damaged_db(tmp_path: Path, kind: str) -> tuple[Path, bytes]:
    db = tmp_path / "data" / "hipmob.json"
    Store(db).merge([record(n) for n in range(1, 6)])
    damaged = DAMAGE[kind](db.read_bytes())
    db.write_bytes(damaged)
    return db, damaged


@pytest.mark.parametrize("kind", DAMAGE)
def test_every_command_on_a_damaged_history_says_so_in_one_line(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db, damaged = damaged_db(tmp_path, kind)
    for argv in READERS:
        code = main(["--db", str(db), *argv])  # an exception here would be a traceback
        out, err = capsys.readouterr()
        assert code in (0, 1), (kind, argv)
        assert db.read_bytes() == damaged, (kind, argv, "a read never changes the file")
        if code == 1:
            assert err.count("\n") <= 3 and "Traceback" not in err, (kind, argv, err)
    for argv in WRITERS:
        code = main(["--db", str(db), *argv])
        out, err = capsys.readouterr()
        assert code in (0, 1) and "Traceback" not in out + err, (kind, argv)
    # After the writers: the damaged bytes are kept aside, never lost.
    kept = [p for p in db.parent.iterdir() if p.read_bytes() == damaged]
    assert kept, kind


@pytest.mark.parametrize("kind", DAMAGE)
def test_importing_a_damaged_file_imports_nothing_and_says_why(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source, damaged = damaged_db(tmp_path / "elsewhere", kind)
    db = tmp_path / "mine" / "hipmob.json"
    Store(db).merge([record(100)])
    before = db.read_bytes()
    code = main(["--db", str(db), "import", str(source)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code == 1:
        assert db.read_bytes() == before and err.strip(), kind
    else:  # only what is valid is merged: a duplicate that is an exact repeat, say
        assert code == 0 and "Imported" in out, kind
    assert source.read_bytes() == damaged


@pytest.mark.slow
def test_a_real_process_over_every_damaged_kind_prints_no_traceback(tmp_path: Path) -> None:
    """The same sweep, as processes: what a shell user sees, interpreter start included."""
    tracebacks = []
    for kind in DAMAGE:
        db, _ = damaged_db(tmp_path / kind.replace(" ", "-"), kind)
        for argv in [*READERS, *WRITERS]:
            done = subprocess.run(
                [sys.executable, "-m", "hipmob_tui", "--db", str(db), *argv],
                capture_output=True,
                text=True,
                timeout=60,
            )
            if "Traceback" in done.stderr or done.returncode not in (0, 1):
                tracebacks.append((kind, argv, done.returncode, done.stderr[-300:]))
    assert tracebacks == []
