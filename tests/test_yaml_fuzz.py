"""Random files never crash the loader, and whatever it accepts has exact Python types.

(a) Any text, any bytes and token soup that reaches the parser's corners give Problems and
    exit code 0 or 1, never an exception; every printed problem is one printable line.
(b) A valid exercise and a valid routine, mutated (keys dropped, values replaced by raw
    YAML scalars, lists or mappings, keys added), either load with exact types (int, not
    bool or str; bool, not a YAML 1.1 word) and values that match the digits typed, or are
    refused with problems that name them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmob_tui.characters import find_control_character
from hipmob_tui.cli import main as cli
from hipmob_tui.content import yamltree
from hipmob_tui.content.loading import Catalog, load_catalog
from hipmob_tui.content.models import AmountKind, Dosage, Exercise, Phase, Routine, Span
from hipmob_tui.paths import builtin_routines_dir, routine_files

pytestmark = pytest.mark.slow  # every test here fuzzes: seconds each

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BUILTIN = routine_files(builtin_routines_dir())
PROBLEM = re.compile(r"^(.+):([1-9][0-9]*):([1-9][0-9]*): (.+)$")

# Pieces that reach the parser's corners: structure, quoting, anchors, tags, YAML 1.1 words.
TOKENS = st.sampled_from(
    [
        "routines:",
        "exercises:",
        "\n",
        "\r\n",
        "  ",
        "\t",
        "- ",
        "id: ",
        "name: ",
        "items:",
        "exercise: ",
        "dosage:",
        "reps: ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        ": ",
        "? ",
        "&a ",
        "*a",
        "!!python/object ",
        "!x ",
        "'",
        '"',
        '"\\e[2J"',
        '"\\U0011FFFF"',
        '"\\ud800"',
        '"C:\\Users"',
        "\\",
        "# c",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "|\n",
        ">-\n",
        "no",
        "1:30",
        "010",
        "~",
        "8",
        "@",
        "`",
        "\x1b",
        "\u202e",
        "\x85",
        "\ufeff",
    ]
)
YAMLISH = st.lists(TOKENS | st.text(max_size=6), max_size=60).map("".join)


def _validate(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    code = cli.main(["routines", "validate", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_clean_output(code: int, out: str, err: str, path: Path) -> None:
    assert "Traceback" not in out + err
    lines = out.splitlines()
    if code == 0:
        assert lines == ["1 file valid"] and err == ""
        return
    assert code == 1 and lines
    for line in lines:
        match = PROBLEM.match(line)
        assert match and match[1] == str(path), line
        assert line.isprintable(), line  # no escape sequence reaches the terminal
        assert ";" in match[4], line  # what is wrong; what to do


@FUZZ
@given(text=YAMLISH | st.text(max_size=400))
def test_any_text_gives_problems_or_a_valid_file(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _assert_clean_output(*_validate(capsys, path), path)


@FUZZ
@given(data=st.binary(max_size=400) | YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_give_problems_or_a_valid_file(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    _assert_clean_output(*_validate(capsys, path), path)


@FUZZ
@given(text=YAMLISH)
def test_the_pure_python_parser_is_as_safe(
    text: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where libyaml is missing, PyYAML's own parser runs: the same promise holds."""
    monkeypatch.setattr(yamltree, "_Parser", yaml.SafeLoader)
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _assert_clean_output(*_validate(capsys, path), path)


# ---------------------------------------------------------------------------- mutations

