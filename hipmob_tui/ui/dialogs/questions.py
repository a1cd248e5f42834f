"""The runner's questions: a pain score in one key or tap, and "end the session now?"."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from hipmob_tui.ui.dialogs.once import dismiss_once
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.score_buttons import ScoreButtons

BACK = -1
"""What the pain question before a session answers when the person backs out (escape)."""


class PainScreen(ModalScreen[int | None]):
    """A pain score, one key (0 to 9, t for ten) or one tap of its button; enter or s skips.

    Before a session escape backs out (nothing starts); after one it skips, as the
    session is over either way.
    """

    CSS_PATH = "../screens/session.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        Binding("enter,s", "skip", "Skip", tooltip="No score this time"),
        Binding("escape", "back", "Back", tooltip="Before a session: do not start it"),
        # After a session escape skips instead (see check_action).
        Binding("escape", "skip", "Skip", show=False, tooltip="After a session: no score"),
    ]
    HELP_NOTES = (("0-9 t", "Your pain from 0 to 9, t for 10"),)
    """The score keys (read by on_key), for help."""

    def __init__(self, when: str, routine_name: str | None = None) -> None:
        super().__init__()
        self.when = when
        self.routine_name = routine_name
        """Named above the question before a session: what is about to start."""

    def compose(self) -> ComposeResult:
        question = "Pain right now?" if self.when == "before" else "Pain now, after the session?"
        with Vertical(classes="dialog", id="pain-dialog"):
            if self.routine_name:
                yield Static(self.routine_name, classes="dialog-routine", markup=False)
            yield Static(question, classes="dialog-title")
            yield Static(
                "0 = none … 10 = worst. Tap a score or press 0–9, t for 10.",
                classes="pain-scale",
            )
            yield ScoreButtons(id="pain-buttons")
            hint = (
                "enter or s skips · esc goes back" if self.when == "before" else "enter or s skips"
            )
            yield Static(hint, classes="dialog-hint")
        yield key_footer()

    def on_key(self, event: events.Key) -> None:
        score = {"t": 10}.get(event.key, int(event.key) if event.key.isdigit() else None)
        if score is not None:
            event.stop()
            dismiss_once(self, score)

    def on_score_buttons_picked(self, message: ScoreButtons.Picked) -> None:
        """A score tapped: the same answer as its key."""
        dismiss_once(self, message.score)

    def action_skip(self) -> None:
        """No score."""
        dismiss_once(self, None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape backs out before a session, and skips after one."""
        return action != "back" or self.when == "before"

    def action_back(self) -> None:
        """Back to where the routine was picked: nothing starts."""
        dismiss_once(self, BACK)


class YesScreen(ModalScreen[bool]):
    """A question only y answers yes; any other key answers no.

    Ending a session always goes through here. Over a laggy link an arrow key can arrive
    split, its Escape alone, followed by "[" and a letter: nothing such a stray key can
    produce is a y.
    """

    CSS_PATH = "../screens/session.tcss"  # read on first use, not before the first frame

    # A binding, not on_key: it answers even a y typed together with the key that asked,
    # which reaches this screen before the screen is mounted (seen over laggy links).
    BINDINGS = [Binding("y", "answer", "Yes", tooltip="Yes (any other key: no)")]

    def __init__(self, title: str, body: str, hint: str) -> None:
        super().__init__()
        self.question = title
        self.body = body
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="yes-dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Static(self.body, markup=False)
            yield Static(self.hint, classes="dialog-hint", markup=False)
        yield key_footer()  # y, and not the keys of the screen under the question

    def action_answer(self) -> None:
        """Yes."""
        dismiss_once(self, True)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()  # answered here: the binding is for keys that came early
        dismiss_once(self, event.key == "y")


def finish_question(anything_done: bool) -> YesScreen:
    """ "End the session now?"."""
    body = (
        "What you did so far is saved as a partial session."
        if anything_done
        else "Nothing is done yet, so nothing will be saved."
    )
    return YesScreen("End the session now?", body, "y ends it · any other key keeps going")


def quit_question() -> YesScreen:
    """Quitting with a session under way."""
    return YesScreen(
        "Quit hipmob in the middle of a session?",
        "The session so far is saved as partial, and the next start offers to resume it.",
        "y quits · any other key keeps going",
    )
