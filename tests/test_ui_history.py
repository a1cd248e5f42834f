"""Pilot tests of the History pane: what a keyboard user sees, and what reaches the file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from hipmob_tui import fileio
from hipmob_tui.content.loading import Catalog
from hipmob_tui.history import fileformat
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.store import Facts, Stamp, Store
from hipmob_tui.history.streaks import streak
from hipmob_tui.paths import Paths, resolve
from hipmob_tui.ui import text
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.dialogs.session_forms import (
    ConfirmDeleteScreen,
    EditSessionScreen,
    LogSessionScreen,
    SessionDetailScreen,
)
from hipmob_tui.ui.screens.history import HistoryScreen
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.widgets.heatmap import Heatmap
from hipmob_tui.ui.widgets.history_header import HistoryHeader
from hipmob_tui.ui.widgets.sessions_table import FIRST_PAGE, SessionsTable
from tests.uitools import notices, screen_text

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

SIZE = (100, 30)
TODAY = date(2026, 11, 24)


def _paths(tmp_path: Path) -> Paths:
    return resolve(db=str(tmp_path / "data" / "hipmob.json"), environ={"HOME": str(tmp_path)})


def _app(catalog: Catalog, paths: Paths) -> HipmobApp:
    return HipmobApp(catalog, paths, today=lambda: TODAY)


async def _settle(app: HipmobApp, pilot: Pilot[None]) -> None:
    """Let the pane's reads and writes finish, then let it repaint."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def _with_history(catalog: Catalog, tmp_path: Path, days: int) -> tuple[Paths, HipmobApp]:
    """A database of `days` days of demo sessions, and the app over it."""
    paths = _paths(tmp_path)
    Store(paths.db).merge(demo_sessions(catalog, TODAY, days))
    return paths, _app(catalog, paths)


def _with_a_note(catalog: Catalog, tmp_path: Path) -> tuple[Paths, HipmobApp]:
    """Twenty days of demo sessions, the newest (selected first) with a note."""
    paths, app = _with_history(catalog, tmp_path, 20)
    newest = max(Store(paths.db).sessions(), key=lambda r: r.started_at)
    Store(paths.db).update(newest.id, lambda r: r.with_changes(notes="hips tight"))
    return paths, app


async def _read_the_library(app: HipmobApp, pilot: Pilot[None]) -> None:
    """A person reads the first screen a moment: the app's work after its first frame runs."""
    # The app starts this once its first frame is up; starting it here spares the test a
    # guess at when that is. A second read finds the first one's result.
    app._start_prefetch()
    await _settle(app, pilot)
    await _settle(app, pilot)


@contextmanager
def _own_reads_held(app: HipmobApp) -> Iterator[None]:
    """Any read of the file a screen starts waits until the block ends: what the screen
    shows meanwhile can only come from the app's own read."""
    let_read = threading.Event()
    read = app.store.facts

    def held_read() -> tuple[Facts, Stamp | None]:
        let_read.wait(10)
        return read()

    app.store.facts = held_read  # type: ignore[method-assign]
    try:
        yield
    finally:
        let_read.set()


def _table(app: HipmobApp) -> SessionsTable:
    return app.screen.query_one(SessionsTable)


