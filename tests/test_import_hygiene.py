"""The CLI and its fast commands never import the UI toolkit."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from hipmob_tui import cli
try:
    cli.main({argv!r})
except SystemExit:
    pass
leaked = sorted(m for m in ("textual", "rich") if m in sys.modules)
print("LEAKED", leaked, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["exercises"],
        ["exercises", "--json"],
        ["routines"],
        ["routines", "show", "desk-reset"],
    ],
)
def test_fast_commands_leave_textual_and_rich_unloaded(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, check=False
    )
    assert "LEAKED []" in result.stderr, result.stderr


def test_importing_the_package_loads_nothing_else() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, hipmob_tui; "
            "print(sorted(m for m in sys.modules if m.startswith('hipmob')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "['hipmob_tui']"
