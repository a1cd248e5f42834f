"""`hipmob plan`: the program followed, its stage and why, and following or stopping one.

No UI imports. The stage is never stored: it is replayed from the history each time
(`history/plan.py`), so the same history always says the same.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from hipmob_tui.cli.catalog import load_catalog_for
from hipmob_tui.cli.output import plural, say_kept_aside
from hipmob_tui.errors import HipmobError, NotFound, closest
from hipmob_tui.history.plan import (
    Following,
    PlanState,
    checks_of,
    following_on,
    in_force_of,
    sessions_of,
)
from hipmob_tui.history.plan_text import describe
from hipmob_tui.history.store import Store
from hipmob_tui.history.streaks import day_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.content.models import Catalog
    from hipmob_tui.paths import Paths


def show_plan(where: Paths, *, as_json: bool, today: date | None = None) -> int:
    """Print the program followed, its stage, the figures behind its rules; exit 0."""
    today = today or date.today()
    catalog = load_catalog_for(where)
    found = following(where, catalog, today)
    if as_json:
        shape: dict[str, object]
        if found is None:
            shape = {"following": False}
        elif found.state is None:
            shape = {"following": True, "program_id": found.program_id, "defined": False}
        else:
            shape = found.state.to_json()
        print(json.dumps({**shape, "path": str(where.db)}, ensure_ascii=False))
        return 0
    if found is None:
        print("You follow no program.")
        _list_programs(catalog)
        return 0
    if found.state is None:
        print(
            f"You follow {found.program_id!r} (since {day_text(found.since)}), which is not "
            "defined any more or has problems: run 'hipmob routines validate' on your files, "
            "or follow another program."
        )
        _list_programs(catalog)
        return 0
    _print_state(found.state, catalog)
    return 0


def following(where: Paths, catalog: Catalog, today: date) -> Following | None:
    """The program followed on `today`, replayed from the history."""
    store = Store(where.db)
    if not store.exists():
        return None
    facts = store.facts()[0]
    if not facts.plans:
        return None
    marks = {mark.date.toordinal(): mark.kind for mark in facts.marks}
    in_force = in_force_of(facts.plans, today)
    sessions = sessions_of(facts.sessions)
    results = checks_of(facts.checks)
    return following_on(catalog.programs, in_force, sessions, marks, today, lambda: results)


def _list_programs(catalog: Catalog) -> None:
    if not catalog.programs:
        print("No program is defined.")
        return
    print("Programs:")
    for program in catalog.programs.values():
        print(f"  {program.id}  {program.name} ({plural(len(program.stages), 'stage')})")
    first = next(iter(catalog.programs))
    print(f"Follow one with: hipmob plan follow {first}")


def _print_state(state: PlanState, catalog: Catalog) -> None:
    names = {routine.id: routine.name for routine in catalog.routines.values()}
    followed = catalog.programs.get(state.followed)
    for line in describe(state, names, followed.name if followed else state.followed):
        print(line)


def follow(where: Paths, program_id: str, *, stage: int, day: date | None) -> int:
    """Start following `program_id` from `day` (default today), at `stage`."""
    from hipmob_tui.history.records import PlanFact, new_plan_fact_id

    catalog = load_catalog_for(where)
    program = catalog.programs.get(program_id)
    if program is None:
        raise _no_program(program_id, catalog)
    if stage > len(program.stages):
        raise HipmobError(
            f"{program.name} has {plural(len(program.stages), 'stage')}; "
            f"give --stage from 1 to {len(program.stages)}"
        )
    day = day or date.today()
    if day > date.today():
        raise HipmobError(f"{day_text(day)} is in the future; follow from today or a past day")
    fact = PlanFact(new_plan_fact_id(day), day, program_id, stage, datetime.now().astimezone())
    change = Store(where.db).add_plan_fact(fact)
    say_kept_aside(change.kept_aside)
    print(
        f"Following {program.name} from {day_text(day)}, stage {stage} of "
        f"{len(program.stages)}: {program.stages[stage - 1].name}."
    )
    # Followed from a past day, the sessions and flare days since may have moved it already.
    now = following(where, catalog, date.today())
    state = now.state if now is not None else None
    if state is not None and (state.program.id, state.stage_number) != (program_id, stage):
        of = "" if state.program.id == program_id else f" of {state.program.name}"
        print(
            f"With your history since then, today it is {state.position()}: {state.stage.name}{of}."
        )
    print("Run 'hipmob plan' to see the stage and what moves it on.")
    return 0


def stop(where: Paths, *, day: date | None) -> int:
    """Stop following a program from `day` (default today); the history keeps the past."""
    from hipmob_tui.history.records import PlanFact, new_plan_fact_id, plan_in_force

    day = day or date.today()
    if day > date.today():
        raise HipmobError(f"{day_text(day)} is in the future; stop from today or a past day")
    store = Store(where.db)
    facts = store.plan_facts() if store.exists() else []
    in_force = plan_in_force(facts, day)
    if in_force is None:
        print(f"You follow no program on {day_text(day)}; nothing to stop.")
        return 0
    fact = PlanFact(new_plan_fact_id(day), day, None, 1, datetime.now().astimezone())
    say_kept_aside(store.add_plan_fact(fact).kept_aside)
    since = day_text(in_force.date)
    print(
        f"Stopped following {in_force.program_id} (followed since {since}) from "
        f"{day_text(day)}. Your sessions are all kept; 'hipmob plan follow "
        f"{in_force.program_id} --date {in_force.date.isoformat()} --stage {in_force.stage}' "
        "takes it up again where it was."
    )
    return 0


def _no_program(program_id: str, catalog: Catalog) -> NotFound:
    close = closest(program_id, catalog.programs)
    if close is not None:
        return NotFound(f"no program {program_id!r}; did you mean {close!r}?")
    known = ", ".join(catalog.programs) or "none"
    return NotFound(f"no program {program_id!r}; known programs: {known}")
