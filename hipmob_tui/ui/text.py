"""Domain objects as Textual Content: every user-supplied string is shown literally."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.content import Content

from hipmob_tui.content.models import Catalog, Exercise, Phase, Routine, format_duration

TYPE_CHECKING = False
if TYPE_CHECKING:  # history and records are not needed before the first frame
    from collections.abc import Mapping

    from hipmob_tui.content.models import Check
    from hipmob_tui.history.records import CheckResult, DayMark, SessionRecord
    from hipmob_tui.history.view import Overview

PHASE_STYLE = {
    Phase.RESET: "$success",
    Phase.RESTORE: "$accent",
    Phase.REBUILD: "$primary",
}
"""Each phase's colour, as a theme variable so every theme keeps the three apart."""

PHASE_AIM = {
    Phase.RESET: "calm protective tension",
    Phase.RESTORE: "mobilize muscle and fascia",
    Phase.REBUILD: "stability and control",
}


def literal(text: str, style: str = "") -> Content:
    """Text exactly as given: never parsed as markup, control codes stripped."""
    return Content.styled(text, style) if style else Content(text)


def phase_label(phase: Phase) -> Content:
    """The phase name in its colour."""
    return Content.styled(phase.title, f"bold {PHASE_STYLE[phase]}")


def phase_header(phase: Phase) -> Content:
    """A group heading for lists: the phase and what it is for."""
    return Content.assemble(phase_label(phase), Content.styled(f"  {PHASE_AIM[phase]}", "dim"))


def exercise_row(exercise: Exercise) -> Content:
    """One line of the exercise list: a phase mark, the name, and what it needs."""
    parts = [Content.styled("▍", PHASE_STYLE[exercise.phase]), literal(exercise.name)]
    if exercise.source == "added":
        parts.append(Content.styled(" +", "dim"))
    if exercise.equipment:
        parts.append(literal(f"  ({', '.join(exercise.equipment)})", "dim"))
    return Content.assemble(*parts)


def routine_row(routine: Routine) -> Content:
    """One line of the routine list: planned time, then the name.

    The time first, in a column: a long name cut to fit the list never takes it along.
    """
    parts = [
        Content.styled(f"{format_duration(routine.estimated_seconds):>6}  ", "dim"),
        literal(routine.name),
    ]
    if routine.source == "user":
        parts.append(Content.styled("  yours", "dim italic"))
    return Content.assemble(*parts)


def _section(title: str) -> Content:
    return Content.styled(f"\n{title}\n", "bold underline")


def hanging(marker: Content, body: Content, width: int | None) -> Content:
    """`marker` then `body`, wrapped lines indented under the body's first character."""
    indent = marker.cell_length
    if width is None or width - indent < 12:
        return Content.assemble(marker, body, "\n")
    lines = body.wrap(width - indent)
    pad = Content(" " * indent)
    rest = [Content.assemble("\n", pad, line) for line in lines[1:]]
    return Content.assemble(marker, lines[0] if lines else Content(), *rest, "\n")


def exercise_detail(exercise: Exercise, width: int | None = None) -> Content:
    """Everything about one exercise, as the detail pane `width` cells wide shows it."""
    parts: list[Content] = [
        literal(exercise.name, "bold"),
        Content("\n"),
        phase_label(exercise.phase),
        Content.styled("  " + exercise.dosage.describe(), "bold"),
        Content("\n"),
    ]
    if exercise.source == "added" and exercise.origin:
        parts.append(Content.styled("+ added: not from the source article\n", "italic $warning"))
    elif exercise.source == "added":
        parts.append(
            Content.styled(
                "+ added by hipmob (not named in the source article)\n", "italic $warning"
            )
        )
    else:
        parts.append(Content.styled("from the source article\n", "dim italic"))
    if exercise.origin:
        parts.append(literal(f"from your file {exercise.origin}\n", "dim"))
    parts += [Content("\n"), literal(exercise.purpose), Content("\n"), _section("How to")]
    parts += [
        hanging(Content.styled(f"{n:>2}. ", "bold"), literal(step), width)
        for n, step in enumerate(exercise.steps, start=1)
    ]
    if exercise.cues:
        parts.append(_section("Cues"))
        parts += [hanging(Content(" • "), literal(cue), width) for cue in exercise.cues]
    parts.append(Content("\n"))
    parts.append(Content.styled("Equipment  ", "bold"))
    parts.append(literal(", ".join(exercise.equipment) or "none needed"))
    parts.append(Content("\n"))
    parts.append(Content.styled("Targets    ", "bold"))
    parts.append(literal(", ".join(exercise.targets)))
    return Content.assemble(*parts)


