"""A problem found in a content file: where it is and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a file, with its place and what to do about it."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}:"
        line = f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"
        # Quoted values are escaped already; this also covers file names and keys.
        return line if line.isprintable() else escape_unprintable(line)


def escape_unprintable(text: str) -> str:
    """`text` with each unprintable character written as its escape, so a terminal shows it."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )
