"""What to do today: one routine to suggest, and why, from the per-day summary alone.

The rule, as the README states it (conservative on purpose, and the same history always
gives the same suggestion):

- A completed session today: the day is done. A day marked rest or away (and no completed
  session): nothing is suggested. A day marked flare: a RESET-only routine, if you move
  at all.
- Otherwise, a **gentler day** when today or yesterday is marked flare, or the latest
  session hurt: its pain after was 2 or more above its pain before, or its pain before was
  7 or more. Then the suggestion is a RESET-only routine (every exercise in the RESET
  phase): the shortest one, ties to the one done least recently.
- Otherwise the routines take turns: the one done least recently (never done first), ties
  to the shorter one.

The routines to choose from are every routine of the catalog. When a program is followed,
its stage narrows the routines taken in turn to the stage's own, and the week's goal is the
stage's sessions a week; a gentler day still picks among every RESET-only routine.

Pure and quick to import (no typing, no dataclasses): `hipmob today` runs it on every prompt.
"""

from __future__ import annotations

from datetime import date

from hipmob_tui.history import streaks
from hipmob_tui.history.flare import FLARE_BEFORE, FLARE_RISE, gentlest_routine
from hipmob_tui.history.streaks import AWAY, FLARE, REST, Streak

TYPE_CHECKING = False  # typing costs `hipmob today` ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from collections.abc import Sequence

    from hipmob_tui.history.plan import PlanState
    from hipmob_tui.history.summary import DaySummary

DONE, SUGGEST = "done", "suggest"
STATES = (DONE, REST, FLARE, AWAY, SUGGEST)
"""What today is: done, marked rest / flare / away, or open with a suggestion."""

FLARE_TODAY, FLARE_YESTERDAY, PAIN_ROSE, PAIN_HIGH, ROTATION = (
    "flare_today",
    "flare_yesterday",
    "pain_rose",
    "pain_high",
    "rotation",
)
"""Why this routine: the first four make a gentler day (a RESET-only routine)."""

PAIN_RISE = FLARE_RISE
"""Pain after this much above pain before (or more) makes the next day a gentler one."""
PAIN_HIGH_BEFORE = FLARE_BEFORE
"""Pain before at or above this makes the next day a gentler one (the summary's flare
offer uses the same two thresholds)."""
RESET = "reset"


class RoutineChoice:
    """What the suggestion needs of a routine: plain data, from the catalog or its index."""

    __slots__ = ("id", "name", "phases", "estimated_seconds")

    def __init__(self, id: str, name: str, phases: Sequence[str], estimated_seconds: int) -> None:
        self.id = id
        self.name = name
        self.phases: tuple[str, ...] = tuple(phases)
        """Phase names ("reset", "restore", "rebuild") in order of first appearance."""
        self.estimated_seconds = estimated_seconds

    @property
    def reset_only(self) -> bool:
        """Every exercise of it is in the RESET phase: the gentlest kind of routine."""
        return self.phases == (RESET,)

    def to_json(self) -> dict[str, object]:
        """The routine of `today --json`."""
        return {
            "id": self.id,
            "name": self.name,
            "phases": list(self.phases),
            "estimated_seconds": self.estimated_seconds,
        }

    def __repr__(self) -> str:
        return f"RoutineChoice({self.id!r})"


class Suggestion:
    """Today's state, the routine suggested (if any), why, and the streak figures."""

    __slots__ = (
        "day",
        "state",
        "routine",
        "trigger",
        "reason",
        "streak",
        "frozen_today",
        "plan",
        "week_goal",
    )

    def __init__(
        self,
        *,
        day: date,
        state: str,
        routine: RoutineChoice | None,
        trigger: str | None,
        reason: str,
        streak: Streak,
        frozen_today: bool,
        plan: PlanState | None = None,
        week_goal: int | None = None,
    ) -> None:
        self.day = day
        self.state = state
        """One of STATES."""
        self.routine = routine
        """The routine to do next; None on a rest or away day, or with no routine at all."""
        self.trigger = trigger
        """Why this routine: FLARE_TODAY, FLARE_YESTERDAY, PAIN_ROSE, PAIN_HIGH or ROTATION."""
        self.reason = reason
        """The reason in plain words, e.g. "a flare day yesterday: a RESET-only routine is
        gentler"; empty when there is nothing to say."""
        self.streak = streak
        self.frozen_today = frozen_today
        """Today is marked, has no completed session, and holds the streak."""
        self.plan = plan
        """The program followed today, and its stage; None when none is."""
        self.week_goal = streak.this_week_goal if week_goal is None else week_goal
        """This week's goal: the streak's, or while a program is followed its stage's
        sessions a week (less the week's frozen days, as the streak lowers its own)."""

    @property
    def gentle(self) -> bool:
        """A gentler day: the routine was chosen because it is RESET only."""
        return self.trigger not in (None, ROTATION)

    def to_json(self) -> dict[str, object]:
        """`hipmob today --json`, without the path."""
        return {
            "date": self.day.isoformat(),
            "state": self.state,
            "routine": self.routine.to_json() if self.routine else None,
            "gentle": self.gentle,
            "trigger": self.trigger,
            "reason": self.reason,
            "frozen_today": self.frozen_today,
            "streak": self.streak.to_json(),
            "week_goal": self.week_goal,
            "plan": None
            if self.plan is None
            else {
                "program_id": self.plan.program.id,
                "program_name": self.plan.program.name,
                "stage": self.plan.stage_number,
                "of": self.plan.stage_count,
                "stage_name": self.plan.stage.name,
                "sessions_per_week": self.plan.stage.sessions_per_week,
            },
        }


