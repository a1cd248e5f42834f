"""`salvage_all` finds in a damaged file what each salvage function finds on its own.

`hipmob doctor` decodes and scans the file once for every kind of fact (sessions, marks,
their removals, check results, plan facts, tombstones); the functions for one kind remain
the reference, on files damaged anywhere.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmob_tui.history.fileformat import (
    Salvaged,
    salvage,
    salvage_all,
    salvage_check_results,
    salvage_mark_removals,
    salvage_marks,
    salvage_plan_facts,
    salvage_tombstones,
)
from hipmob_tui.history.records import plan_fact_from_json
from hipmob_tui.history.store import Store
from tests.test_check_results_store import result
from tests.test_store import PLAN_FACT, record


def every_kind(db: Path) -> bytes:
    """A file with every kind of fact, as hipmob writes them."""
    store = Store(db)
    store.merge([record(n, day_offset=n) for n in range(1, 6)])
    store.delete(record(2, day_offset=2).id)
    store.set_marks([date(2026, 1, 10), date(2026, 1, 11)], "rest", "tired")
    store.remove_marks([date(2026, 1, 11)])
    store.add_check_results([result(1), result(2, side="right")])
    store.add_plan_fact(plan_fact_from_json(PLAN_FACT))
    return db.read_bytes()


def one_by_one(raw: bytes) -> Salvaged:
    renamed: list[tuple[str, str]] = []
    return Salvaged(
        salvage(raw, renamed),
        salvage_marks(raw),
        salvage_check_results(raw),
        salvage_plan_facts(raw),
        salvage_tombstones(raw),
        salvage_mark_removals(raw),
    )


def test_an_undamaged_file_gives_every_fact_of_every_kind(tmp_path: Path) -> None:
    raw = every_kind(tmp_path / "hipmob.json")
    found = salvage_all(raw)
    assert found == one_by_one(raw)
    assert [len(kind) for kind in found] == [4, 1, 2, 1, 1, 1]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_file_damaged_anywhere_gives_the_same_facts(tmp_path: Path, data: st.DataObject) -> None:
    db = tmp_path / "hipmob.json"
    if not db.exists():
        every_kind(db)
    raw = bytearray(db.read_bytes())
    start = data.draw(st.integers(0, len(raw) - 1))
    length = data.draw(st.integers(1, 200))
    junk = data.draw(st.binary(min_size=0, max_size=length))
    raw[start : start + length] = junk
    assert salvage_all(bytes(raw)) == one_by_one(bytes(raw))
