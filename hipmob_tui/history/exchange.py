"""An export read back: what `hipmob import` and `hipmob sync` take in, every record checked
before anything is written, each problem named in words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hipmob_tui.errors import HipmobError
from hipmob_tui.history.store import EXPORT_VERSION, Facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

MAX_IMPORT_BYTES = 64_000_000
"""The largest export read: about 35 years of daily sessions; a hostile or mistaken input
beyond it is refused before it is parsed."""


_VERSION_TEXT = re.compile(r"[0-9A-Za-z.+-]{1,40}")


class NotAnExport(HipmobError):
    """Input that is no export this hipmob reads; `reason` says why in a few words."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class NewerExport(NotAnExport):
    """An export in a format newer than this hipmob reads (`version`)."""

    def __init__(self, message: str, reason: str, version: int) -> None:
        super().__init__(message, reason)
        self.version = version


class ExportProblems(NotAnExport):
    """Records of an export that cannot be read: `lines` names each, the message sums up."""

    def __init__(self, message: str, reason: str, lines: list[str]) -> None:
        super().__init__(message, reason)
        self.lines = lines


@dataclass(frozen=True)
class Export:
    """An export document, checked."""

    facts: Facts
    version: int | None
    """The export format's version (`store.EXPORT_VERSION` today); None in very old ones."""
    hipmob: str | None
    """The version of the hipmob that wrote it; None before exports said."""


def read_export(raw: bytes, source: str) -> Export:
    """The export in `raw` (from `source`, as messages name it), every record checked;
    HipmobError (ExportProblems for bad records) when it is not one this hipmob reads."""
    from hipmob_tui.history.fileformat import JsonProblem, load_json
    from hipmob_tui.history.records import (
        ExerciseCache,
        RecordError,
        check_result_from_json,
        from_json,
        mark_from_json,
        mark_tombstone_from_json,
        plan_fact_from_json,
        tombstone_from_json,
    )

    if len(raw) > MAX_IMPORT_BYTES:
        raise NotAnExport(
            f"{source} is larger than {MAX_IMPORT_BYTES:,} bytes; is it an export?",
            f"larger than {MAX_IMPORT_BYTES:,} bytes",
        )
    try:
        document = load_json(raw)
    except JsonProblem as unreadable:
        raise NotAnExport(
            f"{source} cannot be read as an export ({unreadable.reason}); use a file made by "
            "'hipmob export'",
            unreadable.reason,
        ) from None
    rows = document.get("sessions") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise NotAnExport(
            f"{source} has no 'sessions' list; use a file made by 'hipmob export'",
            "it has no 'sessions' list",
        )
    version = document.get("version") if isinstance(document, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > EXPORT_VERSION:
        raise NewerExport(
            f"{source} was written by a newer hipmob (export version {version}; this one reads "
            f"up to {EXPORT_VERSION}); upgrade hipmob to import it",
            f"export version {version}",
            version,
        )
    writer = document.get("hipmob") if isinstance(document, dict) else None
    if not (isinstance(writer, str) and _VERSION_TEXT.fullmatch(writer)):
        writer = None  # shown in messages: never a stranger's text
    seen: ExerciseCache = {}  # ten years repeat a few dozen exercise entries: check each once

    readers: dict[str, tuple[Callable[[object], Any], str]] = {
        "sessions": (lambda row: from_json(row, seen), "session"),
        "marks": (mark_from_json, "mark"),
        "checks": (check_result_from_json, "check result"),
        "plan": (plan_fact_from_json, "plan fact"),
        "deleted": (tombstone_from_json, "deleted session"),
        "deleted_marks": (mark_tombstone_from_json, "deleted mark"),
    }
    # Exports made before a table existed do not have it: they import as ever.
    tables: dict[str, list[Any]] = {"sessions": rows}
    for name in readers:
        if name != "sessions":
            tables[name] = document.get(name, []) if isinstance(document, dict) else []
        if not isinstance(tables[name], list):
            raise NotAnExport(
                f"{source}: '{name}' must be a list; use a file made by 'hipmob export'",
                f"its '{name}' is not a list",
            )
    problems: list[str] = []
    bad: list[str] = []
    read: dict[str, list[Any]] = {name: [] for name in readers}
    for name, (reader, noun) in readers.items():
        before = len(problems)
        for number, row in enumerate(tables[name], start=1):
            try:
                read[name].append(reader(row))
            except RecordError as error:
                problems.append(f"{source}: {noun} {number}: {error}")
        if len(problems) > before:
            bad.append(_plural(len(problems) - before, noun))
    if problems:
        invalid = f"{' and '.join(bad)} {'is' if len(problems) == 1 else 'are'} invalid"
        raise ExportProblems(
            f"nothing imported: {invalid} (listed above)", f"{invalid}: {problems[0]}", problems
        )
    facts = Facts(
        read["sessions"],
        read["marks"],
        read["checks"],
        read["plan"],
        read["deleted"],
        read["deleted_marks"],
    )
    return Export(
        facts,
        version if isinstance(version, int) and not isinstance(version, bool) else None,
        writer,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
