"""The end of a session: what was done, pain after, a note; saved at once, streak shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from hipmob_tui.content.models import Check
from hipmob_tui.history import streaks
from hipmob_tui.history.flare import gentlest_routine, looks_like_a_flare
from hipmob_tui.history.records import CheckResult, SessionRecord
from hipmob_tui.history.store import Store
from hipmob_tui.history.streaks import Streak
from hipmob_tui.session.run import SessionRun, local_now
from hipmob_tui.settings import Settings
from hipmob_tui.ui import text
from hipmob_tui.ui.commands import HasCatalog, HasPlan
from hipmob_tui.ui.dialogs.check_form import (
    CheckAnswer,
    ask_checks,
    results_of,
    said,
    save_results,
)
from hipmob_tui.ui.dialogs.questions import PainScreen
from hipmob_tui.ui.messages import SummaryClosed
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.side_notes import SideNotesTable, side_bindings, side_cell, sides_label
from hipmob_tui.ui.widgets.too_small import TooSmall
from hipmob_tui.ui.widgets.typed_input import TypedInput
from hipmob_tui.ui.writes import StoreWriteFailed, change_from_thread


class NoteInput(TypedInput):
    """The note box: enter saves, escape puts back the saved note; both say so in the bar."""

    BINDINGS = [
        Binding("enter", "submit", "Save note", tooltip="Save the note with the session"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave the note as it was saved"),
    ]

    class Cancelled(Message):
        """The person left the box without saving."""

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


NOTE_LABEL = Content.styled("Note", "bold")
NOTE_EDITING = Content.assemble(
    Content.styled("Note", "bold $accent"),
    Content.styled(" · writing: enter saves, escape leaves it as it was", "$accent"),
)


def _pain_said(record: SessionRecord) -> str:
    """Why the flare offer shows: the scores, as they were given."""
    before, after = record.pain_before, record.pain_after
    if before is not None and after is not None and after > before:
        return f"Your pain rose from {before} to {after} in this session. "
    if after is not None:
        return f"Your pain was {before} before this session and {after} after. "
    return f"Your pain was {before} before this session. "


class SummaryScreen(Screen[None]):
    """The session's outcome. It is in the history before the person reads this screen."""

    CSS_PATH = "session.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        Binding("a", "pain_after", "Pain after", tooltip="Score your pain now, 0 to 10"),
        Binding("n", "note", "Note", tooltip="Add a note to this session"),
        Binding(
            "f",
            "flare",
            "Flare day",
            tooltip="Offered when the scores look like a flare: mark today a flare day",
        ),
        Binding("enter", "close", "Done", tooltip="Back to the routines"),
        *side_bindings("The highlighted exercise: {}"),
    ]
    HELP_NOTES = (("↑ ↓", "Move between the per-side exercises"),)
    """Keys the side notes' table handles itself, for help."""

    def __init__(
        self, run: SessionRun, settings: Settings, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__()
        self.today = today
        self.run = run
        self.settings = settings
        self.record: SessionRecord = run.record()
        self.side_items = [
            index for index in range(len(self.record.exercises)) if run.engine.can_note_side(index)
        ]
        """The exercises that can take a side note: done per side, at least a set."""
        self.flare_marked = False
        """Today was marked a flare day from here."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="body", id="summary-body"), Vertical(id="summary-box"):
            yield Static(text.session_outcome(self.record), id="outcome")
            if self.side_items:
                yield Static(sides_label(), id="sides-label")
                yield SideNotesTable(id="sides", cursor_type="row", show_header=False)
            yield Static(id="pain-line")
            yield Static(id="checks-line")
            yield Static("Saving…", id="streak-line")
            yield Static(id="flare-offer")
            yield Static(NOTE_LABEL, id="note-label")
            yield NoteInput(
                placeholder="none yet (n writes one)",
                id="note",
                max_length=500,
                compact=True,
            )
        yield TooSmall()
        yield key_footer(help_on_right=True)

    def on_mount(self) -> None:
        self.title = "hipmob"
        self.sub_title = f"{self.record.routine_name} · summary"
        self.query_one("#note", NoteInput).can_focus = False
        if self.side_items:
            table = self.query_one(SideNotesTable)
            names = [self.record.exercises[index].name for index in self.side_items]
            table.add_column("exercise", width=min(max(map(len, names)), 40))
            table.add_column("side", width=len("right tighter"), key="side")
            for index, name in zip(self.side_items, names, strict=True):
                note = side_cell(self.record.exercises[index].side_note)
                table.add_row(Text(name, no_wrap=True, overflow="ellipsis"), note, key=str(index))
            table.focus()
        self._show_pain()
        self._show_checks([])
        # The stage before this session counts: the summary says when it moves one on or back.
        self._plan_before = self._plan_now()
        self._save()
        checks = self._checks_after()
        if checks:
            # Before the pain question and the summary: the session's clock has ended.
            ask_checks(self.app, checks, "after", self._checks_done)
        else:
            self.app.push_screen(PainScreen("after"), self._pain_after)

    def _checks_after(self) -> list[Check]:
        """The routine's checks after, as the catalog defines them; none after a session
        ended early (its exercises did not happen, so an "after" would compare nothing)."""
        if not isinstance(self.app, HasCatalog) or not self.record.completed:
            return []
        known = self.app.catalog.checks
        routine = self.run.engine.timeline.routine
        return [known[i] for i in routine.checks_after if i in known]

    def _checks_done(self, answers: list[CheckAnswer]) -> None:
        """Save the checks after, show them beside the ones before, then ask the pain."""
        results = results_of(answers, local_now(), session_id=self.record.id, when="after")
        if results and self.run.db is not None:
            save_results(self.app, self.run.db, results, said(answers))
        self._show_checks(results)
        self.app.push_screen(PainScreen("after"), self._pain_after)

    def _show_checks(self, after: list[CheckResult]) -> None:
        """One line per check done in this session: before → after, per side."""
        line = self.query_one("#checks-line", Static)
        if not isinstance(self.app, HasCatalog):
            line.display = False
            return
        shown = text.checks_in_session(self.run.check_results, after, self.app.catalog.checks)
        line.update(shown)
        line.display = bool(shown)

    def _show_sides(self) -> None:
        """Each per-side exercise's note as the record has it now."""
        if not self.side_items:
            return
        table = self.query_one(SideNotesTable)
        for index in self.side_items:
            table.update_cell(str(index), "side", side_cell(self.record.exercises[index].side_note))
        self.refresh_bindings()  # the footer ticks the highlighted exercise's note

    def _highlighted_side_item(self) -> int | None:
        """The exercise whose row is highlighted, as an index into the record's exercises."""
        if not self.side_items:
            return None
        row = self.query_one(SideNotesTable).cursor_row
        return self.side_items[row] if 0 <= row < len(self.side_items) else None

    @on(DataTable.RowHighlighted, "#sides")
    def _side_row_moved(self) -> None:
        self.refresh_bindings()  # the footer ticks the highlighted exercise's note

    def _show_pain(self) -> None:
        change = self.record.pain_change
        line = f"Pain       {change}" if change else "Pain       not scored (a: score it now)"
        self.query_one("#pain-line", Static).update(text.literal(line))
        self._show_flare_offer()

    def _show_flare_offer(self) -> None:
        """After scores that look like a flare: offer to mark today (f), never forced."""
        offer = self.query_one("#flare-offer", Static)
        record = self.record
        flared = looks_like_a_flare(record.pain_before, record.pain_after)
        if flared or self.flare_marked:
            offer.update(
                Content.assemble(
                    Content.styled(
                        "Today is marked a flare day. " if self.flare_marked else "",
                        "bold $warning",
                    ),
                    Content.styled("" if self.flare_marked else _pain_said(record), "$warning"),
                    ""
                    if self.flare_marked
                    else "f marks today a flare day: kept in your history, and a flare day "
                    "never breaks your streak. ",
                    text.literal(self._gentler_next_time()),
                )
            )
        offer.display = flared or self.flare_marked
        self.refresh_bindings()

    def _gentler_next_time(self) -> str:
        """The RESET-only routine to turn to while the pain settles, in a sentence."""
        if not isinstance(self.app, HasCatalog):
            return ""
        gentle = gentlest_routine(self.app.catalog.routines.values())
        if gentle is None:
            return ""
        if gentle.id == self.record.routine_id:
            return f"Until it settles, keep to RESET only ({gentle.name})."
        return f"Next time, {gentle.name} (RESET only) is gentler."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """f is offered only after scores that look like a flare, and once."""
        if action == "flare":
            flared = looks_like_a_flare(self.record.pain_before, self.record.pain_after)
            return flared and not self.flare_marked and self.run.db is not None
        if action in ("note_side", "clear_side"):
            item = self._highlighted_side_item()
            if item is None:
                return False
            noted = self.record.exercises[item].side_note == parameters[0]
            return noted if action == "clear_side" else not noted
        return True

    def action_note_side(self, side: str) -> None:
        """Note which side of the highlighted exercise felt tighter (the same again clears)."""
        item = self._highlighted_side_item()
        if item is None:
            return
        noted = None if self.record.exercises[item].side_note == side else side
        self._apply(lambda record: record.with_side_note(item, noted))

    def action_clear_side(self, side: str) -> None:
        """The side already noted, again: no note."""
        self.action_note_side(side)

    def action_flare(self) -> None:
        """Mark today as a flare day."""
        self._mark_flare(self.today())

    @work(thread=True, group="summary-save", exclusive=False)
    def _mark_flare(self, day: date) -> None:
        db = self.run.db
        if db is None:
            return
        try:
            change_from_thread(
                self.app, db, lambda store: store.set_marks([day], "flare"), self._waiting
            )
        except StoreWriteFailed as failure:
            self.app.call_from_thread(
                self.notify,
                f"{failure.message}\nToday is not marked; the session itself is saved.",
                title="not marked",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        self.app.call_from_thread(self._flare_marked)

    def _flare_marked(self) -> None:
        self.flare_marked = True
        self._show_flare_offer()
        self.notify("Today is marked a flare day.", timeout=4)

    # -- changes ------------------------------------------------------------------------------

    def _pain_after(self, score: int | None) -> None:
        if score is not None and score != self.record.pain_after:
            self._change(pain_after=score)

    def action_pain_after(self) -> None:
        """Score the pain now."""
        self.app.push_screen(PainScreen("after"), self._pain_after)

    def action_note(self) -> None:
        """Write a note."""
        note = self.query_one("#note", NoteInput)
        note.can_focus = True
        note.focus()
        self.query_one("#note-label", Static).update(NOTE_EDITING)

    @on(Input.Submitted, "#note")
    def _note_done(self, event: Input.Submitted) -> None:
        self._leave_note()
        if event.value != self.record.notes:
            self._change(notes=event.value)
            self.notify("Note saved with the session.", timeout=3)

    @on(NoteInput.Cancelled)
    def _note_cancelled(self) -> None:
        note = self.query_one("#note", NoteInput)
        if note.value != self.record.notes:
            note.value = self.record.notes
            self.notify("Change not saved: the note is as it was (enter saves).", timeout=4)
        self._leave_note()

    def _leave_note(self) -> None:
        self.query_one("#note", NoteInput).can_focus = False
        # Back to the side notes, if any, so their arrows and keys work at once.
        self.set_focus(self.query_one(SideNotesTable) if self.side_items else None)
        self.query_one("#note-label", Static).update(NOTE_LABEL)

    def _change(self, **changes: object) -> None:
        self._apply(lambda record: record.with_changes(**changes))

    def _apply(self, change: Callable[[SessionRecord], SessionRecord]) -> None:
        """Change the record, show it, and save it."""
        try:
            self.record = change(self.record)
        except ValueError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._show_pain()
        self._show_sides()
        self._save()

    def action_close(self) -> None:
        """Back to the routines, on the one just done."""
        self.post_message(SummaryClosed(self.record.routine_id))

    # -- saving -------------------------------------------------------------------------------

    @work(thread=True, group="summary-save", exclusive=False)
    def _save(self) -> None:
        """Save (or update) the session and work out the streak it made."""
        db = self.run.db
        if db is None:
            return

        def save(store: Store) -> Streak:
            # The record as it is now, read under the store's lock: of two saves in quick
            # succession (a side key pressed twice), the one that writes last is never older.
            self.run.save(store, self.record)
            days = store.days()  # written by the save just made: no parse
            return streaks.streak_of_ordinals(
                days.completed if days else (),
                self.today(),
                self.settings.weekly_goal,
                days.mark_kinds() if days else None,
                self.settings.max_rest_days_per_week,
            )

        try:
            figures = change_from_thread(self.app, db, save, self._waiting)
        except StoreWriteFailed as failure:
            self.app.call_from_thread(self._failed, failure.message)
            return
        self.app.call_from_thread(self._saved, figures)

    def _waiting(self, waiting: bool) -> None:
        if waiting:
            self.query_one("#streak-line", Static).update(
                "Waiting for another hipmob to finish writing…"
            )

    def _plan_now(self) -> tuple[str, int, str] | None:
        """The program in force, its stage number and name (None: none is followed)."""
        state = self.app.plan_state() if isinstance(self.app, HasPlan) else None
        if state is None or isinstance(state, str):
            return None
        return state.program.name, state.stage_number, state.stage.name

    def _saved(self, figures: Streak) -> None:
        days = "day" if figures.current == 1 else "days"
        parts = [
            Content.styled("Saved. ", "bold $success"),
            Content.styled(f"Streak {figures.current} {days}", "bold"),
            Content(f" (longest {figures.longest}) · this week {figures.week_text}"),
        ]
        if not self.record.completed:
            parts.append(Content.styled("\nPartial sessions are kept but do not count.", "dim"))
        now = self._plan_now()
        if now is not None and self._plan_before is not None and now != self._plan_before:
            name, number, stage = now
            before_name, before_number, _stage = self._plan_before
            moved = "back" if name == before_name and number < before_number else "on"
            said = f"\nThis session moved {name} {moved} to stage {number}: {stage}."
            parts.append(Content.styled(said, "bold $accent"))
        self.query_one("#streak-line", Static).update(Content.assemble(*parts))

    def _failed(self, message: str) -> None:
        self.query_one("#streak-line", Static).update(
            Content.styled(f"Not saved: {message}", "bold $error")
        )
        self.notify(
            f"{message}\nThe session is kept in its journal and offered again at the next start.",
            title="not saved",
            severity="error",
            timeout=30,
            markup=False,
        )
