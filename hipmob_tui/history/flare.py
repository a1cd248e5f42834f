"""When pain looks like a flare, and the gentlest routine to suggest then.

A pain score before a session of FLARE_BEFORE or more, or a score after that is
FLARE_RISE or more above the score before, is worth noticing: hipmob offers to mark the
day as a flare (never forced) and suggests a routine of RESET alone next time.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `hipmob today` reads the thresholds: no typing on its path
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Protocol, TypeVar

    class Choosable(Protocol):
        """What picking the gentlest routine reads: a routine, or `today`'s light copy."""

        @property
        def id(self) -> str: ...
        @property
        def estimated_seconds(self) -> int: ...
        @property
        def reset_only(self) -> bool: ...

    R = TypeVar("R", bound=Choosable)

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


def gentlest_routine(routines: Iterable[R], last_done: Mapping[str, int] | None = None) -> R | None:
    """The shortest routine of RESET alone, ties to the one done least recently (never done
    first; `last_done`: routine id -> when), then by id; None when there is none. The
    summary's flare offer and `hipmob today` name the same one."""
    done = last_done or {}
    reset_only = [r for r in routines if r.reset_only]
    return min(
        reset_only, key=lambda r: (r.estimated_seconds, done.get(r.id, -1), r.id), default=None
    )
