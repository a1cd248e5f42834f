"""Self-checks from the shell: `hipmob check ID` shows one, with `--value` records a result."""

from __future__ import annotations

from datetime import date, datetime

from hipmob_tui.cli.output import print_json, say_kept_aside
from hipmob_tui.errors import HipmobError, NotFound, closest
from hipmob_tui.history.streaks import day_text

TYPE_CHECKING = False  # typing costs the fast commands ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from hipmob_tui.content.models import Catalog, Check
    from hipmob_tui.history.records import CheckResult
    from hipmob_tui.paths import Paths

RESULTS_SHOWN = 8
"""How many of a check's latest results `hipmob check ID` lists."""


def no_check(check_id: str, catalog: Catalog) -> NotFound:
    """The error for an unknown check id: the likely one meant, else every id."""
    close = closest(check_id, catalog.checks)
    if close is not None:
        return NotFound(f"no check {check_id!r}; did you mean {close!r}?")
    known = ", ".join(catalog.checks) or "none"
    return NotFound(f"no check {check_id!r}; known checks: {known}")


def _side_label(result: CheckResult) -> str:
    return f"{result.side}: " if result.side else ""


def record(
    where: Paths,
    check_id: str,
    value_text: str,
    side: str | None,
    day: date | None,
    *,
    as_json: bool,
) -> int:
    """Record one result of a check; every mistake is one line and nothing is written."""
    from hipmob_tui.cli.catalog import load_catalog_for
    from hipmob_tui.history.checks import format_value, latest_results, new_result, parse_value
    from hipmob_tui.history.records import RecordError
    from hipmob_tui.history.store import Store

    catalog = load_catalog_for(where)
    check = catalog.checks.get(check_id)
    if check is None:
        raise no_check(check_id, catalog)
    if check.per_side and side is None:
        raise HipmobError(
            f"nothing recorded: {check.name} is scored for each side; "
            "add --side left or --side right"
        )
    if not check.per_side and side is not None:
        raise HipmobError(
            f"nothing recorded: {check.name} is not scored per side; leave out --side"
        )
    now = datetime.now().astimezone()
    try:
        value = parse_value(value_text, check)
        result = new_result(check, value, side, day=day or now.date(), now=now)
    except (RecordError, ValueError) as error:
        raise HipmobError(f"nothing recorded: {error}") from None
    store = Store(where.db)
    before: list[CheckResult] = []
    if store.exists():
        # "Last time" is the result before this one: a day recorded late is not compared
        # with the results after it.
        earlier = (r for r in store.check_results() if r.side == result.side and r.at <= result.at)
        before = latest_results(earlier, check.id, 1)
    change = store.add_check_results([result])
    say_kept_aside(change.kept_aside)
    if as_json:
        print_json(change.stored[0].to_json())  # as stored: with this history's device
        return 0
    last = ""
    if before and not change.kept_aside:
        last = f"; last time {format_value(before[0].value)}, {day_text(before[0].date)}"
    print(
        f"Recorded {check.name}, {_side_label(result)}{format_value(result.value)} "
        f"({check.scale.low}–{check.scale.high} {check.unit}{last}) "
        f"on {day_text(result.date)} in {where.db}"
    )
    return 0


def show(where: Paths, check_id: str, *, as_json: bool) -> int:
    """A check's instructions and scale, and its latest results (reads only)."""
    from hipmob_tui.cli.catalog import load_catalog_for
    from hipmob_tui.history.checks import latest_results, latest_values
    from hipmob_tui.history.store import Store

    catalog = load_catalog_for(where)
    check = catalog.checks.get(check_id)
    if check is None:
        raise no_check(check_id, catalog)
    store = Store(where.db)
    results = store.check_results() if store.exists() else []
    shown = latest_results(results, check.id, RESULTS_SHOWN)
    if as_json:
        latest = latest_values(results, check.id)
        print_json(
            {
                "path": str(where.db),
                "check": check.to_json(),
                "latest": {side or "value": value for side, value in latest.items()},
                "results": [result.to_json() for result in shown],
            }
        )
        return 0
    _print_check(check)
    print()
    if not shown:
        print("No results yet.")
    else:
        count = sum(1 for r in results if r.check_id == check.id)
        print(f"Latest results ({count} in all):" if count > len(shown) else "Results:")
        for result in shown:
            print(f"  {_result_line(result)}")
    side = " --side left|right" if check.per_side else ""
    print(f"Record one: hipmob check {check.id} --value N{side}")
    return 0


def _print_check(check: Check) -> None:
    source = "added by hipmob" if check.source == "added" else check.source
    print(f"{check.name}  ({check.id}, {source if not check.origin else check.origin})")
    print(f"scale: {check.describe_scale()}")
    print(f"score: {check.score}")
    print()
    for number, step in enumerate(check.instructions, start=1):
        print(f"{number:>2}. {step}")


def _result_line(result: CheckResult) -> str:
    from hipmob_tui.history.checks import format_value

    context = {"before": "before a session", "after": "after a session"}.get(result.when or "")
    return "  ".join(
        part
        for part in (
            day_text(result.date),
            f"{result.at.astimezone():%H:%M}",
            f"{result.side or '':<5}" if result.side else "",
            format_value(result.value),
            context or "",
        )
        if part
    )
