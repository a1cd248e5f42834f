"""A believable, reproducible history for screenshots, tests and benchmarks."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from hipmob_tui.content.models import Catalog
from hipmob_tui.content.pacing import exercise_seconds
from hipmob_tui.history.records import CheckResult, ExerciseDone, SessionRecord

_NOTES = (
    "",
    "",
    "",
    "hips looser after the 90/90",
    "short on time, skipped the last set",
    "back stiff after the long drive",
    "felt great",
    "left side tighter than right",
)


def demo_sessions(
    catalog: Catalog,
    today: date,
    days: int,
    *,
    seed: int = 7,
    offset: timedelta = timedelta(hours=1),
) -> list[SessionRecord]:
    """About five sessions a week over `days` days up to `today`, pain easing over time."""
    rng = random.Random(seed)
    zone = timezone(offset)
    routines = sorted(catalog.routines.values(), key=lambda r: r.id)
    records = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        if rng.random() > 0.7 and back != 0:
            continue
        routine = rng.choice(routines)
        started = datetime.combine(day, time(7 + rng.randrange(12), rng.randrange(60)), zone)
        partial = rng.random() < 0.1
        share = rng.uniform(0.3, 0.8) if partial else 1.0
        # A partial session stopped part way: the first exercises done, the rest not.
        done_items = round(len(routine.items) * share)
        if partial:  # one draw per exercise, as before: the rest of the demo stays the same
            for _ in routine.items:
                rng.random()
        exercises = tuple(
            ExerciseDone(
                id=item.exercise_id,
                name=catalog.exercises[item.exercise_id].name,
                phase=item.phase.value,
                sets_done=item.dosage.sets.low if index < done_items else 0,
                sets_planned=item.dosage.sets.low,
                seconds=exercise_seconds(item.dosage) if index < done_items else 0,
            )
            for index, item in enumerate(routine.items)
        )
        active = round(routine.estimated_seconds * share * rng.uniform(0.92, 1.05))
        easing = back / max(1, days)  # 1 long ago, 0 today
        scored = rng.random() < 0.75
        before = min(10, max(0, round(2 + 5 * easing + rng.uniform(-1.5, 1.5))))
        after = max(0, before - rng.choice((0, 1, 1, 2, 2, 3)))
        records.append(
            SessionRecord(
                id=f"{started:%Y%m%dT%H%M}-demo{back:05d}",
                routine_id=routine.id,
                routine_name=routine.name,
                started_at=started,
                ended_at=started + timedelta(seconds=active + 60),
                status="partial" if partial else "completed",
                planned_seconds=routine.estimated_seconds,
                active_seconds=active,
                exercises=exercises,
                pain_before=before if scored else None,
                pain_after=after if scored else None,
                notes=rng.choice(_NOTES),
            )
        )
    return records


def demo_check_results(
    catalog: Catalog, sessions: list[SessionRecord], today: date, *, seed: int = 11
) -> list[CheckResult]:
    """The self-checks of a believable history: each session of a routine that asks
    checks before and after gets them, scores easing up over the weeks and a point or two
    better after; and a seated reach on its own most Sundays."""
    rng = random.Random(seed)
    first = min((s.date for s in sessions), default=today)
    span = max(1, (today - first).days)
    results: list[CheckResult] = []
    for session in sessions:
        routine = catalog.routines.get(session.routine_id)
        if routine is None or session.status != "completed":
            continue
        progress = (session.date - first).days / span  # 0 at the start, 1 today
        for check_id in dict.fromkeys([*routine.checks_before, *routine.checks_after]):
            check = catalog.checks.get(check_id)
            if check is None:
                continue
            for side, lag in (("left", 1.0), ("right", 0.0)) if check.per_side else ((None, 0),):
                before = round(check.scale.low + 2 + 4 * progress - lag + rng.uniform(-1, 1))
                before = max(check.scale.low, min(check.scale.high - 3, before))
                after = before + rng.choice((0, 1, 2, 2, 3))
                for when, value, at in (
                    ("before", before, session.started_at),
                    ("after", after, session.ended_at),
                ):
                    if check_id in (
                        routine.checks_before if when == "before" else routine.checks_after
                    ):
                        key = f"demo-{session.id}-{check_id}-{side or 'one'}-{when}"
                        results.append(
                            CheckResult(key, check_id, at, side, value, at, session.id, when)
                        )
    sunday = today - timedelta(days=(today.weekday() + 1) % 7)
    while sunday >= first:
        if rng.random() < 0.8 and "seated-reach" in catalog.checks:
            at = datetime.combine(sunday, time(9, 30), timezone(timedelta(hours=1)))
            reach = round(18 + 10 * (sunday - first).days / span + rng.uniform(-2, 2), 1)
            results.append(
                CheckResult(f"demo-reach-{sunday:%Y%m%d}", "seated-reach", at, None, reach, at)
            )
        sunday -= timedelta(days=7)
    return sorted(results, key=lambda r: (r.at, r.id))
