"""What the History pane shows, computed from session records: no UI, no I/O.

The calendar, the day index, sort orders, the pain trend and hand-logged sessions live
here so the CLI and the pane agree, and so they are tested with plain pytest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from hipmob_tui.content import pacing
from hipmob_tui.content.models import Routine
from hipmob_tui.history.records import (
    DayMark,
    ExerciseDone,
    SessionRecord,
    clamp_seconds,
    new_session_id,
)
from hipmob_tui.history.streaks import Streak, freezing_days, streak, week_start
from hipmob_tui.settings import DEFAULT_MAX_REST_DAYS_PER_WEEK

CALENDAR_WEEKS = 26
"""About six months, GitHub style: one column a week, Monday at the top."""


@dataclass(frozen=True, slots=True)
class Overview:
    """Every session and the figures of the History header, computed once per load."""

    sessions: tuple[SessionRecord, ...]
    """Newest first."""
    by_day: dict[date, tuple[SessionRecord, ...]]
    streak: Streak
    active_seconds: int
    today: date
    marks: dict[date, DayMark] = field(default_factory=dict)
    """Rest, flare and away days, by date."""
    frozen: frozenset[date] = frozenset()
    """Marked days that hold the streak: no completed session, and rest within its limit."""

    @property
    def completed(self) -> int:
        """Sessions that count toward streaks."""
        return sum(1 for s in self.sessions if s.completed)

    def day_level(self, day: date) -> int:
        """0 nothing, 1 only partial sessions, 2–4 completed: under 10, under 20, 20+ min."""
        sessions = self.by_day.get(day, ())
        done = [s for s in sessions if s.completed]
        if not done:
            return 1 if sessions else 0
        minutes = sum(s.active_seconds for s in done) / 60
        return 2 if minutes < 10 else 3 if minutes < 20 else 4


def overview(
    records: Iterable[SessionRecord],
    today: date,
    weekly_goal: int,
    marks: Iterable[DayMark] = (),
    max_rest_days_per_week: int = DEFAULT_MAX_REST_DAYS_PER_WEEK,
) -> Overview:
    """The History pane's model of `records` and day `marks` as seen on `today`."""
    # Of sessions that started at the same time (two logged by hand for one day start at
    # noon), the one written later comes first: it is the latest `today` names too.
    written_last_first = list(records)[::-1]
    newest_first = tuple(sorted(written_last_first, key=lambda r: r.started_at, reverse=True))
    by_day: dict[date, list[SessionRecord]] = {}
    for record in newest_first:
        by_day.setdefault(record.date, []).append(record)
    by_date = {mark.date: mark for mark in marks}
    kinds = {day: mark.kind for day, mark in by_date.items()}
    counted = {s.date for s in newest_first if s.completed}
    frozen = freezing_days(
        {day.toordinal() for day in counted},
        {day.toordinal(): kind for day, kind in kinds.items()},
        max_rest_days_per_week,
    )
    return Overview(
        sessions=newest_first,
        by_day={day: tuple(found) for day, found in by_day.items()},
        streak=streak(counted, today, weekly_goal, kinds, max_rest_days_per_week),
        active_seconds=sum(s.active_seconds for s in newest_first),
        today=today,
        marks=by_date,
        frozen=frozenset(date.fromordinal(day) for day in frozen),
    )


def calendar_weeks(today: date, weeks: int = CALENDAR_WEEKS) -> list[list[date | None]]:
    """Columns of seven days (Monday first), oldest week first, ending with today's week.

    Days after today are None: the grid shows them as empty space, not as missed days.
    """
    first_monday = week_start(today) - timedelta(weeks=weeks - 1)
    columns: list[list[date | None]] = []
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        days = (monday + timedelta(days=n) for n in range(7))
        columns.append([day if day <= today else None for day in days])
    return columns


def month_labels(columns: Sequence[Sequence[date | None]]) -> dict[int, str]:
    """Column index → month abbreviation, where a month's first day falls in that column."""
    labels: dict[int, str] = {}
    for index, column in enumerate(columns):
        for day in column:
            if day is not None and day.day == 1:
                labels[index] = day.strftime("%b")
        if index == 0 and index not in labels and column[0] is not None:
            labels[index] = column[0].strftime("%b")
    return labels


SORTS: dict[str, tuple[str, Callable[[SessionRecord], object]]] = {
    "date": ("date", lambda s: s.started_at),
    "routine": ("routine", lambda s: (s.routine_name.casefold(), s.started_at)),
    "minutes": ("minutes", lambda s: (s.active_seconds, s.started_at)),
    "relief": ("pain relief", lambda s: (_relief(s), s.started_at)),
}
"""Sort orders of the sessions table: key → (label, sort key)."""


def _relief(record: SessionRecord) -> int:
    if record.pain_before is None or record.pain_after is None:
        return -99  # unscored sessions sort after every scored one
    return record.pain_before - record.pain_after


def sort_sessions(
    sessions: Sequence[SessionRecord], by: str, descending: bool = True
) -> list[SessionRecord]:
    """The sessions in the order the table shows them."""
    return sorted(sessions, key=SORTS[by][1], reverse=descending)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class PainTrend:
    """Pain scores of the latest scored sessions, oldest first."""

    before: tuple[int | None, ...]
    after: tuple[int | None, ...]
    average_change: float | None
    """Mean of (after − before) over sessions with both scores: negative is relief."""
    scored: int
    """Sessions in the window with both scores."""


