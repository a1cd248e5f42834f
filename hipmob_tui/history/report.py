"""What a report for a clinician holds: pure figures of the session records of a period.

The period is whole weeks, Monday to Sunday, the last of them today's, so the calendar and
the weekly figures line up. Rendering (HTML, Markdown) lives in `report_html` and
`report_markdown`; this module only decides what is in the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from hipmob_tui.history.progress import Progress, progress
from hipmob_tui.history.records import SessionRecord
from hipmob_tui.history.streaks import freezing_days, week_start
from hipmob_tui.settings import DEFAULT_MAX_REST_DAYS_PER_WEEK, DEFAULT_WEEKLY_GOAL

HEALTH_NOTE = (
    "hipmob is not medical advice and does not replace a clinician. Move within a range that "
    "feels comfortable; mild stretching discomfort is normal, sharp, shooting or worsening "
    "pain is not: stop, and see a doctor or physiotherapist, especially with numbness, "
    "weakness, or pain after a fall or injury."
)
"""The README's "A note on health", word for word (a test holds them together)."""

COMPLETED, PARTIAL, NONE = "completed", "partial", "none"
"""What a day of the calendar had: a completed session, only partial ones, or nothing."""
PHASE_ORDER = ("reset", "restore", "rebuild")


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the calendar."""

    day: date
    state: str
    """COMPLETED, PARTIAL or NONE."""
    mark: str | None
    """rest, flare or away when the day is marked; None otherwise."""
    future: bool
    """After today: drawn blank, not as a missed day."""


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    """One week of the period against the weekly goal."""

    monday: date
    counted: int
    """Days with a completed session."""
    sessions: int
    """Every session, partial ones too."""
    goal: int
    """The weekly goal, lowered by one for each marked day that froze the streak."""
    begun: bool = True
    """False for a week that ended before the first session or mark: not a missed week."""

    @property
    def met(self) -> bool:
        """Enough counted days; a week whose marks took the goal to zero is met too."""
        return self.goal == 0 or self.counted >= self.goal


@dataclass(frozen=True, slots=True)
class PainWeek:
    """The median pain before and after of one week's scored sessions."""

    monday: date
    before: float | None
    after: float | None
    scored: int


@dataclass(frozen=True, slots=True)
class Note:
    """A session's note, with when and what it was written after."""

    day: date
    routine: str
    text: str


@dataclass(frozen=True, slots=True)
class MarkedDay:
    """A day marked rest, flare or away in the period, with its note."""

    day: date
    kind: str
    note: str
    held: bool
    """It froze the streak: no completed session, and (rest) within the week's limit."""


@dataclass(frozen=True, slots=True)
class ExerciseDosage:
    """One exercise over the period: how often and how much of it was done."""

    name: str
    phase: str
    sessions: int
    """Sessions in which at least one set of it was done."""
    sets_done: int
    sets_planned: int
    seconds: int
    """Time spent in it, every session added up."""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows, in the order it shows it."""

    first: date
    """The Monday the period starts."""
    today: date
    weekly_goal: int
    sessions: int
    completed: int
    scored: int
    """Sessions with a pain score before and after."""
    weeks: tuple[WeekAdherence, ...]
    days: tuple[Day, ...]
    """Monday of the first week to Sunday of the last, so whole weeks."""
    pain: tuple[PainWeek, ...]
    progress: Progress
    """Per routine and per exercise, over the period's sessions only."""
    notes: tuple[Note, ...]
    """Oldest first."""
    exercises: tuple[ExerciseDosage, ...]
    """RESET, RESTORE, REBUILD, then by how often done."""
    marks: Mapping[date, str]
    marked_days: tuple[MarkedDay, ...] = ()
    """Oldest first."""
    max_rest_days_per_week: int = DEFAULT_MAX_REST_DAYS_PER_WEEK
    health_note: str = HEALTH_NOTE

    def marked(self) -> list[tuple[int, str]]:
        """How many days of each kind are marked, in words: [(2, "flare days marked")]."""
        found = []
        for kind in ("flare", "rest", "away"):
            count = sum(1 for m in self.marked_days if m.kind == kind)
            if count:
                found.append((count, f"{kind} {'day' if count == 1 else 'days'} marked"))
        return found

    @property
    def last(self) -> date:
        return self.today

    @property
    def weeks_met(self) -> int:
        """Weeks whose goal was met; the current week only once it is."""
        return sum(1 for w in self.weeks if w.met and w.begun)

    @property
    def weeks_begun(self) -> int:
        """Weeks of the period since the history began (the goal means nothing before)."""
        return sum(1 for w in self.weeks if w.begun)


