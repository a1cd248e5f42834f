"""The database file's format: read, checked, written and appended to without TinyDB.

TinyDB stays the store of record for changes (see `store`); what is here makes the reads
(`history`, `export`, the app's History) and the common write (adding a session) cheap.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from hipmob_tui import fileio
from hipmob_tui.errors import HipmobError
from hipmob_tui.history.records import (
    CheckResult,
    DayMark,
    ExerciseCache,
    MarkTombstone,
    PlanFact,
    RecordError,
    SessionRecord,
    Tombstone,
    check_result_from_json,
    from_json,
    mark_from_json,
    mark_tombstone_from_json,
    plan_fact_from_json,
    tombstone_from_json,
    version_key,
)

SCHEMA_VERSION = 2
"""The version this hipmob writes; older files are migrated on their next write.

2: day marks, check results and plan facts carry a `device`, which a hipmob that reads
schema 1 would call damage (it refuses unknown fields), so it says to upgrade instead."""
SESSIONS = "sessions"
MARKS = "marks"
"""Day marks (rest, flare, away): a table of their own; a file without it has none."""
CHECKS = "checks"
"""Self-check results: a table of their own, like marks; a file without it has none."""
PLAN = "plan"
"""The facts of following a program (from a day, a program and stage, or none): a table
of their own, like check results; a file without it has none."""
DELETED = "deleted"
"""What deleted sessions leave (`Tombstone`): a table of its own, which History, streaks
and every command leave alone; a file without it has none."""
DELETED_MARKS = "deleted_marks"
"""What removed day marks leave (`MarkTombstone`), one per date at most and never beside a
mark of that date: a table of its own, like `deleted`; a file without it has none."""
OTHER_FACTS = (MARKS, CHECKS, PLAN, DELETED_MARKS)
"""The tables of facts beside the sessions and their tombstones."""
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


def _check_bytes(raw: bytes, path: Path) -> None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DamagedStore(path, "it starts with a byte-order mark, which hipmob never writes")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DamagedStore(path, f"it contains NUL bytes (the first at byte {nul})")


def _not_json(path: Path, error: json.JSONDecodeError) -> DamagedStore:
    return DamagedStore(path, f"not valid JSON at line {error.lineno}, column {error.colno}")


NESTED_TOO_DEEPLY = "nested too deeply: hipmob writes at most four levels"
"""Why JSON nested deeper than Python's recursion limit cannot be read (json recurses)."""


def long_number() -> str:
    """Why JSON with an integer longer than Python converts cannot be read."""
    import sys

    return f"it holds a number of more than {sys.get_int_max_str_digits():,} digits"


class JsonProblem(ValueError):
    """JSON that cannot be read, with the reason in plain words (`reason`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_json(raw: bytes) -> Any:
    """`json.loads`, failing only with JsonProblem: also for deep nesting (RecursionError)
    and integers longer than Python converts (a bare ValueError), which escape it otherwise.
    """
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise JsonProblem("it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise JsonProblem(f"not valid JSON at line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise JsonProblem(NESTED_TOO_DEEPLY) from None
    except ValueError:
        raise JsonProblem(long_number()) from None


_NOT_A_DATABASE = "it is JSON but not a hipmob database"


class _NotADatabase(ValueError):
    """Well-formed JSON of another shape."""


def _check_version(version: int, path: Path) -> None:
    if version > SCHEMA_VERSION:
        raise DamagedStore(
            path, f"it was written by a newer hipmob (schema {version}); upgrade hipmob to read it"
        )


def _is_repeat(found: dict[str, SessionRecord], record: SessionRecord) -> bool:
    """Whether `record` repeats a session in `found` (by id), as a copy or a merge by hand
    leaves. An identical row is the same session, read once (True); a different session
    under the same id is a damaged file (RecordError), which doctor repairs keeping both.

    Every reader goes through here (the sessions read, the document a write changes, and
    salvage), so `history`, `streak`, `export`, the app and `doctor` agree.
    """
    stored = found.get(record.id)
    if stored is None:
        return False
    if stored.to_json() == record.to_json():
        return True
    raise RecordError(f"its id {record.id!r} is also the id of a different session")


def parse_document(raw: bytes, path: Path) -> dict[str, dict[str, Any]]:
    """The JSON document of a database file, checked; DamagedStore when it is not one."""
    _check_bytes(raw, path)
    try:
        document = load_json(raw)
    except JsonProblem as problem:
        raise DamagedStore(path, problem.reason) from None
    if not isinstance(document, dict) or not all(isinstance(t, dict) for t in document.values()):
        raise DamagedStore(path, _NOT_A_DATABASE)
    _check_version(schema_version(document), path)
    seen: ExerciseCache = {}
    found: dict[str, SessionRecord] = {}
    table = document.get(SESSIONS, {})
    repeats = []
    for key, value in table.items():
        try:
            record = from_json(value, seen)
            if _is_repeat(found, record):
                repeats.append(key)
        except RecordError as error:
            raise DamagedStore(path, f"session {key}: {error}") from None
        found.setdefault(record.id, record)
    for key in repeats:
        del table[key]  # the write that follows stores each session once
    deleted = document.get(DELETED, {})
    try:
        tombstones, repeated = check_tombstones(deleted.items())
        for key in repeated:
            del deleted[key]
        superseded = _superseded(found, tombstones)
    except RecordError as error:
        raise DamagedStore(path, str(error)) from None
    for name, rows in ((SESSIONS, table), (DELETED, deleted)):
        for key in [key for key, row in rows.items() if (name, row["id"]) in superseded]:
            del rows[key]  # a merge by hand left both: the write that follows keeps the newer
    marks, removals = document.get(MARKS, {}), document.get(DELETED_MARKS, {})
    try:
        days = check_marks(marks.items(), removals.items())
    except RecordError as error:
        raise DamagedStore(path, str(error)) from None
    # The write that follows stores one mark or removal per date.
    for key in days.dropped_marks:
        del marks[key]
    for key in days.dropped_removals:
        del removals[key]
    checks: tuple[tuple[str, Callable[[Iterable[tuple[str, object]]], tuple[Any, list[str]]]], ...]
    checks = ((CHECKS, check_results), (PLAN, check_plan_facts))
    for name, check in checks:
        rows = document.get(name, {})
        try:
            repeated = check(rows.items())[1]
        except RecordError as error:
            raise DamagedStore(path, str(error)) from None
        for key in repeated:
            del rows[key]  # the write that follows stores each fact once
    return document


def check_tombstones(rows: Iterable[tuple[str, object]]) -> tuple[list[Tombstone], list[str]]:
    """The tombstones of a deleted table, each id once, and the keys of the rows that
    repeat one exactly; RecordError as `check_results` raises it."""
    return _facts_by_id(rows, tombstone_from_json, "deleted session", "deletion")


def _superseded(
    sessions: dict[str, SessionRecord], tombstones: Iterable[Tombstone]
) -> set[tuple[str, str]]:
    """(table, id) of each session or tombstone that another version of its id in the
    other table supersedes: hipmob never stores both, a merge by hand may. RecordError
    when the two are different things under one version."""
    found = set()
    for tombstone in tombstones:
        session = sessions.get(tombstone.id)
        if session is None:
            continue
        if session.version == tombstone.version:
            raise RecordError(
                f"session {tombstone.id!r} is both kept and deleted under one version"
            )
        if session.version < tombstone.version:
            found.add((SESSIONS, tombstone.id))
        else:
            found.add((DELETED, tombstone.id))
    return found


def device_of(document: dict[str, dict[str, Any]]) -> str | None:
    """The file's own device id (see `records.new_device_id`), if it has one yet."""
    for row in document.get(META, {}).values():
        if isinstance(row, dict) and isinstance(row.get("device"), str) and row["device"]:
            return str(row["device"])
    return None


