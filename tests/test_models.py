"""Dosage wording, JSON shapes and planned durations."""

from __future__ import annotations

from hipmob_tui.content.models import AmountKind, Dosage, Span, format_duration
from hipmob_tui.content.pacing import estimate_seconds, exercise_seconds


def dosage(
    kind: AmountKind, amount: tuple[int, int], sets: tuple[int, int] = (1, 1), **kw: object
) -> Dosage:
    return Dosage(Span(*sets), kind, Span(*amount), **kw)  # type: ignore[arg-type]


def test_dosage_in_plain_words() -> None:
    assert dosage(AmountKind.HOLD, (20, 30), (2, 3), per_side=True).describe() == (
        "2–3 sets · hold 20–30 s · each side"
    )
    assert dosage(AmountKind.REPS, (8, 10), per_side=False).describe() == "1 set · 8–10 reps"
    assert dosage(AmountKind.REPS, (1, 1), per_side=False).describe() == "1 set · 1 rep"
    assert (
        dosage(AmountKind.DURATION, (60, 120), per_side=True).describe()
        == "1 set · 1–2 min · each side"
    )
    assert (
        dosage(AmountKind.HOLD, (30, 30), (2, 2), per_side=False).describe() == "2 sets · hold 30 s"
    )


def test_dosage_json_uses_ranges_and_the_amount_key() -> None:
    d = dosage(AmountKind.REPS, (8, 10), per_side=False, tempo_seconds=6)
    assert d.to_json() == {"sets": [1, 1], "reps": [8, 10], "per_side": False, "tempo_seconds": 6}
    assert "tempo_seconds" not in dosage(AmountKind.HOLD, (20, 30), per_side=True).to_json()


def test_planned_seconds_use_lower_bounds_and_pauses() -> None:
    # 2 sets x 2 sides x 20 s + 2 side switches x 5 s + 1 rest x 15 s + 5 s get-ready
    hold = dosage(AmountKind.HOLD, (20, 30), (2, 3), per_side=True)
    assert exercise_seconds(hold) == 80 + 10 + 15 + 5
    reps = dosage(AmountKind.REPS, (8, 10), per_side=False, tempo_seconds=6)
    assert exercise_seconds(reps) == 5 + 48
    assert estimate_seconds([hold, reps]) == 110 + 53 + 20
    assert estimate_seconds([]) == 0


def test_format_duration() -> None:
    assert [format_duration(s) for s in (45, 60, 7 * 60 + 20, 3600 + 5 * 60)] == [
        "45 s",
        "1 min",
        "7 min",
        "1 h 05 min",
    ]
