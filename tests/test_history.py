"""The History pane's domain: overview, calendar, sort orders, pain trend, hand logging."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.records import SessionRecord
from hipmob_tui.history.store import Store
from hipmob_tui.history.view import (
    calendar_weeks,
    completion,
    logged_by_hand,
    month_labels,
    overview,
    pain_trend,
    parse_day,
    parse_minutes,
    parse_pain,
    sort_sessions,
)

TODAY = date(2026, 11, 24)  # a Tuesday
PARIS = timezone(timedelta(hours=1))


def session(
    day: date,
    *,
    hour: int = 8,
    minutes: int = 10,
    status: str = "completed",
    routine: str = "Desk Reset",
    pain: tuple[int | None, int | None] = (None, None),
) -> SessionRecord:
    started = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M}-{routine[:4].lower()}",
        routine_id=routine.lower().replace(" ", "-"),
        routine_name=routine,
        started_at=started,
        ended_at=started + timedelta(minutes=minutes),
        status=status,
        planned_seconds=600,
        active_seconds=minutes * 60,
        pain_before=pain[0],
        pain_after=pain[1],
    )


def test_overview_is_newest_first_with_days_and_totals() -> None:
    records = [
        session(TODAY - timedelta(days=2)),
        session(TODAY, hour=7),
        session(TODAY, hour=19, status="partial", minutes=4),
    ]
    found = overview(records, TODAY, weekly_goal=3)
    assert [s.started_at.hour for s in found.sessions] == [19, 7, 8]
    assert len(found.by_day[TODAY]) == 2
    assert found.active_seconds == 24 * 60
    assert found.completed == 2
    assert found.streak.current == 1  # yesterday is missing
    assert found.streak.this_week == 1  # Sunday the 22nd belongs to last week


@pytest.mark.parametrize(
    ("sessions", "level"),
    [
        ([], 0),
        ([{"status": "partial", "minutes": 30}], 1),
        ([{"minutes": 6}], 2),
        ([{"minutes": 6}, {"minutes": 6, "hour": 18}], 3),
        ([{"minutes": 24}], 4),
    ],
)
def test_day_level_shades_by_completed_minutes(
    sessions: list[dict[str, object]], level: int
) -> None:
    records = [session(TODAY, **kwargs) for kwargs in sessions]  # type: ignore[arg-type]
    assert overview(records, TODAY, 3).day_level(TODAY) == level


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 60))
def test_calendar_is_whole_weeks_ending_with_today(today: date, weeks: int) -> None:
    columns = calendar_weeks(today, weeks)
    assert len(columns) == weeks
    days = [day for column in columns for day in column if day is not None]
    assert days[-1] == today
    assert all(b - a == timedelta(days=1) for a, b in zip(days, days[1:], strict=False))
    assert columns[0][0] is not None and columns[0][0].weekday() == 0
    assert all(len(column) == 7 for column in columns)
    future = [day for day in columns[-1] if day is None]
    assert len(future) == 6 - today.weekday()


def test_month_labels_sit_on_the_week_holding_the_first() -> None:
    columns = calendar_weeks(TODAY, 26)
    labels = month_labels(columns)
    november = next(i for i, c in enumerate(columns) if date(2026, 11, 1) in c)
    assert labels[november] == "Nov"
    assert labels[0] == "Jun"  # the partial first month is named too
    assert list(labels.values()) == ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]


def test_sort_orders() -> None:
    records = [
        session(TODAY - timedelta(days=3), routine="Pre-Run Hip Prep", minutes=10, pain=(5, 2)),
        session(TODAY - timedelta(days=2), routine="Desk Reset", minutes=6, pain=(3, 3)),
        session(TODAY - timedelta(days=1), routine="Evening Wind-Down", minutes=11),
    ]
    names = [r.routine_name for r in sort_sessions(records, "routine", descending=False)]
    assert names == ["Desk Reset", "Evening Wind-Down", "Pre-Run Hip Prep"]
    assert [r.active_seconds for r in sort_sessions(records, "minutes")] == [660, 600, 360]
    relief = sort_sessions(records, "relief")
    assert [r.routine_name for r in relief] == [
        "Pre-Run Hip Prep",
        "Desk Reset",
        "Evening Wind-Down",  # not scored: last
    ]
    assert sort_sessions(records, "date")[0].routine_name == "Evening Wind-Down"


def test_pain_trend_uses_the_latest_scored_sessions_oldest_first() -> None:
    records = [
        session(TODAY - timedelta(days=4), pain=(8, 6)),
        session(TODAY - timedelta(days=3), pain=(6, 3)),
        session(TODAY - timedelta(days=2)),  # not scored: skipped
        session(TODAY - timedelta(days=1), pain=(4, None)),
        session(TODAY, pain=(3, 2)),
    ]
    newest_first = sorted(records, key=lambda r: r.started_at, reverse=True)
    trend = pain_trend(newest_first, limit=3)
    assert trend.before == (6, 4, 3)
    assert trend.after == (3, None, 2)
    assert trend.scored == 2
    assert trend.average_change == pytest.approx(-2.0)  # (-3 + -1) / 2
    assert pain_trend([], 10).average_change is None


def test_typed_fields_are_checked_with_what_to_do() -> None:
    assert parse_pain("") is None and parse_pain(" 7 ") == 7 and parse_pain("0") == 0
    for bad in ("11", "-1", "seven", "3.5"):
        with pytest.raises(ValueError, match="0 to 10"):
            parse_pain(bad)
    assert parse_day("", TODAY) == TODAY
    assert parse_day("yesterday", TODAY) == TODAY - timedelta(days=1)
    assert parse_day("2026-11-01", TODAY) == date(2026, 11, 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("1/11/2026", TODAY)
    with pytest.raises(ValueError, match="future"):
        parse_day("2026-11-25", TODAY)
    assert parse_minutes("") is None and parse_minutes("25") == 25
    with pytest.raises(ValueError, match="1 to 600"):
        parse_minutes("0")


def test_logged_by_hand(builtin_catalog: Catalog) -> None:
    routine = builtin_catalog.routines["desk-reset"]
    names = {key: e.name for key, e in builtin_catalog.exercises.items()}
    now = datetime(2026, 11, 24, 18, 30, tzinfo=UTC).astimezone()
    today = logged_by_hand(
        routine,
        names,
        day=now.date(),
        minutes=None,
        pain_before=4,
        pain_after=2,
        notes="at lunch",
        now=now,
    )
    assert today.ended_at == now.replace(microsecond=0)
    assert today.active_seconds == routine.estimated_seconds
    assert today.completed and today.pain_after == 2 and today.notes == "at lunch"
    assert [e.id for e in today.exercises] == [i.exercise_id for i in routine.items]
    past = logged_by_hand(
        routine,
        names,
        day=date(2026, 3, 29),  # the EU clock change
        minutes=7,
        pain_before=None,
        pain_after=None,
        notes="",
        now=now,
    )
    assert past.date == date(2026, 3, 29) and past.started_at.hour == 12
    assert past.active_seconds == 420
    with pytest.raises(ValueError, match="future"):
        logged_by_hand(
            routine,
            names,
            day=now.date() + timedelta(days=1),
            minutes=None,
            pain_before=None,
            pain_after=None,
            notes="",
            now=now,
        )


DST_ZONES = ("America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe")
"""Both hemispheres, and Lord Howe's clocks move by 30 minutes."""