# A document is Python dicts and lists whose leaves are YAML scalar text, written as is.
EXERCISE: dict[str, Any] = {
    "id": "wall-sit",
    "name": "Wall Sit",
    "phase": "rebuild",
    "purpose": "Builds the thighs.",
    "steps": ["Slide down the wall.", "Hold."],
    "cues": ["Knees over ankles."],
    "equipment": [],
    "targets": ["quads"],
    "dosage": {"sets": "2", "hold_seconds": "[20, 30]", "per_side": "false"},
    "source": "added",
}
ROUTINE: dict[str, Any] = {
    "id": "my-break",
    "name": "My Break",
    "description": "A short one.",
    "items": [
        {"exercise": "breathing-hip-lift"},
        {"exercise": "wall-sit", "dosage": {"sets": "[1, 2]", "per_side": "true"}},
        {"exercise": "glute-release", "dosage": {"reps": "10", "tempo_seconds": "4"}},
    ],
}
KEYS = [
    "id",
    "name",
    "nmae",
    "phase",
    "steps",
    "dosage",
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "per_side",
    "tempo_seconds",
    "items",
    "exercise",
    "source",
    "x",
]
SCALARS = (
    st.sampled_from(
        [
            "no",
            "yes",
            "on",
            "off",
            "y",
            "~",
            "null",
            "true",
            "false",
            "True",
            "1:30",
            "010",
            "0",
            "00",
            "0x1F",
            "0o17",
            "1e3",
            ".inf",
            "-.inf",
            ".nan",
            "8.5",
            "-3",
            "+5",
            "1_000",
            "100001",
            "2026-11-24",
            "''",
            '""',
            "[]",
            "{}",
            "[1, 2]",
            "[2, 1]",
            "[0, 3]",
            "[1, 2, 3]",
            "[true, 2]",
            "!!int 5",
            "!!str 5",
            "&a 5",
            "'10'",
            '"true"',
            '"\\e]0;x\\a"',
            '"\\x9b"',
            '"\\u202e"',
            "reset",
            "restore",
            "rebuild",
            "article",
            "added",
            "wall-sit",
            "breathing-hip-lift",
            "# comment",
        ]
    )
    | st.integers(-3, 200_000).map(str)
    | st.text(max_size=12).map(json.dumps)
    | st.text("abcXYZ019 -_.", min_size=1, max_size=10).map(str.strip).filter(bool)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=6,
)


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document: keys of mappings and indexes of lists."""
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*here, index))
    return found


def _mutate(document: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    document = json.loads(json.dumps(document))  # a deep copy
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(_paths(document)[1:]), label="path")
        parent: Any = document
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["drop", "replace", "add"]), label="action")
        if action == "drop":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = data.draw(VALUES, label="value")
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(KEYS), label="key")] = data.draw(VALUES)
        else:
            parent.insert(path[-1], data.draw(VALUES, label="item"))
    return document


def _emit(value: Any, indent: int) -> list[str]:
    """Block-style YAML with every leaf written exactly as its text."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines = []
        for key, item in value.items():
            if isinstance(item, str) or not item:
                lines.append(f"{pad}{key}: {item if isinstance(item, str) else json.dumps(item)}")
            else:
                lines += [f"{pad}{key}:", *_emit(item, indent + 2)]
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        lines = []
        for item in value:
            inner = _emit(item, indent + 2)
            lines += [f"{pad}- {inner[0][indent + 2 :]}", *inner[1:]]
        return lines
    return [pad + value]


def _load(tmp_path: Path, text: str) -> tuple[Catalog, Path]:
    path = tmp_path / "mutant.yaml"
    path.write_text(text, encoding="utf-8")
    return load_catalog(BUILTIN, [path]), path


def _typed(raw: Any) -> Any:
    """The text a raw scalar stands for when it is quoted, else the scalar itself."""
    if isinstance(raw, str) and len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return json.loads(raw).strip()
    if isinstance(raw, str) and len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("''", "'").strip()
    return raw


def _digits(raw: Any) -> Span | None:
    """The span a raw dosage value must load as, when it is typed as plain whole numbers."""
    number = re.compile(r"[1-9][0-9]{0,5}")
    if isinstance(raw, str) and number.fullmatch(raw):
        return Span(int(raw), int(raw))
    pair = re.fullmatch(r"\[([0-9]+), ([0-9]+)\]", raw) if isinstance(raw, str) else None
    if pair and all(number.fullmatch(side) for side in pair.groups()):
        return Span(int(pair[1]), int(pair[2]))
    if (
        isinstance(raw, list)
        and len(raw) == 2
        and all(isinstance(x, str) and number.fullmatch(x) for x in raw)
    ):
        return Span(int(raw[0]), int(raw[1]))
    return None


