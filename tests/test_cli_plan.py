"""`hipmob plan` and `today` with a program, as a person at a prompt meets them: weeks of
sessions and flare days (dated back from today), the stage they give, and why."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.history import fileformat
from hipmob_tui.history.store import Store

BUILTIN = "reset-restore-rebuild"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", str(db), *argv])
    except SystemExit as exit:  # argparse's own refusal of a flag
        code = int(exit.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> str:
    code, out, err = run(capsys, db, *argv)
    assert code == 0, err
    return out


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def plan_json(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, object]:
    return json.loads(ok(capsys, db, "plan", "--json"))  # type: ignore[no-any-return]


def test_with_no_program_plan_lists_them_and_creates_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ok(capsys, db, "plan")
    assert out.splitlines() == [
        "You follow no program.",
        "Programs:",
        f"  {BUILTIN}  Reset, Restore, Rebuild (3 stages)",
        f"Follow one with: hipmob plan follow {BUILTIN}",
    ]
    assert plan_json(capsys, db) == {"following": False, "path": str(db)}
    assert not db.parent.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reset-restore"], f"no program 'reset-restore'; did you mean '{BUILTIN}'?"),
        (
            [BUILTIN, "--stage", "4"],
            "Reset, Restore, Rebuild has 3 stages; give --stage from 1 to 3",
        ),
        ([BUILTIN, "--stage", "0"], "stage is a whole number from 1 to 100, not '0'"),
        ([BUILTIN, "--date", "2999-01-01"], "is in the future; follow from today or a past day"),
    ],
)
def test_a_bad_follow_says_why_and_writes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, db, "plan", "follow", *argv)
    assert code != 0 and out == ""
    assert message in err and "Traceback" not in err
    assert not db.exists()


def test_weeks_of_sessions_advance_then_flare_days_step_back(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    followed = ok(capsys, db, "plan", "follow", BUILTIN, "--date", ago(40))
    assert "today it is" not in followed, "nothing since then: the stage given is today's"
    # Stage 1 (Calm): six desk resets in the first ten days, pain before settling at 3-4.
    for days_ago, pain in ((40, 4), (39, 4), (37, 3), (36, 4), (34, 3), (33, 3)):
        ok(capsys, db, "log", "desk-reset", "--date", ago(days_ago), "--pain-before", str(pain))
    shown = plan_json(capsys, db)
    assert shown["stage"]["number"] == 2  # type: ignore[index]
    assert shown["stage"]["since"] == ago(31), "the start of day 10 of the stage"  # type: ignore[index]
    # Stage 2 (Open): two flare days within a week send it back, on the second.
    for days_ago in (20, 17, 14):
        ok(capsys, db, "log", "evening-wind-down", "--date", ago(days_ago), "--pain-before", "3")
    ok(capsys, db, "mark", "flare", "--date", ago(9))
    ok(capsys, db, "mark", "flare", "--date", ago(4))
    ok(capsys, db, "log", "desk-reset", "--date", ago(1), "--pain-before", "2", "--pain-after", "2")
    shown = plan_json(capsys, db)
    stage = shown["stage"]
    assert (stage["number"], stage["name"], stage["since"]) == (1, "Calm", ago(4))  # type: ignore[index]
    moves = shown["transitions"]
    assert [(m["date"], m["stage"], m["to_stage"], m["direction"]) for m in moves] == [  # type: ignore[attr-defined]
        (ago(31), 1, 2, "advance"),
        (ago(4), 2, 1, "step_back"),
    ]
    assert moves[1]["why"] == "2 flare days in the last 7, since the stage began (steps back at 2)"  # type: ignore[index]
    # The text says the same, and what would move it on again.
    text = ok(capsys, db, "plan")
    assert "Stage     1 of 3: Calm, since" in text
    assert "  [ ] 1 of 6 sessions" in text
    assert "stepped back from stage 2 to 1: 2 flare days in the last 7" in text
    assert "not medical advice" in text
    line = ok(capsys, db, "today")
    assert line.startswith("today: Desk Reset (stage 1 of 3) · ")
    shown = json.loads(ok(capsys, db, "today", "--json"))
    assert shown["plan"]["stage"] == 1
    # The streak is the one `hipmob streak` gives; only this week's line takes the stage's.
    streak = json.loads(ok(capsys, db, "streak", "--json"))
    assert shown["streak"] == {k: v for k, v in streak.items() if k != "path"}
    assert shown["week_goal"] <= 4 and shown["streak"]["weekly_goal"] == 3
    # A gentler day says the stage too.
    ok(capsys, db, "log", "desk-reset", "--date", "today", "--pain-before", "8")
    assert json.loads(ok(capsys, db, "today", "--json"))["reason"].endswith("; stage 1 of 3: Calm")
    # Following again from that first day says where the history has taken it since.
    again = ok(capsys, db, "plan", "follow", BUILTIN, "--date", ago(40), "--stage", "3")
    assert "With your history since then, today it is stage 2 of 3: Open." in again


def test_stopping_ends_the_plan_and_the_sessions_stay(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, db, "plan", "follow", BUILTIN, "--stage", "3")
    ok(capsys, db, "log", "full-session", "--date", "today")
    assert "(stage 3 of 3)" not in ok(capsys, db, "today"), "done today: no stage to say"
    stopped = ok(capsys, db, "plan", "stop")
    assert stopped.startswith(f"Stopped following {BUILTIN} (followed since ")
    assert f"'hipmob plan follow {BUILTIN} --date {date.today().isoformat()} --stage 3'" in stopped
    assert plan_json(capsys, db)["following"] is False
    assert "nothing to stop" in ok(capsys, db, "plan", "stop")
    assert len(Store(db).sessions()) == 1
    # Following again, from an earlier day, follows from that day.
    ok(capsys, db, "plan", "follow", BUILTIN, "--date", ago(3))
    assert plan_json(capsys, db)["since"] == ago(3)


def test_a_program_gone_from_the_files_is_said_and_today_still_works(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "programs:\n"
        "  - id: my-plan\n"
        "    name: My Plan\n"
        "    stages:\n"
        "      - name: Only\n"
        "        routines: [desk-reset]\n"
        "        sessions_per_week: 2\n"
    )
    ok(capsys, db, "--routines", str(mine), "plan", "follow", "my-plan")
    assert "(stage 1 of 1)" in ok(capsys, db, "--routines", str(mine), "today")
    mine.unlink()
    text = ok(capsys, db, "plan")
    assert text.startswith("You follow 'my-plan' (since ")
    assert "which is not defined any more or has problems" in text
    shown = plan_json(capsys, db)
    assert (shown["following"], shown["defined"]) == (True, False)
    assert ok(capsys, db, "today").startswith("today: Desk Reset · ")


def test_the_same_history_gives_the_same_stage_on_another_machine(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, db, "plan", "follow", BUILTIN, "--date", ago(12))
    for days_ago in range(12, 0, -2):
        ok(capsys, db, "log", "desk-reset", "--date", ago(days_ago), "--pain-before", "2")
    exported = tmp_path / "export.json"
    ok(capsys, db, "export", str(exported))
    other = tmp_path / "other" / "hipmob.json"
    ok(capsys, other, "import", str(exported))
    here, there = plan_json(capsys, db), plan_json(capsys, other)
    assert here["stage"] == there["stage"] and here["stage"]["number"] == 2  # type: ignore[index]
    assert here["transitions"] == there["transitions"]


def test_today_never_reads_the_history_even_when_following(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(capsys, db, "plan", "follow", BUILTIN, "--date", ago(12))
    for days_ago in range(12, 0, -2):
        ok(capsys, db, "log", "desk-reset", "--date", ago(days_ago), "--pain-before", "2")
    ok(capsys, db, "today")  # the summary is written once, after the last write

    def never_read(*_args: object) -> None:
        raise AssertionError("read the whole history")

    with monkeypatch.context() as patch:
        patch.setattr(fileformat, "read_history", never_read)
        patch.setattr(fileformat, "history_of", never_read)
        line = ok(capsys, db, "today")
    # The stage from the summary's log is the one `plan` replays from the history.
    assert plan_json(capsys, db)["stage"]["number"] == 2  # type: ignore[index]
    assert line.startswith("today: Evening Wind-Down (stage 2 of 3) · ")
    # Sessions logged out of order (older days) still land in their place: with these,
    # the median pain before stays above 4, and stage 1 holds.
    for days_ago in (11, 9, 7, 5, 3):
        ok(capsys, db, "log", "desk-reset", "--date", ago(days_ago), "--pain-before", "9")
    assert plan_json(capsys, db)["stage"]["number"] == 1  # type: ignore[index]
    with monkeypatch.context() as patch:
        patch.setattr(fileformat, "read_history", never_read)
        patch.setattr(fileformat, "history_of", never_read)
        assert "(stage 1 of 3)" in ok(capsys, db, "today")


def test_a_program_with_a_check_rule_moves_on_after_both_sides_score(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "checked.yaml"
    mine.write_text(
        "programs:\n"
        "  - id: checked\n"
        "    name: Checked\n"
        "    stages:\n"
        "      - name: Ease first\n"
        "        routines: [desk-reset]\n"
        "        sessions_per_week: 3\n"
        "        advance:\n"
        "          check: {id: ir-ease-90-90, at_least: 6}\n"
        "      - name: Then the rest\n"
        "        routines: [full-session]\n"
        "        sessions_per_week: 3\n"
    )
    mine_flag = ("--routines", str(mine))
    ok(capsys, db, *mine_flag, "plan", "follow", "checked", "--date", ago(5))
    ok(capsys, db, "check", "ir-ease-90-90", "--value", "7", "--side", "left", "--date", ago(2))
    text = ok(capsys, db, *mine_flag, "plan")
    assert "[ ] 90/90 Internal Rotation Ease since the stage began: left 7, right not done" in text
    ok(capsys, db, "check", "ir-ease-90-90", "--value", "6", "--side", "right", "--date", ago(1))
    shown = json.loads(ok(capsys, db, *mine_flag, "plan", "--json"))
    assert (shown["stage"]["number"], shown["stage"]["since"]) == (2, ago(1))
    assert "(stage 2 of 2)" in ok(capsys, db, *mine_flag, "today")
