"""Self-check results as people give them, as rules read them, and as Progress sums them
up: pure functions, no storage."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from hipmob_tui.history.records import (
    SIDES,
    CheckResult,
    check_result_from_json,
    new_check_result_id,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
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
    result = CheckResult(
        id=new_check_result_id(at),
        check_id=check.id,
        at=at,
        side=check_side(check, side),
        value=value,
        updated_at=now,  # its version, to the microsecond, as a session's
        session_id=session_id,
        when=when,
    )
    return check_result_from_json(result.to_json())


def _newest_first(results: Iterable[CheckResult]) -> list[CheckResult]:
    """Newest first; at the same time, left before right (then by id, so always alike)."""
    by_side = sorted(results, key=lambda r: (_side_order(r.side), r.id))
    return sorted(by_side, key=lambda r: (r.at, r.updated_at), reverse=True)


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


# -- Progress: a trend per side over weeks, and the change within sessions -------------------

ENOUGH_PAIRS = 3
"""Sessions checked before and after needed for a median change (as for pain)."""
_BLOCKS = "▁▂▃▄▅▆▇█"
NO_RESULT = "·"
"""A week without a result, in a trend line."""


@dataclass(frozen=True, slots=True)
class CheckWeek:
    """One week of a check's trend on one side: the median of its results."""

    monday: date
    median: float | None
    """None when the week has no result."""
    results: int

    def to_json(self) -> dict[str, object]:
        return {"week": self.monday.isoformat(), "median": self.median, "results": self.results}


@dataclass(frozen=True, slots=True)
class SessionChange:
    """How a check changed within sessions (after − before), over the sessions that
    checked it both before and after."""

    pairs: int
    median_change: float | None
    """None under ENOUGH_PAIRS pairs: too few to say."""
    low: float | None
    high: float | None

    @property
    def median_text(self) -> str:
        """The median change ("+2"), "too few" under ENOUGH_PAIRS, or "" with none."""
        if self.median_change is not None:
            return signed(_whole(self.median_change))
        return "too few" if self.pairs else ""

    def to_json(self) -> dict[str, object]:
        return {
            "pairs": self.pairs,
            "median_change": self.median_change,
            "low": self.low,
            "high": self.high,
        }


@dataclass(frozen=True, slots=True)
class SideProgress:
    """One side of a check (or the check itself, side None): its trend and its change."""

    side: str | None
    latest: int | float | None
    weeks: tuple[CheckWeek, ...]
    """Oldest first, ending with this week."""
    change: SessionChange

    def to_json(self) -> dict[str, object]:
        return {
            "side": self.side,
            "latest": self.latest,
            "weeks": [week.to_json() for week in self.weeks],
            "change": self.change.to_json(),
        }


@dataclass(frozen=True, slots=True)
class CheckProgress:
    """What Progress shows of one check: per side, the weekly trend and the change
    within sessions; and that change over both sides together."""

    check_id: str
    name: str
    unit: str
    better: str
    low: int
    high: int
    """The scale, for drawing the trend."""
    results: int
    last_done: date
    sides: tuple[SideProgress, ...]
    change: SessionChange
    """Over every side: each side of each session is one pair."""
    sessions_checked: int
    """Sessions checked before and after (on at least one side)."""

    def trend(self, side: SideProgress) -> str:
        """The side's weeks as a line of bars (the scale's bottom to its top), "·" for a
        week without a result."""
        return sparkline([week.median for week in side.weeks], self.low, self.high)

    @property
    def headline(self) -> str:
        """The change in words: "90/90 Internal Rotation Ease: +2 after the session,
        median of 5"; "" when it was never checked before and after a session."""
        change, sessions = self.change, self.sessions_checked
        counted = f"{sessions} session{'' if sessions == 1 else 's'}"
        if len(self.sides) > 1:
            counted += ", both sides"
        # Under three sessions, only "too few", as each side's row says: two sessions of a
        # per-side check are four pairs, but still two sessions.
        if change.median_change is not None and sessions >= 3:
            return (
                f"{self.name}: {signed(_whole(change.median_change))} after the session, "
                f"median of {counted} ({self.better} is better)"
            )
        if change.pairs:
            return f"{self.name}: checked before and after in {counted}, too few to say"
        return ""

    def to_json(self) -> dict[str, object]:
        return {
            "check_id": self.check_id,
            "name": self.name,
            "unit": self.unit,
            "better": self.better,
            "results": self.results,
            "last_done": self.last_done.isoformat(),
            "sides": [side.to_json() for side in self.sides],
            "change": self.change.to_json(),
            "sessions_checked": self.sessions_checked,
        }


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def sparkline(values: Sequence[float | None], low: float, high: float) -> str:
    """One character per value: a bar from the bottom of the scale to its top."""
    span = (high - low) or 1
    top = len(_BLOCKS) - 1
    return "".join(
        NO_RESULT if value is None else _BLOCKS[max(0, min(top, round((value - low) / span * top)))]
        for value in values
    )


