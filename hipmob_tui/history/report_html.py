"""The report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Every text that came from a person or a file (routine and exercise names, notes) goes
through `html.escape`, and the page's own Content-Security-Policy forbids scripts and
loads as a second wall. The CSS is written for paper too: A4 or Letter, charts and table
rows never cut across pages, headings kept with what follows them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from html import escape

from hipmob_tui.history.progress import ASSOCIATION, CAUTION, WORSE
from hipmob_tui.history.report import COMPLETED, PARTIAL, PainWeek, Report, WeekAdherence

MARK_LETTERS = {"rest": "R", "flare": "F", "away": "A"}
"""How the calendar writes a marked day (the legend spells them out)."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PAIN_TABLE_WEEKS = 16
"""Up to this many weeks, the pain chart has its figures as a table beneath it too."""

CSS = """
:root { color-scheme: light; --ink: #1f2933; --soft: #52606d; --line: #cbd2d9;
  --done: #2f6f73; --part: #a9cfd1; --before: #3e4c59; --after: #2f6f73; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 52rem; padding: 2rem 1.5rem 3rem; color: var(--ink);
  font: 10.5pt/1.45 "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; }
header { border-bottom: 2px solid var(--ink); padding-bottom: .6rem; margin-bottom: 1rem; }
h1 { font-size: 1.55rem; margin: 0 0 .2rem; font-weight: 600; letter-spacing: .01em; }
h2 { font-size: 1.12rem; margin: 1.6rem 0 .5rem; padding-bottom: .2rem; font-weight: 600;
  border-bottom: 1px solid var(--line); break-after: avoid; page-break-after: avoid; }
p { margin: .35rem 0; }
.period { font-size: 1.05rem; margin: 0; }
.meta, .small, figcaption { color: var(--soft); font-size: .9em; }
.summary { display: flex; flex-wrap: wrap; gap: .4rem 1.6rem; margin: .8rem 0 0; padding: 0;
  list-style: none; }
.summary b { font-size: 1.2rem; font-weight: 600; margin-right: .25rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .95em; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; padding: .22rem .5rem .22rem 0; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; color: var(--soft); font-size: .9em; border-bottom-color: var(--ink); }
td.num, th.num { text-align: right; padding-right: .9rem; font-variant-numeric: tabular-nums; }
td.note { white-space: pre-wrap; overflow-wrap: anywhere; }
td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.notes td.date { width: 8.5rem; }
.notes td.routine { width: 13rem; }
figure { margin: .5rem 0 .8rem; break-inside: avoid; page-break-inside: avoid; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 11px "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif;
  fill: var(--soft); }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; margin: .3rem 0; padding: 0;
  list-style: none; color: var(--soft); font-size: .9em; }
.key { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em;
  margin-right: .3em; border: 1px solid var(--line); border-radius: 2px; }
.calendar { width: auto; }
.calendar td, .calendar th { text-align: center; padding: .12rem; border: 0;
  vertical-align: middle; }
.calendar th.week, .calendar td.week { text-align: left; padding-right: .6rem;
  white-space: nowrap; }
.calendar td.goal { text-align: left; padding-left: .6rem; white-space: nowrap;
  color: var(--soft); }
.day { display: inline-block; width: 1.9rem; height: 1.55rem; line-height: 1.45rem;
  border: 1px solid var(--line); border-radius: 3px; font-size: .85em; color: var(--soft); }
.completed, .key.completed { background: var(--done); border-color: var(--done); color: #fff; }
.partial, .key.partial { background: var(--part); border-color: var(--done); color: var(--ink); }
.future { border-style: dotted; color: #bcc5ce; }
.marked { border: 1.5px dashed var(--ink); }
.day sup { font-size: .75em; font-weight: 700; margin-left: 2px; vertical-align: super; }
.caution { border-left: 3px solid #b44d12; padding: .3rem .6rem; background: #fdf3ec; }
.health { margin-top: 1.6rem; padding: .7rem .9rem; border: 1px solid var(--line);
  border-radius: 4px; break-inside: avoid; page-break-inside: avoid; }
.health h2 { border: 0; margin: 0 0 .3rem; padding: 0; }
footer { margin-top: 1.2rem; color: var(--soft); font-size: .85em; }
@page { margin: 15mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section { break-inside: auto; }
  section.notes, section.exercises { break-before: auto; }
}
"""


def counted(count: int, noun: str) -> str:
    """ "1 session", "2 sessions"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def day_text(day: date) -> str:
    """A date as a reader says it: "Mon 5 Oct 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    """A week's label on a chart: "5 Oct"."""
    return f"{day.day} {day:%b}"


