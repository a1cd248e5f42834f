"""The catalog as last loaded, kept in the user's cache folder, so a start needs no YAML.

Reading the shipped and user YAML files costs a start about a tenth of its time (most of
it importing the YAML parser). The catalog they make is kept pickled behind a key: every
file's path, size, times and inode, which required paths exist, the default pauses, the
versions, and a fingerprint of the code that defines and builds what is pickled (a pickle
names classes, not their fields: a model changed without a new version would otherwise
load an old cache with its fields shifted). When the key matches, the pickle is the
catalog; any change (or a damaged, foreign or unreadable cache) means the files are read
again. The cache is only ever a copy: failing to read or write it just means reading YAML.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from hipmob_tui import __version__
from hipmob_tui.content.models import Catalog
from hipmob_tui.content.routine_index import code_fingerprint
from hipmob_tui.paths import routine_files

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from hipmob_tui.content.pacing import Pauses

CACHE_NAME = "catalog.pickle"
_FORMAT = 3
"""Bump when the layout of the cache file itself changes (the code is fingerprinted)."""


def cache_key(
    builtin: Sequence[Path], user: Iterable[Path], required: Iterable[Path], pauses: Pauses
) -> tuple[object, ...]:
    """What the catalog depends on; any difference means the files are read again."""
    files: list[tuple[object, ...]] = []
    for path in [*builtin, *(f for d in user for f in routine_files(d))]:
        try:
            info = path.stat()
        except OSError:
            files.append((str(path), None))
            continue
        files.append((str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return (
        _FORMAT,
        __version__,
        sys.version_info[:2],
        tuple(files),
        tuple((str(path), path.exists()) for path in required),
        repr(pauses),
    )


def pickled_modules(value: object) -> tuple[bytes, frozenset[str]]:
    """`value` pickled, and the modules of every class and function the pickle names."""
    import io
    import pickle

    modules: set[str] = set()

    class Recorder(pickle.Pickler):
        """A pickler that notes where each object's class comes from."""

        def reducer_override(self, obj: object) -> Any:
            # The class, a function's own module, and the code that restores the state
            # (hipmob_tui.quick_pickle for the models and records).
            restorer = getattr(type(obj), "__setstate__", None)
            owners = (type(obj).__module__, getattr(obj, "__module__", None))
            for owner in (*owners, getattr(restorer, "__module__", None)):
                if isinstance(owner, str) and owner != "builtins":
                    modules.add(owner)
            return NotImplemented  # pickle it as usual

    buffer = io.BytesIO()
    Recorder(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue(), frozenset(modules)


def load_trusted_pickle(path: Path) -> object | None:
    """What `store_pickle` kept at `path`; None when missing, damaged or not trusted."""
    import pickle

    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            # Only a file this user wrote and nobody else can change is unpickled.
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
            return pickle.load(file)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - a damaged or foreign cache is a miss, never an error
        return None


def store_pickle(path: Path, value: object) -> None:
    """Keep `value` for a later start; a cache that cannot be written is no loss."""
    import pickle

    from hipmob_tui.errors import HipmobError
    from hipmob_tui.fileio import atomic_write

    with contextlib.suppress(OSError, HipmobError, pickle.PicklingError):
        # Not made durable: a cache lost or cut short by a crash reads as a miss.
        atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)


def cached_catalog(cache: Path, key: tuple[object, ...]) -> Catalog | None:
    """The cached catalog when it was made from exactly `key` and today's code; else None."""
    import pickle

    stored = load_trusted_pickle(cache)
    if not (isinstance(stored, tuple) and len(stored) == 4):
        return None
    stored_key, modules, fingerprint, pickled = stored
    # The key and the code are checked before the catalog is unpickled: under changed
    # classes its fields would land in the wrong places.
    if stored_key != key or not isinstance(modules, frozenset) or not isinstance(pickled, bytes):
        return None
    if fingerprint is None or code_fingerprint(modules) != fingerprint:
        return None
    try:
        catalog = pickle.loads(pickled)
    except Exception:  # noqa: BLE001 - a damaged cache is a miss, never an error
        return None
    return catalog if isinstance(catalog, Catalog) else None


def store_catalog(cache: Path, key: tuple[object, ...], catalog: Catalog) -> None:
    """Keep `catalog` for the next start; a cache that cannot be written is no loss."""
    import pickle

    try:
        pickled, modules = pickled_modules(catalog)
    except pickle.PicklingError:
        return
    store_catalog_pickled(cache, key, pickled, modules)


def store_catalog_pickled(
    cache: Path, key: tuple[object, ...], pickled: bytes, modules: frozenset[str]
) -> None:
    """`store_catalog` for a catalog already pickled by `pickled_modules`."""
    store_pickle(cache, (key, modules, code_fingerprint(modules), pickled))


def load_catalog_cached(
    builtin: Sequence[Path],
    user: Sequence[Path],
    *,
    required: Sequence[Path],
    pauses: Pauses,
    cache_dir: Path | None,
) -> Catalog:
    """`content.load_catalog`, or its copy from the last start when nothing changed since."""
    key = cache_key(builtin, user, required, pauses)
    cache = None if cache_dir is None else cache_dir / CACHE_NAME
    if cache is not None and (catalog := cached_catalog(cache, key)) is not None:
        return catalog
    return read_and_keep(builtin, user, required=required, pauses=pauses, cache=cache, key=key)


def read_and_keep(
    builtin: Sequence[Path],
    user: Sequence[Path],
    *,
    required: Sequence[Path],
    pauses: Pauses,
    cache: Path | None,
    key: tuple[object, ...],
) -> Catalog:
    """The catalog read from its files, and kept in `cache` (if any) under `key`."""
    from hipmob_tui.content.loading import load_catalog

    catalog = load_catalog(builtin, user, required=required, pauses=pauses)
    if cache is not None:
        store_catalog(cache, key, catalog)
    return catalog