def _assert_exact_dosage(dosage: Dosage, raw: Any) -> None:
    assert type(dosage.per_side) is bool and isinstance(dosage.kind, AmountKind)
    for span in (dosage.sets, dosage.amount):
        assert type(span.low) is int and type(span.high) is int
        assert 1 <= span.low <= span.high <= 100_000
    assert dosage.tempo_seconds is None or type(dosage.tempo_seconds) is int
    if not isinstance(raw, dict):
        return
    # What was typed is what loaded: no YAML 1.1 guessing on the way.
    if "per_side" in raw:
        assert raw["per_side"] == ("true" if dosage.per_side else "false")
    if "sets" in raw:
        assert _digits(raw["sets"]) == dosage.sets
    if dosage.kind.value in raw:
        assert _digits(raw[dosage.kind.value]) == dosage.amount
    if "tempo_seconds" in raw:
        tempo = dosage.tempo_seconds
        assert tempo is not None and _digits(raw["tempo_seconds"]) == Span(tempo, tempo)


def _assert_text(value: object) -> None:
    assert type(value) is str and value and find_control_character(value) is None


def _assert_problems_are_printable(catalog: Catalog, path: Path) -> None:
    for problem in catalog.problems:
        assert problem.file == str(path) and problem.line >= 1 and problem.column >= 1
        assert str(problem).isprintable() and ";" in problem.message


@FUZZ
@given(data=st.data())
def test_mutated_exercises_load_with_exact_types_or_not_at_all(
    data: st.DataObject, tmp_path: Path
) -> None:
    document = _mutate(EXERCISE, data)
    catalog, path = _load(tmp_path, "\n".join(["exercises:", *_emit([document], 2), ""]))
    _assert_problems_are_printable(catalog, path)
    mine = [e for e in catalog.exercises.values() if e.origin == str(path)]
    item_problems = [p for p in catalog.problems if p.field.startswith("exercises[")]
    if not catalog.problems:
        assert len(mine) == 1  # valid means usable
    if not mine:
        assert catalog.problems
        return
    assert not item_problems  # usable means nothing wrong with it
    exercise: Exercise = mine[0]
    for text in (exercise.id, exercise.name, exercise.purpose, exercise.source):
        _assert_text(text)
    assert isinstance(exercise.phase, Phase) and exercise.source in ("article", "added")
    assert _typed(document["phase"]) == exercise.phase.value
    assert _typed(document["id"]) == exercise.id
    for texts in (exercise.steps, exercise.cues, exercise.equipment, exercise.targets):
        assert type(texts) is tuple
        for text in texts:
            _assert_text(text)
    assert exercise.steps and exercise.targets
    _assert_exact_dosage(exercise.dosage, document["dosage"])


@FUZZ
@given(data=st.data())
def test_mutated_routines_load_with_exact_types_or_not_at_all(
    data: st.DataObject, tmp_path: Path
) -> None:
    document = _mutate(ROUTINE, data)
    # The routine uses an exercise defined beside it, in the same file.
    lines = ["exercises:", *_emit([EXERCISE], 2), "routines:", *_emit([document], 2), ""]
    catalog, path = _load(tmp_path, "\n".join(lines))
    _assert_problems_are_printable(catalog, path)
    mine = [r for r in catalog.routines.values() if r.source == "user"]
    if not catalog.problems:
        assert len(mine) == 1
    if not mine:
        assert catalog.problems
        return
    assert not [p for p in catalog.problems if p.field.startswith("routines[")]
    routine: Routine = mine[0]
    _assert_text(routine.id)
    _assert_text(routine.name)
    assert type(routine.description) is str
    assert type(routine.estimated_seconds) is int and routine.estimated_seconds > 0
    assert json.loads(json.dumps(routine.to_json())) == routine.to_json()
    assert len(routine.items) == len(document["items"])
    for item, raw in zip(routine.items, document["items"], strict=True):
        assert item.exercise_id == _typed(raw["exercise"]) and isinstance(item.phase, Phase)
        base = catalog.exercises[item.exercise_id].dosage
        _assert_exact_dosage(item.dosage, raw.get("dosage"))
        if not isinstance(raw.get("dosage"), dict) or not set(raw["dosage"]) & {
            k.value for k in AmountKind
        }:
            assert (item.dosage.kind, item.dosage.amount) == (base.kind, base.amount)
