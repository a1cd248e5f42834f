"""One guided session from start to history: the engine, its journal, and the record it makes.

The UI holds one SessionRun, gives it the person's keys and its tick, and shows what the
engine reads back. Whatever moves the session goes through here, so every step change is
checkpointed: everything that must survive a crash happens here, without textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from hipmob_tui.history.records import CheckResult, SessionRecord, new_session_id
from hipmob_tui.session.clock import Clock
from hipmob_tui.session.engine import Event, SessionEngine, session_record, step_changed
from hipmob_tui.session.journal import Journal, SavedSession, newer
from hipmob_tui.session.timeline import Step, StepKind, Timeline

TYPE_CHECKING = False
if TYPE_CHECKING:  # the store (and TinyDB) is needed at the end, not for the runner's start
    from hipmob_tui.history.store import Change, Store

WallClock = Callable[[], datetime]
"""The local time, aware (datetime.now().astimezone() in the app)."""


def local_now() -> datetime:
    """The local time with its UTC offset: what records are stamped with."""
    return datetime.now().astimezone()


class SessionRun:
    """A session being followed: checkpointed to the journal at every step change."""

    def __init__(
        self,
        timeline: Timeline,
        db: Path | None,
        *,
        clock: Clock = time.monotonic,
        now: WallClock = local_now,
        pain_before: int | None = None,
        resume_from: dict[str, Any] | None = None,
        started_at: datetime | None = None,
        session_id: str | None = None,
    ) -> None:
        self.db = db
        """The history file the session is saved to; None runs it without saving (tests)."""
        self.journal = Journal(db) if db is not None else None
        self.now = now
        self.started_at = (started_at or now()).replace(microsecond=0)
        self.session_id = session_id or new_session_id(self.started_at)
        self.pain_before = pain_before
        self.check_results: list[CheckResult] = []
        """The checks done before the session (each saved as it was given), for its summary."""
        self.checkpoint_error: str | None = None
        """Why the last checkpoint failed (disk full...), for the UI to show; None when fine."""
        # Read the engine freely (reading never moves it); move it through the commands
        # below, so that no step change escapes the journal.
        self.engine = (
            SessionEngine(timeline, clock)
            if resume_from is None
            else SessionEngine.resumed(timeline, clock, resume_from)
        )
        self.seconds_before = self.engine.active_seconds
        """Active seconds spent before an interruption, for a resumed session (else 0)."""

    @property
    def anything_done(self) -> bool:
        """Whether the session has anything worth a record if it ends now.

        A second of work; or, for a resumed session, a second spent before it was cut
        off: the person did not choose to stop then, and a hang-up would have saved it.
        """
        engine = self.engine
        return (
            self.seconds_before >= 1
            or any(seconds >= 1 for seconds in engine.work_seconds)
            or (engine.step.is_work and engine.step_elapsed >= 1)
        )

    def start(self) -> None:
        """Start the clock, checkpointing first so even the first step survives a kill."""
        self._checkpoint()
        self.engine.start()

    # The engine's commands, each followed by a checkpoint when the step changed.

    def advance(self) -> list[Event]:
        """Bring the session up to now (the UI's tick)."""
        return self._acted(self.engine.advance())

    def pause(self) -> list[Event]:
        """Stop the clock."""
        return self._acted(self.engine.pause())

    def resume(self) -> list[Event]:
        """Start the clock again."""
        return self._acted(self.engine.resume())

    def next(self) -> list[Event]:
        """On to the next step."""
        return self._acted(self.engine.next())

    def previous(self) -> list[Event]:
        """Back to the step before."""
        return self._acted(self.engine.previous())

    def restart_step(self) -> list[Event]:
        """This step from its start."""
        return self._acted(self.engine.restart_step())

    def done_reps(self) -> list[Event]:
        """The reps are done."""
        return self._acted(self.engine.done_reps())

    def adjust(self, seconds: float) -> list[Event]:
        """Time added to (or taken from) this step."""
        return self._acted(self.engine.adjust(seconds))

    def finish(self) -> list[Event]:
        """End the session now."""
        return self._acted(self.engine.finish())

    def note_side(self, item_index: int, side: str) -> list[Event]:
        """Which side of an exercise felt tighter (the same side again clears it); kept in
        the journal at once, as a step change is, so a crash does not lose it."""
        events = self.engine.note_side(item_index, side)
        self._checkpoint()
        return events

    def _acted(self, events: list[Event]) -> list[Event]:
        if step_changed(events):
            self._checkpoint()
        return events

    def record(self, *, pain_after: int | None = None, notes: str = "") -> SessionRecord:
        """The session as it stands: partial until every piece of work is done."""
        return session_record(
            self.engine,
            started_at=self.started_at,
            ended_at=self.now(),
            pain_before=self.pain_before,
            pain_after=pain_after,
            notes=notes,
            session_id=self.session_id,
        )

    def save(self, store: Store, record: SessionRecord) -> Change:
        """Put the session in the history (replacing an earlier partial save of it)."""
        change = save_session(store, record)
        if self.journal is not None and self.engine.finished:
            self.journal.clear()
        return change

    def _checkpoint(self) -> None:
        if self.journal is None:
            return
        engine = self.engine
        try:
            self.journal.save(self.record(), engine.snapshot(), self.now(), step_text(engine.step))
            self.checkpoint_error = None
        except OSError as error:
            # The session goes on; the UI says that a crash now would lose more than a step.
            self.checkpoint_error = str(error)


def interrupted_session(journal: Journal, store: Store) -> SavedSession | None:
    """The session a kill or a hang-up interrupted, as last saved; None when there is none.

    The journal's checkpoint, or the partial record a hang-up saved after it when that is
    newer. JournalDamaged when the journal cannot be read. A history that cannot be read
    leaves the checkpoint as it is: History says what is wrong with the file.
    """
    saved = journal.load()
    return None if saved is None else latest_save(saved, store)


def latest_save(saved: SavedSession, store: Store) -> SavedSession:
    """An interrupted session with the partial record of it in the history, when newer."""
    from hipmob_tui.errors import HipmobError

    try:
        records = store.sessions()
    except (HipmobError, OSError):
        return saved
    stored = next((record for record in records if record.id == saved.record.id), None)
    return saved.with_stored(stored)


def keep_as_partial(store: Store, saved: SavedSession) -> SessionRecord:
    """Put an interrupted session in the history as it last stood; returns what was kept.

    When the history already has a save of it (a hang-up saves one), the newer of the two
    is kept, decided under the store's lock: keeping never takes back time.
    """
    kept = saved.record
    if store.add(kept).changed:
        return kept

    def newest(stored: SessionRecord) -> SessionRecord:
        nonlocal kept
        kept = newer(stored, saved.record)
        return kept

    store.update(kept.id, newest)
    return kept


def save_session(store: Store, record: SessionRecord) -> Change:
    """Add a session, or replace the earlier save of the same session (same id)."""
    change = store.add(record)
    if change.changed == 0:
        change = store.update(record.id, lambda _old: record)
    return change


def step_text(step: Step) -> str:
    """Where a session stopped, in words: "Pigeon · set 2/3 · left (WORK)"."""
    if step.is_work:
        return step.describe()
    if step.kind is StepKind.GET_READY or step.sets == 1:
        return f"{step.kind.label.capitalize()} before {step.exercise.name}"
    where = f"{step.exercise.name} set {step.set_number}/{step.sets}"
    return f"{step.kind.label.capitalize()} before {where}"
