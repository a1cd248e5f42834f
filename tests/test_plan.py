"""The stage of a program, replayed from the history: advancing and stepping back exactly as
the rules say, on a fake calendar (plain pytest, no UI)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.content.loading import load_catalog
from hipmob_tui.content.program import Advance, Program, Stage
from hipmob_tui.history.plan import PlanSession, plan_state
from hipmob_tui.paths import builtin_routines_dir, routine_files

START = date(2026, 11, 2)  # a Monday
PROGRAMS = load_catalog(routine_files(builtin_routines_dir()), []).programs
BUILTIN = "reset-restore-rebuild"


def day(number: int) -> int:
    """The ordinal of day `number` of the plan (day 1 is START)."""
    return (START + timedelta(days=number - 1)).toordinal()


class Calendar:
    """A person's weeks: sessions and flare days, as the plan reads them."""

    def __init__(self) -> None:
        self.sessions: list[PlanSession] = []
        self.flares: list[int] = []

    def session(
        self, on: int, routine: str = "desk-reset", pain: int | None = None, done: bool = True
    ) -> None:
        self.sessions.append((day(on), routine, done, pain, day(on) * 86400 + len(self.sessions)))

    def flare(self, on: int) -> None:
        self.flares.append(day(on))

    def state(self, today: int, program: str = BUILTIN, first_stage: int = 1):  # type: ignore[no-untyped-def]
        return plan_state(
            PROGRAMS, program, day(1), first_stage, self.sessions, self.flares, day(today)
        )


def test_the_shipped_program_has_three_stages_reset_first() -> None:
    program = PROGRAMS[BUILTIN]
    assert [stage.name for stage in program.stages] == ["Calm", "Open", "Hold"]
    assert program.stages[0].routines == ("desk-reset",)
    assert "not medical advice" in program.description


def test_stage_one_advances_on_the_day_its_last_condition_is_met() -> None:
    weeks = Calendar()
    # Six desk resets by day 8, pain settling: 5, 5, 4, 4, 3, 3 (median of last 4 = 3.5).
    for on, pain in zip((1, 2, 4, 5, 7, 8), (5, 5, 4, 4, 3, 3), strict=True):
        weeks.session(on, pain=pain)
    before = weeks.state(today=9)
    assert before.stage_number == 1
    assert before.to_advance() == ["9 days in the stage of 10"]
    # Nothing else happens: the stage moves on at the start of day 10.
    after = weeks.state(today=10)
    assert after.stage_number == 2
    assert after.stage_since == day(10)
    (move,) = after.transitions
    assert (move.day, move.stage, move.to_stage, move.forward) == (day(10), 1, 2, True)
    assert "6 of 6 sessions" in move.why
    assert "median pain before 3.5 over the last 4" in move.why


def test_only_the_stage_s_routines_count_as_its_sessions_but_every_score_counts() -> None:
    weeks = Calendar()
    for on in range(1, 13):
        weeks.session(on, routine="full-session", pain=2)
    state = weeks.state(today=12)
    assert state.stage_number == 1
    assert state.to_advance() == ["0 of 6 sessions"]
    assert state.advance is not None and state.advance[2].met  # the median is 2


def test_partial_sessions_do_not_count_as_sessions() -> None:
    weeks = Calendar()
    for on in range(1, 13):
        weeks.session(on, pain=2, done=on > 6)
    state = weeks.state(today=12)
    assert state.stage_number == 2  # the sixth completed one is on day 12
    assert state.transitions[0].day == day(12)


def test_high_pain_holds_a_stage_until_the_median_settles() -> None:
    weeks = Calendar()
    for on in range(1, 11):
        weeks.session(on, pain=6)
    state = weeks.state(today=14)
    assert state.stage_number == 1
    assert state.to_advance() == ["median pain before 6 over the last 4 → needs 4 or less"]
    for on in (15, 16, 17):
        weeks.session(on, pain=3)
    assert weeks.state(today=16).stage_number == 1  # 6, 3, 3 and one 6: median 4.5
    assert weeks.state(today=17).stage_number == 2  # 3, 3, 3 and one 6: median 3


def test_too_few_scores_is_said_as_such() -> None:
    weeks = Calendar()
    for on in range(1, 11):
        weeks.session(on, pain=2 if on > 8 else None)
    state = weeks.state(today=11)
    assert state.stage_number == 1
    assert state.to_advance() == [
        "2 of 4 scored sessions so far (the median pain before of the last 4 must be 4 or less)"
    ]


def reach_stage_two(weeks: Calendar) -> None:
    for on in range(1, 11):
        weeks.session(on, pain=3)


def test_two_flare_days_within_a_week_step_back_on_the_second() -> None:
    weeks = Calendar()
    reach_stage_two(weeks)
    assert weeks.state(today=11).stage_number == 2
    weeks.flare(12)
    weeks.flare(20)  # eight days later: not within 7
    assert weeks.state(today=20).stage_number == 2
    weeks.flare(25)  # day 20 and day 25 fall within 7 days
    state = weeks.state(today=26)
    assert state.stage_number == 1
    back = state.transitions[-1]
    assert (back.day, back.stage, back.to_stage, back.forward) == (day(25), 2, 1, False)
    assert back.why == "2 flare days in the last 7, since the stage began (steps back at 2)"
    # Back in stage 1, its counts start again from the day it began.
    assert state.to_advance()[0] == "0 of 6 sessions"


