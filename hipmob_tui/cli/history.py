"""The history commands: streak, history, log, export, import, doctor. No UI imports here."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from hipmob_tui.cli.output import plural, say_kept_aside
from hipmob_tui.errors import HipmobError

TYPE_CHECKING = False  # typing costs the fast commands ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from typing import Any

    from hipmob_tui.paths import Paths


def no_history(db: Path) -> str:
    """What read-only commands say before the first session."""
    return f"no history yet at {db}"


def streak(
    where: Paths, *, as_json: bool, short: bool, explain: bool = False, days_shown: int = 14
) -> int:
    """Print the streak (or, with `explain`, the last days and what each did to it); reads
    only the small per-day summary, marks included."""
    from hipmob_tui.history import streaks
    from hipmob_tui.history.store import Store
    from hipmob_tui.settings import settings_or_defaults

    settings = settings_or_defaults(where.settings)
    limit = settings.max_rest_days_per_week
    days = Store(where.db).days()
    today = date.today()
    figures = streaks.streak_of_ordinals(
        days.completed if days else (),
        today,
        settings.weekly_goal,
        days.mark_kinds() if days else None,
        limit,
    )
    if explain:
        from hipmob_tui.cli.marks import explain as explain_days

        if days is None and not as_json:
            print(no_history(where.db))
            return 0
        return explain_days(
            where, days, figures, today=today, count=days_shown, limit=limit, as_json=as_json
        )
    if as_json:
        print(json.dumps({**figures.to_json(), "path": str(where.db)}))
    elif short:
        print(f"{figures.current}d")
    elif days is None:
        print(no_history(where.db))
    else:
        frozen = f" ({plural(figures.frozen, 'day')} frozen)" if figures.frozen else ""
        print(f"Streak      {plural(figures.current, 'day')} (longest {figures.longest}){frozen}")
        print(f"This week   {figures.week_text}", end="")
        print(f" · {plural(figures.weeks_streak, 'good week')} in a row")
        last = figures.last_date.isoformat() if figures.last_date else "none completed yet"
        print(f"Last        {last}")
    return 0


_COLUMNS = (
    "id",
    "date",
    "started_at",
    "ended_at",
    "routine_id",
    "routine_name",
    "status",
    "planned_seconds",
    "active_seconds",
    "pain_before",
    "pain_after",
    "notes",
)


def history(where: Paths, *, since: date | None, output: str) -> int:
    """Print sessions, newest first in every format."""
    from hipmob_tui.history.store import Store

    store = Store(where.db)
    if not store.exists():
        if output == "json":
            print(json.dumps({"path": str(where.db), "sessions": [], "marks": []}))
        else:
            print(no_history(where.db), file=sys.stderr if output == "csv" else sys.stdout)
        return 0
    sessions, marks, _stamp = store.history()
    chosen = [r for r in reversed(sessions) if since is None or r.date >= since]
    marked = [m for m in reversed(marks) if since is None or m.date >= since]
    if output == "json":
        document = {
            "path": str(where.db),
            "sessions": [r.to_json() for r in chosen],
            "marks": [m.to_json() for m in marked],
        }
        print(json.dumps(document, ensure_ascii=False))
    elif output == "csv":
        import csv

        from hipmob_tui.history.records import SessionRecord

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(_COLUMNS)
        for item in _with_marks(chosen, marked):
            if isinstance(item, SessionRecord):
                row = item.to_json()
                writer.writerow(["" if row[c] is None else row[c] for c in _COLUMNS])
            else:  # a marked day: a row of its own, as in the table
                shown = {"id": item.id, "date": item.date.isoformat(), "notes": item.note}
                shown |= {"routine_name": f"{item.kind} day", "status": "marked"}
                writer.writerow([shown.get(c, "") for c in _COLUMNS])
    else:
        _history_table(chosen, marked)
    return 0


def _with_marks(records: Sequence[Any], marks: Sequence[Any]) -> list[Any]:
    """Sessions and marks newest first (both given so); a mark comes above its day's sessions."""
    pending = list(marks)
    merged: list[Any] = []
    for record in records:
        while pending and pending[0].date >= record.date:
            merged.append(pending.pop(0))
        merged.append(record)
    return merged + pending


