"""The history database: TinyDB over an atomic, locked, validated JSON file.

Every change is one transaction: take the lock, read the file afresh, change, write a
temp file, fsync, rename, fsync the directory. A long-lived TinyDB would go stale when
another process writes (its query cache and next id), so none is kept between calls.

Adding sessions to the very file this process last wrote skips parsing it: the file is
still read under the lock, and only when its bytes are the ones written (same SHA-256)
are the new sessions spliced in at the end of the sessions table.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from hipmob_tui import fileio
from hipmob_tui.history.fileformat import (
    META,
    SCHEMA_VERSION,
    SESSIONS,
    DamagedStore,
    StoreError,
    Written,
    backup_has_sessions,
    backups_of,
    digest_of,
    encode_document,
    parse_document,
    read_raw,
    read_sessions,
    written_path,
)
from hipmob_tui.history.records import SessionRecord, from_json

BACKUPS_KEPT = 7


@dataclass(frozen=True, slots=True)
class Change:
    """What a write did, for the caller to tell the user."""

    changed: int
    kept_aside: Path | None = None
    """Where a damaged file was moved before a fresh one was started."""


FileStamp = tuple[int, int, int, int]


def file_stamp(path: Path) -> FileStamp | None:
    """What changes whenever the file is written or replaced: inode, size, mtime, ctime.

    ctime because a program can set mtime back (os.utime, touch -d, rsync) but not ctime.
    Two writes within one tick of the file system's clock can still share a stamp: it
    tells a reader when to read again, and the store never relies on it (see `Written`).
    """
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


_written: dict[Path, Written] = {}
"""Per database path, the file this process last wrote, by any Store and any thread.

Set and used under the file's lock; a value is only ever replaced whole."""


def _remember(path: Path, written: Written | None) -> None:
    """Keep what is known of the file just written, here and beside it for the next process.

    The index beside it is written after the database: a crash between the two leaves an
    index whose digest matches no file, so the next save parses, as without one.
    """
    index = written_path(path)
    if written is None:
        _written.pop(path, None)
        with contextlib.suppress(OSError):
            index.unlink()
        return
    _written[path] = written
    try:
        fileio.atomic_write(index, written.to_bytes())
    except OSError:
        with contextlib.suppress(OSError):
            index.unlink()  # a full disk: better no index than an old one (costs a parse)


def _known(path: Path, raw: bytes) -> Written | None:
    """What is known of `raw`, when it is exactly a file hipmob wrote: this process last,
    or (from the index beside it) whichever hipmob wrote it last."""
    digest = digest_of(raw)
    written = _written.get(path)
    if written is not None and written.digest == digest:
        return written
    try:
        written = Written.from_bytes(written_path(path).read_bytes())
    except OSError:
        return None
    return written if written is not None and written.digest == digest else None


class _AtomicStorage(Storage):
    """TinyDB storage that reads with validation and writes atomically.

    It lives for one transaction, under the lock, so the file cannot change behind it:
    the document is read and checked once, and TinyDB's further reads reuse it.
    """

    def __init__(
        self, path: Path, suspicious_if_empty: Callable[[], bool], trust_known: bool
    ) -> None:
        super().__init__()
        self.path = path
        self.suspicious_if_empty = suspicious_if_empty
        self.trust_known = trust_known
        """Whether to look for the file among those this process wrote (costs a hash)."""
        self._document: dict[str, dict[str, Any]] | None = None
        self._read = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self._read:
            raw = read_raw(self.path, self.suspicious_if_empty)
            self._document = None
            if raw:
                # Bytes this process wrote were checked before: checking each session
                # again would cost more than parsing them.
                checked = not self.trust_known or _known(self.path, raw) is None
                self._document = parse_document(raw, self.path, check_sessions=checked)
            self._read = True
        return self._document

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        data.setdefault(META, {"1": {"schema": SCHEMA_VERSION}})
        encoded = encode_document(data)
        fileio.atomic_write(self.path, encoded)
        self._document, self._read = data, True
        _remember(self.path, Written.of(data, encoded))

    def close(self) -> None:
        pass