def pain_trend(sessions_newest_first: Sequence[SessionRecord], limit: int) -> PainTrend:
    """The last `limit` sessions that have any pain score, for the trend chart."""
    window: list[SessionRecord] = []
    for record in sessions_newest_first:
        if record.pain_before is not None or record.pain_after is not None:
            window.append(record)
            if len(window) >= limit:
                break
    window.reverse()
    changes = [
        r.pain_after - r.pain_before
        for r in window
        if r.pain_before is not None and r.pain_after is not None
    ]
    return PainTrend(
        before=tuple(r.pain_before for r in window),
        after=tuple(r.pain_after for r in window),
        average_change=sum(changes) / len(changes) if changes else None,
        scored=len(changes),
    )


def completion(record: SessionRecord) -> tuple[int, int]:
    """Sets done and sets planned over the whole session."""
    return (
        sum(e.sets_done for e in record.exercises),
        sum(e.sets_planned for e in record.exercises),
    )


def logged_by_hand(
    routine: Routine,
    exercise_names: dict[str, str],
    *,
    day: date,
    minutes: int | None,
    pain_before: int | None,
    pain_after: int | None,
    notes: str,
    now: datetime,
) -> SessionRecord:
    """A completed session the person did away from the app ("I forgot to start it").

    Today's session ends now; a past day's starts at noon, local time. RecordError when a
    field is out of range; ValueError when the day is in the future.
    """
    if day > now.date():
        raise ValueError(f"{day} is in the future; log sessions you have done")
    seconds = clamp_seconds(minutes * 60 if minutes is not None else routine.estimated_seconds)
    if day == now.date():
        # The start instant first (in UTC: arithmetic on a zone's wall time is not), then
        # the offset in force at that instant, not `now`'s: the clocks may have changed.
        started = (now.astimezone(UTC) - timedelta(seconds=seconds)).astimezone()
        if started.date() != day:
            started = _local(day, time(0, 0))
    else:
        # The local offset in force on that day, not today's (they differ across DST).
        started = _local(day, time(12, 0))
    started = started.replace(microsecond=0)
    ended = (started.astimezone(UTC) + timedelta(seconds=seconds)).astimezone()
    exercises = tuple(
        ExerciseDone(
            id=item.exercise_id,
            name=exercise_names.get(item.exercise_id, item.exercise_id),
            phase=item.phase.value,
            sets_done=item.dosage.sets.low,
            sets_planned=item.dosage.sets.low,
            seconds=clamp_seconds(pacing.exercise_seconds(item.dosage)),
        )
        for item in routine.items
    )
    return SessionRecord(
        id=new_session_id(started),
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=started,
        ended_at=ended,
        status="completed",
        planned_seconds=clamp_seconds(routine.estimated_seconds),
        active_seconds=seconds,
        exercises=exercises,
        pain_before=pain_before,
        pain_after=pain_after,
        notes=notes,
    ).with_changes()


def _local(day: date, wall: time) -> datetime:
    """That wall time of `day` in the local zone, with the offset in force then.

    A wall time the clocks skip (a spring change at midnight) becomes the real instant
    after the change, so no record holds a time that never existed.
    """
    return datetime.combine(day, wall).astimezone().astimezone()


def _whole_number(text: str, low: int, high: int, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"{what} is a whole number from {low} to {high} (or blank), not {text!r}")
    return int(text)


def parse_pain(text: str) -> int | None:
    """A pain score typed by the person: blank for none, else a whole number 0–10."""
    return _whole_number(text, 0, 10, "pain")


def read_day(text: str, today: date) -> date:
    """A date typed as YYYY-MM-DD, or 'today' / 'yesterday' (blank is today).

    The log dialog and `hipmob log --date` both read dates with this.
    """
    text = text.strip().lower()
    if text in ("", "today"):
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        if shape := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):  # the shape is right
            raise ValueError(f"{text!r} is not a date: {_what_is_wrong(*shape.groups())}") from None
        raise ValueError(f"write the date as YYYY-MM-DD, e.g. {today.isoformat()}") from None


def _what_is_wrong(year: str, month: str, day: str) -> str:
    """Why a date written YYYY-MM-DD is not one, in words: the month, or the day."""
    import calendar

    if int(year) < 1:
        return "years start at 0001"
    if not 1 <= int(month) <= 12:
        return "months run from 01 to 12"
    if int(day) < 1:
        return "days start at 01"
    days = calendar.monthrange(int(year), int(month))[1]
    return f"{calendar.month_name[int(month)]} {int(year)} has {days} days, not {int(day)}"


def parse_day(text: str, today: date) -> date:
    """A date as `read_day` reads it, never in the future."""
    day = read_day(text, today)
    if day > today:
        raise ValueError(f"{day} is in the future; log sessions you have done")
    return day


def parse_minutes(text: str) -> int | None:
    """Minutes typed by the person: blank for the routine's estimate, else 1–600."""
    return _whole_number(text, 1, 600, "minutes")