class DayMarks(NamedTuple):
    """The marks of a history and the removals of marks, as `check_marks` reads them."""

    marks: list[DayMark]
    """One per date at most, oldest date first: each date's mark, unless removed later."""
    removals: list[MarkTombstone]
    """The removals that stand (no mark of their date was set later), oldest date first."""
    dropped_marks: list[str]
    """The keys of the marks table's rows that are not kept."""
    dropped_removals: list[str]
    """The keys of the deleted marks table's rows that are not kept."""


def check_marks(
    rows: Iterable[tuple[str, object]], removal_rows: Iterable[tuple[str, object]] = ()
) -> DayMarks:
    """The marks of a marks table and the removals of a deleted marks table, one of the
    two per date at most, and the keys of the rows that are not kept: exact repeats, and
    of a date marked twice, or marked and removed (a merge by hand), all but the newer, as
    an import keeps (`versions.newest_per_date`). RecordError names the row that is wrong,
    or an id that two different marks share.
    """
    from hipmob_tui.history.versions import day_rank

    keyed, dropped = _keyed_facts_by_id(rows, mark_from_json, "mark", "mark")
    entries: list[tuple[str, str, DayMark | MarkTombstone]] = [
        (MARKS, key, mark) for key, mark in keyed
    ]
    for key, row in removal_rows:
        try:
            entries.append((DELETED_MARKS, key, mark_tombstone_from_json(row)))
        except RecordError as error:
            raise RecordError(f"deleted mark {key}: {error}") from None
    by_date: dict[object, tuple[str, str, DayMark | MarkTombstone]] = {}
    losers: list[tuple[str, str, DayMark | MarkTombstone]] = []
    for found in entries:
        other = by_date.get(found[2].date)
        if other is None or day_rank(other[2]) < day_rank(found[2]):
            if other is not None:
                losers.append(other)
            by_date[found[2].date] = found
        else:
            losers.append(found)
    kept = sorted((found[2] for found in by_date.values()), key=lambda entry: entry.date)
    return DayMarks(
        [entry for entry in kept if isinstance(entry, DayMark)],
        [entry for entry in kept if isinstance(entry, MarkTombstone)],
        dropped + [key for table, key, _entry in losers if table == MARKS],
        [key for table, key, _entry in losers if table == DELETED_MARKS],
    )


def check_results(rows: Iterable[tuple[str, object]]) -> tuple[list[CheckResult], list[str]]:
    """The check results of a checks table, each id once (oldest first), and the keys of
    the rows that repeat one exactly (a copy, a merge by hand). RecordError names the row
    that is wrong, or an id that two different results share: a damaged file, as for marks.
    """
    found, repeated = _facts_by_id(rows, check_result_from_json, "check result", "result")
    return sorted(found, key=lambda r: (r.at, r.id)), repeated


def check_plan_facts(rows: Iterable[tuple[str, object]]) -> tuple[list[PlanFact], list[str]]:
    """The facts of a plan table, each id once (the one in force last), and the keys of the
    rows that repeat one exactly; RecordError as `check_results` raises it."""
    found, repeated = _facts_by_id(rows, plan_fact_from_json, "plan fact", "fact")
    return sorted(found, key=lambda fact: fact.order), repeated


