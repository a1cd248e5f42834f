"""Where a person stands in the program they follow, computed from the history alone.

Nothing about the stage is stored: the same history (sessions, flare marks, the fact of
following) always gives the same stage. The rule, as the README states it:

- Following starts at a stage (the first, unless said otherwise) on the day given.
- The history is replayed in order. After each session, and on each day marked flare,
  the stage's rules are checked against what happened *since the stage began*:
  - **step back** (any one condition is enough): at least `count` flare days within the
    last `within_days` days; or at least `count` of the last `of_last` scored sessions
    had a pain before of `at_least` or more;
  - **advance** (every condition given must hold): at least `sessions` completed sessions
    of the stage's routines; at least `days` days in the stage (the first day counts);
    the median pain before of the last `median_of_last` scored sessions at most
    `at_most`.
  Stepping back wins when both hold. The new stage begins at once: the sessions after it
  on the same day count for it. When only `days` is missing, the stage advances at the
  start of the day it is reached.
- Past the last stage, a program may continue with another (`then`), from its first stage.

Pure and quick to import (no typing, no dataclasses): `hipmob today` runs it on every prompt.
"""

from __future__ import annotations

from datetime import date

TYPE_CHECKING = False  # typing costs `hipmob today` ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from hipmob_tui.content.program import CheckGate, Program, Stage
    from hipmob_tui.history.records import CheckResult, PlanFact, SessionRecord
    from hipmob_tui.history.summary import DaySummary

PlanSession = tuple[int, str, bool, "int | None", int]
"""A session as the plan reads it: the ordinal of its local date, its routine id, whether
it was completed, its pain before (None when not scored), and when it started (seconds
since the epoch)."""

PlanCheck = tuple[int, int, str, "str | None", float]
"""A self-check result as the plan reads it: the ordinal of its local date, when it was
done (seconds since the epoch), the check id, the side (None for a check not per side)
and the value."""


class Condition:
    """One figure behind a rule: what the history has, what the rule needs, and whether it
    holds, with the same said in words."""

    __slots__ = ("kind", "have", "need", "met", "text")

    def __init__(
        self, kind: str, have: float | int | None, need: int, met: bool, text: str
    ) -> None:
        self.kind = kind
        """"sessions", "days", "pain_median", "flare_days" or "high_pain"."""
        self.have = have
        """The figure now (None: a median with too few scores yet)."""
        self.need = need
        self.met = met
        self.text = text

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "have": self.have,
            "need": self.need,
            "met": self.met,
            "text": self.text,
        }


class Transition:
    """A move from one stage to another, on a day, and why."""

    __slots__ = ("day", "program_id", "stage", "to_program_id", "to_stage", "why")

    def __init__(
        self, day: int, program_id: str, stage: int, to_program_id: str, to_stage: int, why: str
    ) -> None:
        self.day = day
        self.program_id = program_id
        self.stage = stage
        """1-based, as people count stages."""
        self.to_program_id = to_program_id
        self.to_stage = to_stage
        self.why = why

    @property
    def forward(self) -> bool:
        return self.to_program_id != self.program_id or self.to_stage > self.stage

    def to_json(self) -> dict[str, object]:
        return {
            "date": date.fromordinal(self.day).isoformat(),
            "program_id": self.program_id,
            "stage": self.stage,
            "to_program_id": self.to_program_id,
            "to_stage": self.to_stage,
            "direction": "advance" if self.forward else "step_back",
            "why": self.why,
        }


class _Progress:
    """What happened in the stage in force, as the replay goes."""

    __slots__ = (
        "program",
        "index",
        "start",
        "sessions",
        "scores",
        "flares",
        "checks",
        "checked_through",
    )

    def __init__(self, program: Program, index: int, start: int) -> None:
        self.program = program
        self.index = index
        self.start = start
        self.sessions = 0
        """Completed sessions of the stage's routines."""
        self.scores: list[int] = []
        """Pain before of every scored session, in order."""
        self.flares: list[int] = []
        """Flare days, in order."""
        self.checks: dict[tuple[str, str | None], float] = {}
        """The latest value of each check and side since the stage began."""
        self.checked_through = start - 1
        """The last day the rule to advance was checked on (and did not hold)."""

    @property
    def stage(self) -> Stage:
        return self.program.stages[self.index]