def suggest_today(
    days: DaySummary | None,
    routines: Sequence[RoutineChoice],
    today: date,
    weekly_goal: int,
    max_rest_days_per_week: int,
    *,
    plan: PlanState | None = None,
) -> Suggestion:
    """Today's suggestion from the per-day summary (None: no history yet) and the routines.

    `plan`: the program followed today, whose stage narrows the routines taken in turn and
    sets the week's goal. Never raises on any summary: a history naming routines that no
    longer exist only means those routines are not suggested.
    """
    completed = days.completed if days else ()
    marks = days.mark_kinds() if days else {}
    figures = streaks.streak_of_ordinals(
        completed, today, weekly_goal, marks or None, max_rest_days_per_week
    )
    # The streak keeps the settings' goal (as `hipmob streak` says it); this week's line
    # counts against the stage's sessions a week, less the week's frozen days.
    week_goal = figures.this_week_goal
    if plan is not None:
        week_goal = max(0, plan.stage.sessions_per_week - figures.frozen_this_week)
    now = today.toordinal()
    mark = marks.get(now)
    done = days is not None and days.counts(now)[1] > 0
    frozen_today = (
        not done
        and mark is not None
        and now in streaks.freezing_days(completed, marks, max_rest_days_per_week)
    )
    state = DONE if done else (mark if mark in (REST, FLARE, AWAY) else SUGGEST)
    if state in (REST, AWAY):
        return Suggestion(
            day=today,
            state=state,
            routine=None,
            trigger=None,
            reason=f"marked as {'a rest day' if state == REST else 'away'}: nothing to do",
            streak=figures,
            frozen_today=frozen_today,
            plan=plan,
            week_goal=week_goal,
        )
    pool = list(routines)
    if plan is not None:
        by_id = {routine.id: routine for routine in routines}
        pool = [by_id[r] for r in plan.stage.routines if r in by_id]
    last_done = days.last_done if days else {}
    trigger, why = _gentle_trigger(days, marks, now)
    if trigger is not None:
        routine, reason = _gentlest(list(routines), last_done, why)
    else:
        routine, reason = _next_in_turn(pool, last_done, days)
        trigger = ROTATION if routine is not None else None
    if plan is not None and routine is not None:
        reason = f"{reason}; {plan.position()}: {plan.stage.name}"
    return Suggestion(
        day=today,
        state=state,
        routine=routine,
        trigger=trigger,
        reason=reason,
        streak=figures,
        frozen_today=frozen_today,
        plan=plan,
        week_goal=week_goal,
    )


def _gentle_trigger(
    days: DaySummary | None, marks: dict[int, str], now: int
) -> tuple[str | None, str]:
    """What makes today a gentler day, and how to say it; (None, "") when nothing does."""
    if marks.get(now) == FLARE:
        return FLARE_TODAY, "a flare day, so take it easy"
    if marks.get(now - 1) == FLARE:
        return FLARE_YESTERDAY, "a flare day yesterday"
    latest = days.latest if days else None
    if latest is not None:
        _started, _routine, before, after = latest
        if before is not None and after is not None and after >= before + PAIN_RISE:
            return PAIN_ROSE, f"your pain went from {before} to {after} in your last session"
        if before is not None and before >= PAIN_HIGH_BEFORE:
            return PAIN_HIGH, f"your pain was {before} before your last session"
    return None, ""


def _recency(routine: RoutineChoice, last_done: dict[str, int]) -> int:
    """When the routine was last done; never done sorts first."""
    return last_done.get(routine.id, -1)


def _gentlest(
    pool: Sequence[RoutineChoice], last_done: dict[str, int], why: str
) -> tuple[RoutineChoice | None, str]:
    """The shortest RESET-only routine (ties: done least recently), with the reason."""
    gentle = gentlest_routine(pool, last_done)
    if gentle is not None:
        return gentle, f"{why}: a RESET-only routine is gentler"
    if not pool:
        return None, f"{why}: no routine to suggest"
    chosen = min(pool, key=lambda r: (r.estimated_seconds, _recency(r, last_done), r.id))
    return chosen, f"{why}: no routine is RESET only; {chosen.name} is the shortest"


def _next_in_turn(
    pool: Sequence[RoutineChoice], last_done: dict[str, int], days: DaySummary | None
) -> tuple[RoutineChoice | None, str]:
    """The routine done least recently (never done first; ties: the shorter), with the reason."""
    if not pool:
        return None, "no routine to suggest"
    chosen = min(pool, key=lambda r: (_recency(r, last_done), r.estimated_seconds, r.id))
    latest = days.latest if days else None
    names = {routine.id: routine.name for routine in pool}
    if chosen.id not in last_done:
        reason = "not done yet"
        if latest is not None and latest[1] in names:
            reason = f"you did {names[latest[1]]} last; {chosen.name} is not done yet"
        return chosen, reason
    if latest is not None and latest[1] in names and latest[1] != chosen.id:
        return chosen, f"you did {names[latest[1]]} last; {chosen.name} takes its turn"
    return chosen, "done least recently"
