"""Rest, flare and away days against a day-by-day reference: they freeze, never extend."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.history.streaks import (
    AWAY,
    BROKE,
    COUNTED,
    FLARE,
    FROZE,
    MARK_KINDS,
    NOTHING,
    OPEN,
    REST,
    explain,
    streak,
)

FIRST = date(2026, 9, 7)  # a Monday
DAY = timedelta(days=1)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def freezes(day: date, completed: set[date], marks: dict[date, str], max_rest: int) -> bool:
    """Marked, no completed session, and, for rest, fewer than max_rest such days before it."""
    if day not in marks or day in completed:
        return False
    if marks[day] != REST:
        return True
    earlier = [
        other
        for other in marks
        if monday_of(other) == monday_of(day)
        and other < day
        and marks[other] == REST
        and other not in completed
    ]
    return len(earlier) < max_rest


def reference(
    completed: set[date], marks: dict[date, str], today: date, goal: int, max_rest: int
) -> dict[str, object]:
    """The slow, obvious way: live every day from the first one, in order."""
    completed = {d for d in completed if d <= today}
    frozen = {d for d in marks if d <= today and freezes(d, completed, marks, max_rest)}
    streak_now = longest = held = 0
    day = min(completed | frozen | {today})
    while day <= today:
        if day in completed:
            streak_now += 1
        elif day in frozen:
            held += 1 if streak_now else 0
        elif day != today:
            streak_now = held = 0
        longest = max(longest, streak_now)
        day += DAY
    weeks = 0
    week = monday_of(min(completed | frozen | {today}))
    while week <= monday_of(today):
        days = [week + i * DAY for i in range(7)]
        done = sum(d in completed for d in days)
        week_goal = max(0, goal - sum(d in frozen for d in days))
        if done >= week_goal and done > 0:
            weeks += 1
        elif (week_goal > 0 or done > 0) and week != monday_of(today):
            weeks = 0  # a missed week; the current one is still open
        week += 7 * DAY
    this_monday = monday_of(today)
    this_week = [this_monday + i * DAY for i in range(7)]
    return {
        "current": streak_now,
        "longest": longest,
        "frozen": held if streak_now else 0,
        "weeks_streak": weeks,
        "this_week": sum(d in completed for d in this_week),
        "this_week_goal": max(0, goal - sum(d in frozen for d in this_week)),
    }


offsets = st.sets(st.integers(0, 59), max_size=40)


@given(
    done=offsets,
    marked=st.dictionaries(st.integers(0, 65), st.sampled_from(MARK_KINDS), max_size=30),
    today=st.integers(0, 59),
    goal=st.integers(1, 7),
    max_rest=st.integers(0, 3),
)
@settings(max_examples=400, deadline=None)
def test_streak_with_marks_matches_a_day_by_day_reference(
    done: set[int], marked: dict[int, str], today: int, goal: int, max_rest: int
) -> None:
    completed = {FIRST + n * DAY for n in done}
    marks = {FIRST + n * DAY: kind for n, kind in marked.items()}
    day = FIRST + today * DAY
    figures = streak(completed, day, goal, marks, max_rest)
    got = {key: getattr(figures, key) for key in reference(completed, marks, day, goal, max_rest)}
    assert got == reference(completed, marks, day, goal, max_rest)


@given(done=offsets, today=st.integers(0, 59), goal=st.integers(1, 7))
@settings(max_examples=100, deadline=None)
def test_without_marks_nothing_changes(done: set[int], today: int, goal: int) -> None:
    completed = {FIRST + n * DAY for n in done}
    day = FIRST + today * DAY
    assert streak(completed, day, goal).to_json() == streak(completed, day, goal, {}).to_json()


def test_a_rest_day_freezes_the_streak_and_lowers_the_week_goal() -> None:
    """Mon, Tue done, Wed rest, Thu done: a streak of 3 with one day frozen; goal 3 - 1."""
    mon = FIRST
    completed = {mon, mon + DAY, mon + 3 * DAY}
    figures = streak(completed, mon + 3 * DAY, 3, {mon + 2 * DAY: REST})
    assert (figures.current, figures.frozen, figures.this_week_goal) == (3, 1, 2)
    assert figures.week_text == "3 days, goal of 2 met"
    unmarked = streak(completed, mon + 3 * DAY, 3)
    assert (unmarked.current, unmarked.frozen) == (1, 0)


def test_two_rest_days_leave_one_session_to_meet_a_goal_of_three() -> None:
    mon = FIRST
    figures = streak({mon}, mon + 2 * DAY, 3, {mon + DAY: REST, mon + 2 * DAY: REST})
    assert figures.this_week_goal == 1 and figures.week_text == "1 of 1 day"


def test_rest_marks_past_the_weekly_limit_freeze_nothing_but_flare_and_away_do() -> None:
    mon = FIRST
    rests = {mon + n * DAY: REST for n in (1, 2, 3)}
    figures = streak({mon, mon + 4 * DAY}, mon + 4 * DAY, 3, rests, max_rest_days_per_week=2)
    assert figures.current == 1  # Thursday's rest was the third: it broke the streak
    others = {mon + DAY: REST, mon + 2 * DAY: FLARE, mon + 3 * DAY: AWAY}
    figures = streak({mon, mon + 4 * DAY}, mon + 4 * DAY, 3, others, max_rest_days_per_week=0)
    assert figures.current == 1  # no rest allowed: Tuesday broke it
    others[mon + DAY] = FLARE
    figures = streak({mon, mon + 4 * DAY}, mon + 4 * DAY, 3, others, max_rest_days_per_week=0)
    assert (figures.current, figures.frozen) == (2, 3)


def test_a_session_on_a_marked_day_counts_as_usual() -> None:
    mon = FIRST
    figures = streak({mon, mon + DAY}, mon + DAY, 3, {mon + DAY: FLARE})
    assert (figures.current, figures.frozen, figures.this_week_goal) == (2, 0, 3)


def test_frozen_days_alone_are_no_streak() -> None:
    mon = FIRST
    figures = streak(set(), mon + 2 * DAY, 3, {mon: AWAY, mon + DAY: AWAY, mon + 2 * DAY: AWAY})
    assert (figures.current, figures.longest, figures.frozen) == (0, 0, 0)


def test_explain_says_what_each_day_did() -> None:
    mon = FIRST
    completed = {n.toordinal() for n in (mon, mon + DAY, mon + 3 * DAY, mon + 6 * DAY)}
    marks = {(mon + 2 * DAY).toordinal(): REST, (mon + 5 * DAY).toordinal(): REST}
    marks[(mon + 4 * DAY).toordinal()] = REST  # so Saturday is the third rest: over the limit
    days = explain(completed, mon + 7 * DAY, 8, marks, max_rest_days_per_week=2)
    assert [d.effect for d in days] == [
        COUNTED,
        COUNTED,
        FROZE,
        COUNTED,
        FROZE,
        BROKE,
        COUNTED,
        OPEN,
    ]
    assert [d.day for d in days] == [mon + n * DAY for n in range(8)]
    assert [d.over_rest_limit for d in days] == [False] * 5 + [True, False, False]
    assert days[5].to_json() == {
        "date": "2026-09-12",
        "mark": "rest",
        "effect": "broke",
        "over_rest_limit": True,
    }


def test_explain_says_nothing_broke_when_there_was_no_streak() -> None:
    mon = FIRST
    days = explain({mon.toordinal()}, mon + 3 * DAY, 4)
    assert [d.effect for d in days] == [COUNTED, BROKE, NOTHING, OPEN]
