"""The command line as a user or a script sees it: output, JSON shapes, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hipmob_tui import __version__
from hipmob_tui.cli.main import main

EXERCISE_KEYS = {
    "id",
    "name",
    "phase",
    "purpose",
    "steps",
    "cues",
    "equipment",
    "targets",
    "dosage",
    "source",
}
ROUTINE_KEYS = {
    "id",
    "name",
    "description",
    "estimated_seconds",
    "phases",
    "items",
    "source",
    "checks_before",
    "checks_after",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"hipmob {__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["exercises"],
        ["routines"],
        ["routines", "list"],
        ["routines", "show"],
        ["routines", "validate"],
    ],
)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    assert "usage: hipmob" in capsys.readouterr().out


def test_bad_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["exercises", "--phase", "stretchy"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'stretchy'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["streak", "--long"], "usage: hipmob streak "),
        (["routines", "show", "desk-reset", "--long"], "usage: hipmob routines show "),
        (["routines", "--long"], "usage: hipmob routines "),
        (["--long", "streak"], "usage: hipmob "),
    ],
)
def test_an_unknown_option_shows_the_usage_of_its_command(
    capsys: pytest.CaptureFixture[str], argv: list[str], usage: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.startswith(usage)
    assert "unrecognized arguments: --long" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "{db}", "streak", "--json"],
        ["streak", "--json", "--db", "{db}"],
        ["--db", "elsewhere.json", "streak", "--db", "{db}", "--json"],
    ],
)
def test_db_goes_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    db = tmp_path / "mine.json"
    code, out, _ = run(capsys, *(str(db) if arg == "{db}" else arg for arg in argv))
    assert code == 0 and json.loads(out)["path"] == str(db)


def test_routines_go_before_or_after_the_command_and_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folders = []
    for name in ("before", "after", "action"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "r.yaml").write_text(
            f"routines:\n  - id: from-{name}\n    name: From {name}\n"
            "    items:\n      - exercise: bird-dog\n"
        )
        folders.append(str(folder))
    before, after, action = folders
    code, out, _ = run(capsys, "--routines", before, "routines", "--routines", after, "--json")
    assert code == 0 and {"from-before", "from-after"} <= {r["id"] for r in json.loads(out)}
    code, out, _ = run(
        capsys,
        *("--routines", before, "routines", "--routines", after),
        *("show", "from-action", "--routines", action, "--json"),
    )
    assert code == 0 and json.loads(out)["id"] == "from-action"
    code, out, _ = run(capsys, "routines", "show", "from-after", "--routines", after)
    assert code == 0 and "From after" in out


def test_exercises_table_grouped_by_phase(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exercises")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["PHASE", "ID", "NAME"]
    phases = [line.split()[0] for line in lines[1:]]
    assert phases == sorted(phases, key=["RESET", "RESTORE", "REBUILD"].index)
    assert "2–3 sets · hold 30–60 s · each side" in out


def test_exercises_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exercises", "--phase", "restore", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) == 4 and all(set(e) == EXERCISE_KEYS for e in data)
    pigeon = next(e for e in data if e["id"] == "pigeon-90-90")
    assert pigeon["dosage"] == {"sets": [2, 3], "hold_seconds": [30, 60], "per_side": True}
    assert pigeon["source"] == "article" and pigeon["phase"] == "restore"


def test_routines_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "routines", "--json")
    data = json.loads(out)
    assert code == 0 and all(set(r) == ROUTINE_KEYS for r in data)
    full = next(r for r in data if r["id"] == "full-session")
    assert full["phases"] == ["reset", "restore", "rebuild"] and full["source"] == "builtin"
    assert set(full["items"][0]) == {"exercise_id", "phase", "dosage"}


def test_routine_show_text_and_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "routines", "show", "desk-reset")
    assert code == 0 and "RESET" in out and " 1. " in out and "about " in out
    code, _, err = run(capsys, "routines", "show", "nope")
    assert code == 1 and "no routine 'nope'" in err and "desk-reset" in err


def test_a_misspelt_routine_id_gets_a_did_you_mean(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "routines", "show", "desk-rest")
    assert (code, err) == (1, "hipmob: error: no routine 'desk-rest'; did you mean 'desk-reset'?\n")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    # 'run' checks for a terminal first: give it one; the unknown id stops it before the app.
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm-256color")
    code, _, err = run(capsys, "run", "desk-rest")
    assert code == 1 and "did you mean 'desk-reset'?" in err


def test_routine_file_typos_get_a_did_you_mean_and_field_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "routines:\n  - id: mine\n    name: Mine\n    items:\n"
        "      - exercise: dead-bugg\n      - exercise: bird-dog\n"
        "        dosage:\n          sets: 1:30\n"
    )
    code, out, _ = run(capsys, "routines", "validate", str(mine))
    assert code == 1
    assert "unknown exercise 'dead-bugg'; did you mean 'dead-bug'?" in out
    assert "dosage.sets: '1:30' is not a whole number; write the number of sets as one" in out
    assert "seconds" not in out


def test_user_routine_overrides_builtin_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.yaml").write_text(
        "routines:\n  - id: desk-reset\n    name: My desk reset\n"
        "    items:\n      - exercise: glute-release\n"
    )
    code, out, _ = run(capsys, "--routines", str(tmp_path), "routines")
    assert code == 0 and "My desk reset" in out and "replaces built-in" in out
    code, out, _ = run(
        capsys, "--routines", str(tmp_path), "routines", "show", "desk-reset", "--json"
    )
    assert json.loads(out)["source"] == "user"


def test_user_dir_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "extra.yaml").write_text(
        "routines:\n  - id: tiny\n    name: Tiny\n    items:\n      - exercise: side-plank\n"
    )
    monkeypatch.setenv("HIPMOB_ROUTINES", str(tmp_path))
    code, out, _ = run(capsys, "routines", "show", "tiny", "--json")
    assert code == 0 and json.loads(out)["phases"] == ["rebuild"]


def test_bad_user_file_warns_but_lists_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text("routines: 3\n")
    code, out, err = run(capsys, "--routines", str(tmp_path), "routines")
    assert code == 0 and "full-session" in out
    assert f"{tmp_path / 'bad.yaml'}:1:11: routines: expected a list" in err


def test_missing_routines_dir_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--routines", str(tmp_path / "nope"), "exercises")
    assert code == 0 and "nope:1:1: does not exist" in err


def test_app_without_a_terminal_refuses_at_once() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hipmob_tui"],
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "ssh -t" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_output_to_a_closed_pipe_is_quiet() -> None:
    result = subprocess.run(
        f"{sys.executable} -m hipmob_tui exercises | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in result.stderr and result.stdout.startswith("PHASE")


def test_user_config_routines_are_read(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = isolated_home / ".config" / "hipmob" / "routines"
    folder.mkdir(parents=True)
    (folder / "mine.yml").write_text(
        "routines:\n  - id: mine\n    name: Mine\n    items:\n      - exercise: bird-dog\n"
    )
    code, out, _ = run(capsys, "routines")
    assert code == 0 and "mine" in out and "user" in out


def test_per_side_may_be_left_out_and_means_one_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.yaml").write_text(
        "exercises:\n  - id: wall-sit\n    name: Wall Sit\n    phase: rebuild\n"
        "    purpose: Builds the thighs.\n    steps: [Slide down the wall.]\n"
        "    cues: []\n    equipment: [wall]\n    targets: [quads]\n"
        "    dosage: {sets: 2, hold_seconds: 30}\n"
    )
    assert run(capsys, "routines", "validate", str(tmp_path / "mine.yaml"))[0] == 0
    code, out, err = run(capsys, "--routines", str(tmp_path), "exercises", "--json")
    assert code == 0 and err == ""
    (wall_sit,) = [e for e in json.loads(out) if e["id"] == "wall-sit"]
    assert wall_sit["dosage"] == {"sets": [2, 2], "hold_seconds": [30, 30], "per_side": False}
