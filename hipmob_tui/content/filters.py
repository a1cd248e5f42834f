"""Finding exercises and routines: the Library's filters as pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from hipmob_tui.content.models import Exercise, Phase, Routine, RoutineItem
from hipmob_tui.content.pacing import estimate_seconds

T = TypeVar("T")

NO_EQUIPMENT = "no equipment"
"""The equipment filter value for exercises that need nothing."""


@dataclass(frozen=True, slots=True)
class LibraryFilter:
    """What the Library shows: words to match, and an optional phase and equipment."""

    text: str = ""
    phase: Phase | None = None
    equipment: str | None = None

    def matches(self, exercise: Exercise) -> bool:
        """True when the exercise passes every part of the filter."""
        if self.phase is not None and exercise.phase is not self.phase:
            return False
        if self.equipment == NO_EQUIPMENT and exercise.equipment:
            return False
        if self.equipment not in (None, NO_EQUIPMENT) and self.equipment not in exercise.equipment:
            return False
        haystack = " ".join(
            (exercise.name, exercise.id, *exercise.targets, *exercise.equipment)
        ).casefold()
        return all(word in haystack for word in self.text.casefold().split())

    def matches_routine(self, routine: Routine, exercises: dict[str, Exercise]) -> bool:
        """True when the routine has the phase, and the words match it or one of its exercises."""
        if self.phase is not None and self.phase not in routine.phases:
            return False
        members = [exercises[item.exercise_id] for item in routine.items]
        # "No equipment": every exercise can be done with nothing; an item: one uses it.
        if self.equipment == NO_EQUIPMENT and any(e.equipment for e in members):
            return False
        if self.equipment not in (None, NO_EQUIPMENT) and not any(
            self.equipment in e.equipment for e in members
        ):
            return False
        haystack = " ".join(
            (routine.name, routine.id, routine.description, *(e.name for e in members))
        ).casefold()
        return all(word in haystack for word in self.text.casefold().split())

    def describe(self) -> str:
        """The active filters in a few words, for a status line."""
        phase = self.phase.title if self.phase else "all phases"
        equipment = self.equipment or "any gear"
        return f"{phase} · {equipment}"


FILTER_MAX_LENGTH = 60
"""Longer filter text matches nothing useful and would only overflow its line."""


def equipment_choices(exercises: Iterable[Exercise]) -> list[str | None]:
    """The equipment filter's values in cycling order: any, none needed, then each item."""
    found = sorted({item for exercise in exercises for item in exercise.equipment})
    return [None, NO_EQUIPMENT, *found]


def next_choice(choices: list[T], current: T) -> T:
    """The value after `current`, wrapping round."""
    index = choices.index(current) if current in choices else -1
    return choices[(index + 1) % len(choices)]


EXERCISE_ROUTINE_PREFIX = "exercise:"
"""Routine ids of single exercises started from the Library: never a YAML routine's id."""


def exercise_routine(exercise: Exercise) -> Routine:
    """One exercise as a routine of its own, to run it from the Library."""
    return Routine(
        id=EXERCISE_ROUTINE_PREFIX + exercise.id,
        name=exercise.name,
        description=exercise.purpose,
        items=(RoutineItem(exercise.id, exercise.phase, exercise.dosage),),
        source=exercise.source,
        estimated_seconds=estimate_seconds([exercise.dosage]),
    )


def routine_by_id(
    routine_id: str, routines: dict[str, Routine], exercises: dict[str, Exercise]
) -> Routine | None:
    """A routine, or a single exercise run as one, by the id its sessions are stored under."""
    if routine_id.startswith(EXERCISE_ROUTINE_PREFIX):
        exercise = exercises.get(routine_id.removeprefix(EXERCISE_ROUTINE_PREFIX))
        return exercise_routine(exercise) if exercise is not None else None
    return routines.get(routine_id)
