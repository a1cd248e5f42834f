"""The history's one storage interface: every read and write of sessions goes through Store.

TinyDB over one JSON file is the store of record. Every change is one transaction: take
the lock, read the file afresh, change, write a temp file, fsync, rename, fsync the
directory, and in the same transaction the per-day summary beside it (`summary`), so the
first `hipmob streak` after a write is as fast as the second. A long-lived TinyDB would go
stale when another process writes (its query cache and next id), so none is kept.

Adding sessions to the file that hipmob itself last wrote skips parsing it (see `Written`
in `fileformat`): the file is still read under the lock, and only when its bytes are the
ones written (same SHA-256) are the new sessions spliced in at the end of the table.

Every session, day mark, check result and plan fact carries its version (`updated_at`,
`device`: the file's own id, in its meta table); an edit makes a later one, a deletion
leaves a tombstone in a table of its own, and a merge (import, sync, doctor) keeps each
id's newest, as `versions` says.

`hipmob streak` imports this module for `days()` alone: the file format, the records and
TinyDB are imported by the methods that need them (about 10 ms of a 50 ms streak).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from hipmob_tui.history import summary
from hipmob_tui.history.summary import DaySummary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from datetime import date, datetime
    from typing import Any, BinaryIO, TypeVar

    from tinydb import TinyDB

    from hipmob_tui.history.fileformat import DayMarks, Written
    from hipmob_tui.history.records import (
        CheckResult,
        DayMark,
        MarkTombstone,
        PlanFact,
        SessionRecord,
        Tombstone,
        Version,
    )
    from hipmob_tui.history.versions import Entry

    _Fact = TypeVar("_Fact", CheckResult, PlanFact)

BACKUPS_KEPT = 7

EXPORT_VERSION = 3
"""The export's `version`: 2 carries each session's version and the tombstones (`deleted`),
which a hipmob that writes 1 would drop on import (so `sync` refuses it); 3 the `device`
of each mark, check result and plan fact, which a hipmob that reads 2 refuses."""

Stamp = tuple[int, int, int, int, int]
"""What changes whenever the file is written: inode, size, mtime, ctime, and a count of
this process's own writes (see `Store.stamp`)."""


class Facts:
    """Everything a history file holds, as read (or what an export holds, or what one side
    of a sync lacks). Do not change the lists."""

    __slots__ = ("checks", "deleted", "deleted_marks", "marks", "plans", "sessions")

    def __init__(
        self,
        sessions: list[SessionRecord],
        marks: list[DayMark],
        checks: list[CheckResult],
        plans: list[PlanFact],
        deleted: list[Tombstone] | None = None,
        deleted_marks: list[MarkTombstone] | None = None,
    ) -> None:
        self.sessions = sessions
        """Oldest first."""
        self.marks = marks
        """Oldest date first, one per date."""
        self.checks = checks
        """Self-check results, oldest first."""
        self.plans = plans
        """The facts of following a program, the one in force last."""
        self.deleted = deleted or []
        """The tombstones of deleted sessions (no reader but export and merge looks here)."""
        self.deleted_marks = deleted_marks or []
        """The tombstones of removed day marks, oldest date first (as `deleted`)."""

    def __bool__(self) -> bool:
        return bool(
            self.sessions
            or self.marks
            or self.checks
            or self.plans
            or self.deleted
            or self.deleted_marks
        )


class Change:
    """What a write did, for the caller to tell the user."""

    __slots__ = (
        "changed",
        "checks",
        "deleted",
        "kept_aside",
        "marks",
        "marks_removed",
        "outgoing",
        "plans",
        "stored",
        "unchanged",
        "updated",
        "written",
    )

    def __init__(
        self,
        changed: int,
        kept_aside: Path | None = None,
        marks: int = 0,
        checks: int = 0,
        plans: int = 0,
        *,
        updated: int = 0,
        deleted: int = 0,
        unchanged: int = 0,
        written: bool = False,
        outgoing: Facts | None = None,
        stored: Sequence[CheckResult] = (),
        marks_removed: int = 0,
    ) -> None:
        self.changed = changed
        """How many sessions (or, for a change of marks, marks) were added, replaced or
        removed; for a merge, how many sessions are new here (`updated`, `deleted` and
        `unchanged` count the rest of those it brought)."""
        self.updated = updated
        """Sessions a merge replaced by a newer version."""
        self.deleted = deleted
        """Sessions a merge removed: the other side deleted them later."""
        self.unchanged = unchanged
        """Sessions (and deletions) a merge brought that changed nothing here."""
        self.written = written
        """Whether a merge wrote the file (or, in a dry run, would have)."""
        self.outgoing = outgoing
        self.stored = stored
        """The check results as stored (each a version of this file), to show them."""
        """After a merge that asked for it: what this side has that the other side's
        export did not (newer versions, or ids it lacks), to send it."""
        self.kept_aside = kept_aside
        """Where a damaged file was moved before a fresh one was started."""
        self.marks = marks
        """How many day marks a merge added or replaced (see `merge_marks`)."""
        self.marks_removed = marks_removed
        """How many day marks a merge removed: the other side removed them later."""
        self.checks = checks
        """How many check results a merge added or replaced (see `merge_check_results`)."""
        self.plans = plans
        """How many plan facts a merge added or replaced (see `merge_plan_facts`)."""


class Health:
    """What `Store.check` found: the number of sessions, or why the file cannot be read."""

    __slots__ = ("sessions", "problem", "schema", "repeats")

    def __init__(
        self, sessions: int | None, problem: str | None, schema: int, repeats: int = 0
    ) -> None:
        self.sessions = sessions
        """None when there is no file or it is damaged."""
        self.repeats = repeats
        """Rows that repeat a session exactly (read as one; `remove_repeats` drops them)."""
        self.problem = problem
        """Why the file is damaged; None when it is fine (or missing)."""
        self.schema = schema
        """The schema version this hipmob writes."""


_written: dict[Path, Written] = {}
"""Per database path, the file this process last wrote, by any Store and any thread.

Set and used under the file's lock; a value is only ever replaced whole."""

_writes: dict[Path, int] = {}
"""Per database path, how many writes this process made: part of every `Stamp`, so a
read cache sees this process's own writes even within one tick of the file's clock."""


