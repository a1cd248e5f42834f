"""Mark a day rest, flare or away (with a note), or take its mark away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.widgets import Label, Select

from hipmob_tui.history.records import DayMark, check_mark_note
from hipmob_tui.history.streaks import MARK_KINDS
from hipmob_tui.ui.dialogs.session_forms import FormDialog
from hipmob_tui.ui.widgets.typed_input import TypedInput

UNMARK = "none"
"""The choice that takes a day's mark away."""
KIND_HELP = {
    "rest": "rest: a planned day off",
    "flare": "flare: pain flared, do less or only RESET",
    "away": "away: travel or illness",
}


@dataclass(frozen=True, slots=True)
class DayMarkChoice:
    """What the dialog asks for: a kind (or UNMARK) and a note, for one day."""

    day: date
    kind: str
    note: str


class MarkDayScreen(FormDialog[DayMarkChoice]):
    """Mark one day; a day already marked starts from its mark."""

    def __init__(self, day: date, current: DayMark | None, suggested: str = "rest") -> None:
        super().__init__()
        self.day = day
        self.current = current
        self.suggested = suggested
        self.title_text = f"Mark {day:%a %d %b %Y}"

    def fields(self) -> ComposeResult:
        options = [(KIND_HELP[kind], kind) for kind in MARK_KINDS]
        if self.current is not None:
            options.append(("no mark: take it away", UNMARK))
        yield Label("Day is")
        yield Select(
            options,
            value=self.current.kind if self.current else self.suggested,
            allow_blank=False,
            id="kind",
            compact=True,
        )
        yield Label("Note")
        yield TypedInput(
            self.current.note if self.current else "",
            placeholder="optional, e.g. long drive, back stiff",
            id="note",
            compact=True,
        )

    def on_mount(self) -> None:
        self.query_one("#kind", Select).focus()

    def result(self) -> DayMarkChoice:
        kind = self.query_one("#kind", Select).value
        note = self._value("note").strip()
        try:
            check_mark_note(note)
        except ValueError as error:
            self._flag("note")
            raise ValueError(f"Note: {error}") from None
        return DayMarkChoice(self.day, str(kind), note)
