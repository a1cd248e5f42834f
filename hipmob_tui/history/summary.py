"""The per-day summary kept beside the database, so `hipmob streak` never parses history.

It carries the day marks too (rest, flare, away), which the streak rule reads.

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

`hipmob today` reads it too: when each routine was last done, and the latest session's
routine and pain scores (a few dozen bytes, whatever the length of the history).

Dates are kept as ordinals (`date.toordinal()`): at 100 years, reading 36,500 of them
takes 2.6 ms, against 5.5 ms for ISO strings and `date.fromisoformat` (best of 20).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path

from hipmob_tui import fileio

TYPE_CHECKING = False  # typing costs `hipmob streak` ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from typing import Any

    from hipmob_tui.history.records import DayMark, PlanFact, SessionRecord

_VERSION = 5
"""Version 1 kept ISO dates and no ctime, version 2 no tallies or marks, version 3 no
routines last done, version 4 no plan facts: such a file is stale, and rebuilt once."""

_KINDS = ("rest", "flare", "away")

Counts = tuple[int, int]
"""Sessions on a day, and how many of them were completed."""

PlanRow = tuple[int, "str | None", int, str, str]
"""A plan fact as the summary keeps it: the ordinal of its date, the program id (None:
stopped), the stage, when it was set (ISO) and its id. `hipmob today` reads them to know
whether a program is followed at all (a few bytes; the stage needs the whole history)."""

LogRow = tuple[int, int, str, bool, "int | None"]
"""A session as the plan replays it: when it started (seconds since the epoch), the ordinal
of its local date, its routine id, whether it was completed, and its pain before. Kept
only from the earliest plan fact's date on, so a person who follows no program (or
followed one for a month) does not pay for it."""

Latest = tuple[int, str, "int | None", "int | None"]
"""The latest session: when it started (seconds since the epoch), its routine id, and its
pain scores before and after (None when not scored)."""


class DaySummary:
    """What `streak` needs: the days with a completed session, the marked days, and totals.

    `streak --explain` also says how many sessions each day had: `tallies` holds that for
    the days where it is not the usual one completed session, so a history of one session
    a day adds nothing to the file.
    """

    __slots__ = (
        "completed",
        "sessions",
        "active_seconds",
        "tallies",
        "marks",
        "last_done",
        "latest",
        "plans",
        "log",
    )

    def __init__(
        self,
        completed: Iterable[int],
        sessions: int,
        active_seconds: int,
        tallies: Mapping[int, Counts] | None = None,
        marks: Mapping[int, tuple[str, str]] | None = None,
        last_done: Mapping[str, int] | None = None,
        latest: Latest | None = None,
        plans: Iterable[PlanRow] = (),
        log: Iterable[LogRow] = (),
    ) -> None:
        self.completed: tuple[int, ...] = tuple(sorted(set(completed)))
        """The ordinals of the local dates with a completed session, each once, in order."""
        self.sessions = sessions
        self.active_seconds = active_seconds
        self.tallies: dict[int, Counts] = dict(tallies or {})
        """(sessions, completed) of each day that had other than one completed session."""
        self.marks: dict[int, tuple[str, str]] = dict(marks or {})
        """The marked days: ordinal -> (kind, note)."""
        self.last_done: dict[str, int] = dict(last_done or {})
        """routine id -> when its latest session (completed or partial) started, in seconds
        since the epoch."""
        self.latest: Latest | None = latest
        """The session that started last, with its pain scores; None before the first."""
        self.plans: tuple[PlanRow, ...] = tuple(sorted(plans, key=lambda row: row[3:]))
        """The plan facts, the one set last last."""
        self.log: tuple[LogRow, ...] = tuple(sorted(log, key=itemgetter(0)))
        """The sessions since the earliest plan fact's date, in start order."""

    def counts(self, day: int) -> Counts:
        """(sessions, completed sessions) on the day of ordinal `day`."""
        found = self.tallies.get(day)
        if found is not None:
            return found
        return (1, 1) if day in self.completed else (0, 0)

    def mark_kinds(self) -> dict[int, str]:
        """ordinal -> kind of every marked day, as the streak rule takes them."""
        return {day: kind for day, (kind, _note) in self.marks.items()}

    def plus(self, rows: Iterable[Mapping[str, Any]]) -> DaySummary:
        """This summary with `rows` (new sessions, as stored JSON) added."""
        more = of_rows(rows)
        days = set(more.completed) | set(more.tallies)
        counts = {day: _sum(self.counts(day), more.counts(day)) for day in days}
        last_done = dict(self.last_done)
        for routine_id, started in more.last_done.items():
            last_done[routine_id] = max(started, last_done.get(routine_id, started))
        latest = self.latest
        if more.latest is not None and (latest is None or more.latest[0] >= latest[0]):
            latest = more.latest
        since = _log_since(self.plans)
        log = self.log
        if since is not None:
            log += tuple(_log_of_rows(rows, since))
        return _of_counts(
            counts,
            self.sessions + more.sessions,
            self.active_seconds + more.active_seconds,
            self.marks,
            keep=self,
            last_done=last_done,
            latest=latest,
            plans=self.plans,
            log=log,
        )

    def with_marks(self, marks: Mapping[int, tuple[str, str]]) -> DaySummary:
        """This summary with its marks replaced by `marks`."""
        return DaySummary(
            self.completed,
            self.sessions,
            self.active_seconds,
            self.tallies,
            marks,
            self.last_done,
            self.latest,
            self.plans,
            self.log,
        )

    def following(self, day: int) -> tuple[str, int, int] | None:
        """The program followed on the day of ordinal `day`: its id, the ordinal of the day
        following began and the stage it began at; None when none is."""
        in_force = [row for row in self.plans if row[0] <= day]  # the one set last is last
        if not in_force:
            return None
        since, program_id, stage = in_force[-1][:3]
        return None if program_id is None else (program_id, since, stage)

    def plan_sessions(self) -> list[tuple[int, str, bool, int | None, int]]:
        """The sessions since the earliest plan fact, as `history/plan.py` replays them."""
        return [
            (day, routine_id, done, before, at) for at, day, routine_id, done, before in self.log
        ]

    def to_json(self) -> dict[str, object]:
        """What the summary file holds, without its key."""
        return {
            "completed": list(self.completed),
            "sessions": self.sessions,
            "active_seconds": self.active_seconds,
            "tallies": [[day, *counts] for day, counts in sorted(self.tallies.items())],
            "marks": [[day, *mark] for day, mark in sorted(self.marks.items())],
            "last_done": sorted(self.last_done.items()),
            "latest": list(self.latest) if self.latest else None,
            "plans": [list(row) for row in self.plans],
            "log": [list(row) for row in self.log],
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DaySummary) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]