def number(value: float | None) -> str:
    """A median as printed: "3", "2.5"; "–" for none."""
    return "–" if value is None else f"{value:g}"


def render_html(report: Report) -> str:
    """The whole page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        # A second wall behind the escaping: nothing in this page may run or load.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>hipmob report, {escape(day_text(report.first))} to "
        f"{escape(day_text(report.last))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *_header(report),
        *_adherence(report),
        *_pain(report),
        *_routines(report),
        *_exercises(report),
        *_notes(report),
        *_marked_days(report),
        '<section class="health">',
        "<h2>A note on health</h2>",
        f"<p>{escape(report.health_note)}</p>",
        "</section>",
        f"<footer>Made by hipmob on {escape(day_text(report.today))} from the history kept on "
        "this computer.</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _header(report: Report) -> Iterator[str]:
    weeks = len(report.weeks)
    yield "<header>"
    yield "<h1>Hip mobility: activity and pain</h1>"
    yield (
        f'<p class="period">{counted(weeks, "week")}, '
        f"{escape(day_text(report.first))} to {escape(day_text(report.last))}</p>"
    )
    yield '<ul class="summary">'
    yield f"<li><b>{report.sessions}</b>{'session' if report.sessions == 1 else 'sessions'}</li>"
    yield f"<li><b>{report.completed}</b>completed</li>"
    yield f"<li><b>{report.scored}</b>scored for pain before and after</li>"
    yield (
        f"<li><b>{report.weeks_met} of {report.weeks_begun}</b>weeks met the goal of "
        f"{report.weekly_goal} days a week</li>"
    )
    for count, words in report.marked():
        yield f"<li><b>{count}</b>{escape(words)}</li>"
    yield "</ul>"
    yield "</header>"


def _adherence(report: Report) -> Iterator[str]:
    yield '<section class="adherence">'
    yield '<div class="keep">'
    yield "<h2>Adherence</h2>"
    yield (
        "<p>Days with a completed session each week, against the weekly goal of "
        f"{report.weekly_goal}. A day marked rest, flare or away without a completed session "
        f"lowers its week's goal by one (rest at most {report.max_rest_days_per_week} days a "
        "week).</p>"
    )
    yield "<figure>"
    yield from _weeks_chart(report.weeks)
    yield "</figure>"
    yield "</div>"
    yield '<ul class="legend">'
    yield '<li><span class="key completed"></span>a completed session</li>'
    yield '<li><span class="key partial"></span>partial sessions only</li>'
    yield '<li><span class="key"></span>no session</li>'
    yield (
        '<li><span class="key marked"></span>marked: R rest, F flare, A away</li>'
        if report.marks
        else ""
    )
    yield "</ul>"
    yield '<table class="calendar">'
    yield '<thead><tr><th class="week">Week of</th>'
    yield "".join(f"<th>{name}</th>" for name in WEEKDAYS)
    yield '<th class="goal">Days / goal</th></tr></thead>'
    yield "<tbody>"
    for index, week in enumerate(report.weeks):
        cells = []
        for day in report.days[index * 7 : index * 7 + 7]:
            classes = ["day"]
            if day.future:
                classes.append("future")
            elif day.state in (COMPLETED, PARTIAL):
                classes.append(day.state)
            mark = ""
            if day.mark is not None:
                classes.append("marked")
                mark = f"<sup>{MARK_LETTERS.get(day.mark, '?')}</sup>"
            title = f"{day.day.isoformat()}: {day.state}" + (f", {day.mark}" if day.mark else "")
            cells.append(
                f'<td><span class="{" ".join(classes)}" title="{escape(title)}">'
                f"{day.day.day}{mark}</span></td>"
            )
        yield (
            f'<tr><td class="week">{escape(short_day(week.monday))}</td>{"".join(cells)}'
            f'<td class="goal">{week.counted} / {week.goal}</td></tr>'
        )
    yield "</tbody></table>"
    yield "</section>"


def _weeks_chart(weeks: Sequence[WeekAdherence]) -> Iterator[str]:
    """Bars of counted days per week, each week's goal as a dashed tick over its bar."""
    width, height, left, bottom, top = 720, 170, 34, 26, 10
    plot = height - bottom - top
    step = (width - left - 8) / max(1, len(weeks))
    bar = max(2.0, step * 0.62)

    def y(days: float) -> float:
        return top + plot - days / 7 * plot

    yield (
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Days with a completed session per week, against the goal">'
    )
    for days in (0, 2, 4, 6):
        yield (
            f'<line x1="{left}" x2="{width - 8}" y1="{y(days):.1f}" y2="{y(days):.1f}" '
            'stroke="#e4e7eb" stroke-width="1"/>'
        )
        yield f'<text x="{left - 6}" y="{y(days) + 4:.1f}" text-anchor="end">{days}</text>'
    label_every = max(1, round(len(weeks) / 12))
    for index, week in enumerate(weeks):
        x = left + index * step + (step - bar) / 2
        if week.counted:
            yield (
                f'<rect x="{x:.1f}" y="{y(week.counted):.1f}" width="{bar:.1f}" '
                f'height="{y(0) - y(week.counted):.1f}" fill="#5b9599" rx="1.5"/>'
            )
        yield (
            f'<line x1="{x - 2:.1f}" x2="{x + bar + 2:.1f}" y1="{y(week.goal):.1f}" '
            f'y2="{y(week.goal):.1f}" stroke="#1f2933" stroke-width="1.6" '
            'stroke-dasharray="4 2"/>'
        )
        if index % label_every == 0:
            yield (
                f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                f"{escape(short_day(week.monday))}</text>"
            )
    yield "</svg>"
    yield (
        "<figcaption>Bars: days with a completed session. Dashed line: that week's goal."
        "</figcaption>"
    )


