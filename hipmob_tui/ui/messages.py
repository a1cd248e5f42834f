"""Messages from the screens to the app: how one area asks for another without importing it.

Each bubbles from the screen that posts it up to the app, which decides what to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.message import Message

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.content.models import Routine
    from hipmob_tui.session.bell import Ring
    from hipmob_tui.session.run import SessionRun
    from hipmob_tui.settings import Settings

ListKind = Literal["x", "r"]
"""Which list the Library shows: exercises ("x") or routines ("r")."""


class OpenPlan(Message):
    """Show the Plan: the program followed, its stage, and the programs to follow."""


@dataclass
class StartRoutine(Message):
    """Run this routine (the app decides how: a session may already be under way)."""

    routine: Routine
    """The routine to run, as the Library or the picker has it."""


@dataclass
class ShowInLibrary(Message):
    """Open the Library on one exercise or routine (the command palette's entries)."""

    kind: ListKind
    """The list it is in."""
    item_id: str
    """Its id in that list."""


@dataclass
class SessionEnded(Message):
    """The runner's session is over: its summary takes the runner's place."""

    run: SessionRun
    """The session, still to be saved by the summary."""
    settings: Settings
    """The settings the session ran with."""


@dataclass
class RecordCheck(Message):
    """Record a self-check on its own (the app asks which, then saves what is given)."""


@dataclass
class SummaryClosed(Message):
    """The summary is done with: back to the routines, on the one just done."""

    routine_id: str
    """The routine to highlight in the picker."""


@dataclass
class Rang(Message):
    """The runner's bell: the terminal's, or a beep in the page when served."""

    ring: Ring
    """A new step, or the 3-2-1 before a long step ends."""


@dataclass
class SessionOnScreen(Message):
    """The runner shows a session, or has gone: the served page keeps the screen on
    meanwhile."""

    shown: bool