def _sum(one: Counts, two: Counts) -> Counts:
    return (one[0] + two[0], one[1] + two[1])


def _of_counts(
    counts: Mapping[int, Counts],
    sessions: int,
    active_seconds: int,
    marks: Mapping[int, tuple[str, str]],
    keep: DaySummary | None = None,
    last_done: Mapping[str, int] | None = None,
    latest: Latest | None = None,
    plans: Iterable[PlanRow] = (),
    log: Iterable[LogRow] = (),
) -> DaySummary:
    """A summary from per-day counts; with `keep`, `counts` only changes the days it names."""
    completed = set(keep.completed) if keep else set()
    tallies = dict(keep.tallies) if keep else {}
    for day, (held, done) in counts.items():
        if done:
            completed.add(day)
        else:
            completed.discard(day)
        if (held, done) == (1, 1):
            tallies.pop(day, None)
        else:
            tallies[day] = (held, done)
    return DaySummary(
        completed, sessions, active_seconds, tallies, marks, last_done, latest, plans, log
    )


def _later(latest: Latest | None, started: int, routine_id: str, before: Any, after: Any) -> Latest:
    """The later of `latest` and the session given (the one given on a tie: it came later)."""
    if latest is not None and latest[0] > started:
        return latest
    return (started, routine_id, before, after)


def _row_day(row: Mapping[str, Any]) -> int:
    """The ordinal of a stored session's local date (`date`, else `started_at`'s)."""
    if "date" in row:
        return date.fromisoformat(row["date"]).toordinal()
    return datetime.fromisoformat(row["started_at"]).date().toordinal()


def marks_of_rows(rows: Iterable[Mapping[str, Any]]) -> dict[int, tuple[str, str]]:
    """The summary's marks of stored marks in their JSON shape (already checked)."""
    return {date.fromisoformat(row["date"]).toordinal(): (row["kind"], row["note"]) for row in rows}


def plans_of_rows(rows: Iterable[Mapping[str, Any]]) -> list[PlanRow]:
    """The summary's plan facts of stored facts in their JSON shape (already checked)."""
    return [
        (
            date.fromisoformat(row["date"]).toordinal(),
            row["program_id"],
            row["stage"],
            datetime.fromisoformat(row["updated_at"])
            .astimezone(UTC)
            .isoformat(timespec="microseconds"),
            row["id"],
        )
        for row in rows
    ]


def _log_since(plans: Iterable[PlanRow]) -> int | None:
    """The ordinal from which the log keeps sessions: the earliest plan fact's date."""
    return min((row[0] for row in plans), default=None)


def _log_of_rows(rows: Iterable[Mapping[str, Any]], since: int) -> list[LogRow]:
    """The log rows of stored sessions (JSON shape) from the day of ordinal `since` on."""
    found: list[LogRow] = []
    for row in rows:
        day = _row_day(row)
        if day >= since:
            started = int(datetime.fromisoformat(row["started_at"]).timestamp())
            done = row["status"] == "completed"
            found.append((started, day, row["routine_id"], done, row.get("pain_before")))
    return found