def _history_table(records: Sequence[Any], marks: Sequence[Any] = ()) -> None:
    """Sessions newest first; a marked day is a line of its own, above that day's sessions."""
    from hipmob_tui.cli.output import print_table
    from hipmob_tui.history.records import NO_SCORE, SessionRecord

    def cut(text: str) -> str:
        text = text.replace("\n", " ")
        return text[:40] + ("…" if len(text) > 40 else "")

    rows: list[tuple[str, ...]] = []
    for item in _with_marks(records, marks):
        if not isinstance(item, SessionRecord):
            day = item.date.isoformat()
            rows.append((day, "", f"{item.kind} day", "marked", "", "", cut(item.note)))
            continue
        rows.append(
            (
                item.date.isoformat(),
                item.started_at.strftime("%H:%M"),
                item.routine_name,
                item.status,
                item.minutes_text,
                item.pain_change or NO_SCORE,
                cut(item.notes),
            )
        )
    print_table(("DATE", "TIME", "ROUTINE", "STATUS", "MIN", "PAIN", "NOTES"), rows)


def log(
    where: Paths,
    routine_id: str,
    *,
    day: date | None,
    minutes: int | None,
    pain_before: int | None,
    pain_after: int | None,
    note: str,
) -> int:
    """Record a session done away from the app."""
    from hipmob_tui.cli.catalog import load_catalog_for, no_routine
    from hipmob_tui.content.models import format_duration
    from hipmob_tui.history.records import RecordError
    from hipmob_tui.history.store import Store
    from hipmob_tui.history.view import logged_by_hand

    catalog = load_catalog_for(where)
    routine = catalog.routines.get(routine_id)
    if routine is None:
        raise no_routine(routine_id, catalog)
    now = datetime.now().astimezone()
    try:
        record = logged_by_hand(
            routine,
            {key: exercise.name for key, exercise in catalog.exercises.items()},
            day=day or now.date(),
            minutes=minutes,
            pain_before=pain_before,
            pain_after=pain_after,
            notes=note,
            now=now,
        )
    except (RecordError, ValueError) as error:
        raise HipmobError(f"cannot log this session: {error}") from None
    change = Store(where.db).add(record)
    say_kept_aside(change.kept_aside)
    done = format_duration(record.active_seconds)  # "30 s" for a short routine, not "0 min"
    print(f"Logged {routine.name} on {record.date} ({done}) to {where.db}")
    return 0


