"""`hipmob mark`, `unmark` and `streak --explain` as a person at a prompt sees them."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history.store import Store
from tests.test_store import record

TODAY = date.today()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no settings.json
    return tmp_path / "data" / "hipmob.json"


def said(day: date) -> str:
    return day.strftime("%a %d %b %Y")


def test_mark_a_day_change_it_and_unmark_it(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    day = date(2026, 12, 5)
    assert run(capsys, "--db", str(db), "mark", "rest", "--date", "2026-12-05") == (
        0,
        "Marked Sat 05 Dec 2026 as rest.\n",
        "",
    )
    code, out, _ = run(capsys, "--db", str(db), "mark", "flare", "--date", "2026-12-05")
    assert (code, out) == (0, "Marked Sat 05 Dec 2026 as flare (it was rest).\n")
    code, out, _ = run(capsys, "--db", str(db), "mark", "flare", "--date", "2026-12-05")
    assert out == "Sat 05 Dec 2026 is already marked as flare.\n"
    assert [(m.date, m.kind) for m in Store(db).marks()] == [(day, "flare")]
    code, out, _ = run(capsys, "--db", str(db), "unmark", "--date", "2026-12-05")
    assert (code, out) == (0, "Removed the mark of Sat 05 Dec 2026 (flare).\n")
    code, out, _ = run(capsys, "--db", str(db), "unmark", "--date", "2026-12-05")
    assert (code, out) == (0, "Sat 05 Dec 2026 has no mark; nothing to remove.\n")
    assert Store(db).marks() == []


def test_today_and_yesterday_as_log_reads_them(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", str(db), "mark", "away", "--note", "train")[0] == 0
    assert run(capsys, "--db", str(db), "mark", "away", "--date", "yesterday")[0] == 0
    marks = Store(db).marks()
    assert [(m.date, m.note) for m in marks] == [
        (TODAY - timedelta(days=1), ""),
        (TODAY, "train"),
    ]


def test_a_range_is_counted_and_unmarked_in_one_go(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--db", str(db), "mark", "away", "--from", "2026-03-02", "--to", "2026-03-04"
    )
    assert (code, out) == (0, "Marked 3 days as away, Mon 02 Mar 2026 to Wed 04 Mar 2026.\n")
    code, out, _ = run(
        capsys, "--db", str(db), "mark", "away", "--from", "2026-03-01", "--to", "2026-03-04"
    )
    assert out == (
        "Marked 4 days as away, Sun 01 Mar 2026 to Wed 04 Mar 2026 (3 of them already were).\n"
    )
    code, out, _ = run(
        capsys, "--db", str(db), "unmark", "--from", "2026-03-03", "--to", "2026-03-31"
    )
    assert (code, out) == (0, "Removed 2 marks from Tue 03 Mar 2026 to Tue 31 Mar 2026.\n")
    assert [m.date.day for m in Store(db).marks()] == [1, 2]


def test_a_range_over_a_different_mark_names_what_it_replaced(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A flare with its note, covered by a range of rest: the change is said, not silent."""
    run(capsys, "--db", str(db), "mark", "flare", "--date", "2026-03-03", "--note", "laundry")
    code, out, _ = run(
        capsys, "--db", str(db), "mark", "away", "--from", "2026-03-02", "--to", "2026-03-04"
    )
    assert code == 0
    assert out.splitlines() == [
        "Marked 3 days as away, Mon 02 Mar 2026 to Wed 04 Mar 2026.",
        "  Tue 03 Mar 2026 was flare, 'laundry'; it is away now.",
    ]


def test_a_rest_mark_past_the_weekly_limit_is_kept_and_says_it_holds_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for day in ("2026-12-07", "2026-12-08"):  # Monday, Tuesday
        code, out, _ = run(capsys, "--db", str(db), "mark", "rest", "--date", day)
        assert code == 0 and out.count("\n") == 1
    code, out, _ = run(capsys, "--db", str(db), "mark", "rest", "--date", "2026-12-10")
    assert code == 0 and out == (
        "Marked Thu 10 Dec 2026 as rest.\n"
        "The week already has 2 rest days: this one is kept but does not hold the streak "
        "(max_rest_days_per_week is 2).\n"
    )
    assert len(Store(db).marks()) == 3
    # Flare and away have no limit.
    code, out, _ = run(capsys, "--db", str(db), "mark", "away", "--date", "2026-12-11")
    assert out == "Marked Fri 11 Dec 2026 as away.\n"


