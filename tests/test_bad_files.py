"""Every kind of bad routine file gets exact FILE:LINE:COL problems that say what to do.

The corpus is tests/corpus/bad: each NAME.yaml beside NAME.expected, the exact lines
`hipmob routines validate` prints (the file named by its base name). Files that are huge,
deeply nested or full of raw control bytes are generated here rather than stored, with
their expected lines beside them in GENERATED.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hipmob_tui.cli import main as cli
from hipmob_tui.content.loading import load_catalog
from hipmob_tui.content.yamltree import MAX_FILE_BYTES
from hipmob_tui.paths import builtin_routines_dir, routine_files

CORPUS = Path(__file__).parent / "corpus" / "bad"
CASES = sorted(CORPUS.glob("*.yaml"))
GOOD = b"""routines:
  - id: my-break
    name: My Break
    items:
      - exercise: breathing-hip-lift
"""
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>[1-9][0-9]*):(?P<column>[1-9][0-9]*): (?P<rest>.+)$")
TERMINAL = "(it could rewrite the terminal)"


def _dosage(text: bytes) -> bytes:
    return GOOD + b"        dosage:\n          " + text + b"\n"


# name: (bytes, the exact lines printed, each starting with the file's base name)
GENERATED: dict[str, tuple[bytes, list[str]]] = {
    "over-1mb": (
        GOOD + b"# padding\n" * (MAX_FILE_BYTES // 10),
        [f"1:1: is larger than {MAX_FILE_BYTES:,} bytes; split it into smaller files"],
    ),
    "deep-flow-mappings": (
        b"{a: " * 5000,
        [
            "1:129: nested more than 32 levels deep; routine files need only a few levels, "
            "so check the brackets and indentation"
        ],
    ),
    "deep-block-lists": (
        b"- " * 5000,
        [
            "1:65: nested more than 32 levels deep; routine files need only a few levels, "
            "so check the brackets and indentation"
        ],
    ),
    "deep-indentation": (
        b"a:\n" + b"".join(b" " * depth + b"k:\n" for depth in range(1, 1000)),
        [
            "33:33: nested more than 32 levels deep; routine files need only a few levels, "
            "so check the brackets and indentation"
        ],
    ),
    "raw-escape": (
        GOOD.replace(b"My Break", b"My \x1b]0;pwned\x07 Break"),
        [f"3:14: control character U+001B in the file; remove it {TERMINAL}"],
    ),
    "raw-bidi-override": (
        GOOD.replace(b"My Break", "My \u202e kaerB".encode()),
        [f"3:14: control character U+202E in the file; remove it {TERMINAL}"],
    ),
    "raw-nul": (
        GOOD.replace(b"My Break", b"My \x00 Break"),
        [f"3:14: control character U+0000 in the file; remove it {TERMINAL}"],
    ),
    "raw-c1-next-line": (
        GOOD.replace(b"My Break", "My\u0085Break".encode()),
        [f"3:13: control character U+0085 in the file; remove it {TERMINAL}"],
    ),
    "raw-noncharacter": (
        GOOD.replace(b"My Break", "My\ufffeBreak".encode()),
        ["3:13: character U+FFFE is not allowed in YAML; remove it"],
    ),
    "raw-control-on-many-lines": (
        b"# \x1b\n" * 25 + GOOD,
        [f"{n}:3: control character U+001B in the file; remove it {TERMINAL}" for n in range(1, 21)]
        + ["21:1: control characters on 5 more lines; remove them (is this a text file?)"],
    ),
    "not-utf8-after-bom": (
        b"\xef\xbb\xbf" + GOOD.replace(b"My Break", b"My Br\xe9ak"),
        ["3:16: byte 0xe9 is not UTF-8; save the file as UTF-8"],
    ),
    "not-utf8-after-accents": (
        GOOD.replace(b"My Break", "Ré-éq ".encode() + b"\xff"),
        ["3:17: byte 0xff is not UTF-8; save the file as UTF-8"],
    ),
    "utf16": (
        GOOD.decode().encode("utf-16"),
        ["1:1: byte 0xff is not UTF-8; save the file as UTF-8"],
    ),
    "crlf-zero-hold": (
        _dosage(b"hold_seconds: 0").replace(b"\n", b"\r\n"),
        [
            "7:25: routines[my-break].items[1].dosage.hold_seconds: must be at least 1, "
            "got 0; write 1 or more"
        ],
    ),
    "five-thousand-digits": (
        _dosage(b"reps: " + b"9" * 5000),
        [
            "7:17: routines[my-break].items[1].dosage.reps: " + "9" * 39 + "… is too large; "
            "write at most 100000 (check the number)"
        ],
    ),
    "escape-in-key": (
        GOOD.replace(b"    name:", b'    "na\\e]0;pwned\\ame": x\n    name:'),
        [
            "3:5: routines[my-break].'na\\x1b]0;pwned\\x07me': unknown key "
            "'na\\x1b]0;pwned\\x07me'; allowed: id, name, items, description, pauses, "
            "checks_before, checks_after"
        ],
    ),
}


def _validate(capsys: pytest.CaptureFixture[str], *files: Path | str) -> tuple[int, str, str]:
    code = cli.main(["routines", "validate", *map(str, files)])
    out, err = capsys.readouterr()
    return code, out, err


def _check_lines(out: str) -> None:
    """Each line: a 1-based position, a printable message, and what to do after a ';'."""
    for line in out.splitlines():
        match = LINE.match(line)
        assert match, line
        assert line.isprintable(), line
        assert ";" in match["rest"], line


def test_the_corpus_covers_every_kind_of_mistake() -> None:
    assert len(CASES) + len(GENERATED) >= 80
    assert all(case.with_suffix(".expected").is_file() for case in CASES)
    assert {p.stem for p in CORPUS.glob("*.expected")} == {case.stem for case in CASES}
    assert not {case.stem for case in CASES} & set(GENERATED)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_file_gets_exact_problems(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / case.name
    shutil.copyfile(case, copy)
    code, out, err = _validate(capsys, copy)
    assert code == 1
    assert out.replace(f"{tmp_path}/", "") == case.with_suffix(".expected").read_text()
    count = len(out.splitlines())
    assert err == f"{count} problem{'s' if count > 1 else ''} in 1 of 1 file\n"
    assert "Traceback" not in out + err
    _check_lines(out)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_bad_file_gets_exact_problems(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, expected = GENERATED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    code, out, err = _validate(capsys, path)
    assert code == 1
    assert out.splitlines() == [f"{path}:{line}" for line in expected]
    assert "Traceback" not in out + err
    _check_lines(out)


def test_nesting_deeper_than_the_parser_allows_is_a_problem_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """5000 `[`: libyaml stops at its own limit, the pure parser at ours; either way, a line."""
    deep = tmp_path / "deep-flow-lists.yaml"
    deep.write_bytes(b"[" * 5000)
    code, out, err = _validate(capsys, deep)
    assert code == 1 and "Traceback" not in out + err
    assert re.fullmatch(
        rf"{re.escape(str(deep))}:1:[0-9]+: (YAML syntax: )?nested .* deep; routine files "
        "need only a few levels, so check the brackets and indentation\n",
        out,
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbf" + GOOD, id="bom"),
        pytest.param(GOOD.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(GOOD + b"# padding\n" * ((MAX_FILE_BYTES - len(GOOD)) // 10), id="1mb"),
        pytest.param(b"%YAML 1.1\n---\n" + GOOD + b"...\n", id="directive-and-end"),
        pytest.param(
            b'routines: [{id: my-break, name: "[b]old [/] [@click=quit]", '
            b"items: [{exercise: breathing-hip-lift, dosage: {reps: [8, 10]}}]}]\n",
            id="flow-style-and-brackets",
        ),
        pytest.param(_dosage(b"per_side: true\n          sets: [2, 3]"), id="dosage-override"),
    ],
)
def test_good_variants_are_accepted(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "good.yaml"
    path.write_bytes(data)
    assert len(data) <= MAX_FILE_BYTES
    code, out, err = _validate(capsys, path)
    assert (code, out, err) == (0, "1 file valid\n", "")


def test_a_good_file_and_a_bad_one_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_bytes(GOOD)
    bad.write_bytes(GOOD.replace(b"my-break", b"other").replace(b"hip-lift", b"hip-lfit"))
    code, out, err = _validate(capsys, good, bad)
    assert code == 1
    assert out == (
        f"{bad}:5:19: routines[other].items[1].exercise: unknown exercise "
        "'breathing-hip-lfit'; did you mean 'breathing-hip-lift'?\n"
    )
    assert err == "1 problem in 1 of 2 files\n"
    assert _validate(capsys, good) == (0, "1 file valid\n", "")
    other = tmp_path / "other.yaml"
    other.write_bytes(GOOD.replace(b"my-break", b"other"))
    assert _validate(capsys, good, other) == (0, "2 files valid\n", "")


def test_a_folder_is_validated_file_by_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copyfile(CORPUS / "zero-hold.yaml", folder / "zero-hold.yaml")
    (folder / "good.yml").write_bytes(GOOD.replace(b"my-break", b"fine"))
    (folder / "notes.txt").write_text("not a routine file")
    code, out, err = _validate(capsys, folder)
    assert code == 1
    assert out == (
        f"{folder}/zero-hold.yaml:7:25: routines[my-break].items[1].dosage.hold_seconds: "
        "must be at least 1, got 0; write 1 or more\n"
    )
    assert err == "1 problem in 1 of 2 files\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _ = _validate(capsys, empty)
    assert code == 1
    assert out == f"{empty}:1:1: is a folder with no .yaml files; name a routine file\n"


def test_a_file_named_twice_is_not_its_own_duplicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "good.yaml").write_bytes(GOOD)
    monkeypatch.chdir(tmp_path)
    assert _validate(capsys, "good.yaml", "./good.yaml", tmp_path / "good.yaml") == (
        0,
        "1 file valid\n",
        "",
    )


def test_a_missing_file_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert _validate(capsys, missing) == (
        1,
        f"{missing}:1:1: does not exist; check the path\n",
        "1 problem in 1 of 1 file\n",
    )


def test_file_names_with_control_characters_are_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil\x1b[2J.yaml"
    path.write_bytes(_dosage(b"reps: 0"))
    code, out, _ = _validate(capsys, path)
    assert code == 1 and "\x1b" not in out
    assert out.startswith(f"{tmp_path}/evil\\x1b[2J.yaml:7:17: ")


def test_bad_user_files_leave_the_shipped_content_usable(tmp_path: Path) -> None:
    for case in CASES:
        shutil.copyfile(case, tmp_path / case.name)
    for name, (data, _) in GENERATED.items():
        (tmp_path / f"{name}.yaml").write_bytes(data)
    files = routine_files(builtin_routines_dir())
    builtin = load_catalog(files, [])
    mixed = load_catalog(files, [tmp_path])
    assert not builtin.problems
    # Every shipped exercise and routine is there, unchanged, and none is marked overridden.
    assert {k: mixed.exercises[k] for k in builtin.exercises} == builtin.exercises
    assert {k: mixed.routines[k] for k in builtin.routines} == builtin.routines
    assert not any(r.overrides_builtin for r in mixed.routines.values())
    # Every bad file is reported, and only bad files.
    bad = {str(tmp_path / c.name) for c in CASES} | {str(tmp_path / f"{n}.yaml") for n in GENERATED}
    assert {p.file for p in mixed.problems} == bad


def test_the_installed_command_never_shows_a_traceback(tmp_path: Path) -> None:
    """One real process over the whole corpus: exit 1, every file named, no traceback."""
    for case in CASES:
        shutil.copyfile(case, tmp_path / case.name)
    for name, (data, _) in GENERATED.items():
        (tmp_path / f"{name}.yaml").write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "hipmob_tui", "routines", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    named = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert named == {str(path) for path in tmp_path.glob("*.yaml")}
    total = len(CASES) + len(GENERATED)
    assert result.stderr.endswith(f"of {total} files\n")


WALL_SIT = b"""exercises:
  - id: wall-sit
    name: Wall Sit
    phase: rebuild
    purpose: Builds the thighs.
    steps: [Slide down the wall.]
    cues: []
    equipment: [wall]
    targets: [quads]
    dosage: {sets: 2, hold_seconds: 30}
