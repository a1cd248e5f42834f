"""The journal: the session in progress, checkpointed beside the database at every step change.

A kill, a crash or a dropped SSH connection loses at most the step under way: the next
start finds the journal and offers to resume the session or to save it as partial. The
journal holds the record as it stands (so it can be saved even when the routine has
since changed or gone) and the engine's position (so it can be resumed).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from hipmob_tui import fileio
from hipmob_tui.history.records import RecordError, SessionRecord, from_json
from hipmob_tui.paths import journal_path as journal_path

VERSION = 1


@dataclass(frozen=True, slots=True)
class SavedSession:
    """A session found in the journal at start: interrupted, not yet in the history."""

    record: SessionRecord
    """The session as it stood at its last step change (status partial)."""
    snapshot: dict[str, Any]
    """The engine's position, for SessionEngine.resumed."""
    saved_at: datetime
    step_text: str
    """The step it stopped in, in words, for the offer to resume."""

    def with_stored(self, stored: SessionRecord | None) -> SavedSession:
        """The session as last saved anywhere: the stored record of it when that is newer.

        A hang-up (or a quit) saves the session to the history as it stands, seconds into
        a step, while the journal was last written as that step began: the record holds
        time the checkpoint does not. Then that record is the one to show and to keep, and
        a resumed session counts its time, as restarting a step counts the time already
        spent in it.
        """
        if stored is None or stored.id != self.record.id:
            return self
        if newer(stored, self.record) is not stored:
            return self
        return replace(self, record=stored, snapshot=_credited(self.snapshot, stored))


def newer(first: SessionRecord, second: SessionRecord) -> SessionRecord:
    """The later of two saves of one session: by end time, then by time spent (ties: first)."""
    if (second.ended_at, second.active_seconds) > (first.ended_at, first.active_seconds):
        return second
    return first


def _credited(snapshot: dict[str, Any], record: SessionRecord) -> dict[str, Any]:
    """The engine's position with the seconds of a later record: none is lost on resuming."""
    credited = dict(snapshot)
    active = snapshot.get("active_seconds")
    if isinstance(active, int | float):
        credited["active_seconds"] = max(float(active), float(record.active_seconds))
    work = snapshot.get("work_seconds")
    if (
        isinstance(work, list)
        and len(work) == len(record.exercises)
        and all(isinstance(seconds, int | float) for seconds in work)
    ):
        credited["work_seconds"] = [
            max(float(seconds), float(done.seconds))
            for seconds, done in zip(work, record.exercises, strict=True)
        ]
    return credited


class JournalDamaged(Exception):
    """The journal cannot be read; it has been kept aside under the name given."""


class Journal:
    """The one session in progress for a database."""

    def __init__(self, db: Path) -> None:
        self.path = journal_path(db)

    def save(
        self, record: SessionRecord, snapshot: dict[str, Any], saved_at: datetime, step_text: str
    ) -> None:
        """Checkpoint the session (atomic: the old checkpoint or the new one, never a mix)."""
        data = {
            "version": VERSION,
            "saved_at": saved_at.isoformat(timespec="seconds"),
            "step": step_text,
            "record": record.to_json(),
            "engine": snapshot,
        }
        fileio.atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode())

    def load(self) -> SavedSession | None:
        """The interrupted session, if any; JournalDamaged when it cannot be read."""
        try:
            raw = fileio.read_own_file(self.path)
        except FileNotFoundError:
            return None
        except OSError as error:
            reason = fileio.os_reason(error, self.path)
            raise JournalDamaged(f"{self.path} cannot be read: {reason}") from None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("version") != VERSION:
                raise ValueError("not a hipmob session journal of this version")
            engine = data["engine"]
            if not isinstance(engine, dict):
                raise ValueError("engine must be an object")
            return SavedSession(
                record=from_json(data["record"]),
                snapshot=engine,
                saved_at=datetime.fromisoformat(data["saved_at"]),
                step_text=str(data.get("step", "")),
            )
        except RecursionError:
            aside = fileio.keep_aside(self.path)
            raise JournalDamaged(
                f"the unfinished session could not be read (nested too deeply); kept it as {aside}"
            ) from None
        except (ValueError, KeyError, TypeError, RecordError) as error:
            aside = fileio.keep_aside(self.path)
            raise JournalDamaged(
                f"the unfinished session could not be read ({error}); kept it as {aside}"
            ) from None

    def clear(self) -> None:
        """Forget the session in progress: it is saved in the history, or deliberately ended."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return
        fileio.fsync_directory(self.path.parent)