def of_rows(
    rows: Iterable[Mapping[str, Any]],
    mark_rows: Iterable[Mapping[str, Any]] = (),
    plan_rows: Iterable[Mapping[str, Any]] = (),
) -> DaySummary:
    """The summary of stored sessions (and marks, and plan facts) in their JSON shape
    (already checked)."""
    rows = list(rows)
    counts: dict[int, Counts] = {}
    sessions = active = 0
    days: list[int] = []
    newest: dict[str, int] = {}  # routine id -> its latest local date
    for row in rows:
        sessions += 1
        active += row["active_seconds"]
        day = _row_day(row)
        days.append(day)
        held, done = counts.get(day, (0, 0))
        counts[day] = (held + 1, done + (row["status"] == "completed"))
        routine_id = row["routine_id"]
        newest[routine_id] = max(day, newest.get(routine_id, day))
    # Only sessions near their routine's latest date can be its latest: local dates three
    # or more days apart are in the order of their instants (offsets differ by at most 26
    # hours), so parsing every start time (a third of the time at 100 years) is spared.
    last_done: dict[str, int] = {}
    latest: Latest | None = None
    latest_day = max(newest.values(), default=0)
    for row, day in zip(rows, days, strict=True):
        routine_id = row["routine_id"]
        if day < newest[routine_id] - _ZONE_DAYS:
            continue
        started = int(datetime.fromisoformat(row["started_at"]).timestamp())
        last_done[routine_id] = max(started, last_done.get(routine_id, started))
        if day >= latest_day - _ZONE_DAYS:
            latest = _later(
                latest, started, routine_id, row.get("pain_before"), row.get("pain_after")
            )
    plans = plans_of_rows(plan_rows)
    since = _log_since(plans)
    log = _log_of_rows(rows, since) if since is not None else []
    return _of_counts(
        counts, sessions, active, marks_of_rows(mark_rows), None, last_done, latest, plans, log
    )


_ZONE_DAYS = 2
"""Local dates closer than this many days may be in either order as instants."""


def of_records(
    records: Iterable[SessionRecord],
    marks: Iterable[DayMark] = (),
    plans: Iterable[PlanFact] = (),
) -> DaySummary:
    """The summary of session records, day marks and plan facts."""
    counts: dict[int, Counts] = {}
    sessions = active = 0
    last_done: dict[str, int] = {}
    latest: Latest | None = None
    for record in records:
        sessions += 1
        active += record.active_seconds
        day = record.date.toordinal()
        held, done = counts.get(day, (0, 0))
        counts[day] = (held + 1, done + record.completed)
        started = int(record.started_at.timestamp())
        routine_id = record.routine_id
        last_done[routine_id] = max(started, last_done.get(routine_id, started))
        latest = _later(latest, started, routine_id, record.pain_before, record.pain_after)
    found = {mark.date.toordinal(): (mark.kind, mark.note) for mark in marks}
    plan_rows = plans_of_rows(fact.to_json() for fact in plans)
    since = _log_since(plan_rows)
    log: list[LogRow] = []
    if since is not None:
        log = [
            (int(r.started_at.timestamp()), day, r.routine_id, r.completed, r.pain_before)
            for r in records
            if (day := r.date.toordinal()) >= since
        ]
    return _of_counts(counts, sessions, active, found, None, last_done, latest, plan_rows, log)


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
        tallies = {day: (held, done) for day, held, done in data["tallies"]}
        marks = {day: (kind, note) for day, kind, note in data["marks"]}
        if not all(type(n) is int for day, (h, d) in tallies.items() for n in (day, h, d)):
            return None
        if not all(
            type(day) is int and kind in _KINDS and type(note) is str
            for day, (kind, note) in marks.items()
        ):
            return None
        last_done = {routine_id: started for routine_id, started in data["last_done"]}
        if not all(type(k) is str and type(v) is int for k, v in last_done.items()):
            return None
        latest = _latest_of(data["latest"])
        plans = [tuple(row) for row in data["plans"]]
        if not all(_is_plan_row(row) for row in plans):
            return None
        # Unpacked and checked in one comprehension (a function call a row costs `streak`
        # a millisecond at ten years of following); a row of another length is a ValueError.
        log = [(at, day, routine, done, before) for at, day, routine, done, before in data["log"]]
        if not all(
            type(at) is int
            and type(day) is int
            and type(routine) is str
            and type(done) is bool
            and (before is None or type(before) is int)
            for at, day, routine, done, before in log
        ):
            return None
        return DaySummary(
            completed,
            int(data["sessions"]),
            int(data["active_seconds"]),
            tallies,
            marks,
            last_done,
            latest,
            plans,  # checked just above
            log,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _is_plan_row(row: tuple[object, ...]) -> bool:
    """A plan fact as the summary file holds it."""
    if len(row) != 5:
        return False
    day, program_id, stage, updated, identifier = row
    return (
        type(day) is int
        and (program_id is None or type(program_id) is str)
        and type(stage) is int
        and type(updated) is str
        and type(identifier) is str
    )


def _latest_of(value: object) -> Latest | None:
    """The latest session as the file holds it; ValueError when it is not one."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 4:
        raise ValueError("not a latest session")
    started, routine_id, before, after = value
    scores_ok = all(score is None or type(score) is int for score in (before, after))
    if type(started) is not int or type(routine_id) is not str or not scores_ok:
        raise ValueError("not a latest session")
    return (started, routine_id, before, after)


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
