"""The content models: phases, dosages, exercises, routines and checks, with their JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hipmob_tui.quick_pickle import quick_pickle
from hipmob_tui.settings import PauseOverrides

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.content.problems import Problem
    from hipmob_tui.content.program import Program


class Phase(StrEnum):
    """The three phases of the RESET, RESTORE, REBUILD model, in session order."""

    RESET = "reset"
    RESTORE = "restore"
    REBUILD = "rebuild"

    @property
    def title(self) -> str:  # type: ignore[override]
        """The phase as shown to people: RESET, RESTORE, REBUILD."""
        return self.value.upper()

    @property
    def order(self) -> int:
        """Position of the phase in a session (0 for RESET)."""
        return list(Phase).index(self)


class AmountKind(StrEnum):
    """What one set of an exercise is measured in."""

    REPS = "reps"
    HOLD = "hold_seconds"
    DURATION = "duration_seconds"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Span:
    """An inclusive range of whole numbers; a single number n is the span n..n."""

    low: int
    high: int

    def to_json(self) -> list[int]:
        """The `[min, max]` form the JSON interface promises."""
        return [self.low, self.high]

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Dosage:
    """How much of an exercise to do: sets, and reps or seconds per set."""

    sets: Span
    """How many sets."""
    kind: AmountKind
    """Whether a set is counted in reps, a held position, or a duration of movement."""
    amount: Span
    """Reps or seconds per set (per side when `per_side`)."""
    per_side: bool
    """Whether each set is done once on each side."""
    tempo_seconds: int | None = None
    """Seconds one rep takes when the app paces the reps; None means the user confirms."""

    def to_json(self) -> dict[str, Any]:
        """The dosage object of the JSON interface."""
        out: dict[str, Any] = {
            "sets": self.sets.to_json(),
            self.kind.value: self.amount.to_json(),
            "per_side": self.per_side,
        }
        if self.tempo_seconds is not None:
            out["tempo_seconds"] = self.tempo_seconds
        return out

    def describe(self) -> str:
        """The dosage in plain words, e.g. "2–3 sets · hold 20–30 s · each side"."""
        sets = f"{self.sets} set" + ("" if self.sets.high == 1 else "s")
        if self.kind is AmountKind.REPS:
            amount = f"{self.amount} rep" + ("" if self.amount.high == 1 else "s")
        elif self.kind is AmountKind.HOLD:
            amount = f"hold {_seconds(self.amount)}"
        else:
            amount = _seconds(self.amount)
        parts = [sets, amount]
        if self.per_side:
            parts.append("each side")
        return " · ".join(parts)


def _seconds(span: Span) -> str:
    """A span of seconds in the unit a person would say: 20–30 s, 1–2 min."""
    if span.low % 60 == 0 and span.high % 60 == 0:
        return f"{Span(span.low // 60, span.high // 60)} min"
    return f"{span} s"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise of the library."""

    id: str
    name: str
    phase: Phase
    purpose: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    equipment: tuple[str, ...]
    targets: tuple[str, ...]
    dosage: Dosage
    source: str
    """"article" when from the source article, "added" when the project or a user added it."""
    origin: str = field(default="", compare=False)
    """The user file it was loaded from; empty for shipped content."""

    def to_json(self) -> dict[str, Any]:
        """The exercise object of the JSON interface."""
        return {
            "id": self.id,
            "name": self.name,
            "phase": self.phase.value,
            "purpose": self.purpose,
            "steps": list(self.steps),
            "cues": list(self.cues),
            "equipment": list(self.equipment),
            "targets": list(self.targets),
            "dosage": self.dosage.to_json(),
            "source": self.source,
        }


@quick_pickle
@dataclass(frozen=True, slots=True)
class RoutineItem:
    """One exercise in a routine, with the dosage the routine asks for."""

    exercise_id: str
    phase: Phase
    dosage: Dosage
    pauses: PauseOverrides = ()
    """Pauses this item sets for itself (the rest before it, its get-ready, switches, rests)."""

    def to_json(self) -> dict[str, Any]:
        """The routine item object of the JSON interface."""
        out: dict[str, Any] = {
            "exercise_id": self.exercise_id,
            "phase": self.phase.value,
            "dosage": self.dosage.to_json(),
        }
        if self.pauses:
            out["pauses"] = dict(self.pauses)
        return out


