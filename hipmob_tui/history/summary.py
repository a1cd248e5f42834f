"""A small per-day summary kept beside the database, so `hipmob streak` never parses history.

The summary names the exact file it was computed from (inode, size, mtime); any write,
by hipmob or anyone else, changes one of those, and the summary is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date
from pathlib import Path

_VERSION = 1


class DaySummary:
    """What `streak` needs: the dates with a completed session, and totals."""

    __slots__ = ("completed_days", "sessions", "active_seconds")

    def __init__(
        self, completed_days: tuple[date, ...], sessions: int, active_seconds: int
    ) -> None:
        self.completed_days = completed_days
        self.sessions = sessions
        self.active_seconds = active_seconds


def summary_path(db: Path) -> Path:
    """Where the summary of `db` lives."""
    return db.with_name(db.name + ".days.json")


def _key(stat: os.stat_result) -> list[int]:
    return [_VERSION, stat.st_ino, stat.st_size, stat.st_mtime_ns]


def load(db: Path) -> DaySummary | None:
    """The summary of `db`, rebuilt when stale; None when there is no database."""
    try:
        stat = db.stat()
    except FileNotFoundError:
        return None
    cached = _read_cached(summary_path(db), _key(stat))
    if cached is not None:
        return cached
    return rebuild(db)


def rebuild(db: Path) -> DaySummary | None:
    """Compute the summary from the database and save it (best effort) for next time."""
    # Only a stale summary pays for the file format's validation code.
    from functools import partial

    from hipmob_tui import fileio
    from hipmob_tui.history.fileformat import backup_has_sessions, read_sessions

    try:
        stat = db.stat()
    except FileNotFoundError:
        return None
    records = read_sessions(db, partial(backup_has_sessions, db))
    if records is None:
        return None
    days = sorted({r.date.isoformat() for r in records if r.completed})
    data = {
        "key": _key(stat),
        "completed_days": days,
        "sessions": len(records),
        "active_seconds": sum(r.active_seconds for r in records),
    }
    # A summary that cannot be written (read-only dir, full disk) only costs speed.
    with contextlib.suppress(OSError):
        fileio.atomic_write(summary_path(db), json.dumps(data).encode())
    return _from_data(data)


def _read_cached(path: Path, key: list[int]) -> DaySummary | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        return _from_data(data)
    except (KeyError, TypeError, ValueError):
        return None


def _from_data(data: dict[str, object]) -> DaySummary:
    days = data["completed_days"]
    if not isinstance(days, list):
        raise TypeError("completed_days must be a list")
    return DaySummary(
        completed_days=tuple(date.fromisoformat(d) for d in days),
        sessions=int(data["sessions"]),  # type: ignore[call-overload]
        active_seconds=int(data["active_seconds"]),  # type: ignore[call-overload]
    )
