"""Self-checks in Progress: a weekly trend per side (the median of each week) and the
change within sessions (after − before), from `hipmob progress` and its JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.checks import check_progress, sparkline
from hipmob_tui.history.records import CheckResult
from hipmob_tui.history.store import Store
from tests.test_store import record

TODAY = date(2026, 11, 25)  # a Wednesday
MONDAY = date(2026, 11, 23)


def done(
    n: int,
    day: date,
    value: float,
    *,
    check_id: str = "ir-ease-90-90",
    side: str | None = "left",
    session: str | None = None,
    when: str | None = None,
    minute: int = 0,
) -> CheckResult:
    at = datetime(day.year, day.month, day.day, 8, minute, tzinfo=UTC)
    return CheckResult(f"c{n}", check_id, at, side, value, at, session, when)


def sessions_checked(days: list[date], changes: list[tuple[int, int]]) -> list[CheckResult]:
    """One session a day, IR checked on both sides before (minute 0) and after (minute 30)."""
    results = []
    for number, (day, (before, after)) in enumerate(zip(days, changes, strict=True)):
        for side_number, side in enumerate(("left", "right")):
            base = 10 * number + 4 * side_number
            session = f"s{number}"
            results.append(done(base, day, before, side=side, session=session, when="before"))
            results.append(
                done(base + 1, day, after, side=side, session=session, when="after", minute=30)
            )
    return results


def test_the_weekly_trend_is_the_median_of_each_week_per_side(
    builtin_catalog: Catalog,
) -> None:
    results = [
        done(1, MONDAY - timedelta(weeks=1), 3),
        done(2, MONDAY - timedelta(weeks=1), 5),
        done(3, MONDAY, 6),
        done(4, MONDAY, 8, side="right"),
        done(5, MONDAY - timedelta(weeks=9), 1),  # before the weeks shown: in no week
    ]
    (ir,) = check_progress(results, builtin_catalog.checks, TODAY, 3)
    left, right = ir.sides
    assert [(w.monday, w.median, w.results) for w in left.weeks] == [
        (MONDAY - timedelta(weeks=2), None, 0),
        (MONDAY - timedelta(weeks=1), 4.0, 2),
        (MONDAY, 6.0, 1),
    ]
    assert (left.latest, right.latest) == (6, 8)
    assert [w.median for w in right.weeks] == [None, None, 8.0]
    assert (ir.trend(left), ir.trend(right)) == ("·▄▅", "··▇")
    assert ir.change.pairs == 0 and ir.headline == ""
    assert (ir.results, ir.last_done, ir.better, ir.unit) == (5, MONDAY, "higher", "ease")


def test_the_change_within_sessions_is_a_median_over_every_side(
    builtin_catalog: Catalog,
) -> None:
    days = [MONDAY - timedelta(days=n) for n in (1, 2, 3)]
    results = sessions_checked(days, [(4, 6), (5, 8), (5, 6)])
    (ir,) = check_progress(results, builtin_catalog.checks, TODAY, 2)
    left, right = ir.sides
    assert (left.change.median_change, left.change.pairs) == (2.0, 3)
    assert left.change.median_text == "+2"
    assert (ir.change.pairs, ir.sessions_checked, ir.change.low, ir.change.high) == (6, 3, 1, 3)
    assert ir.headline == (
        "90/90 Internal Rotation Ease: +2 after the session, median of 3 sessions, both sides "
        "(higher is better)"
    )


def test_under_three_sessions_there_is_no_median_only_the_count(
    builtin_catalog: Catalog,
) -> None:
    results = [
        done(1, MONDAY, 3, check_id="movement-pain", side=None, session="s1", when="before"),
        done(2, MONDAY, 1, check_id="movement-pain", side=None, session="s1", when="after"),
        done(3, MONDAY, 5, check_id="movement-pain", side=None),  # alone: no pair
    ]
    (pain,) = check_progress(results, builtin_catalog.checks, TODAY, 1)
    (only,) = pain.sides
    assert only.side is None and only.change.median_change is None
    assert (only.change.median_text, only.change.pairs) == ("too few", 1)
    assert pain.headline == (
        "Pain on an Everyday Movement: checked before and after in 1 session, too few to say"
    )


def test_two_sessions_of_a_per_side_check_are_still_too_few(builtin_catalog: Catalog) -> None:
    """Four pairs, but two sessions: the words agree with each side's "too few"."""
    days = [MONDAY - timedelta(days=n) for n in (1, 2)]
    (ir,) = check_progress(
        sessions_checked(days, [(4, 6), (5, 8)]), builtin_catalog.checks, TODAY, 2
    )
    assert all(side.change.median_text == "too few" for side in ir.sides)
    assert ir.headline == (
        "90/90 Internal Rotation Ease: checked before and after in 2 sessions, both sides, "
        "too few to say"
    )


