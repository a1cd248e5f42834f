"""The per-day summary kept beside the database, so `hipmob streak` never parses history.

The store writes it in the same locked transaction that adds or changes a session, keyed
by the stat of the database file that transaction left (inode, size, mtime, ctime). Any
other change to the file (a hand edit, an older hipmob, a restored backup) changes its
ctime at least, so the summary no longer matches and the next reader rebuilds it.

Anyone who can `stat` the database can copy that key, so a summary is believed only when
it is hipmob's own (`fileio.read_own_file`): a regular file, not a link, owned by this
user, and writable by no one else. Another user who may write the folder can put a file
there, but not one owned by this user. That check is one fstat of the open file; keying
the summary to the content instead would hash the whole history on every `streak` (read
and SHA-256: 3.7 ms at ten years, 67 ms at 100, more than the whole streak takes).

Dates are kept as ordinals (`date.toordinal()`): at 100 years, reading 36,500 of them
takes 2.6 ms, against 5.5 ms for ISO strings and `date.fromisoformat` (best of 20).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

from hipmob_tui import fileio

TYPE_CHECKING = False  # typing costs `hipmob streak` ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from typing import Any

    from hipmob_tui.history.records import SessionRecord

_VERSION = 2
"""Version 1 kept ISO dates and no ctime: such a file is stale, and rebuilt once."""


class DaySummary:
    """What `streak` needs: the days with a completed session, and totals."""

    __slots__ = ("completed", "sessions", "active_seconds")

    def __init__(self, completed: Iterable[int], sessions: int, active_seconds: int) -> None:
        self.completed: tuple[int, ...] = tuple(sorted(set(completed)))
        """The ordinals of the local dates with a completed session, each once, in order."""
        self.sessions = sessions
        self.active_seconds = active_seconds

    def plus(self, rows: Iterable[Mapping[str, Any]]) -> DaySummary:
        """This summary with `rows` (new sessions, as stored JSON) added."""
        more = of_rows(rows)
        return DaySummary(
            self.completed + more.completed,
            self.sessions + more.sessions,
            self.active_seconds + more.active_seconds,
        )

    def to_json(self) -> dict[str, object]:
        """What the summary file holds, without its key."""
        return {
            "completed": list(self.completed),
            "sessions": self.sessions,
            "active_seconds": self.active_seconds,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DaySummary) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]


def _row_day(row: Mapping[str, Any]) -> int:
    """The ordinal of a stored session's local date (`date`, else `started_at`'s)."""
    if "date" in row:
        return date.fromisoformat(row["date"]).toordinal()
    return datetime.fromisoformat(row["started_at"]).date().toordinal()


def of_rows(rows: Iterable[Mapping[str, Any]]) -> DaySummary:
    """The summary of stored sessions in their JSON shape (already checked)."""
    completed: set[int] = set()
    sessions = active = 0
    for row in rows:
        sessions += 1
        active += row["active_seconds"]
        if row["status"] == "completed":
            completed.add(_row_day(row))
    return DaySummary(completed, sessions, active)


def of_records(records: Iterable[SessionRecord]) -> DaySummary:
    """The summary of session records."""
    completed: set[int] = set()
    sessions = active = 0
    for record in records:
        sessions += 1
        active += record.active_seconds
        if record.completed:
            completed.add(record.date.toordinal())
    return DaySummary(completed, sessions, active)


def summary_path(db: Path) -> Path:
    """Where the summary of `db` lives."""
    return db.with_name(db.name + ".days.json")


def key_of(db: Path) -> list[int] | None:
    """What the summary of `db` as it is now must carry; None when there is no file.

    HipmobError when `db` cannot be looked at (a file where a folder should be).
    """
    stat = fileio.stat_if_there(db)
    if stat is None:
        return None
    return [_VERSION, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def read(db: Path, key: list[int] | None = None) -> DaySummary | None:
    """The saved summary when it is of `db` as it is now (or of `key`); else None."""
    key = key if key is not None else key_of(db)
    if key is None:
        return None
    try:
        data = json.loads(fileio.read_own_file(summary_path(db)))
    except (OSError, ValueError, RecursionError):  # any bad summary is only rebuilt
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        completed = data["completed"]
        if not isinstance(completed, list) or not all(type(day) is int for day in completed):
            return None
        return DaySummary(completed, int(data["sessions"]), int(data["active_seconds"]))
    except (KeyError, TypeError, ValueError):
        return None


def save(db: Path, days: DaySummary, key: list[int] | None = None) -> None:
    """Save `days` as the summary of `db` as it is now (or of `key`); best effort.

    A summary that cannot be written (read-only directory, full disk) only costs speed:
    the old one, keyed to another file, is removed so that it cannot be believed.
    """
    key = key if key is not None else key_of(db)
    if key is None:
        forget(db)
        return
    try:
        fileio.atomic_write(summary_path(db), json.dumps({"key": key, **days.to_json()}).encode())
    except OSError:
        forget(db)


def forget(db: Path) -> None:
    """Remove the summary of `db` (the next reader rebuilds it)."""
    with contextlib.suppress(OSError):
        summary_path(db).unlink()
