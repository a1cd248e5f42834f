"""The journal: the session in progress, checkpointed beside the database at every step change.

A kill, a crash or a dropped SSH connection loses at most the step under way: the next
start finds the journal and offers to resume the session or to save it as partial. The
journal holds the record as it stands (so it can be saved even when the routine has
since changed or gone) and the engine's position (so it can be resumed).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
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
