"""Day marks in History under Pilot: m marks the calendar's day, the calendar and the
streak show it, and a rest past the week's limit is said to hold nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.store import Store
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.dialogs.mark_day import MarkDayScreen
from hipmob_tui.ui.screens.history import HistoryScreen
from hipmob_tui.ui.widgets.heatmap import Heatmap
from tests.test_ui_history import SIZE, TODAY, _app, _paths, _settle
from tests.uitools import notices, screen_text

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test


def _quiet_days(catalog: Catalog, tmp_path: Path) -> tuple[Path, HipmobApp, list[date]]:
    """Thirty days of demo sessions; the days among them with no session, newest first."""
    paths = _paths(tmp_path)
    sessions = demo_sessions(catalog, TODAY, 30)
    Store(paths.db).merge(sessions)
    busy = {s.date for s in sessions}
    quiet = [
        TODAY - timedelta(days=n) for n in range(1, 30) if TODAY - timedelta(days=n) not in busy
    ]
    return paths.db, _app(catalog, paths), quiet


def _calendar_line(app: HipmobApp) -> str:
    return next(
        line for line in screen_text(app).splitlines() if line.startswith(" Sat ") or "Mark" in line
    )


async def _mark(
    pilot: Pilot[None], app: HipmobApp, day: date, *, down: int, note: str = ""
) -> None:
    """Select `day` in the calendar, press m, pick the kind `down` steps below the one the
    list opens on (the day's kind, or rest), type `note`, save."""
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    screen.query_one(Heatmap).selected = day
    await pilot.pause()
    await pilot.press("m")
    assert isinstance(app.screen, MarkDayScreen)
    await pilot.press("enter", *["down"] * down, "enter", "tab", *note, "ctrl+s")
    await _settle(app, pilot)


async def test_m_marks_a_quiet_day_and_the_calendar_and_day_line_show_it(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    db, app, quiet = _quiet_days(builtin_catalog, tmp_path)
    day = quiet[0]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await _mark(pilot, app, day, down=1, note="back flared")
        assert isinstance(app.screen, HistoryScreen)
        assert f"Marked {day:%a %d %b} as flare." in notices(app)
        text = screen_text(app)
        assert f"{day:%a %d %b %Y}  flare day: back flared" in text
        assert "r rest  f flare  a away" in text  # the calendar's key names the marks
        assert " f " in "\n".join(text.splitlines()[3:11])  # drawn in the calendar
    (mark,) = Store(db).marks()
    assert (mark.date, mark.kind, mark.note) == (day, "flare", "back flared")


async def test_a_mark_can_be_taken_away_from_the_same_dialog(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    db, app, quiet = _quiet_days(builtin_catalog, tmp_path)
    Store(db).set_marks([quiet[0]], "away", "trip")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await _mark(pilot, app, quiet[0], down=1)  # the list opens on away; below: no mark
        assert "mark taken away" in notices(app)
        assert "away day" not in screen_text(app)
    assert Store(db).marks() == []
    # It leaves the tombstone of its removal, so another machine's copy does not come back.
    assert [removal.date for removal in Store(db).facts()[0].deleted_marks] == [quiet[0]]


async def test_a_rest_past_the_weeks_limit_is_kept_and_said_to_hold_nothing(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)  # last week: no session at all
    Store(paths.db).set_marks([monday, monday + timedelta(days=1)], "rest")
    app = _app(builtin_catalog, paths)
    third = monday + timedelta(days=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await _mark(pilot, app, third, down=0)
        assert "this one is kept but does not hold the streak" in notices(app)
        assert f"{third:%a %d %b %Y}  rest day (over the rest limit)" in screen_text(app)
    assert len(Store(paths.db).marks()) == 3


async def test_the_header_says_how_many_days_the_streak_froze(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Yesterday away, the day before done, today done: a streak of 2 with 1 frozen."""
    paths = _paths(tmp_path)
    one = demo_sessions(builtin_catalog, TODAY, 1)[0].with_changes(status="completed")
    assert one.date == TODAY
    two_days_ago = one.with_changes(
        id="older",
        started_at=one.started_at - timedelta(days=2),
        ended_at=one.ended_at - timedelta(days=2),
    )
    Store(paths.db).merge([one, two_days_ago])
    Store(paths.db).set_marks([TODAY - timedelta(days=1)], "away")
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        assert "Streak 2 days (1 frozen)" in screen_text(app).splitlines()[1]


async def test_the_calendar_key_names_the_marks_at_every_width(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Marks are drawn, so the key names them however narrow: none and partial go first."""
    db, app, quiet = _quiet_days(builtin_catalog, tmp_path)
    Store(db).set_marks(quiet[:1], "flare")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        for width in range(60, 141, 10):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            key = next(line for line in screen_text(app).splitlines() if "■ done" in line)
            assert "r rest" in key and "f flare" in key and "a away" in key, width


async def test_a_day_ahead_in_this_week_can_be_marked_as_planned_rest(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """The calendar goes on to Sunday, not further: a rest day can be planned."""
    db, app, _ = _quiet_days(builtin_catalog, tmp_path)
    sunday = TODAY + timedelta(days=6 - TODAY.weekday())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await pilot.press("c", *["down"] * 10)
        assert app.screen.query_one(Heatmap).selected == sunday
        await pilot.press("m")
        await pilot.press("ctrl+s")  # rest, the kind the dialog starts on
        await _settle(app, pilot)
        assert f"{sunday:%a %d %b %Y}  rest day" in screen_text(app)
    (mark,) = Store(db).marks()
    assert (mark.date, mark.kind) == (sunday, "rest")


async def test_a_flare_day_ahead_is_not_marked(builtin_catalog: Catalog, tmp_path: Path) -> None:
    """Rest and away may be planned; a flare is marked when it happens."""
    from textual.widgets import Select

    db, app, _ = _quiet_days(builtin_catalog, tmp_path)
    sunday = TODAY + timedelta(days=6 - TODAY.weekday())
    assert sunday > TODAY
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await pilot.press("c", *["down"] * 10, "m")
        await pilot.pause()
        app.screen.query_one("#kind", Select).value = "flare"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "a flare day is marked when it happens" in notices(app)
    assert Store(db).marks() == []
