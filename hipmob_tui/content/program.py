"""Programs: routines in stages across weeks, with the rules that move a person on or back.

A program is read from YAML like a routine (`content/program_reader.py`) and judged against
the history by `history/plan.py`. The classes here are plain data with a JSON shape, and
import nothing heavy: `hipmob today` rebuilds them from the routine index on every prompt.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs `hipmob today` ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


class PainMedian:
    """Advance when the median pain before, over the last `last` scored sessions, is at most
    `at_most` (and there are at least `last` of them)."""

    __slots__ = ("last", "at_most")

    def __init__(self, last: int, at_most: int) -> None:
        self.last = last
        self.at_most = at_most

    def to_json(self) -> dict[str, int]:
        return {"median_of_last": self.last, "at_most": self.at_most}


class CheckGate:
    """Advance when the latest result of a self-check since the stage began is at least
    `at_least` (or at most `at_most`), on both sides for a check scored per side."""

    __slots__ = ("check_id", "at_least", "at_most", "sides", "name")

    def __init__(
        self,
        check_id: str,
        at_least: float | None,
        at_most: float | None,
        sides: Sequence[str | None] = (None,),
        name: str = "",
    ) -> None:
        self.check_id = check_id
        self.at_least = at_least
        self.at_most = at_most
        self.sides: tuple[str | None, ...] = tuple(sides)
        """("left", "right") for a check scored per side, else (None,): set once the
        catalog's checks are known."""
        self.name = name
        """The check's name, to say the rule in words (set with the sides)."""

    def holds(self, value: float) -> bool:
        """Whether `value` meets the bound."""
        if self.at_least is not None:
            return value >= self.at_least
        return self.at_most is not None and value <= self.at_most

    def to_json(self) -> dict[str, Any]:
        key = "at_least" if self.at_least is not None else "at_most"
        shape = {"id": self.check_id, key: getattr(self, key), "sides": list(self.sides)}
        return {**shape, "name": self.name}


class FlareDays:
    """Step back when at least `count` days marked flare fall within `within_days` days."""

    __slots__ = ("count", "within_days")

    def __init__(self, count: int, within_days: int) -> None:
        self.count = count
        self.within_days = within_days

    def to_json(self) -> dict[str, int]:
        return {"count": self.count, "within_days": self.within_days}


class HighPain:
    """Step back when at least `count` of the last `of_last` scored sessions had a pain
    before of `at_least` or more."""

    __slots__ = ("at_least", "count", "of_last")

    def __init__(self, at_least: int, count: int, of_last: int) -> None:
        self.at_least = at_least
        self.count = count
        self.of_last = of_last

    def to_json(self) -> dict[str, int]:
        return {"at_least": self.at_least, "count": self.count, "of_last": self.of_last}


class Advance:
    """What a stage asks before the next one: every condition given must hold."""

    __slots__ = ("sessions", "days", "pain_before", "check")

    def __init__(
        self,
        sessions: int | None = None,
        days: int | None = None,
        pain_before: PainMedian | None = None,
        check: CheckGate | None = None,
    ) -> None:
        self.sessions = sessions
        """Completed sessions of the stage's routines since the stage began."""
        self.days = days
        """Days in the stage, the day it began included."""
        self.pain_before = pain_before
        self.check = check

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.check is not None:
            out["check"] = self.check.to_json()
        if self.sessions is not None:
            out["sessions"] = self.sessions
        if self.days is not None:
            out["days"] = self.days
        if self.pain_before is not None:
            out["pain_before"] = self.pain_before.to_json()
        return out


class StepBack:
    """What sends a person back a stage: any one condition given is enough."""

    __slots__ = ("flare_days", "pain_before")

    def __init__(
        self, flare_days: FlareDays | None = None, pain_before: HighPain | None = None
    ) -> None:
        self.flare_days = flare_days
        self.pain_before = pain_before

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.flare_days is not None:
            out["flare_days"] = self.flare_days.to_json()
        if self.pain_before is not None:
            out["pain_before"] = self.pain_before.to_json()
        return out