def build_report(
    records: Sequence[SessionRecord],
    today: date,
    weeks: int = 8,
    *,
    weekly_goal: int = DEFAULT_WEEKLY_GOAL,
    marks: Mapping[date, str] | None = None,
    max_rest_days_per_week: int = DEFAULT_MAX_REST_DAYS_PER_WEEK,
    mark_notes: Mapping[date, str] | None = None,
) -> Report:
    """The report of the last `weeks` weeks up to today, from every record (others ignored).

    `marks` (date → rest, flare or away) are drawn on the calendar, listed with their
    `mark_notes`, and lower a week's goal as they freeze the streak; without them every
    day is plain.
    """
    first = week_start(today) - timedelta(weeks=weeks - 1)
    began = min([r.date for r in records] + list(marks or ()), default=today)
    chosen = sorted((r for r in records if first <= r.date <= today), key=lambda r: r.started_at)
    marks = {day: kind for day, kind in (marks or {}).items() if first <= day <= today}
    completed_days = {r.date for r in chosen if r.completed}
    partial_days = {r.date for r in chosen} - completed_days
    frozen = {
        date.fromordinal(n)
        for n in freezing_days(
            {d.toordinal() for d in completed_days},
            {d.toordinal(): kind for d, kind in marks.items()},
            max_rest_days_per_week,
        )
    }
    days = []
    for n in range(weeks * 7):
        day = first + timedelta(days=n)
        state = COMPLETED if day in completed_days else PARTIAL if day in partial_days else NONE
        days.append(Day(day, state, marks.get(day), day > today))
    by_week: dict[date, list[SessionRecord]] = {}
    for record in chosen:
        by_week.setdefault(week_start(record.date), []).append(record)
    adherence = []
    pain = []
    for n in range(weeks):
        monday = first + timedelta(weeks=n)
        group = by_week.get(monday, [])
        week_days = {monday + timedelta(days=d) for d in range(7)}
        adherence.append(
            WeekAdherence(
                monday=monday,
                counted=len(completed_days & week_days),
                sessions=len(group),
                goal=max(0, weekly_goal - len(frozen & week_days)),
                begun=monday + timedelta(days=6) >= began,
            )
        )
        scored = [r for r in group if r.pain_before is not None and r.pain_after is not None]
        before = [r.pain_before for r in group if r.pain_before is not None]
        after = [r.pain_after for r in group if r.pain_after is not None]
        pain.append(
            PainWeek(
                monday=monday,
                before=float(median(before)) if before else None,
                after=float(median(after)) if after else None,
                scored=len(scored),
            )
        )
    return Report(
        first=first,
        today=today,
        weekly_goal=weekly_goal,
        sessions=len(chosen),
        completed=sum(1 for r in chosen if r.completed),
        scored=sum(w.scored for w in pain),
        weeks=tuple(adherence),
        days=tuple(days),
        pain=tuple(pain),
        progress=progress(chosen, today, weeks),
        notes=tuple(Note(r.date, r.routine_name, r.notes) for r in chosen if r.notes.strip()),
        exercises=exercise_dosages(chosen),
        marks=marks,
        marked_days=tuple(
            MarkedDay(day, kind, (mark_notes or {}).get(day, ""), day in frozen)
            for day, kind in sorted(marks.items())
        ),
        max_rest_days_per_week=max_rest_days_per_week,
    )


def exercise_dosages(records: Sequence[SessionRecord]) -> tuple[ExerciseDosage, ...]:
    """Each exercise planned in `records`: sessions it was done in, sets done of planned, time."""
    found: dict[str, list[int]] = {}  # id -> [sessions, sets done, sets planned, seconds]
    names: dict[str, tuple[str, str]] = {}
    for record in records:
        for entry in record.exercises:
            totals = found.setdefault(entry.id, [0, 0, 0, 0])
            totals[0] += 1 if entry.sets_done else 0
            totals[1] += entry.sets_done
            totals[2] += entry.sets_planned
            totals[3] += entry.seconds
            names[entry.id] = (entry.name, entry.phase)  # the newest name wins
    rows = [ExerciseDosage(names[key][0], names[key][1], *totals) for key, totals in found.items()]

    def order(row: ExerciseDosage) -> tuple[int, int, str]:
        phase = PHASE_ORDER.index(row.phase) if row.phase in PHASE_ORDER else len(PHASE_ORDER)
        return phase, -row.sessions, row.name.casefold()

    return tuple(sorted(rows, key=order))
