"""When the bell rings: each new step, 3-2-1 only before long steps, never twice in a second."""

from __future__ import annotations

from hipmob_tui.content.models import AmountKind
from hipmob_tui.content.pacing import Pauses
from hipmob_tui.session.bell import Bell, Ring
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.engine import Readout, SessionEngine, readout
from tests.test_engine import exercise, timeline_of

TICK = 0.1


def rings_over(engine: SessionEngine, clock: FakeClock, seconds: float) -> list[float]:
    """Session seconds at which the bell rings, the runner asking ten times a second."""
    bell = Bell()
    rings: list[float] = []
    before: Readout | None = readout(engine)
    for _ in range(round(seconds / TICK)):
        clock.tick(TICK)
        engine.advance()
        now = readout(engine)
        if bell.due(before, now, engine.steps[now.index], engine.active_seconds):
            rings.append(round(engine.active_seconds, 1))
        before = now
    return rings


def started(*exercises: object, pauses: Pauses) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(timeline_of(*exercises, pauses=pauses), clock)  # type: ignore[arg-type]
    engine.start()
    return engine, clock


def test_a_long_step_gets_three_two_one_and_short_ones_only_their_start() -> None:
    # get ready 5, hold 3 left, switch 4, hold 3 right, rest 12, hold 3 left ...
    hold = exercise("hold", amount=3, sets=2, per_side=True)
    engine, clock = started(hold, pauses=Pauses(get_ready=5, side_switch=4, between_sets=12))
    assert rings_over(engine, clock, 28) == [5, 8, 12, 15, 24, 25, 26, 27]


def test_three_two_one_from_ten_seconds_up() -> None:
    nine = exercise("nine", amount=9)
    ten = exercise("ten", amount=10)
    engine, clock = started(nine, ten, pauses=Pauses(get_ready=1, between_exercises=0))
    # nine: 1-10, no countdown; get ready 10-11; ten: 11-21 with 3-2-1 at 18, 19, 20 (the
    # end of the session is the summary's, not a bell's).
    assert rings_over(engine, clock, 22) == [1, 10, 11, 18, 19, 20]


def test_never_twice_in_one_second() -> None:
    hold = exercise("hold", amount=30, sets=3)
    engine, clock = started(hold, pauses=Pauses(get_ready=5, between_sets=20))
    bell = Bell()
    before = readout(engine)
    rung = []
    for _ in range(4):  # "next" pressed four times in a fraction of a second
        clock.tick(0.1)
        engine.next()
        now = readout(engine)
        rung.append(bell.due(before, now, engine.steps[now.index], engine.active_seconds))
        before = now
    clock.tick(1)
    engine.next()
    now = readout(engine)
    rung.append(bell.due(before, now, engine.steps[now.index], engine.active_seconds))
    assert rung == [True, False, False, False, True]


def test_reps_the_person_counts_get_no_countdown() -> None:
    counted = exercise("counted", AmountKind.REPS, 4)  # an estimate of 20 s, no clock
    engine, clock = started(counted, pauses=Pauses(get_ready=1))
    assert rings_over(engine, clock, 30) == [1]


def test_each_ring_says_whether_it_is_a_new_step_or_the_countdown() -> None:
    """A browser plays them differently (a short lower beep for 3-2-1): the bell says which."""
    hold = exercise("hold", amount=10)
    engine, clock = started(hold, pauses=Pauses(get_ready=2))
    bell = Bell()
    before: Readout | None = readout(engine)
    rings: list[tuple[float, Ring]] = []
    for _ in range(round(12 / TICK)):
        clock.tick(TICK)
        engine.advance()
        now = readout(engine)
        ring = bell.ring(before, now, engine.steps[now.index], engine.active_seconds)
        if ring is not None:
            rings.append((round(engine.active_seconds, 1), ring))
        before = now
    countdown = [(9, Ring.COUNTDOWN), (10, Ring.COUNTDOWN), (11, Ring.COUNTDOWN)]
    assert rings == [(2, Ring.STEP), *countdown]
