"""The CLI and its fast commands never import the UI toolkit (nor YAML, where not needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipmob_tui.history.store import Store
from tests.test_store import record

PROBE = """
import sys
from hipmob_tui.cli import main as cli
try:
    cli.main({argv!r})
except SystemExit:
    pass
print("LOADED", sorted(m for m in {watch!r} if m in sys.modules), file=sys.stderr)
"""


def loaded_after(argv: list[str], watch: tuple[str, ...], db: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, watch=watch)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HIPMOB_DB": str(db)},
    )
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture
def history_db(tmp_path: Path) -> Path:
    db = tmp_path / "hipmob.json"
    Store(db).merge([record(1), record(2)])
    return db


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["exercises"],
        ["exercises", "--json"],
        ["routines"],
        ["routines", "show", "desk-reset"],
        ["doctor"],
        ["export", "-"],
        ["plan"],
        ["plan", "--json"],
        ["checks"],
    ],
)
def test_commands_leave_textual_and_rich_unloaded(argv: list[str], history_db: Path) -> None:
    assert loaded_after(argv, ("textual", "rich"), history_db) == "LOADED []"


@pytest.mark.parametrize("argv", [["streak"], ["streak", "--short"], ["streak", "--json"]])
def test_streak_loads_no_ui_no_yaml_no_tinydb(argv: list[str], history_db: Path) -> None:
    # Nor the content models (reading the settings imported them): a third of its time.
    unwanted = ("textual", "rich", "yaml", "tinydb", "hipmob_tui.content.models")
    assert loaded_after(argv, unwanted, history_db) == "LOADED []"


@pytest.mark.parametrize("following", [False, True])
def test_today_loads_no_ui_no_yaml_no_tinydb(following: bool, history_db: Path) -> None:
    if following:
        loaded_after(["plan", "follow", "reset-restore-rebuild"], (), history_db)
    loaded_after(["today"], (), history_db)  # the first writes the routine index
    unwanted = ("textual", "rich", "yaml", "tinydb", "hipmob_tui.content.models")
    assert loaded_after(["today"], unwanted, history_db) == "LOADED []"


@pytest.mark.parametrize("argv", [["history"], ["history", "--format", "json"]])
def test_history_loads_no_ui_and_no_yaml(argv: list[str], history_db: Path) -> None:
    assert loaded_after(argv, ("textual", "rich", "yaml"), history_db) == "LOADED []"


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
