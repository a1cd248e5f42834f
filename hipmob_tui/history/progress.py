"""What helps: pain response per routine and per exercise, and the weekly trend.

Pure functions of the session records. Every figure is a median with the number of
scored sessions behind it; under `ENOUGH` scored sessions there is no median, only n.
The words are about association ("sessions with this routine"), never cause.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from hipmob_tui.history.records import SIDE_NOTES, SessionRecord

ENOUGH = 3
"""Scored sessions needed before a median is shown."""
WORSE = 2
"""A rise in pain of this much or more over a session is a flare to be cautious of."""
TREND_WEEKS = 12
SIDE_WINDOW = 10
"""Side notes are summed over each exercise's last this many noted sessions."""
ASSOCIATION = (
    "Figures describe the sessions with a routine or an exercise, not what caused a change."
)
CAUTION = (
    "Sessions with {name} more often raised pain by {worse} or more than lowered it. "
    "Sharp, shooting or worsening pain means stop, and see a clinician."
)


def signed(change: float) -> str:
    """A pain change as people write it: "+1", "-1.5", "0"."""
    text = f"{change:+.1f}".replace(".0", "")
    return "0" if text in ("+0", "-0") else text


@dataclass(frozen=True, slots=True)
class PainResponse:
    """How pain changed (after − before) over the scored sessions of one group."""

    scored: int
    """Sessions with both scores."""
    median_change: float | None
    """None under ENOUGH scored sessions: too few to say anything."""
    low: int | None
    high: int | None
    """The smallest and largest change: the spread behind the median."""
    raised: int
    """Sessions after which pain was WORSE or more points higher."""
    lowered: int
    """Sessions after which pain was lower."""

    @property
    def caution(self) -> bool:
        """More sessions raised pain by WORSE or more than lowered it."""
        return self.raised > self.lowered

    @property
    def median_text(self) -> str:
        """The median change, or why there is none: "-1.5", "too few" (under ENOUGH), "none"."""
        if self.median_change is not None:
            return signed(self.median_change)
        return "too few" if self.scored else "none"

    @property
    def range_text(self) -> str:
        """The spread of the changes: "-4 to +1", or "" with nothing scored."""
        if self.low is None or self.high is None:
            return ""
        low, high = signed(self.low), signed(self.high)
        return low if low == high else f"{low} to {high}"

    def to_json(self) -> dict[str, object]:
        """The pain part of the progress JSON shape."""
        return {
            "scored": self.scored,
            "median_change": self.median_change,
            "low": self.low,
            "high": self.high,
            "raised": self.raised,
            "lowered": self.lowered,
            "caution": self.caution,
        }


def pain_response(records: Iterable[SessionRecord]) -> PainResponse:
    """The pain response of `records`, counting only sessions scored before and after."""
    return _response(
        [
            r.pain_after - r.pain_before
            for r in records
            if r.pain_before is not None and r.pain_after is not None
        ]
    )


@dataclass(frozen=True, slots=True)
class RoutineProgress:
    """One routine's sessions and the pain response of those scored."""

    routine_id: str
    name: str
    sessions: int
    completed: int
    last_done: date
    pain: PainResponse

    def to_json(self) -> dict[str, object]:
        """One routine of `progress --json`."""
        return {
            "routine_id": self.routine_id,
            "name": self.name,
            "sessions": self.sessions,
            "completed": self.completed,
            "last_done": self.last_done.isoformat(),
            "pain": self.pain.to_json(),
        }


@dataclass(frozen=True, slots=True)
class ExerciseProgress:
    """One exercise: how often it was done, how much of it, and the sessions it was in."""

    exercise_id: str
    name: str
    times: int
    """Sessions in which at least one set of it was done."""
    sets_done: int
    sets_planned: int
    """Over every session that planned it, done or not."""
    last_done: date
    pain: PainResponse

    def to_json(self) -> dict[str, object]:
        """One exercise of `progress --json`."""
        return {
            "exercise_id": self.exercise_id,
            "name": self.name,
            "times": self.times,
            "sets_done": self.sets_done,
            "sets_planned": self.sets_planned,
            "last_done": self.last_done.isoformat(),
            "pain": self.pain.to_json(),
        }


