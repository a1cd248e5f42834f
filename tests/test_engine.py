"""The timeline and the session engine, against a fake clock: every key at every kind of step."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.content.loading import Catalog
from hipmob_tui.content.models import (
    AmountKind,
    Dosage,
    Exercise,
    Phase,
    Routine,
    RoutineItem,
    Span,
)
from hipmob_tui.content.pacing import DEFAULT_PAUSES, Pauses, estimate_seconds
from hipmob_tui.paths import builtin_routines_dir, routine_files
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import (
    Adjusted,
    Breath,
    Event,
    LeftUndone,
    SessionEngine,
    State,
    StepChange,
    session_record,
    whole_seconds,
)
from hipmob_tui.session.timeline import Pacing, StepKind, Timeline, build_timeline


def exercise(
    exercise_id: str,
    kind: AmountKind = AmountKind.HOLD,
    amount: int = 20,
    *,
    sets: int = 1,
    per_side: bool = False,
    tempo: int | None = None,
) -> Exercise:
    dosage = Dosage(Span(sets, sets), kind, Span(amount, amount), per_side, tempo)
    name = exercise_id.title()
    return Exercise(exercise_id, name, Phase.RESTORE, "p", ("s",), ("c",), (), (), dosage, "added")


def routine_of(*exercises: Exercise) -> tuple[Routine, dict[str, Exercise]]:
    items = tuple(RoutineItem(e.id, e.phase, e.dosage) for e in exercises)
    routine = Routine(
        "test", "Test", "", items, "user", estimate_seconds(e.dosage for e in exercises)
    )
    return routine, {e.id: e for e in exercises}


def timeline_of(*exercises: Exercise, pauses: Pauses = DEFAULT_PAUSES) -> Timeline:
    routine, by_id = routine_of(*exercises)
    return build_timeline(routine, by_id, pauses)


HOLD = exercise("hold", sets=2, per_side=True)
PACED = exercise("paced", AmountKind.REPS, 3, tempo=4)
COUNTED = exercise("counted", AmountKind.REPS, 5)


# ------------------------------------------------------------------ timeline


def test_timeline_of_a_two_set_per_side_hold() -> None:
    timeline = timeline_of(HOLD)
    shape = [(s.kind, s.set_number, s.side, s.seconds) for s in timeline.steps]
    assert shape == [
        (StepKind.GET_READY, 1, None, 5),
        (StepKind.WORK, 1, "left", 20),
        (StepKind.SWITCH, 1, "right", 5),
        (StepKind.WORK, 1, "right", 20),
        (StepKind.REST, 2, None, 15),
        (StepKind.WORK, 2, "left", 20),
        (StepKind.SWITCH, 2, "right", 5),
        (StepKind.WORK, 2, "right", 20),
    ]


def test_between_exercises_one_pause_as_long_as_the_rest_and_the_get_ready() -> None:
    shape = [(s.kind, s.exercise.id, s.seconds) for s in timeline_of(PACED, COUNTED).steps]
    assert shape == [
        (StepKind.GET_READY, "paced", 5),
        (StepKind.WORK, "paced", 12),
        (StepKind.GET_READY, "counted", 20 + 5),  # the rest is the get-ready for what comes
        (StepKind.WORK, "counted", 25),
    ]


def test_never_two_pauses_in_a_row(builtin_catalog: Catalog) -> None:
    for routine in builtin_catalog.routines.values():
        steps = build_timeline(routine, builtin_catalog.exercises).steps
        for before, after in zip(steps, steps[1:], strict=False):
            assert before.is_work or after.is_work, (routine.id, before, after)


def test_either_pause_alone_still_gives_one_pause_between_exercises() -> None:
    no_rest = timeline_of(PACED, COUNTED, pauses=Pauses(get_ready=5, between_exercises=0))
    no_countdown = timeline_of(PACED, COUNTED, pauses=Pauses(get_ready=0, between_exercises=20))
    assert [(s.kind, s.seconds) for s in no_rest.steps if not s.is_work] == [
        (StepKind.GET_READY, 5),
        (StepKind.GET_READY, 5),
    ]
    assert [(s.kind, s.seconds) for s in no_countdown.steps if not s.is_work] == [
        (StepKind.GET_READY, 20),
    ]


def test_rep_steps_are_paced_with_a_tempo_and_confirmed_without() -> None:
    paced, counted = (s for s in timeline_of(PACED, COUNTED).steps if s.is_work)
    assert (paced.pacing, paced.seconds, paced.reps) == (Pacing.PACED_REPS, 12, 3)
    assert (counted.pacing, counted.reps) == (Pacing.CONFIRMED_REPS, 5)
    assert counted.waits_for_done and not paced.waits_for_done


def test_zero_second_pauses_leave_no_step() -> None:
    timeline = timeline_of(HOLD, PACED, pauses=Pauses(0, 0, 0, 0))
    assert all(step.is_work for step in timeline.steps)


def test_every_builtin_timeline_adds_up_to_its_estimate(builtin_catalog: Catalog) -> None:
    for routine in builtin_catalog.routines.values():
        timeline = build_timeline(routine, builtin_catalog.exercises)
        assert timeline.planned_seconds == routine.estimated_seconds, routine.id


def test_fingerprint_changes_with_the_steps() -> None:
    assert timeline_of(HOLD).fingerprint == timeline_of(HOLD).fingerprint
    assert timeline_of(HOLD).fingerprint != timeline_of(exercise("hold", sets=3)).fingerprint


# ------------------------------------------------------------------ the engine


def started(timeline: Timeline) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(timeline, clock)
    engine.start()
    return engine, clock


def elapse(engine: SessionEngine, clock: FakeClock, seconds: float) -> list[Event]:
    """Let `seconds` pass on the clock, and the engine catch up with it."""
    clock.tick(seconds)
    return engine.advance()


def added(events: list[Event]) -> float:
    """The seconds a + or - added to the step (negative: took)."""
    return sum(event.seconds for event in events if isinstance(event, Adjusted))


def test_reading_never_moves_the_session_only_advance_does() -> None:
    engine, clock = started(timeline_of(HOLD))
    clock.tick(5.5)  # past the get-ready, but nobody has asked the engine yet
    for _ in range(3):
        assert (engine.index, engine.step_elapsed, engine.step_changes) == (0, 0, 0)
        assert engine.step_remaining == 5 and not engine.finished
    assert engine.advance() == [StepChange(left=0, entered=1)]
    assert engine.index == 1 and engine.step_elapsed == pytest.approx(0.5)
    assert engine.advance() == []  # no time passed: nothing more happens


def test_a_command_returns_the_steps_that_ended_before_it_too() -> None:
    engine, clock = started(timeline_of(HOLD))
    clock.tick(5 + 20 + 1)  # through the get-ready and the left hold, unseen
    assert engine.next() == [
        StepChange(left=0, entered=1),
        StepChange(left=1, entered=2),
        StepChange(left=2, entered=3),  # the switch, skipped by the key
    ]
    assert engine.finish() == [StepChange(left=3, entered=None)]
    assert engine.next() == [] and engine.finished


def test_timed_steps_end_on_their_own_and_overshoot_carries_on() -> None:
    engine, clock = started(timeline_of(HOLD))
    elapse(engine, clock, 4.5)
    assert engine.step.kind is StepKind.GET_READY
    assert engine.step_remaining == pytest.approx(0.5)
    elapse(engine, clock, 0.75)  # 0.25 s into the first hold
    assert engine.step.kind is StepKind.WORK and engine.step.side == "left"
    assert engine.step_elapsed == pytest.approx(0.25)
    elapse(engine, clock, 20 + 5 + 3)  # through the hold and the switch, 3 s into the right side
    assert engine.step.side == "right" and engine.step_elapsed == pytest.approx(3.25)
    assert engine.step_changes == 3


def test_a_stopped_process_catches_up_through_several_steps() -> None:
    engine, clock = started(timeline_of(HOLD))
    elapse(engine, clock, 1000)
    assert engine.finished and engine.completed
    assert engine.active_seconds == pytest.approx(timeline_of(HOLD).planned_seconds)
    assert engine.step_remaining == 0 and engine.session_remaining == 0


def test_pause_time_never_counts() -> None:
    engine, clock = started(timeline_of(HOLD))
    elapse(engine, clock, 2)
    engine.toggle_pause()
    assert engine.paused
    elapse(engine, clock, 600)
    assert engine.step.kind is StepKind.GET_READY
    assert engine.active_seconds == pytest.approx(2)
    engine.toggle_pause()
    elapse(engine, clock, 1)
    assert engine.active_seconds == pytest.approx(3)
    assert engine.step_remaining == pytest.approx(2)


def test_next_skips_a_rest_and_counts_half_done_work() -> None:
    engine, clock = started(timeline_of(HOLD))
    assert engine.next() == [StepChange(left=0, entered=1)]  # skip get ready: no work left
    assert engine.step.is_work and engine.step_elapsed == 0
    elapse(engine, clock, 9)
    # 9 of 20 s: not done, and the caller is told (the session will be partial).
    assert engine.next() == [LeftUndone(1), StepChange(left=1, entered=2)]
    assert not engine.done[1]
    engine.next()  # skip the switch
    elapse(engine, clock, 10)
    assert engine.next() == [StepChange(left=3, entered=4)]  # 10 of 20 s: done, nothing said
    assert engine.done[3]
    assert engine.active_seconds == pytest.approx(19)
    assert engine.work_seconds == [pytest.approx(19)]


def test_previous_goes_back_and_the_time_spent_still_counts() -> None:
    engine, clock = started(timeline_of(HOLD))
    elapse(engine, clock, 5 + 20 + 2)  # 2 s into the switch
    engine.previous()
    assert engine.index == 1 and engine.step_elapsed == 0 and engine.done[1]
    engine.previous()
    engine.previous()  # the first step restarts
    assert engine.index == 0
    assert engine.active_seconds == pytest.approx(27)


def test_restart_step_starts_the_clock_over() -> None:
    engine, clock = started(timeline_of(HOLD))
    engine.next()
    elapse(engine, clock, 12)
    engine.restart_step()
    assert engine.index == 1 and engine.step_remaining == 20
    assert engine.step_changes == 1  # a restart is not a new step


def test_plus_and_minus_change_only_the_current_step() -> None:
    engine, clock = started(timeline_of(HOLD))
    engine.next()
    assert engine.adjust(10) == [Adjusted(10)]
    assert engine.step_remaining == 30
    elapse(engine, clock, 25)
    assert added(engine.adjust(-10)) == pytest.approx(-4)  # never below one second left
    assert engine.step_remaining == pytest.approx(1)
    elapse(engine, clock, 1)
    assert engine.step.kind is StepKind.SWITCH and engine.step_remaining == 5
    assert added(engine.adjust(-10)) == -4 and engine.step_seconds == 1


def test_rep_steps_ignore_plus_and_minus() -> None:
    engine, _ = started(timeline_of(PACED))
    engine.next()
    assert engine.adjust(10) == [] and engine.step_seconds == 12


def test_paced_reps_are_counted_by_the_engine() -> None:
    engine, clock = started(timeline_of(PACED))
    engine.next()
    assert engine.rep == 1
    elapse(engine, clock, 4.1)
    assert engine.rep == 2
    elapse(engine, clock, 7.8)
    assert engine.rep == 3
    elapse(engine, clock, 0.2)
    assert engine.finished and engine.completed


def test_paced_reps_breathe_in_then_out_each_rep() -> None:
    engine, clock = started(timeline_of(PACED))  # 3 reps of 4 s
    assert engine.breath is None  # getting ready
    engine.next()
    seen = []
    for _ in range(12):
        seen.append((engine.rep, engine.breath))
        elapse(engine, clock, 1)
    half = [Breath.IN, Breath.IN, Breath.OUT, Breath.OUT]
    assert seen == [(rep, breath) for rep in (1, 2, 3) for breath in half]
    assert engine.finished and engine.breath is None


def test_paced_reps_keep_the_breath_while_paused() -> None:
    engine, clock = started(timeline_of(PACED))
    engine.next()
    elapse(engine, clock, 5)  # rep 2, first half
    engine.pause()
    elapse(engine, clock, 1.5)
    assert (engine.rep, engine.breath) == (2, Breath.IN)
    engine.resume()
    elapse(engine, clock, 1.5)
    assert (engine.rep, engine.breath) == (2, Breath.OUT)


def test_only_paced_reps_have_a_breath() -> None:
    for timeline in (timeline_of(HOLD), timeline_of(COUNTED)):
        engine, clock = started(timeline)
        for _ in range(3):
            engine.next()
            elapse(engine, clock, 1)
            assert engine.breath is None


def test_confirmed_reps_wait_for_done() -> None:
    engine, clock = started(timeline_of(COUNTED))
    engine.next()
    elapse(engine, clock, 300)
    assert not engine.finished and engine.step.waits_for_done
    assert engine.step_remaining == 0 and engine.rep is None
    engine.done_reps()
    assert engine.finished and engine.completed
    assert engine.work_seconds == [pytest.approx(300)]


def test_done_does_nothing_on_a_timed_step() -> None:
    engine, _ = started(timeline_of(HOLD))
    engine.done_reps()
    assert engine.index == 0


def test_done_does_nothing_on_paced_reps_which_the_clock_ends() -> None:
    """Enter must not count breaths not yet taken: the paced step ends on its own."""
    engine, clock = started(timeline_of(PACED))
    engine.next()  # past the get-ready
    elapse(engine, clock, 1)
    work = engine.index
    assert engine.step.is_work and not engine.step.waits_for_done
    engine.done_reps()
    assert engine.index == work and not engine.done[work]
    elapse(engine, clock, 3 * 4)  # three reps of four seconds: over by itself, done
    assert (engine.finished or engine.index != work) and engine.done[work]


def test_finish_early_is_partial_with_what_was_done() -> None:
    engine, clock = started(timeline_of(HOLD))
    elapse(engine, clock, 5 + 20 + 5 + 20 + 3)  # the first set on both sides, 3 s of rest
    engine.finish()
    assert engine.finished and engine.finished_early and not engine.completed
    assert engine.sets_done(0) == 1
    assert engine.active_seconds == pytest.approx(53)
    engine.next()
    elapse(engine, clock, 10)
    assert engine.active_seconds == pytest.approx(53)  # nothing moves once finished


def test_sets_count_only_when_both_sides_are_done() -> None:
    engine, clock = started(timeline_of(HOLD))
    elapse(engine, clock, 5 + 20 + 5)
    engine.next()  # the right side skipped at once
    assert engine.sets_done(0) == 0


def test_progress_runs_from_zero_to_one() -> None:
    engine, clock = started(timeline_of(HOLD))
    assert engine.progress == 0
    elapse(engine, clock, 55)
    assert engine.progress == pytest.approx(55 / 110)
    elapse(engine, clock, 55)
    assert engine.progress == 1


def test_next_work_names_what_to_get_ready_for() -> None:
    engine, _ = started(timeline_of(HOLD, PACED))
    assert engine.next_work is not None and engine.next_work.side == "left"
    for _ in range(7):
        engine.next()
    assert engine.next_work is not None and engine.next_work.exercise.id == "paced"


def test_whole_seconds_rounds_a_countdown_up() -> None:
    assert [whole_seconds(x) for x in (0.0, 0.01, 4.0, 4.2, 59.999)] == [0, 1, 4, 5, 60]


def test_a_thirty_minute_session_with_random_pauses_and_a_slow_renderer_has_no_drift() -> None:
    hold = exercise("long", AmountKind.DURATION, 290, sets=3, per_side=True)
    timeline = timeline_of(hold, hold)
    assert timeline.planned_seconds > 30 * 60
    engine, clock = started(timeline)
    rng = random.Random(7)
    paused_total = 0.0
    began = clock.now
    while not engine.finished:
        elapse(engine, clock, rng.uniform(0.05, 1.7))  # ticks that arrive late, irregularly
        engine.advance()
        if rng.random() < 0.01:
            engine.pause()
            gap = rng.uniform(1, 90)
            elapse(engine, clock, gap)
            paused_total += gap
            engine.resume()
    overshoot = clock.now - began - paused_total - timeline.planned_seconds
    assert 0 <= overshoot < 1.7  # only the last late tick: nothing accumulated
    assert engine.active_seconds == pytest.approx(timeline.planned_seconds, abs=1e-6)


def test_snapshot_resumes_at_the_start_of_the_same_step() -> None:
    engine, clock = started(timeline_of(HOLD))
    elapse(engine, clock, 5 + 20 + 5 + 7)
    again = SessionEngine.resumed(timeline_of(HOLD), FakeClock(), engine.snapshot())
    assert again.state is State.READY and again.index == engine.index
    assert again.done == engine.done and again.active_seconds == pytest.approx(30)
    with pytest.raises(ValueError, match="changed"):
        SessionEngine.resumed(timeline_of(PACED), FakeClock(), engine.snapshot())


def test_record_of_a_finished_session() -> None:
    engine, clock = started(timeline_of(HOLD, COUNTED))
    elapse(engine, clock, 110 + 20 + 5)
    engine.done_reps()
    start = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    record = session_record(
        engine, started_at=start, ended_at=start.replace(minute=45), pain_before=6, pain_after=3
    )
    assert record.status == "completed" and record.active_seconds == 135
    assert [(e.id, e.sets_done, e.sets_planned) for e in record.exercises] == [
        ("hold", 2, 2),
        ("counted", 1, 1),
    ]
    assert record.planned_seconds == engine.timeline.planned_seconds


# ------------------------------------------------------------------ random key sequences

KEYS = ("space", "next", "previous", "restart", "plus", "minus", "done", "wait", "finish")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.floats(0, 40, allow_nan=False)), max_size=60))
def test_random_keys_keep_the_engine_honest(presses: list[tuple[str, float]]) -> None:
    engine, clock = started(timeline_of(PACED, HOLD, COUNTED))
    running_time = 0.0
    changes = engine.step_changes
    last_active = 0.0
    last_done = list(engine.done)
    for key, wait in presses:
        if engine.running:
            running_time += wait
        clock.tick(wait)
        if key == "finish" and len(presses) > 1:
            continue  # rare, so most sequences get far
        events = {
            "space": engine.toggle_pause,
            "next": engine.next,
            "previous": engine.previous,
            "restart": engine.restart_step,
            "plus": lambda: engine.adjust(10),
            "minus": lambda: engine.adjust(-10),
            "done": engine.done_reps,
            "wait": engine.advance,
            "finish": engine.finish,
        }[key]()
        assert 0 <= engine.index < len(engine.steps)
        assert engine.step_remaining >= 0 and engine.session_remaining >= 0
        assert 0 <= engine.progress <= 1
        assert engine.step_seconds >= 1
        # Active time is exactly the time the clock ran unpaused, until the session ended.
        if not engine.finished:
            assert engine.active_seconds == pytest.approx(running_time, abs=1e-6)
        assert engine.active_seconds >= last_active - 1e-9
        assert all(now or not before for before, now in zip(last_done, engine.done, strict=True))
        assert sum(engine.work_seconds) <= engine.active_seconds + 1e-6
        # Every change of step is in what the call returned: the journal misses none.
        left = [event for event in events if isinstance(event, StepChange)]
        assert len(left) == engine.step_changes - changes
        last_active, last_done = engine.active_seconds, list(engine.done)
        changes = engine.step_changes
    engine.finish()
    assert engine.finished and engine.session_remaining == 0


def test_a_routine_and_its_items_set_their_own_pauses(tmp_path: Path) -> None:
    from hipmob_tui.content.loading import load_catalog

    (tmp_path / "r.yaml").write_text(
        "routines:\n"
        "  - id: slow\n"
        "    name: Slow\n"
        "    pauses: {between_sets: 40, get_ready: 0}\n"
        "    items:\n"
        "      - exercise: glute-release\n"
        "      - exercise: pigeon-90-90\n"
        "        pauses: {side_switch: 12, between_exercises: 30}\n"
    )
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    assert catalog.problems == ()
    routine = catalog.routines["slow"]
    timeline = build_timeline(routine, catalog.exercises)
    pauses = [(s.kind, s.seconds) for s in timeline.steps if not s.is_work]
    assert pauses == [
        (StepKind.SWITCH, 5),  # glute release: the default switch, no get-ready
        (StepKind.GET_READY, 30),  # before the pigeon: its own rest, the routine's get-ready
        (StepKind.SWITCH, 12),
        (StepKind.REST, 40),  # between the pigeon's sets: the routine's
        (StepKind.SWITCH, 12),
    ]
    assert timeline.planned_seconds == routine.estimated_seconds
    assert routine.to_json()["pauses"] == {"get_ready": 0, "between_sets": 40}
    assert routine.to_json()["items"][1]["pauses"] == {"side_switch": 12, "between_exercises": 30}


def test_pauses_from_the_settings_are_the_defaults(builtin_catalog: Catalog) -> None:
    routine = builtin_catalog.routines["desk-reset"]
    longer = Pauses().overridden((("between_exercises", 60),))
    default = build_timeline(routine, builtin_catalog.exercises)
    slower = build_timeline(routine, builtin_catalog.exercises, longer)
    assert slower.planned_seconds == default.planned_seconds + 3 * 40


def test_bad_pauses_are_clear_problems(tmp_path: Path) -> None:
    from hipmob_tui.content.loading import load_catalog

    (tmp_path / "r.yaml").write_text(
        "routines:\n"
        "  - id: bad\n"
        "    name: Bad\n"
        "    pauses: {between_set: 40}\n"
        "    items:\n"
        "      - exercise: glute-release\n"
        "        pauses: {get_ready: -1}\n"
    )
    catalog = load_catalog(routine_files(builtin_routines_dir()), [tmp_path])
    messages = [str(p).split(": ", 1)[1] for p in catalog.problems]
    assert any("between_set" in m and "between_sets" in m for m in messages), messages
    assert any("items[1].pauses.get_ready" in m for m in messages), messages
    assert "bad" not in catalog.routines
