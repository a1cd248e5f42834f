"""When pain looks like a flare, and the gentlest routine to suggest then.

A pain score before a session of FLARE_BEFORE or more, or a score after that is
FLARE_RISE or more above the score before, is worth noticing: hipmob offers to mark the
day as a flare (never forced) and suggests a routine of RESET alone next time.
"""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False  # `hipmob today` reads the thresholds: no content models on its path
if TYPE_CHECKING:
    from hipmob_tui.content.models import Routine

FLARE_BEFORE = 7
"""A pain score before a session at least this high."""
FLARE_RISE = 2
"""Pain after this much or more above pain before."""


def looks_like_a_flare(pain_before: int | None, pain_after: int | None) -> bool:
    """Whether these scores call for the flare offer."""
    if pain_before is not None and pain_before >= FLARE_BEFORE:
        return True
    return (
        pain_before is not None
        and pain_after is not None
        and pain_after - pain_before >= FLARE_RISE
    )


def gentlest_routine(routines: Iterable[Routine]) -> Routine | None:
    """The shortest routine of RESET alone (None when there is none)."""
    reset_only = [r for r in routines if [phase.value for phase in r.phases] == ["reset"]]
    return min(reset_only, key=lambda r: (r.estimated_seconds, r.name), default=None)