@dataclass(frozen=True, slots=True)
class SideSummary:
    """Which side of one exercise felt tighter, over its last SIDE_WINDOW noted sessions."""

    exercise_id: str
    name: str
    """As the newest noted session's record holds it."""
    noted: int
    """Sessions counted: those with a note, the newest SIDE_WINDOW at most."""
    left: int
    right: int
    even: int

    @property
    def counts_text(self) -> str:
        """The counts in words, most first: "left tighter in 7, even in 2, right in 1 of the
        last 10"; "tighter" goes with the first side named."""
        counts = sorted(
            ((self.left, "left"), (self.right, "right"), (self.even, "even")),
            key=lambda pair: -pair[0],  # stable: ties keep left, right, even
        )
        parts = []
        tighter = " tighter"
        for count, side in counts:
            if count == 0:
                continue
            if side == "even":
                parts.append(f"even in {count}")
            else:
                parts.append(f"{side}{tighter} in {count}")
                tighter = ""
        if self.noted == 1:
            return parts[0].replace(" in 1", " in the only session noted")
        return f"{', '.join(parts)} of the last {self.noted}"

    @property
    def text(self) -> str:
        """The whole line: "90/90 IR: left tighter in 7 of the last 10"."""
        return f"{self.name}: {self.counts_text}"

    def to_json(self) -> dict[str, object]:
        """One exercise of `sides` in `progress --json`."""
        return {
            "exercise_id": self.exercise_id,
            "name": self.name,
            "noted": self.noted,
            "left": self.left,
            "right": self.right,
            "even": self.even,
            "text": self.text,
        }


def side_summaries(records: Iterable[SessionRecord]) -> tuple[SideSummary, ...]:
    """Per exercise with at least one side note, the notes of its last SIDE_WINDOW noted
    sessions; most noted first. A session that did one exercise twice counts once, with
    its later note (the later feeling)."""
    by_exercise: dict[str, list[tuple[datetime, str, str]]] = {}
    for record in records:
        noted = {e.id: (e.name, e.side_note) for e in record.exercises if e.side_note is not None}
        for exercise_id, (name, side) in noted.items():
            by_exercise.setdefault(exercise_id, []).append((record.started_at, name, side))
    summaries = []
    for exercise_id, notes in by_exercise.items():
        notes.sort(key=lambda note: note[0])
        window = notes[-SIDE_WINDOW:]
        sides = [side for _when, _name, side in window]
        left, right, even = (sides.count(side) for side in SIDE_NOTES)
        summaries.append(SideSummary(exercise_id, window[-1][1], len(window), left, right, even))
    return tuple(sorted(summaries, key=lambda s: (-s.noted, s.name)))


@dataclass(frozen=True, slots=True)
class Week:
    """One week of the trend: sessions done, and the median pain before them."""

    monday: date
    sessions: int
    completed: int
    median_pain_before: float | None
    """None when no session of the week had a score before."""

    def to_json(self) -> dict[str, object]:
        """One week of `progress --json`."""
        return {
            "week": self.monday.isoformat(),
            "sessions": self.sessions,
            "completed": self.completed,
            "median_pain_before": self.median_pain_before,
        }


@dataclass(frozen=True, slots=True)
class Progress:
    """Everything the Progress view and `hipmob progress` show."""

    routines: tuple[RoutineProgress, ...]
    """Most sessions first."""
    exercises: tuple[ExerciseProgress, ...]
    """Most often done first."""
    weeks: tuple[Week, ...]
    """The trend, oldest week first, ending with the current week."""
    sides: tuple[SideSummary, ...] = ()
    """Which side felt tighter, per exercise with a side note."""

    @property
    def cautions(self) -> list[str]:
        """Names of the routines, then exercises, whose sessions call for caution."""
        routines = [r.name for r in self.routines if r.pain.caution]
        return routines + [e.name for e in self.exercises if e.pain.caution]

    def to_json(self) -> dict[str, object]:
        """The progress object of the JSON interface."""
        return {
            "routines": [r.to_json() for r in self.routines],
            "exercises": [e.to_json() for e in self.exercises],
            "weeks": [w.to_json() for w in self.weeks],
            "sides": [s.to_json() for s in self.sides],
        }


