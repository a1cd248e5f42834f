"""The report as Markdown, for an email or a chat: the same sections as the HTML, as tables.

Text from a person or a file is escaped for a table cell: Markdown's punctuation gets a
backslash (so a note cannot become a link, code, a tag or a new column) and line breaks
become " / " (a table row is one line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from hipmob_tui.history.progress import ASSOCIATION, CAUTION, WORSE
from hipmob_tui.history.report import COMPLETED, PARTIAL, Report
from hipmob_tui.history.report_html import (
    MARK_LETTERS,
    WEEKDAYS,
    counted,
    day_text,
    duration,
    number,
    short_day,
)

DAY_SIGNS = {COMPLETED: "●", PARTIAL: "◐"}
NO_SESSION = "·"
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~!])")
_LINE_BREAK = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


def cell(text: str) -> str:
    """`text` safe in a Markdown table cell, shown as typed."""
    one_line = _LINE_BREAK.sub(" / ", text.strip()).replace("\t", " ")
    return _SPECIAL.sub(r"\\\1", one_line)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A GitHub-style table; the columns in `right` aligned right (numbers)."""
    rule = ["---:" if index in right else "---" for index in range(len(header))]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def render_markdown(report: Report) -> str:
    """The whole report."""
    return "\n\n".join(_sections(report)) + "\n"


def _sections(report: Report) -> Iterator[str]:
    weeks = len(report.weeks)
    yield "# Hip mobility: activity and pain"
    yield (
        f"{weeks} {'week' if weeks == 1 else 'weeks'}, {day_text(report.first)} to "
        f"{day_text(report.last)}"
    )
    yield (
        f"- {counted(report.sessions, 'session')}, {report.completed} completed, "
        f"{report.scored} scored for pain before and after\n"
        f"- {report.weeks_met} of {report.weeks_begun} weeks met the goal of "
        f"{report.weekly_goal} days a week"
        + "".join(f"\n- {count} {words}" for count, words in report.marked())
    )
    yield "## Adherence"
    yield (
        "Days with a completed session each week, against the weekly goal of "
        f"{report.weekly_goal}. A day marked rest, flare or away without a completed session "
        f"lowers its week's goal by one (rest at most {report.max_rest_days_per_week} days a "
        "week)."
    )
    rows = []
    for index, week in enumerate(report.weeks):
        cells = [short_day(week.monday)]
        for day in report.days[index * 7 : index * 7 + 7]:
            sign = "" if day.future else DAY_SIGNS.get(day.state, NO_SESSION)
            if day.mark is not None:
                letter = MARK_LETTERS.get(day.mark, "?")
                sign = letter if sign in ("", NO_SESSION) else f"{sign} {letter}"
            cells.append(sign)
        cells.append(f"{week.counted} / {week.goal}")
        rows.append(cells)
    yield table(("Week of", *WEEKDAYS, "Days / goal"), rows, right=(8,))
    key = (
        f"{DAY_SIGNS[COMPLETED]} a completed session, {DAY_SIGNS[PARTIAL]} partial sessions "
        f"only, {NO_SESSION} no session"
    )
    yield key + (", R rest, F flare, A away (marked days)." if report.marks else ".")
    yield "## Pain before and after sessions"
    if not any(w.before is not None or w.after is not None for w in report.pain):
        yield "No session in this period was scored for pain."
    else:
        yield (
            "Weekly median of the pain scores (0 none, 10 worst) given before and after each "
            "session; the bar is the score before."
        )
        yield table(
            ("Week of", "Before", "After", "Sessions scored", ""),
            [
                (
                    short_day(w.monday),
                    number(w.before),
                    number(w.after),
                    str(w.scored),
                    "▆" * round(w.before or 0),
                )
                for w in report.pain
            ],
            right=(1, 2, 3),
        )
    yield "## Pain change per routine"
    found = report.progress
    if not found.routines:
        yield "No sessions in this period."
    else:
        yield (
            "Pain after minus pain before, over the sessions scored both times: the median, "
            "how many sessions it rests on (n) and the range. Under 3 scored sessions there is "
            "too little to give a median."
        )
        yield table(
            ("Routine", "Sessions", "Completed", "Median change", "n", "Range", "Last done"),
            [
                (
                    cell(r.name),
                    str(r.sessions),
                    str(r.completed),
                    r.pain.median_text,
                    str(r.pain.scored),
                    r.pain.range_text,
                    day_text(r.last_done),
                )
                for r in found.routines
            ],
            right=(1, 2, 3, 4),
        )
        for name in found.cautions:
            yield "**Caution:** " + cell(CAUTION.format(name=name, worse=WORSE))
        yield f"_{ASSOCIATION}_"
    yield "## Exercises and dosage as done"
    if not report.exercises:
        yield "No exercises in this period."
    else:
        yield table(
            ("Phase", "Exercise", "Sessions", "Sets done of planned", "Time"),
            [
                (
                    cell(e.phase.upper()),
                    cell(e.name),
                    str(e.sessions),
                    f"{e.sets_done} of {e.sets_planned}",
                    duration(e.seconds),
                )
                for e in report.exercises
            ],
            right=(2, 3, 4),
        )
    yield "## Session notes"
    if not report.notes:
        yield "No session in this period has a note."
    else:
        yield table(
            ("Date", "Routine", "Note"),
            [(day_text(n.day), cell(n.routine), cell(n.text)) for n in report.notes],
        )
    if report.marked_days:
        yield "## Marked days"
        yield table(
            ("Date", "Marked", "Note"),
            [
                (
                    day_text(m.day),
                    m.kind if m.held or m.kind != "rest" else "rest (held nothing)",
                    cell(m.note),
                )
                for m in report.marked_days
            ],
        )
    yield "## A note on health"
    yield report.health_note
    yield f"_Made by hipmob on {day_text(report.today)} from the history kept on this computer._"
