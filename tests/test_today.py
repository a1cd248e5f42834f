"""What to do today (`history/today.py`): the state of the day, the routine, and why."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmob_tui.content.program import Program, Stage
from hipmob_tui.history import summary
from hipmob_tui.history.plan import plan_state
from hipmob_tui.history.records import DayMark, SessionRecord, from_json
from hipmob_tui.history.store import Store
from hipmob_tui.history.streaks import MARK_KINDS
from hipmob_tui.history.today import RoutineChoice, suggest_today

TODAY = date(2025, 3, 12)  # a Wednesday
DESK = RoutineChoice("desk-reset", "Desk Reset", ["reset"], 360)
BREATHE = RoutineChoice("breathe", "Just Breathe", ["reset"], 600)
EVENING = RoutineChoice("evening-wind-down", "Evening Wind-Down", ["reset", "restore"], 660)
FULL = RoutineChoice("full-session", "Full Session", ["reset", "restore", "rebuild"], 1440)
CATALOG = [DESK, EVENING, FULL, BREATHE]


def record(
    n: int,
    day: date,
    routine: RoutineChoice = DESK,
    *,
    hour: int = 9,
    completed: bool = True,
    before: int | None = None,
    after: int | None = None,
    zone: str = "Europe/Berlin",
) -> SessionRecord:
    start = datetime.combine(day, datetime.min.time()).replace(hour=hour, tzinfo=ZoneInfo(zone))
    return from_json(
        {
            "id": f"s{n:05d}",
            "routine_id": routine.id,
            "routine_name": routine.name,
            "started_at": start.isoformat(),
            "ended_at": (start + timedelta(minutes=10)).isoformat(),
            "status": "completed" if completed else "partial",
            "planned_seconds": 600,
            "active_seconds": 600,
            "pain_before": before,
            "pain_after": after,
        }
    )


def mark(day: date, kind: str) -> DayMark:
    when = datetime(2025, 1, 1, tzinfo=ZoneInfo("UTC"))
    return DayMark(f"m-{day.isoformat()}", day, kind, "", when, when)


def suggest(records: list[SessionRecord], marks: list[DayMark] = (), **kwargs: object):  # type: ignore[assignment, no-untyped-def]
    days = summary.of_records(records, marks) if records or marks else None
    return suggest_today(days, kwargs.pop("routines", CATALOG), TODAY, 3, 2, **kwargs)  # type: ignore[arg-type]


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_no_history_suggests_the_shortest_routine_not_done_yet() -> None:
    found = suggest([])
    assert found.state == "suggest"
    assert found.routine is DESK
    assert found.trigger == "rotation"
    assert found.reason == "not done yet"
    assert found.streak.current == 0


def test_a_completed_session_today_is_done_and_a_partial_one_is_not() -> None:
    assert suggest([record(1, TODAY)]).state == "done"
    assert suggest([record(1, TODAY, completed=False)]).state == "suggest"


def test_routines_take_turns_least_recently_done_first() -> None:
    history = [record(1, ago(3), EVENING), record(2, ago(2), FULL), record(3, ago(1), DESK)]
    found = suggest(history, routines=[DESK, EVENING, FULL])
    assert found.routine is EVENING
    assert found.reason == "you did Desk Reset last; Evening Wind-Down takes its turn"
    # A routine never done comes before any done.
    assert suggest(history).routine is BREATHE


def test_within_a_day_the_later_session_is_the_more_recent() -> None:
    history = [record(1, ago(1), DESK, hour=18), record(2, ago(1), EVENING, hour=8)]
    assert suggest(history, routines=[DESK, EVENING]).routine is EVENING
    assert suggest(history[::-1], routines=[DESK, EVENING]).routine is EVENING


def test_a_flare_day_yesterday_suggests_the_shortest_reset_only_routine() -> None:
    found = suggest([record(1, ago(2), DESK)], [mark(ago(1), "flare")])
    assert found.state == "suggest"
    assert found.routine is DESK  # the shortest RESET-only, even though done last
    assert found.gentle
    assert found.reason == "a flare day yesterday: a RESET-only routine is gentler"


def test_a_flare_day_today_is_its_own_state_with_a_gentle_routine() -> None:
    found = suggest([record(1, ago(1), DESK)], [mark(TODAY, "flare")])
    assert (found.state, found.routine, found.trigger) == ("flare", DESK, "flare_today")
    assert found.frozen_today
    assert found.reason == "a flare day, so take it easy: a RESET-only routine is gentler"


def test_pain_that_rose_by_two_in_the_last_session_makes_a_gentler_day() -> None:
    found = suggest([record(1, ago(2), EVENING), record(2, ago(1), FULL, before=3, after=5)])
    assert found.routine is DESK
    assert found.trigger == "pain_rose"
    assert found.reason == (
        "your pain went from 3 to 5 in your last session: a RESET-only routine is gentler"
    )
    # A rise of one is not enough; an earlier painful session does not count.
    assert not suggest([record(2, ago(1), FULL, before=3, after=4)]).gentle
    earlier = [record(1, ago(2), FULL, before=2, after=8), record(2, ago(1), FULL)]
    assert not suggest(earlier).gentle


def test_pain_of_seven_before_the_last_session_makes_a_gentler_day() -> None:
    found = suggest([record(1, ago(1), FULL, before=7)])
    assert (found.routine, found.trigger) == (DESK, "pain_high")
    assert (
        found.reason == "your pain was 7 before your last session: a RESET-only routine is gentler"
    )
    assert not suggest([record(1, ago(1), FULL, before=6, after=5)]).gentle


def test_among_reset_only_routines_of_equal_time_the_least_recent_wins() -> None:
    other = RoutineChoice("ball-release", "Ball Release", ["reset"], 360)
    history = [record(1, ago(3), other), record(2, ago(2), DESK, before=8)]
    assert suggest(history, routines=[DESK, other, FULL]).routine is other


def test_without_a_reset_only_routine_the_shortest_is_said_to_be_so() -> None:
    found = suggest([], [mark(ago(1), "flare")], routines=[FULL, EVENING])
    assert found.routine is EVENING
    assert found.reason == (
        "a flare day yesterday: no routine is RESET only; Evening Wind-Down is the shortest"
    )


def test_rest_and_away_days_suggest_nothing_and_say_whether_they_hold_the_streak() -> None:
    history = [record(1, ago(1))]
    rest = suggest(history, [mark(TODAY, "rest")])
    assert (rest.state, rest.routine, rest.frozen_today) == ("rest", None, True)
    assert rest.reason == "marked as a rest day: nothing to do"
    away = suggest(history, [mark(TODAY, "away")])
    assert (away.state, away.routine) == ("away", None)
    # Monday and Tuesday were rest days already: a third is kept but holds nothing.
    over = suggest(
        [record(1, ago(3))], [mark(ago(2), "rest"), mark(ago(1), "rest"), mark(TODAY, "rest")]
    )
    assert (over.state, over.frozen_today) == ("rest", False)


def test_a_session_on_a_marked_day_makes_it_done() -> None:
    assert suggest([record(1, TODAY)], [mark(TODAY, "rest")]).state == "done"


def test_the_figures_are_the_streak_of_the_same_history() -> None:
    history = [record(n, ago(n)) for n in range(1, 4)]
    found = suggest(history)
    assert (found.streak.current, found.streak.this_week) == (3, 2)
    assert found.to_json()["streak"] == found.streak.to_json()


def test_a_program_stage_narrows_the_routines_and_the_gentle_rule_stays_on_top() -> None:
    program = Program("p", "P", "", [Stage("Open", ["full-session", "evening-wind-down"], 2)])
    state = plan_state({"p": program}, "p", ago(3).toordinal(), 1, [], [], TODAY.toordinal())
    found = suggest([], plan=state)
    assert found.routine is EVENING
    assert found.reason == "not done yet; stage 1 of 1: Open"
    assert found.week_goal == 2, "the stage's sessions a week"
    assert found.streak.this_week_goal == 3, "the streak keeps the settings' goal"
    assert found.to_json()["plan"] == {
        "program_id": "p",
        "program_name": "P",
        "stage": 1,
        "of": 1,
        "stage_name": "Open",
        "sessions_per_week": 2,
    }
    # A gentler day picks among every RESET-only routine, in the stage or not.
    gentle = suggest([], [mark(ago(1), "flare")], plan=state)
    assert gentle.routine is DESK


def test_routines_gone_from_the_catalog_are_never_suggested() -> None:
    gone = RoutineChoice("gone", "Gone", ["reset"], 60)
    found = suggest([record(1, ago(1), gone, before=9)], routines=[EVENING])
    assert found.routine is EVENING
    assert suggest([record(1, ago(1), gone)], routines=[]).routine is None


def test_the_json_shape() -> None:
    found = suggest([record(1, ago(1), DESK, before=8)])
    assert found.to_json() == {
        "date": "2025-03-12",
        "state": "suggest",
        "routine": {
            "id": "desk-reset",
            "name": "Desk Reset",
            "phases": ["reset"],
            "estimated_seconds": 360,
        },
        "gentle": True,
        "trigger": "pain_high",
        "reason": "your pain was 8 before your last session: a RESET-only routine is gentler",
        "frozen_today": False,
        "streak": found.streak.to_json(),
        "week_goal": found.streak.this_week_goal,
        "plan": None,
    }


sessions_strategy = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.integers(0, 23),
        st.sampled_from(["desk-reset", "evening-wind-down", "full-session", "unknown"]),
        st.booleans(),
        st.none() | st.integers(0, 10),
        st.none() | st.integers(0, 10),
        st.sampled_from(
            ["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
        ),
    ),
    max_size=20,
)
marks_strategy = st.dictionaries(st.integers(-2, 30), st.sampled_from(MARK_KINDS), max_size=8)
routines_strategy = st.lists(st.sampled_from(CATALOG), unique=True)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sessions_strategy, marks_strategy, routines_strategy, st.integers(1, 7), st.integers(0, 7))
def test_any_history_gives_a_suggestion_from_the_catalog(
    rows: list[tuple[int, int, str, bool, int | None, int | None, str]],
    marked: dict[int, str],
    routines: list[RoutineChoice],
    goal: int,
    limit: int,
) -> None:
    known = {r.id: r for r in CATALOG}
    records = [
        record(
            n,
            ago(back),
            known.get(routine_id, RoutineChoice(routine_id, "Unknown", ["reset"], 1)),
            hour=hour,
            completed=done,
            before=before,
            after=after,
            zone=zone,
        )
        for n, (back, hour, routine_id, done, before, after, zone) in enumerate(rows)
    ]
    marks = [mark(ago(back), kind) for back, kind in marked.items()]
    days = summary.of_records(records, marks)
    # The stored rows (what a write summarises, sparing most start times) give the same.
    rows = [r.to_json() for r in records]
    assert summary.of_rows(rows, [m.to_json() for m in marks]) == days
    found = suggest_today(days, routines, TODAY, goal, limit)
    assert found.state in ("done", "rest", "flare", "away", "suggest")
    if found.state in ("rest", "away"):
        assert found.routine is None
    else:
        assert (found.routine is None) == (not routines)
        assert found.routine is None or found.routine in routines
    if found.gentle and any(r.reset_only for r in routines):
        assert found.routine is not None and found.routine.reset_only
    assert found.reason
    # The summary as the file holds it gives the same suggestion.
    again = suggest_today(_round_trip(days), routines, TODAY, goal, limit)
    assert again.to_json() == found.to_json()


def _round_trip(days: summary.DaySummary) -> summary.DaySummary:
    import json

    data = json.loads(json.dumps(days.to_json()))
    back = summary.DaySummary(
        data["completed"],
        data["sessions"],
        data["active_seconds"],
        {day: (held, done) for day, held, done in data["tallies"]},
        {day: (kind, note) for day, kind, note in data["marks"]},
        dict(data["last_done"]),
        tuple(data["latest"]) if data["latest"] else None,  # type: ignore[arg-type]
    )
    assert back == days
    return back


def test_the_summary_kept_by_appends_knows_the_latest_session_as_a_rebuild_does(
    tmp_path: Path,
) -> None:
    db = tmp_path / "hipmob.json"
    store = Store(db)
    store.add(record(1, ago(2), EVENING, before=2, after=2))
    store.add(record(2, ago(1), FULL, before=3, after=6))
    store.add(record(3, ago(5), DESK))  # logged later, done earlier: not the latest
    kept = Store(db).days()
    assert kept is not None and kept.latest is not None
    assert kept.latest[1:] == ("full-session", 3, 6)
    summary.forget(db)
    assert Store(db).days() == kept
    assert suggest_today(kept, CATALOG, TODAY, 3, 2).trigger == "pain_rose"
