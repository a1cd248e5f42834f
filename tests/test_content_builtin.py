"""The shipped content: the article's facts carried over exactly, and routines that add up."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipmob_tui.content.loading import Catalog
from hipmob_tui.content.models import AmountKind, Phase, Span

ARTICLE = [
    # id, phase, kind, amount, sets, per_side
    ("breathing-hip-lift", Phase.RESET, AmountKind.REPS, Span(8, 10), Span(1, 1), False),
    ("glute-release", Phase.RESET, AmountKind.HOLD, Span(20, 30), Span(1, 1), True),
    ("hip-flexor-roll", Phase.RESET, AmountKind.DURATION, Span(60, 120), Span(1, 1), True),
    ("trail-leg-internal-rotation", Phase.RESTORE, AmountKind.HOLD, Span(20, 30), Span(2, 3), True),
    ("pigeon-90-90", Phase.RESTORE, AmountKind.HOLD, Span(30, 60), Span(2, 3), True),
    ("band-hip-flexor-stretch", Phase.RESTORE, AmountKind.HOLD, Span(30, 60), Span(2, 3), True),
    ("lateral-line-stretch", Phase.RESTORE, AmountKind.HOLD, Span(20, 30), Span(2, 3), True),
]


def test_shipped_content_has_no_problems(builtin_catalog: Catalog) -> None:
    assert builtin_catalog.problems == ()


@pytest.mark.parametrize(("exercise_id", "phase", "kind", "amount", "sets", "per_side"), ARTICLE)
def test_article_dosages_exactly(
    builtin_catalog: Catalog,
    exercise_id: str,
    phase: Phase,
    kind: AmountKind,
    amount: Span,
    sets: Span,
    per_side: bool,
) -> None:
    exercise = builtin_catalog.exercises[exercise_id]
    assert (exercise.phase, exercise.dosage.kind, exercise.dosage.amount) == (phase, kind, amount)
    assert (exercise.dosage.sets, exercise.dosage.per_side) == (sets, per_side)
    assert exercise.source == "article"


def test_article_exercises_in_article_order_then_rebuild(builtin_catalog: Catalog) -> None:
    ids = list(builtin_catalog.exercises)
    assert ids[:7] == [row[0] for row in ARTICLE]
    added = [e for e in builtin_catalog.exercises.values() if e.source == "added"]
    assert len(added) >= 5 and all(e.phase is Phase.REBUILD for e in added)


def test_every_exercise_is_complete(builtin_catalog: Catalog) -> None:
    for exercise in builtin_catalog.exercises.values():
        assert exercise.purpose and len(exercise.steps) >= 3 and exercise.cues and exercise.targets


def test_full_session_follows_the_article(builtin_catalog: Catalog) -> None:
    full = builtin_catalog.routines["full-session"]
    assert full.phases == (Phase.RESET, Phase.RESTORE, Phase.REBUILD)
    article_ids = [row[0] for row in ARTICLE]
    assert [i.exercise_id for i in full.items if i.exercise_id in article_ids] == article_ids


def test_desk_reset_is_a_short_reset_only_break(builtin_catalog: Catalog) -> None:
    desk = builtin_catalog.routines["desk-reset"]
    assert desk.phases == (Phase.RESET,)
    assert 5 * 60 <= desk.estimated_seconds <= 8 * 60


def test_at_least_four_builtin_routines_with_computed_times(builtin_catalog: Catalog) -> None:
    assert len(builtin_catalog.routines) >= 4
    for routine in builtin_catalog.routines.values():
        assert routine.source == "builtin" and routine.estimated_seconds > 0


def test_three_shipped_checks_marked_as_added(builtin_catalog: Catalog) -> None:
    checks = builtin_catalog.checks
    assert list(checks) == ["ir-ease-90-90", "seated-reach", "movement-pain"]
    assert {check.source for check in checks.values()} == {"added"}
    ir, reach, pain = checks.values()
    assert (ir.per_side, ir.scale, ir.unit, ir.better) == (True, Span(0, 10), "ease", "higher")
    assert (reach.per_side, reach.unit, reach.better) == (False, "cm", "higher")
    assert (pain.per_side, pain.scale, pain.better) == (False, Span(0, 10), "lower")
    assert all(check.instructions and check.score for check in checks.values())


def test_the_readme_yaml_example_is_valid(tmp_path: Path) -> None:
    """The README's example file (exercises, a routine and a program) validates as shown."""
    from hipmob_tui.cli.main import main

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    start = readme.index("```yaml\nexercises:") + len("```yaml\n")
    example = tmp_path / "example.yaml"
    example.write_text(readme[start : readme.index("```", start)])
    assert main(["routines", "validate", str(example)]) == 0