class Store:
    """The history of sessions in one file; safe for many processes at once."""

    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float = 10.0,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait
        """Called when a write finds another process holding the lock."""
        self.lock_path = path.with_name(path.name + ".lock")

    # -- reading (no lock: renames make every read a whole old or whole new file) -------

    def exists(self) -> bool:
        """Whether there is a history file yet."""
        return self.path.exists()

    def sessions(self) -> list[SessionRecord]:
        """Every session, oldest first; empty when there is no file yet."""
        return read_sessions(self.path, partial(backup_has_sessions, self.path)) or []

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[tuple[TinyDB, list[Path]]]:
        """The database, freshly read under the lock; a damaged file is moved aside first."""
        with fileio.locked(self.lock_path, self.lock_timeout, self.on_wait):
            self._remove_stale_temp_files()
            with self._locked_transaction() as opened:
                yield opened

    @contextlib.contextmanager
    def _locked_transaction(
        self, *, trust_known: bool = True
    ) -> Iterator[tuple[TinyDB, list[Path]]]:
        """`_transaction`, for a caller that holds the lock already."""
        aside: list[Path] = []
        suspicious = partial(backup_has_sessions, self.path)
        storage = _AtomicStorage(self.path, suspicious, trust_known)
        try:
            storage.read()
        except DamagedStore:
            if self.path.is_dir():
                raise
            aside.append(self.keep_aside())
            storage = _AtomicStorage(self.path, suspicious, False)
        self._backup_if_due()
        db = TinyDB(self.path, storage=lambda _path: storage)
        try:
            yield db, aside
        finally:
            db.close()

    def add(self, record: SessionRecord) -> Change:
        """Store a new session; a session whose id is already stored is left as it is."""
        return self.merge([record])

    def merge(self, records: Iterable[SessionRecord]) -> Change:
        """Add every record whose id is not stored yet; never a duplicate."""
        rows = [r.to_json() for r in records]
        with fileio.locked(self.lock_path, self.lock_timeout, self.on_wait):
            self._remove_stale_temp_files()
            appended = self._append(rows)
            if appended is not None:
                return appended
            # `_append` found the file unknown: no need to hash it again to learn that.
            with self._locked_transaction(trust_known=False) as (db, aside):
                table = db.table(SESSIONS, cache_size=0)
                stored = db.storage.read() or {}
                known = {row["id"] for row in stored.get(SESSIONS, {}).values()}
                unique = _new_rows(rows, known)
                if unique or not self.path.exists():
                    table.insert_multiple(unique)
                return Change(len(unique), aside[0] if aside else None)

    def _append(self, rows: list[dict[str, Any]]) -> Change | None:
        """Merge `rows` into the file this process last wrote without parsing it.

        None, and nothing done, when the file is not exactly those bytes any more (another
        process or program wrote it, or this process never did): then it must be parsed.
        """
        if self.path not in _written and not written_path(self.path).exists():
            return None  # spare reading the file twice
        try:
            raw = self.path.read_bytes()
        except OSError:
            return None  # the full read says what is wrong
        written = _known(self.path, raw)
        if written is None:
            return None
        self._backup_if_due()
        unique = _new_rows(rows, written.ids)
        if unique:
            data, after = written.append(raw, unique)
            fileio.atomic_write(self.path, data)
            _remember(self.path, after)
        return Change(len(unique))

    def update(self, session_id: str, change: Callable[[SessionRecord], SessionRecord]) -> Change:
        """Replace one session by `change(old)`; StoreError when the id is unknown."""
        with self._transaction() as (db, aside):
            table = db.table(SESSIONS, cache_size=0)
            row = table.get(Query().id == session_id)
            if row is None:
                raise StoreError(f"no session {session_id!r} in {self.path}")
            new = change(from_json(row)).to_json()
            table.update(lambda doc: doc.update(new), doc_ids=[row.doc_id])
            return Change(1, aside[0] if aside else None)

    def delete(self, session_id: str) -> Change:
        """Remove one session; StoreError when the id is unknown."""
        with self._transaction() as (db, aside):
            removed = db.table(SESSIONS, cache_size=0).remove(Query().id == session_id)
            if not removed:
                raise StoreError(f"no session {session_id!r} in {self.path}")
            return Change(len(removed), aside[0] if aside else None)

    # -- safety nets -----------------------------------------------------------------------

    def keep_aside(self) -> Path:
        """Move the current file to a clearly named place beside it, never overwriting."""
        return fileio.keep_aside(self.path)

    def backups(self) -> list[Path]:
        """Daily copies beside the file, oldest first."""
        return backups_of(self.path)

    def damaged_copies(self) -> list[Path]:
        """Files kept aside because they were damaged."""
        if not self.path.parent.is_dir():
            return []
        return sorted(self.path.parent.glob(f"{self.path.name}.damaged-*"))

    def _backup_if_due(self) -> None:
        """Copy today's first state of the file; keep the last BACKUPS_KEPT copies."""
        if not self.path.is_file():
            return
        target = self.path.with_name(f"{self.path.name}.backup-{date.today().isoformat()}")
        if not target.exists():
            fileio.atomic_write(target, self.path.read_bytes())
        for old in self.backups()[:-BACKUPS_KEPT]:
            old.unlink()

    def clean_temp_files(self) -> list[Path]:
        """Remove temp files an interrupted write left; returns what was removed."""
        if not self.path.parent.is_dir():
            return []
        with fileio.locked(self.lock_path, self.lock_timeout):
            return self._remove_stale_temp_files()

    def _remove_stale_temp_files(self) -> list[Path]:
        stale = fileio.stale_temp_files(self.path.parent)
        for path in stale:
            with contextlib.suppress(OSError):
                path.unlink()
        return stale


def _new_rows(rows: list[dict[str, Any]], known: Container[str]) -> list[dict[str, Any]]:
    """The rows whose id is not in `known`, each id once (the last row given for it)."""
    return list({row["id"]: row for row in rows if row["id"] not in known}.values())


class SessionCache:
    """The sessions of one file, read again only when the file has changed.

    The app reads them once, in a thread, soon after its first frame; History then opens
    without waiting for a ten-year file to be parsed. Thread-safe: a second caller waits
    for a read in progress instead of starting another.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._stamp: FileStamp | None = None
        self._records: list[SessionRecord] | None = None

    def sessions(self) -> tuple[list[SessionRecord], FileStamp | None]:
        """Every session, oldest first, and the stamp of the file they were read from."""
        with self._lock:
            stamp = file_stamp(self.store.path)
            if self._records is None or stamp != self._stamp:
                # Stamp first: a write during the read makes the next call read again.
                self._records = self.store.sessions()
                self._stamp = stamp
            return self._records, self._stamp