"""
USES_WALL_SIT = b"""routines:
  - id: legs
    name: Legs
    items:
      - exercise: breathing-hip-lift
      - exercise: wall-sit
"""


def test_a_routine_naming_a_rejected_exercise_is_rejected_not_shortened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`routines`, `show` and the warnings: the routine is gone and says why, in one line."""
    exercises, routines = tmp_path / "exercises.yaml", tmp_path / "routines.yaml"
    exercises.write_bytes(WALL_SIT.replace(b"phase: rebuild", b"phase: rebiuld"))
    routines.write_bytes(USES_WALL_SIT)
    why = (
        f"{routines}:6:19: routines[legs].items[2].exercise: exercise 'wall-sit' is invalid "
        f"(defined at {exercises}:2, see its problems); fix it to use this routine"
    )
    assert cli.main(["--routines", str(tmp_path), "routines"]) == 0
    out, err = capsys.readouterr()
    assert "legs" not in out and "Legs" not in out
    assert err.splitlines() == [
        f"hipmob: warning: {exercises}:4:12: exercises[wall-sit].phase: unknown phase "
        "'rebiuld'; use reset, restore or rebuild",
        f"hipmob: warning: {why}",
    ]
    assert cli.main(["--routines", str(tmp_path), "routines", "show", "legs"]) == 1
    assert f"routine 'legs' has mistakes in {routines} and is left out" in capsys.readouterr().err
    code, out, _ = _validate(capsys, exercises, routines)
    assert code == 1 and out.splitlines()[-1] == why
    # Fixed, the routine is whole again.
    exercises.write_bytes(WALL_SIT)
    assert cli.main(["--routines", str(tmp_path), "routines", "show", "legs", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [item["exercise_id"] for item in items] == ["breathing-hip-lift", "wall-sit"]


def test_a_users_broken_copy_of_a_shipped_exercise_leaves_shipped_routines_whole(
    tmp_path: Path,
) -> None:
    (tmp_path / "mine.yaml").write_bytes(
        WALL_SIT.replace(b"wall-sit", b"bird-dog").replace(b"sets: 2", b"sets: 0")
        + USES_WALL_SIT.replace(b"wall-sit", b"bird-dog")
    )
    files = routine_files(builtin_routines_dir())
    builtin = load_catalog(files, [])
    mixed = load_catalog(files, [tmp_path])
    assert "legs" not in mixed.routines
    assert mixed.exercises["bird-dog"] == builtin.exercises["bird-dog"]
    assert {k: mixed.routines[k] for k in builtin.routines} == builtin.routines
    assert [p.line for p in mixed.problems] == [10, 16]


def test_a_draft_copy_of_an_installed_file_is_not_its_duplicate(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    installed = isolated_home / ".config" / "hipmob" / "routines" / "legs.yaml"
    installed.parent.mkdir(parents=True)
    installed.write_bytes(WALL_SIT + USES_WALL_SIT)
    draft = tmp_path / "legs.yaml"
    draft.write_bytes(WALL_SIT + USES_WALL_SIT.replace(b"name: Legs", b"name: Legs, longer"))
    assert _validate(capsys, draft) == (0, "1 file valid\n", "")
    # The draft's definitions stand in for the installed ones: its own mistakes still show.
    draft.write_bytes(WALL_SIT + USES_WALL_SIT.replace(b"wall-sit", b"wall-sitt"))
    code, out, _ = _validate(capsys, draft)
    assert code == 1 and "unknown exercise 'wall-sitt'; did you mean 'wall-sit'?" in out
    # Asked, the ids the installed file defines too are reported.
    draft.write_bytes(WALL_SIT + USES_WALL_SIT)
    code, out, err = _validate(capsys, draft, "--with-installed")
    assert code == 1 and err == "2 problems in 1 of 1 file\n"
    assert out == (
        f"{draft}:2:9: exercises[wall-sit].id: duplicate id 'wall-sit', already used at "
        f"{installed}:2; give this exercise another id\n"
        f"{draft}:12:9: routines[legs].id: duplicate id 'legs', already used at "
        f"{installed}:12; give this routine another id\n"
    )


def test_a_routine_left_out_for_its_mistakes_is_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Asked for by id, a routine dropped for a mistake in its file is not "no routine"."""
    folder = tmp_path / "routines"
    folder.mkdir()
    broken = folder / "broken.yaml"
    broken.write_bytes(GOOD.replace(b"exercise: breathing-hip-lift", b"exercise: [x]"))
    db = tmp_path / "hipmob.json"
    code = cli.main(["--db", str(db), "--routines", str(folder), "log", "my-break"])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        f"hipmob: error: routine 'my-break' has mistakes in {broken} and is left out until "
        f"they are fixed; see hipmob routines validate {broken}\n"
    ) in err
    code = cli.main(["--db", str(db), "--routines", str(folder), "log", "other"])
    err = capsys.readouterr().err
    assert code == 1 and "hipmob: error: no routine 'other'; known routines: " in err
    assert f"whose file has mistakes is left out; see hipmob routines validate {broken}" in err
    assert not db.exists()
