"""The catalog cache: a start with nothing changed reads no YAML; any change is seen at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hipmob_tui.content.cache import CACHE_NAME, load_catalog_cached
from hipmob_tui.content.loading import load_catalog
from hipmob_tui.content.models import Catalog
from hipmob_tui.content.pacing import DEFAULT_PAUSES
from hipmob_tui.paths import builtin_routines_dir, routine_files

MINE = """\
exercises:
  - id: my-stretch
    name: {name}
    phase: restore
    purpose: Mine.
    steps: [Do it.]
    cues: [Breathe.]
    equipment: []
    targets: [hips]
    dosage: {{sets: 1, hold_seconds: 20, per_side: false}}
    source: added
"""


def load(user: Path, cache: Path | None, pauses: object = DEFAULT_PAUSES) -> Catalog:
    return load_catalog_cached(
        routine_files(builtin_routines_dir()),
        [user],
        required=[],
        pauses=pauses,  # type: ignore[arg-type]
        cache_dir=cache,
    )


@pytest.fixture
def user(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "mine.yaml").write_text(MINE.format(name="My Stretch"))
    return folder


def test_a_cached_catalog_equals_the_one_read_from_yaml(user: Path, tmp_path: Path) -> None:
    fresh = load_catalog(routine_files(builtin_routines_dir()), [user])
    load(user, tmp_path / "cache")  # writes the cache
    assert (tmp_path / "cache" / CACHE_NAME).exists()
    assert load(user, tmp_path / "cache") == fresh


def test_an_edited_added_or_removed_file_is_read_again(user: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert load(user, cache).exercises["my-stretch"].name == "My Stretch"
    (user / "mine.yaml").write_text(MINE.format(name="Renamed Stretch"))
    assert load(user, cache).exercises["my-stretch"].name == "Renamed Stretch"
    (user / "more.yaml").write_text(MINE.format(name="Other").replace("my-stretch", "other"))
    assert "other" in load(user, cache).exercises
    (user / "more.yaml").unlink()
    assert "other" not in load(user, cache).exercises


def test_same_size_same_second_edit_is_still_seen(user: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(user, cache)
    file = user / "mine.yaml"
    before = file.stat()
    file.write_text(MINE.format(name="My Strotch"))  # same length
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert load(user, cache).exercises["my-stretch"].name == "My Strotch"  # ctime moved


def test_other_default_pauses_make_other_estimates(user: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    usual = load(user, cache)
    longer = load(user, cache, DEFAULT_PAUSES.overridden({"between_exercises": 90}))
    routine = "desk-reset"
    assert longer.routines[routine].estimated_seconds > usual.routines[routine].estimated_seconds


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05garbage", b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00."],
)
def test_a_damaged_cache_is_read_past_and_replaced(
    damage: bytes, user: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / CACHE_NAME).write_bytes(damage)
    assert "my-stretch" in load(user, cache).exercises
    assert (cache / CACHE_NAME).read_bytes() != damage


def test_a_cache_others_can_write_is_never_unpickled(user: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(user, cache)
    (cache / CACHE_NAME).chmod(0o666)
    (user / "mine.yaml").write_text(MINE.format(name="Changed"))
    load(user, cache)  # rewritten (a new file, private again)
    (cache / CACHE_NAME).chmod(0o666)
    assert load(user, cache).exercises["my-stretch"].name == "Changed"  # read from YAML


def test_an_unwritable_cache_folder_costs_nothing_but_time(user: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    assert "my-stretch" in load(user, blocker).exercises
    assert blocker.read_text() == "a file where the folder should be"


def test_a_start_with_a_warm_cache_imports_no_yaml(tmp_path: Path) -> None:
    probe = (
        "import sys; from hipmob_tui.cli.main import main; main(['routines']); "
        "loaded = ('yaml', 'hipmob_tui.content.loading'); "
        "print('LOADED', sorted(m for m in loaded if m in sys.modules),"
        " file=sys.stderr)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout  # the same listing from the cache
    assert runs[0].stderr.strip().endswith("LOADED ['hipmob_tui.content.loading', 'yaml']")
    assert runs[1].stderr.strip().endswith("LOADED []")


PROBE = (
    "import json, sys; from hipmob_tui.cli.catalog import load_catalog_for;"
    " from hipmob_tui.paths import resolve;"
    " catalog = load_catalog_for(resolve());"
    " print(json.dumps({e.id: e.name for e in catalog.exercises.values()}));"
    " print(sorted(m for m in ('yaml',) if m in sys.modules), file=sys.stderr)"
)


def run_copy(tree: Path, cache: Path) -> tuple[dict[str, str], str]:
    """The exercise names a start of the package copied to `tree` sees; what it imported."""
    env = {**os.environ, "PYTHONPATH": str(tree), "XDG_CACHE_HOME": str(cache)}
    env.pop("HIPMOB_ROUTINES", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=tree, check=True
    )
    return json.loads(done.stdout), done.stderr.strip()


def test_a_changed_model_does_not_load_a_cache_made_by_the_old_one(tmp_path: Path) -> None:
    """A pickle names classes, not fields: a cache kept across a model edit is read again.

    Swapping two fields of Exercise (no version bump) would put each exercise's purpose
    where its name belongs if the old pickle were loaded under the new class.
    """
    package = Path(__import__("hipmob_tui").__file__).parent
    tree = tmp_path / "tree"
    shutil.copytree(package, tree / "hipmob_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(builtin_routines_dir(), tree / "routines")
    cache = tmp_path / "cache"
    before, _ = run_copy(tree, cache)
    assert run_copy(tree, cache) == (before, "[]")  # warm: the cache was used, no YAML read

    models = tree / "hipmob_tui" / "content" / "models.py"
    source = models.read_text()
    fields = "    name: str\n    phase: Phase\n    purpose: str\n"
    assert source.count(fields) == 1
    models.write_text(source.replace(fields, "    purpose: str\n    phase: Phase\n    name: str\n"))
    after, imported = run_copy(tree, cache)
    assert after == before  # each exercise keeps its name
    assert imported == "['yaml']"  # because the YAML was read again
