"""What helps: medians with their n, the spread, caution, and the weekly trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from statistics import median

from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.history.progress import ENOUGH, pain_response, progress, weekly_trend
from hipmob_tui.history.records import ExerciseDone, SessionRecord

TODAY = date(2026, 11, 24)  # a Tuesday


def session(
    day: int,
    routine: str = "reset",
    before: int | None = None,
    after: int | None = None,
    *,
    done: dict[str, tuple[int, int]] | None = None,
    status: str = "completed",
) -> SessionRecord:
    """A session `day` days before TODAY; `done` maps exercise id to (sets done, planned)."""
    start = datetime.combine(TODAY - timedelta(days=day), datetime.min.time(), UTC)
    start += timedelta(hours=8)
    exercises = tuple(
        ExerciseDone(id=e, name=e.title(), phase="reset", sets_done=d, sets_planned=p, seconds=60)
        for e, (d, p) in (done or {}).items()
    )
    return SessionRecord(
        id=f"{routine}-{day}-{before}-{after}",
        routine_id=routine,
        routine_name=routine.title(),
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        status=status,
        planned_seconds=600,
        active_seconds=600,
        exercises=exercises,
        pain_before=before,
        pain_after=after,
    )


def test_no_median_under_three_scored_sessions_only_the_count() -> None:
    two = [session(1, before=5, after=3), session(2, before=6, after=2), session(3, before=4)]
    response = pain_response(two)
    assert (response.scored, response.median_change) == (2, None)
    assert (response.low, response.high) == (-4, -2)
    three = [*two, session(4, before=3, after=3)]
    response = pain_response(three)
    assert (response.scored, response.median_change) == (3, -2.0)


def test_caution_when_more_sessions_raise_pain_by_two_than_lower_it() -> None:
    worse = [session(n, before=3, after=6) for n in range(1, 3)] + [session(5, before=4, after=3)]
    assert pain_response(worse).caution
    assert not pain_response([*worse, session(6, before=5, after=4)]).caution
    assert not pain_response([session(1, before=3, after=4)]).caution  # +1 is not a flare


def test_per_routine_most_sessions_first_with_last_done_and_completed() -> None:
    records = [
        session(1, "reset", 5, 3),
        session(3, "reset", 5, 4, status="partial"),
        session(2, "restore", 6, 4),
        session(9, "reset", 6, 4),
    ]
    found = progress(records, TODAY)
    reset, restore = found.routines
    assert (reset.routine_id, reset.sessions, reset.completed) == ("reset", 3, 2)
    assert reset.last_done == TODAY - timedelta(days=1)
    assert reset.pain.median_change == -2.0 and restore.pain.median_change is None


def test_per_exercise_sets_done_of_planned_and_the_sessions_it_was_done_in() -> None:
    records = [
        session(1, before=5, after=3, done={"pigeon": (2, 2), "bridge": (0, 3)}),
        session(2, before=6, after=5, done={"pigeon": (1, 2)}),
        session(4, before=6, after=7, done={"pigeon": (2, 2), "bridge": (3, 3)}),
    ]
    found = {e.exercise_id: e for e in progress(records, TODAY).exercises}
    pigeon, bridge = found["pigeon"], found["bridge"]
    assert (pigeon.times, pigeon.sets_done, pigeon.sets_planned) == (3, 5, 6)
    assert pigeon.pain.median_change == -1.0 and pigeon.last_done == TODAY - timedelta(days=1)
    # Planned twice, done once: the sets count both, the pain only the session it was done in.
    assert (bridge.times, bridge.sets_done, bridge.sets_planned) == (1, 3, 6)
    assert bridge.pain.scored == 1 and bridge.last_done == TODAY - timedelta(days=4)


def test_an_exercise_never_done_is_not_listed() -> None:
    found = progress([session(1, done={"bridge": (0, 3)})], TODAY)
    assert found.exercises == ()


def test_the_trend_has_every_week_oldest_first_ending_with_this_one() -> None:
    records = [session(0, before=6), session(1, before=4), session(8, before=5), session(200)]
    weeks = weekly_trend(records, TODAY, 12)
    assert len(weeks) == 12 and weeks[-1].monday == date(2026, 11, 23)
    assert weeks[0].monday == date(2026, 9, 7)
    assert (weeks[-1].sessions, weeks[-1].median_pain_before) == (2, 5.0)
    assert (weeks[-2].sessions, weeks[-2].median_pain_before) == (1, 5.0)
    assert sum(w.sessions for w in weeks) == 3  # 200 days ago is outside the window
    assert weeks[0].median_pain_before is None


scores = st.one_of(st.none(), st.integers(0, 10))


@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.sampled_from(["a", "b", "c"]), scores, scores),
        max_size=60,
    )
)
@settings(max_examples=200, deadline=None)
def test_every_session_is_counted_once_and_medians_match_the_scored_changes(
    rows: list[tuple[int, str, int | None, int | None]],
) -> None:
    records = [session(day, routine, before, after) for day, routine, before, after in rows]
    found = progress(records, TODAY)
    assert sum(r.sessions for r in found.routines) == len(records)
    for routine in found.routines:
        changes = [
            a - b
            for _, r, b, a in rows
            if r == routine.routine_id and a is not None and b is not None
        ]
        assert routine.pain.scored == len(changes)
        expected = median(changes) if len(changes) >= ENOUGH else None
        assert routine.pain.median_change == expected
    in_window = sum(1 for day, *_ in rows if day <= 1 + 7 * 11)  # TODAY is a Tuesday
    assert sum(w.sessions for w in found.weeks) == in_window
