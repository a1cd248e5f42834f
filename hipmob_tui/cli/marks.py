"""Day marks from the shell: `mark`, `unmark` and `streak --explain`. No UI imports here."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hipmob_tui.cli.output import plural, say_kept_aside
from hipmob_tui.errors import HipmobError
from hipmob_tui.history.streaks import day_text

TYPE_CHECKING = False  # typing costs the fast commands ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from hipmob_tui.history.store import Store
    from hipmob_tui.history.streaks import DayEffect, Streak
    from hipmob_tui.history.summary import DaySummary
    from hipmob_tui.paths import Paths

MAX_RANGE_DAYS = 366
"""The most days one `mark` or `unmark` may name: a year, so a typo cannot mark a decade."""


def days_between(first: date, last: date) -> list[date]:
    """Every date from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def mark(where: Paths, kind: str, days: Sequence[date], note: str) -> int:
    """Mark `days` as `kind`; say what changed, and any rest mark that freezes nothing."""
    from hipmob_tui.history.records import RecordError
    from hipmob_tui.history.store import Store
    from hipmob_tui.settings import settings_or_defaults

    future = [day for day in days if day > date.today()]
    if kind == "flare" and future:
        raise HipmobError(
            f"{day_text(future[0])} is still to come: a flare day is marked when it happens "
            "(rest and away days may be planned)"
        )
    limit = settings_or_defaults(where.settings).max_rest_days_per_week
    store = Store(where.db)
    before = {m.date: m for m in store.marks()} if store.exists() else {}
    try:
        change = store.set_marks(days, kind, note)
    except RecordError as error:
        raise HipmobError(f"cannot mark {_what(days)}: {error}") from None
    say_kept_aside(change.kept_aside)
    if len(days) == 1:
        old = before.get(days[0])
        if old is not None and (old.kind, old.note) == (kind, note):
            print(f"{day_text(days[0])} is already marked as {kind}.")
        elif old is not None and old.kind != kind:
            print(f"Marked {day_text(days[0])} as {kind} (it was {old.kind}).")
        else:
            print(f"Marked {day_text(days[0])} as {kind}.")
    else:
        same = len(days) - change.changed
        already = f" ({same} of them already were)" if same else ""
        print(
            f"Marked {len(days)} days as {kind}, {day_text(days[0])} to "
            f"{day_text(days[-1])}{already}."
        )
        # A range can cover a different mark: say so, with its note, as one day does.
        for day in days:
            old = before.get(day)
            if old is not None and old.kind != kind:
                was = f"{old.kind}, {old.note!r}" if old.note else old.kind
                print(f"  {day_text(day)} was {was}; it is {kind} now.")
    if kind == "rest":
        for line in _over_the_rest_limit(store, days, limit):
            print(line)
    return 0


def _what(days: Sequence[date]) -> str:
    if len(days) == 1:
        return day_text(days[0])
    return f"{len(days)} days, {day_text(days[0])} to {day_text(days[-1])}"


def _over_the_rest_limit(store: Store, days: Sequence[date], limit: int) -> list[str]:
    """A line for each week of `days` holding rest marks past the limit: they freeze nothing."""
    from hipmob_tui.history.streaks import rests_over_limit, week_start

    summary = store.days()
    if summary is None:
        return []
    past_limit = rests_over_limit(summary.completed, summary.mark_kinds(), limit)
    named = {day.toordinal() for day in days}
    lines = []
    for monday in sorted({week_start(day) for day in days}):
        week = range(monday.toordinal(), monday.toordinal() + 7)
        over = [d for d in week if d in past_limit]
        if not over:
            continue
        held = plural(limit, "rest day")
        if len(over) == 1 and over[0] in named and len(days) == 1:
            lines.append(
                f"The week already has {held}: this one is kept but does not hold the streak "
                f"(max_rest_days_per_week is {limit})."
            )
        else:
            listed = ", ".join(day_text(date.fromordinal(d)) for d in over)
            lines.append(
                f"The week of {day_text(monday)} has more rest marks than {limit}: "
                f"{listed} {'is' if len(over) == 1 else 'are'} kept but "
                f"{'does' if len(over) == 1 else 'do'} not hold the streak."
            )
    return lines


