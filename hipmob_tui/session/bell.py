"""When the runner rings the terminal bell: on a new step, and 3-2-1 before a long step ends."""

from __future__ import annotations

from enum import Enum

from hipmob_tui.session.engine import Readout, State
from hipmob_tui.session.timeline import Pacing, Step


class Ring(Enum):
    """Why the bell rings: a terminal has one bell, a browser plays each its own beep."""

    STEP = "step"
    """A new step begins."""
    COUNTDOWN = "countdown"
    """3, 2 or 1 seconds before a long step ends."""


COUNTDOWN_BELLS = (3, 2, 1)
"""Seconds left in a step at which the bell rings."""
COUNTDOWN_FROM_SECONDS = 10
"""Shorter steps get no 3-2-1: it would run into the bell of the step itself."""
LEAST_GAP_SECONDS = 0.75
"""Rings at least this far apart (session time): never two in one second, while the
3-2-1, a second apart give or take a tick, all ring."""


class Bell:
    """Decides, tick by tick, whether the bell rings now."""

    def __init__(self) -> None:
        self._rang_at: float | None = None

    def due(self, before: Readout | None, now: Readout, step: Step, session_seconds: float) -> bool:
        """Whether to ring, going from `before` to `now` on `step`, `session_seconds` in.

        Rings once it says so: the caller rings the bell whenever this returns True.
        """
        return self.ring(before, now, step, session_seconds) is not None

    def ring(
        self, before: Readout | None, now: Readout, step: Step, session_seconds: float
    ) -> Ring | None:
        """The ring due going from `before` to `now` (as `due` decides), or None."""
        if before is None or now.state is not State.RUNNING:
            return None
        new_step = now.step_changes != before.step_changes
        countdown = (
            not new_step
            and step.pacing is not Pacing.CONFIRMED_REPS
            and now.step_seconds >= COUNTDOWN_FROM_SECONDS
            and now.seconds_left != before.seconds_left
            and now.seconds_left in COUNTDOWN_BELLS
        )
        if not (new_step or countdown):
            return None
        if self._rang_at is not None and session_seconds - self._rang_at < LEAST_GAP_SECONDS:
            return None
        self._rang_at = session_seconds
        return Ring.STEP if new_step else Ring.COUNTDOWN
