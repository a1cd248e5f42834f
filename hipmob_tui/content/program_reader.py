"""Programs from YAML: the `programs:` list of a routine file, read by the strict reader.

A program is read in two steps, like a routine: its own shape first, as the file is read;
then, once every file is read, its routine ids and the program it continues with (`then`)
are checked against the whole catalog.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field

from hipmob_tui.content.models import Check
from hipmob_tui.content.program import (
    Advance,
    CheckGate,
    FlareDays,
    HighPain,
    PainMedian,
    Program,
    Stage,
    StepBack,
)
from hipmob_tui.content.schema import Reader
from hipmob_tui.content.yamltree import Mapping, Mark, Node
from hipmob_tui.errors import closest

_PROGRAM_KEYS = ("id", "name", "stages")
_PROGRAM_OPTIONAL = ("description", "then")
_STAGE_KEYS = ("name", "routines", "sessions_per_week")
_STAGE_OPTIONAL = ("about", "advance", "step_back")
MAX_PAIN = 10


@dataclass(slots=True)
class RoutineRef:
    """A routine id named by a stage, and where it is written."""

    id: str
    mark: Mark
    field: str


@dataclass(slots=True)
class ProgramDraft:
    """A program as read from one file, waiting for every file to be read."""

    program: Program | None
    """None when the program itself has problems (its routine ids are still checked)."""
    id: str
    mark: Mark
    """Where the program's id is written."""
    routines: list[RoutineRef]
    then: RoutineRef | None
    reader: Reader
    checks: list[tuple[RoutineRef, CheckGate, Mark]] = field(default_factory=list)
    """Each check a rule names, its gate (whose sides are set once checks are known), and
    where its bound is written."""


def read_program(reader: Reader, node: Node, where: str) -> ProgramDraft | None:
    """One item of `programs:`; None when it is not even a mapping."""
    before = len(reader.problems)
    values = reader.mapping(node, where, _PROGRAM_KEYS, _PROGRAM_OPTIONAL)
    if values is None:
        return None
    identifier = reader.identifier(values["id"], f"{where}.id") if "id" in values else None
    name = reader.text(values["name"], f"{where}.name") if "name" in values else None
    description = (
        reader.text(values["description"], f"{where}.description")
        if "description" in values
        else ""
    )
    then = None
    if "then" in values:
        then_id = reader.identifier(values["then"], f"{where}.then")
        if then_id is not None:
            then = RoutineRef(then_id, values["then"].mark, f"{where}.then")
    refs: list[RoutineRef] = []
    check_refs: list[tuple[RoutineRef, CheckGate, Mark]] = []
    stages: list[Stage | None] = []
    stage_nodes = (
        reader.sequence(values["stages"], f"{where}.stages") if "stages" in values else None
    )
    if stage_nodes is not None and not stage_nodes:
        reader.problem(values["stages"].mark, f"{where}.stages", "is empty; add at least one stage")
    count = len(stage_nodes or [])
    for number, stage_node in enumerate(stage_nodes or [], start=1):
        stages.append(
            _read_stage(
                reader,
                stage_node,
                f"{where}.stages[{number}]",
                (number, count),
                then,
                (refs, check_refs),
            )
        )
    mark = values["id"].mark if "id" in values else node.mark
    valid = len(reader.problems) == before and identifier and name is not None
    program = None
    if valid and all(stage is not None for stage in stages):
        program = Program(
            identifier or "",
            name or "",
            description or "",
            [stage for stage in stages if stage is not None],
            then.id if then else None,
        )
    return ProgramDraft(program, identifier or "", mark, refs, then, reader, check_refs)