class PlanState:
    """The program followed, the stage in force today, and the figures behind its rules."""

    __slots__ = (
        "followed",
        "since",
        "program",
        "stage_index",
        "stage_since",
        "advance",
        "step_back",
        "transitions",
        "sessions_in_stage",
        "today",
    )

    def __init__(
        self,
        followed: str,
        since: int,
        progress: _Progress,
        transitions: list[Transition],
        today: int,
    ) -> None:
        self.followed = followed
        """The program the person chose to follow (the one in force may follow it)."""
        self.since = since
        self.program: Program = progress.program
        self.stage_index = progress.index
        """0-based."""
        self.stage_since = progress.start
        self.sessions_in_stage = progress.sessions
        self.transitions = transitions
        self.today = today
        stage = progress.stage
        self.advance: list[Condition] | None = (
            _advance_conditions(stage, progress, today) if stage.advance else None
        )
        self.step_back: list[Condition] | None = (
            _step_back_conditions(stage, progress, today) if stage.step_back else None
        )

    @property
    def stage(self) -> Stage:
        return self.program.stages[self.stage_index]

    @property
    def stage_number(self) -> int:
        return self.stage_index + 1

    @property
    def stage_count(self) -> int:
        return len(self.program.stages)

    @property
    def final(self) -> bool:
        """The last stage of a program that continues with no other: nothing to advance to."""
        return self.stage.advance is None

    def position(self) -> str:
        """e.g. "stage 2 of 3"."""
        return f"stage {self.stage_number} of {self.stage_count}"

    def to_advance(self) -> list[str]:
        """What is still missing before the next stage, in words (empty: nothing)."""
        return [condition.text for condition in self.advance or () if not condition.met]

    def to_json(self) -> dict[str, object]:
        """`hipmob plan --json`, without the path."""
        stage = self.stage
        return {
            "following": True,
            "followed_program_id": self.followed,
            "since": date.fromordinal(self.since).isoformat(),
            "program": {
                "id": self.program.id,
                "name": self.program.name,
                "stages": self.stage_count,
                "then": self.program.then,
            },
            "stage": {
                "number": self.stage_number,
                "of": self.stage_count,
                "name": stage.name,
                "about": stage.about,
                "since": date.fromordinal(self.stage_since).isoformat(),
                "routines": list(stage.routines),
                "sessions_per_week": stage.sessions_per_week,
                "completed_sessions": self.sessions_in_stage,
            },
            "advance": None
            if self.advance is None
            else {
                "met": all(c.met for c in self.advance),
                "conditions": [c.to_json() for c in self.advance],
            },
            "step_back": None
            if self.step_back is None
            else {
                "met": any(c.met for c in self.step_back),
                "conditions": [c.to_json() for c in self.step_back],
            },
            "transitions": [t.to_json() for t in self.transitions],
        }


def plan_state(
    programs: Mapping[str, Program],
    followed: str,
    since: int,
    first_stage: int,
    sessions: Iterable[PlanSession],
    flare_days: Iterable[int],
    today: int,
    checks: Iterable[PlanCheck] = (),
) -> PlanState:
    """Replay the history from `since` and say where the person stands on `today`.

    `first_stage` is 1-based (clamped to the program's stages). Sessions, flare days and
    check results outside `since`..`today` are ignored. KeyError when `followed` is not in
    `programs`.
    """
    program = programs[followed]
    progress = _Progress(program, min(max(first_stage, 1), len(program.stages)) - 1, since)
    transitions: list[Transition] = []
    for day, event in _events(sessions, flare_days, checks, since, today):
        _move_by_days(programs, progress, transitions, day)
        if event is not None and isinstance(event[1], str):
            _day, routine_id, completed, before, _at = event
            counts = completed and routine_id in progress.stage.routines
            if counts:
                progress.sessions += 1
            elif before is None:
                # It changes no figure, so it moves nothing: a rule that did not hold
                # still does not (and the days are caught up at the next event).
                continue
            if before is not None:
                progress.scores.append(before)
            _apply_rules(programs, progress, transitions, day)
            continue
        if event is None:
            progress.flares.append(day)
        else:
            _day, _at, check_id, side, value = event
            progress.checks[(str(check_id), side)] = float(value)
        _apply_rules(programs, progress, transitions, day)
    _move_by_days(programs, progress, transitions, today)
    return PlanState(followed, since, progress, transitions, today)


