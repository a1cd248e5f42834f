"""Default pauses between steps, and the planned length of a routine that follows from them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from hipmob_tui.content.models import AmountKind, Dosage
from hipmob_tui.settings import PauseOverrides


@dataclass(frozen=True, slots=True)
class Pauses:
    """The seconds the app inserts around work; settings and routines may change them later."""

    get_ready: int = 5
    """Countdown before each exercise."""
    side_switch: int = 5
    """Pause to change sides."""
    between_sets: int = 15
    """Rest between two sets of one exercise."""
    between_exercises: int = 20
    """Rest between two exercises: added to the next one's get-ready, one pause in all."""
    seconds_per_rep: int = 5
    """Planning figure for reps the user confirms, which have no tempo."""

    def overridden(self, *overrides: PauseOverrides) -> Pauses:
        """These pauses with each set of overrides applied in turn (later ones win)."""
        result = self
        for pairs in overrides:
            if pairs:
                result = replace(result, **dict(pairs))
        return result


DEFAULT_PAUSES = Pauses()


def set_seconds(dosage: Dosage, pauses: Pauses = DEFAULT_PAUSES) -> int:
    """Planned seconds of one set on one side: ranges play at their lower bound."""
    if dosage.kind is AmountKind.REPS:
        return dosage.amount.low * (dosage.tempo_seconds or pauses.seconds_per_rep)
    return dosage.amount.low


def exercise_seconds(dosage: Dosage, pauses: Pauses = DEFAULT_PAUSES) -> int:
    """Planned seconds of one exercise: get-ready, every set and side, and the pauses between."""
    sides = 2 if dosage.per_side else 1
    sets = dosage.sets.low
    work = sets * sides * set_seconds(dosage, pauses)
    switches = sets * (sides - 1) * pauses.side_switch
    rests = (sets - 1) * pauses.between_sets
    return pauses.get_ready + work + switches + rests


def estimate_seconds(dosages: Iterable[Dosage], pauses: Pauses = DEFAULT_PAUSES) -> int:
    """Planned seconds of a whole routine, rests between exercises included."""
    return planned_seconds([(dosage, pauses) for dosage in dosages])


def planned_seconds(plan: Sequence[tuple[Dosage, Pauses]]) -> int:
    """Planned seconds of exercises each with its own pauses (the rest before each but the
    first is that exercise's)."""
    total = sum(exercise_seconds(dosage, pauses) for dosage, pauses in plan)
    return total + sum(pauses.between_exercises for _, pauses in plan[1:])
