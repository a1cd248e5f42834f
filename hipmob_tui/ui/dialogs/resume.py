"""The offer, at start, to resume a session that a kill or a dropped connection interrupted."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from hipmob_tui.content.models import format_duration
from hipmob_tui.ui.dialogs.once import dismiss_once
from hipmob_tui.ui.widgets.footer import key_footer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.session.journal import SavedSession


class ResumeScreen(ModalScreen[str]):
    """An interrupted session found at start: resume it, or keep it as partial.

    Dismissed with "resume", "keep" or "later" (the journal stays; asked again next start).
    There is no "discard": a session is never thrown away by a key press.
    """

    CSS_PATH = "../screens/session.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("k", "choose('keep')", "Keep as partial"),
        Binding("escape,l", "choose('later')", "Later"),
    ]

    def __init__(self, saved: SavedSession, can_resume: bool, why_not: str = "") -> None:
        super().__init__()
        self.saved = saved
        self.can_resume = can_resume
        self.why_not = why_not

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="resume-dialog"):
            yield Static("An unfinished session", classes="dialog-title")
            yield Static(self._describe(), markup=False, id="resume-session")
            if self.can_resume:
                hint = "r resume from that step · k keep it as partial · escape decide later"
            else:
                yield Static(f"It cannot be resumed: {self.why_not}.", markup=False)
                hint = "k keep it as partial · escape decide later"
            yield Static(hint, classes="dialog-hint")
        yield key_footer()

    def _describe(self) -> str:
        record = self.saved.record
        started = record.started_at.astimezone()
        from hipmob_tui.history.view import completion  # only when a session was interrupted

        done, planned = completion(record)
        lines = [
            f"{record.routine_name}, started {started:%a %d %b, %H:%M}",
            f"stopped at: {self.saved.step_text}",
            f"{done} of {planned} sets done, {format_duration(record.active_seconds)} active",
        ]
        return "\n".join(lines)

    def show(self, saved: SavedSession) -> None:
        """Show a newer save of the session (one a hang-up made after the last checkpoint)."""
        self.saved = saved
        for lines in self.query("#resume-session").results(Static):  # none before compose
            lines.update(self._describe())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_resume or parameters != ("resume",)

    def action_choose(self, choice: str) -> None:
        """Close with the person's choice."""
        dismiss_once(self, choice)