_Fact = TypeVar("_Fact", CheckResult, PlanFact, Tombstone, DayMark)


def _facts_by_id(
    rows: Iterable[tuple[str, object]], read: Callable[[object], _Fact], noun: str, short: str
) -> tuple[list[_Fact], list[str]]:
    """Each row read by `read`, each id once, and the keys of the rows repeating one."""
    keyed, repeated = _keyed_facts_by_id(rows, read, noun, short)
    return [fact for _key, fact in keyed], repeated


def _keyed_facts_by_id(
    rows: Iterable[tuple[str, object]], read: Callable[[object], _Fact], noun: str, short: str
) -> tuple[list[tuple[str, _Fact]], list[str]]:
    """Each row read by `read` with its key, each id once (the first row of it), and the
    keys of the rows repeating one exactly; RecordError names a bad row, or an id that two
    different facts share (a damaged file)."""
    by_id: dict[str, tuple[str, _Fact]] = {}
    repeated: list[str] = []
    for key, row in rows:
        try:
            fact = read(row)
        except RecordError as error:
            raise RecordError(f"{noun} {key}: {error}") from None
        stored = by_id.get(fact.id)
        if stored is None:
            by_id[fact.id] = (key, fact)
        elif stored[1].to_json() == fact.to_json():
            repeated.append(key)
        else:
            raise RecordError(
                f"{noun} {key}: its id {fact.id!r} is also the id of a different {short}"
            )
    return list(by_id.values()), repeated


_SPACE = re.compile(r"[ \t\n\r]*")


def _table_rows(
    text: str, known: Callable[[str, int], bool] | None = None
) -> Iterator[tuple[str, str, Any]]:
    """(table, key, row) for every row of a TinyDB document, one row in memory at a time.

    json.loads would build the whole document first, to keep far smaller records. What it
    buys, reading every session in a fresh process: 30 MiB and 107 ms at ten years instead
    of 48 MiB and 139 ms with json.loads; 174 MiB and 1.07 s at 100 years instead of 353 MiB
    and 1.36 s (so `export` stays under 1.5x the memory of a plain json.load of the file).
    JSONDecodeError where JSON is broken, _NotADatabase for JSON of another shape, and what
    json raises for deep nesting (RecursionError) or an overlong integer (ValueError).

    `known(table, at)` is asked as each table's value begins, at `at`: when it answers
    True, the rest of the text is known already (see `SessionsCopy`) and nothing more is read.
    """
    decode = json.JSONDecoder().raw_decode

    def skip(at: int) -> int:
        match = _SPACE.match(text, at)
        return match.end() if match else at

    def expect(char: str, at: int) -> int:
        at = skip(at)
        if text[at : at + 1] != char:
            raise json.JSONDecodeError(f"expected {char!r}", text, at)
        return skip(at + 1)

    def members(at: int) -> Generator[tuple[str | None, int], int, None]:
        """Keys of the object opening at `at`, then None; the caller reads each value."""
        at = expect("{", at)
        if text[at : at + 1] == "}":
            yield None, at + 1
            return
        while True:
            key, at = decode(text, at)
            if not isinstance(key, str):
                raise json.JSONDecodeError("expected a key", text, at)
            at = expect(":", at)
            at = yield key, at
            at = skip(at)
            if text[at : at + 1] == "}":
                yield None, at + 1
                return
            at = expect(",", at)

    tables = members(0)
    table, at = next(tables)
    while table is not None:
        if known is not None and known(table, at):
            return
        if text[at : at + 1] != "{":
            raise _NotADatabase(_NOT_A_DATABASE)
        rows = members(at)
        key, at = next(rows)
        while key is not None:
            row, at = decode(text, at)
            yield table, key, row
            key, at = rows.send(at)
        table, at = tables.send(at)
    if skip(at) != len(text):
        raise json.JSONDecodeError("extra data", text, skip(at))


History = tuple[
    list[SessionRecord],
    int,
    list[DayMark],
    list[CheckResult],
    list[PlanFact],
    list[Tombstone],
    list[MarkTombstone],
]
"""What a database file holds: its sessions (oldest first), how many rows repeated a
session exactly (read once, see `_is_repeat`), its day marks (oldest date first), its
check results (oldest first), its plan facts (the one in force last), the tombstones of
its deleted sessions and those of its removed marks (oldest date first)."""


class _Rows:
    """What one walk through a file's tables collects, before the tables are checked
    against each other."""

    def __init__(self) -> None:
        self.found: dict[str, SessionRecord] = {}
        self.repeats = 0
        self.problem: str | None = None
        self.version = SCHEMA_VERSION
        self.marks: list[tuple[str, object]] = []
        self.results: list[tuple[str, object]] = []
        self.plans: list[tuple[str, object]] = []
        self.deleted: list[tuple[str, object]] = []
        self.removals: list[tuple[str, object]] = []


def _collect(text: str, known: Callable[[str, int], bool]) -> _Rows:
    """Every row of the tables of `text` (see `_table_rows` for `known` and what it raises)."""
    rows = _Rows()
    seen: ExerciseCache = {}
    other_tables = {
        MARKS: rows.marks,
        CHECKS: rows.results,
        PLAN: rows.plans,
        DELETED: rows.deleted,
        DELETED_MARKS: rows.removals,
    }
    for table, key, row in _table_rows(text, known):
        if not isinstance(row, dict):
            raise _NotADatabase(_NOT_A_DATABASE)
        if table == META and isinstance(row.get("schema"), int):
            rows.version = int(row["schema"])
        elif table == SESSIONS and rows.problem is None:
            try:
                record = from_json(row, seen)
                if _is_repeat(rows.found, record):
                    rows.repeats += 1
                else:
                    rows.found[record.id] = record
            except RecordError as error:
                rows.problem = f"session {key}: {error}"
        elif table in other_tables:
            other_tables[table].append((key, row))
    return rows


