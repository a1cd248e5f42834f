"""Exercises, routines and checks from YAML files: shipped content, the user's, and any
`--routines DIR`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from hipmob_tui.content import pacing, yamltree
from hipmob_tui.content.models import (
    BETTER,
    AmountKind,
    Catalog,
    Check,
    Dosage,
    Exercise,
    Phase,
    Routine,
    RoutineItem,
    Span,
)
from hipmob_tui.content.problems import Problem
from hipmob_tui.content.program_reader import ProgramDraft, read_program, resolve_programs
from hipmob_tui.content.schema import Reader, shorten
from hipmob_tui.content.yamltree import Mapping, Mark, Node, Scalar
from hipmob_tui.errors import closest
from hipmob_tui.paths import routine_files
from hipmob_tui.settings import PAUSE_KEYS, PauseOverrides

__all__ = ["Catalog", "FileContent", "load_catalog", "read_file", "routine_files"]

_EXERCISE_KEYS = (
    "id",
    "name",
    "phase",
    "purpose",
    "steps",
    "cues",
    "equipment",
    "targets",
    "dosage",
)
_AMOUNT_KEYS = tuple(kind.value for kind in AmountKind)
_DOSAGE_KEYS = ("sets", *_AMOUNT_KEYS, "per_side", "tempo_seconds")
_SOURCES = ("article", "added")
_CHECK_KEYS = ("id", "name", "instructions", "score", "scale", "better")
_SCALE_KEYS = ("min", "max", "unit")
_ANY_DOSAGE = Dosage(sets=Span(1, 1), kind=AmountKind.REPS, amount=Span(1, 1), per_side=False)
"""Stands in for an unknown exercise's dosage, to check an override of it on its own."""


@dataclass(slots=True)
class _ItemDraft:
    """A routine item before its exercise id is resolved against the whole catalog."""

    exercise_id: str
    mark: Mark
    field: str
    override: Node | None
    pauses: PauseOverrides = ()


@dataclass(slots=True)
class _CheckRef:
    """A check a routine names, before it is resolved against the whole catalog."""

    check_id: str
    mark: Mark
    field: str


@dataclass(slots=True)
class _RoutineDraft:
    """A routine as read from one file, waiting for every file to be read."""

    id: str
    name: str
    description: str
    items: list[_ItemDraft]
    reader: Reader
    mark: Mark
    """Where the routine's id is written."""
    pauses: PauseOverrides = ()
    valid: bool = True
    """False when the routine itself has problems: its items are still checked, so every
    problem of the file is listed at once, but it never becomes a routine."""
    checks_before: list[_CheckRef] = field(default_factory=list)
    checks_after: list[_CheckRef] = field(default_factory=list)


@dataclass(slots=True)
class FileContent:
    """What one file defines, and what is wrong with it."""

    path: Path
    exercises: list[tuple[Exercise, Mark]] = field(default_factory=list)
    routines: list[_RoutineDraft] = field(default_factory=list)
    programs: list[ProgramDraft] = field(default_factory=list)
    broken_exercises: dict[str, Mark] = field(default_factory=dict)
    """The ids of exercises this file defines with problems, and where each id is written."""
    checks: list[tuple[Check, Mark]] = field(default_factory=list)
    broken_checks: dict[str, Mark] = field(default_factory=dict)
    """The ids of checks this file defines with problems, and where each id is written."""
    reader: Reader | None = None


def read_file(path: Path) -> FileContent:
    """Read one YAML file; its problems are in `content.reader.problems`."""
    reader = Reader(path)
    content = FileContent(path, reader=reader)
    root = _parse(path, reader)
    if root is None:
        return content
    top = reader.mapping(root, "", (), ("exercises", "routines", "checks", "programs"))
    if top is None:
        return content
    if isinstance(root, Mapping) and not root.pairs:  # unknown keys are reported already
        reader.problem(
            root.mark,
            "",
            "defines nothing; add an 'exercises:', 'routines:', 'checks:' or 'programs:' list",
        )
    if "exercises" in top:
        for index, node in enumerate(reader.sequence(top["exercises"], "exercises") or []):
            exercise = _read_exercise(reader, node, index, path)
            if isinstance(exercise, Exercise):
                content.exercises.append((exercise, _id_mark(node)))
            elif exercise:
                content.broken_exercises.setdefault(exercise, _id_mark(node))
    if "checks" in top:
        for index, node in enumerate(reader.sequence(top["checks"], "checks") or []):
            check = _read_check(reader, node, index, path)
            if isinstance(check, Check):
                content.checks.append((check, _id_mark(node)))
            elif check:
                content.broken_checks.setdefault(check, _id_mark(node))
    if "routines" in top:
        for index, node in enumerate(reader.sequence(top["routines"], "routines") or []):
            draft = _read_routine(reader, node, index)
            if draft is not None:
                content.routines.append(draft)
    if "programs" in top:
        for index, node in enumerate(reader.sequence(top["programs"], "programs") or []):
            program = read_program(reader, node, _label("programs", index, node))
            if program is not None:
                content.programs.append(program)
    return content