def _read_stage(
    reader: Reader,
    node: Node,
    where: str,
    position: tuple[int, int],
    then: RoutineRef | None,
    found: tuple[list[RoutineRef], list[tuple[RoutineRef, CheckGate, Mark]]],
) -> Stage | None:
    """One stage; `position` is its number and the count of stages, `found` where the
    routine and check ids it names are collected."""
    number, count = position
    refs, check_refs = found
    before = len(reader.problems)
    values = reader.mapping(node, where, _STAGE_KEYS, _STAGE_OPTIONAL)
    if values is None:
        return None
    name = reader.text(values["name"], f"{where}.name") if "name" in values else None
    about = reader.text(values["about"], f"{where}.about") if "about" in values else ""
    routine_ids: list[str] = []
    if "routines" in values:
        items = reader.sequence(values["routines"], f"{where}.routines")
        if items is not None and not items:
            reader.problem(
                values["routines"].mark, f"{where}.routines", "is empty; name at least one routine"
            )
        for index, item in enumerate(items or [], start=1):
            field = f"{where}.routines[{index}]"
            routine_id = reader.identifier(item, field)
            if routine_id is None:
                continue
            if routine_id in routine_ids:
                reader.problem(item.mark, field, f"{routine_id!r} is named twice; keep only one")
                continue
            routine_ids.append(routine_id)
            refs.append(RoutineRef(routine_id, item.mark, field))
    per_week = (
        _number(reader, values["sessions_per_week"], f"{where}.sessions_per_week", 1, 7)
        if "sessions_per_week" in values
        else None
    )
    advance = None
    if "advance" in values:
        advance = _read_advance(reader, values["advance"], f"{where}.advance", check_refs)
        if number == count and then is None:
            reader.problem(
                _key_mark(node, "advance"),
                f"{where}.advance",
                "the last stage has no stage to advance to; remove 'advance', or continue "
                "with another program ('then: PROGRAM_ID')",
            )
    elif number < count or then is not None:
        reader.problem(
            node.mark,
            where,
            "has no 'advance' rule, so it would never end; add one (e.g. 'sessions: 6')",
        )
    step_back = None
    if "step_back" in values:
        step_back = _read_step_back(reader, values["step_back"], f"{where}.step_back")
        if number == 1:
            reader.problem(
                _key_mark(node, "step_back"),
                f"{where}.step_back",
                "the first stage has no stage to step back to; remove 'step_back'",
            )
    if len(reader.problems) > before or name is None or per_week is None:
        return None
    return Stage(name, routine_ids, per_week, advance, step_back, about or "")


def _read_advance(
    reader: Reader,
    node: Node,
    where: str,
    check_refs: list[tuple[RoutineRef, CheckGate, Mark]],
) -> Advance | None:
    values = reader.mapping(node, where, (), ("sessions", "days", "pain_before", "check"))
    if values is None:
        return None
    if not values and isinstance(node, Mapping) and not node.pairs:
        reader.problem(
            node.mark, where, "is empty; give at least one of sessions, days, pain_before, check"
        )
        return None
    gate = None
    if "check" in values:
        gate = _read_check_gate(reader, values["check"], f"{where}.check", check_refs)
    sessions = _optional(reader, values, "sessions", where, 1, 1000)
    days = _optional(reader, values, "days", where, 1, 3660)
    pain = None
    if "pain_before" in values:
        field = f"{where}.pain_before"
        pain_values = reader.mapping(values["pain_before"], field, ("median_of_last", "at_most"))
        if pain_values is not None:
            last = _optional(reader, pain_values, "median_of_last", field, 1, 100)
            at_most = _optional(reader, pain_values, "at_most", field, 0, MAX_PAIN)
            if last is not None and at_most is not None:
                pain = PainMedian(last, at_most)
    return Advance(sessions, days, pain, gate)