SessionsPart = tuple[dict[str, SessionRecord], int]
"""What a file's sessions table reads as on its own: each session by id, in the file's
order, and how many rows repeated one exactly."""

SessionsCopy = tuple[int, bytes, SessionsPart]
"""A `SessionsPart` kept with what says which bytes it was read from: the file's from the
sessions table's value to its end (the tail), when that table is the file's last, as
hipmob writes it. Their length, and the digest of all but their last two bytes (the two
closing braces), which hipmob's writes of other tables leave as they were. So a file
whose tail is the same has the same sessions, whatever changed before them (a day mark,
a check result, a plan fact, a deleted session's tombstone); and a file whose tail only
goes on where the kept one closed holds those sessions and the ones added after them
(a session saved, logged or imported)."""

KeptSessions = tuple[int, bytes, Callable[[], SessionsPart | None]]
"""A kept `SessionsCopy` as the cache gives it: the length and digest of its tail, and
what unpickles its sessions (None when that fails)."""

_SESSIONS_KEY = b'"%s":' % SESSIONS.encode()
_CLOSING = b"}}"


def _tail_digest(tail: memoryview) -> bytes:
    return digest_of(tail[: len(tail) - len(_CLOSING)])


def _with_copy(raw: bytes, kept: KeptSessions) -> tuple[_Rows, SessionsPart, bool] | None:
    """The rows of every table before the sessions, the sessions from their copy, and
    whether sessions were added since it was kept; None when the copy cannot be used.

    Only the text before the sessions is decoded and walked (a few hundred bytes, where
    the whole file is megabytes), and only the sessions added after the copy are parsed:
    `SessionsCopy` says why the rest needs no reading.
    """
    value_at = raw.rfind(_SESSIONS_KEY) + len(_SESSIONS_KEY)
    if value_at < len(_SESSIONS_KEY):
        return None
    try:
        head = raw[:value_at].decode()
    except UnicodeDecodeError:
        return None
    reached = False

    def known(table: str, at: int) -> bool:
        nonlocal reached
        reached = table == SESSIONS and at == len(head)
        return reached

    try:
        rows = _collect(head, known)
    except (ValueError, RecursionError, _NotADatabase):  # JSONDecodeError is a ValueError
        return None  # not where the sessions begin after all: the whole file is read
    length, digest, unpickle = kept
    tail = memoryview(raw)[value_at:]
    if not reached or rows.found or rows.problem or len(tail) < length:
        return None
    if _tail_digest(tail[:length]) != digest:
        return None
    rest = bytes(tail[length - len(_CLOSING) :])
    added = None if rest == _CLOSING else _added_sessions(rest)
    if rest != _CLOSING and added is None:
        return None
    sessions = unpickle()
    if sessions is None:
        return None
    found, repeats = dict(sessions[0]), sessions[1]
    for record in added or ():
        try:
            if _is_repeat(found, record):
                repeats += 1
            else:
                found[record.id] = record
        except RecordError:
            return None  # damaged: the whole file is read, and says so
    return rows, (found, repeats), added is not None


def _added_sessions(rest: bytes) -> list[SessionRecord] | None:
    """The sessions of `rest`, the end of a sessions table that goes on after a kept copy
    (`,"key":{row},...}}`); None when it is anything else, or not valid."""
    if not rest.startswith(b","):
        return None
    try:
        text = f"{{{_SESSIONS_KEY.decode()}{{{rest[1:].decode()}"
    except UnicodeDecodeError:
        return None
    tables = []

    def known(table: str, _at: int) -> bool:
        tables.append(table)
        return False

    try:
        rows = _collect(text, known)
    except (ValueError, RecursionError, _NotADatabase):
        return None
    if tables != [SESSIONS] or rows.problem or rows.repeats or rows.version != SCHEMA_VERSION:
        return None
    return list(rows.found.values())


def _records(
    raw: bytes, path: Path, kept: KeptSessions | None = None, *, make_copy: bool = False
) -> tuple[History, SessionsCopy | None]:
    """The `History` of a database file, checked, without building the whole document;
    and, with `make_copy`, the copy of its sessions to keep, if there is a new one.

    With a copy of the sessions `kept` that fits the file (see `SessionsCopy`), only the
    sessions added since are read (the rest of the file is, and checked, as ever).
    """
    _check_bytes(raw, path)
    quick = None if kept is None else _with_copy(raw, kept)
    if quick is not None:
        rows, (found, repeats), grew = quick
        _check_version(rows.version, path)
        keep = _copy_to_keep(raw, found, repeats) if grew and make_copy else None
        return _checked(rows, found, repeats, path), keep
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        raise DamagedStore(path, "it is not UTF-8 text") from None
    tail_at: int | None = None
    """Where the sessions table's value begins, in bytes; None: not reached."""
    after_sessions = False

    def known(table: str, at: int) -> bool:
        nonlocal tail_at, after_sessions
        if tail_at is not None:  # a table after the sessions (another, or one of that name)
            after_sessions = True
        elif table == SESSIONS:
            tail_at = len(text[:at].encode())
        return False

    try:
        rows = _collect(text, known)
    except json.JSONDecodeError as error:
        raise _not_json(path, error) from None
    except RecursionError:
        raise DamagedStore(path, NESTED_TOO_DEEPLY) from None
    except _NotADatabase:
        raise DamagedStore(path, _NOT_A_DATABASE) from None
    except ValueError:  # what json raises for an integer longer than Python converts
        raise DamagedStore(path, long_number()) from None
    _check_version(rows.version, path)  # a newer schema explains odd sessions: say that first
    if rows.problem:
        raise DamagedStore(path, rows.problem)
    keep = None
    if make_copy and tail_at is not None and not after_sessions:
        keep = _copy_to_keep(raw, rows.found, rows.repeats, tail_at)
    return _checked(rows, dict(rows.found), rows.repeats, path), keep


