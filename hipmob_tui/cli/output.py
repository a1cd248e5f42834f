"""Plain output for the commands: JSON, tables and counts, with no UI imports."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def print_json(data: Any) -> None:
    """`data` as indented JSON on standard output."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def plural(count: int, noun: str) -> str:
    """`count` and `noun`, plural unless there is exactly one: "1 session", "2 sessions"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """Rows under a header, in columns as wide as their widest cell."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def say_kept_aside(path: Path | None) -> None:
    """The warning a write gives when it found the history damaged and started afresh."""
    if path is not None:
        print(
            f"hipmob: warning: the history file was damaged; it was kept as {path} and a fresh "
            "one started. Run 'hipmob doctor' to recover its sessions.",
            file=sys.stderr,
        )
