"""The session engine: walks a timeline against a monotonic clock, never counting ticks.

Every reading comes from the injected clock, so a slow terminal, a stopped process or a
blocked event loop cannot make the session drift: when time passes the end of a step, the
overshoot carries into the next one.

Reading the engine never changes it: its properties and `readout` describe the session as
of the last `advance()`. Only `advance()` and the commands (which begin with one) move the
session on, and each returns what happened (a step left, time added) for the caller to act
on: checkpoint the journal, ring the bell, redraw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from hipmob_tui.history.records import (
    SIDE_NOTES,
    ExerciseDone,
    SessionRecord,
    clamp_seconds,
    new_session_id,
)
from hipmob_tui.session.clock import Clock
from hipmob_tui.session.timeline import Pacing, Step, Timeline

ADJUST_SECONDS = 10
"""What + and - add to or take from a timed step."""
DONE_FRACTION = 0.5
"""A work step left with "next" counts as done once this much of it has passed."""


class State(StrEnum):
    """Where the session is."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class Breath(StrEnum):
    """The half of a paced rep's breath the person is in: one breath per rep."""

    IN = "breathe in"
    OUT = "breathe out"


@dataclass(frozen=True, slots=True)
class StepChange:
    """The session left step `left` for step `entered` (None: the session is over)."""

    left: int
    entered: int | None


