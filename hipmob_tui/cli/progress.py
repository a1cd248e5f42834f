"""`hipmob progress`: what helps, as plain tables or JSON. No UI imports here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from hipmob_tui.cli.output import print_table
from hipmob_tui.history.checks import CheckProgress, check_progress, format_value
from hipmob_tui.history.progress import (
    ASSOCIATION,
    CAUTION,
    SIDE_WINDOW,
    WORSE,
    Progress,
    Week,
    progress,
)
from hipmob_tui.history.store import Store
from hipmob_tui.paths import Paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.history.records import CheckResult

BAR = "█"
WIDEST_BAR = 14


def show_progress(where: Paths, *, weeks: int, as_json: bool) -> int:
    """Print pain response per routine and exercise, the trend of the last `weeks`, and
    each self-check's trend per side and its change within sessions."""
    store = Store(where.db)
    facts = store.facts()[0] if store.exists() else None
    today = date.today()
    found = progress(facts.sessions if facts else [], today, weeks)
    checks = _check_progress(where, facts.checks if facts else [], today, weeks)
    if as_json:
        document = {
            "path": str(where.db),
            **found.to_json(),
            "checks": [check.to_json() for check in checks],
        }
        print(json.dumps(document, ensure_ascii=False))
        return 0
    if not found.routines:
        print(f"no sessions yet at {where.db}: progress appears after the first")
        if checks:
            print()
            _print_checks(checks, weeks)
        return 0
    _print_routines(found)
    print()
    _print_exercises(found)
    print()
    if found.sides:
        _print_sides(found)
        print()
    _print_weeks(found.weeks)
    if checks:
        print()
        _print_checks(checks, weeks)
    for name in found.cautions:
        print()
        print("Caution: " + CAUTION.format(name=name, worse=WORSE))
    print()
    print(ASSOCIATION)
    return 0


def _print_routines(found: Progress) -> None:
    print("Pain change per routine (after minus before: median, n scored, range)")
    rows = [
        (
            r.name,
            str(r.sessions),
            r.last_done.isoformat(),
            r.pain.median_text,
            str(r.pain.scored),
            r.pain.range_text,
        )
        for r in found.routines
    ]
    print_table(("ROUTINE", "SESSIONS", "LAST", "MEDIAN", "N", "RANGE"), rows)


def _print_exercises(found: Progress) -> None:
    print("Per exercise (sets done of planned; pain of the sessions it was done in)")
    rows = [
        (
            e.name,
            str(e.times),
            f"{e.sets_done}/{e.sets_planned}",
            e.pain.median_text,
            str(e.pain.scored),
            e.last_done.isoformat(),
        )
        for e in found.exercises
    ]
    print_table(("EXERCISE", "TIMES", "SETS", "MEDIAN", "N", "LAST"), rows)


def _print_sides(found: Progress) -> None:
    print(f"Tighter side (each exercise's last {SIDE_WINDOW} sessions with a side note)")
    for summary in found.sides:
        print(f"  {summary.text}")


def _print_weeks(weeks: tuple[Week, ...]) -> None:
    print(f"The last {len(weeks)} weeks (sessions; median pain before)")
    most = max((w.sessions for w in weeks), default=0) or 1
    rows = []
    for week in weeks:
        bar = BAR * round(week.sessions / most * WIDEST_BAR) if week.sessions else ""
        pain = "" if week.median_pain_before is None else f"{week.median_pain_before:g}"
        rows.append((week.monday.isoformat(), str(week.sessions), bar, pain))
    print_table(("WEEK OF", "SESSIONS", "", "PAIN BEFORE"), rows)


def _check_progress(
    where: Paths, results: Sequence[CheckResult], today: date, weeks: int
) -> tuple[CheckProgress, ...]:
    """Each check with a result, named as the catalog defines it (loaded only then)."""
    if not results:
        return ()
    from hipmob_tui.cli.catalog import load_catalog_for

    return check_progress(results, load_catalog_for(where).checks, today, weeks)


def _print_checks(checks: Sequence[CheckProgress], weeks: int) -> None:
    print(
        f"Self-checks (the median of each week, the last {weeks}; change within sessions: "
        "after minus before, median and n)"
    )
    rows = []
    for check in checks:
        for number, side in enumerate(check.sides):
            latest = "" if side.latest is None else f"{format_value(side.latest)} {check.unit}"
            rows.append(
                (
                    "" if number else check.name,
                    side.side or "",
                    latest.strip(),
                    check.trend(side),
                    side.change.median_text,
                    str(side.change.pairs) if side.change.pairs else "",
                )
            )
    print_table(("CHECK", "SIDE", "LATEST", "TREND", "CHANGE", "N"), rows)
    for check in checks:
        if check.headline:
            print(check.headline)