def _clock_changes(zone: ZoneInfo, year: int) -> list[datetime]:
    """The instants (UTC) in `year` when the offset of `zone` changes, to the minute."""
    changes = []
    hour = datetime(year, 1, 1, tzinfo=UTC)
    while hour.year == year:
        after = hour + timedelta(hours=1)
        if hour.astimezone(zone).utcoffset() != after.astimezone(zone).utcoffset():
            minute = hour
            while minute.astimezone(zone).utcoffset() == hour.astimezone(zone).utcoffset():
                minute += timedelta(minutes=1)
            changes.append(minute)
        hour = after
    return changes


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lets a test set the process's local zone with TZ; the real one comes back after."""
    yield
    monkeypatch.undo()
    time.tzset()


def _in_local_zone(monkeypatch: pytest.MonkeyPatch, name: str) -> ZoneInfo:
    monkeypatch.setenv("TZ", name)
    time.tzset()
    assert time.tzname[0] != "UTC"  # the zone was found: not silently UTC
    return ZoneInfo(name)


@pytest.mark.usefixtures("local_zone")
@pytest.mark.parametrize("name", DST_ZONES)
def test_logged_by_hand_across_a_clock_change_keeps_the_true_offset(
    name: str, builtin_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start instant first, then its offset: never the end's, never a wall time skipped."""
    zone = _in_local_zone(monkeypatch, name)
    routine = builtin_catalog.routines["desk-reset"]
    changes = _clock_changes(zone, 2026)
    assert len(changes) == 2  # one each way
    checked = 0
    for change in changes:
        for after in (1, 3, 29, 31, 59, 61, 119):
            now = (change + timedelta(minutes=after, seconds=17)).astimezone(zone)
            for minutes in (1, 5, 30, 59, 60, 61, 90):
                record = logged_by_hand(
                    routine,
                    {},
                    day=now.date(),
                    minutes=minutes,
                    pain_before=None,
                    pain_after=None,
                    notes="",
                    now=now,
                )
                # Instants in UTC: arithmetic on a zone's wall times is not.
                end = now.replace(microsecond=0).astimezone(UTC)
                start = end - timedelta(minutes=minutes)
                if start.astimezone(zone).date() != now.date():
                    continue  # begun the day before: starts at midnight instead
                checked += 1
                assert record.started_at == start and record.ended_at == end
                # The offset stored is the one in force at that instant (and so is the wall time).
                for stored in (record.started_at, record.ended_at):
                    assert stored.isoformat() == stored.astimezone(zone).isoformat()
                assert record.started_at + timedelta(seconds=record.active_seconds) == (
                    record.ended_at
                )
                assert record.date == start.astimezone(zone).date()
    assert checked > 60


@pytest.mark.usefixtures("local_zone")
def test_the_new_york_autumn_example(
    builtin_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logged at 01:03-05:00 (just after the change) with 5 minutes: begun at 01:58-04:00."""
    _in_local_zone(monkeypatch, "America/New_York")
    now = datetime.fromisoformat("2026-11-01T01:03:00-05:00")
    record = logged_by_hand(
        builtin_catalog.routines["desk-reset"],
        {},
        day=now.date(),
        minutes=5,
        pain_before=None,
        pain_after=None,
        notes="",
        now=now.astimezone(),  # as the command gives it: a fixed offset
    )
    assert record.to_json()["started_at"] == "2026-11-01T01:58:00-04:00"
    assert record.to_json()["ended_at"] == "2026-11-01T01:03:00-05:00"


@pytest.mark.usefixtures("local_zone")
@pytest.mark.parametrize("name", [*DST_ZONES, "America/Havana"])
def test_a_past_day_of_a_clock_change_starts_at_a_real_noon(
    name: str, builtin_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    zone = _in_local_zone(monkeypatch, name)
    for change in _clock_changes(zone, 2026):
        day = change.astimezone(zone).date()
        record = logged_by_hand(
            builtin_catalog.routines["desk-reset"],
            {},
            day=day,
            minutes=45,
            pain_before=None,
            pain_after=None,
            notes="",
            now=datetime(2027, 1, 5, 9, tzinfo=zone),
        )
        assert record.date == day and record.started_at.hour == 12
        for stored in (record.started_at, record.ended_at):
            assert stored.isoformat() == stored.astimezone(zone).isoformat()


def test_demo_history_is_believable(builtin_catalog: Catalog) -> None:
    records = demo_sessions(builtin_catalog, TODAY, 180)
    found = overview(records, TODAY, 3)
    assert 100 < len(records) < 160
    assert any(not r.completed for r in records)
    partial = next(r for r in records if not r.completed)
    done, planned = completion(partial)
    assert done < planned
    assert records == demo_sessions(builtin_catalog, TODAY, 180)  # reproducible
    assert found.sessions[0].date == TODAY


def test_of_two_sessions_at_the_same_time_history_and_today_agree_on_the_latest(
    tmp_path: Path,
) -> None:
    """Two sessions logged by hand for one day start at the same time (noon): the one
    written later is the latest, both at the top of History and in "you did X last"."""
    store = Store(tmp_path / "hipmob.json")
    first = session(TODAY, routine="Desk Reset")
    store.add(first)
    store.add(replace(session(TODAY, routine="Hips Open"), started_at=first.started_at))
    days = store.days()
    assert days is not None and days.latest is not None
    assert days.latest[1] == "hips-open"
    shown = overview(store.sessions(), TODAY, weekly_goal=3)
    assert [s.routine_id for s in shown.sessions] == ["hips-open", "desk-reset"]
