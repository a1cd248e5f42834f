"""`hipmob streak` through the store and the per-day summary equals the streak rule applied
to the raw records and marks: over random histories, written in random orders (appended,
parsed, marks changed in between), with sessions logged in zones with DST changes."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmob_tui.cli.main import main
from hipmob_tui.history import store as store_module
from hipmob_tui.history import summary
from hipmob_tui.history.records import SessionRecord, from_json
from hipmob_tui.history.store import Store
from hipmob_tui.history.streaks import MARK_KINDS, streak

TODAY = date.today()
ZONES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati", "UTC")
"""Spring and autumn changes, a half-hour change, a zone far ahead of UTC."""


def session(n: int, day_back: int, hour: int, zone: str, completed: bool) -> SessionRecord:
    local = datetime.combine(TODAY - timedelta(days=day_back), datetime.min.time())
    start = local.replace(hour=hour, tzinfo=ZoneInfo(zone))
    start = start.astimezone(ZoneInfo(zone))  # the offset in force then
    return from_json(
        {
            "id": f"p{n:05d}",
            "routine_id": "desk-reset",
            "routine_name": "Desk Reset",
            "started_at": start.isoformat(),
            "ended_at": (start + timedelta(minutes=10)).isoformat(),
            "status": "completed" if completed else "partial",
            "planned_seconds": 600,
            "active_seconds": 600,
        }
    )


sessions_strategy = st.lists(
    st.tuples(
        st.integers(0, 60),
        st.integers(0, 23),
        st.sampled_from(ZONES),
        st.booleans(),
    ),
    max_size=25,
)
marks_strategy = st.dictionaries(
    st.integers(-3, 60), st.sampled_from(MARK_KINDS), max_size=15
)  # negative: planned days ahead


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    sessions=sessions_strategy,
    marks=marks_strategy,
    goal=st.integers(1, 7),
    max_rest=st.integers(0, 3),
    split=st.integers(0, 25),
    cold=st.booleans(),
)
def test_the_streak_command_matches_the_rule_on_the_raw_records(
    tmp_path_factory: pytest.TempPathFactory,
    sessions: list[tuple[int, int, str, bool]],
    marks: dict[int, str],
    goal: int,
    max_rest: int,
    split: int,
    cold: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    db = folder / "hipmob.json"
    config = folder / "config" / "hipmob" / "settings.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"weekly_goal": goal, "max_rest_days_per_week": max_rest}))
    records = [session(n, *fields) for n, fields in enumerate(sessions)]
    store = Store(db)
    store.merge(records[:split])
    by_kind: dict[str, list[date]] = {}
    for back, kind in marks.items():
        by_kind.setdefault(kind, []).append(TODAY - timedelta(days=back))
    for kind, days in by_kind.items():
        store.set_marks(days, kind)
    store_module._written.clear()  # the next add as another process: from the index
    for record in records[split:]:
        store.add(record)  # the append path, one session at a time
    if cold:
        summary.forget(db)  # as after a hand edit: the summary is rebuilt from the file
    expected = streak(
        (r.date for r in records if r.completed),
        TODAY,
        goal,
        {TODAY - timedelta(days=back): kind for back, kind in marks.items()},
        max_rest,
    )
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    try:
        assert main(["--db", str(db), "streak", "--json"]) == 0
    finally:
        if old is None:
            del os.environ["XDG_CONFIG_HOME"]
        else:
            os.environ["XDG_CONFIG_HOME"] = old
    shown = json.loads(capsys.readouterr().out)
    del shown["path"]
    assert shown == expected.to_json()
    assert Store(db).days() == summary.of_records(Store(db).sessions(), Store(db).marks())
