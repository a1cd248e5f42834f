"""Every kind of bad routine file gets exact FILE:LINE:COL problems that say what to do.

The corpus is tests/corpus/bad: each NAME.yaml beside NAME.expected, the exact lines
`hipmob routines validate` prints (file named by its base name). Huge and deeply nested
files are generated here rather than stored.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmob_tui import cli
from hipmob_tui.content import load_catalog, routine_files
from hipmob_tui.paths import builtin_routines_dir

CORPUS = Path(__file__).parent / "corpus" / "bad"
CASES = sorted(CORPUS.glob("*.yaml"))
GOOD = """routines:
  - id: my-break
    name: My Break
    items:
      - exercise: breathing-hip-lift
"""


def _validate(capsys: pytest.CaptureFixture[str], *files: Path) -> tuple[int, str, str]:
    code = cli.main(["routines", "validate", *map(str, files)])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_corpus_covers_every_kind_of_mistake() -> None:
    assert len(CASES) >= 40
    assert all(case.with_suffix(".expected").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_file_gets_exact_problems(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / case.name
    shutil.copyfile(case, copy)
    code, out, err = _validate(capsys, copy)
    assert code == 1
    assert out.replace(f"{tmp_path}/", "") == case.with_suffix(".expected").read_text()
    assert "problem" in err and "Traceback" not in out + err
    for line in out.splitlines():  # every problem says what to do, after a position
        position, _, message = line.partition(": ")
        assert position.count(":") == 2 and ";" in message


def test_a_file_over_one_megabyte_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text(GOOD + "# padding\n" * 120_000)
    code, out, _ = _validate(capsys, huge)
    assert code == 1
    assert out == f"{huge}:1:1: is larger than 1,000,000 bytes; split it into smaller files\n"


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_nesting_thousands_deep_is_a_problem_not_a_crash(
    opener: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text(opener * 5000)
    code, out, err = _validate(capsys, deep)
    assert code == 1
    assert out.startswith(f"{deep}:1:") and "Traceback" not in out + err
    assert "nest" in out and ";" in out  # what is wrong; what to do


def test_a_good_file_and_a_bad_one_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace("my-break", "other").replace("hip-lift", "hip-lfit"))
    code, out, err = _validate(capsys, good, bad)
    assert code == 1
    assert all(line.startswith(f"{bad}:") for line in out.splitlines())
    assert "1 problem in 1 of 2 files" in err
    code, out, _ = _validate(capsys, good)
    assert code == 0 and "1 file valid" in out


def test_bad_user_files_leave_the_shipped_content_usable(tmp_path: Path) -> None:
    for case in CASES[:12]:
        shutil.copyfile(case, tmp_path / case.name)
    builtin = load_catalog(routine_files(builtin_routines_dir()), [])
    mixed = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    assert set(builtin.exercises) <= set(mixed.exercises)
    assert set(builtin.routines) <= set(mixed.routines)
    assert {p.file for p in mixed.problems} == {str(tmp_path / c.name) for c in CASES[:12]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_give_problems_never_a_traceback(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        catalog = load_catalog([], [path], required=[path])
        assert all(p.file == str(path) for p in catalog.problems)
        for routine in catalog.routines.values():
            assert type(routine.id) is str and type(routine.name) is str


_YAML_SCALARS = st.sampled_from(
    ["no", "yes", "~", "1:30", "010", "0x1F", "1e3", ".inf", "8.5", "-3", "0", '""', "[]", "{}"]
) | st.text(alphabet=st.characters(codec="utf-8"), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_routines_load_with_exact_types_or_not_at_all(data: st.DataObject) -> None:
    import tempfile

    lines = (GOOD + "        dosage:\n          sets: 2\n          reps: [8, 10]\n").splitlines()
    index = data.draw(st.integers(1, len(lines) - 1))
    key, _, _ = lines[index].partition(":")
    replacement = data.draw(_YAML_SCALARS)
    lines[index] = f"{key}: {replacement}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutant.yaml"
        path.write_text("\n".join(lines) + "\n")
        catalog = load_catalog(routine_files(builtin_routines_dir()), [path])
        mine = [r for r in catalog.routines.values() if r.source == "user"]
        for routine in mine:
            assert type(routine.name) is str and type(routine.id) is str
            for item in routine.items:
                dosage = item.dosage
                assert type(dosage.per_side) is bool
                for span in (dosage.sets, dosage.amount):
                    assert type(span.low) is int and type(span.high) is int
                    assert 1 <= span.low <= span.high