def test_the_rest_limit_comes_from_the_settings(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "config" / "hipmob" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"max_rest_days_per_week": 0}')
    code, out, err = run(capsys, "--db", str(db), "mark", "rest", "--date", "2026-12-07")
    assert code == 0 and err == ""
    assert out.splitlines()[1].startswith("The week already has 0 rest days: this one is kept")
    settings.write_text('{"max_rest_days_per_week": 8}')
    code, out, err = run(capsys, "--db", str(db), "streak", "--json")
    assert code == 0 and err == (
        f"hipmob: warning: {settings}: max_rest_days_per_week must be a whole number from 0 "
        "to 7, not 8; using 2 until it is fixed\n"
    )


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["mark", "holiday"], "invalid choice: 'holiday'"),
        (["mark", "rest", "--from", "2026-03-05", "--to", "2026-03-01"], "is after --to"),
        (
            ["mark", "rest", "--date", "today", "--from", "2026-03-01", "--to", "2026-03-02"],
            "not both",
        ),
        (["mark", "rest", "--from", "2026-03-01"], "--from and --to go together"),
        (["unmark", "--to", "2026-03-01"], "--from and --to go together"),
        (["mark", "rest", "--from", "2025-01-01", "--to", "2026-01-02"], "at most 366 days"),
        (["mark", "rest", "--date", "5/12/2026"], "is not a date"),
        (["streak", "--days", "3"], "--days goes with --explain"),
        (["streak", "--explain", "--short"], "not allowed with argument"),
        (["streak", "--explain", "--days", "0"], "from 1 to 366"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    db: Path, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), *argv])
    assert exit_info.value.code == 2
    assert says in capsys.readouterr().err
    assert not db.exists()


def test_a_note_with_a_control_character_is_refused_in_one_line(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(1)])
    before = db.read_bytes()
    code, out, err = run(capsys, "--db", str(db), "mark", "rest", "--note", "red \x1b[31m")
    assert code == 1 and out == ""
    assert err == (
        f"hipmob: error: cannot mark {said(TODAY)}: note contains the control character "
        "U+001B; remove it\n"
    )
    assert db.read_bytes() == before


def test_unmark_without_a_history_creates_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "unmark")
    assert (code, out) == (0, f"{said(TODAY)} has no mark; nothing to remove.\n")
    assert not db.parent.exists()


def _session_on(n: int, day: date, status: str = "completed") -> object:
    start = record(n).started_at.replace(year=day.year, month=day.month, day=day.day)
    return record(n, status=status).with_changes(
        started_at=start, ended_at=start + timedelta(minutes=6)
    )