COPY_DELAY = 3.0
"""Pickling ten years for the copy takes about 30 ms: done in the read path, it held up
History's first rows after every write by another process (`h` at once, first start after
a write: 0.66x -> 0.70-0.86x the table app). A few seconds later, the person is reading."""


class Store:
    """The history of sessions in one file; safe for many processes and threads at once."""

    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float = 10.0,
        on_wait: Callable[[], None] | None = None,
        cache_dir: Path | None = None,
        copy_delay: float = COPY_DELAY,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = path
        self.clock = clock
        """What time it is, for the version of a change (tests give a fake); None: now."""
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait
        """Called when a write finds another process holding the lock."""
        self.cache_dir = cache_dir
        """Where `history` keeps a copy of what the file read as (see `history.cache`);
        None: parse every read. The app's, not the commands': each runs once, and the
        digest and the copy would only cost them."""
        self.copy_delay = copy_delay
        """Seconds after a parse before its copy is written (0: at once); see `flush_copy`."""
        self._copy_lock = threading.Lock()
        self._pending_copy: Callable[[], None] | None = None
        self.lock_path = path.with_name(path.name + ".lock")
        self._read_lock = threading.Lock()
        self._read: tuple[Stamp, Facts] | None = None

    # -- reading (no lock: renames make every read a whole old or whole new file) -------

    def exists(self) -> bool:
        """Whether there is a history file yet.

        HipmobError when there cannot be one: a file stands where a folder should be.
        """
        from hipmob_tui import fileio

        return fileio.stat_if_there(self.path) is not None

    def stamp(self) -> Stamp | None:
        """What changes whenever the file is written or replaced; None without a file.

        ctime because a program can set mtime back (os.utime, touch -d, rsync) but not
        ctime. Two writes by other processes within one tick of the file system's clock
        can still share a stamp: it tells a reader when to read again, and no write
        relies on it (see `Written`).
        """
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        count = _writes.get(self.path, 0)
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, count)

    def sessions(self) -> list[SessionRecord]:
        """Every session, oldest first; empty when there is no file yet. Do not change it."""
        return self.sessions_and_stamp()[0]

    def sessions_and_stamp(self) -> tuple[list[SessionRecord], Stamp | None]:
        """Every session and the stamp of the file they were read from (see `history`)."""
        records, _marks, stamp = self.history()
        return records, stamp

    def marks(self) -> list[DayMark]:
        """Every day mark, oldest date first, one per date; empty when there is no file yet."""
        return self.history()[1]

    def history(self) -> tuple[list[SessionRecord], list[DayMark], Stamp | None]:
        """Every session, every day mark, and the stamp of the file they were read from."""
        facts, stamp = self.facts()
        return facts.sessions, facts.marks, stamp

    def facts_if_read(self, wait: float = 0.0) -> tuple[Facts, Stamp] | None:
        """`facts` if this Store has read the file as it is now, waiting at most `wait`
        seconds for a read in progress; None if that would mean reading the file, or
        waiting longer. Never blocks on the file's size.

        For a screen's first paint (`ui.reads`): the app reads the history after its first
        frame, and a screen opened meanwhile shows that read rather than read again.
        """
        lock = self._read_lock
        if not (lock.acquire(timeout=wait) if wait > 0 else lock.acquire(blocking=False)):
            return None
        try:
            stamp = self.stamp()
            if stamp is None or self._read is None or self._read[0] != stamp:
                return None
            return self._read[1], stamp
        finally:
            lock.release()

    def check_results(self) -> list[CheckResult]:
        """Every self-check result, oldest first; empty when there is no file yet."""
        return self.facts()[0].checks

    def facts(self) -> tuple[Facts, Stamp | None]:
        """Everything in the file, and the stamp of the file it was read from.

        A Store keeps its last read and reads again only when the stamp changed: the app
        reads in a thread soon after its first frame, and History then opens, and opens
        again, without a parse (0.1 ms instead of 107 ms at ten years, 1.07 s at 100).
        A second thread waits for a read in progress instead of starting another.
        """
        from functools import partial

        from hipmob_tui.history import fileformat

        with self._read_lock:
            # Stamp first: a write during the read makes the next call read again.
            stamp = self.stamp()
            if stamp is None:
                self.exists()  # HipmobError, in words, when a file stands in a folder's place
            if stamp is None or self._read is None or self._read[0] != stamp:
                suspicious = partial(fileformat.backup_has_sessions, self.path)
                if self.cache_dir is None:
                    found = fileformat.read_history(self.path, suspicious)
                    facts = Facts(found[0], *found[2:]) if found else Facts([], [], [], [])
                else:
                    facts = self._read_through_cache(self.cache_dir, suspicious)
                if stamp is None:
                    return facts, None
                self._read = (stamp, facts)
            return self._read[1], stamp

    def _read_through_cache(self, cache_dir: Path, suspicious: Callable[[], bool]) -> Facts:
        """The file read as `history` reads it, its sessions from the copy made from the
        same bytes if there is one (see `cache`).

        The bytes are read and checked as ever (an empty file beside a backup with
        sessions is still damaged); sessions parsed here are kept for the next read.
        """
        from functools import partial

        from hipmob_tui.history import cache, fileformat

        raw = fileformat.read_raw(self.path, suspicious)
        if not raw:
            return Facts([], [], [], [])
        where = cache.cache_path(cache_dir, self.path)
        found, keep = fileformat.history_and_copy(raw, self.path, cache.load(where))
        if keep is not None:
            self._keep_copy(partial(cache.save, where, keep))
        records, _repeats, marks, results, plans, deleted, removals = found
        return Facts(records, marks, results, plans, deleted, removals)

    def _keep_copy(self, save: Callable[[], None]) -> None:
        """Write the copy `save` makes, after `copy_delay` (in a daemon thread) or now."""
        with self._copy_lock:
            self._pending_copy = save
        if self.copy_delay <= 0:
            self.flush_copy()
            return
        timer = threading.Timer(self.copy_delay, self.flush_copy)
        timer.daemon = True  # quitting never waits for it: the app flushes as it closes
        timer.start()

    def flush_copy(self) -> None:
        """Write the copy still waiting, if any (the app calls this as it closes)."""
        with self._copy_lock:
            save, self._pending_copy = self._pending_copy, None
            if save is not None:
                save()

    def days(self) -> DaySummary | None:
        """The per-day summary (what `streak` needs); None when there is no file yet.

        Written by every write; rebuilt here when the file changed behind hipmob's back.
        """
        key = summary.key_of(self.path)
        if key is None:
            return None
        found = summary.read(self.path, key)
        if found is None:
            facts = self.facts()[0]
            found = summary.of_records(facts.sessions, facts.marks, facts.plans)
            summary.save(self.path, found, key)  # the key of the file before it was read
        return found

    def export(self, out: BinaryIO, facts: Facts | None = None) -> tuple[int, int, int, int]:
        """Write every session, mark, check result, plan fact and tombstone (or those of
        `facts`) as an export document to `out`; returns how many sessions, marks, check
        results and plan facts.

        The same JSON as ever (`format`, `version`, `path`, `sessions` oldest first), then
        `marks` (oldest date first), `checks` (oldest first), `plan` (the fact in force
        last), `deleted` (the tombstones of sessions) and `deleted_marks` (those of marks),
        one a line, encoded one at a time.
        At 100 years (36,500 sessions) it took 5.2 s and 799 MiB as one document indented;
        this way 4.0 s and 174 MiB, against
        3.7 s for `history --format json` and 296 MiB for a plain json.load of the file.
        """
        import json

        from hipmob_tui import __version__

        if facts is None:
            facts = self.facts()[0]
        records, marks = facts.sessions, facts.marks
        head = {
            "format": "hipmob-sessions",
            "version": EXPORT_VERSION,
            "hipmob": __version__,
            "path": str(self.path),
        }
        encode = json.JSONEncoder(ensure_ascii=False).encode
        out.write(encode(head)[:-1].encode() + b', "sessions": [')
        batch: list[str] = []
        for number, record in enumerate(records):
            batch.append(("\n" if number == 0 else ",\n") + encode(record.to_json()))
            if len(batch) == 500:
                out.write("".join(batch).encode())
                batch.clear()
        batch.append("\n]" if records else "]")
        tables: list[tuple[str, Sequence[Any]]] = [
            ("marks", marks),
            ("checks", facts.checks),
            ("plan", facts.plans),
            ("deleted", facts.deleted),
            ("deleted_marks", facts.deleted_marks),
        ]
        for name, rows in tables:
            batch.append(f', "{name}": [')
            batch.extend(
                ("\n" if n == 0 else ",\n") + encode(r.to_json()) for n, r in enumerate(rows)
            )
            batch.append("\n]" if rows else "]")
        batch.append("}\n")
        out.write("".join(batch).encode())
        return len(records), len(marks), len(facts.checks), len(facts.plans)

    def check(self) -> Health:
        """Read and check every session afresh, for `hipmob doctor`."""
        from functools import partial

        from hipmob_tui.history import fileformat

        with self._read_lock:
            self._read = None
        suspicious = partial(fileformat.backup_has_sessions, self.path)
        try:
            found = fileformat.check_sessions(self.path, suspicious)
        except fileformat.StoreError as error:
            reason = error.reason if isinstance(error, fileformat.DamagedStore) else error.message
            return Health(None, reason, fileformat.SCHEMA_VERSION)
        if found is None:
            return Health(None, None, fileformat.SCHEMA_VERSION)
        return Health(len(found[0]), None, fileformat.SCHEMA_VERSION, found[1])

    def remove_repeats(self) -> Change:
        """Write the file again with each session once: rows that repeat a session exactly
        (a copy, a merge by hand) are read as one, and this drops them from the file."""
        with self._locked(), self._locked_transaction() as (_db, aside, storage):
            document = storage.read()
            if document is not None:
                storage.write(document)  # as read: `parse_document` dropped the repeats
            return Change(0, aside[0] if aside else None)

    # -- writing ---------------------------------------------------------------------------

    def add(self, record: SessionRecord) -> Change:
        """Store a new session, as a version made now in this file; a session whose id is
        already stored is left as it is (a deleted one comes back: this save is later)."""
        with self._locked():
            now = self._now()
            appended = self._append_new(record, now)
            if appended is not None:
                return appended
            from hipmob_tui.history.fileformat import DELETED, SESSIONS

            with self._locked_transaction() as (_db, aside, storage):
                document = storage.document()
                table = document.setdefault(SESSIONS, {})
                if any(row["id"] == record.id for row in table.values()):
                    if not self.path.exists():
                        storage.write(document)
                    return Change(0, _first(aside))
                device = _device_of(document)
                gone = _pop_rows(document.get(DELETED, {}), record.id, tombstone=True)
                stamped = record.with_version(*next_version(now, device, *gone))
                table[str(_next_key(table))] = stamped.to_row()
                storage.write(document)
                return Change(1, _first(aside))

    def merge(
        self,
        records: Iterable[SessionRecord],
        marks: Iterable[DayMark] = (),
        checks: Iterable[CheckResult] = (),
        plans: Iterable[PlanFact] = (),
        deleted: Iterable[Tombstone] = (),
        deleted_marks: Iterable[MarkTombstone] = (),
        *,
        dry_run: bool = False,
        outgoing: bool = False,
    ) -> Change:
        """Merge what an import (or a sync, or doctor) brings, by the rule of `versions`:
        for each id, the greatest version stays, a tombstone being one; never a duplicate.

        `marks` (with the removals of marks, `deleted_marks`), `checks` and `plans` are
        merged in the same write, as `merge_marks`, `merge_check_results` and
        `merge_plan_facts` say. Nothing is written when nothing
        changes (or with `dry_run`, which still counts what would). With `outgoing`, the
        Change says what this side has that those did not bring (see `Change.outgoing`).
        VersionConflict, and nothing written, for two different things under one version.
        """
        from hipmob_tui.history.versions import newest_by_id

        entries = newest_by_id([*records, *deleted])
        marks = list(marks)
        removals = list(deleted_marks)
        checks = list(checks)
        plans = list(plans)
        with self._locked():
            if not (marks or removals or checks or plans):
                unparsed = self._merge_unparsed(entries, dry_run=dry_run, outgoing=outgoing)
                if unparsed is not None:
                    return unparsed
            from hipmob_tui.history.fileformat import MARKS, PLAN, SESSIONS

            with self._locked_transaction(keep_damaged=not dry_run) as (_db, aside, storage):
                stored = storage.document()
                counts = _merge_entries(stored, entries)
                days = merge_marks(stored, marks, removals) if marks or removals else _MarkCounts()
                checks_changed = merge_check_results(stored, checks) if checks else 0
                plans_changed = merge_plan_facts(stored, plans) if plans else 0
                changed = counts.written or days.written or checks_changed or plans_changed
                if dry_run:
                    pass
                elif changed or not self.path.exists():
                    stored.setdefault(SESSIONS, {})  # so the next session is appended
                    storage.write(stored)
                elif summary.read(self.path) is None:
                    # Nothing to write, but a summary to bring up to date while parsed.
                    summary.save(
                        self.path,
                        summary.of_rows(
                            stored.get(SESSIONS, {}).values(),
                            stored.get(MARKS, {}).values(),
                            stored.get(PLAN, {}).values(),
                        ),
                    )
                sent = None
                if outgoing:
                    sent = _outgoing(stored, entries, [*marks, *removals], checks, plans)
                return Change(
                    counts.new,
                    _first(aside),
                    days.changed,
                    checks_changed,
                    plans_changed,
                    updated=counts.updated,
                    deleted=counts.deleted,
                    unchanged=counts.unchanged,
                    written=bool(changed),
                    outgoing=sent,
                    marks_removed=days.removed,
                )

    def merge_marks(
        self, marks: Iterable[DayMark], removals: Iterable[MarkTombstone] = ()
    ) -> Change:
        """Merge marks and removals of marks (from an import): of each date's, the greatest
        version stays (`versions.newest_per_date`).

        The Change counts the marks added or replaced, and (`marks_removed`) those removed.
        """
        incoming, removed = list(marks), list(removals)
        found: list[_MarkCounts] = []

        def change(document: dict[str, dict[str, Any]]) -> int:
            found.append(merge_marks(document, incoming, removed))
            return int(found[-1].written)

        done = self._change_marks(change)
        done.changed, done.marks_removed = found[-1].changed, found[-1].removed
        return done

    def set_marks(
        self, days: Iterable[date], kind: str, note: str = "", now: datetime | None = None
    ) -> Change:
        """Mark each of `days` as `kind` with `note`: a date already marked keeps its mark's
        id and created time, and takes the kind and the note. Each mark added or changed is
        a version made at `now` (default: the store's clock) in this file, later than the
        one it replaces.

        RecordError when the kind or the note cannot be stored. The Change counts the
        marks added or changed (a day already marked so is left as it is).
        """
        from dataclasses import replace

        from hipmob_tui.history.records import DayMark, mark_from_json, new_mark_id

        when = now or self._now()
        created = when.astimezone().replace(microsecond=0)
        wanted = sorted(set(days))
        checked = [
            mark_from_json(DayMark(new_mark_id(day), day, kind, note, created, when).to_json())
            for day in wanted
        ]

        def change(document: dict[str, dict[str, Any]]) -> int:
            stored = _stored_marks(document)
            current = {mark.date: mark for mark in stored.marks}
            removed = {removal.date: removal for removal in stored.removals}
            device = _device_of(document)
            changed = 0
            for new in checked:
                old = current.get(new.date)
                if old is None:
                    # Marked again after a removal: later than it, so the mark is back.
                    gone = removed.pop(new.date, None)
                    updated, _ = next_version(when, device, *([gone.version] if gone else []))
                    current[new.date] = replace(new, updated_at=updated, device=device)
                elif (old.kind, old.note) != (kind, note):
                    updated, _ = next_version(when, device, old.version)
                    current[new.date] = DayMark(
                        old.id, old.date, kind, note, old.created_at, updated, device
                    )
                else:
                    continue
                changed += 1
            if changed:
                _put_marks(document, [*current.values(), *removed.values()])
            return changed

        return self._change_marks(change)

    def remove_marks(self, days: Iterable[date]) -> Change:
        """Remove the marks of `days`, each leaving the tombstone of its removal (so that a
        merge removes it elsewhere too, instead of bringing it back); the Change counts the
        marks removed (none: no write)."""
        from hipmob_tui.history.records import DayMark, MarkTombstone

        gone = set(days)

        def change(document: dict[str, dict[str, Any]]) -> int:
            stored = _stored_marks(document)
            entries: dict[date, DayMark | MarkTombstone] = {m.date: m for m in stored.marks}
            entries.update((removal.date, removal) for removal in stored.removals)
            device = _device_of(document)
            removed = 0
            for day in sorted(gone):
                old = entries.get(day)
                if isinstance(old, DayMark):
                    when, _ = next_version(self._now(), device, old.version)
                    entries[day] = MarkTombstone(day, when, device)
                    removed += 1
            if removed:
                _put_marks(document, entries.values())
            return removed

        return self._change_marks(change)

    def add_check_results(self, results: Iterable[CheckResult]) -> Change:
        """Store new check results (one write for all), each a version of this file (its
        device); a result whose id is stored is replaced when this one is newer. The Change
        counts the results added or replaced."""
        from dataclasses import replace

        incoming = list(results)
        stored: list[CheckResult] = []

        def change(document: dict[str, dict[str, Any]]) -> int:
            device = _device_of(document)
            stored[:] = [replace(result, device=device) for result in incoming]
            return merge_check_results(document, stored)

        done = self._change_marks(change)
        done.stored = stored
        return done

    def add_plan_fact(self, fact: PlanFact) -> Change:
        """Store a fact of following a program (or of stopping), a version of this file (its
        device); the Change counts 1."""
        from dataclasses import replace

        def change(document: dict[str, dict[str, Any]]) -> int:
            return merge_plan_facts(document, [replace(fact, device=_device_of(document))])

        return self._change_marks(change)

    def plan_facts(self) -> list[PlanFact]:
        """Every fact of following a program, the one in force last; empty with no file."""
        return self.facts()[0].plans

    def _change_marks(self, change: Callable[[dict[str, dict[str, Any]]], int]) -> Change:
        """One locked rewrite of the file with its marks (or check results) changed by
        `change` (which returns how many it changed: none, and nothing is written).
        Sessions are not touched, so what `Written` knows of them stays true of the file
        written."""
        with self._locked(), self._locked_transaction() as (_db, aside, storage):
            document = storage.document()
            changed = change(document)
            if changed:
                from hipmob_tui.history.fileformat import SESSIONS

                document.setdefault(SESSIONS, {})  # so the next session is appended
                storage.write(document)
            return Change(changed, aside[0] if aside else None)

    def _now(self) -> datetime:
        from datetime import UTC, datetime

        return (self.clock or (lambda: datetime.now(UTC)))()

    def _written_file(self) -> tuple[bytes, Written, DaySummary] | None:
        """The file's bytes, what the hipmob that wrote them knew of them, and its summary;
        None when one is missing or not of these bytes (another program wrote the file, or
        no hipmob left an index): then the file must be parsed."""
        from hipmob_tui.history.fileformat import written_path

        if self.path not in _written and not written_path(self.path).exists():
            return None  # spare reading the file twice
        before = summary.read(self.path)
        if before is None:
            return None  # the parse that follows writes the summary afresh
        try:
            raw = self.path.read_bytes()
        except OSError:
            return None  # the full read says what is wrong
        written = _known(self.path, raw)
        return None if written is None else (raw, written, before)

    def _append_rows(
        self, raw: bytes, written: Written, before: DaySummary, rows: list[dict[str, Any]]
    ) -> None:
        """Add `rows` at the end of the sessions of `raw`, the file `written` knows."""
        from hipmob_tui import fileio

        _backup_if_due(self.path)
        data, after = written.append(raw, rows)
        fileio.atomic_write(self.path, data)
        _wrote(self.path, after)
        summary.save(self.path, before.plus(rows))

    def _append_new(self, record: SessionRecord, now: datetime) -> Change | None:
        """`add` without parsing the file hipmob last wrote; None when it must be parsed."""
        found = self._written_file()
        if found is None:
            return None
        raw, written, before = found
        if record.id in written.sessions:
            return Change(0)
        if record.id in written.deleted or written.device is None:
            return None  # a deleted session comes back, or a file with no device yet
        stamped = record.with_version(*next_version(now, written.device))
        self._append_rows(raw, written, before, [stamped.to_row()])
        return Change(1)

    def _merge_unparsed(
        self, entries: dict[str, Entry], *, dry_run: bool, outgoing: bool
    ) -> Change | None:
        """`merge` of sessions and tombstones without parsing the file hipmob last wrote,
        when it only adds sessions (or nothing): the index beside the file knows each id's
        version. None, and nothing done, when the file must be parsed: a newer version or a
        tombstone to store, or (for `outgoing`) something of this side to send."""
        from hipmob_tui.history.fileformat import row_digest
        from hipmob_tui.history.records import Tombstone, version_key

        found = self._written_file()
        if found is None:
            return None
        raw, written, before = found
        brought = {identifier: version_key(e.version) for identifier, e in entries.items()}
        if outgoing and written.facts:
            return None  # the far side brought none of these facts: this side's are to send
        if outgoing:  # first, as it is cheap: a sync that must send has to parse anyway
            for identifier, held in (*written.sessions.items(), *written.deleted.items()):
                if held > brought.get(identifier, ""):
                    return None
        rows: list[dict[str, Any]] = []
        for identifier, entry in entries.items():
            stored = written.sessions.get(identifier, written.deleted.get(identifier))
            key = brought[identifier]
            if stored is None:
                if isinstance(entry, Tombstone):
                    return None
                rows.append(entry.to_row())
            elif not stored or key > stored:
                return None
            elif (
                key == stored
                and not isinstance(entry, Tombstone)
                and written.contents.get(identifier) != row_digest(entry.to_row())
            ):
                # The same version, not the same row: a forged or broken session (or one
                # stored in another shape), which the full merge tells apart.
                return None
        if rows and not dry_run:
            self._append_rows(raw, written, before, rows)
        return Change(
            len(rows),
            unchanged=len(entries) - len(rows),
            written=bool(rows),
            outgoing=Facts([], [], [], []) if outgoing else None,
        )

    def update(self, session_id: str, change: Callable[[SessionRecord], SessionRecord]) -> Change:
        """Replace one session by `change(old)`, as a version made now in this file (later
        than the one it replaces); StoreError when the id is unknown. A change that changes
        nothing writes nothing (and makes no version to send to other machines)."""
        from hipmob_tui.history.fileformat import SESSIONS, StoreError
        from hipmob_tui.history.records import from_json

        with self._locked(), self._locked_transaction() as (_db, aside, storage):
            document = storage.document()
            table = document.get(SESSIONS, {})
            key = next((k for k, row in table.items() if row["id"] == session_id), None)
            if key is None:
                raise StoreError(f"no session {session_id!r} in {self.path}")
            old = from_json(table[key])
            new = change(old)
            if new.same_content(old):
                return Change(0, _first(aside))
            version = next_version(self._now(), _device_of(document), old.version)
            table[key] = new.with_version(*version).to_row()
            storage.write(document)
            return Change(1, _first(aside))

    def replace(self, record: SessionRecord) -> Change:
        """Add `record`, or replace the stored session with its id."""
        change = self.add(record)
        if change.changed == 0:
            change = self.update(record.id, lambda _old: record)
        return change

    def delete(self, session_id: str) -> Change:
        """Remove one session, leaving its tombstone (so a merge removes it elsewhere too,
        instead of bringing it back); StoreError when the id is unknown."""
        from hipmob_tui.history.fileformat import DELETED, SESSIONS, StoreError
        from hipmob_tui.history.records import Tombstone

        with self._locked(), self._locked_transaction() as (_db, aside, storage):
            document = storage.document()
            gone = _pop_rows(document.get(SESSIONS, {}), session_id)
            if not gone:
                raise StoreError(f"no session {session_id!r} in {self.path}")
            device = _device_of(document)
            tombstones = document.setdefault(DELETED, {})
            earlier = _pop_rows(tombstones, session_id, tombstone=True)
            when, device = next_version(self._now(), device, *gone, *earlier)
            tombstones[str(_next_key(tombstones))] = Tombstone(session_id, when, device).to_json()
            storage.write(document)
            return Change(1, _first(aside))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The lock every write holds, with temp files of killed writers cleared first."""
        from hipmob_tui import fileio

        with fileio.locked(self.lock_path, self.lock_timeout, self.on_wait):
            self._remove_stale_temp_files()
            yield

    @contextlib.contextmanager
    def _locked_transaction(
        self, *, keep_damaged: bool = True
    ) -> Iterator[tuple[TinyDB, list[Path], _AtomicStorage]]:
        """The database, freshly read (the lock held); a damaged file is moved aside first
        (unless not `keep_damaged`: then DamagedStore). The day's backup is made by the
        first write, if there is one."""
        from tinydb import TinyDB

        from hipmob_tui.history.fileformat import DamagedStore

        aside: list[Path] = []
        storage = _AtomicStorage(self.path)
        try:
            storage.read()
        except DamagedStore:
            if self.path.is_dir() or not keep_damaged:
                raise
            aside.append(self.keep_aside())
            storage = _AtomicStorage(self.path)
        db = TinyDB(self.path, storage=lambda _path: storage)
        try:
            yield db, aside, storage
        finally:
            db.close()

    # -- safety nets -----------------------------------------------------------------------

    def keep_aside(self) -> Path:
        """Move the current file to a clearly named place beside it, never overwriting."""
        from hipmob_tui import fileio

        return fileio.keep_aside(self.path)

    def salvage(self, copy: Path) -> tuple[int, list[tuple[str, str]], Change]:
        """Merge every readable session, day mark and check result of a damaged copy: how
        many sessions were found, those kept under a new id (another session had theirs: old
        id, new id), and what was added (`Change.marks` and `Change.checks`: the marks and
        results added or made newer).

        OSError when the copy cannot be read, or cannot be hipmob's (see `read_own_file`).
        """
        from hipmob_tui import fileio
        from hipmob_tui.history.fileformat import salvage_all
        from hipmob_tui.history.versions import VersionConflict

        renamed: list[tuple[str, str]] = []
        found, marks, checks, plans, deleted, removals = salvage_all(
            fileio.read_own_file(copy), renamed
        )  # the removals, so that a removed mark stays removed
        try:
            change = self.merge(found, marks, checks, plans, deleted, removals)
        except VersionConflict:
            # A session beside a deletion of the same version (a torn file): keep the session.
            change = self.merge(found, marks, checks, plans, deleted_marks=removals)
        return len(found), renamed, change

    def backups(self) -> list[Path]:
        """Daily copies beside the file, oldest first."""
        from hipmob_tui.history.fileformat import backups_of

        return backups_of(self.path)

    def damaged_copies(self) -> list[Path]:
        """Files kept aside because they were damaged."""
        if not self.path.parent.is_dir():
            return []
        return sorted(self.path.parent.glob(f"{self.path.name}.damaged-*"))

    def clean_temp_files(self) -> list[Path]:
        """Remove temp files an interrupted write left; returns what was removed."""
        from hipmob_tui import fileio

        if not self.path.parent.is_dir():
            return []
        with fileio.locked(self.lock_path, self.lock_timeout):
            return self._remove_stale_temp_files()

    def _remove_stale_temp_files(self) -> list[Path]:
        from hipmob_tui import fileio

        stale = fileio.stale_temp_files(self.path.parent)
        for path in stale:
            with contextlib.suppress(OSError):
                path.unlink()
        return stale


class _AtomicStorage:
    """TinyDB storage that reads with validation and writes atomically, with the summary.

    It lives for one transaction, under the lock, so the file cannot change behind it:
    the document is read and checked once, and TinyDB's further reads reuse it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._document: dict[str, dict[str, Any]] | None = None
        self._read = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The document, read and checked on the first call of the transaction."""
        from functools import partial

        from hipmob_tui.history import fileformat

        if not self._read:
            suspicious = partial(fileformat.backup_has_sessions, self.path)
            raw = fileformat.read_raw(self.path, suspicious)
            # Every session is checked, even in a file hipmob wrote: skipping that for a
            # file whose digest matched saved only about 15% of an edit or a delete.
            self._document = fileformat.parse_document(raw, self.path) if raw else None
            self._read = True
        return self._document

    def document(self) -> dict[str, dict[str, Any]]:
        """The document to change in this transaction: an empty one when there is no file
        yet, which TinyDB's write then takes with the rest (it writes what `read` gave)."""
        if self.read() is None:
            self._document = {}
        assert self._document is not None
        return self._document

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the file with `data`, then its summary (in the same transaction)."""
        from hipmob_tui import fileio
        from hipmob_tui.history.fileformat import (
            MARKS,
            META,
            PLAN,
            SCHEMA_VERSION,
            SESSIONS,
            Written,
            encode_document,
        )

        data.setdefault(META, {"1": {"schema": SCHEMA_VERSION}})
        _device_of(data)  # made with the file: its next session is appended, not parsed
        for row in data[META].values():
            if isinstance(row, dict) and "schema" in row:
                row["schema"] = SCHEMA_VERSION  # migrated: what it holds is of this schema
        contents: dict[str, str] = {}
        encoded = encode_document(data, contents)
        _backup_if_due(self.path)
        fileio.atomic_write(self.path, encoded)
        self._document, self._read = data, True
        _wrote(self.path, Written.of(data, encoded, contents))
        days = summary.of_rows(
            data.get(SESSIONS, {}).values(),
            data.get(MARKS, {}).values(),
            data.get(PLAN, {}).values(),
        )
        summary.save(self.path, days)

    def close(self) -> None:
        """Nothing to release: every write is complete when `write` returns."""


def _wrote(path: Path, written: Written | None) -> None:
    """Keep what is known of the file just written, here and beside it for the next process.

    The index beside it is written after the database: a crash between the two leaves an
    index whose digest matches no file, so the next save parses, as without one.
    """
    from hipmob_tui import fileio
    from hipmob_tui.history.fileformat import written_path

    _writes[path] = _writes.get(path, 0) + 1
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
    from hipmob_tui import fileio
    from hipmob_tui.history.fileformat import Written, digest_of, written_path

    digest = digest_of(raw)
    written = _written.get(path)
    if written is not None and written.digest == digest:
        return written
    try:
        written = Written.from_bytes(fileio.read_own_file(written_path(path)))
    except OSError:
        return None
    return written if written is not None and written.digest == digest else None


def _backup_if_due(path: Path) -> None:
    """Copy today's first state of the file, before a write changes it; keep the last
    BACKUPS_KEPT copies."""
    from datetime import date

    from hipmob_tui import fileio
    from hipmob_tui.history.fileformat import backups_of

    if not path.is_file():
        return
    target = path.with_name(f"{path.name}.backup-{date.today().isoformat()}")
    if target.is_symlink() or not target.exists():  # a link is replaced, not followed
        fileio.atomic_write(target, path.read_bytes())
    for old in backups_of(path)[:-BACKUPS_KEPT]:
        old.unlink()


def _first(aside: list[Path]) -> Path | None:
    return aside[0] if aside else None


def _next_key(table: dict[str, Any]) -> int:
    """TinyDB's next document id in `table`: one more than the largest."""
    return max((int(key) for key in table), default=0) + 1


