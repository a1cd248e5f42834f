"""Session records: what was done, when, and how it felt; validated to and from JSON."""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from hipmob_tui.characters import find_control_character
from hipmob_tui.history.streaks import MARK_KINDS
from hipmob_tui.quick_pickle import quick_pickle

STATUSES = ("completed", "partial")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half a UTF-16 pair: JSON can write one ("\\ud800"), UTF-8 cannot store it."""
MAX_SECONDS = 24 * 60 * 60
"""No session lasts longer than a day: the limit of its planned and active seconds and of
each exercise's seconds, wherever a record comes from (the file, an import, a log)."""
MAX_SETS = 100_000
"""The largest number a routine file may hold, so the most sets a routine can plan."""
NO_SCORE = "–"
"""A pain score left blank, wherever scores are shown ("–→2", "6→–", "–")."""
SIDE_NOTES = ("left", "right", "even")
"""Which side of a per-side exercise felt tighter or more painful: left, right, or even."""
SIDE_WORDS = {"left": "left tighter", "right": "right tighter", "even": "even"}
"""A side note in words, wherever one is shown."""


class RecordError(ValueError):
    """A session record that does not have the documented shape."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class ExerciseDone:
    """One exercise of a session and how much of it was done."""

    id: str
    name: str
    phase: str
    sets_done: int
    sets_planned: int
    seconds: int
    side_note: str | None = None
    """One of SIDE_NOTES, or None: not noted (or not a per-side exercise)."""

    def to_json(self) -> dict[str, Any]:
        """The exercise entry of the session JSON shape."""
        return {**self.to_row(), "side_note": self.side_note}

    def to_row(self) -> dict[str, Any]:
        """The entry as the history file stores it: without a side note, no `side_note`.

        Most entries have none; writing null in each would add a sixth to a ten-year file
        and to every read of it. A missing `side_note` reads as null.
        """
        row: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "phase": self.phase,
            "sets_done": self.sets_done,
            "sets_planned": self.sets_planned,
            "seconds": self.seconds,
        }
        if self.side_note is not None:
            row["side_note"] = self.side_note
        return row


@quick_pickle
@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session, as stored and exported."""

    id: str
    routine_id: str
    routine_name: str
    started_at: datetime
    """Aware: the UTC instant and the offset in force where it was logged."""
    ended_at: datetime
    status: str
    planned_seconds: int
    active_seconds: int
    exercises: tuple[ExerciseDone, ...] = ()
    pain_before: int | None = None
    pain_after: int | None = None
    notes: str = ""
    updated_at: datetime | None = None
    """When this version was made (UTC); None: it is `ended_at`, the version of a session
    saved by a hipmob that kept none (an old file, an old export), or not stored yet."""
    device: str = ""
    """The history file that made this version (see `new_device_id`); "" for none."""
    date: date = field(init=False)
    """The local date on which the session started: the day it counts for."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", self.started_at.date())

    @property
    def completed(self) -> bool:
        """Whether the session counts toward streaks."""
        return self.status == "completed"

    @property
    def version(self) -> Version:
        """What merging compares: of two versions of one id, the greater stays."""
        return (self.updated_at or self.ended_at.astimezone(UTC), self.device)

    def with_version(self, updated_at: datetime, device: str) -> SessionRecord:
        """This session as the version (`updated_at`, `device`)."""
        return from_json({**self.to_json(), "updated_at": _utc_text(updated_at), "device": device})

    def same_content(self, other: SessionRecord) -> bool:
        """Whether `other` is this session, whatever the versions of the two."""
        return replace(self, updated_at=None, device="") == replace(
            other, updated_at=None, device=""
        )

    def to_json(self) -> dict[str, Any]:
        """The session object of the JSON interface, with its version."""
        shape = self._shape([exercise.to_json() for exercise in self.exercises])
        updated_at, device = self.version
        shape["updated_at"] = _utc_text(updated_at)
        shape["device"] = device
        return shape

    def to_row(self) -> dict[str, Any]:
        """The session as the history file stores it (see `ExerciseDone.to_row`); the
        version only when it is not `ended_at`'s (a row from before versions reads so)."""
        row = self._shape([exercise.to_row() for exercise in self.exercises])
        if self.updated_at is not None:
            row["updated_at"] = _utc_text(self.updated_at)
        if self.device:
            row["device"] = self.device
        return row

    def _shape(self, exercises: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": self.id,
            "routine_id": self.routine_id,
            "routine_name": self.routine_name,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "ended_at": self.ended_at.isoformat(timespec="seconds"),
            "date": self.date.isoformat(),
            "status": self.status,
            "planned_seconds": self.planned_seconds,
            "active_seconds": self.active_seconds,
            "exercises": exercises,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "notes": self.notes,
        }

    @property
    def minutes_text(self) -> str:
        """Active minutes as tables show them: "<1" for under a minute, never a bare 0."""
        if self.active_seconds < 60:
            return "<1" if self.active_seconds else "0"
        return str(round(self.active_seconds / 60))

    @property
    def pain_change(self) -> str:
        """Pain before → after as tables show it ("6→3", "–→2"); "" when neither was scored."""
        if self.pain_before is None and self.pain_after is None:
            return ""

        def score(value: int | None) -> str:
            return NO_SCORE if value is None else str(value)

        return f"{score(self.pain_before)}→{score(self.pain_after)}"

    def with_changes(self, **changes: Any) -> SessionRecord:
        """A copy with some fields changed (and checked)."""
        return from_json(replace(self, **changes).to_json())

    def with_side_note(self, index: int, side_note: str | None) -> SessionRecord:
        """A copy whose `index`th exercise has `side_note` (None: no note)."""
        exercises = list(self.exercises)
        exercises[index] = replace(exercises[index], side_note=side_note)
        return self.with_changes(exercises=tuple(exercises))


