"""A routine laid out as the steps a person follows: get ready, work per set and side, rest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from hipmob_tui.content.models import AmountKind, Exercise, Routine, RoutineItem
from hipmob_tui.content.pacing import DEFAULT_PAUSES, Pauses


class StepKind(StrEnum):
    """What the person does during a step."""

    GET_READY = "get_ready"
    """Countdown to get into position for an exercise; after another exercise it is also
    the rest between the two, so the person gets one pause, not two in a row."""
    WORK = "work"
    """One set of an exercise, on one side when it is done per side."""
    SWITCH = "switch"
    """Change sides between the two halves of a set."""
    REST = "rest"
    """Rest between two sets of one exercise."""

    @property
    def label(self) -> str:
        """The word the runner shows in big letters."""
        return _LABELS[self]


_LABELS = {
    StepKind.GET_READY: "GET READY",
    StepKind.WORK: "WORK",
    StepKind.SWITCH: "SWITCH SIDES",
    StepKind.REST: "REST",
}


class Pacing(StrEnum):
    """How a work step ends."""

    TIMED = "timed"
    """A hold or a duration: the clock ends it."""
    PACED_REPS = "paced_reps"
    """Reps with a tempo: the app counts them and ends the step."""
    CONFIRMED_REPS = "confirmed_reps"
    """Reps without a tempo: the person says when they are done."""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a session."""

    kind: StepKind
    item_index: int
    """Which routine item the step belongs to (the pause before an exercise belongs to it)."""
    exercise: Exercise
    """The exercise of that item."""
    set_number: int
    """1-based set of the exercise; for a rest between sets, the set about to start."""
    sets: int
    side: str | None
    """"left" or "right" for work done per side, else None."""
    seconds: int
    """Planned length; for confirmed reps, the planning estimate only."""
    pacing: Pacing = Pacing.TIMED
    reps: int | None = None
    tempo_seconds: int | None = None

    @property
    def is_work(self) -> bool:
        """Whether this step is part of the exercise itself (not a pause around it)."""
        return self.kind is StepKind.WORK

    @property
    def waits_for_done(self) -> bool:
        """Whether only the person can end the step (reps they count themselves)."""
        return self.pacing is Pacing.CONFIRMED_REPS

    @property
    def adjustable(self) -> bool:
        """Whether +/- time applies: every step whose length is a plain time."""
        return self.pacing is Pacing.TIMED

    def describe(self) -> str:
        """The step in a few words, for "next:" lines."""
        if self.kind is not StepKind.WORK:
            return self.kind.label.capitalize()
        parts = [self.exercise.name]
        if self.sets > 1:
            parts.append(f"set {self.set_number}/{self.sets}")
        if self.side:
            parts.append(self.side)
        if self.reps is not None:
            parts.append(f"{self.reps} reps")
        else:
            parts.append(f"{self.seconds} s")
        return " · ".join(parts)


SIDES = ("left", "right")


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every step of a routine, in order."""

    routine: Routine
    steps: tuple[Step, ...]

    @property
    def planned_seconds(self) -> int:
        """The sum of the steps' planned lengths: the routine's estimate."""
        return sum(step.seconds for step in self.steps)

    @property
    def fingerprint(self) -> str:
        """Identifies the steps: a saved session resumes only into the same steps."""
        import hashlib

        text = "|".join(
            f"{s.kind}:{s.exercise.id}:{s.set_number}:{s.side}:{s.seconds}:{s.reps}"
            for s in self.steps
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def build_timeline(
    routine: Routine, exercises: Mapping[str, Exercise], pauses: Pauses = DEFAULT_PAUSES
) -> Timeline:
    """The steps of `routine`; ranges play at their lower bound, as the estimate assumes.

    Between two exercises the rest and the get-ready are one pause, as long as both: the
    person rests while reading what comes next, and each setting still adds its seconds.
    """
    steps: list[Step] = []
    for index, item in enumerate(routine.items):
        exercise = exercises[item.exercise_id]
        own = item_pauses(routine, item, pauses)
        before = own.get_ready + (own.between_exercises if index > 0 else 0)
        steps.append(_pause(StepKind.GET_READY, index, exercise, 1, item, before))
        steps.extend(_work_and_rests(index, item, exercise, own))
    return Timeline(routine, tuple(step for step in steps if step.seconds > 0 or step.is_work))


def item_pauses(routine: Routine, item: RoutineItem, defaults: Pauses) -> Pauses:
    """The pauses around one item: the defaults, then the routine's, then the item's own."""
    return defaults.overridden(routine.pauses, item.pauses)


def _pause(
    kind: StepKind, index: int, exercise: Exercise, set_number: int, item: RoutineItem, seconds: int
) -> Step:
    return Step(kind, index, exercise, set_number, item.dosage.sets.low, None, seconds)


def _work_and_rests(
    index: int, item: RoutineItem, exercise: Exercise, pauses: Pauses
) -> list[Step]:
    dosage = item.dosage
    sets = dosage.sets.low
    sides: tuple[str | None, ...] = SIDES if dosage.per_side else (None,)
    if dosage.kind is AmountKind.REPS:
        reps: int | None = dosage.amount.low
        tempo = dosage.tempo_seconds
        pacing = Pacing.PACED_REPS if tempo else Pacing.CONFIRMED_REPS
        seconds = dosage.amount.low * (tempo or pauses.seconds_per_rep)
    else:
        reps, tempo, pacing, seconds = None, None, Pacing.TIMED, dosage.amount.low
    steps: list[Step] = []
    for set_number in range(1, sets + 1):
        if set_number > 1:
            steps.append(
                _pause(StepKind.REST, index, exercise, set_number, item, pauses.between_sets)
            )
        for side_number, side in enumerate(sides):
            if side_number > 0:
                steps.append(
                    Step(
                        StepKind.SWITCH, index, exercise, set_number, sets, side, pauses.side_switch
                    )
                )
            steps.append(
                Step(
                    StepKind.WORK,
                    index,
                    exercise,
                    set_number,
                    sets,
                    side,
                    seconds,
                    pacing,
                    reps,
                    tempo,
                )
            )
    return steps