def test_streak_counts_frozen_days_and_the_lowered_goal(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done the day before yesterday and today; yesterday a flare: the streak holds."""
    Store(db).merge(
        [_session_on(1, TODAY - timedelta(days=2)), _session_on(2, TODAY)]  # type: ignore[list-item]
    )
    assert run(capsys, "--db", str(db), "mark", "flare", "--date", "yesterday")[0] == 0
    code, out, _ = run(capsys, "--db", str(db), "streak")
    assert out.splitlines()[0] == "Streak      2 days (longest 2) (1 day frozen)"
    figures = json.loads(run(capsys, "--db", str(db), "streak", "--json")[1])
    assert (figures["current"], figures["frozen"]) == (2, 1)
    monday = TODAY - timedelta(days=TODAY.weekday())
    frozen_this_week = 1 if TODAY - timedelta(days=1) >= monday else 0
    assert figures["this_week_goal"] == 3 - frozen_this_week
    assert run(capsys, "--db", str(db), "streak", "--short")[1] == "2d\n"
    # Without the mark the streak is broken.
    run(capsys, "--db", str(db), "unmark", "--date", "yesterday")
    figures = json.loads(run(capsys, "--db", str(db), "streak", "--json")[1])
    assert (figures["current"], figures["frozen"], figures["this_week_goal"]) == (1, 0, 3)


def test_explain_says_what_each_day_did(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    days = [TODAY - timedelta(days=n) for n in range(6, -1, -1)]  # a week, oldest first
    Store(db).merge(
        [
            _session_on(1, days[1]),  # counted
            _session_on(2, days[2]),  # counted, and a partial the same day
            _session_on(3, days[2], status="partial"),
            _session_on(4, days[4]),  # counted after the frozen day
        ]  # type: ignore[list-item]
    )
    run(
        capsys,
        "--db",
        str(db),
        "mark",
        "rest",
        "--date",
        days[3].isoformat(),
        "--note",
        "long walk",
    )
    run(capsys, "--db", str(db), "mark", "away", "--date", days[0].isoformat())
    code, out, _ = run(capsys, "--db", str(db), "streak", "--explain", "--days", "7")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 9 and lines[7] == ""
    assert [line[:15] for line in lines[:7]] == [said(day) for day in days]
    assert "no session · away " in lines[0] and lines[0].endswith("froze"), lines[0]
    assert lines[1].split("  ")[-1] == "counted"
    assert "2 sessions, 1 completed" in lines[2] and lines[2].endswith("counted")
    assert "no session · rest: long walk" in lines[3] and lines[3].endswith("froze")
    assert lines[5].endswith("broke the streak")
    assert "no session yet" in lines[6] and lines[6].endswith("today, still open")
    assert lines[8].startswith("A day counts when it has a completed session; a day marked")
    assert "rest marks freeze at most 2 days a week" in lines[8]
    code, out, _ = run(capsys, "--db", str(db), "streak", "--explain", "--json")
    document = json.loads(out)
    assert set(document) == {"path", "days", "streak", "max_rest_days_per_week", "rule"}
    assert len(document["days"]) == 14 and document["rule"] == lines[8]
    assert document["days"][-5] == {
        "date": days[2].isoformat(),
        "sessions": 2,
        "completed": 1,
        "mark": None,
        "note": None,
        "effect": "counted",
        "over_rest_limit": False,
    }
    assert document["days"][-4]["note"] == "long walk"
    assert document["days"][-4]["effect"] == "froze"
    assert document["streak"]["frozen"] == 0, "the streak broke after the frozen day"


def test_explain_calls_a_day_of_partial_sessions_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "1 partial session", not "1 session, 0 completed"."""
    back = (date.today() - date(2026, 1, 1)).days - 2
    Store(db).merge([record(1, status="partial", day_offset=back)])
    day = Store(db).sessions()[0].date
    code, out, _ = run(capsys, "--db", str(db), "streak", "--explain")
    line = next(line for line in out.splitlines() if line.startswith(f"{day:%a %d %b %Y}"))
    assert "1 partial session" in line and "0 completed" not in line


def test_explain_before_any_history(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(db), "streak", "--explain")
    assert (code, out) == (0, f"no history yet at {db}\n")
    code, out, _ = run(capsys, "--db", str(db), "streak", "--explain", "--json")
    days = json.loads(out)["days"]
    assert code == 0 and [d["effect"] for d in days] == ["nothing"] * 13 + ["open"]
    assert not db.parent.exists()


def test_explain_says_when_a_rest_mark_was_past_the_limit(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)  # last week: every day is past
    run(
        capsys,
        "--db",
        str(db),
        "mark",
        "rest",
        "--from",
        monday.isoformat(),
        "--to",
        (monday + timedelta(days=2)).isoformat(),
    )
    out = run(capsys, "--db", str(db), "streak", "--explain", "--days", "14")[1]
    wednesday = [
        line for line in out.splitlines() if line.startswith(said(monday + timedelta(days=2)))
    ]
    assert wednesday and wednesday[0].endswith(
        "nothing (rest past the limit of 2 a week: it holds nothing)"
    )


def test_export_and_import_carry_marks_and_merge_them_by_date(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(1)])
    planned_at = datetime(2026, 1, 4, 20, 0, tzinfo=UTC)
    Store(db).set_marks([date(2026, 1, 5)], "rest", "planned", now=planned_at)
    exported = tmp_path / "export.json"
    code, out, _ = run(capsys, "--db", str(db), "export", str(exported))
    assert (code, out) == (0, f"Exported 1 session and 1 day mark to {exported}\n")
    document = json.loads(exported.read_bytes())
    assert list(document)[4:] == [
        *("sessions", "marks", "checks", "plan", "deleted", "deleted_marks")
    ]
    assert document["marks"] == [m.to_json() for m in Store(db).marks()]
    assert set(document["marks"][0]) == {
        *("id", "date", "kind", "note", "created_at", "updated_at", "device")
    }
    other = tmp_path / "other" / "hipmob.json"
    code, out, _ = run(capsys, "--db", str(other), "import", str(exported))
    assert out == (
        f"Imported into {other}: 1 new, 0 updated, 0 deleted, 0 unchanged; 1 day mark new or "
        "newer (0 already present)\n"
    )
    assert [m.to_json() for m in Store(other).marks()] == document["marks"]
    code, out, _ = run(capsys, "--db", str(other), "import", str(exported))
    assert "0 day marks new or newer (1 already present)" in out, "twice adds nothing"
    # The other side marks the same date later: importing the older export keeps it.
    run(capsys, "--db", str(other), "mark", "flare", "--date", "2026-01-05")
    run(capsys, "--db", str(other), "import", str(exported))
    assert [m.kind for m in Store(other).marks()] == ["flare"]
    # ...and the first side takes it back, since it is newer.
    again = tmp_path / "again.json"
    run(capsys, "--db", str(other), "export", str(again))
    run(capsys, "--db", str(db), "import", str(again))
    assert [(m.kind, m.note) for m in Store(db).marks()] == [("flare", "")]


