"""Small dialogs of the History pane: edit a session, log one by hand, confirm a delete, and
show one session where the detail pane has no room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from hipmob_tui.content.models import Catalog, format_duration
from hipmob_tui.history.records import SessionRecord
from hipmob_tui.history.view import parse_day, parse_minutes, parse_pain
from hipmob_tui.ui.dialogs.once import dismiss_once
from hipmob_tui.ui.text import literal, session_detail
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.score_buttons import ScoreButtons
from hipmob_tui.ui.widgets.typed_input import KeysInOrder, TypedInput


class TypedTextArea(KeysInOrder, TextArea):
    """A TextArea whose editing keys keep their place among the typed characters."""


@dataclass(frozen=True, slots=True)
class SessionEdit:
    """What the edit dialog changes."""

    pain_before: int | None
    pain_after: int | None
    notes: str


@dataclass(frozen=True, slots=True)
class HandLogged:
    """A session the person did away from the app."""

    routine_id: str
    day: date
    minutes: int | None
    pain_before: int | None
    pain_after: int | None
    notes: str


_HINT_ONE_LINE = "ctrl+s or enter save · tab next field · esc cancel"
_HINT_MULTI_LINE = "ctrl+s save · enter new line · tab next field · esc cancel"
_HINT_OTHER = "ctrl+s save · tab next field · esc cancel"
_BUTTONS = "-buttons"
"""A score field's buttons have its id and this."""


ResultT = TypeVar("ResultT")


class FormDialog(ModalScreen[ResultT | None], Generic[ResultT]):
    """A dialog of labelled fields, saved with ctrl+s (or enter in a one-line field)."""

    CSS_PATH = "../screens/history.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Not a priority binding: a priority key is acted on as it arrives, before the keys
        # typed just ahead of it reach their field (a burst over SSH saved "sor" for "sore").
        # No field binds ctrl+s, so from any of them it comes here, after what was typed.
        Binding(
            "ctrl+s",
            "save",
            "Save",
            key_display="ctrl+s",
            tooltip="Save (or ⏎ in a one-line field)",
        ),
    ]
    HELP_NOTES = (("tab", "Next field"),)
    """Focus moves as in any Textual form; said in help."""

    title_text = ""
    hint_one_line = _HINT_ONE_LINE
    """What the hint says in a one-line field."""
    _flagged: str | None = None
    """The id of the field the warning is about, until that field changes."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with Grid(classes="form"):
                yield from self.fields()
            yield Static("", id="form-error", markup=False)
            yield Static(self.hint_one_line, id="form-hint", classes="dialog-hint", markup=False)
        yield key_footer()  # this dialog's keys, not those of the pane under it

    def fields(self) -> ComposeResult:
        """Label and input pairs."""
        yield from ()

    def result(self) -> ResultT:
        """The typed values; ValueError with a message naming the field when one is wrong."""
        raise NotImplementedError

    @on(Input.Submitted)
    def action_save(self) -> None:
        """Check the fields; close with the result, or say what is wrong."""
        try:
            value = self.result()
        except ValueError as error:
            self._show_error(f"⚠ {error}")
            self.app.bell()
            return
        dismiss_once(self, value)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        dismiss_once(self, None)

    def _show_error(self, said: str) -> None:
        """Say what is wrong; no line at all while nothing is (a short screen needs it)."""
        error = self.query_one("#form-error", Static)
        error.update(said)
        error.display = bool(said)

    @on(events.DescendantFocus)
    def _field_entered(self, event: events.DescendantFocus) -> None:
        """Say what Enter does in this field; in a text box, carry on at the end of the text."""
        field = event.widget
        if isinstance(field, TextArea):
            hint = _HINT_MULTI_LINE
            field.move_cursor(field.document.end)
        elif isinstance(field, Input):
            hint = self.hint_one_line
        else:
            hint = _HINT_OTHER  # the routine list: Enter opens it
        self.query_one("#form-hint", Static).update(hint)

    def _flag(self, field_id: str) -> None:
        """Focus a field that is wrong, its text selected so typing replaces it."""
        field = self.query_one(f"#{field_id}", Input)
        field.focus()
        field.select_all()
        self._flagged = field_id

    @on(ScoreButtons.Picked)
    def _score_tapped(self, message: ScoreButtons.Picked) -> None:
        """A score tapped under its field fills the field, as if typed."""
        row = message.buttons.id or ""
        field = self.query_one(f"#{row.removesuffix(_BUTTONS)}", Input)
        field.value = str(message.score)

    @on(Input.Changed)
    def _field_changed(self, event: Input.Changed) -> None:
        """A warning goes once its field is changed: a fixed mistake no longer shows."""
        if self._flagged is not None and event.input.id == self._flagged:
            self._flagged = None
            self._show_error("")

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value

    def _pain(self, field_id: str, label: str) -> int | None:
        try:
            return parse_pain(self._value(field_id))
        except ValueError as error:
            self._flag(field_id)
            raise ValueError(f"{label}: {error}") from None


def _score(value: int | None) -> str:
    return "" if value is None else str(value)


def _pain_fields(before: int | None, after: int | None) -> ComposeResult:
    yield Label("Pain before")
    yield TypedInput(
        _score(before), placeholder="0–10, blank if not scored", id="pain-before", compact=True
    )
    yield from score_row("pain-before")
    yield Label("Pain after")
    yield TypedInput(
        _score(after), placeholder="0–10, blank if not scored", id="pain-after", compact=True
    )
    yield from score_row("pain-after")


def score_row(field_id: str, low: int = 0, high: int = 10) -> ComposeResult:
    """Under a score's field, its scores as buttons: a tap fills the field (FormDialog)."""
    yield Label("")
    yield ScoreButtons(low, high, id=f"{field_id}{_BUTTONS}")