Version = tuple[datetime, str]
"""(`updated_at` in UTC, `device`): of two versions of one id, the greater stays."""

_DEVICE = re.compile(r"[A-Za-z0-9._-]{0,64}")


def new_device_id() -> str:
    """A history file's own id, made once: it tells apart versions made at the same
    microsecond in two files (and which file made a version)."""
    import secrets

    return secrets.token_hex(8)


def _utc_text(when: datetime) -> str:
    """`when` in UTC, ISO 8601 with microseconds: one width, so the texts sort as times."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def version_key(version: Version) -> str:
    """A version as one text that sorts as the version does (see `fileformat.Written`)."""
    return f"{_utc_text(version[0])} {version[1]}"


def next_version(now: datetime, device: str, *after: Version) -> Version:
    """The version an edit or a deletion made at `now` in the file `device` takes: later
    than each of `after` (the version it replaces) even when this machine's clock is
    behind the one that made that, so the change always wins a merge against it."""
    from datetime import timedelta

    when = now.astimezone(UTC)
    for version in after:
        when = max(when, version[0].astimezone(UTC) + timedelta(microseconds=1))
    return (when, device)


def new_session_id(started: datetime) -> str:
    """A unique, sortable id: the UTC start time and a random suffix."""
    import secrets

    return f"{started.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


ExerciseCache = dict[tuple[object, ...], "ExerciseDone | tuple[ExerciseDone, ...]"]
"""Exercise entries already checked, by their exact values: ten years repeat a few dozen.