def _device_of(document: dict[str, dict[str, Any]]) -> str:
    """The file's device id, made (in its meta table) when it has none yet."""
    from hipmob_tui.history.fileformat import META, SCHEMA_VERSION, device_of
    from hipmob_tui.history.records import new_device_id

    found = device_of(document)
    if found is not None:
        return found
    meta = document.setdefault(META, {})
    row = next((r for r in meta.values() if isinstance(r, dict) and "schema" in r), None)
    if row is None:
        row = meta[str(_next_key(meta))] = {"schema": SCHEMA_VERSION}
    row["device"] = device = new_device_id()
    return device


def next_version(now: datetime, device: str, *after: Version | Entry) -> Version:
    """`records.next_version` of versions, or of the entries they are the versions of."""
    from hipmob_tui.history.records import next_version as later_than

    return later_than(now, device, *(v if isinstance(v, tuple) else v.version for v in after))


def _pop_rows(table: dict[str, Any], identifier: str, *, tombstone: bool = False) -> list[Entry]:
    """Take the rows of `identifier` out of a sessions (or tombstones) table, already
    checked by `parse_document`; returns what they held."""
    from hipmob_tui.history.records import from_json, tombstone_from_json

    read = tombstone_from_json if tombstone else from_json
    keys = [key for key, row in table.items() if row["id"] == identifier]
    return [read(table.pop(key)) for key in keys]