class EditSessionScreen(FormDialog[SessionEdit]):
    """Change a session's pain scores and notes."""

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        self.record = record
        self.title_text = f"Edit: {record.routine_name}, {record.started_at:%a %d %b %Y %H:%M}"

    def fields(self) -> ComposeResult:
        yield from _pain_fields(self.record.pain_before, self.record.pain_after)
        yield Label("Notes")
        yield TypedTextArea(self.record.notes, id="notes", soft_wrap=True, compact=True)

    def result(self) -> SessionEdit:
        return SessionEdit(
            pain_before=self._pain("pain-before", "Pain before"),
            pain_after=self._pain("pain-after", "Pain after"),
            notes=self.query_one("#notes", TextArea).text.strip(),
        )


class LogSessionScreen(FormDialog[HandLogged]):
    """Log a session done away from the app."""

    title_text = "Log a session you did without the app"

    def __init__(self, catalog: Catalog, today: date) -> None:
        super().__init__()
        self.catalog = catalog
        self.today = today

    def fields(self) -> ComposeResult:
        routines = sorted(self.catalog.routines.values(), key=lambda r: r.estimated_seconds)
        options = [
            (
                Content.assemble(
                    literal(r.name),
                    Content.styled(f"  {format_duration(r.estimated_seconds)}", "dim"),
                ),
                r.id,
            )
            for r in routines
        ]
        yield Label("Routine")
        yield Select(options, id="routine", allow_blank=False, value=routines[0].id, compact=True)
        yield Label("Date")
        yield TypedInput(
            placeholder=f"today, yesterday or {self.today.isoformat()}", id="day", compact=True
        )
        yield Label("Minutes")
        yield TypedInput(
            placeholder="blank: the routine's planned time", id="minutes", compact=True
        )
        yield from _pain_fields(None, None)
        yield Label("Notes")
        yield TypedInput(id="notes-line", placeholder="optional", compact=True)

    def result(self) -> HandLogged:
        routine = self.query_one("#routine", Select).value
        if not isinstance(routine, str):
            raise ValueError("choose the routine you did")
        try:
            day = parse_day(self._value("day"), self.today)
        except ValueError as error:
            self._flag("day")
            raise ValueError(f"Date: {error}") from None
        try:
            minutes = parse_minutes(self._value("minutes"))
        except ValueError as error:
            self._flag("minutes")
            raise ValueError(f"Minutes: {error}") from None
        return HandLogged(
            routine_id=routine,
            day=day,
            minutes=minutes,
            pain_before=self._pain("pain-before", "Pain before"),
            pain_after=self._pain("pain-after", "Pain after"),
            notes=self._value("notes-line").strip(),
        )


class ConfirmDeleteScreen(ModalScreen[bool]):
    """Deleting needs a deliberate `y`: no stray key can do it, and any other key keeps the
    session, as in every yes-or-no question (help says so)."""

    CSS_PATH = "../screens/history.tcss"  # read on first use, not before the first frame

    # Bindings, not only on_key: the footer shows them (a tap there answers too), and a y
    # typed together with the d that asked reaches this screen before it is mounted.
    BINDINGS = [
        Binding("y", "answer(True)", "Delete", tooltip="Delete the session for good"),
        Binding("n,escape", "answer(False)", "Keep", tooltip="Keep it (any other key too)"),
    ]

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Delete this session?", classes="dialog-title", markup=False)
            yield Static(
                Content.assemble(
                    literal(self.record.routine_name, "bold"),
                    Content(f"\n{self.record.started_at:%a %d %b %Y, %H:%M}"),
                    Content.styled("\n\nIt is removed from your history for good.", "$warning"),
                )
            )
            yield Static("y deletes · any other key keeps it", classes="dialog-hint", markup=False)
        yield key_footer()

    def action_answer(self, delete: bool) -> None:
        """Close with the answer."""
        dismiss_once(self, delete)

    def on_key(self, event: events.Key) -> None:
        """Every key answers: only y deletes; a stray one keeps the session."""
        event.stop()
        event.prevent_default()  # answered here: the bindings are for keys that came early
        dismiss_once(self, event.key == "y")


class SessionDetailScreen(ModalScreen[None]):
    """One session's detail in a window: on a narrow terminal the side pane is hidden."""

    CSS_PATH = "../screens/history.tcss"  # read on first use, not before the first frame

    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="session-window") as box:
            # On the frame, not under the text: seen without scrolling to the end.
            box.border_subtitle = "↑ ↓ scroll · enter or esc close"
            yield Static(session_detail(self.record))
        yield key_footer()

    def action_close(self) -> None:
        """Back to the table."""
        dismiss_once(self)