Turning a parsed ten-year file into records takes 139 ms with it and 224 ms without,
parse included (1.36 s and 2.78 s at 100 years): the entries are most of a session."""


def from_json(data: object, seen: ExerciseCache | None = None) -> SessionRecord:
    """A record from its JSON shape; RecordError names the first field that is wrong.

    Pass the same `seen` when converting many records: identical exercise entries are
    then checked once and shared, which saves most of the time and memory of a big file.
    """
    if not isinstance(data, dict):
        raise RecordError("a session must be a JSON object")
    started = _instant(data, "started_at")
    ended = _instant(data, "ended_at")
    if ended < started:
        raise RecordError("ended_at is before started_at")
    status = _name(data, "status")
    if status not in STATUSES:
        raise RecordError(f"status must be completed or partial, not {status!r}")
    identifier = _text(data, "id")
    if not _ID.fullmatch(identifier):
        raise RecordError(f"id {identifier!r} is not a valid session id")
    record = SessionRecord(
        id=identifier,
        routine_id=_name(data, "routine_id"),
        routine_name=_name(data, "routine_name"),
        started_at=started,
        ended_at=ended,
        status=status,
        planned_seconds=_count(data, "planned_seconds", MAX_SECONDS),
        active_seconds=_count(data, "active_seconds", MAX_SECONDS),
        exercises=_exercises(data, seen),
        pain_before=_pain(data, "pain_before"),
        pain_after=_pain(data, "pain_after"),
        notes=_text(data, "notes", allow_empty=True),
    )
    if "date" in data and data["date"] != record.date.isoformat():
        raise RecordError("date does not match the local date of started_at")
    updated_at, device = _version(data)
    if device or (updated_at is not None and updated_at != ended.astimezone(UTC)):
        # A version equal to ended_at's is no version at all: one record for both.
        record = replace(record, updated_at=updated_at, device=device)
    return record


def _version(data: dict[str, Any]) -> tuple[datetime | None, str]:
    """The `updated_at` (UTC) and `device` of a record's JSON; (None, "") where absent."""
    updated_at = None
    if data.get("updated_at") is not None:
        updated_at = _instant(data, "updated_at").astimezone(UTC)
    device = data.get("device", "")
    return updated_at, _device("" if device is None else device)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Tombstone:
    """What a deleted session leaves: its id and the version of the deletion, so that a
    merge removes the session everywhere instead of bringing it back."""

    id: str
    deleted_at: datetime
    """UTC: when the session was deleted (later than its last version)."""
    device: str

    @property
    def version(self) -> Version:
        """A deletion is a version like any other: a later edit brings the session back."""
        return (self.deleted_at, self.device)

    def to_json(self) -> dict[str, Any]:
        """The tombstone object of the JSON interface."""
        return {"id": self.id, "deleted_at": _utc_text(self.deleted_at), "device": self.device}


_TOMBSTONE_KEYS = frozenset({"id", "deleted_at", "device"})


def _fields(
    data: object,
    noun: str,
    keys: frozenset[str],
    *,
    all_required: bool = True,
    optional: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """`data`, once it is an object with no unknown field (nor, `all_required`, a missing
    one but those `optional`); RecordError says what is wrong, naming it as `noun` does."""
    if not isinstance(data, dict):
        raise RecordError(f"{noun} must be a JSON object")
    unknown = set(data) - keys
    if unknown:
        raise RecordError(f"{noun} has no field {sorted(unknown)[0]!r}")
    missing = keys - optional - set(data) if all_required else set()
    if missing:
        raise RecordError(f"{noun} needs the field {sorted(missing)[0]!r}")
    return data


def _fact(
    data: object,
    noun: str,
    keys: frozenset[str],
    id_noun: str,
    *,
    all_required: bool = True,
    optional: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], str]:
    """The object of a fact kept by id (a tombstone, mark, check result or plan fact) and
    its id, once it is an object with no unknown field (nor, `all_required`, a missing one
    but those `optional`) and a valid id; RecordError says what is wrong, naming the fact
    as `noun` does."""
    data = _fields(data, noun, keys, all_required=all_required, optional=optional)
    identifier = _text(data, "id")
    if not _ID.fullmatch(identifier):
        raise RecordError(f"id {identifier!r} is not a valid {id_noun}")
    return data, identifier


def tombstone_from_json(data: object) -> Tombstone:
    """A tombstone from its JSON shape; RecordError names the first field that is wrong."""
    data, identifier = _fact(data, "a deleted session", _TOMBSTONE_KEYS, "session id")
    return Tombstone(identifier, *_deletion(data))


