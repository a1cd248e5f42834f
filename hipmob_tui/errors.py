"""Errors a user can cause, and the one way they are told about them."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing costs the fast commands ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO


class HipmobError(Exception):
    """An error with a message that says what went wrong and what to do."""

    exit_code = 1

    def __init__(self, message: str, title: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.title = title


class UsageError(HipmobError):
    """The command line was wrong."""

    exit_code = 2


class NotFound(HipmobError):
    """An id or a file that does not exist."""


def report(error: HipmobError, stream: TextIO | None = None) -> int:
    """Print `error` as one plain block on stderr and return its exit code."""
    print(f"hipmob: {error.title}: {error.message}", file=stream or sys.stderr)
    return error.exit_code


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice that `name` most likely misspells, if any: the "did you mean" of a message."""
    import difflib  # only when something is misspelt: the fast commands never need it

    close = difflib.get_close_matches(name, list(choices), n=1)
    return close[0] if close else None