class _Counts:
    """What `_merge_entries` did to the sessions, by what it means to the person."""

    __slots__ = ("deleted", "new", "unchanged", "updated", "written")

    def __init__(self) -> None:
        self.new = self.updated = self.deleted = self.unchanged = 0
        self.written = False
        """Whether the document changed (a tombstone learned changes no count)."""


def _merge_entries(document: dict[str, dict[str, Any]], entries: dict[str, Entry]) -> _Counts:
    """Merge `entries` (each id once) into the document's sessions and tombstones (read
    under the lock, so checked by `parse_document`): for each id the newer version stays,
    in the table of its kind. VersionConflict, before anything changes, for two different
    things under one version."""
    from hipmob_tui.history.fileformat import DELETED, SESSIONS
    from hipmob_tui.history.records import Tombstone, version_key

    sessions = document.get(SESSIONS, {})
    tombstones = document.get(DELETED, {})
    wanted = entries.keys()
    # The stored rows stay rows: their versions compare as text (`row_version`), and only
    # a row under the very version brought is compared whole.
    stored: dict[str, tuple[bool, str, dict[str, Any]]] = {}
    for is_session, table in ((True, sessions), (False, tombstones)):
        for key, row in table.items():
            if row["id"] in wanted:
                stored[row["id"]] = (is_session, key, row)
    winners = {}
    for identifier, entry in entries.items():
        old = stored.get(identifier)
        if old is None or _wins(entry, version_key(entry.version), *old):
            winners[identifier] = entry  # every conflict raised before the first change
    counts = _Counts()
    counts.unchanged = len(entries) - len(winners)
    next_keys = {SESSIONS: _next_key(sessions), DELETED: _next_key(tombstones)}
    for identifier, entry in winners.items():
        old = stored.get(identifier)
        new_session = not isinstance(entry, Tombstone)
        if old is None:
            counts.new += new_session
            counts.unchanged += not new_session
        else:
            was_session, key, _row = old
            if was_session and new_session:
                counts.updated += 1
            elif was_session:
                counts.deleted += 1
            elif new_session:
                counts.new += 1  # a deleted session edited later elsewhere: back
            else:
                counts.unchanged += 1
            if was_session != new_session:
                del (sessions if was_session else tombstones)[key]
        name = SESSIONS if new_session else DELETED
        table = document.setdefault(name, {})
        row = entry.to_json() if isinstance(entry, Tombstone) else entry.to_row()
        if old is not None and old[0] == new_session:
            table[old[1]] = row  # in its place: the file keeps its order
        else:
            table[str(next_keys[name])] = row
            next_keys[name] += 1
        counts.written = True
    return counts