def routine_detail(routine: Routine, catalog: Catalog, width: int | None = None) -> Content:
    """A routine's description and items, as the detail pane `width` cells wide shows it."""
    phases = Content(" → ").join(phase_label(phase) for phase in routine.phases)
    parts: list[Content] = [
        literal(routine.name, "bold"),
        Content("\n"),
        Content.styled(f"about {format_duration(routine.estimated_seconds)}  ", "bold"),
        phases,
        Content("\n"),
    ]
    if routine.overrides_builtin:
        parts.append(
            literal(
                f"your version, replacing the built-in one ({routine.origin})\n", "italic $warning"
            )
        )
    elif routine.source == "user":
        parts.append(literal(f"from your file {routine.origin}\n", "dim"))
    if routine.description:
        parts += [Content("\n"), literal(routine.description), Content("\n")]
    parts.append(_section("Exercises"))
    for number, item in enumerate(routine.items, start=1):
        exercise = catalog.exercises[item.exercise_id]
        marker = Content.styled(f"{number:>2}. ", PHASE_STYLE[item.phase])
        parts += [
            hanging(marker, literal(exercise.name), width),
            Content.styled(f"    {item.dosage.describe()}\n", "dim"),
        ]
    for when, ids in (("before", routine.checks_before), ("after", routine.checks_after)):
        if ids:
            names = ", ".join(catalog.checks[i].name if i in catalog.checks else i for i in ids)
            parts += [Content.styled(f"\nCheck {when}: ", "bold"), literal(names)]
    return Content.assemble(*parts)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def history_summary(overview: Overview, width: int = 1_000) -> Content:
    """The History header: streaks, the week against the goal, totals.

    The widest form that fits `width` cells: the best streak and the good weeks go first
    when the terminal is narrow, the streak, the week and the session count stay.
    """
    figures = overview.streak
    week_style = "$success" if figures.this_week >= figures.weekly_goal else "$warning"
    hours = overview.active_seconds / 3600
    total = f"{hours:.0f} h" if hours >= 10 else format_duration(overview.active_seconds)
    total = total if overview.active_seconds else "0 min"
    muted = "$text-muted"
    streak = [
        Content.styled("Streak ", muted),
        Content.styled(_plural(figures.current, "day"), "bold $success"),
    ]
    if figures.frozen:
        streak.append(Content.styled(f" ({figures.frozen} frozen)", muted))
    best = Content.styled(f" · longest {figures.longest}", muted)
    week = [
        Content.styled("   Week ", muted),
        Content.styled(figures.week_text, f"bold {week_style}"),
    ]
    good_weeks = Content.styled(f" · {_plural(figures.weeks_streak, 'good week')}", muted)
    sessions = [
        Content.styled("   ", muted),
        Content.styled(_plural(len(overview.sessions), "session"), "bold"),
    ]
    time = Content.styled(f" · {total}", muted)
    forms = (
        [*streak, best, *week, good_weeks, *sessions, time],
        [*streak, best, *week, *sessions, time],
        [*streak, *week, *sessions, time],
        [*streak, *week, *sessions],
    )
    for parts in forms:
        header = Content.assemble(*parts)
        if header.cell_length <= width:
            return header
    return header


def day_line(
    day: date,
    sessions: Sequence[SessionRecord],
    mark: DayMark | None = None,
    holds: bool = True,
) -> Content:
    """What the calendar's selected day holds: its sessions, and its mark with the note."""
    label = Content.styled(f"{day:%a %d %b %Y}  ", "bold")
    parts: list[Content] = []
    if mark is not None:
        kind = Content.styled(f"{mark.kind} day", "bold")
        parts.append(
            kind
            if holds or sessions
            else kind + Content.styled(" (over the rest limit)", "$warning")
        )
        if mark.note:
            parts.append(Content.styled(": ", "$text-muted") + literal(mark.note))
        if sessions:
            parts.append(Content(" · "))
    if not sessions:
        if mark is None:
            return Content.assemble(label, Content.styled("no session", "$text-muted"))
        return Content.assemble(label, *parts)
    items = [
        Content.assemble(
            literal(s.routine_name),
            Content.styled(
                f" {s.minutes_text} min" + ("" if s.completed else " (partial)"),
                "$text-muted",
            ),
        )
        for s in sessions
    ]
    return Content.assemble(label, *parts, Content(" · ").join(items))


def session_detail(record: SessionRecord) -> Content:
    """Everything about one session, for the detail pane."""
    from hipmob_tui.history.records import SIDE_WORDS
    from hipmob_tui.history.view import completion

    done, planned = completion(record)
    status = (
        Content.styled("completed", "bold $success")
        if record.completed
        else Content.styled("partial", "bold $warning")
    )
    parts: list[Content] = [
        literal(record.routine_name, "bold"),
        Content("\n"),
        Content(f"{record.started_at:%a %d %b %Y %H:%M}–{record.ended_at:%H:%M}\n"),
        status,
        Content(f" · {format_duration(record.active_seconds)}\n"),
        Content.styled(f"planned {format_duration(record.planned_seconds)}", "$text-muted"),
        Content.styled(f" · {done} of {planned} sets\n" if planned else "\n", "$text-muted"),
    ]
    parts.append(Content.styled("Pain  ", "bold"))
    parts.append(Content(_pain_words(record.pain_before, record.pain_after) + "\n"))
    if record.notes:
        parts += [_section("Notes"), literal(record.notes), Content("\n")]
    if record.exercises:
        parts.append(_section("Exercises"))
        for exercise in record.exercises:
            style = _PHASE_BY_VALUE.get(exercise.phase, "")
            parts += [
                Content.styled("▍", style),
                literal(exercise.name),
                Content.styled(f"  {exercise.sets_done}/{exercise.sets_planned} sets", "dim"),
            ]
            if exercise.side_note is not None:
                parts += [Content.styled(" · ", "dim"), Content(SIDE_WORDS[exercise.side_note])]
            parts.append(Content("\n"))
    return Content.assemble(*parts)