def _events(
    sessions: Iterable[PlanSession],
    flare_days: Iterable[int],
    checks: Iterable[PlanCheck],
    since: int,
    today: int,
) -> list[tuple[int, PlanSession | PlanCheck | None]]:
    """Sessions and check results in the order they happened, and flare days (after the
    day's sessions), within since..today."""
    # (day, time, order, event): sorted as plain tuples (no key function, a third of the
    # time at ten years); the order keeps ties as given and never compares two events.
    events: list[tuple[int, float, int, PlanSession | PlanCheck | None]] = [
        (session[0], session[4], n, session)
        for n, session in enumerate(sessions)
        if since <= session[0] <= today
    ]
    start = len(events)
    events.extend(
        (check[0], check[1], start + n, check)
        for n, check in enumerate(checks)
        if since <= check[0] <= today
    )
    events.extend((day, _END_OF_DAY, 0, None) for day in set(flare_days) if since <= day <= today)
    events.sort()
    return [(day, event) for day, _at, _order, event in events]


_END_OF_DAY = float("inf")
"""Where a flare day sorts among the day's events: after them."""


def _apply_rules(
    programs: Mapping[str, Program],
    progress: _Progress,
    transitions: list[Transition],
    day: int,
) -> None:
    """After an event on `day`: step back or advance when a rule says so.

    The rules are first checked as plain figures (this runs once per session over years
    of them); their words are made only for a move.
    """
    stage = progress.stage
    if stage.step_back is not None and progress.index > 0 and _steps_back(stage, progress, day):
        met = [c for c in _step_back_conditions(stage, progress, day) if c.met]
        _move(progress, transitions, day, progress.program, progress.index - 1, met[0].text)
        return
    if stage.advance is not None:
        if _advances(stage, progress, day):
            _advance(programs, progress, transitions, day)
        else:
            progress.checked_through = day


def _move_by_days(
    programs: Mapping[str, Program], progress: _Progress, transitions: list[Transition], day: int
) -> None:
    """Advance at the start of the day the stage's `days` are reached, when that was all
    that was missing (nothing else changes between events)."""
    while True:
        advance = progress.stage.advance
        if advance is None or advance.days is None:
            return
        reached = progress.start + advance.days - 1
        # Checked on a day the days were already reached and it did not hold: only another
        # event can change that, and each is checked as it comes.
        if reached > day or reached <= progress.checked_through:
            return
        if not _advances(progress.stage, progress, reached):
            return
        if not _advance(programs, progress, transitions, reached):
            return


def _advances(stage: Stage, progress: _Progress, day: int) -> bool:
    """Every condition of the stage's rule to advance holds on `day`."""
    rule = stage.advance
    assert rule is not None
    if rule.sessions is not None and progress.sessions < rule.sessions:
        return False
    if rule.days is not None and day - progress.start + 1 < rule.days:
        return False
    if rule.check is not None and not _check_holds(rule.check, progress):
        return False
    if rule.pain_before is not None:
        last = rule.pain_before.last
        if len(progress.scores) < last:
            return False
        return _median(progress.scores[-last:]) <= rule.pain_before.at_most
    return True


def _check_holds(gate: CheckGate, progress: _Progress) -> bool:
    """Every side the gate reads has a result since the stage began, and each meets it."""
    for side in gate.sides:
        value = progress.checks.get((gate.check_id, side))
        if value is None or not gate.holds(value):
            return False
    return True


def _steps_back(stage: Stage, progress: _Progress, day: int) -> bool:
    """Any condition of the stage's rule to step back holds on `day`."""
    rule = stage.step_back
    assert rule is not None
    flare = rule.flare_days
    if flare is not None:
        recent = sum(1 for f in progress.flares[-flare.count :] if day - flare.within_days < f)
        if recent >= flare.count:
            return True
    pain = rule.pain_before
    if pain is not None:
        high = sum(1 for score in progress.scores[-pain.of_last :] if score >= pain.at_least)
        if high >= pain.count:
            return True
    return False