def test_high_pain_on_two_of_the_last_three_steps_back() -> None:
    weeks = Calendar()
    reach_stage_two(weeks)
    weeks.session(11, routine="evening-wind-down", pain=7)
    weeks.session(12, routine="evening-wind-down", pain=2)
    assert weeks.state(today=12).stage_number == 2
    weeks.session(13, routine="evening-wind-down", pain=8)
    state = weeks.state(today=13)
    assert state.stage_number == 1
    assert state.transitions[-1].why == (
        "pain before 7 or more in 2 of the last 3 scored (steps back at 2 of 3)"
    )


def test_stepping_back_wins_over_advancing() -> None:
    program = Program(
        "two",
        "Two",
        "",
        [
            Stage("A", ["desk-reset"], 3, Advance(sessions=1)),
            Stage("B", ["desk-reset"], 3, Advance(sessions=2), _high_pain(5, 1, 1)),
            Stage("C", ["desk-reset"], 3),
        ],
    )
    sessions: list[PlanSession] = [
        (day(1), "desk-reset", True, 1, 1),
        (day(2), "desk-reset", True, 1, 2),
        (day(3), "desk-reset", True, 9, 3),
    ]
    state = plan_state({"two": program}, "two", day(1), 1, sessions, [], day(3))
    assert [(t.stage, t.to_stage) for t in state.transitions] == [(1, 2), (2, 1)]


def _high_pain(at_least: int, count: int, of_last: int):  # type: ignore[no-untyped-def]
    from hipmob_tui.content.program import HighPain, StepBack

    return StepBack(pain_before=HighPain(at_least, count, of_last))


def test_a_program_continues_with_the_one_it_names() -> None:
    first = Program(
        "first", "First", "", [Stage("A", ["desk-reset"], 3, Advance(sessions=2))], "second"
    )
    second = Program("second", "Second", "", [Stage("B", ["full-session"], 3)])
    programs = {"first": first, "second": second}
    sessions: list[PlanSession] = [(day(n), "desk-reset", True, None, n) for n in (1, 2, 3)]
    state = plan_state(programs, "first", day(1), 1, sessions, [], day(3))
    assert (state.program.id, state.stage_number, state.followed) == ("second", 1, "first")
    assert state.final and state.to_advance() == []


def test_following_may_start_at_a_later_stage_and_ignores_what_came_before() -> None:
    weeks = Calendar()
    weeks.session(-5, pain=9)
    weeks.flare(-3)
    weeks.flare(-2)
    state = weeks.state(today=1, first_stage=3)
    assert (state.stage_number, state.stage.name, state.transitions) == (3, "Hold", [])


def test_the_json_shape_names_the_figures() -> None:
    weeks = Calendar()
    weeks.session(1, pain=4)
    shape = weeks.state(today=2).to_json()
    assert shape["stage"] == {
        "number": 1,
        "of": 3,
        "name": "Calm",
        "about": "Short RESET breaks to settle the protective tension first.",
        "since": START.isoformat(),
        "routines": ["desk-reset"],
        "sessions_per_week": 4,
        "completed_sessions": 1,
    }
    assert shape["advance"] == {
        "met": False,
        "conditions": [
            {"kind": "sessions", "have": 1, "need": 6, "met": False, "text": "1 of 6 sessions"},
            {
                "kind": "days",
                "have": 2,
                "need": 10,
                "met": False,
                "text": "2 days in the stage of 10",
            },
            {
                "kind": "pain_median",
                "have": None,
                "need": 4,
                "met": False,
                "text": "1 of 4 scored sessions so far "
                "(the median pain before of the last 4 must be 4 or less)",
            },
        ],
    }
    assert shape["step_back"] is None


EVENTS = st.lists(
    st.tuples(
        st.integers(1, 120),
        st.sampled_from(["desk-reset", "evening-wind-down", "full-session", "flare"]),
        st.booleans(),
        st.one_of(st.none(), st.integers(0, 10)),
    ),
    max_size=80,
)


def _calendar(events: list[tuple[int, str, bool, int | None]]) -> Calendar:
    weeks = Calendar()
    for on, what, done, pain in sorted(events, key=lambda e: e[0]):
        if what == "flare":
            weeks.flare(on)
        else:
            weeks.session(on, what, pain, done)
    return weeks


