"""When the runner rings the terminal bell: on a new step, and 3-2-1 before a long step ends."""

from __future__ import annotations

from hipmob_tui.session.engine import Readout, State
from hipmob_tui.session.timeline import Pacing, Step

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
        if before is None or now.state is not State.RUNNING:
            return False
        new_step = now.step_changes != before.step_changes
        countdown = (
            not new_step
            and step.pacing is not Pacing.CONFIRMED_REPS
            and now.step_seconds >= COUNTDOWN_FROM_SECONDS
            and now.seconds_left != before.seconds_left
            and now.seconds_left in COUNTDOWN_BELLS
        )
        if not (new_step or countdown):
            return False
        if self._rang_at is not None and session_seconds - self._rang_at < LEAST_GAP_SECONDS:
            return False
        self._rang_at = session_seconds
        return True
