"""Self-checks in YAML: read by the same strict reader as exercises and routines, a user's
check replacing a shipped one by id, and listed by `hipmob checks`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.content.loading import load_catalog
from hipmob_tui.paths import builtin_routines_dir, routine_files

MINE = """\
checks:
  - id: ir-ease-90-90
    name: My IR Check
    instructions: [Sit in 90/90 and turn the back hip in.]
    score: How far the back knee lifts, in fingers.
    scale: {min: 0, max: 5, unit: fingers}
    better: higher
    per_side: true
"""


def test_a_users_check_replaces_the_shipped_one_by_id(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(MINE)
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    assert catalog.problems == ()
    mine = catalog.checks["ir-ease-90-90"]
    assert (mine.name, mine.unit, mine.source, mine.origin) == (
        "My IR Check",
        "fingers",
        "added",
        str(tmp_path / "mine.yaml"),
    )
    assert len(catalog.checks) == 3


def test_a_check_only_file_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mine.yaml").write_text(MINE.replace("ir-ease-90-90", "knee-lift"))
    assert main(["routines", "validate", str(tmp_path / "mine.yaml")]) == 0
    assert capsys.readouterr().out == "1 file valid\n"


def test_hipmob_checks_lists_them_as_a_table_and_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["checks"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ID             NAME                          SCALE      BETTER  SIDES",
        "ir-ease-90-90  90/90 Internal Rotation Ease  0–10 ease  higher  each side",
        "seated-reach   Seated Forward Reach          0–80 cm    higher  -",
        "movement-pain  Pain on an Everyday Movement  0–10 pain  lower   -",
    ]
    assert main(["checks", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in listed] == ["ir-ease-90-90", "seated-reach", "movement-pain"]
    assert set(listed[0]) == {
        "id",
        "name",
        "instructions",
        "score",
        "scale",
        "better",
        "per_side",
        "source",
    }
    assert listed[0]["scale"] == {"min": 0, "max": 10, "unit": "ease"}


ROUTINE = """\
routines:
  - id: my-break
    name: My Break
    checks_before: [ir-ease-90-90, movement-pain]
    checks_after: [movement-pain]
    items:
      - exercise: breathing-hip-lift
"""


def test_a_routine_names_checks_before_and_after_and_shows_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "mine.yaml").write_text(ROUTINE)
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    routine = catalog.routines["my-break"]
    assert (routine.checks_before, routine.checks_after) == (
        ("ir-ease-90-90", "movement-pain"),
        ("movement-pain",),
    )
    as_json = routine.to_json()
    assert as_json["checks_before"] == ["ir-ease-90-90", "movement-pain"]
    assert as_json["checks_after"] == ["movement-pain"]
    assert main(["--routines", str(tmp_path), "routines", "show", "my-break"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3:] == [
        "    check before: 90/90 Internal Rotation Ease, Pain on an Everyday Movement",
        " 1. RESET    360° Diaphragmatic Breathing with Hip Lift — 1 set · 8–10 reps",
        "    check after:  Pain on an Everyday Movement",
    ]


def test_the_full_session_checks_internal_rotation_before_and_after() -> None:
    catalog = load_catalog(routine_files(builtin_routines_dir()), [])
    full = catalog.routines["full-session"]
    assert full.checks_before == full.checks_after == ("ir-ease-90-90",)
    others = [r for r in catalog.routines.values() if r.id != "full-session"]
    assert all(not (r.checks_before or r.checks_after) for r in others), "quick to start"
