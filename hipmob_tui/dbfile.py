"""The database file's format: parsed and checked without TinyDB, so fast paths stay fast."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hipmob_tui.errors import HipmobError
from hipmob_tui.records import RecordError, SessionRecord, from_json

SCHEMA_VERSION = 1
"""The version this hipmob writes; older files are migrated on their next write."""
SESSIONS = "sessions"
META = "meta"
_BACKUP = re.compile(r"\.backup-(\d{4}-\d{2}-\d{2})$")


class StoreError(HipmobError):
    """The history cannot be read or written; the message says what to do."""


class DamagedStore(StoreError):
    """The file exists but is not a hipmob database we can read; it is never overwritten."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path} is damaged ({reason}). It has not been changed. "
            "Run 'hipmob doctor' to keep it aside and recover every readable session.",
            title="damaged history",
        )
        self.path = path
        self.reason = reason


def parse_document(raw: bytes, path: Path) -> dict[str, dict[str, Any]]:
    """The JSON document of a database file, checked; DamagedStore when it is not one."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DamagedStore(path, "it starts with a byte-order mark, which hipmob never writes")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DamagedStore(path, f"it contains NUL bytes (the first at byte {nul})")
    try:
        document = json.loads(raw)
    except UnicodeDecodeError:
        raise DamagedStore(path, "it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise DamagedStore(
            path, f"not valid JSON at line {error.lineno}, column {error.colno}"
        ) from None
    if not isinstance(document, dict) or not all(isinstance(t, dict) for t in document.values()):
        raise DamagedStore(path, "it is JSON but not a hipmob database")
    version = _schema_version(document)
    if version > SCHEMA_VERSION:
        raise DamagedStore(
            path, f"it was written by a newer hipmob (schema {version}); upgrade hipmob to read it"
        )
    for key, value in document.get(SESSIONS, {}).items():
        try:
            from_json(value)
        except RecordError as error:
            raise DamagedStore(path, f"session {key}: {error}") from None
    return document


def _schema_version(document: dict[str, dict[str, Any]]) -> int:
    for row in document.get(META, {}).values():
        if isinstance(row, dict) and isinstance(row.get("schema"), int):
            return int(row["schema"])
    return SCHEMA_VERSION


def read_document(
    path: Path, suspicious_if_empty: Callable[[], bool] = lambda: False
) -> dict[str, dict[str, Any]] | None:
    """The checked document in `path`; None when there is no file or it is new and empty.

    An empty or `null` file is what a crashed non-atomic writer leaves: it reads as a
    new database only when `suspicious_if_empty()` (a backup with sessions) says no.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DamagedStore(path, "it is a directory, not a file") from None
    except PermissionError:
        raise DamagedStore(path, "it cannot be read: permission denied") from None
    if raw.strip() in (b"", b"null"):
        if suspicious_if_empty():
            raise DamagedStore(path, "it is empty, but a backup beside it has sessions")
        return None
    return parse_document(raw, path)


def read_sessions(
    path: Path, suspicious_if_empty: Callable[[], bool] = lambda: False
) -> list[SessionRecord] | None:
    """Every session in the file, oldest first; None when there is no file yet."""
    if not path.exists():
        return None
    rows = (read_document(path, suspicious_if_empty) or {}).get(SESSIONS, {}).values()
    return sorted((from_json(row) for row in rows), key=lambda r: r.started_at)


def salvage(raw: bytes) -> list[SessionRecord]:
    """Every complete, valid session object that can be found in a damaged file."""
    text = raw.replace(b"\x00", b" ").decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    found: dict[str, SessionRecord] = {}
    start = text.find("{")
    while start >= 0:
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            value, end = None, start + 1
        next_search = start + 1
        if isinstance(value, dict) and "started_at" in value:
            try:
                record = from_json(value)
            except RecordError:
                pass
            else:
                found.setdefault(record.id, record)
                next_search = end
        start = text.find("{", next_search)
    return sorted(found.values(), key=lambda r: r.started_at)


def backups_of(path: Path) -> list[Path]:
    """The daily copies beside a database file, oldest first."""
    if not path.parent.is_dir():
        return []
    found = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    return sorted(p for p in found if _BACKUP.search(p.name))


def backup_has_sessions(path: Path) -> bool:
    """Whether any backup of `path` holds sessions (so an empty `path` is suspicious)."""
    for backup in reversed(backups_of(path)):
        with contextlib.suppress(OSError, StoreError):
            if parse_document(backup.read_bytes(), backup).get(SESSIONS):
                return True
    return False
