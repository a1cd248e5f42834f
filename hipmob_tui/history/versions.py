"""The merge rule: for each id, the version with the greatest (`updated_at`, `device`) stays.

A session and the tombstone its deletion left are two versions of one id, compared alike:
a later edit brings a deleted session back, a later deletion removes an edited one. Taking
the greatest of a totally ordered key is commutative, associative and idempotent, so two
histories merged either way, in any grouping, any number of times, end the same.

Two different things under one version cannot come from hipmob (a version names the file
that made it and the microsecond); they are a `VersionConflict`, never a silent pick.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hipmob_tui.history.records import (
    CheckResult,
    DayMark,
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
