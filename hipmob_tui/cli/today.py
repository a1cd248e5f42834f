"""`hipmob today`: one line saying what to do today, for a prompt or the MOTD. No UI imports.

As fast as `hipmob streak`: the history through its per-day summary only, the routines
through their small index in the cache folder (`content/routine_index.py`), not the YAML
or the catalog's pickle, unless a routine file changed since the index was written.
"""

from __future__ import annotations

import json
from datetime import date

TYPE_CHECKING = False  # typing costs the fast commands ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from hipmob_tui.history.plan import PlanCheck
    from hipmob_tui.history.store import Store
    from hipmob_tui.history.today import RoutineChoice, Suggestion
    from hipmob_tui.paths import Paths
    from hipmob_tui.settings import Settings

_GENTLE_WHY = {
    "flare_today": "flare day",
    "flare_yesterday": "flare day yesterday",
    "pain_rose": "pain rose last time",
    "pain_high": "pain was high last time",
}
"""How the one-line form says why a routine is RESET only."""


def today(where: Paths, *, as_json: bool, short: bool) -> int:
    """Print today's suggestion; reads only (the cache aside), exit 0."""
    from hipmob_tui.history.store import Store
    from hipmob_tui.history.today import suggest_today
    from hipmob_tui.settings import settings_or_defaults

    settings = settings_or_defaults(where.settings)
    store = Store(where.db)
    days = store.days()
    now = date.today()
    routines, programs = routine_choices(where, settings)
    # The stage is replayed from the summary's log of the sessions since following
    # began: no YAML, no history.
    plan = None
    if days is not None and days.following(now.toordinal()) is not None:
        from hipmob_tui.content.program import program_of_json
        from hipmob_tui.history.plan import plan_of_summary

        known = {}
        for shape in programs:
            try:
                program = program_of_json(shape)
            except ValueError:
                continue
            known[program.id] = program
        plan = plan_of_summary(days, known, now, lambda: _check_results(store))
    found = suggest_today(
        days,
        routines,
        now,
        settings.weekly_goal,
        settings.max_rest_days_per_week,
        plan=plan,
    )
    if as_json:
        print(json.dumps({**found.to_json(), "path": str(where.db)}, ensure_ascii=False))
    elif short:
        print(short_line(found))
    else:
        print(line(found, settings.max_rest_days_per_week))
    return 0


def _check_results(store: Store) -> list[PlanCheck]:
    """The self-check results, for a program whose rules read them: the whole history is
    read then (the per-day summary does not keep them)."""
    from hipmob_tui.history.plan import checks_of

    return checks_of(store.facts()[0].checks)


def routine_choices(where: Paths, settings: Settings) -> tuple[list[RoutineChoice], list[object]]:
    """Every routine of the catalog (and every program's JSON shape), from the index when no
    routine file changed since."""
    from hipmob_tui.content.routine_index import index_key, read_index, write_index
    from hipmob_tui.history.today import RoutineChoice
    from hipmob_tui.paths import builtin_routines_dir, routine_files

    key = index_key(
        routine_files(builtin_routines_dir()),
        where.routine_sources,
        where.extra_routines,
        settings.pauses,
    )
    found = read_index(where.cache, key)
    if found is not None:
        rows, programs = found
    else:
        from hipmob_tui.cli.catalog import load_catalog_for

        # Problems in routine files are for `routines validate` and the app to tell: a
        # prompt line stays one line.
        catalog = load_catalog_for(where, warn=False)
        rows = [
            (r.id, r.name, tuple(phase.value for phase in r.phases), r.estimated_seconds)
            for r in catalog.routines.values()
        ]
        programs = [program.to_json() for program in catalog.programs.values()]
        write_index(where.cache, key, rows, programs)
    return [RoutineChoice(*row) for row in rows], programs


def _week(found: Suggestion) -> str:
    done, goal = found.streak.this_week, found.week_goal
    if done > goal:
        return f"{done} this week (goal {goal} met)"
    return f"{done} of {goal} this week"


def _streak(found: Suggestion) -> str:
    held = found.frozen_today and found.streak.current > 0  # a frozen 0 holds nothing
    return f"streak {found.streak.current}d" + (" (frozen)" if held else "")


def line(found: Suggestion, max_rest_days_per_week: int) -> str:
    """The one line: what today is, the routine and why, the week and the streak."""
    routine = found.routine
    if found.state == "done":
        return f"done today · {_streak(found)}"
    if found.state == "rest":
        held = "" if found.frozen_today else f", past this week's {max_rest_days_per_week}"
        return f"rest day (marked{held}) · {_streak(found)}"
    if found.state == "away":
        return f"away (marked) · {_streak(found)}"
    if found.state == "flare":
        move = f" — {routine.name} (RESET only) if you move at all" if routine else ""
        return f"flare day: take it easy{move} · {_streak(found)}"
    if routine is None:
        return f"today: no routine to suggest · {_week(found)} · {_streak(found)}"
    why = f" (RESET only: {_GENTLE_WHY[found.trigger]})" if found.trigger in _GENTLE_WHY else ""
    if found.plan is not None and not why:
        why = f" ({found.plan.position()})"
    return f"today: {routine.name}{why} · {_week(found)} · {_streak(found)}"


def short_line(found: Suggestion) -> str:
    """A few words: the routine's name, or what today is (done, rest, away, flare)."""
    if found.state != "suggest":
        return found.state
    return found.routine.name if found.routine else "nothing"