def _wins(entry: Entry, brought: str, is_session: bool, _key: str, row: dict[str, Any]) -> bool:
    """Whether `entry` (of version key `brought`) replaces the stored `row`; VersionConflict
    when the two differ under one version."""
    from hipmob_tui.history.fileformat import row_version
    from hipmob_tui.history.records import Tombstone, from_json, tombstone_from_json
    from hipmob_tui.history.versions import newer

    stored = row_version(row) if is_session else row_version(row, "deleted_at")
    if brought != stored:
        return brought > stored
    if is_session != isinstance(entry, Tombstone) and row == (
        entry.to_json() if isinstance(entry, Tombstone) else entry.to_row()
    ):
        return False  # the same row: the usual case, told without reading it
    old = from_json(row) if is_session else tombstone_from_json(row)
    return newer(old, entry) is not old  # the same thing in another shape, or a conflict


def _outgoing(
    document: dict[str, dict[str, Any]],
    brought: dict[str, Entry],
    days: list[DayMark | MarkTombstone],
    checks: list[CheckResult],
    plans: list[PlanFact],
) -> Facts:
    """What the merged document has that the other side did not bring: each session or
    tombstone whose version is newer than the one brought (or that was not brought), each
    date's mark or removal that was not brought as it is here, and each check result and
    plan fact it lacks or holds older."""
    from hipmob_tui.history.fileformat import (
        CHECKS,
        DELETED,
        PLAN,
        SESSIONS,
        check_plan_facts,
        check_results,
        row_version,
    )
    from hipmob_tui.history.records import from_json, tombstone_from_json, version_key
    from hipmob_tui.history.versions import day_rank, fact_rank

    brought_keys = {identifier: version_key(e.version) for identifier, e in brought.items()}
    sessions = [
        from_json(row)
        for row in document.get(SESSIONS, {}).values()
        if row_version(row) > brought_keys.get(row["id"], "")
    ]
    deleted = [
        tombstone_from_json(row)
        for row in document.get(DELETED, {}).values()
        if row_version(row, "deleted_at") > brought_keys.get(row["id"], "")
    ]
    brought_days = {day_rank(entry) for entry in days}
    stored_days = _stored_marks(document)
    check_versions = {result.id: fact_rank(result) for result in checks}
    plan_versions = {fact.id: fact_rank(fact) for fact in plans}
    return Facts(
        sorted(sessions, key=lambda record: record.started_at),
        [mark for mark in stored_days.marks if day_rank(mark) not in brought_days],
        [
            result
            for result in check_results(document.get(CHECKS, {}).items())[0]
            if result.id not in check_versions or check_versions[result.id] < fact_rank(result)
        ],
        [
            fact
            for fact in check_plan_facts(document.get(PLAN, {}).items())[0]
            if fact.id not in plan_versions or plan_versions[fact.id] < fact_rank(fact)
        ],
        deleted,
        [removal for removal in stored_days.removals if day_rank(removal) not in brought_days],
    )