def _advance(
    programs: Mapping[str, Program], progress: _Progress, transitions: list[Transition], day: int
) -> bool:
    """Move to the next stage (or the program that follows); False when there is none."""
    why = "; ".join(c.text for c in _advance_conditions(progress.stage, progress, day))
    if progress.index + 1 < len(progress.program.stages):
        _move(progress, transitions, day, progress.program, progress.index + 1, why)
        return True
    if progress.program.then is not None and progress.program.then in programs:
        _move(progress, transitions, day, programs[progress.program.then], 0, why)
        return True
    return False


def _move(
    progress: _Progress,
    transitions: list[Transition],
    day: int,
    program: Program,
    index: int,
    why: str,
) -> None:
    transitions.append(
        Transition(day, progress.program.id, progress.index + 1, program.id, index + 1, why)
    )
    progress.program = program
    progress.index = index
    progress.start = day
    progress.sessions = 0
    progress.scores = []
    progress.flares = []
    progress.checks = {}
    progress.checked_through = day - 1


def _advance_conditions(stage: Stage, progress: _Progress, day: int) -> list[Condition]:
    rule = stage.advance
    assert rule is not None
    found: list[Condition] = []
    if rule.sessions is not None:
        have = progress.sessions
        text = (
            f"{have} of {_count(rule.sessions, 'session')}"
            if have <= rule.sessions
            else f"{_count(have, 'session')} (needs {rule.sessions})"
        )
        found.append(Condition("sessions", have, rule.sessions, have >= rule.sessions, text))
    if rule.days is not None:
        have = day - progress.start + 1
        text = (
            f"{_count(have, 'day')} in the stage of {rule.days}"
            if have <= rule.days
            else f"{_count(have, 'day')} in the stage (needs {rule.days})"
        )
        found.append(Condition("days", have, rule.days, have >= rule.days, text))
    if rule.check is not None:
        found.append(_check_condition(rule.check, progress))
    if rule.pain_before is not None:
        last, at_most = rule.pain_before.last, rule.pain_before.at_most
        scores = progress.scores[-last:]
        if len(scores) < last:
            found.append(
                Condition(
                    "pain_median",
                    None,
                    at_most,
                    False,
                    f"{len(scores)} of {last} scored sessions so far (the median pain before "
                    f"of the last {last} must be {at_most} or less)",
                )
            )
        else:
            median = _median(scores)
            shown = _number(median)
            found.append(
                Condition(
                    "pain_median",
                    median,
                    at_most,
                    median <= at_most,
                    f"median pain before {shown} over the last {last} → needs {at_most} or less",
                )
            )
    return found


def _check_condition(gate: CheckGate, progress: _Progress) -> Condition:
    """e.g. "ir-ease-90-90 left 5, right 6 → needs 6 or more on both sides"."""
    values = {side: progress.checks.get((gate.check_id, side)) for side in gate.sides}
    shown = ", ".join(
        f"{side + ' ' if side else ''}{_number(value) if value is not None else 'not done'}"
        for side, value in values.items()
    )
    bound = gate.at_least if gate.at_least is not None else gate.at_most
    assert bound is not None
    need = f"{_number(bound)} or {'more' if gate.at_least is not None else 'less'}"
    sides = " on both sides" if len(gate.sides) > 1 else ""
    scored = [value for value in values.values() if value is not None]
    have = min(scored) if gate.at_least is not None and scored else max(scored, default=None)
    return Condition(
        "check",
        have,
        int(bound),
        _check_holds(gate, progress),
        f"{gate.name or gate.check_id} since the stage began: {shown} → needs {need}{sides}",
    )


