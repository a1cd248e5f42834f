"""A self-check in a small form: its instructions and one field per side, every field
optional; and the results saved, from a session or on their own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from hipmob_tui.content.models import Check
from hipmob_tui.history.checks import format_value, new_result, parse_value
from hipmob_tui.history.records import CheckResult
from hipmob_tui.ui import text
from hipmob_tui.ui.dialogs.once import dismiss_once
from hipmob_tui.ui.dialogs.session_forms import FormDialog, score_row
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.score_buttons import fits_buttons
from hipmob_tui.ui.widgets.typed_input import TypedInput
from hipmob_tui.ui.writes import StoreWriteFailed, change_from_thread

CheckValues = dict[str | None, int | float]
"""A check's answer: the value per side ("left", "right"), or under None for a check that
is not per side. Empty when the person skipped it."""

DIALOG_WIDTH = 76
"""The form's width in columns, as history.tcss sets it (#check-dialog)."""
_MOMENT_TITLE = {"before": "Before the session", "after": "After the session"}
_HINT = "enter saves · leave it blank to skip · esc skips the check"
_HINT_SIDES = "enter: next side, then saves · blank skips · esc skips the check"


class SideInput(TypedInput):
    """A side's field: Enter on the left side, with a value, moves on to the right side.

    The move is made as this field reads the Enter, in the order the keys came, and the
    keys already queued here behind it (a burst over SSH: "4", Enter, "5", Enter) are
    handed on to the field that has the focus now (TypedInput): the "5" lands on the
    right side.
    """

    async def on_key(self, event: events.Key) -> None:
        if self.app.focused is not self:
            return  # TypedInput hands it on
        right = self.screen.query("#check-right").first() if self.id == "check-left" else None
        if event.key == "enter" and isinstance(right, Input) and self.value.strip():
            event.prevent_default()
            event.stop()  # moving on, not submitting: the form saves from the right side
            self.screen.set_focus(right)


@dataclass(frozen=True, slots=True)
class CheckAnswer:
    """What the person gave for one check."""

    check: Check
    values: CheckValues