def _deletion(data: dict[str, Any]) -> tuple[datetime, str]:
    """The version of a deletion (a session's or a day mark's): `deleted_at` in UTC and
    the `device` that deleted."""
    return _instant(data, "deleted_at").astimezone(UTC), _device(data["device"])


def _device(device: object) -> str:
    """A device id as every record keeps it (one shared copy in memory)."""
    if not isinstance(device, str) or not _DEVICE.fullmatch(device):
        raise RecordError(f"device {device!r} is not a valid device id")
    return sys.intern(device)


def _exercises(data: dict[str, Any], seen: ExerciseCache | None) -> tuple[ExerciseDone, ...]:
    """A session's exercises; sessions that did the same, to the second, share one tuple."""
    done = tuple(_exercise(item, seen) for item in _list(data, "exercises"))
    if seen is None:
        return done
    # The entries are shared already (`seen`), so the same entries are the same objects.
    shared = seen.setdefault((_SAME_EXERCISES, *map(id, done)), done)
    return shared if isinstance(shared, tuple) else done


_SAME_EXERCISES = object()
"""Marks a key of `seen` that stands for a whole tuple of exercises, not one entry."""


def _exercise(data: object, seen: ExerciseCache | None) -> ExerciseDone:
    if not isinstance(data, dict):
        raise RecordError("each exercise must be a JSON object")
    get = data.get
    key: tuple[object, ...] = (get("id"), get("name"), get("phase"))
    key += (get("sets_done"), get("sets_planned"), get("seconds"), get("side_note"), len(data))
    # Exact types only: True == 1 and 1.0 == 1 hash alike, and neither is a valid count;
    # a list or object would not hash at all.
    exact = (
        type(key[0]) is str
        and type(key[1]) is str
        and type(key[2]) is str
        and type(key[3]) is int
        and type(key[4]) is int
        and type(key[5]) is int
        and (key[6] is None or type(key[6]) is str)
    )
    if seen is not None and exact:
        hit = seen.get(key)
        if isinstance(hit, ExerciseDone):
            return hit
    done = ExerciseDone(
        id=_name(data, "id"),
        name=_name(data, "name"),
        phase=_name(data, "phase"),
        sets_done=_count(data, "sets_done", MAX_SETS),
        sets_planned=_count(data, "sets_planned", MAX_SETS),
        seconds=_count(data, "seconds", MAX_SECONDS),
        side_note=_side_note(data),
    )
    if seen is not None and exact:
        seen[key] = done
    return done


def _text(data: dict[str, Any], key: str, *, allow_empty: bool = False) -> str:
    value = data.get(key, "" if allow_empty else None)
    if not isinstance(value, str) or (not value and not allow_empty):
        raise RecordError(f"{key} must be text")
    found = find_control_character(value)
    if found is not None:
        raise RecordError(f"{key} contains the control character {found[1]}; remove it")
    if _SURROGATE.search(value):
        raise RecordError(f"{key} contains half of a UTF-16 pair, which is not a character")
    return value


def _name(data: dict[str, Any], key: str) -> str:
    """Text repeated across thousands of records (ids, names): one shared copy in memory."""
    return sys.intern(_text(data, key))


def _count(data: dict[str, Any], key: str, most: int) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        unit = f"from 0 to {most:,} (a day)" if most == MAX_SECONDS else f"from 0 to {most:,}"
        raise RecordError(f"{key} must be a whole number {unit}")
    return value


def clamp_seconds(seconds: int) -> int:
    """`seconds` within what a record may hold: a session left running for days, or a
    routine file planning more than a day, still saves (as a day) instead of failing."""
    return max(0, min(seconds, MAX_SECONDS))