def _stored_marks(document: dict[str, dict[str, Any]]) -> DayMarks:
    """The marks and removals of marks of a document read under the lock (already checked:
    see `parse_document`)."""
    from hipmob_tui.history.fileformat import DELETED_MARKS, MARKS, check_marks

    return check_marks(document.get(MARKS, {}).items(), document.get(DELETED_MARKS, {}).items())


def _put_marks(
    document: dict[str, dict[str, Any]], entries: Iterable[DayMark | MarkTombstone]
) -> None:
    """Replace the document's marks table and deleted marks table by `entries` (one per
    date), oldest date first; no deleted marks table when there is no removal."""
    from hipmob_tui.history.fileformat import DELETED_MARKS, MARKS
    from hipmob_tui.history.records import DayMark

    ordered = sorted(entries, key=lambda entry: entry.date)
    marks = [entry for entry in ordered if isinstance(entry, DayMark)]
    removals = [entry for entry in ordered if not isinstance(entry, DayMark)]
    document[MARKS] = {str(key): mark.to_json() for key, mark in enumerate(marks, start=1)}
    if removals:
        document[DELETED_MARKS] = {
            str(key): removal.to_json() for key, removal in enumerate(removals, start=1)
        }
    else:
        document.pop(DELETED_MARKS, None)


