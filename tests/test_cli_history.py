"""The history commands as a user at a prompt (or a script over SSH) sees them."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history.store import Store
from tests.test_store import record

READ_ONLY = [
    ["streak"],
    ["streak", "--json"],
    ["history"],
    ["history", "--format", "json"],
    ["doctor"],
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def user_routines(tmp_path: Path, text: str) -> Path:
    """A routines folder holding one file of `text`, for --routines."""
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "mine.yaml").write_text(text)
    return folder


@pytest.mark.parametrize("argv", READ_ONLY)
def test_read_only_commands_create_nothing(
    db: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(db), *argv)
    assert code == 0 and str(db) in out
    assert not db.parent.exists(), "a read-only command must not create the data folder"


def test_export_without_history_says_so_and_creates_nothing(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "--db", str(db), "export", str(target))
    assert (code, out) == (0, "") and f"no history yet at {db}" in err
    assert not target.exists() and not db.parent.exists()
    # To standard output: the same note, and an empty export a later import accepts.
    code, out, err = run(capsys, "--db", str(db), "export", "-")
    assert code == 0 and f"no history yet at {db}" in err
    assert json.loads(out)["sessions"] == [] and not db.parent.exists()


def test_log_then_streak_in_every_form(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert run(capsys, "--db", str(db), "log", "desk-reset", "--date", yesterday)[0] == 0
    code, out, _ = run(
        capsys, "--db", str(db), "log", "full-session", "--pain-before", "6", "--pain-after", "3"
    )
    assert code == 0 and "Logged Full Session" in out
    code, out, _ = run(capsys, "--db", str(db), "streak", "--json")
    figures = json.loads(out)
    assert figures["current"] == 2 and figures["longest"] == 2 and figures["path"] == str(db)
    assert set(figures) == {
        "current",
        "longest",
        "last_date",
        "this_week",
        "weekly_goal",
        "weeks_streak",
        "this_week_goal",
        "frozen",
        "path",
    }
    assert run(capsys, "--db", str(db), "streak", "--short")[1] == "2d\n"
    code, out, _ = run(capsys, "--db", str(db), "streak")
    assert "Streak      2 days (longest 2)" in out and "\x1b" not in out


def test_history_marks_a_missing_score_as_the_app_does(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = [(6, None), (None, 1), (None, None)]
    Store(db).merge(
        [
            record(n, day_offset=n).with_changes(pain_before=before, pain_after=after)
            for n, (before, after) in enumerate(scores)
        ]
    )
    code, out, _ = run(capsys, "--db", str(db), "history")
    pain = [line.split()[6] for line in out.splitlines()[1:]]
    assert code == 0 and pain == ["–", "–→1", "6→–"], "newest first"


def test_history_formats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store(db).merge([record(1, day_offset=0), record(2, day_offset=3, status="partial")])
    code, out, _ = run(capsys, "--db", str(db), "history")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["DATE", "TIME", "ROUTINE"]
    assert lines[1].startswith("2026-01-04") and "partial" in lines[1], "newest first"
    assert "4→2" in lines[1]
    code, out, _ = run(
        capsys, "--db", str(db), "history", "--format", "csv", "--since", "2026-01-02"
    )
    rows = out.splitlines()
    assert (
        rows[0].startswith("id,date,started_at")
        and len(rows) == 2
        and rows[1].startswith("s00002,2026-01-04")
    )
    code, out, _ = run(capsys, "--db", str(db), "history", "--format", "csv")
    assert [row.split(",")[0] for row in out.splitlines()[1:]] == ["s00002", "s00001"]
    code, out, _ = run(capsys, "--db", str(db), "history", "--format", "json")
    data = json.loads(out)
    assert data["path"] == str(db)
    assert [s["id"] for s in data["sessions"]] == ["s00002", "s00001"], "newest first, as help says"


@pytest.mark.parametrize("word", ["yesterday", "today", " Yesterday"])
def test_log_date_takes_today_and_yesterday_as_the_log_dialog_does(
    db: Path, word: str, capsys: pytest.CaptureFixture[str]
) -> None:
    today = date.today()
    code, out, err = run(capsys, "--db", str(db), "log", "desk-reset", "--date", word)
    day = today - timedelta(days=1) if "yesterday" in word.lower() else today
    if date.today() != today:  # midnight passed during the test
        pytest.skip("the day changed while the test ran")
    assert (code, err) == (0, "") and f"Logged Desk Reset on {day}" in out
    (session,) = json.loads(run(capsys, "--db", str(db), "history", "--format", "json")[1])[
        "sessions"
    ]
    assert session["date"] == day.isoformat()


def test_bad_log_arguments(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "log", "desk-reset", "--date", "1/11/2026"])
    assert exit_info.value.code == 2
    assert "'1/11/2026' is not a date; write the date as YYYY-MM-DD, e.g. " in (
        capsys.readouterr().err
    )
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    code, _, err = run(capsys, "--db", str(db), "log", "desk-reset", "--date", tomorrow)
    assert code == 1 and f"{tomorrow} is in the future; log sessions you have done" in err
    code, _, err = run(capsys, "--db", str(db), "log", "no-such-routine")
    assert code == 1 and "no routine 'no-such-routine'" in err
    code, _, err = run(capsys, "--db", str(db), "log", "desk-rest")
    assert code == 1 and "no routine 'desk-rest'; did you mean 'desk-reset'?" in err
    code, _, err = run(capsys, "--db", str(db), "log", "desk-reset", "--note", "bell\x07")
    assert code == 1 and "notes contains the control character U+0007" in err
    assert not db.exists()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2026-13-01", "'2026-13-01' is not a date: months run from 01 to 12"),
        ("2026-02-30", "'2026-02-30' is not a date: February 2026 has 28 days, not 30"),
        ("2028-02-30", "'2028-02-30' is not a date: February 2028 has 29 days, not 30"),
        ("2026-04-31", "'2026-04-31' is not a date: April 2026 has 30 days, not 31"),
        ("2026-04-00", "'2026-04-00' is not a date: days start at 01"),
        ("0000-01-01", "'0000-01-01' is not a date: years start at 0001"),
    ],
)
def test_a_date_of_the_right_shape_says_what_is_wrong_with_it(
    db: Path, capsys: pytest.CaptureFixture[str], typed: str, said: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "log", "desk-reset", "--date", typed])
    assert exit_info.value.code == 2
    assert said in capsys.readouterr().err
    assert not db.exists()


def test_export_import_round_trip_never_duplicates(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(n) for n in range(1, 4)])
    exported = tmp_path / "export.json"
    assert run(capsys, "--db", str(db), "export", str(exported))[0] == 0
    other = tmp_path / "other.json"
    Store(other).add(record(9))
    code, out, _ = run(capsys, "--db", str(other), "import", str(exported))
    assert code == 0 and ": 3 new, 0 updated, 0 deleted, 0 unchanged" in out
    code, out, _ = run(capsys, "--db", str(other), "import", str(exported))
    assert ": 0 new, 0 updated, 0 deleted, 3 unchanged" in out
    assert len(Store(other).sessions()) == 4


def test_import_dash_reads_what_export_dash_wrote(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db).merge([record(1), record(2)])
    code, exported, _ = run(capsys, "--db", str(db), "export", "-")
    assert code == 0
    other = tmp_path / "other.json"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(exported.encode())))
    code, out, err = run(capsys, "--db", str(other), "import", "-")
    assert (code, err) == (0, "") and ": 2 new, 0 updated" in out
    assert [r.id for r in Store(other).sessions()] == ["s00001", "s00002"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"{not json")))
    code, _, err = run(capsys, "--db", str(other), "import", "-")
    assert code == 1 and "standard input cannot be read as an export (not valid JSON" in err


def test_import_dash_at_a_terminal_says_to_pipe_an_export_in(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    code, _, err = run(capsys, "--db", str(db), "import", "-")
    assert code == 1 and "pipe one in" in err and not db.parent.exists()


def test_import_of_a_bad_file_imports_nothing(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    good = record(1).to_json()
    bad.write_text(json.dumps({"sessions": [good, {**good, "id": "x2", "pain_after": 12}]}))
    code, _, err = run(capsys, "--db", str(db), "import", str(bad))
    assert code == 1 and "session 2: pain_after must be a whole number from 0 to 10" in err
    assert not db.exists()
    bad.write_text("{not json")
    code, _, err = run(capsys, "--db", str(db), "import", str(bad))
    assert code == 1 and "cannot be read as an export (not valid JSON" in err


def _export_with(session: str) -> bytes:
    """An export whose one session is `session`, JSON text written by hand."""
    return b'{"format": "hipmob-sessions", "version": 1, "sessions": [' + session.encode() + b"]}"


def _session_text(**changes: str) -> str:
    """A valid session as JSON text, with some values replaced by raw JSON text."""
    fields = {key: json.dumps(value) for key, value in record(1).to_json().items()}
    fields.update(changes)
    return "{" + ",".join(f"{json.dumps(key)}:{value}" for key, value in fields.items()) + "}"


IMPOSSIBLE_IMPORTS = {
    "a 31-digit duration": (
        _export_with(_session_text(active_seconds=str(10**30))),
        "session 1: active_seconds must be a whole number from 0 to 86,400 (a day)",
    ),
    "a day and a second": (
        _export_with(_session_text(planned_seconds="86401")),
        "session 1: planned_seconds must be a whole number from 0 to 86,400 (a day)",
    ),
    "a right-to-left override": (
        _export_with(_session_text(notes=json.dumps("evil\u202egnp.exe"))),
        "session 1: notes contains the control character U+202E; remove it",
    ),
    "a lone surrogate": (
        _export_with(_session_text(routine_name='"Desk \\ud800 Reset"')),
        "session 1: routine_name contains half of a UTF-16 pair",
    ),
    "a 5,000-digit integer": (
        _export_with(_session_text(active_seconds="9" * 5000)),
        "cannot be read as an export (it holds a number of more than 4,300 digits)",
    ),
    "100,000 levels of nesting": (
        _export_with(_session_text(notes="[" * 100_000 + "]" * 100_000)),
        "cannot be read as an export (nested too deeply",
    ),
}


@pytest.mark.parametrize("kind", IMPOSSIBLE_IMPORTS)
def test_an_import_with_impossible_values_is_one_clear_line_and_imports_nothing(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    Store(db).add(record(9))
    before = db.read_bytes()
    data, expected = IMPOSSIBLE_IMPORTS[kind]
    bad = tmp_path / "bad.json"
    bad.write_bytes(data)
    code, out, err = run(capsys, "--db", str(db), "import", str(bad))
    assert code == 1 and expected in err and "Traceback" not in err and out == ""
    assert len(err.strip().splitlines()) <= 2  # the session's line and "nothing imported"
    assert db.read_bytes() == before


def test_log_of_a_routine_planned_longer_than_a_day_logs_a_day(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routines = user_routines(
        tmp_path,
        "routines:\n"
        "  - id: marathon\n"
        "    name: Marathon\n"
        "    description: Far too long.\n"
        "    items:\n"
        "      - exercise: breathing-hip-lift\n"
        "        dosage: {sets: 100000}\n",
    )
    code, out, err = run(capsys, "--db", str(db), "--routines", str(routines), "log", "marathon")
    assert (code, err) == (0, "") and "Logged Marathon" in out and "(24 h 00 min)" in out
    (session,) = Store(db).sessions()
    assert session.active_seconds == session.planned_seconds == 86_400


def test_doctor_keeps_a_damaged_file_aside_and_recovers_sessions(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(n) for n in range(1, 6)])
    raw = db.read_bytes()
    db.write_bytes(raw[: int(len(raw) * 0.8)])  # a torn write
    code, _, err = run(capsys, "--db", str(db), "history")
    assert code == 1 and "is damaged" in err and "hipmob doctor" in err
    code, out, _ = run(capsys, "--db", str(db), "doctor")
    assert code == 0 and "damaged: not valid JSON" in out and "kept aside" in out
    recovered = [r.id for r in Store(db).sessions()]
    assert 3 <= len(recovered) < 5 and recovered == sorted(recovered)
    code, out, _ = run(capsys, "--db", str(db), "doctor")
    assert "state       ok" in out


def test_a_deeply_nested_history_is_damaged_for_every_command_and_doctor_recovers_it(
    isolated_home: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(n) for n in range(1, 6)])
    nested = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    damaged = db.read_bytes()[:-2] + b',"99":' + nested + b"}}"
    db.write_bytes(damaged)
    for command in (["history"], ["streak"], ["export", "-"]):
        code, _, err = run(capsys, "--db", str(db), *command)
        assert code == 1 and "is damaged (nested too deeply" in err and "hipmob doctor" in err
        assert "Traceback" not in err and db.read_bytes() == damaged
    code, out, err = run(capsys, "--db", str(db), "log", "desk-reset", "--minutes", "5")
    assert code == 0 and "the history file was damaged; it was kept as" in err
    code, out, _ = run(capsys, "--db", str(db), "doctor")
    assert code == 0 and "state       ok: 1 session" in out
    (kept,) = Store(db).damaged_copies()
    assert kept.read_bytes() == damaged
    assert f"salvaged    5 readable sessions from {kept} (5 were missing)" in out
    assert len(Store(db).sessions()) == 6


def test_doctor_removes_exact_repeats_and_keeps_both_sessions_that_share_an_id(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).merge([record(n) for n in range(1, 4)])
    good = db.read_bytes()
    db.write_bytes(good[:-2] + b',"9":' + json.dumps(record(2).to_json()).encode() + b"}}")
    code, out, _ = run(capsys, "--db", str(db), "history", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 4, "the repeated row is one session"
    code, out, _ = run(capsys, "--db", str(db), "doctor")
    assert code == 0 and "state       ok: 3 sessions" in out
    assert "repeats     removed 1 row that repeated a session exactly" in out
    assert len(json.loads(db.read_bytes())["sessions"]) == 3 and not Store(db).damaged_copies()

    other = {**record(2).to_json(), "notes": "a different session, the same id"}
    damaged = db.read_bytes()[:-2] + b',"9":' + json.dumps(other).encode() + b"}}"
    db.write_bytes(damaged)
    code, _, err = run(capsys, "--db", str(db), "streak")
    assert code == 1 and "is also the id of a different session" in err and "doctor" in err
    code, out, _ = run(capsys, "--db", str(db), "doctor")
    assert code == 0 and "damaged: session 9: its id 's00002' is also the id of a different" in out
    assert "salvaged    4 readable sessions" in out
    assert "new id      s00002 was the id of two different sessions; one is now s00002-copy-" in out
    notes = sorted(r.notes for r in Store(db).sessions())
    assert notes == ["a different session, the same id", "note 1", "note 2", "note 3"]
    code, out, _ = run(capsys, "--db", str(db), "doctor")
    assert "state       ok: 4 sessions" in out and "(0 were missing)" in out, "nothing twice"
    (kept,) = Store(db).damaged_copies()
    assert kept.read_bytes() == damaged


def test_counts_of_one_are_singular(
    isolated_home: Path, tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(db).add(record(1))
    exported = tmp_path / "one.json"
    assert run(capsys, "--db", str(db), "export", str(exported))[1] == (
        f"Exported 1 session to {exported}\n"
    )
    other = tmp_path / "other.json"
    out = run(capsys, "--db", str(other), "import", str(exported))[1]
    assert out == f"Imported into {other}: 1 new, 0 updated, 0 deleted, 0 unchanged\n"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sessions": [{**record(2).to_json(), "pain_after": 12}]}))
    err = run(capsys, "--db", str(other), "import", str(bad))[2]
    assert "nothing imported: 1 session is invalid" in err
    # A torn file with one whole session in it: doctor salvages "1 readable session".
    other.write_bytes(b'{"sessions": [' + json.dumps(record(3).to_json()).encode() + b", {")
    out = run(capsys, "--db", str(other), "doctor")[1]
    assert "salvaged    1 readable session from " in out and "(1 was missing)" in out
    settings = isolated_home / ".config" / "hipmob" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"weekly_goal": 1}')
    out = run(capsys, "--db", str(db), "streak")[1]
    assert " of 1 day · " in out and " of 1 days" not in out


def test_streak_summary_follows_changes_made_behind_its_back(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = date.today()
    Store(db).add(record(1, day_offset=(today - date(2026, 1, 1)).days))
    assert (
        json.loads(run(capsys, "--db", str(db), "streak", "--json")[1])["last_date"]
        == today.isoformat()
    )
    elsewhere = tmp_path / "elsewhere.json"
    Store(elsewhere).add(record(2))
    os.replace(elsewhere, db)  # another tool swapped the file
    assert (
        json.loads(run(capsys, "--db", str(db), "streak", "--json")[1])["last_date"] == "2026-01-01"
    )


def test_weekly_goal_comes_from_settings(
    isolated_home: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = isolated_home / ".config" / "hipmob" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"weekly_goal": 5}')
    assert json.loads(run(capsys, "--db", str(db), "streak", "--json")[1])["weekly_goal"] == 5
    settings.write_text('{"weekly_gaol": 5}')
    code, _, err = run(capsys, "--db", str(db), "streak")
    # A typo in a setting never breaks a read-only command: a warning, then the default.
    assert code == 0 and err == (
        f"hipmob: warning: {settings}: unknown setting 'weekly_gaol', ignored; "
        "did you mean 'weekly_goal'?\n"
    )


def test_one_bad_setting_keeps_the_good_ones(
    isolated_home: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each unknown or bad key is named once and left at its default; the rest still count."""
    settings = isolated_home / ".config" / "hipmob" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"weekly_goal": 5, "colour": "red"}')
    code, out, err = run(capsys, "--db", str(db), "streak", "--json")
    assert code == 0 and json.loads(out)["weekly_goal"] == 5
    assert err == (
        f"hipmob: warning: {settings}: unknown setting 'colour', ignored; "
        "known: weekly_goal, max_rest_days_per_week, bell, pauses, theme\n"
    )
    settings.write_text('{"weekly_goal": 9, "pauses": {"get_ready": 30, "rest": 5}}')
    code, out, err = run(capsys, "--db", str(db), "streak", "--json")
    assert code == 0 and json.loads(out)["weekly_goal"] == 3
    warnings = [
        f"hipmob: warning: {settings}: weekly_goal must be a whole number from 1 to 7, "
        "not 9; using 3 until it is fixed",
        f"hipmob: warning: {settings}: unknown pause 'rest', ignored; known: get_ready, "
        "side_switch, between_sets, between_exercises",
    ]
    assert err.splitlines() == warnings
    # The pause that is right is used: the routines' times count a 30 s get-ready.
    code, out, err = run(capsys, "--db", str(db), "routines", "show", "desk-reset", "--json")
    with_pauses = json.loads(out)["estimated_seconds"]
    assert err.splitlines() == warnings
    settings.write_text("{}")
    code, out, err = run(capsys, "--db", str(db), "routines", "show", "desk-reset", "--json")
    assert err == "" and json.loads(out)["estimated_seconds"] < with_pauses


