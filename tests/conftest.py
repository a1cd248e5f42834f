"""Shared fixtures: every test gets its own HOME and XDG dirs, so no real user data is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipmob_tui.content.loading import Catalog, load_catalog
from hipmob_tui.paths import builtin_routines_dir, routine_files


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh HOME and XDG tree per test; HIPMOB_* variables cleared."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("HIPMOB_DB", raising=False)
    monkeypatch.delenv("HIPMOB_ROUTINES", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture(scope="session")
def builtin_catalog() -> Catalog:
    """The shipped exercises and routines, nothing else."""
    return load_catalog(routine_files(builtin_routines_dir()), [])


QUICK_ROUTINES = Path(__file__).resolve().parent / "routines"
"""A one-minute routine ("quick"): a 3 s hold, 2 sets per side, then reps you confirm."""


@pytest.fixture(scope="session")
def quick_catalog() -> Catalog:
    """The shipped content plus the quick routine, for whole sessions in a few seconds."""
    return load_catalog(routine_files(builtin_routines_dir()), [QUICK_ROUTINES])