class _MarkCounts:
    """What `merge_marks` did to the marks, by what it means to the person."""

    __slots__ = ("changed", "removed", "written")

    def __init__(self) -> None:
        self.changed = self.removed = 0
        self.written = False
        """Whether the document changed (a removal learned of an unmarked date counts
        nothing, but is kept, to pass on)."""


def merge_marks(
    document: dict[str, dict[str, Any]],
    incoming: Iterable[DayMark],
    removals: Iterable[MarkTombstone] = (),
) -> _MarkCounts:
    """Merge `incoming` marks and `removals` of marks into the document's: each date keeps
    its newest mark or removal (`versions.newest_per_date`), so merging is the same
    whichever side it runs on. Says how many marks were added or replaced, and removed."""
    from hipmob_tui.history.records import DayMark
    from hipmob_tui.history.versions import day_rank, newest_per_date

    stored = _stored_marks(document)
    stored_entries: list[DayMark | MarkTombstone] = [*stored.marks, *stored.removals]
    before = {entry.date: day_rank(entry) for entry in stored_entries}
    merged = newest_per_date([*stored.marks, *incoming], [*stored.removals, *removals])
    counts = _MarkCounts()
    for day, entry in merged.items():
        if before.get(day) == day_rank(entry):
            continue
        counts.written = True
        if isinstance(entry, DayMark):
            counts.changed += 1
        elif day in before and before[day][2]:  # a mark was there: removed
            counts.removed += 1
    if counts.written:
        _put_marks(document, merged.values())
    return counts