def test_a_check_no_longer_defined_is_still_shown_under_its_id(
    builtin_catalog: Catalog,
) -> None:
    results = [done(1, MONDAY, 30, check_id="knee-to-wall", side=None), done(2, MONDAY, 5)]
    found = check_progress(results, builtin_catalog.checks, TODAY, 1)
    assert [(c.check_id, c.name) for c in found] == [
        ("ir-ease-90-90", "90/90 Internal Rotation Ease"),
        ("knee-to-wall", "knee-to-wall"),
    ]
    assert [s.side for s in found[1].sides] == [None]


def test_sparkline_spans_the_scale() -> None:
    assert sparkline([0, 5, 10, None, 2.5], 0, 10) == "▁▅█·▃"
    assert sparkline([40], 0, 80) == "▅"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def _checked_history(db: Path) -> None:
    today = date.today()
    days = [today - timedelta(days=n) for n in (0, 1, 2)]
    Store(db).merge([record(1)])
    results = sessions_checked(days, [(4, 6), (5, 8), (5, 6)])
    results.append(done(99, today, 21.5, check_id="seated-reach", side=None))
    Store(db).add_check_results(results)


def test_hipmob_progress_shows_each_checks_trend_and_change(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _checked_history(db)
    assert main(["--db", str(db), "progress", "--weeks", "4"]) == 0
    out = capsys.readouterr().out
    section = out.split("Self-checks", 1)[1].splitlines()
    assert section[0] == (
        " (the median of each week, the last 4; change within sessions: after minus before, "
        "median and n)"
    )
    header, left, right, reach, headline = section[1:6]
    assert header.split() == ["CHECK", "SIDE", "LATEST", "TREND", "CHANGE", "N"]
    assert left.startswith("90/90 Internal Rotation Ease  left   ")
    assert left.split()[-2:] == ["+2", "3"] and "6 ease" in left
    assert right.split()[:3] == ["right", "6", "ease"]
    assert reach.startswith("Seated Forward Reach ") and "21.5 cm" in reach
    assert headline.startswith("90/90 Internal Rotation Ease: +2 after the session, median")


def test_progress_json_carries_the_checks(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _checked_history(db)
    assert main(["--db", str(db), "progress", "--json", "--weeks", "2"]) == 0
    found: dict[str, Any] = json.loads(capsys.readouterr().out)
    ir, reach = found["checks"]
    assert set(ir) == {
        "check_id",
        "name",
        "unit",
        "better",
        "results",
        "last_done",
        "sides",
        "change",
        "sessions_checked",
    }
    assert [side["side"] for side in ir["sides"]] == ["left", "right"]
    assert set(ir["sides"][0]) == {"side", "latest", "weeks", "change"}
    assert len(ir["sides"][0]["weeks"]) == 2
    assert ir["change"] == {"pairs": 6, "median_change": 2.0, "low": 1, "high": 3}
    assert reach["sides"][0]["latest"] == 21.5 and reach["sides"][0]["side"] is None


def test_checks_without_sessions_are_still_shown(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).add_check_results([done(1, date.today(), 7, check_id="movement-pain", side=None)])
    assert main(["--db", str(db), "progress"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("no sessions yet at")
    assert "Pain on an Everyday Movement" in out


def test_the_demo_history_has_checks_before_and_after_its_full_sessions(
    builtin_catalog: Catalog,
) -> None:
    from hipmob_tui.history.demo import demo_check_results, demo_sessions

    sessions = demo_sessions(builtin_catalog, TODAY, 120)
    results = demo_check_results(builtin_catalog, sessions, TODAY)
    assert results == demo_check_results(builtin_catalog, sessions, TODAY), "reproducible"
    full = {s.id for s in sessions if s.routine_id == "full-session" and s.completed}
    paired = {r.session_id for r in results if r.when == "after"}
    assert paired == full and {r.check_id for r in results} == {"ir-ease-90-90", "seated-reach"}
    ir, reach = check_progress(results, builtin_catalog.checks, TODAY, 12)
    assert ir.change.median_change is not None and ir.change.median_change > 0
    assert reach.results >= 10
