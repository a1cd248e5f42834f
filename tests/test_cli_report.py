"""`hipmob report` as a user at a prompt runs it: where it writes, what it says, what it refuses."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.store import Store
from tests.test_cli_history import run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


@pytest.fixture
def demo_db(db: Path, builtin_catalog: Catalog) -> Path:
    Store(db).merge(demo_sessions(builtin_catalog, date.today(), 90))
    return db


def test_without_output_it_writes_a_dated_html_file_here_and_says_where(
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    code, out, err = run(capsys, "--db", str(demo_db), "report")
    name = f"hipmob-report-{date.today().isoformat()}.html"
    assert code == 0 and err == ""
    assert out.startswith("Wrote the report of 8 weeks (") and out.rstrip().endswith(name)
    page = (folder / name).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Pain change per routine" in page
    assert os.stat(folder / name).st_mode & 0o777 == 0o600  # health data: private


def test_output_dash_prints_it_and_writes_nothing(
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    code, out, _ = run(capsys, "--db", str(demo_db), "report", "-o", "-", "--format", "md")
    assert code == 0 and out.startswith("# Hip mobility: activity and pain")
    assert "## Session notes" in out and "## A note on health" in out
    assert sorted(tmp_path.rglob("*")) == before


def test_a_md_file_name_gives_markdown_and_weeks_sets_the_period(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "for-my-physio.md"
    code, out, _ = run(capsys, "--db", str(demo_db), "report", "--weeks", "3", "-o", str(target))
    assert code == 0 and "3 weeks" in out and str(target) in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Hip mobility")
    calendar = text.split("## Adherence", 1)[1].split("##", 1)[0]
    assert len([line for line in calendar.splitlines() if line.startswith("| ")]) == 2 + 3


def test_no_history_says_so_and_creates_nothing(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", str(db), "report")
    assert code == 0 and out == "" and err == f"no history yet at {db}; nothing to report\n"
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_target_is_one_line_and_exit_1_and_the_history_is_untouched(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = demo_db.read_bytes()
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    code, out, err = run(capsys, "--db", str(demo_db), "report", "-o", str(blocker / "r.html"))
    assert code == 1 and out == ""
    assert err.startswith("hipmob: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert demo_db.read_bytes() == before and blocker.read_text() == "in the way"


def test_a_folder_that_does_not_exist_is_an_error_not_made(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in --output must not become a new folder tree."""
    target = tmp_path / "no-such" / "folder" / "r.html"
    code, out, err = run(capsys, "--db", str(demo_db), "report", "-o", str(target))
    assert code == 1 and out == "" and not (tmp_path / "no-such").exists()
    assert f"there is no folder {target.parent}" in err and err.count("\n") == 1


@pytest.mark.parametrize("argv", [["--weeks", "0"], ["--format", "pdf"], ["--weeks", "x"]])
def test_bad_options_are_usage_errors(
    demo_db: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ended:
        run(capsys, "--db", str(demo_db), "report", *argv)
    assert ended.value.code == 2
    assert "usage: hipmob report" in capsys.readouterr().err


def test_days_marked_with_hipmob_mark_are_on_the_report_calendar(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rest day marked at the prompt shows in the report's key and calendar."""
    code, _, _ = run(capsys, "--db", str(demo_db), "mark", "rest", "--date", "today")
    assert code == 0
    code, out, _ = run(capsys, "--db", str(demo_db), "report", "-o", "-", "--format", "md")
    assert code == 0 and "R rest, F flare, A away" in out
    calendar = out.split("## Adherence", 1)[1].split("##", 1)[0]
    assert " R" in calendar or "R " in calendar
