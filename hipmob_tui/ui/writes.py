"""Store changes from a worker thread: the UI keeps working and says when it has to wait."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App

from hipmob_tui.errors import HipmobError
from hipmob_tui.history.records import RecordError
from hipmob_tui.history.store import Store

LOCK_WAIT_SECONDS = 60.0
"""How long a change from the app waits for another hipmob before giving up."""

Result = TypeVar("Result")


class StoreWriteFailed(Exception):
    """A change did not happen; the message says why, in words for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def change_from_thread(
    app: App[Any],
    db: Path,
    change: Callable[[Store], Result],
    waiting: Callable[[bool], None],
) -> Result:
    """Apply `change` to a fresh read of the store (call from a worker thread).

    `waiting(True)` runs on the UI thread when another process holds the lock, and
    `waiting(False)` once the change is over, either way.
    """

    def on_wait() -> None:
        app.call_from_thread(waiting, True)

    store = Store(db, lock_timeout=LOCK_WAIT_SECONDS, on_wait=on_wait)
    try:
        return change(store)
    except (HipmobError, OSError, TimeoutError, RecordError) as error:
        raise StoreWriteFailed(getattr(error, "message", None) or str(error)) from None
    finally:
        app.call_from_thread(waiting, False)