def _copy_to_keep(
    raw: bytes, found: dict[str, SessionRecord], repeats: int, tail_at: int | None = None
) -> SessionsCopy | None:
    """The copy of the sessions `found` in `raw`, whose last table they are (from
    `tail_at`, or after the last sessions key); None when its tail is not as hipmob
    closes it."""
    if tail_at is None:
        tail_at = raw.rfind(_SESSIONS_KEY) + len(_SESSIONS_KEY)
    tail = memoryview(raw)[tail_at:]
    if tail[len(tail) - len(_CLOSING) :] != _CLOSING:
        return None
    return len(tail), _tail_digest(tail), (dict(found), repeats)


def _checked(rows: _Rows, found: dict[str, SessionRecord], repeats: int, path: Path) -> History:
    """The `History` of the rows of a file and its sessions `found` (changed here)."""
    try:
        days = check_marks(rows.marks, rows.removals)
        results = check_results(rows.results)[0]
        plans = check_plan_facts(rows.plans)[0]
        tombstones = check_tombstones(rows.deleted)[0]
        superseded = _superseded(found, tombstones)
    except RecordError as error:
        raise DamagedStore(path, str(error)) from None
    if superseded:
        tombstones = [t for t in tombstones if (DELETED, t.id) not in superseded]
        for table, identifier in superseded:
            if table == SESSIONS:
                del found[identifier]
    return list(found.values()), repeats, days.marks, results, plans, tombstones, days.removals


def schema_version(document: dict[str, dict[str, Any]]) -> int:
    for row in document.get(META, {}).values():
        if isinstance(row, dict) and isinstance(row.get("schema"), int):
            return int(row["schema"])
    return SCHEMA_VERSION


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _encode(value: object) -> bytes:
    return _ENCODER.encode(value).encode()


def encode_document(
    document: dict[str, dict[str, Any]], contents: dict[str, str] | None = None
) -> bytes:
    """The bytes hipmob writes: compact UTF-8, with the sessions table last; and in
    `contents`, the `content_digest` of each session row, by id.

    Sessions last puts the end of that table two bytes before the end of the file, where
    `Written` adds new sessions without encoding the rest again. The rows are encoded one
    by one (the same bytes as the whole at once), so their digests cost no second encoding.
    """
    ordered = {name: table for name, table in document.items() if name != SESSIONS}
    head = _encode(ordered)
    if SESSIONS not in document:
        return head
    pieces = []
    for key, row in document[SESSIONS].items():
        encoded = _encode(row)
        if contents is not None and isinstance(row, dict) and isinstance(row.get("id"), str):
            contents[row["id"]] = content_digest(encoded)
        pieces.append(b"%s:%s" % (_encode(str(key)), encoded))
    table = b"{%s}" % b",".join(pieces)
    return b'%s%s"%s":%s}' % (head[:-1], b"," if ordered else b"", SESSIONS.encode(), table)


def row_digest(row: dict[str, Any]) -> str:
    """The `content_digest` of a session row as `encode_document` writes it."""
    return content_digest(_encode(row))


def content_digest(encoded_row: bytes) -> str:
    """A short digest of a session row's bytes: two rows alike in it hold the same session
    (see `Written.contents`)."""
    import hashlib

    return hashlib.blake2b(encoded_row, digest_size=8).hexdigest()


def digest_of(raw: bytes | memoryview) -> bytes:
    import hashlib  # here, not at the top: it costs the fast read-only commands 7 ms

    return hashlib.sha256(raw).digest()


_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")


def row_version(row: dict[str, Any], when: str = "updated_at") -> str:
    """The `version_key` of a stored row (a session's, or with `when` "deleted_at" a
    tombstone's); "" when it cannot be told without checking the row (then whoever needs
    it parses the file)."""
    from datetime import datetime

    device = row.get("device", "")
    stamp = row.get(when)
    if stamp is None and when == "updated_at":
        stamp = row.get("ended_at")  # a session from before versions
    if not isinstance(device, str) or not isinstance(stamp, str):
        return ""
    if _UTC_TEXT.fullmatch(stamp):
        return f"{stamp} {device}"  # as hipmob writes it: no parse
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    return "" if parsed.tzinfo is None else version_key((parsed, device))