def _read_check_gate(
    reader: Reader,
    node: Node,
    field: str,
    check_refs: list[tuple[RoutineRef, CheckGate, Mark]],
) -> CheckGate | None:
    """`check: {id: ..., at_least: N}` (or `at_most`): a self-check's latest result."""
    values = reader.mapping(node, field, ("id",), ("at_least", "at_most"))
    if values is None:
        return None
    bounds = [key for key in ("at_least", "at_most") if key in values]
    if len(bounds) != 1:
        said = "both at_least and at_most given; keep one" if bounds else "no bound; add one"
        reader.problem(
            node.mark,
            field,
            f"{said} (at_least when higher is better, at_most when lower is)",
        )
        return None
    check_id = reader.identifier(values["id"], f"{field}.id") if "id" in values else None
    bound = reader.integer(values[bounds[0]], f"{field}.{bounds[0]}", minimum=0)
    if check_id is None or bound is None:
        return None
    at_least = bound if bounds[0] == "at_least" else None
    gate = CheckGate(check_id, at_least, bound if at_least is None else None)
    ref = RoutineRef(check_id, values["id"].mark, f"{field}.id")
    check_refs.append((ref, gate, values[bounds[0]].mark))
    return gate


def _read_step_back(reader: Reader, node: Node, where: str) -> StepBack | None:
    values = reader.mapping(node, where, (), ("flare_days", "pain_before"))
    if values is None:
        return None
    if not values and isinstance(node, Mapping) and not node.pairs:
        reader.problem(node.mark, where, "is empty; give flare_days, pain_before or both")
        return None
    flare = None
    if "flare_days" in values:
        field = f"{where}.flare_days"
        flare_values = reader.mapping(values["flare_days"], field, ("count", "within_days"))
        if flare_values is not None:
            count = _optional(reader, flare_values, "count", field, 1, 366)
            within = _optional(reader, flare_values, "within_days", field, 1, 366)
            if count is not None and within is not None:
                if count > within:
                    reader.problem(
                        values["flare_days"].mark,
                        field,
                        f"{count} flare days cannot fall within {within} days; "
                        f"make count at most {within}",
                    )
                else:
                    flare = FlareDays(count, within)
    pain = None
    if "pain_before" in values:
        field = f"{where}.pain_before"
        pain_values = reader.mapping(values["pain_before"], field, ("at_least", "count", "of_last"))
        if pain_values is not None:
            at_least = _optional(reader, pain_values, "at_least", field, 0, MAX_PAIN)
            count = _optional(reader, pain_values, "count", field, 1, 100)
            of_last = _optional(reader, pain_values, "of_last", field, 1, 100)
            if at_least is not None and count is not None and of_last is not None:
                if count > of_last:
                    reader.problem(
                        values["pain_before"].mark,
                        field,
                        f"count {count} is more than of_last {of_last}; make count at most "
                        f"{of_last}",
                    )
                else:
                    pain = HighPain(at_least, count, of_last)
    return StepBack(flare, pain)


def _optional(
    reader: Reader, values: dict[str, Node], key: str, where: str, low: int, high: int
) -> int | None:
    return _number(reader, values[key], f"{where}.{key}", low, high) if key in values else None


def _number(reader: Reader, node: Node, field: str, low: int, high: int) -> int | None:
    """A whole number from `low` to `high`."""
    value = reader.integer(node, field, minimum=low)
    if value is not None and value > high:
        reader.problem(
            node.mark, field, f"must be at most {high}, got {value}; write {high} or less"
        )
        return None
    return value


def _key_mark(node: Node, key: str) -> Mark:
    """Where `key` is written in a mapping node."""
    if isinstance(node, Mapping) and key in node.pairs:
        return node.pairs[key][0].mark
    return node.mark


