"""What `hipmob today` needs of routines and programs, kept small in the cache: no YAML, no models.

Loading the catalog, even from its pickle, imports the content models (dataclasses,
enum, typing) and unpickles every exercise: about 40 ms, more than a whole `hipmob
streak`. `today` needs only each routine's id, name, phases and estimated time, so those
are kept as a few hundred bytes of JSON (`routines-index.json`) behind a key like the
catalog cache's: every routine file's path, size, times and inode, the required paths,
the pause settings, the versions, and a checksum of the content package's code. Any
change means the catalog is loaded once the usual way and the index written again. It is
only ever a copy: failing to read or write it costs speed, never a wrong answer.

This module imports nothing heavy: `hipmob today` imports it on every prompt.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hipmob_tui import __version__
from hipmob_tui.paths import routine_files

TYPE_CHECKING = False  # typing costs `hipmob today` ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

INDEX_NAME = "routines-index.json"
_FORMAT = 2
_CONTENT = Path(__file__).parent
"""The content package: its models define, and its readers build, the catalog."""

IndexRow = tuple[str, str, tuple[str, ...], int]
"""A routine as the index keeps it: id, name, phases (in order), estimated seconds."""


def code_fingerprint(modules: Iterable[str]) -> tuple[tuple[str, int], ...] | None:
    """A checksum of each file of the code a cached catalog depends on; None if one is gone.

    That is every module of the content package (the models and what builds them from
    YAML), plus the module of each class the pickle names from outside it (`modules`, as
    `pickled_modules` found them). The bytes are checked, not their times, so two
    checkouts sharing one cache folder never take each other's catalog. It costs a warm
    start about 0.2 ms, plus 0.3 ms to import zlib (CRC-32 of some 65 KB; importing
    hashlib alone would cost 2.5 ms), of the 200-odd ms to a first frame.
    """
    import zlib

    files = sorted(
        (f"{__package__}.{path.stem}", path)
        for path in _CONTENT.iterdir()
        if path.suffix in (".py", ".pyc")
    )
    for name in sorted(set(modules)):
        if name.partition(".")[0] in sys.stdlib_module_names or name.startswith(__package__):
            continue  # the standard library goes with the Python version in the key
        origin = getattr(sys.modules.get(name), "__file__", None)
        if origin is None:
            return None  # not importable as it was: the pickle could not be loaded anyway
        files.append((name, Path(origin)))
    try:
        return tuple((name, zlib.crc32(path.read_bytes())) for name, path in files)
    except OSError:
        return None


def file_stats(paths: Iterable[Path]) -> list[tuple[object, ...]]:
    """Path, size, times and inode of each file (None for one that cannot be looked at)."""
    found: list[tuple[object, ...]] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            found.append((str(path), None))
            continue
        found.append((str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return found


def index_key(
    builtin: Sequence[Path], user: Iterable[Path], required: Iterable[Path], pauses: object
) -> object:
    """What the index depends on (as JSON would give it back); `pauses`: the settings'."""
    files = [*builtin, *(f for d in user for f in routine_files(d))]
    key = [
        _FORMAT,
        __version__,
        list(sys.version_info[:2]),
        file_stats(files),
        [(str(path), path.exists()) for path in required],
        repr(pauses),
        code_fingerprint(()),
    ]
    return json.loads(json.dumps(key))


def read_index(cache_dir: Path | None, key: object) -> tuple[list[IndexRow], list[object]] | None:
    """The routines (and the programs' JSON shapes) the index holds when it was made from
    exactly `key`; else None."""
    if cache_dir is None:
        return None
    from hipmob_tui import fileio

    try:
        data = json.loads(fileio.read_own_file(cache_dir / INDEX_NAME))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        rows: list[IndexRow] = []
        for routine_id, name, phases, seconds in data["routines"]:
            good = all(type(part) is str for part in (routine_id, name, *phases))
            if not good or type(seconds) is not int:
                return None
            rows.append((routine_id, name, tuple(phases), seconds))
        programs = data["programs"]
        return (rows, programs) if isinstance(programs, list) else None
    except (OSError, ValueError, RecursionError, KeyError, TypeError):  # a bad index is a miss
        return None


def write_index(
    cache_dir: Path | None, key: object, rows: Sequence[IndexRow], programs: Sequence[object] = ()
) -> None:
    """Keep `rows` (and the programs' JSON shapes) for the next `hipmob today`; an index
    that cannot be written is no loss."""
    if cache_dir is None:
        return
    import contextlib

    from hipmob_tui import fileio
    from hipmob_tui.errors import HipmobError

    document = {"key": key, "routines": [list(row) for row in rows], "programs": list(programs)}
    with contextlib.suppress(OSError, HipmobError):
        # A cache: not made durable (one lost in a crash is read as a miss).
        fileio.atomic_write(cache_dir / INDEX_NAME, json.dumps(document).encode(), durable=False)