def _step_back_conditions(stage: Stage, progress: _Progress, day: int) -> list[Condition]:
    rule = stage.step_back
    assert rule is not None
    found: list[Condition] = []
    if rule.flare_days is not None:
        count, within = rule.flare_days.count, rule.flare_days.within_days
        have = sum(1 for flare in progress.flares if day - within < flare <= day)
        found.append(
            Condition(
                "flare_days",
                have,
                count,
                have >= count,
                f"{_count(have, 'flare day')} in the last {within}, since the stage began "
                f"(steps back at {count})",
            )
        )
    if rule.pain_before is not None:
        at_least, count, of_last = (
            rule.pain_before.at_least,
            rule.pain_before.count,
            rule.pain_before.of_last,
        )
        recent = progress.scores[-of_last:]
        have = sum(1 for score in recent if score >= at_least)
        text = (
            f"pain before {at_least} or more in {have} of the last {len(recent)} scored"
            if recent
            else f"pain before {at_least} or more: no scored session yet"
        )
        text += f" (steps back at {count} of {of_last})"
        found.append(Condition("high_pain", have, count, have >= count, text))
    return found


def _median(values: Sequence[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class Following:
    """What `plan` and `today` know of the program followed on a day."""

    __slots__ = ("program_id", "since", "state")

    def __init__(self, program_id: str, since: date, state: PlanState | None) -> None:
        self.program_id = program_id
        self.since = since
        self.state = state
        """None when the program followed is not defined (any more), or has problems."""


def following_on(
    programs: Mapping[str, Program],
    in_force: tuple[str, int, int] | None,
    sessions: Iterable[PlanSession],
    marks: Mapping[int, str],
    today: date,
    checks: Callable[[], Iterable[PlanCheck]] | None = None,
) -> Following | None:
    """The program followed on `today` and where the person stands in it; None when none is.

    `in_force`: the program id, the ordinal of the day following began and the stage it
    began at (see `records.plan_in_force`, or the summary's `following`). `marks` maps
    ordinals to mark kinds (only flare days count). `checks` gives the self-check results,
    asked for only when the program's rules read them (None: a check rule never holds).
    """
    if in_force is None:
        return None
    program_id, since, stage = in_force
    if program_id not in programs:
        return Following(program_id, date.fromordinal(since), None)
    flares = [day for day, kind in marks.items() if kind == "flare"]
    results = _reachable_checks(programs, program_id)
    state = plan_state(
        programs,
        program_id,
        since,
        stage,
        sessions,
        flares,
        today.toordinal(),
        checks() if checks is not None and results else (),
    )
    return Following(program_id, date.fromordinal(since), state)


def _reachable_checks(programs: Mapping[str, Program], program_id: str) -> bool:
    """Whether the program, or one it continues with, has a rule that reads self-checks."""
    seen: set[str] = set()
    current: str | None = program_id
    while current is not None and current in programs and current not in seen:
        seen.add(current)
        if programs[current].uses_checks:
            return True
        current = programs[current].then
    return False


def in_force_of(facts: Sequence[PlanFact], today: date) -> tuple[str, int, int] | None:
    """The program id, start ordinal and stage of the fact in force on `today`, if any."""
    from hipmob_tui.history.records import plan_in_force

    fact = plan_in_force(list(facts), today)
    if fact is None or fact.program_id is None:
        return None
    return fact.program_id, fact.date.toordinal(), fact.stage


def sessions_of(records: Iterable[SessionRecord]) -> list[PlanSession]:
    """Session records as the plan reads them."""
    return [
        (
            r.date.toordinal(),
            r.routine_id,
            r.completed,
            r.pain_before,
            int(r.started_at.timestamp()),
        )
        for r in records
    ]


def checks_of(results: Iterable[CheckResult]) -> list[PlanCheck]:
    """Check results as the plan reads them."""
    return [
        (r.date.toordinal(), int(r.at.timestamp()), r.check_id, r.side, float(r.value))
        for r in results
    ]


def plan_of_summary(
    days: DaySummary | None,
    programs: Mapping[str, Program],
    today: date,
    checks: Callable[[], Iterable[PlanCheck]] | None = None,
) -> PlanState | None:
    """The stage on `today` from the per-day summary (its plan facts and its log of the
    sessions since following began); None when no program (or no known one) is followed.

    `checks` reads the self-check results, which the summary does not keep: only a program
    with a rule on a check needs them (then the history is read).
    """
    in_force = days.following(today.toordinal()) if days is not None else None
    if days is None or in_force is None:
        return None
    found = following_on(programs, in_force, days.plan_sessions(), days.mark_kinds(), today, checks)
    return found.state if found else None