def test_settings_are_read_key_by_key() -> None:
    from hipmob_tui.settings import read_settings

    folder = Path(os.environ["HOME"])
    settings = folder / "settings.json"
    settings.write_text('{"pauses": {"between_sets": -5, "get_ready": 3}, "bell": "no"}')
    loaded, problems = read_settings(settings)
    assert loaded.pauses == (("get_ready", 3),) and loaded.bell is True
    assert problems == (
        f"{settings}: bell must be true or false, not 'no'; the bell rings until it is fixed",
        f"{settings}: pauses.between_sets must be whole seconds from 0 to 600, not -5; "
        "using the usual pause until it is fixed",
    )
    settings.write_text('{"pauses": [30], "theme": 7}')
    loaded, problems = read_settings(settings)
    assert loaded.pauses == () and loaded.theme is None and len(problems) == 2
    settings.write_text('{"pauses": {"between_sets": 30}, "bell": false, "theme": "nord"}')
    loaded, problems = read_settings(settings)
    assert loaded.pauses == (("between_sets", 30),) and loaded.bell is False
    assert loaded.theme == "nord" and problems == ()
    # Not a JSON object at all (or nested past what a reader can follow): the defaults.
    for data in (b"[1]", b"{", b"[" * 100_000 + b"]" * 100_000):
        settings.write_bytes(data)
        loaded, problems = read_settings(settings)
        assert loaded.weekly_goal == 3 and len(problems) == 1
        assert problems[0].endswith("using the defaults")