def _pain(report: Report) -> Iterator[str]:
    yield '<section class="pain">'
    yield '<div class="keep">'
    yield "<h2>Pain before and after sessions</h2>"
    if not report.scored and not any(w.before is not None for w in report.pain):
        yield "<p>No session in this period was scored for pain.</p>"
        yield "</div>"
        yield "</section>"
        return
    yield (
        "<p>Weekly median of the pain scores (0 none, 10 worst) given before and after "
        "each session.</p>"
    )
    yield "<figure>"
    yield from _pain_chart(report.pain)
    yield "</figure>"
    yield "</div>"
    if len(report.pain) <= PAIN_TABLE_WEEKS:
        yield "<table>"
        yield (
            '<thead><tr><th>Week of</th><th class="num">Before</th><th class="num">After</th>'
            '<th class="num">Sessions scored</th></tr></thead><tbody>'
        )
        for week in report.pain:
            yield (
                f'<tr><td class="date">{escape(day_text(week.monday))}</td>'
                f'<td class="num">{number(week.before)}</td>'
                f'<td class="num">{number(week.after)}</td>'
                f'<td class="num">{week.scored}</td></tr>'
            )
        yield "</tbody></table>"
    yield "</section>"


def _pain_chart(weeks: Sequence[PainWeek]) -> Iterator[str]:
    """Two lines, before (solid, squares) and after (dashed, circles): readable in grey."""
    width, height, left, bottom, top = 720, 200, 34, 26, 10
    plot = height - bottom - top
    step = (width - left - 8) / max(1, len(weeks))

    def x(index: int) -> float:
        return left + index * step + step / 2

    def y(score: float) -> float:
        return top + plot - score / 10 * plot

    yield (
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Weekly median pain before and after sessions">'
    )
    for score in (0, 2, 4, 6, 8, 10):
        yield (
            f'<line x1="{left}" x2="{width - 8}" y1="{y(score):.1f}" y2="{y(score):.1f}" '
            'stroke="#e4e7eb" stroke-width="1"/>'
        )
        yield f'<text x="{left - 6}" y="{y(score) + 4:.1f}" text-anchor="end">{score}</text>'
    label_every = max(1, round(len(weeks) / 12))
    for index, week in enumerate(weeks):
        if index % label_every == 0:
            yield (
                f'<text x="{x(index):.1f}" y="{height - 8}" text-anchor="middle">'
                f"{escape(short_day(week.monday))}</text>"
            )
    dot = 3.2 if len(weeks) <= 30 else 1.6
    for values, colour, dashes, square in (
        ([w.before for w in weeks], "#3e4c59", "", True),
        ([w.after for w in weeks], "#2f6f73", ' stroke-dasharray="6 4"', False),
    ):
        for run in _runs(values):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            yield (
                f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dashes}/>'
            )
        for i, v in enumerate(values):
            if v is None:
                continue
            if square:
                yield (
                    f'<rect x="{x(i) - dot:.1f}" y="{y(v) - dot:.1f}" width="{2 * dot:.1f}" '
                    f'height="{2 * dot:.1f}" fill="{colour}"/>'
                )
            else:
                yield (
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="{dot:.1f}" fill="#fff" '
                    f'stroke="{colour}" stroke-width="1.6"/>'
                )
    yield "</svg>"
    yield (
        "<figcaption>Solid line, squares: before the session. Dashed line, circles: after. "
        "A gap is a week with no score.</figcaption>"
    )