_PHASE_BY_VALUE = {phase.value: style for phase, style in PHASE_STYLE.items()}


def _pain_words(before: int | None, after: int | None) -> str:
    from hipmob_tui.history.records import NO_SCORE

    if before is None and after is None:
        return "not scored"

    def score(value: int | None) -> str:
        return NO_SCORE if value is None else f"{value}/10"

    text = f"{score(before)} → {score(after)}"
    if before is not None and after is not None and before != after:
        text += f"  ({after - before:+d})".replace("-", "−")
    return text


def runner_howto(
    exercise: Exercise, cue: int = 0, width: int | None = None, lines: int | None = None
) -> Content:
    """The how-to steps and one cue (a different one each set), for the runner.

    Given `lines`, the cue always shows and as many whole steps as fit before it, then how
    many more there are: half a step cut off mid-sentence helps nobody on the floor.
    """
    steps = [
        hanging(Content.styled(f"{n}. ", "bold"), literal(step), width)
        for n, step in enumerate(exercise.steps, start=1)
    ]
    tail: list[Content] = []
    if exercise.cues:
        chosen = literal(exercise.cues[cue % len(exercise.cues)])
        tail.append(hanging(Content.styled("Cue: ", "bold $accent"), chosen, width))
    heights = [step.plain.count("\n") for step in steps]
    room = None if lines is None else lines - sum(part.plain.count("\n") for part in tail)
    if room is None or width is None or sum(heights) <= room:
        return Content.assemble(*steps, *tail).rstrip()
    room -= 1  # for the line that counts the steps left out
    shown = 0
    while shown < len(steps) and sum(heights[: shown + 1]) <= room:
        shown += 1
    more = Content.styled(f"… {_plural(len(steps) - shown, 'more step')}\n", "dim")
    return Content.assemble(*steps[:shown], more, *tail).rstrip()


def session_outcome(record: SessionRecord) -> Content:
    """A finished session in a few lines: completion, time, and each exercise."""
    from hipmob_tui.history.view import completion

    done, planned = completion(record)
    finished = sum(1 for e in record.exercises if e.sets_done >= e.sets_planned)
    if record.completed:
        head = Content.styled("Session complete", "bold $success")
    else:
        head = Content.styled("Saved as a partial session", "bold $warning")
    parts = [
        head,
        Content("\n\n"),
        Content.styled("Exercises  ", "bold"),
        Content(f"{finished} of {len(record.exercises)} · sets {done} of {planned}\n"),
        Content.styled("Active     ", "bold"),
        Content(
            f"{format_duration(record.active_seconds)} "
            f"(planned {format_duration(record.planned_seconds)})\n\n"
        ),
    ]
    name_width = max((len(e.name) for e in record.exercises), default=0)
    for exercise in record.exercises:
        complete = exercise.sets_done >= exercise.sets_planned
        mark = Content.styled(" ✓ ", "$success") if complete else Content.styled(" · ", "dim")
        sets = f"  {exercise.sets_done}/{exercise.sets_planned} sets"
        name = literal(exercise.name.ljust(name_width))
        parts += [mark, name, Content.styled(sets, "dim"), Content("\n")]
    return Content.assemble(*parts)


def checks_in_session(
    before: Sequence[CheckResult], after: Sequence[CheckResult], checks: Mapping[str, Check]
) -> Content:
    """The checks of one session, before → after per side; empty when none was scored."""
    from hipmob_tui.history.checks import before_and_after, format_value, signed

    by_check: dict[str, list[str]] = {}
    for (check_id, side), (first, last) in before_and_after([*before, *after]).items():
        label = f"{side} " if side else ""
        if first is not None and last is not None:
            said = f"{label}{format_value(first)} → {format_value(last)} ({signed(last - first)})"
        elif first is not None:
            said = f"{label}{format_value(first)} before"
        else:
            said = f"{label}{format_value(last or 0)} after"
        by_check.setdefault(check_id, []).append(said)
    lines = [
        Content.assemble(
            Content.styled("Check      ", "bold"),
            literal(checks[check_id].name if check_id in checks else check_id),
            Content("\n           " + " · ".join(parts)),
        )
        for check_id, parts in by_check.items()
    ]
    return Content("\n").join(lines)


def day_name(day: date, today: date) -> str:
    """A day as the notices name it, "Mon 01 Dec"; with its year when not this year's."""
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"