@dataclass(frozen=True, slots=True)
class Adjusted:
    """Seconds added to the current step (negative: taken from it)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class LeftUndone:
    """Work step `index` was left before half its time: it does not count as done, and
    (unless it is done later) the session will be saved as partial."""

    index: int


Event = StepChange | Adjusted | LeftUndone
"""What a call to the engine did, for the caller to act on."""


def step_changed(events: list[Event]) -> bool:
    """Whether the session left a step (the journal's cue to checkpoint)."""
    return any(isinstance(event, StepChange) for event in events)


class SessionEngine:
    """One session in progress: the current step, its time, and what has been done."""

    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        if not timeline.steps:
            raise ValueError("a session needs at least one step")
        self.timeline = timeline
        self.steps = timeline.steps
        self._clock = clock
        self.state = State.READY
        self.index = 0
        self.step_changes = 0
        """Counts every change of step, so two readouts tell a new step from the same one."""
        self.done = [False] * len(self.steps)
        """Per step: whether the work of that step was done (sticky: redoing never undoes)."""
        self.work_seconds = [0.0] * len(timeline.routine.items)
        """Per routine item: active seconds spent in its work steps."""
        self.side_notes: dict[int, str] = {}
        """Per routine item: which side felt tighter (see `note_side`); absent, not noted."""
        self._per_side = [item.dosage.per_side for item in timeline.routine.items]
        self._last_work = {step.item_index: n for n, step in enumerate(self.steps) if step.is_work}
        """Per routine item: the index of its last work step (its last set's last side)."""
        self.finished_early = False
        self._active_before = 0.0  # active seconds of the steps already left
        self._banked = 0.0  # active seconds of the current step, as of the last advance
        self._since: float | None = None  # clock reading of the last advance, while running
        self._extra = 0.0  # seconds added to (or taken from) the current step

    # ---------------------------------------------------------------- reading (as of the advance)

    @property
    def step(self) -> Step:
        """The current step (the last one once finished)."""
        return self.steps[self.index]

    @property
    def running(self) -> bool:
        """Whether the clock is running on a step."""
        return self.state is State.RUNNING

    @property
    def paused(self) -> bool:
        """Whether the person paused the session."""
        return self.state is State.PAUSED

    @property
    def finished(self) -> bool:
        """Whether the session is over."""
        return self.state is State.FINISHED

    @property
    def step_seconds(self) -> float:
        """The current step's length, with any +/- adjustments."""
        return self.step.seconds + self._extra

    @property
    def step_elapsed(self) -> float:
        """Active seconds spent in the current step."""
        return self._banked

    @property
    def step_remaining(self) -> float:
        """Seconds left in the current step (for reps the person counts, left of the estimate)."""
        if self.finished:
            return 0.0
        return max(0.0, self.step_seconds - self._banked)

    @property
    def active_seconds(self) -> float:
        """Active seconds of the whole session: paused time never counts."""
        return self._active_before + self._banked

    @property
    def session_remaining(self) -> float:
        """Seconds left: what remains of this step and the planned length of every later one."""
        if self.finished:
            return 0.0
        later = sum(step.seconds for step in self.steps[self.index + 1 :])
        return self.step_remaining + later

    @property
    def progress(self) -> float:
        """How far through the session, 0 to 1, by time."""
        if self.finished:
            return 1.0
        active = self.active_seconds
        total = active + self.session_remaining
        return active / total if total else 1.0

    @property
    def rep(self) -> int | None:
        """For reps the app paces, the rep under way (1-based); else None."""
        step = self.step
        if step.pacing is not Pacing.PACED_REPS or not step.tempo_seconds or step.reps is None:
            return None
        return min(step.reps, int(self._banked // step.tempo_seconds) + 1)

    @property
    def breath(self) -> Breath | None:
        """For reps the app paces: in for the first half of each rep's tempo, out for the rest."""
        step = self.step
        if step.pacing is not Pacing.PACED_REPS or not step.tempo_seconds or self.finished:
            return None
        into_rep = self._banked % step.tempo_seconds
        return Breath.IN if into_rep < step.tempo_seconds / 2 else Breath.OUT

    @property
    def next_step(self) -> Step | None:
        """The step after this one, if any."""
        return self.steps[self.index + 1] if self.index + 1 < len(self.steps) else None

    @property
    def next_work(self) -> Step | None:
        """The next piece of work after this step: what to get ready for."""
        return next((s for s in self.steps[self.index + 1 :] if s.is_work), None)

    @property
    def completed(self) -> bool:
        """Whether every work step was done: only then does the session count for a streak."""
        return all(done for done, step in zip(self.done, self.steps, strict=True) if step.is_work)

    def sets_done(self, item_index: int) -> int:
        """Sets of one routine item whose every side was done."""
        by_set: dict[int, bool] = {}
        for done, step in zip(self.done, self.steps, strict=True):
            if step.is_work and step.item_index == item_index:
                by_set[step.set_number] = by_set.get(step.set_number, True) and done
        return sum(by_set.values())

    def can_note_side(self, item_index: int) -> bool:
        """Whether a routine item can take a side note: done per side, at least one set done
        on both sides, and its last set over (the note stays until the session is saved)."""
        last = self._last_work.get(item_index)
        if last is None or not self._per_side[item_index]:
            return False
        return (self.finished or self.index > last) and self.sets_done(item_index) >= 1

    @property
    def side_note_item(self) -> int | None:
        """The item the runner offers a side note for: the per-side exercise just finished,
        while the pause after it lasts (the rest, the next exercise's get-ready)."""
        if self.finished or self.step.is_work:
            return None
        before = (n for n in range(self.index - 1, -1, -1) if self.steps[n].is_work)
        previous = next(before, None)
        if previous is None:
            return None
        item = self.steps[previous].item_index
        if self._last_work[item] != previous:
            return None  # a rest between two of its sets: the exercise is not over
        return item if self.can_note_side(item) else None

    # ---------------------------------------------------------------- moving on

    def advance(self) -> list[Event]:
        """Bring the session up to the clock's now, ending timed steps whose time is up.

        The one place time moves: any overshoot (a slow frame, a stopped process) becomes
        time already spent in the next step. Returns the steps left on the way.
        """
        if self._since is not None:
            now = self._clock()
            self._banked += now - self._since
            self._since = now
        events: list[Event] = []
        while self.state is State.RUNNING and self.step.pacing is not Pacing.CONFIRMED_REPS:
            overshoot = self._banked - self.step_seconds
            if overshoot < 0:
                break
            self._banked = self.step_seconds
            self._leave(done=True)
            events.append(self._enter(self.index + 1))
            self._banked = overshoot if self.state is State.RUNNING else 0.0
        return events

    # Every command first advances to now, so it acts on one clock reading: no time is
    # counted twice or lost, and the steps that ended meanwhile are in what it returns.

    def start(self) -> list[Event]:
        """Start the clock on the current step."""
        if self.state is State.READY:
            self.state = State.RUNNING
            self._since = self._clock()
        return []

    def pause(self) -> list[Event]:
        """Stop the clock; paused time never counts."""
        events = self.advance()
        if self.state is State.RUNNING:
            self._since = None
            self.state = State.PAUSED
        return events

    def resume(self) -> list[Event]:
        """Start the clock again where it stopped."""
        if self.paused:
            self._since = self._clock()
            self.state = State.RUNNING
        return []

    def toggle_pause(self) -> list[Event]:
        """Space: pause when running, resume when paused, start when ready."""
        if self.state is State.READY:
            return self.start()
        if self.state is State.RUNNING:
            return self.pause()
        return self.resume()

    def next(self) -> list[Event]:
        """Leave this step for the next one (skips a pause; work half done counts as done)."""
        events = self.advance()
        if not self.finished:
            index = self.index
            self._leave(done=self._banked >= self.step_seconds * DONE_FRACTION)
            if self.steps[index].is_work and not self.done[index]:
                events.append(LeftUndone(index))
            events.append(self._enter(index + 1))
        return events

    def previous(self) -> list[Event]:
        """Go back to the start of the step before (or restart the first)."""
        events = self.advance()
        if not self.finished:
            self._leave(done=False)
            events.append(self._enter(max(0, self.index - 1)))
        return events

    def restart_step(self) -> list[Event]:
        """Start the current step over; the time already spent still counts as active.

        Not a change of step: nothing to checkpoint, no bell.
        """
        events = self.advance()
        if not self.finished:
            self._leave(done=False)
        return events

    def done_reps(self) -> list[Event]:
        """Enter on reps the person counts: they are done, go on.

        Nothing on a step the clock ends, paced reps included: there "done" would count
        reps never done (`next` moves on, done once half the step has passed).
        """
        events = self.advance()
        if not self.finished and self.step.waits_for_done:
            self._leave(done=True)
            events.append(self._enter(self.index + 1))
        return events

    def adjust(self, seconds: float) -> list[Event]:
        """Add (or with a negative number, take) time on a timed step.

        Taking time never ends the step on its own: at least one second of it stays.
        """
        events = self.advance()
        if self.finished or not self.step.adjustable:
            return events
        length = self.step_seconds
        if seconds < 0:
            floor = min(length, max(1.0, self._banked + 1.0))
            change = max(length + seconds, floor) - length
        else:
            change = seconds
        self._extra += change
        if change:
            events.append(Adjusted(change))
        return events

    def note_side(self, item_index: int, side: str) -> list[Event]:
        """Note which side of an item felt tighter ("left", "right" or "even"); the side
        already noted clears the note. Not a change of step, and the clock runs on.

        ValueError when `side` is none of those or the item cannot take a note yet.
        """
        events = self.advance()
        if side not in SIDE_NOTES:
            raise ValueError(f"a side note is left, right or even, not {side!r}")
        if not self.can_note_side(item_index):
            raise ValueError("only a per-side exercise that was done can take a side note")
        if self.side_notes.get(item_index) == side:
            del self.side_notes[item_index]
        else:
            self.side_notes[item_index] = side
        return events

    def finish(self) -> list[Event]:
        """End the session now; what was done so far stays done."""
        events = self.advance()
        if not self.finished:
            half_done = self._banked >= self.step_seconds * DONE_FRACTION
            self._leave(done=self.step.is_work and half_done)
            self.finished_early = True
            events.append(self._enter(len(self.steps)))
        return events

    # ---------------------------------------------------------------- saving and resuming

    def snapshot(self) -> dict[str, Any]:
        """What a journal keeps: enough to resume at the start of the current step."""
        return {
            "routine_id": self.timeline.routine.id,
            "fingerprint": self.timeline.fingerprint,
            "index": self.index,
            "done": [i for i, done in enumerate(self.done) if done],
            "active_seconds": round(self._active_before, 3),
            "work_seconds": [round(s, 3) for s in self.work_seconds],
            "finished": self.state is State.FINISHED,
            "side_notes": {str(item): side for item, side in sorted(self.side_notes.items())},
        }

    @classmethod
    def resumed(cls, timeline: Timeline, clock: Clock, snapshot: dict[str, Any]) -> SessionEngine:
        """An engine at the start of the step a snapshot was taken in, not yet started.

        ValueError when the snapshot does not fit the timeline (the routine changed).
        """
        if snapshot.get("fingerprint") != timeline.fingerprint:
            raise ValueError("the routine has changed since this session was saved")
        engine = cls(timeline, clock)
        index = snapshot["index"]
        work = snapshot["work_seconds"]
        if not (isinstance(index, int) and 0 <= index < len(timeline.steps)):
            raise ValueError("the saved step is not in the routine")
        if len(work) != len(engine.work_seconds):
            raise ValueError("the saved exercises do not match the routine")
        engine.index = index
        for done in snapshot["done"]:
            engine.done[done] = True
        engine.work_seconds = [float(s) for s in work]
        engine._active_before = float(snapshot["active_seconds"])
        notes = snapshot.get("side_notes")  # None in a journal from before side notes
        # A note that does not fit is left out: it must never cost the session its resume.
        for item, side in (notes if isinstance(notes, dict) else {}).items():
            if str(item).isdigit() and engine.can_note_side(int(item)) and side in SIDE_NOTES:
                engine.side_notes[int(item)] = side
        return engine

    # ---------------------------------------------------------------- internals

    def _leave(self, *, done: bool) -> None:
        """Account for the time spent in the current step as it is left."""
        elapsed = self._banked
        step = self.step
        self._active_before += elapsed
        if step.is_work:
            self.work_seconds[step.item_index] += elapsed
            self.done[self.index] = self.done[self.index] or done
        self._banked = 0.0
        self._extra = 0.0

    def _enter(self, index: int) -> StepChange:
        left = self.index
        if index >= len(self.steps):
            self.state = State.FINISHED
            self._since = None
        else:
            self.index = index
        self.step_changes += 1
        return StepChange(left, None if self.finished else self.index)


def session_record(
    engine: SessionEngine,
    *,
    started_at: datetime,
    ended_at: datetime,
    pain_before: int | None = None,
    pain_after: int | None = None,
    notes: str = "",
    session_id: str | None = None,
) -> SessionRecord:
    """The record of a session so far: completed only when every piece of work was done."""
    routine = engine.timeline.routine
    exercises = []
    for index, item in enumerate(routine.items):
        exercise = next(s.exercise for s in engine.steps if s.item_index == index)
        exercises.append(
            ExerciseDone(
                id=item.exercise_id,
                name=exercise.name,
                phase=item.phase.value,
                sets_done=engine.sets_done(index),
                sets_planned=item.dosage.sets.low,
                seconds=clamp_seconds(round(engine.work_seconds[index])),
                side_note=engine.side_notes.get(index),
            )
        )
    started = started_at.replace(microsecond=0)
    return SessionRecord(
        id=session_id or new_session_id(started),
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=started,
        ended_at=max(started, ended_at.replace(microsecond=0)),
        status="completed" if engine.finished and engine.completed else "partial",
        planned_seconds=clamp_seconds(engine.timeline.planned_seconds),
        active_seconds=clamp_seconds(round(engine.active_seconds)),
        exercises=tuple(exercises),
        pain_before=pain_before,
        pain_after=pain_after,
        notes=notes,
    ).with_changes()


@dataclass(frozen=True, slots=True)
class Readout:
    """The engine as the screen shows it, in whole units: the UI redraws only what changed."""

    index: int
    step_changes: int
    state: State
    seconds_left: int
    """Whole seconds left in the step, rounded up (a countdown shows 1 until the very end)."""
    seconds_done: int
    """Whole seconds spent in the step (counts up on reps the person confirms)."""
    step_seconds: int
    rep: int | None
    breath: Breath | None
    """For paced reps, which half of the rep's breath; changes twice a rep."""
    session_done: int
    session_left: int
    side_item: int | None = None
    """The item a side note is offered for (see `SessionEngine.side_note_item`)."""
    side_note: str | None = None
    """That item's note so far."""


def readout(engine: SessionEngine) -> Readout:
    """What the runner shows, as of the engine's last advance."""
    side_item = engine.side_note_item
    return Readout(
        index=engine.index,
        step_changes=engine.step_changes,
        state=engine.state,
        seconds_left=whole_seconds(engine.step_remaining),
        seconds_done=int(engine.step_elapsed),
        step_seconds=whole_seconds(engine.step_seconds),
        rep=engine.rep,
        breath=engine.breath,
        session_done=int(engine.active_seconds),
        session_left=whole_seconds(engine.session_remaining),
        side_item=side_item,
        side_note=None if side_item is None else engine.side_notes.get(side_item),
    )


def clock_text(seconds: int) -> str:
    """Whole seconds as the big timer shows them: 0:05, 1:30, 12:00."""
    minutes, rest = divmod(max(0, seconds), 60)
    return f"{minutes}:{rest:02d}"


def whole_seconds(seconds: float) -> int:
    """A countdown as a person reads it: 4.2 s left shows 5, until the step truly ends."""
    return math.ceil(seconds - 1e-9)