def _parse(path: Path, reader: Reader) -> Node | None:
    """The file's YAML tree, or None with a problem recorded."""
    start = Mark(1, 1)
    try:
        with path.open("rb") as stream:
            data = stream.read(yamltree.MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        reader.problem(start, "", "is a directory, not a file; name a .yaml file")
        return None
    except OSError as error:
        reader.problem(
            start, "", f"cannot be read ({error.strerror}); check the path and permissions"
        )
        return None
    if len(data) > yamltree.MAX_FILE_BYTES:
        reader.problem(
            start,
            "",
            f"is larger than {yamltree.MAX_FILE_BYTES:,} bytes; split it into smaller files",
        )
        return None
    try:
        root = yamltree.parse(yamltree.decode(data))
    except yamltree.YamlProblem as problem:
        for each in (problem, *problem.more):
            reader.problem(each.mark or start, "", each.message)
        return None
    if root is None or (isinstance(root, Scalar) and not root.text and not root.quoted):
        reader.problem(start, "", "is empty; add an 'exercises:' or 'routines:' list")
        return None
    return root


def _label(kind: str, index: int, item: Node) -> str:
    """How a list item is named in problems: by its id when it has a short one."""
    node = item.pairs["id"][1] if isinstance(item, Mapping) and "id" in item.pairs else None
    if isinstance(node, Scalar) and node.text and len(node.text) <= 64 and node.text.isprintable():
        return f"{kind}[{node.text}]"
    return f"{kind}[#{index + 1}]"


def _read_exercise(reader: Reader, node: Node, index: int, path: Path) -> Exercise | str | None:
    """An Exercise, or the id of a broken one (so routines naming it can say it is broken)."""
    where = _label("exercises", index, node)
    before = len(reader.problems)  # an unknown or repeated key makes it unusable too
    values = reader.mapping(node, where, _EXERCISE_KEYS, ("source",))
    if values is None:
        return None
    fields = {
        "id": _get(values, "id", lambda n: reader.identifier(n, f"{where}.id")),
        "name": _get(values, "name", lambda n: reader.text(n, f"{where}.name")),
        "phase": _get(values, "phase", lambda n: _phase(reader, n, f"{where}.phase")),
        "purpose": _get(values, "purpose", lambda n: reader.text(n, f"{where}.purpose")),
        "steps": _get(
            values, "steps", lambda n: reader.text_list(n, f"{where}.steps", allow_empty=False)
        ),
        "cues": _get(
            values, "cues", lambda n: reader.text_list(n, f"{where}.cues", allow_empty=True)
        ),
        "equipment": _get(
            values,
            "equipment",
            lambda n: reader.text_list(n, f"{where}.equipment", allow_empty=True),
        ),
        "targets": _get(
            values, "targets", lambda n: reader.text_list(n, f"{where}.targets", allow_empty=False)
        ),
        "dosage": _get(values, "dosage", lambda n: read_dosage(reader, n, f"{where}.dosage", None)),
        "source": _source(reader, values.get("source"), f"{where}.source"),
    }
    if len(reader.problems) > before or any(value is None for value in fields.values()):
        identifier = fields["id"]
        return identifier if isinstance(identifier, str) else None
    return Exercise(**fields, origin=str(path))  # type: ignore[arg-type]


def _read_check(reader: Reader, node: Node, index: int, path: Path) -> Check | str | None:
    """A Check, or the id of a broken one (so routines naming it can say it is broken)."""
    where = _label("checks", index, node)
    before = len(reader.problems)  # an unknown or repeated key makes it unusable too
    values = reader.mapping(node, where, _CHECK_KEYS, ("per_side", "source"))
    if values is None:
        return None
    scale = _get(values, "scale", lambda n: _scale(reader, n, f"{where}.scale"))
    fields = {
        "id": _get(values, "id", lambda n: reader.identifier(n, f"{where}.id")),
        "name": _get(values, "name", lambda n: reader.text(n, f"{where}.name")),
        "instructions": _get(
            values,
            "instructions",
            lambda n: reader.text_list(n, f"{where}.instructions", allow_empty=False),
        ),
        "score": _get(values, "score", lambda n: reader.text(n, f"{where}.score")),
        "better": _get(values, "better", lambda n: _better(reader, n, f"{where}.better")),
        "per_side": (
            reader.boolean(values["per_side"], f"{where}.per_side")
            if "per_side" in values
            else False
        ),
        "source": _source(reader, values.get("source"), f"{where}.source"),
    }
    if len(reader.problems) > before or scale is None or None in fields.values():
        identifier = fields["id"]
        return identifier if isinstance(identifier, str) else None
    assert isinstance(scale, tuple)
    span, unit = scale
    return Check(**fields, scale=span, unit=unit, origin=str(path))  # type: ignore[arg-type]


def _scale(reader: Reader, node: Node, field: str) -> tuple[Span, str] | None:
    """A check's scale: `min` and `max` whole numbers (min below max) and its `unit`."""
    values = reader.mapping(node, field, _SCALE_KEYS)
    if values is None:
        return None
    low = _get(values, "min", lambda n: reader.integer(n, f"{field}.min", minimum=0))
    high = _get(values, "max", lambda n: reader.integer(n, f"{field}.max", minimum=0))
    unit = _get(values, "unit", lambda n: reader.text(n, f"{field}.unit"))
    if not (isinstance(low, int) and isinstance(high, int) and isinstance(unit, str)):
        return None
    if low >= high:
        reader.problem(
            node.mark,
            field,
            f"min {low} is not below max {high}; a scale needs room to score, e.g. min: 0, max: 10",
        )
        return None
    return Span(low, high), unit


def _better(reader: Reader, node: Node, field: str) -> str | None:
    text = reader.text(node, field)
    if text is not None and text not in BETTER:
        reader.problem(
            node.mark,
            field,
            f"unknown direction {shorten(text)}; use higher or lower (which way the score "
            "improves)",
        )
        return None
    return text


def _get(values: dict[str, Node], key: str, read: object) -> object:
    """Read `values[key]` with `read` when present (a missing key is already a problem)."""
    node = values.get(key)
    return None if node is None else read(node)  # type: ignore[operator]


def _phase(reader: Reader, node: Node, field: str) -> Phase | None:
    text = reader.text(node, field)
    if text is None:
        return None
    try:
        return Phase(text)
    except ValueError:
        reader.problem(
            node.mark, field, f"unknown phase {shorten(text)}; use reset, restore or rebuild"
        )
        return None


def _source(reader: Reader, node: Node | None, field: str) -> str | None:
    if node is None:
        return "added"
    text = reader.text(node, field)
    if text is not None and text not in _SOURCES:
        reader.problem(node.mark, field, f"unknown source {shorten(text)}; use article or added")
        return None
    return text


def read_dosage(reader: Reader, node: Node, field: str, base: Dosage | None) -> Dosage | None:
    """A dosage; with `base`, a partial override of it (only the keys given change)."""
    required = () if base else ("sets",)
    values = reader.mapping(
        node, field, required, tuple(k for k in _DOSAGE_KEYS if k not in required)
    )
    if values is None:
        return None
    assert isinstance(node, Mapping)  # reader.mapping said so
    amounts = [key for key in values if key in _AMOUNT_KEYS]  # in file order
    before = len(reader.problems)  # each problem makes it unusable; all are listed
    if len(amounts) > 1:
        second = node.pairs[amounts[1]][0].mark
        reader.problem(
            second,
            f"{field}.{amounts[1]}",
            f"both {' and '.join(amounts)} given; keep only one",
        )
    misspelt = any(closest(key, _AMOUNT_KEYS) for key in node.pairs if key not in values)
    if not amounts and base is None:
        if not misspelt:  # else "did you mean" is already reported
            reader.problem(
                node.mark, field, "missing the amount; add reps, hold_seconds or duration_seconds"
            )
        return None
    sets = base.sets if base else None
    if "sets" in values:
        sets = reader.span(values["sets"], f"{field}.sets")
    per_side: bool | None = base.per_side if base else False  # one side unless it says so
    if "per_side" in values:
        per_side = reader.boolean(values["per_side"], f"{field}.per_side")
    if amounts:
        kind = AmountKind(amounts[0])
        amount = reader.span(values[amounts[0]], f"{field}.{amounts[0]}")
    else:
        assert base is not None
        kind, amount = base.kind, base.amount
    tempo = base.tempo_seconds if base and kind is base.kind else None
    if "tempo_seconds" in values:
        if kind is AmountKind.REPS:
            tempo = reader.integer(values["tempo_seconds"], f"{field}.tempo_seconds")
        else:
            reader.problem(
                values["tempo_seconds"].mark,
                f"{field}.tempo_seconds",
                "tempo_seconds paces reps; remove it or count the set in reps",
            )
    if len(reader.problems) > before or sets is None or per_side is None or amount is None:
        return None
    return Dosage(sets=sets, kind=kind, amount=amount, per_side=per_side, tempo_seconds=tempo)


def _read_routine(reader: Reader, node: Node, index: int) -> _RoutineDraft | None:
    where = _label("routines", index, node)
    before = len(reader.problems)  # an unknown, missing or repeated key makes it unusable
    values = reader.mapping(
        node, where, ("id", "name", "items"), ("description", "pauses", *_CHECK_LISTS)
    )
    if values is None:
        return None
    identifier = _get(values, "id", lambda n: reader.identifier(n, f"{where}.id"))
    name = _get(values, "name", lambda n: reader.text(n, f"{where}.name"))
    description = (
        reader.text(values["description"], f"{where}.description")
        if "description" in values
        else ""
    )
    items: list[_ItemDraft] = []
    item_nodes = reader.sequence(values["items"], f"{where}.items") if "items" in values else None
    if item_nodes is not None and not item_nodes:
        reader.problem(
            values["items"].mark, f"{where}.items", "is empty; add at least one exercise"
        )
    for number, item_node in enumerate(item_nodes or [], start=1):
        item_field = f"{where}.items[{number}]"
        item = reader.mapping(item_node, item_field, ("exercise",), ("dosage", "pauses"))
        if item is None:
            continue
        exercise_id = (
            reader.identifier(item["exercise"], f"{item_field}.exercise")
            if "exercise" in item
            else None
        )
        item_pauses = read_pauses(reader, item.get("pauses"), f"{item_field}.pauses")
        if exercise_id is None and "dosage" in item:  # still list what is wrong in it
            read_dosage(reader, item["dosage"], f"{item_field}.dosage", _ANY_DOSAGE)
        if exercise_id is not None:
            items.append(
                _ItemDraft(
                    exercise_id, item["exercise"].mark, item_field, item.get("dosage"), item_pauses
                )
            )
    pauses = read_pauses(reader, values.get("pauses"), f"{where}.pauses")
    before_checks, after_checks = (
        _check_refs(reader, values.get(key), f"{where}.{key}") for key in _CHECK_LISTS
    )
    if not isinstance(identifier, str) or not isinstance(name, str):
        identifier, name = "", ""
    valid = len(reader.problems) == before and bool(identifier)
    return _RoutineDraft(
        identifier,
        name,
        description or "",
        items,
        reader,
        _id_mark(node),
        pauses,
        valid,
        before_checks,
        after_checks,
    )


_CHECK_LISTS = ("checks_before", "checks_after")


def _check_refs(reader: Reader, node: Node | None, field: str) -> list[_CheckRef]:
    """The check ids of `checks_before` or `checks_after`, each at most once."""
    if node is None:
        return []
    found: list[_CheckRef] = []
    for number, item in enumerate(reader.sequence(node, field) or [], start=1):
        identifier = reader.identifier(item, f"{field}[{number}]")
        if identifier is None:
            continue
        first = next((ref for ref in found if ref.check_id == identifier), None)
        if first is not None:
            reader.problem(
                item.mark,
                f"{field}[{number}]",
                f"check {identifier!r} is named twice (first at line {first.mark.line}); "
                "keep only one",
            )
            continue
        found.append(_CheckRef(identifier, item.mark, f"{field}[{number}]"))
    return found


def read_pauses(reader: Reader, node: Node | None, field: str) -> PauseOverrides:
    """Pause overrides, e.g. `pauses: {between_sets: 30}`: seconds, 0 to leave one out."""
    if node is None:
        return ()
    values = reader.mapping(node, field, (), PAUSE_KEYS)
    if values is None:
        return ()
    pairs = []
    for key in PAUSE_KEYS:
        if key in values:
            seconds = reader.integer(values[key], f"{field}.{key}", minimum=0)
            if seconds is not None:
                pairs.append((key, seconds))
    return tuple(pairs)


def _id_mark(node: Node) -> Mark:
    """Where an item's id is written, to point at it in a duplicate-id problem."""
    if isinstance(node, Mapping) and "id" in node.pairs:
        return node.pairs["id"][1].mark
    return node.mark


def _resolve(
    draft: _RoutineDraft,
    exercises: dict[str, Exercise],
    broken: dict[str, str],
    source: str,
    origin: str,
    defaults: pacing.Pauses,
    checks: _KnownChecks,
) -> Routine | None:
    """Turn a draft into a Routine once every exercise and check is known.

    `broken` maps the ids of exercises defined with problems (and not replaced since by a
    valid one) to where they are: a routine naming one is invalid too, never shortened.
    """
    reader = draft.reader
    before = len(reader.problems)
    for ref in [*draft.checks_before, *draft.checks_after]:
        _resolve_check(reader, ref, checks)
    items: list[RoutineItem] = []
    for item in draft.items:
        exercise = exercises.get(item.exercise_id)
        rejected = broken.get(item.exercise_id)
        # A shipped routine keeps the shipped exercise a user's broken copy failed to replace.
        if rejected is not None and (exercise is None or source != "builtin"):
            reference = ("exercise", item.exercise_id, "routine")
            reader.bad_reference(item.mark, f"{item.field}.exercise", reference, rejected, ())
            exercise = None
        elif exercise is None:
            reference = ("exercise", item.exercise_id, "routine")
            reader.bad_reference(item.mark, f"{item.field}.exercise", reference, None, exercises)
        if exercise is None:
            if item.override is not None:  # still list what is wrong in it
                read_dosage(reader, item.override, f"{item.field}.dosage", _ANY_DOSAGE)
            continue
        dosage: Dosage | None = exercise.dosage
        if item.override is not None:
            dosage = read_dosage(reader, item.override, f"{item.field}.dosage", exercise.dosage)
        if dosage is not None:
            items.append(RoutineItem(exercise.id, exercise.phase, dosage, item.pauses))
    if len(reader.problems) > before or not draft.valid:
        return None
    plan = [(i.dosage, defaults.overridden(draft.pauses, i.pauses)) for i in items]
    return Routine(
        id=draft.id,
        name=draft.name,
        description=draft.description,
        items=tuple(items),
        source=source,
        estimated_seconds=pacing.planned_seconds(plan),
        origin=origin,
        pauses=draft.pauses,
        checks_before=tuple(ref.check_id for ref in draft.checks_before),
        checks_after=tuple(ref.check_id for ref in draft.checks_after),
    )


_KnownChecks = tuple[dict[str, Check], dict[str, str]]
"""The usable checks, and where each check defined with problems (and not replaced since by
a valid one) is written."""


def _resolve_check(reader: Reader, ref: _CheckRef, known: _KnownChecks) -> None:
    """Record a problem when `ref` names no usable check."""
    checks, broken = known
    if ref.check_id in checks:
        return
    reference = ("check", ref.check_id, "routine")
    reader.bad_reference(ref.mark, ref.field, reference, broken.get(ref.check_id), checks)


def load_catalog(
    builtin: Sequence[Path],
    user: Iterable[Path],
    *,
    required: Iterable[Path] = (),
    pauses: pacing.Pauses = pacing.DEFAULT_PAUSES,
    checked: Sequence[Path] = (),
) -> Catalog:
    """Load shipped files, then user files; a user definition replaces a shipped one by id.

    `pauses` are the defaults (from the settings) that routine estimates are made with.
    `checked` files (`routines validate` of drafts) come last, as their own layer: their
    definitions replace the user's as the user's replace shipped ones, so a draft copy of
    an installed file is not its duplicate.
    """
    problems: list[Problem] = []
    for path in required:
        if not path.exists():
            problems.append(Problem(str(path), 1, 1, "", "does not exist; check the path"))
    user_files = [f for d in user for f in routine_files(d)]
    checked_files = [f for d in checked for f in routine_files(d)]
    layers = [(builtin, "builtin"), (user_files, "user"), (checked_files, "checked")]
    exercises: dict[str, Exercise] = {}
    checks: dict[str, Check] = {}
    broken_checks: dict[str, str] = {}
    broken: dict[str, str] = {}
    drafts: list[tuple[_RoutineDraft, str, str, bool]] = []
    program_drafts: list[tuple[ProgramDraft, str, str, bool]] = []
    claims = _Claims()
    for files, layer in layers:
        source = "builtin" if layer == "builtin" else "user"
        for path in files:
            content = read_file(path)
            assert content.reader is not None
            for exercise, mark in content.exercises:
                if claims.claim("exercise", exercise.id, layer, mark, content.reader):
                    # Shipped content has no origin to show; a user's file is named.
                    exercises[exercise.id] = (
                        replace(exercise, origin="") if source == "builtin" else exercise
                    )
                    broken.pop(exercise.id, None)
            for check, mark in content.checks:
                if claims.claim("check", check.id, layer, mark, content.reader):
                    checks[check.id] = replace(check, origin="") if source == "builtin" else check
                    broken_checks.pop(check.id, None)
            for identifier, mark in content.broken_checks.items():
                if claims.layer_of("check", identifier) != layer:
                    broken_checks[identifier] = f"{path}:{mark.line}"
            for identifier, mark in content.broken_exercises.items():
                # A valid definition in the same layer stands (this one is its duplicate).
                if claims.layer_of("exercise", identifier) != layer:
                    broken[identifier] = f"{path}:{mark.line}"
            for draft in content.routines:
                origin = "" if source == "builtin" else str(path)
                # A broken or duplicate routine claims no id, but its items are still
                # checked: every problem of a file is listed at once.
                taken = draft.valid and claims.claim(
                    "routine", draft.id, layer, draft.mark, content.reader
                )
                drafts.append((draft, source, origin, taken))
            for program in content.programs:
                origin = "" if source == "builtin" else str(path)
                taken = program.program is not None and claims.claim(
                    "program", program.id, layer, program.mark, content.reader
                )
                program_drafts.append((program, source, origin, taken))
            problems.extend(content.reader.problems)
    routines: dict[str, Routine] = {}
    invalid_routines: dict[str, str] = {}
    for draft, source, origin, taken in drafts:
        before = len(draft.reader.problems)
        routine = _resolve(
            draft, exercises, broken, source, origin, pauses, (checks, broken_checks)
        )
        problems.extend(draft.reader.problems[before:])
        if routine is not None and taken:
            if ("routine", draft.id) in claims.overridden and source == "user":
                routine = replace(routine, overrides_builtin=True)
            routines[routine.id] = routine
    # A routine defined with problems, and by no valid definition, makes a program naming it
    # invalid too (like an exercise a routine names).
    for draft, *_rest in drafts:
        if draft.id and draft.id not in routines:
            invalid_routines.setdefault(draft.id, f"{draft.reader.file}:{draft.mark.line}")
    readers = {id(draft.reader): draft.reader for draft, *_ in program_drafts}
    counts = {key: len(reader.problems) for key, reader in readers.items()}
    programs = resolve_programs(program_drafts, routines, invalid_routines, (checks, broken_checks))
    for key, reader in readers.items():
        problems.extend(reader.problems[counts[key] :])
    ordered = dict(sorted(exercises.items(), key=lambda pair: pair[1].phase.order))
    # Shipped routines first, each group shortest first: the quick break leads the list.
    by_length = dict(
        sorted(routines.items(), key=lambda p: (p[1].source != "builtin", p[1].estimated_seconds))
    )
    return Catalog(ordered, by_length, tuple(sorted(problems)), checks, programs)


class _Claims:
    """Where each id is defined; a second definition in the same layer is a problem."""

    def __init__(self) -> None:
        self.defined_at: dict[tuple[str, str], tuple[str, str]] = {}
        """(kind, id): the layer and FILE:LINE of the definition in force."""
        self.overridden: set[tuple[str, str]] = set()
        """User definitions that replace a shipped one."""

    def layer_of(self, kind: str, identifier: str) -> str | None:
        """The layer of the definition in force, None when there is none."""
        found = self.defined_at.get((kind, identifier))
        return None if found is None else found[0]

    def claim(self, kind: str, identifier: str, layer: str, mark: Mark, reader: Reader) -> bool:
        """True when the definition is taken; False (with a problem) for a duplicate."""
        key = (kind, identifier)
        here = f"{reader.file}:{mark.line}"
        previous = self.defined_at.get(key)
        if previous is not None and previous[0] == layer:
            reader.problem(
                mark,
                f"{kind}s[{identifier}].id",
                f"duplicate id {identifier!r}, already used at {previous[1]}; "
                f"give this {kind} another id",
            )
            return False
        if previous is not None and previous[0] == "builtin":
            self.overridden.add(key)
        self.defined_at[key] = (layer, here)
        return True
