"""A dialog answers once: what comes behind its first answer finds it gone."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen

ResultT = TypeVar("ResultT")


def dismiss_once(screen: Screen[ResultT], result: ResultT | None = None) -> None:
    """Dismiss `screen` with `result`, unless it has answered already.

    `Screen.dismiss` pops whatever screen is on top. A key or a tap queued behind the
    first answer (a score pressed twice, "4 4" in one burst, a double tap) reached the
    dialog after it had gone, and its second dismiss closed the screen beneath: the
    summary, the picker, or the last screen (a crash).
    """
    if screen.is_current:
        screen.dismiss(result)