@quick_pickle
@dataclass(frozen=True, slots=True)
class Routine:
    """An ordered list of exercises to do in one session."""

    id: str
    name: str
    description: str
    items: tuple[RoutineItem, ...]
    source: str
    """"builtin" for shipped routines, "user" for routines from the user's files."""
    estimated_seconds: int
    """Computed from the items and the default pauses, never written by hand."""
    origin: str = field(default="", compare=False)
    """The user file it was loaded from; empty for shipped content."""
    overrides_builtin: bool = field(default=False, compare=False)
    """True when a user file replaced the shipped routine of the same id."""
    pauses: PauseOverrides = ()
    """Pauses the routine sets for all its items (an item's own win)."""
    checks_before: tuple[str, ...] = ()
    """Ids of the checks asked for just before the first exercise."""
    checks_after: tuple[str, ...] = ()
    """Ids of the checks asked for after the last exercise, before the summary."""

    @property
    def reset_only(self) -> bool:
        """Every exercise of it is in the RESET phase: the gentlest kind of routine."""
        return all(item.phase is Phase.RESET for item in self.items)

    @property
    def phases(self) -> tuple[Phase, ...]:
        """The phases of the routine, in order of first appearance."""
        seen: list[Phase] = []
        for item in self.items:
            if item.phase not in seen:
                seen.append(item.phase)
        return tuple(seen)

    def to_json(self) -> dict[str, Any]:
        """The routine object of the JSON interface."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "estimated_seconds": self.estimated_seconds,
            "phases": [phase.value for phase in self.phases],
            "items": [item.to_json() for item in self.items],
            "source": self.source,
            **({"pauses": dict(self.pauses)} if self.pauses else {}),
            "checks_before": list(self.checks_before),
            "checks_after": list(self.checks_after),
        }


BETTER = ("higher", "lower")
"""Which way a check's score improves."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Check:
    """A short, camera-free self-test: what to do, what to score, and on what scale."""

    id: str
    name: str
    instructions: tuple[str, ...]
    score: str
    """What the number measures, in a line: what 0 and the top of the scale mean."""
    scale: Span
    """The whole numbers a result may lie between (decimals in between are fine)."""
    unit: str
    """What the number counts, e.g. "ease" or "cm"."""
    better: str
    """"higher" or "lower": which way the score improves."""
    per_side: bool
    """Whether it is scored once for the left side and once for the right."""
    source: str
    """"article" when from the source article, "added" when the project or a user added it."""
    origin: str = field(default="", compare=False)
    """The user file it was loaded from; empty for shipped content."""

    def to_json(self) -> dict[str, Any]:
        """The check object of the JSON interface."""
        return {
            "id": self.id,
            "name": self.name,
            "instructions": list(self.instructions),
            "score": self.score,
            "scale": {"min": self.scale.low, "max": self.scale.high, "unit": self.unit},
            "better": self.better,
            "per_side": self.per_side,
            "source": self.source,
        }

    def describe_scale(self) -> str:
        """The scale in words, e.g. "0–10 ease, higher is better, each side"."""
        parts = [f"{self.scale.low}–{self.scale.high} {self.unit}", f"{self.better} is better"]
        if self.per_side:
            parts.append("each side")
        return ", ".join(parts)


def format_duration(seconds: int) -> str:
    """A duration as a person reads it: "45 s", "7 min", "1 h 05 min"."""
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Catalog:
    """Every usable exercise and routine, and every problem found while loading them."""

    exercises: dict[str, Exercise]
    routines: dict[str, Routine]
    problems: tuple[Problem, ...] = ()
    checks: dict[str, Check] = field(default_factory=dict)
    """Every usable self-check, in the order the files define them."""
    programs: dict[str, Program] = field(default_factory=dict)

    def exercises_in(self, phase: Phase) -> list[Exercise]:
        """The exercises of one phase, in library order."""
        return [exercise for exercise in self.exercises.values() if exercise.phase is phase]