@dataclass(frozen=True, slots=True)
class Written:
    """A file hipmob wrote, known well enough to add sessions to it unparsed.

    It holds for the bytes whose SHA-256 is `digest` and for no others: `matches` proves
    that a file read now is those bytes, whatever its stat says (another writer in the
    same clock tick, a reused inode, a restored mtime), so what it knows is never stale.

    What it buys, one session added in a fresh process (its index read from beside the
    file): 26 ms instead of 221 ms at ten years; 0.26 s and 154 MiB instead of 3.0 s and
    364 MiB at 100 years. Saving is what ends every session and every `hipmob log`. It
    knows each id's version too, so an import that brings nothing newer (the usual `hipmob
    sync`) reads only the export.
    """

    digest: bytes
    sessions: dict[str, str]
    """The version (`row_version`) of every stored session, by id: merge never stores one
    twice, and compares versions without parsing."""
    deleted: dict[str, str]
    """The version of every tombstone, by id."""
    contents: dict[str, str]
    """The `content_digest` of every stored session row, by id: a session brought under a
    version already stored is the same session when its row has the same digest (else the
    file is parsed, to compare them in full)."""
    next_key: int
    """TinyDB's next document id: one more than the largest."""
    empty: bool
    """Whether the sessions table has no rows (then the first new row takes no comma)."""
    device: str | None
    """The file's device id, which a new session's version names; None: none yet."""
    facts: bool
    """Whether the file holds anything beside sessions and their tombstones (day marks,
    check results, plan facts): a sync must then parse it, to send what the far side lacks."""

    @property
    def ids(self) -> frozenset[str]:
        """The id of every stored session."""
        return frozenset(self.sessions)

    @classmethod
    def of(
        cls,
        document: dict[str, dict[str, Any]],
        encoded: bytes,
        contents: dict[str, str] | None = None,
    ) -> Written | None:
        """For `encoded` (the `encode_document` of `document`, which gave `contents`);
        None when it cannot be one."""
        # Without meta, TinyDB's next write would add it; an older schema it would migrate.
        if META not in document or schema_version(document) != SCHEMA_VERSION:
            return None
        if SESSIONS not in document:
            return None  # `append` needs the sessions table last, as `encode_document` puts it
        rows = document[SESSIONS]
        try:
            sessions = {row["id"]: row_version(row) for row in rows.values()}
            deleted = {
                row["id"]: row_version(row, "deleted_at")
                for row in document.get(DELETED, {}).values()
            }
            next_key = max((int(key) for key in rows), default=0) + 1
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if not all(isinstance(id_, str) for id_ in (*sessions, *deleted)):
            return None
        if not encoded.endswith(b"}}"):
            return None
        if contents is None:
            contents = {}
            encode_document({SESSIONS: rows}, contents)
        device = device_of(document)
        facts = any(document.get(name) for name in OTHER_FACTS)
        return cls(
            digest_of(encoded), sessions, deleted, contents, next_key, not rows, device, facts
        )

    def matches(self, raw: bytes) -> bool:
        """Whether `raw` is exactly the file this was made for."""
        return digest_of(raw) == self.digest

    def to_bytes(self) -> bytes:
        """What `written_path` holds, so the next process can append without parsing."""
        return _encode(
            {
                "digest": self.digest.hex(),
                "next_key": self.next_key,
                "empty": self.empty,
                "device": self.device,
                "facts": self.facts,
                "sessions": self.sessions,
                "deleted": self.deleted,
                "contents": self.contents,
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Written | None:
        """The `Written` in `data`; None for anything but what `to_bytes` wrote.

        The digest still decides: a stale or foreign index only matches no file.
        """
        try:
            fields = json.loads(data)
            sessions = fields["sessions"]
            deleted = fields["deleted"]
            contents = fields["contents"]
            next_key = fields["next_key"]
            empty = fields["empty"]
            device = fields["device"]
            facts = fields["facts"]
            digest = bytes.fromhex(fields["digest"])
        except (ValueError, TypeError, KeyError, RecursionError):
            return None
        if not (
            all(
                isinstance(table, dict) and all(isinstance(v, str) for v in table.values())
                for table in (sessions, deleted, contents)
            )
            and type(next_key) is int
            and next_key >= 1
            and type(empty) is bool
            and type(facts) is bool
            and (device is None or isinstance(device, str))
            and len(digest) == 32
        ):
            return None
        return cls(digest, sessions, deleted, contents, next_key, empty, device, facts)

    def append(self, raw: bytes, rows: list[dict[str, Any]]) -> tuple[bytes, Written]:
        """`raw` with `rows` at the end of its sessions table, byte for byte what TinyDB
        inserting them and `encode_document` would give; and what holds for the result.

        Only for `raw` that `matches`: a compact document ending with the sessions table,
        so its last two bytes close that table and then the document.
        """
        if not rows:
            return raw, self
        key = self.next_key
        parts = []
        contents = dict(self.contents)
        for row in rows:
            encoded = _encode(row)
            contents[row["id"]] = content_digest(encoded)
            parts.append(b"%s:%s" % (_encode(str(key)), encoded))
            key += 1
        added = b",".join(parts)
        data = b"".join((memoryview(raw)[:-2], b"" if self.empty else b",", added, b"}}"))
        sessions = {**self.sessions, **{row["id"]: row_version(row) for row in rows}}
        after = Written(
            digest_of(data), sessions, self.deleted, contents, key, False, self.device, self.facts
        )
        return data, after


def written_path(db: Path) -> Path:
    """Beside the database: what the last hipmob that wrote it knew of it (see `Written`)."""
    return db.with_name(db.name + ".written")


def read_raw(path: Path, suspicious_if_empty: Callable[[], bool]) -> bytes | None:
    """The file's bytes; None when it does not exist, b"" when it is new and empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DamagedStore(path, "it is a directory, not a file") from None
    except PermissionError:
        raise DamagedStore(path, "it cannot be read: permission denied") from None
    if raw.strip() in (b"", b"null"):
        # What a crashed non-atomic writer leaves: new only if no backup has sessions.
        if suspicious_if_empty():
            raise DamagedStore(path, "it is empty, but a backup beside it has sessions")
        return b""
    return raw


def read_sessions(
    path: Path, suspicious_if_empty: Callable[[], bool] = lambda: False
) -> list[SessionRecord] | None:
    """Every session in the file, oldest first; None when there is no file yet."""
    found = check_sessions(path, suspicious_if_empty)
    return None if found is None else found[0]


def check_sessions(
    path: Path, suspicious_if_empty: Callable[[], bool] = lambda: False
) -> tuple[list[SessionRecord], int] | None:
    """Every session in the file, oldest first, and how many rows repeated one exactly;
    None when there is no file yet."""
    found = read_history(path, suspicious_if_empty)
    return None if found is None else (found[0], found[1])


def read_history(
    path: Path, suspicious_if_empty: Callable[[], bool] = lambda: False
) -> History | None:
    """The `History` in the file; None when there is no file yet."""
    raw = read_raw(path, suspicious_if_empty)
    if raw is None:
        return None
    return history_of(raw, path)


def history_of(raw: bytes, path: Path) -> History:
    """`read_history` of the file at `path` whose bytes (as `read_raw` gave them) are `raw`."""
    return history_and_copy(raw, path)[0]


def history_and_copy(
    raw: bytes, path: Path, kept: KeptSessions | None = None
) -> tuple[History, SessionsCopy | None]:
    """`history_of`, its sessions taken from the copy `kept` as far as it fits (see
    `SessionsCopy`); and the copy of the sessions to keep when they were read here."""
    if not raw:
        return ([], 0, [], [], [], [], []), None
    found, keep = _records(raw, path, kept, make_copy=True)
    found[0].sort(key=lambda r: r.started_at)
    return found, keep


_STRING = r'"(?:[^"\\\x00-\x1f]++|\\[^\x00-\x1f])*+"'
_PLAIN = r'[^{}\[\]"]++'
_FLAT_OBJECT = rf"\{{(?:{_STRING}|{_PLAIN})*+\}}"
_LIST = rf"\[(?:{_STRING}|{_FLAT_OBJECT}|{_PLAIN})*+\]"
_SESSION_SHAPED = re.compile(rf"\{{(?:{_STRING}|{_LIST}|{_FLAT_OBJECT}|{_PLAIN})*+\}}")
"""A JSON object no deeper than a session ({... "exercises": [{...}] ...}), strings skipped
whole. Possessive quantifiers never backtrack, so a failed try costs only what it read."""


class Salvaged(NamedTuple):
    """What `salvage_all` found in a damaged file, each kind as its own function finds it."""

    sessions: list[SessionRecord]
    marks: list[DayMark]
    checks: list[CheckResult]
    plans: list[PlanFact]
    tombstones: list[Tombstone]
    mark_removals: list[MarkTombstone]


def salvage_all(raw: bytes, renamed: list[tuple[str, str]] | None = None) -> Salvaged:
    """Every kind of fact that can be found in a damaged file, as `salvage`,
    `salvage_marks` and the others find them, in two scans of it.

    Each function on its own decodes the bytes and scans them again: six decodes and five
    scans, 3.8 s of `hipmob doctor` on 50 MiB of random bytes (the decode with its error
    handler alone 135 ms a time).
    """
    text = _salvage_text(raw)
    flat = _flat_facts(text)
    return Salvaged(
        _sessions_in(text, renamed),
        _marks_in(flat),
        _check_results_in(flat),
        _plan_facts_in(flat),
        _tombstones_in(flat),
        _mark_removals_in(flat),
    )


def _salvage_text(raw: bytes) -> str:
    """The bytes as text to search: a NUL or bytes that are no UTF-8 end no JSON string."""
    return raw.replace(b"\x00", b" ").decode("utf-8", errors="replace")


_FACT_NAMES = ('"created_at"', '"deleted_at"', '"check_id"', '"program_id"')
"""A name every flat fact has one of: a mark, a removal, a tombstone, a check result, a
plan fact (exercise entries, the most of a file's flat objects, have none)."""


def _flat_facts(text: str) -> list[str]:
    """Every flat object in `text` that names one of `_FACT_NAMES`."""
    return [
        found
        for match in _FLAT.finditer(text)
        if any(name in (found := match.group()) for name in _FACT_NAMES)
    ]


def salvage(raw: bytes, renamed: list[tuple[str, str]] | None = None) -> list[SessionRecord]:
    """Every complete, valid session object that can be found in a damaged file.

    A different session under an id already found is kept too, under a new id made from
    its content (the same on every run, so salvaging twice adds nothing); each such
    (old id, new id) is added to `renamed`.

    Linear in the size of the file: one regex scan finds each object shaped like a session
    (deeper nesting is never tried, so no recursion), and only those naming started_at are
    parsed. Trying json at every "{" instead cost a traceback's line count each time: 1 MB
    of random bytes took 1.1 s, 2 MB 3.2 s, and 50 MB did not finish (issue 12).
    """
    return _sessions_in(_salvage_text(raw), renamed)


def _sessions_in(text: str, renamed: list[tuple[str, str]] | None) -> list[SessionRecord]:
    found: dict[str, SessionRecord] = {}
    seen: ExerciseCache = {}
    search = _SESSION_SHAPED.search
    at = 0
    while (match := search(text, at)) is not None:
        candidate = match.group()
        if '"started_at"' not in candidate:
            at = match.end()  # nothing inside it names started_at either
            continue
        try:
            record = from_json(json.loads(candidate), seen)
        except (ValueError, RecursionError):  # RecordError, bad JSON, an overlong integer
            at = match.start() + 1  # a session may still be inside (a torn outer object)
            continue
        try:
            repeat = _is_repeat(found, record)
        except RecordError:
            old_id, record = record.id, _with_own_id(record)
            try:
                repeat = _is_repeat(found, record)
            except RecordError:  # two digests alike: far less likely than a disk error
                continue
            if not repeat and renamed is not None:
                renamed.append((old_id, record.id))
        if not repeat:
            found[record.id] = record
        at = match.end()
    return sorted(found.values(), key=lambda r: r.started_at)


_FLAT = re.compile(_FLAT_OBJECT)


def salvage_marks(raw: bytes) -> list[DayMark]:
    """Every complete, valid day mark that can be found in a damaged file, one per date
    (the newer, as an import keeps); a mark whose id an earlier one has is left out.

    Linear like `salvage`: a mark is a flat object, and only those naming `kind` and
    `created_at` are parsed.
    """
    return _marks_in(_flat_facts(_salvage_text(raw)))


def _marks_in(flat: list[str]) -> list[DayMark]:
    from hipmob_tui.history.versions import fact_rank

    by_id: dict[str, DayMark] = {}
    for candidate in flat:
        if '"kind"' not in candidate or '"created_at"' not in candidate:
            continue
        try:
            mark = mark_from_json(json.loads(candidate))
        except (ValueError, RecursionError):
            continue
        by_id.setdefault(mark.id, mark)
    by_date: dict[object, DayMark] = {}
    for mark in by_id.values():
        other = by_date.get(mark.date)
        if other is None or fact_rank(other) < fact_rank(mark):
            by_date[mark.date] = mark
    return sorted(by_date.values(), key=lambda m: m.date)


def salvage_check_results(raw: bytes) -> list[CheckResult]:
    """Every complete, valid check result that can be found in a damaged file (oldest
    first); of two versions of one result, the newer (as an import keeps).

    Linear like `salvage_marks`: a result is a flat object, and only those naming
    `check_id` and `value` are parsed.
    """
    return _check_results_in(_flat_facts(_salvage_text(raw)))


def _check_results_in(flat: list[str]) -> list[CheckResult]:
    found = _facts_in(flat, ('"check_id"', '"value"'), check_result_from_json)
    return sorted(found, key=lambda r: (r.at, r.id))


def salvage_plan_facts(raw: bytes) -> list[PlanFact]:
    """Every complete, valid plan fact in a damaged file, as `salvage_check_results`."""
    return _plan_facts_in(_flat_facts(_salvage_text(raw)))


def _plan_facts_in(flat: list[str]) -> list[PlanFact]:
    found = _facts_in(flat, ('"program_id"', '"stage"'), plan_fact_from_json)
    return sorted(found, key=lambda fact: fact.order)


def salvage_mark_removals(raw: bytes) -> list[MarkTombstone]:
    """Every complete, valid removal of a day mark in a damaged file, so that recovering
    it does not bring removed marks back; of two removals of one date, the newer."""
    return _mark_removals_in(_flat_facts(_salvage_text(raw)))


def _mark_removals_in(flat: list[str]) -> list[MarkTombstone]:
    from hipmob_tui.history.versions import day_rank

    by_date: dict[object, MarkTombstone] = {}
    for candidate in flat:
        if '"deleted_at"' not in candidate or '"date"' not in candidate:
            continue
        try:
            removal = mark_tombstone_from_json(json.loads(candidate))
        except (ValueError, RecursionError):
            continue
        other = by_date.get(removal.date)
        if other is None or day_rank(other) < day_rank(removal):
            by_date[removal.date] = removal
    return sorted(by_date.values(), key=lambda removal: removal.date)


def salvage_tombstones(raw: bytes) -> list[Tombstone]:
    """Every complete, valid tombstone in a damaged file, so that recovering it does not
    bring deleted sessions back; of two versions of one id, the newer."""
    return _tombstones_in(_flat_facts(_salvage_text(raw)))


def _tombstones_in(flat: list[str]) -> list[Tombstone]:
    found = _facts_in(flat, ('"deleted_at"', '"device"'), tombstone_from_json, lambda t: t.version)
    return sorted(found, key=lambda t: t.version)


def _facts_in(
    flat: list[str],
    names: tuple[str, str],
    read: Callable[[object], _Fact],
    newness: Callable[[_Fact], Any] | None = None,
) -> list[_Fact]:
    """The flat objects naming both `names` that `read` takes; of two versions of one id,
    the newer (by `newness`; by default, as a merge keeps it)."""
    from hipmob_tui.history.versions import fact_rank

    rank: Callable[[Any], Any] = newness or fact_rank
    by_id: dict[str, _Fact] = {}
    for candidate in flat:
        if names[0] not in candidate or names[1] not in candidate:
            continue
        try:
            fact = read(json.loads(candidate))
        except (ValueError, RecursionError):
            continue
        other = by_id.get(fact.id)
        if other is None or rank(other) < rank(fact):
            by_id[fact.id] = fact
    return list(by_id.values())


def _with_own_id(record: SessionRecord) -> SessionRecord:
    """`record` under an id of its own: its id, "-copy-" and a digest of its content."""
    content = json.dumps(record.to_row(), sort_keys=True, ensure_ascii=False).encode()
    suffix = "-copy-" + digest_of(content).hex()[:8]
    return record.with_changes(id=record.id[: 64 - len(suffix)] + suffix)


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
            if parse_document(fileio.read_own_file(backup), backup).get(SESSIONS):
                return True
    return False