async def test_history_read_after_the_first_frame_is_in_history_s_first_paint(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Opened once the app has read the file, History shows its rows as it first appears,
    with no read of its own (a thread, and frames without rows before them)."""
    paths, app = _with_history(builtin_catalog, tmp_path, 30)
    sessions = Store(paths.db).sessions()
    async with app.run_test(size=SIZE) as pilot:
        await _read_the_library(app, pilot)
        with _own_reads_held(app):
            await pilot.press("h")
            await pilot.pause()
            assert _table(app).row_count == len(sessions)
            assert f"{max(r.date for r in sessions):%a %d %b %Y}" in screen_text(app)


async def test_empty_history_says_what_to_do(builtin_catalog: Catalog, tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "Streak 0 days" in text
        assert "No sessions yet" in text and "or a to log" in text
        assert "No pain scores yet" in text
        await _footer_settled(pilot)
        assert _footer(app).startswith("o r Sort c Calendar a Log past"), "greyed, not gone"
    assert not paths.db.exists(), "looking at history must not create a file"


async def test_shows_streak_calendar_and_newest_first(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    records = demo_sessions(builtin_catalog, TODAY, 200)
    Store(paths.db).merge(records)
    expected = streak((r.date for r in records if r.completed), TODAY, 3)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        text = screen_text(app)
        assert f"Streak {expected.current} day" in text
        assert f"longest {expected.longest}" in text
        assert f"Week {expected.week_text}" in text
        assert f"{len(records)} sessions" in text
        newest = max(records, key=lambda r: r.started_at)
        assert _table(app).current == newest
        assert "Tue 24 Nov 2026" in text  # the calendar's selected day: today
        assert "Mon" in text and "Sun" in text and "Nov" in text
        assert "Average change −" in text


async def test_calendar_arrows_move_by_week_and_day_and_follow_the_table(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    records = demo_sessions(builtin_catalog, TODAY, 200)
    Store(paths.db).merge(records)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await pilot.press("c", "left", "up")
        heatmap = app.screen.query_one(Heatmap)
        day = TODAY - timedelta(days=8)
        assert heatmap.selected == day
        assert f"{day:%a %d %b %Y}" in screen_text(app)
        on_day = [r for r in records if r.date == day]
        if on_day:
            assert _table(app).current in on_day
        await pilot.press("right", "right")  # never past this week's Sunday
        assert heatmap.selected == TODAY + timedelta(days=6 - TODAY.weekday())
        await pilot.press("tab", "down", "down")  # back in the table
        assert heatmap.selected == _table(app).current.date  # type: ignore[union-attr]


def _footer(app: HipmobApp) -> str:
    """The bottom line: the keys as a person reads them."""
    return screen_text(app).splitlines()[-1].rstrip()


async def _footer_settled(pilot: Pilot[None]) -> None:
    for _ in range(4):  # the footer rebuilds after the refresh that follows a focus change
        await pilot.pause()


async def test_escape_leaves_the_calendar_for_the_table_on_the_day_picked(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """c goes into the calendar and escape comes back to the table, on the session of the
    day picked there; the footer offers whichever of the two applies."""
    paths = _paths(tmp_path)
    records = demo_sessions(builtin_catalog, TODAY, 60)
    Store(paths.db).merge(records)
    picked = sorted({r.date for r in records})[-3]  # a day with a session, not the newest
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        table, heatmap = _table(app), app.screen.query_one(Heatmap)
        assert "c Calendar" in _footer(app) and "esc" not in _footer(app)
        await pilot.press("c")
        await _footer_settled(pilot)
        assert app.focused is heatmap
        assert _footer(app).startswith("esc Back") and "Calendar" not in _footer(app)
        await pilot.press(*["up"] * (TODAY - picked).days)
        assert heatmap.selected == picked
        await pilot.press("escape")
        await _footer_settled(pilot)
        assert app.focused is table
        assert table.current is not None and table.current.date == picked
        assert heatmap.selected == picked and f"{picked:%a %d %b %Y}" in screen_text(app)
        assert "c Calendar" in _footer(app) and "esc" not in _footer(app)
        await pilot.press("down")  # the arrows are the table's again
        assert table.current.date < picked and heatmap.selected == table.current.date
        # Outside the calendar escape is not the calendar's: nothing moves, History stays.
        shown = table.current
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)
        assert app.focused is table and table.current == shown
        await pilot.press("tab")  # the session's detail
        detail = app.focused
        assert detail is not None and detail.id == "session-detail"
        await pilot.press("escape")
        assert app.focused is detail and isinstance(app.screen, HistoryScreen)


async def test_footer_at_80_columns_shows_every_key_of_history_whole(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """History's own keys come first and fit 80 columns whole (o and r share "Sort");
    the areas' keys follow as far as there is room, and ? stays on the right."""
    _, app = _with_history(builtin_catalog, tmp_path, 60)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await _footer_settled(pilot)
        footer = _footer(app)
        assert footer.startswith(
            "o r Sort c Calendar a Log past m Mark day e Edit d Delete l Library"
        ), footer
        assert footer.endswith("? Help") and "Help" not in footer[:-8], footer
        await pilot.press("r")  # the r shown beside o: the same order, the other way round
        assert "date, oldest first" in screen_text(app)
        await pilot.press("c")
        await _footer_settled(pilot)
        footer = _footer(app)
        assert footer.startswith("esc Back a Log past m Mark day e Edit d Delete"), footer
        assert footer.endswith("? Help"), footer


async def test_help_lists_the_calendar_sort_and_focus_keys_of_history(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """? on History: c, escape, r and tab are listed with what they do there."""
    _, app = _with_history(builtin_catalog, tmp_path, 20)
    async with app.run_test(size=(100, 80)) as pilot:  # tall: History's section whole
        await pilot.press("h")
        await _settle(app, pilot)
        await pilot.press("question_mark", "end")  # History's section is near the end
        await pilot.pause()
        rows = [" ".join(line.strip("│ ▊▎▐").split()) for line in screen_text(app).splitlines()]
        for row in (
            "c Into the calendar, to pick a day",
            "esc Out of the calendar, back to the sessions table",
            "r Reverse the order",
            "tab Between the calendar, the table and the session's detail",
        ):
            assert row in rows, "\n".join(rows)


async def test_sort_keys_reorder_and_say_so(builtin_catalog: Catalog, tmp_path: Path) -> None:
    paths, app = _with_history(builtin_catalog, tmp_path, 60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        assert "date, newest first" in screen_text(app)
        await pilot.press("o")
        table = _table(app)
        names = [r.routine_name for r in table.ordered]
        assert names == sorted(names, key=str.casefold)
        assert "routine, A to Z" in screen_text(app)
        await pilot.press("r")
        assert "routine, Z to A" in screen_text(app)
        await pilot.press("o")
        minutes = [r.active_seconds for r in table.ordered]
        assert minutes == sorted(minutes, reverse=True)


async def test_ten_years_open_a_page_first_then_fill_in(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    Store(paths.db).merge(demo_sessions(builtin_catalog, TODAY, 3650))
    total = len(Store(paths.db).sessions())
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        table = _table(app)
        assert table.current is not None and table.current.date == TODAY
        table.show(table.ordered)  # what a load does, synchronously: one page only
        assert table.loaded == FIRST_PAGE < total
        await pilot.press("end")  # the oldest: built on demand
        assert table.current == table.ordered[-1]
        for _ in range(100):
            if table.loaded == total:
                break
            await pilot.pause(0.05)
        assert table.loaded == total


async def test_edit_pain_and_notes(builtin_catalog: Catalog, tmp_path: Path) -> None:
    paths, app = _with_history(builtin_catalog, tmp_path, 20)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        chosen = _table(app).current
        assert chosen is not None
        await pilot.press("e")
        await pilot.press(*"11", "ctrl+s")  # the old score is selected: typing replaces it
        assert "Pain before: pain is a whole number from 0 to 10" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", "6", "tab", "2")
        await pilot.press("tab", "ctrl+end", *"[/] [b]loose[/b] [@click=app.quit]")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        stored = {r.id: r for r in Store(paths.db).sessions()}[chosen.id]
        assert (stored.pain_before, stored.pain_after) == (6, 2)
        assert stored.version > chosen.version, "an edit is a new version, which a merge keeps"
        assert stored.notes.endswith("[/] [b]loose[/b] [@click=app.quit]")
        assert "[/] [b]loose[/b]" in screen_text(app)
        assert app.is_running
        assert _table(app).current is not None and _table(app).current.id == chosen.id


async def test_delete_needs_a_deliberate_yes(builtin_catalog: Catalog, tmp_path: Path) -> None:
    paths, app = _with_history(builtin_catalog, tmp_path, 20)
    before = len(Store(paths.db).sessions())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        chosen = _table(app).current
        assert chosen is not None
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDeleteScreen)
        await pilot.press("escape", "enter", "space")  # stray keys: nothing deleted
        await _settle(app, pilot)
        assert len(Store(paths.db).sessions()) == before
        await pilot.press("d", "y")
        await _settle(app, pilot)
        remaining = Store(paths.db).sessions()
        assert len(remaining) == before - 1
        assert chosen.id not in {r.id for r in remaining}
        tombstones = Store(paths.db).facts()[0].deleted
        assert [t.id for t in tombstones] == [chosen.id], "so a merge does not bring it back"
        assert f"Deleted {chosen.routine_name}" in notices(app)
        assert _table(app).current is not None


async def test_log_a_past_session_by_hand(builtin_catalog: Catalog, tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        keys = app.screen.active_bindings
        for greyed in "edo":  # nothing to edit, delete or sort yet: shown, greyed
            assert not keys[greyed].enabled, greyed
        assert keys["a"].enabled
        await pilot.press("a")
        assert isinstance(app.screen, LogSessionScreen)
        await pilot.press("tab", *"2026-02-30", "enter")
        assert "Date: '2026-02-30' is not a date: February 2026 has 28" in screen_text(app)
        await pilot.press(*"next week", "enter")  # typing replaced the selected bad date
        assert "Date: write the date as YYYY-MM-DD" in screen_text(app)
        await pilot.press(*"yesterday", "tab", *"12", "tab", "5")  # the bad date was selected
        await pilot.press("tab", "3", "tab", *"forgot the app", "enter")
        await _settle(app, pilot)
        (record,) = Store(paths.db).sessions()
        assert record.date == TODAY - timedelta(days=1)
        assert record.active_seconds == 12 * 60
        assert (record.pain_before, record.pain_after) == (5, 3)
        assert record.notes == "forgot the app" and record.completed
        assert "1 session" in screen_text(app)
        keys = app.screen.active_bindings
        assert all(keys[key].enabled for key in "edo"), "a session to act on: keys light up"


async def test_a_held_lock_is_waited_for_without_freezing(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    Store(paths.db).merge(demo_sessions(builtin_catalog, TODAY, 10))
    store = Store(paths.db)
    release = threading.Event()
    held = threading.Event()

    def other_hipmob() -> None:
        with fileio.locked(store.lock_path, 5):
            held.set()
            release.wait(10)

    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        holder = threading.Thread(target=other_hipmob)
        holder.start()
        held.wait(5)
        await pilot.press("d", "y")
        for _ in range(50):
            await pilot.pause(0.02)
            if "waiting for another hipmob" in screen_text(app):
                break
        assert "waiting for another hipmob" in screen_text(app)
        await pilot.press("o")  # the pane still answers keys
        assert "routine, A to Z" in screen_text(app)
        release.set()
        holder.join()
        await _settle(app, pilot)
        assert "waiting" not in screen_text(app)
        assert len(Store(paths.db).sessions()) == len(demo_sessions(builtin_catalog, TODAY, 10)) - 1


async def test_writes_from_elsewhere_are_kept_and_shown(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """`hipmob log` (over SSH, say) while the Library shows, then while History shows."""
    paths = _paths(tmp_path)
    records = demo_sessions(builtin_catalog, TODAY, 10)
    Store(paths.db).merge(records[:-2])
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await _read_the_library(app, pilot)  # the history is read meanwhile
        Store(paths.db).add(records[-2])
        await pilot.press("h")
        await _settle(app, pilot)
        assert f"{len(records) - 1} sessions" in screen_text(app)
        Store(paths.db).add(records[-1])
        await pilot.press("d", "y")  # the app's change applies to a fresh read
        await _settle(app, pilot)
        stored = {r.id for r in Store(paths.db).sessions()}
        assert records[-1].id in stored
        assert len(stored) == len(records) - 1
        await pilot.press("l", "h")  # coming back shows the file as it is
        await _settle(app, pilot)
        assert f"{len(records) - 1} sessions" in screen_text(app)


async def test_a_damaged_file_is_reported_and_left_alone(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """The app's early read fails quietly, the Library stays up; History then says why."""
    paths = _paths(tmp_path)
    paths.db.parent.mkdir(parents=True)
    paths.db.write_bytes(b'{"sessions": {"1": {"id": ')
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await _read_the_library(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert notices(app) == ""
        await pilot.press("h")
        await _settle(app, pilot)
        text = screen_text(app)
        assert "Cannot read your history" in text
        assert "hipmob doctor" in text
    assert paths.db.read_bytes() == b'{"sessions": {"1": {"id": '


async def test_a_session_repeated_in_the_file_shows_once_and_h_does_not_crash(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Two rows with one id (a copy): the table, keyed by id, shows the session once."""
    paths = _paths(tmp_path)
    records = demo_sessions(builtin_catalog, TODAY, 5)
    Store(paths.db).merge(records)
    raw = paths.db.read_bytes()
    row = fileformat.load_json(raw)["sessions"]["1"]
    paths.db.write_bytes(raw[:-2] + b',"99":' + fileformat.encode_document(row) + b"}}")
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await _read_the_library(app, pilot)
        await pilot.press("h")
        await _settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert _table(app).row_count == len(records)
        assert f"{len(records)} sessions" in screen_text(app)


async def test_two_sessions_under_one_id_are_reported_as_damage(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    Store(paths.db).merge(demo_sessions(builtin_catalog, TODAY, 5))
    raw = paths.db.read_bytes()
    row = {**fileformat.load_json(raw)["sessions"]["1"], "notes": "another"}
    damaged = raw[:-2] + b',"99":' + fileformat.encode_document(row) + b"}}"
    paths.db.write_bytes(damaged)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await _read_the_library(app, pilot)
        await pilot.press("h")
        await _settle(app, pilot)
        text = screen_text(app)
        assert "Cannot read your history" in text
        assert "is also the id of a different session" in notices(app)
    assert paths.db.read_bytes() == damaged


async def test_history_is_ready_before_h_is_pressed(
    builtin_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten years, read while the Library shows: after h the file is not parsed again."""
    paths = _paths(tmp_path)
    records = demo_sessions(builtin_catalog, TODAY, 3650)
    Store(paths.db).merge(records)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await _read_the_library(app, pilot)
        assert isinstance(app.screen, LibraryScreen), "the read happens out of sight"
        assert notices(app) == ""

        def read_again() -> None:
            raise AssertionError("History read the file again after h")

        monkeypatch.setattr(fileformat, "read_history", read_again)
        await pilot.press("h")
        await _settle(app, pilot)
        text = screen_text(app)
        assert TODAY.isoformat() in text and f"Sessions · {len(records):,}" in text
        footer = text.splitlines()[-1]
        assert "Library" in footer and "History" not in footer, "keys of the area shown"


async def test_the_calendar_key_is_whole_at_every_width(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """From the minimum width up, the key under the calendar names every kind of cell."""
    _, app = _with_history(builtin_catalog, tmp_path, 30)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        for width in range(60, 141, 5):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            key = next(line for line in screen_text(app).splitlines() if "◦ partial" in line)
            assert "· none" in key and "…" not in key, width
            shades = all(part in key for part in ("■ <10", "■ 10–19", "■ 20+ min"))
            assert shades or "■ done" in key, width


async def test_the_edit_hint_says_what_enter_does_and_notes_add_at_the_end(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """In the notes box Enter is a new line, and the hint says so; typing adds to the note."""
    paths, app = _with_a_note(builtin_catalog, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        chosen = _table(app).current
        assert chosen is not None and chosen.notes
        await pilot.press("e")
        assert isinstance(app.screen, EditSessionScreen)
        assert "ctrl+s or enter save" in screen_text(app)  # a one-line field: Enter saves
        await pilot.press("tab", "tab")
        hint = next(line for line in screen_text(app).splitlines() if "ctrl+s" in line)
        assert "enter new line" in hint and "enter save" not in hint
        await pilot.press(*" then", "enter", *"better")
        assert isinstance(app.screen, EditSessionScreen), "Enter in the notes must not save"
        await pilot.press("tab", "shift+tab", *"!")  # back into the box: still at the end
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        stored = {r.id: r for r in Store(paths.db).sessions()}[chosen.id]
        assert stored.notes == f"{chosen.notes} then\nbetter!"


async def test_a_fixed_field_clears_its_warning(builtin_catalog: Catalog, tmp_path: Path) -> None:
    """Edit: 11 is refused; once the field changes the stale warning goes."""
    _, app = _with_history(builtin_catalog, tmp_path, 20)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await pilot.press("e", "tab", *"11", "enter")
        assert "⚠ Pain after" in screen_text(app)
        await pilot.press("tab", "1")  # another field changes: that warning still holds
        assert "⚠ Pain after" in screen_text(app)
        await pilot.press("shift+tab", "backspace")
        await pilot.pause()
        assert "⚠" not in screen_text(app)
        await pilot.press("tab")
        assert "⚠" not in screen_text(app)


async def test_log_dialog_hint_and_warning(builtin_catalog: Catalog, tmp_path: Path) -> None:
    """Log a past session: Enter saves from any one-line field; a fixed date clears its warning."""
    _, app = _with_history(builtin_catalog, tmp_path, 5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        await pilot.press("a")
        assert isinstance(app.screen, LogSessionScreen)
        assert "enter new line" not in screen_text(app)  # no multi-line field here
        await pilot.press("tab", *"next week", "enter")
        assert "⚠ Date" in screen_text(app)
        await pilot.press(*"yesterday")
        await pilot.pause()
        assert "⚠" not in screen_text(app)
        await pilot.press(*["tab"] * 4)
        hint = next(line for line in screen_text(app).splitlines() if "ctrl+s" in line)
        assert "enter save" in hint, "the notes line is one line: Enter saves"


async def test_unscored_pain_reads_the_same_everywhere(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """A missing score is – in the table (alone when neither); the chart counts what it draws."""
    paths = _paths(tmp_path)
    records = sorted(demo_sessions(builtin_catalog, TODAY, 10), key=lambda r: r.started_at)
    scores = [(6, None), (None, 1), (None, None), (4, 2)]
    chosen = [
        r.with_changes(pain_before=before, pain_after=after)
        for r, (before, after) in zip(records[-4:], scores, strict=True)
    ]
    Store(paths.db).merge(chosen)
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        rows = {r.id: _table(app).get_row(r.id)[-1] for r in chosen}
        assert [str(rows[r.id]) for r in chosen] == ["6→–", "–→1", "–", "4→2"]
        text = screen_text(app)
        assert "0–10, last 3 sessions with a score" in text


async def test_narrow_history_shows_a_session_on_enter(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """At 60 × 20 the detail pane is hidden: Enter opens the session's notes and exercises."""
    _, app = _with_a_note(builtin_catalog, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        chosen = _table(app).current
        assert chosen is not None and chosen.notes and chosen.exercises
        assert "⏎ Details" in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        assert isinstance(app.screen, SessionDetailScreen)
        text = screen_text(app)
        assert chosen.notes in text and "Exercises" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("c")  # in the calendar Enter has nothing to open
        assert "Details" not in screen_text(app).splitlines()[-1]
        await pilot.press("tab")
        await pilot.resize_terminal(100, 30)  # the pane is back: no key needed for it
        await _settle(app, pilot)
        assert "Details" not in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        assert isinstance(app.screen, HistoryScreen)
        assert chosen.notes in screen_text(app)
        history_keys = dict(app.key_sections())["History"]
        assert ("⏎", "On a narrow terminal: the selected session in a window") in history_keys


async def test_the_header_keeps_its_key_figures_whole_at_every_width(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """Narrow, the lesser figures give way; the streak, week and session count stay whole."""
    _, app = _with_history(builtin_catalog, tmp_path, 200)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        overview = app.screen.query_one(HistoryHeader).overview
        assert overview is not None
        count = f"{len(overview.sessions)} sessions"
        for width in range(60, 141, 5):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            header = screen_text(app).splitlines()[1]
            assert "…" not in header, width
            assert "Streak" in header and "Week" in header and count in header, width
            if width >= 100:
                assert "longest" in header and "good week" in header, width


async def test_a_session_under_a_minute_reads_the_same_in_header_and_detail(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """43 seconds is "43 s" in the header and the detail, "<1" minutes in the table; never 0."""
    paths = _paths(tmp_path)
    (one,) = demo_sessions(builtin_catalog, TODAY, 1)[:1]
    Store(paths.db).merge([one.with_changes(active_seconds=43)])
    app = _app(builtin_catalog, paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        lines = screen_text(app).splitlines()
        assert "1 session · 43 s" in lines[1]
        assert "0 min" not in screen_text(app)
        assert "43 s" in screen_text(app).split(lines[1], 1)[1]  # the detail pane too
        assert _table(app).get_row_at(0)[2] == "<1"


async def test_a_second_start_shows_history_from_the_copy_of_the_first(
    builtin_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, app = _with_history(builtin_catalog, tmp_path, 30)
    count = len(Store(paths.db).sessions())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        assert f"{count} sessions" in screen_text(app)

    def not_parsed(*args: object) -> object:
        raise AssertionError("the history was parsed again")

    monkeypatch.setattr(fileformat, "history_of", not_parsed)
    again = _app(builtin_catalog, paths)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(again, pilot)
        assert isinstance(again.screen, HistoryScreen)
        assert f"{count} sessions" in screen_text(again)


def test_notices_name_a_day_of_another_year_with_its_year() -> None:
    """ "Deleted Desk Reset of Mon 01 Jan" said nothing of which year's Monday it was."""
    today = date(2026, 12, 6)
    assert text.day_name(date(2026, 1, 5), today) == "Mon 05 Jan"
    assert text.day_name(date(1900, 1, 1), today) == "Mon 01 Jan 1900"