def _change(changes: list[float]) -> SessionChange:
    return SessionChange(
        pairs=len(changes),
        median_change=float(median(changes)) if len(changes) >= ENOUGH_PAIRS else None,
        low=min(changes, default=None),
        high=max(changes, default=None),
    )


def session_changes(
    results: Iterable[CheckResult],
) -> dict[tuple[str, str | None], list[tuple[str, float]]]:
    """Per (check id, side), the session id and the change (after − before) of each
    session that did the check on that side both before and after its exercises, oldest
    session first."""
    by_session: dict[str, list[CheckResult]] = {}
    for result in results:
        if result.session_id is not None:
            by_session.setdefault(result.session_id, []).append(result)
    dated = sorted(by_session.values(), key=lambda rs: min(r.at for r in rs))
    changes: dict[tuple[str, str | None], list[tuple[str, float]]] = {}
    for session in dated:
        for key, (before, after) in before_and_after(session).items():
            if before is not None and after is not None:
                changes.setdefault(key, []).append((session[0].session_id or "", after - before))
    return changes


def check_progress(
    results: Sequence[CheckResult], checks: Mapping[str, Check], today: date, weeks: int
) -> tuple[CheckProgress, ...]:
    """Every check with a result: in the catalog's order, then any no longer defined."""
    by_check: dict[str, list[CheckResult]] = {}
    for result in results:
        by_check.setdefault(result.check_id, []).append(result)
    changes = session_changes(results)
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    ordered = [i for i in checks if i in by_check] + sorted(i for i in by_check if i not in checks)
    found = []
    for check_id in ordered:
        done = by_check[check_id]
        check = checks.get(check_id)
        sides: list[str | None] = (
            list(SIDES) if (check.per_side if check else any(r.side for r in done)) else [None]
        )
        latest = latest_values(done, check_id)
        per_side = []
        for side in sides:
            grouped: dict[date, list[float]] = {}
            for result in done:
                if result.side == side:
                    monday = result.date - timedelta(days=result.date.weekday())
                    grouped.setdefault(monday, []).append(result.value)
            trend = []
            for n in range(weeks):
                monday = first + timedelta(weeks=n)
                values = grouped.get(monday, [])
                trend.append(
                    CheckWeek(monday, float(median(values)) if values else None, len(values))
                )
            paired = changes.get((check_id, side), [])
            per_side.append(
                SideProgress(side, latest.get(side), tuple(trend), _change([c for _s, c in paired]))
            )
        values = [r.value for r in done]
        pooled = [pair for side in sides for pair in changes.get((check_id, side), [])]
        found.append(
            CheckProgress(
                check_id=check_id,
                name=check.name if check else check_id,
                unit=check.unit if check else "",
                better=check.better if check else "higher",
                low=check.scale.low if check else math.floor(min(values)),
                high=check.scale.high if check else math.ceil(max(values)),
                results=len(done),
                last_done=max(r.date for r in done),
                sides=tuple(per_side),
                change=_change([c for _s, c in pooled]),
                sessions_checked=len({session_id for session_id, _c in pooled}),
            )
        )
    return tuple(found)