class Stage:
    """One stage of a program: its routines, how often, and the rules that end it."""

    __slots__ = ("name", "about", "routines", "sessions_per_week", "advance", "step_back")

    def __init__(
        self,
        name: str,
        routines: Sequence[str],
        sessions_per_week: int,
        advance: Advance | None = None,
        step_back: StepBack | None = None,
        about: str = "",
    ) -> None:
        self.name = name
        self.about = about
        self.routines: tuple[str, ...] = tuple(routines)
        """Routine ids, the ones `today` chooses among."""
        self.sessions_per_week = sessions_per_week
        self.advance = advance
        """None on the last stage (unless the program continues with another)."""
        self.step_back = step_back
        """None on the first stage, and on any stage that never sends anyone back."""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "about": self.about,
            "routines": list(self.routines),
            "sessions_per_week": self.sessions_per_week,
            "advance": self.advance.to_json() if self.advance else None,
            "step_back": self.step_back.to_json() if self.step_back else None,
        }


class Program:
    """A plan across weeks: ordered stages, and optionally the program that follows it."""

    __slots__ = ("id", "name", "description", "stages", "then", "source", "origin")

    def __init__(
        self,
        id: str,
        name: str,
        description: str,
        stages: Sequence[Stage],
        then: str | None = None,
        source: str = "builtin",
        origin: str = "",
    ) -> None:
        self.id = id
        self.name = name
        self.description = description
        self.stages: tuple[Stage, ...] = tuple(stages)
        self.then = then
        """The program that starts when the last stage's rule to advance is met."""
        self.source = source
        """"builtin" for shipped programs, "user" for programs from the user's files."""
        self.origin = origin
        """The user file it was loaded from; empty for shipped content."""

    def to_json(self) -> dict[str, Any]:
        """The program object of the JSON interface."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "stages": [stage.to_json() for stage in self.stages],
            "then": self.then,
            "source": self.source,
        }

    @property
    def uses_checks(self) -> bool:
        """Whether a stage's rule reads self-check results (not kept in the per-day summary)."""
        return any(stage.advance is not None and stage.advance.check for stage in self.stages)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Program) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Program({self.id!r})"


def program_of_json(data: Any) -> Program:
    """A program from its JSON shape (the routine index's copy); ValueError when it is not one."""
    try:
        stages = [_stage_of_json(stage) for stage in data["stages"]]
        program = Program(
            _text(data["id"]),
            _text(data["name"]),
            _text(data["description"], empty=True),
            stages,
            None if data["then"] is None else _text(data["then"]),
            _text(data["source"]),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a program: {error}") from None
    if not stages:
        raise ValueError("not a program: no stages")
    return program


def _stage_of_json(data: Any) -> Stage:
    routines = data["routines"]
    if not isinstance(routines, list) or not routines:
        raise ValueError("not a stage")
    advance = data["advance"]
    step_back = data["step_back"]
    return Stage(
        _text(data["name"]),
        [_text(routine) for routine in routines],
        _number(data["sessions_per_week"]),
        None if advance is None else _advance_of_json(advance),
        None if step_back is None else _step_back_of_json(step_back),
        _text(data["about"], empty=True),
    )


def _advance_of_json(data: Any) -> Advance:
    pain = data.get("pain_before")
    check = data.get("check")
    return Advance(
        _optional_number(data.get("sessions")),
        _optional_number(data.get("days")),
        None
        if pain is None
        else PainMedian(_number(pain["median_of_last"]), _number(pain["at_most"])),
        None if check is None else _check_of_json(check),
    )


def _check_of_json(data: Any) -> CheckGate:
    sides = data["sides"]
    if not isinstance(sides, list) or not all(side in (None, "left", "right") for side in sides):
        raise ValueError("not a check gate")
    at_least, at_most = data.get("at_least"), data.get("at_most")
    if (at_least is None) == (at_most is None):
        raise ValueError("not a check gate")
    bound = at_least if at_least is not None else at_most
    if isinstance(bound, bool) or not isinstance(bound, int | float):
        raise ValueError("not a check gate")
    return CheckGate(_text(data["id"]), at_least, at_most, sides, _text(data["name"], empty=True))


def _step_back_of_json(data: Any) -> StepBack:
    flare = data.get("flare_days")
    pain = data.get("pain_before")
    return StepBack(
        None
        if flare is None
        else FlareDays(_number(flare["count"]), _number(flare["within_days"])),
        None
        if pain is None
        else HighPain(_number(pain["at_least"]), _number(pain["count"]), _number(pain["of_last"])),
    )


def _text(value: Any, *, empty: bool = False) -> str:
    if type(value) is not str or (not value and not empty):
        raise ValueError("not a text")
    return value


def _number(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError("not a whole number")
    return value


def _optional_number(value: Any) -> int | None:
    return None if value is None else _number(value)
