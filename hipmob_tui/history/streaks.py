"""Streaks and weekly goals: pure functions of the days that counted and today's date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from hipmob_tui.settings import DEFAULT_WEEKLY_GOAL


class Streak:
    """The streak figures the CLI and the History pane show (a plain class: fast to import)."""

    __slots__ = ("current", "longest", "last_date", "this_week", "weekly_goal", "weeks_streak")

    def __init__(
        self,
        *,
        current: int,
        longest: int,
        last_date: date | None,
        this_week: int,
        weekly_goal: int,
        weeks_streak: int,
    ) -> None:
        self.current = current
        """Days in a row with a completed session, alive through today if yesterday counted."""
        self.longest = longest
        self.last_date = last_date
        self.this_week = this_week
        """Days with a completed session in the current week (Monday to Sunday)."""
        self.weekly_goal = weekly_goal
        self.weeks_streak = weeks_streak
        """Weeks in a row meeting the goal; the current week counts once it meets it."""

    def to_json(self) -> dict[str, object]:
        """The streak object of the JSON interface."""
        return {
            "current": self.current,
            "longest": self.longest,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "this_week": self.this_week,
            "weekly_goal": self.weekly_goal,
            "weeks_streak": self.weeks_streak,
        }


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def streak(days: Iterable[date], today: date, weekly_goal: int = DEFAULT_WEEKLY_GOAL) -> Streak:
    """Streak figures from the local dates that had a completed session.

    Dates are calendar dates, so a gap is date arithmetic and a day is a day whatever its
    length in seconds (23 or 25 hours at a clock change). Future dates (a clock set back,
    a record from a zone ahead) count as days but not toward "current" beyond today.
    """
    counted = {day for day in days if day <= today}
    longest = run = 0
    previous: date | None = None
    for day in sorted(counted):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in counted else today - timedelta(days=1)
    while cursor in counted:
        current += 1
        cursor -= timedelta(days=1)
    this_monday = week_start(today)
    per_week: dict[date, int] = {}
    for day in counted:
        per_week[week_start(day)] = per_week.get(week_start(day), 0) + 1
    weeks = 0
    cursor = (
        this_monday if per_week.get(this_monday, 0) >= weekly_goal else this_monday - timedelta(7)
    )
    while per_week.get(cursor, 0) >= weekly_goal:
        weeks += 1
        cursor -= timedelta(days=7)
    return Streak(
        current=current,
        longest=longest,
        last_date=max(counted) if counted else None,
        this_week=per_week.get(this_monday, 0),
        weekly_goal=weekly_goal,
        weeks_streak=weeks,
    )
