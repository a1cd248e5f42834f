"""What the clinician's report holds, computed from records: period, adherence, pain, notes."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from hipmob_tui.history.records import ExerciseDone, SessionRecord
from hipmob_tui.history.report import (
    COMPLETED,
    HEALTH_NOTE,
    NONE,
    PARTIAL,
    build_report,
)
from hipmob_tui.history.report_html import duration, render_html
from hipmob_tui.history.report_markdown import cell, render_markdown

TODAY = date(2026, 11, 25)  # a Wednesday
ZONE = timezone(timedelta(hours=1))
README = Path(__file__).resolve().parent.parent / "README.md"


def session(
    day: date,
    *,
    status: str = "completed",
    before: int | None = None,
    after: int | None = None,
    notes: str = "",
    routine: str = "Desk Reset",
    sets_done: int = 2,
) -> SessionRecord:
    began = datetime.combine(day, datetime.min.time(), ZONE).replace(hour=8)
    return SessionRecord(
        id=f"{day:%Y%m%d}-{status}-{routine[:4]}".replace(" ", "x"),
        routine_id=routine.lower().replace(" ", "-"),
        routine_name=routine,
        started_at=began,
        ended_at=began + timedelta(minutes=10),
        status=status,
        planned_seconds=600,
        active_seconds=600,
        exercises=(
            ExerciseDone("dead-bug", "Dead Bug", "rebuild", sets_done, 3, 120),
            ExerciseDone("breathing", "Breathing", "reset", 1, 1, 90),
        ),
        pain_before=before,
        pain_after=after,
        notes=notes,
    )


def test_the_period_is_whole_weeks_ending_with_todays() -> None:
    report = build_report([], TODAY, 2)
    assert report.first == date(2026, 11, 16)  # the Monday a week before this one
    assert len(report.days) == 14 and report.days[-1].day == date(2026, 11, 29)
    assert [d.future for d in report.days[-5:]] == [False, True, True, True, True]
    assert [w.monday for w in report.weeks] == [date(2026, 11, 16), date(2026, 11, 23)]


def test_sessions_outside_the_period_are_left_out() -> None:
    old = session(date(2026, 11, 1), notes="long ago")
    report = build_report([old, session(TODAY)], TODAY, 2)
    assert report.sessions == 1 and [n.text for n in report.notes] == []


def test_calendar_tells_completed_partial_and_empty_days_apart() -> None:
    monday = date(2026, 11, 23)
    records = [
        session(monday),
        session(monday, status="partial"),  # a completed one the same day wins
        session(monday + timedelta(days=1), status="partial"),
    ]
    report = build_report(records, TODAY, 1)
    assert [d.state for d in report.days[:3]] == [COMPLETED, PARTIAL, NONE]
    week = report.weeks[0]
    assert (week.counted, week.sessions, week.goal) == (1, 3, 3)


def test_marked_days_lower_their_weeks_goal_and_show_on_the_calendar() -> None:
    monday = date(2026, 11, 23)
    marks = {monday: "rest", monday + timedelta(days=1): "flare", date(2026, 1, 1): "away"}
    report = build_report(
        [session(monday + timedelta(days=2))], TODAY, 1, weekly_goal=3, marks=marks
    )
    assert report.weeks[0].goal == 1 and report.weeks[0].met
    assert [d.mark for d in report.days[:3]] == ["rest", "flare", None]
    assert date(2026, 1, 1) not in report.marks  # outside the period
    assert "marked: R rest, F flare, A away" in render_html(report)
    assert "| 23 Nov | R | F | ● |" in render_markdown(report)
    assert "- 1 session, 1 completed" in render_markdown(report)


def test_a_session_on_a_marked_day_counts_and_does_not_lower_the_goal() -> None:
    monday = date(2026, 11, 23)
    report = build_report([session(monday)], TODAY, 1, marks={monday: "rest"})
    assert (report.weeks[0].counted, report.weeks[0].goal) == (1, 3)


def test_pain_is_the_weekly_median_of_before_and_after() -> None:
    monday = date(2026, 11, 23)
    records = [
        session(monday, before=6, after=3),
        session(monday + timedelta(days=1), before=4, after=3),
        session(TODAY, before=5),  # before only: in the median before, not scored
    ]
    report = build_report(records, TODAY, 2)
    first, this = report.pain
    assert (first.before, first.after, first.scored) == (None, None, 0)
    assert (this.before, this.after, this.scored) == (5.0, 3.0, 2)
    assert report.scored == 2


def test_per_routine_figures_cover_the_period_only() -> None:
    records = [
        session(date(2026, 10, 1), before=9, after=0),
        *(session(TODAY - timedelta(days=n), before=5, after=4) for n in range(3)),
    ]
    (routine,) = build_report(records, TODAY, 2).progress.routines
    assert (routine.sessions, routine.pain.median_text, routine.pain.scored) == (3, "-1", 3)


def test_notes_keep_date_routine_and_words_oldest_first() -> None:
    records = [
        session(TODAY, notes="better today", routine="Evening Wind-Down"),
        session(TODAY - timedelta(days=1), notes="   "),
        session(TODAY - timedelta(days=2), notes="stiff"),
    ]
    notes = build_report(records, TODAY, 1).notes
    assert [(n.day, n.routine, n.text) for n in notes] == [
        (TODAY - timedelta(days=2), "Desk Reset", "stiff"),
        (TODAY, "Evening Wind-Down", "better today"),
    ]


def test_exercises_show_sets_done_of_planned_in_phase_order() -> None:
    records = [session(TODAY), session(TODAY - timedelta(days=1), sets_done=0)]
    rows = build_report(records, TODAY, 1).exercises
    assert [(e.name, e.phase, e.sessions, e.sets_done, e.sets_planned) for e in rows] == [
        ("Breathing", "reset", 2, 2, 2),
        ("Dead Bug", "rebuild", 1, 2, 6),
    ]
    assert "2 of 6" in render_html(build_report(records, TODAY, 1))


def test_durations_read_as_people_say_them() -> None:
    assert [duration(s) for s in (45, 720, 3600, 3900)] == ["45 s", "12 min", "1 h", "1 h 5 min"]


def test_the_health_note_is_the_readmes_word_for_word() -> None:
    text = README.read_text(encoding="utf-8").split("## A note on health", 1)[1]
    paragraph = text.strip().split("\n\n", 1)[0]
    assert " ".join(paragraph.split()) == HEALTH_NOTE
    report = build_report([], TODAY, 1)
    assert HEALTH_NOTE in render_markdown(report)
    assert HEALTH_NOTE in render_html(report)  # it has no character html.escape changes


def test_an_empty_period_says_so_in_each_section() -> None:
    page = render_html(build_report([], TODAY, 4))
    assert "No sessions in this period." in page
    assert "No session in this period was scored for pain." in page
    assert "No session in this period has a note." in page


HOSTILE = (
    "<script>alert(1)</script>",
    "</style><script>alert(2)</script>",
    '<img src=x onerror="alert(3)">',
    "</td></tr></table><h1>big</h1>",
    "a | b `code` [link](http://x) *bold* &lt; line\nbreak\tand tab",
)


def test_hostile_text_in_notes_and_names_is_escaped_in_html() -> None:
    records = [
        session(TODAY - timedelta(days=n), notes=note, routine=f"R{n} {note}")
        for n, note in enumerate(HOSTILE)
    ]
    page = render_html(build_report(records, TODAY, 2))
    # The page's own markup has no script, no img and no event handler: all from data.
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "<h1>big" not in page and page.count("</style>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp;lt; line\nbreak" in page  # an entity typed in a note stays as typed
    assert "default-src 'none'" in page  # and the page forbids any script anyway


def test_hostile_text_is_escaped_in_markdown_cells() -> None:
    assert cell("a | b") == r"a \| b"
    assert cell("`x` <b>") == r"\`x\` \<b\>"
    assert cell("[l](u) *s* &lt;") == r"\[l\](u) \*s\* \&lt;"
    assert cell("one\ntwo\r\nthree\tfour") == "one / two / three four"
    records = [session(TODAY, notes=HOSTILE[4]), session(TODAY, notes=HOSTILE[0], routine="X")]
    text = render_markdown(build_report(records, TODAY, 1))
    notes = text.split("## Session notes", 1)[1].split("##", 1)[0]
    rows = [line for line in notes.splitlines() if line.startswith("|")]
    # Every row still has exactly its three columns: no pipe from a note split one.
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 4 for row in rows)
    assert "<script>" not in text


def test_marked_days_are_counted_and_listed_with_their_notes_escaped() -> None:
    """A clinician sees the flare days and what was written about them."""
    flare, rest = TODAY - timedelta(days=2), TODAY - timedelta(days=1)
    report = build_report(
        [],
        TODAY,
        2,
        marks={flare: "flare", rest: "rest"},
        mark_notes={flare: "bent to pick up <laundry>"},
    )
    assert [(m.day, m.kind, m.note, m.held) for m in report.marked_days] == [
        (flare, "flare", "bent to pick up <laundry>", True),
        (rest, "rest", "", True),
    ]
    page = render_html(report)
    assert "<h2>Marked days</h2>" in page and "bent to pick up &lt;laundry&gt;" in page
    assert "<b>1</b>flare day marked" in page and "<b>1</b>rest day marked" in page
    assert "without a completed session lowers its week's goal" in page
    text = render_markdown(report)
    assert "## Marked days" in text and "- 1 flare day marked" in text
    assert "bent to pick up \\<laundry\\>" in text


def test_weeks_before_the_history_began_are_not_missed_weeks() -> None:
    """A history begun this week, reported over 2 weeks: 'of 1 week', not 'of 2'."""
    one = session(TODAY - timedelta(days=TODAY.weekday()))  # this Monday
    report = build_report([one], TODAY, 2, weekly_goal=1)
    assert [w.begun for w in report.weeks] == [False, True]
    assert (report.weeks_met, report.weeks_begun) == (1, 1)
    assert "1 of 1 weeks met the goal" in render_markdown(report)
