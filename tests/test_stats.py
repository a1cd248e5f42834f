"""Streaks against a brute-force reference, across time zones and clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.history.records import from_json
from hipmob_tui.history.streaks import streak, week_start

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "Asia/Kolkata",
    "UTC",
]
START = datetime(2024, 1, 1, tzinfo=UTC)


def reference(days: set[date], today: date, goal: int) -> tuple[int, int, int, int]:
    """The slow, obvious way: walk every calendar day."""
    days = {d for d in days if d <= today}
    current, cursor = 0, today if today in days else today - timedelta(days=1)
    while cursor in days:
        current, cursor = current + 1, cursor - timedelta(days=1)
    longest = run = 0
    if days:
        cursor = min(days)
        while cursor <= today:
            run = run + 1 if cursor in days else 0
            longest = max(longest, run)
            cursor += timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    this_week = sum(1 for d in days if monday <= d <= today)

    def good(week: date) -> bool:
        return sum(1 for i in range(7) if week + timedelta(days=i) in days) >= goal

    weeks, week = 0, monday if good(monday) else monday - timedelta(days=7)
    while good(week):
        weeks, week = weeks + 1, week - timedelta(days=7)
    return current, longest, this_week, weeks


def session(instant: datetime, zone: str, status: str = "completed") -> dict[str, object]:
    local = instant.astimezone(ZoneInfo(zone))
    return {
        "id": f"s{int(instant.timestamp())}",
        "routine_id": "r",
        "routine_name": "R",
        "started_at": local.isoformat(),
        "ended_at": (local + timedelta(minutes=20)).isoformat(),
        "status": status,
        "planned_seconds": 1200,
        "active_seconds": 1200,
    }


@given(
    offsets=st.lists(st.integers(0, 400 * 24 * 60), max_size=80),
    log_zone=st.sampled_from(ZONES),
    view_zone=st.sampled_from(ZONES),
    view_after=st.integers(0, 30 * 24 * 60),
    goal=st.integers(1, 7),
    partial=st.lists(st.booleans(), max_size=80),
)
@settings(max_examples=300, deadline=None)
def test_streak_matches_brute_force_in_every_zone(
    offsets: list[int],
    log_zone: str,
    view_zone: str,
    view_after: int,
    goal: int,
    partial: list[bool],
) -> None:
    instants = [START + timedelta(minutes=m) for m in offsets]
    records = [
        from_json(
            session(t, log_zone, "partial" if i < len(partial) and partial[i] else "completed")
        )
        for i, t in enumerate(instants)
    ]
    completed = {r.date for r in records if r.completed}
    assert completed == {
        t.astimezone(ZoneInfo(log_zone)).date()
        for i, t in enumerate(instants)
        if not (i < len(partial) and partial[i])
    }, "a session counts for the local date it started on where it was logged"
    viewed_at = START + timedelta(minutes=view_after + (max(offsets) if offsets else 0))
    today = viewed_at.astimezone(ZoneInfo(view_zone)).date()
    figures = streak(completed, today, goal)
    assert (figures.current, figures.longest, figures.this_week, figures.weeks_streak) == reference(
        completed, today, goal
    )


def test_after_midnight_counts_for_the_day_it_started() -> None:
    late = from_json(
        session(
            datetime(2026, 3, 7, 23, 50, tzinfo=ZoneInfo("America/New_York")), "America/New_York"
        )
    )
    assert late.date == date(2026, 3, 7)


def test_spring_forward_day_is_still_one_day() -> None:
    # 2026-03-08 is 23 hours long in New York; seconds/86400 would miscount the gap.
    days = {date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)}
    assert streak(days, date(2026, 3, 9)).current == 3


def test_streak_alive_through_today_when_yesterday_counted() -> None:
    days = {date(2026, 11, 22), date(2026, 11, 23)}
    assert streak(days, date(2026, 11, 24)).current == 2
    assert streak(days, date(2026, 11, 25)).current == 0
    assert streak(days, date(2026, 11, 25)).longest == 2


def test_the_current_week_counts_once_it_meets_the_goal() -> None:
    monday = week_start(date(2026, 11, 24))
    last_week = {monday - timedelta(days=n) for n in (1, 2, 3)}
    this_week = {monday, monday + timedelta(days=1)}
    assert streak(last_week | this_week, monday + timedelta(days=1), 3).weeks_streak == 1
    three = this_week | {monday + timedelta(days=2)}
    assert streak(last_week | three, monday + timedelta(days=2), 3).weeks_streak == 2


def test_the_week_reads_naturally_below_at_and_past_the_goal() -> None:
    """Never "4 of 3 days": past the goal, the count and the goal met."""
    monday = week_start(date(2026, 11, 24))
    days = [monday + timedelta(days=n) for n in range(5)]
    friday = monday + timedelta(days=4)
    assert streak(days[:2], friday, 3).week_text == "2 of 3 days"
    assert streak(days[:3], friday, 3).week_text == "3 of 3 days"
    assert streak(days[:4], friday, 3).week_text == "4 days, goal of 3 met"
    assert streak(days[:1], friday, 1).week_text == "1 of 1 day"