@settings(max_examples=150, deadline=None)
@given(EVENTS, st.integers(1, 130))
def test_the_stage_of_a_day_depends_only_on_what_came_before_it(
    events: list[tuple[int, str, bool, int | None]], today: int
) -> None:
    weeks = _calendar(events)
    whole = weeks.state(today=130)
    upto = weeks.state(today=today)
    # The replay up to `today` is the start of the whole replay: the same moves, in order.
    moves = [t.to_json() for t in whole.transitions if t.day <= day(today)]
    assert [t.to_json() for t in upto.transitions] == moves
    assert 1 <= upto.stage_number <= 3
    days = [t.day for t in whole.transitions]
    assert days == sorted(days)
    # Each move is one stage up or down, starting from where the previous one left.
    stage = 1
    for move in whole.transitions:
        assert move.stage == stage and abs(move.to_stage - stage) == 1
        stage = move.to_stage
    assert stage == whole.stage_number
    # Whatever the rules say on the last day has been acted on: a stage whose rule to
    # advance (with a stage after it) or to step back holds today would have moved.
    for state in (whole, upto):
        if state.advance is not None and state.stage_number < 3:
            assert not all(condition.met for condition in state.advance)
        if state.step_back is not None:
            assert not any(condition.met for condition in state.step_back)


@pytest.mark.parametrize("today", [1, 30, 90])
def test_the_same_history_gives_the_same_stage(today: int) -> None:
    weeks = _calendar([(n, "desk-reset", True, 3) for n in range(1, 90, 2)])
    assert weeks.state(today=today).to_json() == weeks.state(today=today).to_json()


def _checked_program() -> dict[str, Program]:
    """Advance when the 90/90 IR ease is 6 or more on both sides (as the catalog sets it)."""
    from hipmob_tui.content.program import CheckGate

    gate = CheckGate("ir-ease-90-90", 6, None, ("left", "right"))
    program = Program(
        "checked",
        "Checked",
        "",
        [Stage("A", ["desk-reset"], 3, Advance(check=gate)), Stage("B", ["desk-reset"], 3)],
    )
    return {"checked": program}


def test_a_check_rule_waits_for_both_sides_since_the_stage_began() -> None:
    programs = _checked_program()

    def state(checks: list[tuple[int, int, str, str | None, float]], today: int):  # type: ignore[no-untyped-def]
        return plan_state(programs, "checked", day(1), 1, [], [], day(today), checks)

    before_following = (day(1) - 1, 0, "ir-ease-90-90", "left", 9.0)
    left = (day(2), day(2) * 86400, "ir-ease-90-90", "left", 7.0)
    right_low = (day(3), day(3) * 86400, "ir-ease-90-90", "right", 5.0)
    right = (day(5), day(5) * 86400, "ir-ease-90-90", "right", 6.5)
    other = (day(5), day(5) * 86400, "seated-reach", None, 40.0)
    waiting = state([before_following, left, right_low, other], 4)
    assert waiting.stage_number == 1
    assert waiting.to_advance() == [
        "ir-ease-90-90 since the stage began: left 7, right 5 → needs 6 or more on both sides"
    ]
    moved = state([before_following, left, right_low, right, other], 6)
    assert moved.stage_number == 2
    assert moved.transitions[0].day == day(5)
    # The latest result counts: a lower left score after the right one holds it back.
    relapse = (day(5), day(5) * 86400 - 1, "ir-ease-90-90", "left", 4.0)
    assert state([left, right_low, relapse, right], 6).stage_number == 1


def test_a_check_rule_in_a_file_reads_the_catalog_s_sides(tmp_path: Path) -> None:
    mine = tmp_path / "checked.yaml"
    mine.write_text(
        "programs:\n"
        "  - id: checked\n"
        "    name: Checked\n"
        "    stages:\n"
        "      - name: A\n"
        "        routines: [desk-reset]\n"
        "        sessions_per_week: 3\n"
        "        advance:\n"
        "          check: {id: ir-ease-90-90, at_least: 6}\n"
        "      - name: B\n"
        "        routines: [full-session]\n"
        "        sessions_per_week: 3\n"
    )
    catalog = load_catalog(routine_files(builtin_routines_dir()), [mine])
    assert catalog.problems == ()
    gate = catalog.programs["checked"].stages[0].advance.check  # type: ignore[union-attr]
    assert gate is not None and gate.sides == ("left", "right")
    assert catalog.programs["checked"].uses_checks
    assert not catalog.programs[BUILTIN].uses_checks


def test_a_user_program_replaces_the_shipped_one_by_id(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "programs:\n"
        f"  - id: {BUILTIN}\n"
        "    name: My Own Pace\n"
        "    stages:\n"
        "      - name: Only\n"
        "        routines: [evening-wind-down]\n"
        "        sessions_per_week: 2\n"
    )
    catalog = load_catalog(routine_files(builtin_routines_dir()), [mine])
    assert catalog.problems == ()
    program = catalog.programs[BUILTIN]
    assert (program.name, program.source, program.origin) == ("My Own Pace", "user", str(mine))
    assert [stage.routines for stage in program.stages] == [("evening-wind-down",)]
    # A program in two files of the same layer is a duplicate, said where it is.
    (tmp_path / "again.yaml").write_text(mine.read_text())
    again = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    assert [p.field for p in again.problems] == [f"programs[{BUILTIN}].id"]
    assert "duplicate id" in again.problems[0].message