def unmark(where: Paths, days: Sequence[date]) -> int:
    """Remove the marks of `days`; a day without one is said, not an error."""
    from hipmob_tui.history.store import Store

    store = Store(where.db)
    if not store.exists():
        print(f"{_no_mark(days)}; nothing to remove.")
        return 0
    before = {m.date: m for m in store.marks()}
    change = store.remove_marks(days)
    say_kept_aside(change.kept_aside)
    if change.changed == 0:
        print(f"{_no_mark(days)}; nothing to remove.")
    elif len(days) == 1:
        old = before.get(days[0])
        kind = f" ({old.kind})" if old is not None else ""
        print(f"Removed the mark of {day_text(days[0])}{kind}.")
    else:
        print(
            f"Removed {plural(change.changed, 'mark')} from {day_text(days[0])} "
            f"to {day_text(days[-1])}."
        )
    return 0


def _no_mark(days: Sequence[date]) -> str:
    if len(days) == 1:
        return f"{day_text(days[0])} has no mark"
    return f"No day from {day_text(days[0])} to {day_text(days[-1])} has a mark"


EFFECT_TEXT = {
    "counted": "counted",
    "froze": "froze",
    "broke": "broke the streak",
    "open": "today, still open",
    "nothing": "nothing",
}
"""What `streak --explain` says a day did, by `DayEffect.effect`."""


def rule_text(limit: int) -> str:
    """The streak rule in two sentences, as `streak --explain` ends."""
    return (
        "A day counts when it has a completed session; a day marked rest, flare or away "
        "without one freezes the streak: it neither breaks it nor adds to it. "
        "Each frozen day lowers its week's goal by one, and rest marks freeze at most "
        f"{plural(limit, 'day')} a week (flare and away have no limit)."
    )


def explain(
    where: Paths,
    summary: DaySummary | None,
    figures: Streak,
    *,
    today: date,
    count: int,
    limit: int,
    as_json: bool,
) -> int:
    """Print the last `count` days: what happened, and what it did to the streak."""
    from hipmob_tui.history.streaks import explain as explain_days

    kinds: Mapping[int, str] = summary.mark_kinds() if summary else {}
    completed = summary.completed if summary else ()
    effects = explain_days(completed, today, count, kinds, limit)
    if as_json:
        days = [_day_json(effect, summary) for effect in effects]
        document = {
            "path": str(where.db),
            "days": days,
            "streak": figures.to_json(),
            "max_rest_days_per_week": limit,
            "rule": rule_text(limit),
        }
        print(json.dumps(document, ensure_ascii=False))
        return 0
    happened = [_happened(effect, summary, today) for effect in effects]
    width = max(len(text) for text in happened)
    for effect, text in zip(effects, happened, strict=True):
        said = EFFECT_TEXT[effect.effect]
        if effect.over_rest_limit:
            said += f" (rest past the limit of {limit} a week: it holds nothing)"
        print(f"{day_text(effect.day)}  {text.ljust(width)}  {said}")
    print()
    print(rule_text(limit))
    return 0


def _day_json(effect: DayEffect, summary: DaySummary | None) -> dict[str, object]:
    ordinal = effect.day.toordinal()
    sessions, completed = summary.counts(ordinal) if summary else (0, 0)
    note = summary.marks[ordinal][1] if summary and ordinal in summary.marks else None
    return {
        "date": effect.day.isoformat(),
        "sessions": sessions,
        "completed": completed,
        "mark": effect.mark,
        "note": note,
        "effect": effect.effect,
        "over_rest_limit": effect.over_rest_limit,
    }


_NOTE_SHOWN = 40


def _happened(effect: DayEffect, summary: DaySummary | None, today: date) -> str:
    ordinal = effect.day.toordinal()
    sessions, completed = summary.counts(ordinal) if summary else (0, 0)
    if sessions == 0:
        text = "no session yet" if effect.day == today else "no session"
    elif sessions == completed:
        text = f"{plural(sessions, 'session')}, completed"
    elif completed == 0:
        text = plural(sessions, "partial session")
    else:
        text = f"{plural(sessions, 'session')}, {completed} completed"
    if effect.mark is not None:
        note = summary.marks[ordinal][1].replace("\n", " ") if summary else ""
        if len(note) > _NOTE_SHOWN:
            note = note[: _NOTE_SHOWN - 1] + "…"
        text += f" · {effect.mark}" + (f": {note}" if note else "")
    return text