class _Tally:
    """What one routine or exercise gathers in the single pass over the records."""

    __slots__ = ("name", "newest", "last_done", "count", "completed", "changes", "done", "planned")

    def __init__(self) -> None:
        self.name = ""
        self.newest = float("-inf")
        """The start (a POSIX time) of the newest session: its name is the one shown."""
        self.last_done: date | None = None
        self.count = self.completed = self.done = self.planned = 0
        self.changes: list[int] = []

    def add(self, seen: _Seen, name: str) -> None:
        self.count += 1
        self.completed += seen.completed
        if seen.change is not None:
            self.changes.append(seen.change)
        if seen.started > self.newest:
            self.newest, self.name, self.last_done = seen.started, name, seen.day


class _Seen:
    """One session's figures, worked out once however many tallies it adds to."""

    __slots__ = ("started", "day", "completed", "change")

    def __init__(self, record: SessionRecord) -> None:
        self.started = record.started_at.timestamp()
        self.day = record.date
        self.completed = record.completed
        before, after = record.pain_before, record.pain_after
        self.change = after - before if before is not None and after is not None else None


def _response(changes: list[int]) -> PainResponse:
    return PainResponse(
        scored=len(changes),
        median_change=float(median(changes)) if len(changes) >= ENOUGH else None,
        low=min(changes, default=None),
        high=max(changes, default=None),
        raised=sum(1 for change in changes if change >= WORSE),
        lowered=sum(1 for change in changes if change < 0),
    )


def progress(records: Sequence[SessionRecord], today: date, weeks: int = TREND_WEEKS) -> Progress:
    """Per routine, per exercise, and the last `weeks` weeks up to today's.

    One pass over the records (ten years of sessions in a few milliseconds): each session
    adds to its routine's tally and to the tally of every exercise it did a set of.
    """
    by_routine: dict[str, _Tally] = {}
    by_exercise: dict[str, _Tally] = {}
    for record in records:
        seen = _Seen(record)
        routine = by_routine.get(record.routine_id)
        if routine is None:
            routine = by_routine[record.routine_id] = _Tally()
        routine.add(seen, record.routine_name)
        counted: set[str] = set()
        for entry in record.exercises:
            tally = by_exercise.get(entry.id)
            if tally is None:
                tally = by_exercise[entry.id] = _Tally()
            tally.done += entry.sets_done
            tally.planned += entry.sets_planned
            if entry.sets_done and entry.id not in counted:
                counted.add(entry.id)
                tally.add(seen, entry.name)
    routines = [
        RoutineProgress(
            routine_id=routine_id,
            name=tally.name,
            sessions=tally.count,
            completed=tally.completed,
            last_done=tally.last_done,
            pain=_response(tally.changes),
        )
        for routine_id, tally in by_routine.items()
        if tally.last_done is not None
    ]
    exercises = [
        ExerciseProgress(
            exercise_id=exercise_id,
            name=tally.name,
            times=tally.count,
            sets_done=tally.done,
            sets_planned=tally.planned,
            last_done=tally.last_done,
            pain=_response(tally.changes),
        )
        for exercise_id, tally in by_exercise.items()
        if tally.last_done is not None  # planned, but no set of it ever done: not listed
    ]
    return Progress(
        routines=tuple(sorted(routines, key=lambda r: (-r.sessions, r.name))),
        exercises=tuple(sorted(exercises, key=lambda e: (-e.times, e.name))),
        weeks=weekly_trend(records, today, weeks),
        sides=side_summaries(records),
    )


def weekly_trend(records: Iterable[SessionRecord], today: date, weeks: int) -> tuple[Week, ...]:
    """Sessions and the median pain before, for each of the last `weeks` weeks."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    grouped: dict[date, list[SessionRecord]] = {}
    for record in records:
        monday = record.date - timedelta(days=record.date.weekday())
        if first <= monday <= this_monday:
            grouped.setdefault(monday, []).append(record)
    trend = []
    for n in range(weeks):
        monday = first + timedelta(weeks=n)
        group = grouped.get(monday, [])
        before = [r.pain_before for r in group if r.pain_before is not None]
        trend.append(
            Week(
                monday=monday,
                sessions=len(group),
                completed=sum(1 for r in group if r.completed),
                median_pain_before=float(median(before)) if before else None,
            )
        )
    return tuple(trend)
