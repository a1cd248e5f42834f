"""Reading the history for a screen's first paint."""

from __future__ import annotations

from hipmob_tui.history.store import Facts, Stamp, Store

FIRST_PAINT_WAIT = 0.05
"""Seconds a screen's first paint waits for a read in progress: a ten-year read from the
copy takes 15-20 ms alone, up to 90 ms beside a screen being built. No longer than a frame
or two, so a screen never waits on a long parse (a first start, a damaged copy)."""


def read_for_first_paint(store: Store) -> tuple[Facts, Stamp] | None:
    """What the app has read of `store` (as the file is now), for a screen to show in its
    first paint; None when the screen must read in a thread, as ever.

    The app reads the history once its first frame is up: `h` or `g` pressed at once finds
    that read done, or nearly. Shown in the first paint, the rows come without a thread's
    hop and the frames drawn without them (`h` to rows 250-310 -> 200-215 ms at ten years).
    """
    return store.facts_if_read(wait=FIRST_PAINT_WAIT)