def export(where: Paths, target: str) -> int:
    """Write every session to a JSON file (or - for standard output), one at a time."""
    from hipmob_tui.fileio import atomic_stream
    from hipmob_tui.history.store import Store

    store = Store(where.db)
    if not store.exists():
        # Like the other read-only commands: say so, create nothing, exit 0. Standard output
        # still gets an empty export, so `hipmob export - > backup.json` is a valid file.
        print(f"{no_history(where.db)}; nothing to export", file=sys.stderr)
        if target != "-":
            return 0
    if target == "-":
        store.export(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        with atomic_stream(Path(target)) as out:
            count, marks, checks, plans = store.export(out)
        more = [plural(marks, "day mark")] if marks else []
        more += [plural(checks, "check result")] if checks else []
        more += [plural(plans, "plan fact")] if plans else []
        also = "".join(f", {each}" for each in more[:-1])
        also += f" and {more[-1]}" if more else ""
        print(f"Exported {plural(count, 'session')}{also} to {target}")
    return 0


def import_(where: Paths, target: str, *, dry_run: bool = False) -> int:
    """Merge an export (or - for standard input) by the rule of `history.versions`: per id
    the newest version stays, so importing twice adds nothing, edits and deletions carry."""
    from hipmob_tui.history.exchange import MAX_IMPORT_BYTES, ExportProblems, read_export
    from hipmob_tui.history.store import Store
    from hipmob_tui.history.versions import VersionConflict

    source = "standard input" if target == "-" else target
    if target == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise HipmobError(
                "'import -' reads an export from standard input; pipe one in, "
                "e.g. hipmob export - | ssh HOST hipmob import -"
            )
        raw = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    else:
        try:
            with Path(target).open("rb") as stream:
                raw = stream.read(MAX_IMPORT_BYTES + 1)
        except OSError as error:
            raise HipmobError(f"cannot read {target}: {error.strerror}") from None
    try:
        facts = read_export(raw, source).facts
    except ExportProblems as problems:
        for line in problems.lines:
            print(line, file=sys.stderr)
        raise
    try:
        change = Store(where.db).merge(
            facts.sessions,
            facts.marks,
            facts.checks,
            facts.plans,
            facts.deleted,
            facts.deleted_marks,
            dry_run=dry_run,
        )
    except VersionConflict as conflict:
        raise HipmobError(f"nothing imported from {source}: {conflict}") from None
    say_kept_aside(change.kept_aside)
    done = "Would import" if dry_run else "Imported"
    line = f"{done} into {where.db}: {merge_counts(change)}"
    for given, changed, noun in (
        (facts.marks, change.marks, "day mark"),
        (facts.checks, change.checks, "check result"),
        (facts.plans, change.plans, "plan fact"),
    ):
        if given:
            present = len(given) - changed
            line += f"; {plural(changed, noun)} new or newer ({present} already present)"
    if change.marks_removed:
        line += f"; {plural(change.marks_removed, 'day mark')} removed"
    print(line + (" (a dry run: nothing written)" if dry_run else ""))
    return 0


def merge_counts(change: Any) -> str:
    """What a merge did to the sessions, as import and sync say it."""
    return (
        f"{change.changed} new, {change.updated} updated, {change.deleted} deleted, "
        f"{change.unchanged} unchanged"
    )


_RENAMES_LISTED = 10
"""Sessions kept under a new id that doctor names one by one; the rest are counted."""


def doctor(where: Paths) -> int:
    """Report the history file's health; keep damaged files aside and salvage their sessions."""
    from hipmob_tui.fileio import os_reason
    from hipmob_tui.history.store import Store

    store = Store(where.db)
    print(f"database    {where.db}")
    stale = store.clean_temp_files()
    health = store.check()
    if not where.db.exists():
        print(f"state       {no_history(where.db)}")
    elif health.problem is None:
        print(f"state       ok: {plural(health.sessions or 0, 'session')}, schema {health.schema}")
        if health.repeats:
            store.remove_repeats()
            print(
                f"repeats     removed {plural(health.repeats, 'row')} that repeated a session "
                "exactly (a copy or a merge by hand); each session is kept once"
            )
    else:
        print(f"state       damaged: {health.problem}")
    healthy = health.problem is None
    if not healthy and where.db.is_dir():
        raise HipmobError(
            f"{where.db} is a directory; move it away, then run 'hipmob doctor' again"
        )
    if not healthy:
        print(f"kept aside  {store.keep_aside()}")
    recovered = 0
    for copy in store.damaged_copies():
        try:
            found, renamed, change = store.salvage(copy)
        except OSError as error:
            print(f"skipped     {copy}: {os_reason(error, copy)}")
            continue
        recovered += change.changed
        print(
            f"salvaged    {plural(found, 'readable session')} from {copy} "
            f"({change.changed} {'was' if change.changed == 1 else 'were'} missing)"
        )
        if change.marks:
            print(f"marks       {plural(change.marks, 'day mark')} recovered from {copy}")
        if change.checks:
            print(f"checks      {plural(change.checks, 'check result')} recovered from {copy}")
        if change.plans:
            print(f"plan        {plural(change.plans, 'plan fact')} recovered from {copy}")
        for old_id, new_id in renamed[:_RENAMES_LISTED]:
            print(f"new id      {old_id} was the id of two different sessions; one is now {new_id}")
        if len(renamed) > _RENAMES_LISTED:
            print(f"new ids     and {len(renamed) - _RENAMES_LISTED} more like these")
    if stale:
        names = ", ".join(p.name for p in stale)
        print(f"temp files  removed {len(stale)} left by interrupted writes: {names}")
    backups = store.backups()
    print(f"backups     {len(backups)}" + (f", newest {backups[-1].name}" if backups else ""))
    if not healthy:
        print(
            f"repaired    {where.db} holds every session that could be read ({recovered} recovered)"
        )
    return 0
