"""A cold start: a helper process reads the YAML while the app imports its UI.

Each start runs in a fresh interpreter (`python -c`), as the app's does, so that what it
imported can be seen.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hipmob_tui.content.cache import CACHE_NAME
from hipmob_tui.content.cold_start import PendingCatalog, helper_can_run
from hipmob_tui.content.loading import load_catalog
from hipmob_tui.content.pacing import DEFAULT_PAUSES
from hipmob_tui.paths import builtin_routines_dir, routine_files

pytestmark = pytest.mark.skipif(not helper_can_run(), reason="needs posix_spawn and two cores")

BROKEN = "exercises:\n  - id: half-done\n    name: [not, a, name]\n"

# Loads the catalog as the app does, then says what this process imported and what it got.
PROBE = """
import json, os, sys
from pathlib import Path
from hipmob_tui.content import cache
from hipmob_tui.content.cold_start import begin_catalog_load
from hipmob_tui.content.pacing import DEFAULT_PAUSES
from hipmob_tui.paths import builtin_routines_dir, routine_files
user, cache_dir, sabotage = sys.argv[1], sys.argv[2], sys.argv[3]
if sabotage == "helper-fails":
    sys.executable = sys.executable + "-is-not-there"
if sabotage == "helper-crashes":
    from hipmob_tui.content import cold_start
    cold_start._HELPER = "import os; os.kill(os.getpid(), 9)"
pending = begin_catalog_load(
    routine_files(builtin_routines_dir()), [Path(user)], required=[], pauses=DEFAULT_PAUSES,
    cache_dir=Path(cache_dir) if cache_dir != "-" else None,
)
ready = pending.ready
def child_left():
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False  # none: the child was waited for (no zombie)
    return True
catalog = pending.catalog()
print(json.dumps({
    "ready": ready,
    "read_yaml_here": "hipmob_tui.content.loading" in sys.modules,
    "exercises": {e.id: e.name for e in catalog.exercises.values()},
    "routines": sorted(catalog.routines),
    "problems": [str(p) for p in catalog.problems],
    "child_left": child_left(),
}))
"""


def start(user: Path, cache: Path | None, sabotage: str = "") -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(user), str(cache) if cache else "-", sabotage or "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""  # the child says nothing on the terminal, whatever happens
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.fixture
def user(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "broken.yaml").write_text(BROKEN)
    return folder


def expected(user: Path) -> dict[str, object]:
    catalog = load_catalog(routine_files(builtin_routines_dir()), [user])
    return {
        "exercises": {e.id: e.name for e in catalog.exercises.values()},
        "routines": sorted(catalog.routines),
        "problems": [str(p) for p in catalog.problems],
    }


def test_a_cold_start_gets_the_catalog_from_a_child_and_keeps_the_cache(
    user: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cold = start(user, cache)
    assert not cold["ready"] and not cold["read_yaml_here"]  # the YAML was read elsewhere
    assert not cold["child_left"]
    assert {k: cold[k] for k in ("exercises", "routines", "problems")} == expected(user)
    assert cold["problems"]  # the user file's problems come over too, for the app to show
    assert (cache / CACHE_NAME).exists()
    warm = start(user, cache)  # the child kept the cache: the next start reads no YAML
    assert warm["ready"] and not warm["read_yaml_here"]
    assert {k: warm[k] for k in ("exercises", "routines", "problems")} == expected(user)


def test_without_a_cache_folder_the_child_still_hands_the_catalog_over(
    user: Path, tmp_path: Path
) -> None:
    started = start(user, None)
    assert not started["read_yaml_here"]
    assert started["exercises"] == expected(user)["exercises"]


@pytest.mark.parametrize("sabotage", ["helper-fails", "helper-crashes"])
def test_a_helper_that_fails_costs_nothing_but_time(
    user: Path, tmp_path: Path, sabotage: str
) -> None:
    """Python not found, or the helper killed: the app reads the files itself."""
    started = start(user, tmp_path / "cache", sabotage=sabotage)
    assert started["read_yaml_here"]  # the parent read the files itself
    assert not started["child_left"]
    assert {k: started[k] for k in ("exercises", "routines", "problems")} == expected(user)
    assert (tmp_path / "cache" / CACHE_NAME).exists()


def test_without_a_helper_the_files_are_read_here(user: Path, tmp_path: Path) -> None:
    """As on one core, or without posix_spawn."""
    pending = PendingCatalog(
        routine_files(builtin_routines_dir()),
        [user],
        required=[],
        pauses=DEFAULT_PAUSES,
        cache_dir=tmp_path / "cache",
        helper=False,
    )
    assert not pending.ready
    catalog = pending.catalog()
    assert sorted(catalog.routines) == expected(user)["routines"]
    assert (tmp_path / "cache" / CACHE_NAME).exists()
