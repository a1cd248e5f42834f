"""`hipmob check` as a person at a prompt sees it, and the pure helpers behind it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.content.loading import Catalog
from hipmob_tui.history import fileformat
from hipmob_tui.history.checks import format_value, latest_values, new_result, parse_value
from hipmob_tui.history.store import Store
from tests.test_check_results_store import result

TODAY = date.today()
LATER = "2026-01-05T09:15:00+00:00"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def said(day: date) -> str:
    return day.strftime("%a %d %b %Y")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def test_record_a_per_side_check_and_see_it(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--db", str(db), "check", "ir-ease-90-90", "--value", "5", "--side", "left"
    )
    assert (code, err) == (0, "")
    assert out == (
        f"Recorded 90/90 Internal Rotation Ease, left: 5 (0–10 ease) on {said(TODAY)} in {db}\n"
    )
    code, out, _ = run(
        capsys, "--db", str(db), "check", "ir-ease-90-90", "--value", "7", "--side", "left"
    )
    assert out.startswith("Recorded 90/90 Internal Rotation Ease, left: 7 (0–10 ease; last ")
    assert f"last time 5, {said(TODAY)})" in out
    stored = Store(db).check_results()  # both in one second: in no particular order
    assert sorted((r.side, r.value, r.session_id, r.when, r.date) for r in stored) == [
        ("left", 5, None, None, TODAY),
        ("left", 7, None, None, TODAY),
    ]


def test_record_a_check_that_is_not_per_side_on_a_day_before(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--db", str(db), "check", "seated-reach", "--value", "12.5", "--date", "yesterday"
    )
    yesterday = TODAY - timedelta(days=1)
    assert (code, out) == (
        0,
        f"Recorded Seated Forward Reach, 12.5 (0–80 cm) on {said(yesterday)} in {db}\n",
    )
    (stored,) = Store(db).check_results()
    assert (stored.value, stored.side, stored.date, stored.at.hour) == (12.5, None, yesterday, 12)


def test_a_day_recorded_late_is_compared_with_the_result_before_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reach = ["--db", str(db), "check", "seated-reach", "--value"]
    run(capsys, *reach, "14")
    two_weeks_ago, last_week = TODAY - timedelta(days=14), TODAY - timedelta(days=7)
    _, out, _ = run(capsys, *reach, "10", "--date", two_weeks_ago.isoformat())
    assert out == f"Recorded Seated Forward Reach, 10 (0–80 cm) on {said(two_weeks_ago)} in {db}\n"
    _, out, _ = run(capsys, *reach, "12", "--date", last_week.isoformat())
    assert f"(0–80 cm; last time 10, {said(two_weeks_ago)}) on {said(last_week)}" in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["ir-ease-90-90", "--value", "5"],
            "90/90 Internal Rotation Ease is scored for each side; add --side left or --side right",
        ),
        (
            ["seated-reach", "--value", "5", "--side", "left"],
            "Seated Forward Reach is not scored per side; leave out --side",
        ),
        (
            ["movement-pain", "--value", "11"],
            "Pain on an Everyday Movement is scored from 0 to 10 (pain); 11 is outside that",
        ),
        (
            ["movement-pain", "--value", "-1"],
            "Pain on an Everyday Movement is scored as a number from 0 to 10 (pain), like 5; "
            "'-1' is not one",
        ),
        (
            ["movement-pain", "--value", "lots"],
            "Pain on an Everyday Movement is scored as a number from 0 to 10 (pain), like 5; "
            "'lots' is not one",
        ),
        (
            ["movement-pain", "--value", "3", "--date", "2999-01-01"],
            "2999-01-01 is in the future; record checks you have done",
        ),
    ],
)
def test_a_wrong_value_or_side_is_one_line_exit_1_and_nothing_written(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    run(capsys, "--db", str(db), "check", "movement-pain", "--value", "4")
    before = db.read_bytes()
    code, out, err = run(capsys, "--db", str(db), "check", *argv)
    assert (code, out) == (1, "")
    assert err == f"hipmob: error: nothing recorded: {says}\n"
    assert db.read_bytes() == before


def test_an_unknown_check_says_which_was_meant_and_creates_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(db), "check", "ir-ease", "--value", "3")
    assert (code, out) == (1, "")
    assert err == "hipmob: error: no check 'ir-ease'; did you mean 'ir-ease-90-90'?\n"
    assert not db.exists()
    code, _, err = run(capsys, "--db", str(db), "check", "zzz")
    assert code == 1 and "known checks: ir-ease-90-90, seated-reach, movement-pain" in err


def test_side_or_date_without_a_value_is_a_usage_error(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "check", "ir-ease-90-90", "--side", "left"])
    assert exit_info.value.code == 2
    assert "--side and --date go with --value" in capsys.readouterr().err


def test_show_a_check_its_instructions_and_latest_results(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "check", "ir-ease-90-90")
    assert code == 0 and not db.exists(), "showing reads only"
    lines = out.splitlines()
    assert lines[:3] == [
        "90/90 Internal Rotation Ease  (ir-ease-90-90, added by hipmob)",
        "scale: 0–10 ease, higher is better, each side",
        "score: How freely the back hip turns inward; 0 is stuck or painful, 10 is smooth "
        "and easy.",
    ]
    assert lines[4].startswith(" 1. Sit on the floor in the 90/90 position")
    assert lines[-2:] == [
        "No results yet.",
        "Record one: hipmob check ir-ease-90-90 --value N --side left|right",
    ]
    at = datetime(2026, 1, 5, 8, 0, tzinfo=UTC).astimezone()
    later = datetime.fromisoformat(LATER).astimezone()
    Store(db).add_check_results(
        [
            result(1, side="left", value=4),
            result(2, side="right", value=6, session_id="s00001", when="after", at=LATER),
        ]
    )
    code, out, _ = run(capsys, "--db", str(db), "check", "ir-ease-90-90")
    assert out.splitlines()[-4:] == [
        "Results:",
        f"  {said(later.date())}  {later:%H:%M}  right  6  after a session",
        f"  {said(at.date())}  {at:%H:%M}  left   4",
        "Record one: hipmob check ir-ease-90-90 --value N --side left|right",
    ]
    code, out, _ = run(capsys, "--db", str(db), "check", "ir-ease-90-90", "--json")
    shown = json.loads(out)
    assert shown["latest"] == {"left": 4, "right": 6}
    assert shown["check"]["id"] == "ir-ease-90-90" and len(shown["results"]) == 2


def test_json_of_a_recorded_result_is_the_documented_shape(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "check", "movement-pain", "--value", "3", "--json")
    stored = json.loads(out)
    assert code == 0 and stored == Store(db).check_results()[0].to_json()
    assert set(stored) == {
        "id",
        "check_id",
        "date",
        "at",
        "side",
        "value",
        "session_id",
        "when",
        "updated_at",
        "device",
    }
    assert stored["device"] == fileformat.device_of(json.loads(db.read_bytes()))


def test_latest_values_per_side_for_program_rules() -> None:
    results = [
        result(1, side="left", value=4),
        result(2, side="right", value=5),
        result(3, side="left", value=6, at="2026-01-06T08:00:00+00:00", date="2026-01-06"),
        result(4, check_id="movement-pain", side=None, value=2),
    ]
    assert latest_values(results, "ir-ease-90-90") == {"left": 6, "right": 5}
    assert latest_values(results, "movement-pain") == {None: 2}
    assert latest_values(results, "seated-reach") == {}
    assert latest_values(reversed(results), "ir-ease-90-90") == {"left": 6, "right": 5}


def test_values_are_read_as_people_type_them(builtin_catalog: Catalog) -> None:
    reach = builtin_catalog.checks["seated-reach"]
    assert [parse_value(text, reach) for text in ("12", " 12.5 ", "12,5", "12.0", "0")] == [
        12,
        12.5,
        12.5,
        12,
        0,
    ]
    assert isinstance(parse_value("12.0", reach), int)
    for bad in ("", "1e3", "12.555", "+3", "81", "nan"):
        with pytest.raises(ValueError, match="Seated Forward Reach is scored"):
            parse_value(bad, reach)
    assert [format_value(v) for v in (6, 12.5, 0.25)] == ["6", "12.5", "0.25"]


def test_a_new_result_is_checked_and_refuses_the_future(builtin_catalog: Catalog) -> None:
    ir = builtin_catalog.checks["ir-ease-90-90"]
    now = datetime(2026, 3, 2, 9, 30, 15, 999, tzinfo=UTC)
    made = new_result(ir, 6, "right", day=now.date(), now=now, session_id="s1", when="before")
    assert (made.at, made.updated_at, made.session_id, made.when) == (
        now.replace(microsecond=0),
        now,  # a version, to the microsecond
        "s1",
        "before",
    )
    with pytest.raises(ValueError, match="scored for each side"):
        new_result(ir, 6, None, day=now.date(), now=now)
    with pytest.raises(ValueError, match="in the future"):
        new_result(ir, 6, "left", day=now.date() + timedelta(days=1), now=now)


def test_before_and_after_of_one_session_orders_checks_then_left_and_right() -> None:
    from hipmob_tui.history.checks import before_and_after

    later = {"at": "2026-01-05T09:00:00+00:00", "updated_at": "2026-01-05T09:00:00+00:00"}
    results = [
        result(9, side="right", value=5, session_id="s1", when="before"),
        result(1, side="left", value=4, session_id="s1", when="before"),
        result(3, side="left", value=6, session_id="s1", when="after", **later),
        result(4, check_id="movement-pain", side=None, value=3, session_id="s1", when="after"),
    ]
    assert list(before_and_after(results).items()) == [
        (("ir-ease-90-90", "left"), (4, 6)),
        (("ir-ease-90-90", "right"), (5, None)),
        (("movement-pain", None), (None, 3)),
    ]


def test_results_at_the_same_time_list_left_before_right() -> None:
    from hipmob_tui.history.checks import latest_results

    same = [result(9, side="right", value=5), result(1, side="left", value=4)]
    assert [r.side for r in latest_results(same, "ir-ease-90-90", 2)] == ["left", "right"]
    assert [r.side for r in latest_results(same[::-1], "ir-ease-90-90", 2)] == ["left", "right"]
