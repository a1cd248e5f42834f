"""The merge rule: for each id, the version with the greatest (`updated_at`, `device`) stays.

A session and the tombstone its deletion left are two versions of one id, compared alike:
a later edit brings a deleted session back, a later deletion removes an edited one. Taking
the greatest of a totally ordered key is commutative, associative and idempotent, so two
histories merged either way, in any grouping, any number of times, end the same.

Two different things under one version cannot come from hipmob (a version names the file
that made it and the microsecond); they are a `VersionConflict`, never a silent pick.

Marks, check results and plan facts carry versions too (`fact_rank`). A date has one day
mark, so a removed mark leaves the tombstone of its date, compared with that date's marks
by the same rule (`newest_per_date`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from hipmob_tui.history.records import (
    CheckResult,
    DayMark,
    MarkTombstone,
    PlanFact,
    RecordError,
    SessionRecord,
    Tombstone,
    version_key,
)

Entry = SessionRecord | Tombstone
"""What one id holds in a history: a session, or the tombstone of its deletion."""

Fact = DayMark | CheckResult | PlanFact
"""A fact kept beside the sessions, with a version of its own as a session has."""

DayEntry = DayMark | MarkTombstone
"""What one date holds in a history: a mark, or the tombstone of its removal."""


class VersionConflict(RecordError):
    """Two different sessions (or a session and a deletion) under one id and one version."""

    def __init__(self, first: Entry, second: Entry) -> None:
        what = "a session and its deletion" if type(first) is not type(second) else "two sessions"
        super().__init__(
            f"{what} differ under one id {first.id!r} and one version "
            f"({version_key(first.version)}): one of the histories was changed by hand or "
            "by another program"
        )
        self.id = first.id


def same(first: Entry, second: Entry) -> bool:
    """Whether two entries are the same thing, to the byte of their JSON."""
    if isinstance(first, Tombstone) or isinstance(second, Tombstone):
        return first == second
    # Equal aware datetimes may differ in their offset: so may their JSON.
    return (
        first == second
        and first.started_at.utcoffset() == second.started_at.utcoffset()
        and first.ended_at.utcoffset() == second.ended_at.utcoffset()
    )


def newer(first: Entry, second: Entry) -> Entry:
    """The entry that stays of two versions of one id; VersionConflict when they are
    different things under one version."""
    if first.version > second.version:
        return first
    if second.version > first.version:
        return second
    if same(first, second):
        return first
    raise VersionConflict(first, second)


def newest_by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Each id's newest entry (an export may hold a session and its tombstone: a merge by
    hand); VersionConflict as `newer` raises it."""
    found: dict[str, Entry] = {}
    for entry in entries:
        other = found.get(entry.id)
        found[entry.id] = entry if other is None else newer(other, entry)
    return found


def merged(*histories: Iterable[Entry]) -> dict[str, Entry]:
    """The histories merged by the rule: each id's newest entry over all of them."""
    return newest_by_id(entry for history in histories for entry in history)


def fact_rank(fact: Fact) -> tuple[datetime, str, str]:
    """Which of two versions of one mark, check result or plan fact stays: the greater
    version (`updated_at`, `device`), as for sessions. Two different facts under one
    version come from no hipmob (only from a file or export changed by hand, or from
    facts saved before they kept their device, to the second): the one whose JSON sorts
    last stays, so both sides of a merge still pick the same."""
    import json

    return (*fact.version, json.dumps(fact.to_json(), sort_keys=True))


def day_rank(entry: DayEntry) -> tuple[datetime, str, bool, str]:
    """Which of the marks and removals of one date stays: the greatest version, as for a
    session and its deletion (a mark set later is back, a removal made later removes).
    At one version, which no hipmob makes, the mark wins over the removal (nothing is
    lost), then the JSON decides, as `fact_rank` does."""
    import json

    return (
        *entry.version,
        isinstance(entry, DayMark),
        json.dumps(entry.to_json(), sort_keys=True),
    )


def newest_per_date(
    marks: Iterable[DayMark], removals: Iterable[MarkTombstone] = ()
) -> dict[date, DayEntry]:
    """Each date's mark or removal that stays: of each mark id its newest version (a mark
    never changes its date), then of each date the greatest `day_rank`. Taking greatest
    values, this is commutative, associative and idempotent, as `merged` is."""
    by_id: dict[str, DayMark] = {}
    for mark in marks:
        other = by_id.get(mark.id)
        if other is None or day_rank(other) < day_rank(mark):
            by_id[mark.id] = mark
    found: dict[date, DayEntry] = {}
    entries: list[DayEntry] = [*by_id.values(), *removals]
    for entry in entries:
        other_entry = found.get(entry.date)
        if other_entry is None or day_rank(other_entry) < day_rank(entry):
            found[entry.date] = entry
    return found