def _pain(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise RecordError(f"{key} must be a whole number from 0 to 10, or null")
    return value


def _side_note(data: dict[str, Any]) -> str | None:
    value = data.get("side_note")
    if value is None:
        return None
    for side in SIDE_NOTES:
        if value == side and type(value) is str:
            return side  # the shared constant, not one string per entry
    raise RecordError(f"side_note must be left, right, even or null, not {value!r}")


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RecordError(f"{key} must be a list")
    return value


def _instant(data: dict[str, Any], key: str) -> datetime:
    value = data.get(key)
    if not isinstance(value, str):
        raise RecordError(f"{key} must be an ISO 8601 time with a UTC offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{key} {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise RecordError(f"{key} {value!r} has no UTC offset")
    return parsed


MAX_MARK_NOTE = 500
"""The longest note a day mark may carry, in characters: a line or two, not a diary."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class DayMark:
    """A day marked rest, flare or away: one per local date, stored beside the sessions."""

    id: str
    date: date
    kind: str
    note: str
    created_at: datetime
    """Aware, like a session's times; kept when the mark is changed."""
    updated_at: datetime
    """When it was last set (UTC): with `device`, its version, as a session's."""
    device: str = ""
    """The history file that set it; "" for a mark from before marks kept theirs."""

    @property
    def version(self) -> Version:
        """What merging compares: of two marks of one date, the greater stays."""
        return (self.updated_at.astimezone(UTC), self.device)

    def to_json(self) -> dict[str, Any]:
        """The mark object of the JSON interface."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "note": self.note,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "updated_at": _utc_text(self.updated_at),
            "device": self.device,
        }


def new_mark_id(day: date) -> str:
    """A unique id for a mark of `day`: the date and a random suffix."""
    import secrets

    return f"mark-{day:%Y%m%d}-{secrets.token_hex(4)}"


def check_mark_note(note: str) -> str:
    """`note` when a mark may carry it; RecordError says what is wrong."""
    return _mark_note({"note": note})


def _mark_note(data: dict[str, Any]) -> str:
    note = _text(data, "note", allow_empty=True)
    if len(note) > MAX_MARK_NOTE:
        raise RecordError(
            f"note has {len(note):,} characters; a mark's note has at most {MAX_MARK_NOTE}"
        )
    return note


_MARK_KEYS = frozenset({"id", "date", "kind", "note", "created_at", "updated_at", "device"})


def mark_from_json(data: object) -> DayMark:
    """A day mark from its JSON shape; RecordError names the first field that is wrong."""
    # A missing field of a mark is said by the field's own check (e.g. "kind must be text").
    data, identifier = _fact(data, "a mark", _MARK_KEYS, "mark id", all_required=False)
    day = _day(data, "date")
    kind = _text(data, "kind")
    if kind not in MARK_KINDS:
        raise RecordError(f"kind must be rest, flare or away, not {kind!r}")
    created = _instant(data, "created_at")
    updated = _instant(data, "updated_at").astimezone(UTC)
    if updated < created:
        raise RecordError("updated_at is before created_at")
    return DayMark(identifier, day, kind, _mark_note(data), created, updated, _fact_device(data))


def _fact_device(data: dict[str, Any]) -> str:
    """The `device` of a mark, check result or plan fact; "" where it has none (saved by
    a hipmob from before facts kept theirs)."""
    return _device(data.get("device", ""))


@quick_pickle
@dataclass(frozen=True, slots=True)
class MarkTombstone:
    """What removing a day's mark leaves: the date and the version of the removal, so that
    a merge removes the mark everywhere instead of bringing it back. A date has one mark,
    so this is the removal of the date's mark, whichever id it had: a mark of that date
    set later (anywhere) is back, one set earlier stays removed."""

    date: date
    deleted_at: datetime
    """UTC: when the mark was removed (later than its last version)."""
    device: str

    @property
    def version(self) -> Version:
        """A removal is a version of the date's mark like any other."""
        return (self.deleted_at, self.device)

    def to_json(self) -> dict[str, Any]:
        """The deleted mark object of the JSON interface."""
        return {
            "date": self.date.isoformat(),
            "deleted_at": _utc_text(self.deleted_at),
            "device": self.device,
        }


_MARK_TOMBSTONE_KEYS = frozenset({"date", "deleted_at", "device"})


def mark_tombstone_from_json(data: object) -> MarkTombstone:
    """A deleted mark from its JSON shape; RecordError names the first field that is wrong."""
    data = _fields(data, "a deleted mark", _MARK_TOMBSTONE_KEYS)
    deleted_at, device = _deletion(data)  # checked before the date, as they always were
    return MarkTombstone(_day(data, "date"), deleted_at, device)


SIDES = ("left", "right")
"""The sides a per-side check is scored on; a check that is not per side has side None."""
CHECK_MOMENTS = ("before", "after")
"""When in a session a check was done: before its first exercise, or after its last."""
MAX_CHECK_VALUE = 100_000
"""The largest value a check result may hold, as a routine file's numbers are bounded."""
_CHECK_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
"""A check's id as its YAML file writes it (see content.schema)."""
_CHECK_RESULT_KEYS = frozenset(
    ("id", "check_id", "date", "at", "side", "value", "session_id", "when", "updated_at", "device")
)
_DEVICE_KEY = frozenset({"device"})
"""The field a fact saved before facts kept their device lacks."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class CheckResult:
    """One score of a self-check (a side of it, for a per-side check): a fact, kept by id."""

    id: str
    check_id: str
    at: datetime
    """Aware, like a session's times: when the check was done."""
    side: str | None
    """"left" or "right" for a per-side check; None for one that is not."""
    value: int | float
    updated_at: datetime
    """When it was last set: with `device`, its version, as a session's."""
    session_id: str | None = None
    """The session it was done in (before or after it); None when recorded alone."""
    when: str | None = None
    """"before" or "after" the session's exercises; None when recorded alone."""
    device: str = ""
    """The history file that stored it; "" for a result from before results kept theirs."""
    date: date = field(init=False)
    """The local date of `at`: the day it counts for."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", self.at.date())

    @property
    def version(self) -> Version:
        """What merging compares: of two versions of one result, the greater stays."""
        return (self.updated_at.astimezone(UTC), self.device)

    def to_json(self) -> dict[str, Any]:
        """The check result object of the JSON interface."""
        return {
            "id": self.id,
            "check_id": self.check_id,
            "date": self.date.isoformat(),
            "at": self.at.isoformat(timespec="seconds"),
            "side": self.side,
            "value": self.value,
            "session_id": self.session_id,
            "when": self.when,
            "updated_at": _utc_text(self.updated_at),
            "device": self.device,
        }


def new_check_result_id(at: datetime) -> str:
    """A unique, sortable id for a check result: the UTC time and a random suffix."""
    import secrets

    return f"check-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def check_value(value: object) -> int | float:
    """`value` when a check result may hold it; RecordError says what is wrong."""
    return _check_value({"value": value})


def _check_value(data: dict[str, Any]) -> int | float:
    value = data.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError("value must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise RecordError("value must be a finite number")
    if not -MAX_CHECK_VALUE <= value <= MAX_CHECK_VALUE:
        raise RecordError(f"value must be from -{MAX_CHECK_VALUE} to {MAX_CHECK_VALUE}")
    return value


def check_result_from_json(data: object) -> CheckResult:
    """A check result from its JSON shape; RecordError names the first field that is wrong."""
    data, identifier = _fact(
        data, "a check result", _CHECK_RESULT_KEYS, "check result id", optional=_DEVICE_KEY
    )
    check_id = _name(data, "check_id")
    if not _CHECK_ID.fullmatch(check_id):
        raise RecordError(f"check_id {check_id!r} is not a valid check id")
    side = data["side"]
    if side is not None and side not in SIDES:
        raise RecordError(f"side must be left, right or null, not {side!r}")
    session_id = data["session_id"]
    if session_id is not None and not (isinstance(session_id, str) and _ID.fullmatch(session_id)):
        raise RecordError(f"session_id {session_id!r} is not a valid session id")
    when = data["when"]
    if when is not None and when not in CHECK_MOMENTS:
        raise RecordError(f"when must be before, after or null, not {when!r}")
    if (when is None) != (session_id is None):
        raise RecordError("when and session_id go together: both null, or both given")
    result = CheckResult(
        id=identifier,
        check_id=check_id,
        at=_instant(data, "at"),
        side=side,
        value=_check_value(data),
        session_id=session_id,
        when=when,
        updated_at=_instant(data, "updated_at").astimezone(UTC),
        device=_fact_device(data),
    )
    if data["date"] != result.date.isoformat():
        raise RecordError("date does not match the local date of at")
    return result


@quick_pickle
@dataclass(frozen=True, slots=True)
class PlanFact:
    """From a day on, the person follows a program (from a stage), or follows none: a fact,
    kept by id, that travels with the history. The one in force on a day is the one set
    last (`updated_at`) of those dated on or before it: following again from an earlier
    day, after stopping, follows from that day."""

    id: str
    date: date
    program_id: str | None
    """None: following stopped on that day."""
    stage: int
    """The stage following starts at, 1-based (1 when stopped)."""
    updated_at: datetime
    """Aware: when it was set; with `device`, its version, as a session's."""
    device: str = ""
    """The history file that stored it; "" for a fact from before facts kept theirs."""

    @property
    def version(self) -> Version:
        """What merging compares: of two versions of one fact, the greater stays."""
        return (self.updated_at.astimezone(UTC), self.device)

    def to_json(self) -> dict[str, Any]:
        """The plan fact object of the JSON interface."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "program_id": self.program_id,
            "stage": self.stage,
            # Microseconds: a fact set in the same second as another (stop, then follow
            # again) must still be the newer one.
            "updated_at": _utc_text(self.updated_at),
            "device": self.device,
        }

    @property
    def order(self) -> tuple[datetime, str]:
        """Which of two facts is in force (both dated on or before the day): the one set
        last, then the greater id."""
        return (self.updated_at, self.id)


_PLAN_FACT_KEYS = frozenset({"id", "date", "program_id", "stage", "updated_at", "device"})
_PROGRAM_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
MAX_STAGES = 100


def new_plan_fact_id(day: date) -> str:
    """A unique id for a plan fact of `day`: the date and a random suffix."""
    import secrets

    return f"plan-{day:%Y%m%d}-{secrets.token_hex(4)}"


def plan_fact_from_json(data: object) -> PlanFact:
    """A plan fact from its JSON shape; RecordError names the first field that is wrong."""
    data, identifier = _fact(
        data, "a plan fact", _PLAN_FACT_KEYS, "plan fact id", optional=_DEVICE_KEY
    )
    program_id = data["program_id"]
    if program_id is not None and not (
        isinstance(program_id, str) and _PROGRAM_ID.fullmatch(program_id)
    ):
        raise RecordError(f"program_id {program_id!r} is not a valid program id, or null")
    stage = data["stage"]
    if isinstance(stage, bool) or not isinstance(stage, int) or not 1 <= stage <= MAX_STAGES:
        raise RecordError(f"stage must be a whole number from 1 to {MAX_STAGES}")
    updated_at = _instant(data, "updated_at").astimezone(UTC)
    return PlanFact(
        identifier, _day(data, "date"), program_id, stage, updated_at, _fact_device(data)
    )


def _day(data: dict[str, Any], key: str) -> date:
    text = _text(data, key)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise RecordError(f"{key} {text!r} is not a date like 2026-12-05") from None
    if len(text) != 10:
        raise RecordError(f"{key} {text!r} is not a date like 2026-12-05")
    return day


def plan_in_force(facts: list[PlanFact], day: date) -> PlanFact | None:
    """The fact in force on `day` (None: none is dated on or before it, or it says stop)."""
    found = max((fact for fact in facts if fact.date <= day), key=lambda f: f.order, default=None)
    return found if found is not None and found.program_id is not None else None
