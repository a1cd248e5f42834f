"""Merging histories follows one rule (per id, the greatest version stays; a tombstone is a
version), so it is commutative, associative and idempotent, and loses no completed session
the other side did not delete later. Day marks follow it per date (one mark a date; the
removal of a mark is a version of it), and lose no mark the other side did not remove later.

Histories are made as people make them: on two or three machines (history files with a
device each, clocks that disagree), sessions added, edited and deleted, days marked, marked
again otherwise and unmarked, some of them merged between the files along the way. Each
merge is the store's own, as `hipmob import` and `hipmob sync` run it.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmob_tui.history import versions
from hipmob_tui.history.records import DayMark, MarkTombstone, SessionRecord, Tombstone
from hipmob_tui.history.store import Store
from hipmob_tui.history.versions import VersionConflict
from tests.test_store import record

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 2, 1)
KINDS = ("rest", "flare", "away")


class Machine:
    """One history file on one machine, with a clock of its own (skewed, and moving)."""

    def __init__(self, path: Path, skew_minutes: int) -> None:
        self.now = START + timedelta(minutes=skew_minutes)
        self.store = Store(path, clock=lambda: self.now)

    def tick(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)


def state(store: Store) -> dict[str, Any]:
    """Everything a merge decides: each id's session or tombstone, and each date's mark or
    removal, to the byte."""
    facts = store.facts()[0]
    found: dict[str, Any] = {s.id: s.to_json() for s in facts.sessions}
    found.update({t.id: t.to_json() for t in facts.deleted})
    found.update({f"mark {m.date}": m.to_json() for m in facts.marks})
    found.update({f"mark {r.date}": r.to_json() for r in facts.deleted_marks})
    return found


def days(store: Store) -> dict[date, DayMark | MarkTombstone]:
    facts = store.facts()[0]
    found: dict[date, DayMark | MarkTombstone] = {m.date: m for m in facts.marks}
    found.update((r.date, r) for r in facts.deleted_marks)
    return found


def merge_into(target: Store, source: Store) -> None:
    facts = source.facts()[0]
    target.merge(
        facts.sessions, facts.marks, deleted=facts.deleted, deleted_marks=facts.deleted_marks
    )


def copy_of(store: Store, folder: Path, name: str) -> Store:
    """A fresh file holding `store`'s history (merged into an empty file)."""
    fresh = Store(folder / f"{name}.json")
    merge_into(fresh, store)
    return fresh


def merged(a: Store, b: Store, folder: Path, name: str) -> Store:
    result = copy_of(a, folder, name)
    merge_into(result, b)
    return result


operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "delete", "mark", "unmark", "sync"]),
        st.integers(0, 2),  # on which machine
        # which session (of those that machine has), with which machine, or which day
        # (of four) and kind
        st.integers(0, 40),
        st.integers(1, 600),  # seconds on that machine's clock first
    ),
    max_size=24,
)


