"""Self-check results as people give them and as rules read them: pure, no storage."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from hipmob_tui.history.records import (
    SIDES,
    CheckResult,
    check_result_from_json,
    new_check_result_id,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from hipmob_tui.content.models import Check

_NUMBER = re.compile(r"[0-9]{1,6}(\.[0-9]{1,2})?")


def parse_value(text: str, check: Check) -> int | float:
    """A value typed by the person for `check`: a number within its scale, with at most
    two decimals (a whole number stays whole). ValueError says what to write instead."""
    typed = text.strip().replace(",", ".") if text.count(",") == 1 else text.strip()
    if not _NUMBER.fullmatch(typed):
        raise ValueError(
            f"{check.name} is scored as a number from {check.scale.low} to "
            f"{check.scale.high} ({check.unit}), like {check.scale.high // 2}; "
            f"{_shown(text)} is not one"
        )
    value: int | float = float(typed) if "." in typed else int(typed)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not check.scale.low <= value <= check.scale.high:
        raise ValueError(
            f"{check.name} is scored from {check.scale.low} to {check.scale.high} "
            f"({check.unit}); {typed} is outside that"
        )
    return value


def _shown(text: str) -> str:
    return repr(text if len(text) <= 20 else text[:19] + "…")


def check_side(check: Check, side: str | None) -> str | None:
    """`side` when `check` may be scored on it; ValueError says what to do instead."""
    if check.per_side and side is None:
        raise ValueError(f"{check.name} is scored for each side; name the side, left or right")
    if not check.per_side and side is not None:
        raise ValueError(f"{check.name} is not scored per side; leave the side out")
    if side is not None and side not in SIDES:
        raise ValueError(f"the side is left or right, not {_shown(side)}")
    return side


def new_result(
    check: Check,
    value: int | float,
    side: str | None,
    *,
    day: date,
    now: datetime,
    session_id: str | None = None,
    when: str | None = None,
) -> CheckResult:
    """A new result of `check`, done on `day` (at `now` when that is today, else at noon,
    as a session logged by hand); checked as a stored one would be (RecordError).

    ValueError when `day` is in the future: a result records what was done.
    """
    if day > now.date():
        raise ValueError(f"{day} is in the future; record checks you have done")
    # Another day: noon, with the local offset in force on that day (not today's: DST).
    at = now if day == now.date() else datetime.combine(day, time(12, 0)).astimezone()
    at = at.replace(microsecond=0)
    stamp = now.replace(microsecond=0)
    result = CheckResult(
        id=new_check_result_id(at),
        check_id=check.id,
        at=at,
        side=check_side(check, side),
        value=value,
        updated_at=stamp,
        session_id=session_id,
        when=when,
    )
    return check_result_from_json(result.to_json())


def _newest_first(results: Iterable[CheckResult]) -> list[CheckResult]:
    return sorted(results, key=lambda r: (r.at, r.updated_at, r.id), reverse=True)


def latest_values(results: Iterable[CheckResult], check_id: str) -> dict[str | None, int | float]:
    """The latest value of `check_id` per side ("left", "right", or None for a check that
    is not per side): what a program rule compares ("IR ease at least 6 on both sides").
    A side never scored is absent."""
    latest: dict[str | None, int | float] = {}
    for result in _newest_first(r for r in results if r.check_id == check_id):
        latest.setdefault(result.side, result.value)
    return latest


def latest_results(results: Iterable[CheckResult], check_id: str, count: int) -> list[CheckResult]:
    """The `count` latest results of `check_id`, newest first."""
    return _newest_first(r for r in results if r.check_id == check_id)[:count]


def format_value(value: int | float) -> str:
    """A value as people read it: 6, 12.5 (never 12.50 or 6.0)."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")


BeforeAfter = dict[tuple[str, str | None], tuple[int | float | None, int | float | None]]
"""Per (check id, side): the value before a session's exercises and the value after (None
when not scored then), in the order the checks were first done."""


def before_and_after(results: Iterable[CheckResult]) -> BeforeAfter:
    """What one session's results say, before and after (the latest of each, should a
    check be recorded twice), the checks in the order first done, left before right."""
    pairs: BeforeAfter = {}
    first_done: dict[str, datetime] = {}
    for result in sorted(results, key=lambda r: (r.at, r.updated_at, r.id)):
        first_done.setdefault(result.check_id, result.at)
        before, after = pairs.get((result.check_id, result.side), (None, None))
        if result.when == "before":
            before = result.value
        elif result.when == "after":
            after = result.value
        pairs[(result.check_id, result.side)] = (before, after)
    # Checks in the order first done; left before right, whatever the clock said.
    order = sorted(pairs, key=lambda key: (first_done[key[0]], key[0], _side_order(key[1])))
    return {key: pairs[key] for key in order}


def _side_order(side: str | None) -> int:
    return SIDES.index(side) if side in SIDES else len(SIDES)


def signed(change: int | float) -> str:
    """A change as people read it: +2, -1.5, 0."""
    return ("+" if change > 0 else "") + format_value(change)