class CheckScreen(FormDialog[CheckValues]):
    """One check: how to do it, what to score, and a field per side (or one)."""

    BINDINGS = [
        Binding("escape", "cancel", "Skip", tooltip="Skip this check: nothing is saved"),
        Binding("ctrl+s", "save", "Save", key_display="ctrl+s", tooltip="Save (or ⏎)"),
    ]

    def __init__(self, check: Check, moment: str | None = None) -> None:
        super().__init__()
        self.check = check
        self.moment = moment
        """"before" or "after" a session; None for a check done on its own."""
        title = _MOMENT_TITLE.get(moment or "", "Check")
        self.title_text = f"{title}: {check.name}"
        self.hint_one_line = _HINT_SIDES if check.per_side else _HINT

    def compose(self) -> ComposeResult:
        check = self.check
        with Vertical(classes="dialog", id="check-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(id="check-instructions"):
                yield Static(_instructions(check, self._text_width()), id="check-steps")
                yield Static(
                    Content.assemble(
                        Content.styled("Score: ", "bold"),
                        text.literal(check.score),
                        Content.styled(f"\n{check.describe_scale()}", "dim"),
                    ),
                    id="check-score",
                )
            with Grid(classes="form"):
                yield from self.fields()
            yield Static("", id="form-error", markup=False)
            yield Static(self.hint_one_line, id="form-hint", classes="dialog-hint", markup=False)
        yield key_footer()

    def fields(self) -> ComposeResult:
        check = self.check
        placeholder = f"{check.scale.low}–{check.scale.high} {check.unit}, blank to skip"
        # A short scale (0-10) is tapped too: a row of its scores under each field.
        buttons = fits_buttons(check.scale.low, check.scale.high)
        if check.per_side:
            for side in ("left", "right"):
                yield Label(side.capitalize())
                yield SideInput(placeholder=placeholder, id=f"check-{side}", compact=True)
                if buttons:
                    yield from score_row(f"check-{side}", check.scale.low, check.scale.high)
        else:
            yield Label(check.unit.capitalize())
            yield TypedInput(placeholder=placeholder, id="check-value", compact=True)
            if buttons:
                yield from score_row("check-value", check.scale.low, check.scale.high)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def on_resize(self) -> None:
        """Wrap the steps again for the new width (each keeps its hanging indent)."""
        steps = self.query_one("#check-steps", Static)
        steps.update(_instructions(self.check, self._text_width()))

    def _text_width(self) -> int:
        """The dialog's text width: its CSS width (76, or the screen's when narrower) less
        its border and padding (6), less a column the steps' scrollbar may take."""
        return min(DIALOG_WIDTH, self.app.size.width) - 7

    def result(self) -> CheckValues:
        sides: list[tuple[str | None, str]] = (
            [("left", "check-left"), ("right", "check-right")]
            if self.check.per_side
            else [(None, "check-value")]
        )
        values: CheckValues = {}
        for side, field_id in sides:
            typed = self._value(field_id)
            if not typed.strip():
                continue
            try:
                values[side] = parse_value(typed, self.check)
            except ValueError as error:
                self._flag(field_id)
                label = f"{side.capitalize()}: " if side else ""
                raise ValueError(f"{label}{error}") from None
        return values


def _instructions(check: Check, width: int | None) -> Content:
    return Content.assemble(
        *(
            text.hanging(Content.styled(f"{number}. ", "bold"), text.literal(step), width)
            for number, step in enumerate(check.instructions, start=1)
        )
    ).rstrip()


def ask_checks(
    app: App[Any],
    checks: Sequence[Check],
    moment: str | None,
    done: Callable[[list[CheckAnswer]], None],
) -> None:
    """Ask each check in turn (each may be skipped), then call `done` with the answers
    given (skipped checks left out)."""
    answers: list[CheckAnswer] = []

    def ask(index: int) -> None:
        if index == len(checks):
            done(answers)
            return

        def answered(values: CheckValues | None) -> None:
            if values:
                answers.append(CheckAnswer(checks[index], values))
            ask(index + 1)

        app.push_screen(CheckScreen(checks[index], moment), answered)

    ask(0)


def results_of(
    answers: Sequence[CheckAnswer],
    now: datetime,
    *,
    session_id: str | None = None,
    when: str | None = None,
) -> list[CheckResult]:
    """The results to store for `answers`, one per side scored."""
    return [
        new_result(
            answer.check,
            value,
            side,
            day=now.date(),
            now=now,
            session_id=session_id,
            when=when,
        )
        for answer in answers
        for side, value in answer.values.items()
    ]


def said(answers: Sequence[CheckAnswer]) -> str:
    """The answers in a line: "90/90 Internal Rotation Ease: left 6, right 5"."""
    return "; ".join(
        f"{answer.check.name}: "
        + ", ".join(
            f"{side} {format_value(value)}" if side else format_value(value)
            for side, value in answer.values.items()
        )
        for answer in answers
    )


def save_results(app: App[Any], db: Path, results: list[CheckResult], what: str) -> None:
    """Store `results` in a worker thread; say when they are saved, or why not."""
    if not results:
        return

    def save() -> None:
        try:
            change_from_thread(app, db, lambda store: store.add_check_results(results), _quiet)
        except StoreWriteFailed as failure:
            app.call_from_thread(
                app.notify,
                f"{failure.message}\nThe check is not saved: {what}",
                title="check not saved",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        app.call_from_thread(app.notify, f"Saved {what}.", timeout=4, markup=False)

    app.run_worker(save, thread=True, group="check-save", exclusive=False)


def _quiet(waiting: bool) -> None:
    """A check's save says nothing while it waits for another hipmob's write."""


class CheckPickerScreen(ModalScreen[Check | None]):
    """Which check to record on its own: enter opens its form."""

    CSS_PATH = "../screens/history.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Record nothing"),
        Binding("enter", "pick", "Open", tooltip="Open the highlighted check's form"),
    ]

    def __init__(self, checks: Sequence[Check]) -> None:
        super().__init__()
        self.checks = list(checks)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="check-picker"):
            yield Static("Record a self-check", classes="dialog-title", markup=False)
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            text.literal(check.name),
                            Content.styled(f"\n  {check.describe_scale()}", "dim"),
                        ),
                        id=check.id,
                    )
                    for check in self.checks
                ),
                id="check-choices",
                compact=True,
            )
            yield Static("↑ ↓ choose · enter open · esc cancel", classes="dialog-hint")
        yield key_footer()

    @on(OptionList.OptionSelected)
    def action_pick(self) -> None:
        """Open the highlighted check."""
        choices = self.query_one("#check-choices", OptionList)
        index = choices.highlighted
        if index is not None:
            dismiss_once(self, self.checks[index])

    def action_cancel(self) -> None:
        """Close: nothing is recorded."""
        dismiss_once(self, None)