def test_a_bad_settings_file_does_not_stop_streak(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hipmob_tui.cli.main import main

    config = tmp_path / "config"
    (config / "hipmob").mkdir(parents=True)
    (config / "hipmob" / "settings.json").write_text('{"bel": false}')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    assert main(["--db", str(tmp_path / "h.json"), "streak", "--short"]) == 0
    out, err = capsys.readouterr()
    assert out == "0d\n"
    assert "unknown setting 'bel', ignored; did you mean 'bell'?" in err


def test_minutes_under_one_are_not_shown_as_zero() -> None:
    from tests.test_store import record

    short = record(1).with_changes(active_seconds=26)
    assert short.minutes_text == "<1"
    assert record(1).with_changes(active_seconds=150).minutes_text == "2"


def test_a_short_routine_logged_says_its_seconds_and_since_reads_dates_like_log(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_routines(
        tmp_path,
        "routines:\n  - id: quick\n    name: Quick\n    items:\n"
        "      - exercise: breathing-hip-lift\n        dosage: {sets: 1, reps: 2}\n",
    )
    code, out, err = run(capsys, "--db", str(db), "--routines", str(folder), "log", "quick")
    assert (code, err) == (0, "")
    assert re.search(r"Logged Quick on \S+ \(\d+ s\) to ", out), out  # not "(0 min)"
    with pytest.raises(SystemExit):
        main(["--db", str(db), "history", "--since", "2026-13-01"])
    assert "'2026-13-01' is not a date: months run from 01 to 12" in capsys.readouterr().err
    code, out, _ = run(capsys, "--db", str(db), "history", "--since", "today")
    assert code == 0 and "Quick" in out