def play(folder: Path, ops: list[tuple[str, int, int, int]], skews: list[int]) -> list[Store]:
    """Three machines that share a first session, then do `ops`."""
    machines = [Machine(folder / f"m{n}.json", skew) for n, skew in enumerate(skews)]
    for machine in machines:
        machine.store.merge([record(0)])
    made = 0
    for op, which, pick, seconds in ops:
        machine = machines[which]
        machine.tick(seconds)
        held = machine.store.sessions()
        if op == "add":
            made += 1
            machine.store.add(record(100 * which + made, status=("completed", "partial")[pick % 2]))
        elif op == "edit" and held:
            chosen = held[pick % len(held)]
            notes = f"edited on {which} at {machine.now:%H:%M:%S}"
            machine.store.update(chosen.id, lambda old, notes=notes: old.with_changes(notes=notes))
        elif op == "delete" and held:
            machine.store.delete(held[pick % len(held)].id)
        elif op == "mark":  # a day marked, or marked again otherwise
            day = FIRST_DAY + timedelta(days=pick % 4)
            note = f"on {which} at {machine.now:%H:%M:%S}" if pick % 3 else ""
            machine.store.set_marks([day], KINDS[pick % 3], note)
        elif op == "unmark":
            machine.store.remove_marks([FIRST_DAY + timedelta(days=pick % 4)])
        elif op == "sync":
            other = machines[pick % 3]
            if other is not machine:
                merge_into(machine.store, other.store)
    return [machine.store for machine in machines]


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.slow  # hundreds of real file writes
@SETTINGS
@given(operations, st.lists(st.integers(-90, 90), min_size=3, max_size=3))
def test_merging_is_commutative_associative_and_idempotent(
    ops: list[tuple[str, int, int, int]], skews: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        a, b, c = play(folder, ops, skews)
        ab, ba = merged(a, b, folder, "ab"), merged(b, a, folder, "ba")
        assert state(ab) == state(ba), "commutative"
        left = merged(ab, c, folder, "ab-c")
        right = merged(a, merged(b, c, folder, "bc"), folder, "a-bc")
        assert state(left) == state(right), "associative"
        assert state(merged(a, a, folder, "aa")) == state(a), "idempotent"
        before = ab.path.read_bytes()
        merge_into(ab, b)
        assert ab.path.read_bytes() == before, "merging again changes nothing, writes nothing"


@pytest.mark.slow
@SETTINGS
@given(operations, st.lists(st.integers(-90, 90), min_size=3, max_size=3))
def test_no_completed_session_is_lost_that_the_other_side_did_not_delete_later(
    ops: list[tuple[str, int, int, int]], skews: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        a, b, _c = play(folder, ops, skews)
        result = {s.id: s for s in merged(a, b, folder, "ab").sessions()}
        deleted_in_b = {t.id: t for t in b.facts()[0].deleted}
        for session in a.sessions():
            if not session.completed:
                continue
            tombstone = deleted_in_b.get(session.id)
            if tombstone is not None and tombstone.version > session.version:
                assert session.id not in result, "deleted later on the other side: gone"
            else:
                kept = result.get(session.id)
                assert kept is not None, f"{session.id} was lost"
                assert kept.version >= session.version, "never an older version"


@pytest.mark.slow
@SETTINGS
@given(operations, st.lists(st.integers(-90, 90), min_size=3, max_size=3))
def test_no_mark_is_lost_that_the_other_side_did_not_remove_later(
    ops: list[tuple[str, int, int, int]], skews: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        a, b, _c = play(folder, ops, skews)
        result = days(merged(a, b, folder, "ab"))
        in_b = days(b)
        for mark in a.marks():
            theirs, kept = in_b.get(mark.date), result.get(mark.date)
            if isinstance(theirs, MarkTombstone) and theirs.version > mark.version:
                assert kept == theirs, "removed later on the other side: gone"
            else:
                assert isinstance(kept, DayMark), f"the mark of {mark.date} was lost"
                assert kept.version >= mark.version, "never an older version"
        for removal in a.facts()[0].deleted_marks:
            theirs, kept = in_b.get(removal.date), result.get(removal.date)
            if theirs is None or theirs.version < removal.version:
                assert kept == removal, "removed here later than the other side's: removed"


entries = st.builds(
    lambda n, minute, device, deleted: (
        Tombstone(f"s{n:05d}", START + timedelta(minutes=minute), device)
        if deleted
        else record(n).with_version(START + timedelta(minutes=minute), device)
    ),
    st.integers(1, 4),
    st.integers(0, 5),
    st.sampled_from(["", "a", "b"]),
    st.booleans(),
)
# A version names one content: hipmob makes no two things under one version.
histories = st.lists(entries, max_size=6).filter(
    lambda found: len({(e.id, e.version) for e in found}) == len(found)
)


def _one_thing_per_version(*lists: list[SessionRecord | Tombstone]) -> bool:
    seen: dict[tuple[object, ...], object] = {}
    for entry in (e for found in lists for e in found):
        key = (entry.id, entry.version)
        if key in seen and not versions.same(seen[key], entry):  # type: ignore[arg-type]
            return False
        seen[key] = entry
    return True


@given(histories, histories, histories)
def test_the_rule_itself_obeys_the_three_laws(
    a: list[SessionRecord | Tombstone],
    b: list[SessionRecord | Tombstone],
    c: list[SessionRecord | Tombstone],
) -> None:
    if not _one_thing_per_version(a, b, c):
        return
    ab = list(versions.merged(a, b).values())
    assert versions.merged(a, b) == versions.merged(b, a)
    bc = list(versions.merged(b, c).values())
    assert versions.merged(ab, c) == versions.merged(a, bc)
    assert versions.merged(a, a) == versions.merged(a)


def test_two_different_things_under_one_version_are_refused_whatever_the_order() -> None:
    session = record(1).with_version(START, "a")
    other = session.with_changes(notes="not the same")
    deletion = Tombstone(session.id, START, "a")
    for first, second in [(session, other), (other, session), (session, deletion)]:
        with pytest.raises(VersionConflict, match="'s00001'"):
            versions.merged([first], [second])


def _day_entry(n: int, minute: int, device: str, kind: int) -> DayMark | MarkTombstone:
    """Mark `n` of one of three dates (its id names the date, as hipmob's do), or the
    removal of that date's mark (kind 3)."""
    day = FIRST_DAY + timedelta(days=n % 3)
    when = START + timedelta(minutes=minute)
    if kind == 3:
        return MarkTombstone(day, when, device)
    made = START - timedelta(days=1)
    return DayMark(f"mark-{day:%Y%m%d}-{n:02d}", day, KINDS[kind], "", made, when, device)


day_entries = st.builds(
    _day_entry,
    st.integers(0, 5),
    st.integers(0, 5),
    st.sampled_from(["", "a", "b"]),
    st.integers(0, 3),
)


def _marks_and_removals(
    found: list[DayMark | MarkTombstone],
) -> tuple[list[DayMark], list[MarkTombstone]]:
    return (
        [e for e in found if isinstance(e, DayMark)],
        [e for e in found if isinstance(e, MarkTombstone)],
    )


def _per_date(*lists: list[DayMark | MarkTombstone]) -> dict[date, DayMark | MarkTombstone]:
    """The rule applied to the lists together, as merging them one into another does."""
    marks, removals = _marks_and_removals([e for found in lists for e in found])
    return versions.newest_per_date(marks, removals)


@given(*[st.lists(day_entries, max_size=6)] * 3)
def test_the_rule_for_marks_obeys_the_three_laws(
    a: list[DayMark | MarkTombstone],
    b: list[DayMark | MarkTombstone],
    c: list[DayMark | MarkTombstone],
) -> None:
    ab = list(_per_date(a, b).values())
    assert _per_date(a, b) == _per_date(b, a)
    assert _per_date(ab, c) == _per_date(a, list(_per_date(b, c).values()))
    assert _per_date(a, a) == _per_date(a)
    assert _per_date(list(_per_date(a).values())) == _per_date(a), "what is stored merges alike"