def _runs(values: Sequence[float | None]) -> Iterator[list[tuple[int, float]]]:
    """The stretches of consecutive weeks that have a value, as (index, value) lists."""
    run: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if run:
                yield run
            run = []
        else:
            run.append((index, value))
    if run:
        yield run


def _routines(report: Report) -> Iterator[str]:
    found = report.progress
    yield '<section class="routines">'
    yield "<h2>Pain change per routine</h2>"
    if not found.routines:
        yield "<p>No sessions in this period.</p>"
        yield "</section>"
        return
    yield (
        "<p>Pain after minus pain before, over the sessions scored both times: the median, "
        "how many sessions it rests on (n) and the range. Under 3 scored sessions there is "
        "too little to give a median.</p>"
    )
    yield "<table>"
    yield (
        '<thead><tr><th>Routine</th><th class="num">Sessions</th>'
        '<th class="num">Completed</th><th class="num">Median change</th>'
        '<th class="num">n</th><th>Range</th><th>Last done</th></tr></thead><tbody>'
    )
    for routine in found.routines:
        yield (
            f"<tr><td>{escape(routine.name)}</td>"
            f'<td class="num">{routine.sessions}</td>'
            f'<td class="num">{routine.completed}</td>'
            f'<td class="num">{escape(routine.pain.median_text)}</td>'
            f'<td class="num">{routine.pain.scored}</td>'
            f"<td>{escape(routine.pain.range_text)}</td>"
            f'<td class="date">{escape(day_text(routine.last_done))}</td></tr>'
        )
    yield "</tbody></table>"
    for name in found.cautions:
        yield f'<p class="caution">{escape(CAUTION.format(name=name, worse=WORSE))}</p>'
    yield f'<p class="small">{escape(ASSOCIATION)}</p>'
    yield "</section>"


def _exercises(report: Report) -> Iterator[str]:
    yield '<section class="exercises">'
    yield "<h2>Exercises and dosage as done</h2>"
    if not report.exercises:
        yield "<p>No exercises in this period.</p>"
        yield "</section>"
        return
    yield (
        "<p>Each exercise of the sessions in this period: how many sessions included at least "
        "one set of it, the sets done of those planned, and the time spent in it.</p>"
    )
    yield "<table>"
    yield (
        '<thead><tr><th>Phase</th><th>Exercise</th><th class="num">Sessions</th>'
        '<th class="num">Sets done of planned</th><th class="num">Time</th></tr></thead><tbody>'
    )
    for exercise in report.exercises:
        yield (
            f"<tr><td>{escape(exercise.phase.upper())}</td><td>{escape(exercise.name)}</td>"
            f'<td class="num">{exercise.sessions}</td>'
            f'<td class="num">{exercise.sets_done} of {exercise.sets_planned}</td>'
            f'<td class="num">{escape(duration(exercise.seconds))}</td></tr>'
        )
    yield "</tbody></table>"
    yield "</section>"


def duration(seconds: int) -> str:
    """Time spent as people say it: "45 s", "12 min", "3 h 5 min"."""
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _marked_days(report: Report) -> Iterator[str]:
    if not report.marked_days:
        return
    yield '<section class="notes marked">'
    yield "<h2>Marked days</h2>"
    yield (
        "<p>Days marked rest (planned), flare (pain flared) or away (travel, illness), with "
        "the note written then. A marked day without a completed session holds the streak.</p>"
    )
    yield "<table>"
    yield "<thead><tr><th>Date</th><th>Marked</th><th>Note</th></tr></thead><tbody>"
    for mark in report.marked_days:
        held = "" if mark.held else " (held nothing)" if mark.kind == "rest" else ""
        yield (
            f'<tr><td class="date">{escape(day_text(mark.day))}</td>'
            f'<td class="routine">{escape(mark.kind + held)}</td>'
            f'<td class="note">{escape(mark.note.strip())}</td></tr>'
        )
    yield "</tbody></table>"
    yield "</section>"


def _notes(report: Report) -> Iterator[str]:
    yield '<section class="notes">'
    yield "<h2>Session notes</h2>"
    if not report.notes:
        yield "<p>No session in this period has a note.</p>"
        yield "</section>"
        return
    yield "<table>"
    yield "<thead><tr><th>Date</th><th>Routine</th><th>Note</th></tr></thead><tbody>"
    for note in report.notes:
        yield (
            f'<tr><td class="date">{escape(day_text(note.day))}</td>'
            f'<td class="routine">{escape(note.routine)}</td>'
            f'<td class="note">{escape(note.text.strip())}</td></tr>'
        )
    yield "</tbody></table>"
    yield "</section>"