def merge_check_results(
    document: dict[str, dict[str, Any]], incoming: Iterable[CheckResult]
) -> int:
    """Merge `incoming` into the document's check results: by id, the greater version
    (`fact_rank`) wins, so merging is the same whichever side it runs on. Returns how many
    results were added or replaced."""
    from hipmob_tui.history.fileformat import CHECKS, check_results

    return _merge_facts(
        document, CHECKS, check_results, incoming, lambda result: (result.at, result.id)
    )


def merge_plan_facts(document: dict[str, dict[str, Any]], incoming: Iterable[PlanFact]) -> int:
    """Merge `incoming` into the document's plan facts, as `merge_check_results` does."""
    from hipmob_tui.history.fileformat import PLAN, check_plan_facts

    return _merge_facts(document, PLAN, check_plan_facts, incoming, lambda fact: fact.order)


def _merge_facts(
    document: dict[str, dict[str, Any]],
    table: str,
    read: Callable[[Iterable[tuple[str, object]]], tuple[list[_Fact], list[str]]],
    incoming: Iterable[_Fact],
    order: Callable[[_Fact], Any],
) -> int:
    """Merge `incoming` into a table of facts kept by id (read under the lock, so checked
    by `parse_document`): the higher `fact_rank` wins. Returns how many changed."""
    from hipmob_tui.history.versions import fact_rank

    by_id = {fact.id: fact for fact in read(document.get(table, {}).items())[0]}
    changed: set[str] = set()
    for fact in incoming:
        old = by_id.get(fact.id)
        if old is None or fact_rank(old) < fact_rank(fact):
            by_id[fact.id] = fact
            changed.add(fact.id)
    if changed:
        ordered = sorted(by_id.values(), key=order)
        document[table] = {str(key): f.to_json() for key, f in enumerate(ordered, start=1)}
    return len(changed)
