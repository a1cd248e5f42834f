"""History: the streak, a calendar of the last months, the pain trend and every session.

Reads and writes happen in worker threads: a ten-year file takes a while to parse, and
another hipmob may hold the lock. The pane renders what the domain computed, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from hipmob_tui.content.models import Catalog
from hipmob_tui.errors import HipmobError
from hipmob_tui.history.records import DayMark, RecordError, SessionRecord
from hipmob_tui.history.store import Stamp, Store
from hipmob_tui.history.streaks import FLARE, REST, rests_over_limit
from hipmob_tui.history.view import Overview, logged_by_hand, overview
from hipmob_tui.settings import Settings
from hipmob_tui.ui import text
from hipmob_tui.ui.area_css import area_css
from hipmob_tui.ui.reads import read_for_first_paint
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.heatmap import Heatmap
from hipmob_tui.ui.widgets.history_header import HistoryHeader
from hipmob_tui.ui.widgets.pain_chart import PainChart
from hipmob_tui.ui.widgets.sessions_table import SessionsTable
from hipmob_tui.ui.widgets.too_small import TooSmall
from hipmob_tui.ui.writes import StoreWriteFailed, change_from_thread

if TYPE_CHECKING:
    # The dialogs are imported when first opened: a text area's import alone is 15 ms of
    # `h` pressed at once, on the main thread, before the first frame of the pane.
    from hipmob_tui.ui.dialogs.mark_day import DayMarkChoice
    from hipmob_tui.ui.dialogs.session_forms import HandLogged, SessionEdit

_EMPTY = (
    "No sessions yet.\n\nPress s to run a routine, or a to log one you did without the app. "
    "Your streak and pain trend appear here as you go."
)


class HistoryScreen(Screen[None]):
    """Your sessions: streak, calendar, pain trend, a table, and the selected session."""

    DEFAULT_CSS = area_css("history.tcss")  # read on first use, not before the first frame
    SCOPED_CSS = False  # its dialogs use the same rules

    BINDINGS = [
        # Priority: before the table's own Enter, which selects a row and does nothing more.
        Binding(
            "enter",
            "details",
            "Details",
            priority=True,
            tooltip="On a narrow terminal: the selected session in a window",
        ),
        # c and escape take turns in one place of the footer, ahead of the keys that act
        # on a session: the way into the calendar (where m marks a day) and the way out.
        Binding("c", "focus_calendar", "Calendar", tooltip="Into the calendar, to pick a day"),
        Binding(
            "escape",
            "leave_calendar",
            "Back",
            tooltip="Out of the calendar, back to the sessions table",
        ),
        Binding("a", "log", "Log past", tooltip="Log a session you did without the app"),
        Binding("m", "mark", "Mark day", tooltip="Mark the calendar's day rest, flare or away"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected session's pain and notes"),
        Binding("d,delete", "delete", "Delete", tooltip="Delete the selected session (asks)"),
    ]
    HELP_NOTES = (
        ("↑ ↓", "Move in the sessions table"),
        ("tab", "Between the calendar, the table and the session's detail"),
    )
    """Keys the table and the focus chain handle themselves, for help."""

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        settings: Callable[[], Settings],
        today: Callable[[], date],
    ) -> None:
        super().__init__(classes="-no-sessions")  # until a read finds some
        self.catalog = catalog
        self.store = store
        self.db = store.path
        self.settings = settings
        self.today = today
        self.overview: Overview | None = None
        self._stamp: Stamp | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="body"):
            yield HistoryHeader(id="summary")
            with Horizontal(id="history-top"):
                yield Heatmap(self.today(), id="calendar")
                yield PainChart(id="pain")
            yield Static(id="day-line")
            with Horizontal(id="history-main"):
                yield SessionsTable(id="sessions")
                with VerticalScroll(id="session-detail"):
                    yield Static(id="session-detail-body")
        yield TooSmall()
        yield key_footer(help_on_right=True)

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = "History"
        self.query_one("#calendar").border_title = "Last months"
        self.query_one("#pain").border_title = "Pain before → after"
        self.query_one("#sessions").focus()
        # The app reads the history after its first frame: done, or done within a frame's
        # time, the rows are in the first paint; otherwise they follow from a thread.
        read = read_for_first_paint(self.store)
        if read is None:
            self.load()
        else:
            facts, stamp = read
            self._show(self._overview(facts.sessions, facts.marks), stamp, None)

    def on_resize(self) -> None:
        # The app marks a narrow terminal before the screen hears of the new size.
        self.refresh_bindings()  # Enter opens a session only while the side pane is hidden

    def on_screen_resume(self) -> None:
        """Coming back to the pane: reload only if the file changed meanwhile."""
        if self.overview is not None and self.store.stamp() != self._stamp:
            self.load()

    # -- loading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="history-load")
    def load(self, keep: str | None = None, day: date | None = None) -> None:
        """Read the file in a thread (unless the app already has); shown when done."""
        try:
            records, marks, stamp = self.store.history()
            found = self._overview(records, marks)
        except HipmobError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._show, found, stamp, keep, day)

    def _overview(self, records: list[SessionRecord], marks: list[DayMark]) -> Overview:
        """What the pane shows of `records` and `marks`, with the goals in the settings."""
        settings = self.settings()
        return overview(
            records, self.today(), settings.weekly_goal, marks, settings.max_rest_days_per_week
        )

    def _show(
        self, found: Overview, stamp: Stamp | None, keep: str | None, day: date | None = None
    ) -> None:
        """Show `found`, the table on session `keep`; the calendar stays on `day` if given
        (a day just marked), rather than following the table to its session."""
        self.overview = found
        self._stamp = stamp
        self.query_one(HistoryHeader).show(found)
        self.query_one(Heatmap).show(found)
        self.query_one(PainChart).show(found)
        table = self.query_one(SessionsTable)
        if day is None:
            table.show(found.sessions, keep)
        else:
            with self.prevent(DataTable.RowHighlighted):
                table.show(found.sessions, keep)
            self._show_session(table.current)
            self.query_one(Heatmap).select(day)
        if not found.sessions:
            self.query_one("#session-detail-body", Static).update(text.literal(_EMPTY))
        self.set_class(not found.sessions, "-no-sessions")  # greys the footer's "Sort" too
        self._show_day(self.query_one(Heatmap).selected)
        self.refresh_bindings()  # Enter opens a session only once there is one

    def _failed(self, error: HipmobError) -> None:
        self.query_one(HistoryHeader).show_error(error.message)
        self.query_one("#session-detail-body", Static).update(text.literal(error.message))
        self.notify(error.message, title=error.title, severity="error", timeout=20, markup=False)

    # -- showing ----------------------------------------------------------------------------

    def _show_day(self, day: date) -> None:
        found = self.overview
        sessions = found.by_day.get(day, ()) if found else ()
        mark = found.marks.get(day) if found else None
        holds = found is not None and day in found.frozen
        self.query_one("#day-line", Static).update(text.day_line(day, sessions, mark, holds))

    def _show_session(self, record: SessionRecord | None) -> None:
        if record is not None:
            self.query_one("#session-detail-body", Static).update(text.session_detail(record))

    @on(DataTable.RowHighlighted, "#sessions")
    def _row_highlighted(self) -> None:
        record = self.query_one(SessionsTable).current
        self._show_session(record)
        if record is not None:
            self.query_one(Heatmap).select(record.date)
            self._show_day(record.date)

    @on(Heatmap.DaySelected)
    def _day_selected(self, event: Heatmap.DaySelected) -> None:
        self._show_day(event.day)
        sessions = self.overview.by_day.get(event.day, ()) if self.overview else ()
        if sessions:
            table = self.query_one(SessionsTable)
            with table.prevent(DataTable.RowHighlighted):
                table.move_to(sessions[0].id)
            self._show_session(sessions[0])

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter opens a session only where the detail pane is hidden and the table has focus;
        edit and delete are greyed while there is no session to act on; c shows outside the
        calendar and escape inside it."""
        in_calendar = isinstance(self.focused, Heatmap)
        if action == "focus_calendar":
            return not in_calendar
        if action == "leave_calendar":
            # False, not None: outside the calendar escape is not ours, and goes on to do
            # what it did before (clear a mouse selection).
            return in_calendar
        if action in ("edit", "delete"):
            return None if self.query_one(SessionsTable).current is None else True
        if action == "details":
            table = self.focused
            return (
                self.app.has_class("-narrow")
                and isinstance(table, SessionsTable)
                and table.current is not None
            )
        return True

    def action_details(self) -> None:
        """The selected session's detail, in a window over the table."""
        record = self.query_one(SessionsTable).current
        if record is not None:
            from hipmob_tui.ui.dialogs.session_forms import SessionDetailScreen

            self.app.push_screen(SessionDetailScreen(record))

    def action_focus_calendar(self) -> None:
        """Into the calendar, to move by day and week."""
        self.query_one(Heatmap).focus()

    def action_leave_calendar(self) -> None:
        """Back to the sessions table, on the session it had (the day picked there stays)."""
        self.query_one(SessionsTable).focus()

    def action_mark(self) -> None:
        """Mark the calendar's day rest, flare or away, or take its mark away."""
        if self.overview is None:
            return
        day = self.query_one(Heatmap).selected
        from hipmob_tui.ui.dialogs.mark_day import MarkDayScreen

        self.app.push_screen(MarkDayScreen(day, self.overview.marks.get(day)), self._marked)

    def _marked(self, choice: DayMarkChoice | None) -> None:
        if choice is None:
            return
        from hipmob_tui.ui.dialogs.mark_day import UNMARK

        day = text.day_name(choice.day, self.today())
        current = self.query_one(SessionsTable).current
        keep = current.id if current else None
        if choice.kind == UNMARK:
            self._write(
                lambda store: store.remove_marks([choice.day]),
                f"{day}: mark taken away.",
                keep,
                day=choice.day,
            )
            return
        if choice.kind == FLARE and choice.day > self.today():
            self.notify(
                f"{day} is still to come: a flare day is marked when it happens (rest and "
                "away days may be planned).",
                title="not marked",
                severity="warning",
                markup=False,
            )
            return
        limit = self.settings().max_rest_days_per_week
        self._write(
            lambda store: store.set_marks([choice.day], choice.kind, choice.note),
            f"Marked {day} as {choice.kind}.",
            keep,
            day=choice.day,
            check_rest=(choice.day, limit) if choice.kind == REST else None,
        )

    def action_log(self) -> None:
        """Log a session done away from the app."""
        from hipmob_tui.ui.dialogs.session_forms import LogSessionScreen

        self.app.push_screen(LogSessionScreen(self.catalog, self.today()), self._logged)

    def _logged(self, request: HandLogged | None) -> None:
        if request is None:
            return
        routine = self.catalog.routines[request.routine_id]
        names = {key: exercise.name for key, exercise in self.catalog.exercises.items()}
        try:
            record = logged_by_hand(
                routine,
                names,
                day=request.day,
                minutes=request.minutes,
                pain_before=request.pain_before,
                pain_after=request.pain_after,
                notes=request.notes,
                now=datetime.now().astimezone(),
            )
        except (RecordError, ValueError) as error:
            self.notify(str(error), title="not logged", severity="error", markup=False)
            return
        self.query_one(Heatmap).select(record.date)
        self._write(
            lambda store: store.add(record),
            f"Logged {routine.name} on {text.day_name(record.date, self.today())}.",
            keep=record.id,
        )

    def action_edit(self) -> None:
        """Change the selected session's pain scores and notes."""
        record = self.query_one(SessionsTable).current
        if record is None:
            self.notify("No session selected.", severity="warning")
            return
        from hipmob_tui.ui.dialogs.session_forms import EditSessionScreen

        self.app.push_screen(EditSessionScreen(record), lambda edit: self._edited(record.id, edit))

    def _edited(self, session_id: str, edit: SessionEdit | None) -> None:
        if edit is None:
            return

        def change(old: SessionRecord) -> SessionRecord:
            return old.with_changes(
                pain_before=edit.pain_before, pain_after=edit.pain_after, notes=edit.notes
            )

        self._write(
            lambda store: store.update(session_id, change), "Session updated.", keep=session_id
        )

    def action_delete(self) -> None:
        """Delete the selected session, once confirmed."""
        record = self.query_one(SessionsTable).current
        if record is None:
            self.notify("No session selected.", severity="warning")
            return
        from hipmob_tui.ui.dialogs.session_forms import ConfirmDeleteScreen

        self.app.push_screen(
            ConfirmDeleteScreen(record),
            lambda yes: self._deleted(record, bool(yes)),
        )

    def _deleted(self, record: SessionRecord, confirmed: bool) -> None:
        if confirmed:
            table = self.query_one(SessionsTable)
            index = table.cursor_row
            neighbour = table.ordered[index + 1] if index + 1 < len(table.ordered) else None
            neighbour = neighbour or (table.ordered[index - 1] if index > 0 else None)
            self._write(
                lambda store: store.delete(record.id),
                f"Deleted {record.routine_name} of {text.day_name(record.date, self.today())}.",
                keep=neighbour.id if neighbour else None,
            )

    # -- writing ----------------------------------------------------------------------------

    @work(thread=True, group="history-write")
    def _write(
        self,
        change: Callable[[Store], object],
        done: str,
        keep: str | None = None,
        *,
        day: date | None = None,
        check_rest: tuple[date, int] | None = None,
    ) -> None:
        """One change as a transaction on a fresh read; the UI says when it has to wait.

        `check_rest` (a day just marked rest, and the week's limit): say so when that
        mark went past the limit and holds nothing.
        """
        try:
            change_from_thread(self.app, self.db, change, self._set_waiting)
        except StoreWriteFailed as failure:
            self.app.call_from_thread(self._write_failed, failure.message)
            return
        if check_rest is not None and self._rest_past_limit(*check_rest):
            limit = check_rest[1]
            done += (
                f" The week already has {limit} rest day{'s' if limit != 1 else ''}: "
                "this one is kept but does not hold the streak."
            )
        self.app.call_from_thread(self.notify, done, markup=False, timeout=8)
        self.app.call_from_thread(self.load, keep, day)

    def _rest_past_limit(self, day: date, limit: int) -> bool:
        """Whether the rest mark just made on `day` is past its week's limit (from the
        per-day summary the write has just brought up to date)."""
        summary = self.store.days()
        if summary is None:
            return False
        over = rests_over_limit(summary.completed, summary.mark_kinds(), limit)
        return day.toordinal() in over

    def _set_waiting(self, waiting: bool) -> None:
        self.set_class(waiting, "-waiting")
        if waiting:
            self.sub_title = "History · waiting for another hipmob to finish writing…"
        else:
            self.sub_title = "History"

    def _write_failed(self, message: str) -> None:
        self.notify(
            f"{message}\nNothing was changed.",
            title="not saved",
            severity="error",
            timeout=20,
            markup=False,
        )