def test_an_export_from_before_marks_imports_as_ever(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps({"format": "hipmob-sessions", "version": 1, "sessions": [record(1).to_json()]})
    )
    code, out, _ = run(capsys, "--db", str(db), "import", str(old))
    assert (code, out) == (0, f"Imported into {db}: 1 new, 0 updated, 0 deleted, 0 unchanged\n")
    assert Store(db).marks() == []


def test_a_bad_mark_in_an_import_imports_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(9)])
    before = db.read_bytes()
    bad = tmp_path / "bad.json"
    mark = {
        "id": "m1",
        "date": "2026-01-05",
        "kind": "holiday",
        "note": "",
        "created_at": "2026-01-05T08:00:00+00:00",
        "updated_at": "2026-01-05T08:00:00+00:00",
    }
    bad.write_text(json.dumps({"sessions": [record(1).to_json()], "marks": [mark]}))
    code, out, err = run(capsys, "--db", str(db), "import", str(bad))
    assert code == 1 and out == ""
    assert err == (
        f"{bad}: mark 1: kind must be rest, flare or away, not 'holiday'\n"
        "hipmob: error: nothing imported: 1 mark is invalid (listed above)\n"
    )
    assert db.read_bytes() == before


def test_history_shows_marked_days_in_the_table_and_the_json(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(1), record(2, day_offset=2)])  # 1 and 3 January 2026
    run(capsys, "--db", str(db), "mark", "away", "--date", "2026-01-02", "--note", "train\nhome")
    run(capsys, "--db", str(db), "mark", "rest", "--date", "2026-01-03")
    out = run(capsys, "--db", str(db), "history")[1]
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["DATE", "TIME", "ROUTINE"],
        ["2026-01-03", "rest", "day"],
        ["2026-01-03", "08:02", "Desk"],
        ["2026-01-02", "away", "day"],
        ["2026-01-01", "08:01", "Desk"],
    ]
    assert out.splitlines()[3].rstrip().endswith("marked                train home")
    document = json.loads(run(capsys, "--db", str(db), "history", "--format", "json")[1])
    assert [m["date"] for m in document["marks"]] == ["2026-01-03", "2026-01-02"], "newest first"
    since = run(capsys, "--db", str(db), "history", "--format", "json", "--since", "2026-01-03")
    assert [m["kind"] for m in json.loads(since[1])["marks"]] == ["rest"]
    # CSV: a marked day is a row of its own too, above its day's sessions, with its note.
    rows = list(
        csv.DictReader(io.StringIO(run(capsys, "--db", str(db), "history", "--format", "csv")[1]))
    )
    assert [(r["date"], r["routine_name"], r["status"]) for r in rows] == [
        ("2026-01-03", "rest day", "marked"),
        ("2026-01-03", "Desk Reset", "completed"),
        ("2026-01-02", "away day", "marked"),
        ("2026-01-01", "Desk Reset", "completed"),
    ]
    assert rows[2]["notes"] == "train\nhome" and rows[2]["id"].startswith("mark-20260102-")
    assert rows[2]["started_at"] == rows[2]["pain_before"] == ""


def test_a_flare_day_cannot_be_marked_ahead(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ahead = (date.today() + timedelta(days=3)).isoformat()
    code, out, err = run(capsys, "--db", str(db), "mark", "flare", "--date", ahead)
    assert (code, out) == (1, "")
    assert "is still to come: a flare day is marked when it happens" in err
    assert not db.exists()
    assert run(capsys, "--db", str(db), "mark", "rest", "--date", ahead)[0] == 0, "rest may be"