def resolve_programs(
    drafts: list[tuple[ProgramDraft, str, str, bool]],
    routines: MappingOf[str, object],
    invalid_routines: dict[str, str],
    checks: tuple[MappingOf[str, Check], MappingOf[str, str]] = ({}, {}),
) -> dict[str, Program]:
    """The usable programs once every routine is known; problems go to each draft's reader.

    `drafts`: (draft, source, origin, taken) in load order, `taken` when its id was claimed
    (a duplicate in one layer is not). `invalid_routines`: id -> FILE:LINE of routines
    defined with problems. `checks`: the usable self-checks, and id -> FILE:LINE of those
    defined with problems. A program naming an unknown or invalid routine or check is
    unusable, and so is one whose `then` names an unknown program or closes a circle.
    """
    ready: dict[str, tuple[ProgramDraft, Program]] = {}
    declared = {draft.id for draft, *_rest in drafts if draft.id}
    for draft, source, origin, taken in drafts:
        reader = draft.reader
        before = len(reader.problems)
        if draft.program is None and draft.then is not None and draft.then.id not in declared:
            # Checked below for usable programs; said here too so every problem is listed.
            close = closest(draft.then.id, declared - {draft.id})
            hint = f"did you mean {close!r}?" if close else "name a program defined in a file"
            reader.problem(
                draft.then.mark, draft.then.field, f"unknown program {draft.then.id!r}; {hint}"
            )
        for ref in draft.routines:
            if ref.id not in routines:
                reference = ("routine", ref.id, "program")
                defined_at = invalid_routines.get(ref.id)
                reader.bad_reference(ref.mark, ref.field, reference, defined_at, routines)
        for ref, gate, bound_mark in draft.checks:
            _resolve_check(reader, ref, gate, bound_mark, checks)
        if len(reader.problems) == before and draft.program is not None and taken:
            draft.program.source = source
            draft.program.origin = origin
            ready[draft.id] = (draft, draft.program)
    # A `then` naming a program dropped for its own problems drops this one too: repeat
    # until every remaining program leads somewhere real.
    dropped: set[str] = set()
    while True:
        bad = {
            identifier: problem
            for identifier, (_draft, program) in ready.items()
            if (problem := _then_problem(program, ready, dropped)) is not None
        }
        if not bad:
            break
        for identifier, problem in bad.items():
            draft = ready.pop(identifier)[0]
            assert draft.then is not None  # only a program with `then` has such a problem
            draft.reader.problem(draft.then.mark, draft.then.field, problem)
            dropped.add(identifier)
    return {identifier: program for identifier, (_draft, program) in ready.items()}


def _resolve_check(
    reader: Reader,
    ref: RoutineRef,
    gate: CheckGate,
    bound_mark: Mark,
    checks: tuple[MappingOf[str, Check], MappingOf[str, str]],
) -> None:
    """Check a rule's self-check id and bound against the checks defined, and set the
    sides the rule reads (both, for a check scored per side)."""
    known, broken = checks
    check = known.get(ref.id)
    if check is None:
        reference = ("check", ref.id, "program")
        reader.bad_reference(ref.mark, ref.field, reference, broken.get(ref.id), known)
        return
    bound = gate.at_least if gate.at_least is not None else gate.at_most
    assert bound is not None
    if not check.scale.low <= bound <= check.scale.high:
        field = ref.field.removesuffix(".id") + (
            ".at_least" if gate.at_least is not None else ".at_most"
        )
        reader.problem(
            bound_mark,
            field,
            f"{bound:g} is outside {check.name}'s scale ({check.scale.low} to "
            f"{check.scale.high} {check.unit}); write a number in it",
        )
        return
    gate.sides = ("left", "right") if check.per_side else (None,)
    gate.name = check.name


def _then_problem(
    program: Program, ready: dict[str, tuple[ProgramDraft, Program]], dropped: set[str]
) -> str | None:
    """What is wrong with where `program` continues; None when nothing is (yet)."""
    if program.then is None:
        return None
    if program.then in dropped:
        return (
            f"program {program.then!r} is not usable (see its problems); fix it to continue with it"
        )
    if program.then not in ready:
        close = closest(program.then, [key for key in ready if key != program.id])
        hint = f"did you mean {close!r}?" if close else "name a program defined in a file"
        return f"unknown program {program.then!r}; {hint}"
    chain = [program.id]
    current: Program | None = program
    while current is not None and current.then is not None and current.then in ready:
        if current.then in chain:
            circle = " → ".join([*chain[chain.index(current.then) :], current.then])
            return f"programs continue in a circle ({circle}); end one of them"
        chain.append(current.then)
        current = ready[current.then][1]
    return None
