"""The app's copy of the parsed sessions, kept by the content of the bytes they were read from.

The app reads every session soon after its first frame (History, Progress): at ten years
parsing and checking the JSON costs about 110 ms, unpickling the same records 10 ms.

hipmob writes the sessions table last in its file, so the copy is of that table alone,
kept with the length and SHA-256 of the file's bytes from the table's value to the end
of the file, but for the last two (`fileformat.SessionsCopy`). A write of anything else
(a day mark, a check result, a plan fact, a tombstone) leaves those bytes as they were,
and the copy is used still; a session added after them is parsed and joins the copy.
The rest of the file is read and checked as ever (it is small). Any other change to the
sessions, by hipmob or anything else, makes the copy unused rather than stale; so does a
file whose sessions table is not its last. The key also holds hipmob's version, Python's,
and a checksum of the code that makes the records (their classes and the reader), so a
new hipmob never unpickles classes it does not have. Only a file this user owns, that
nobody else can write and that is no link is unpickled (`fileio.read_own_file`).
Anything wrong with the copy means the sessions are parsed, as without one; it never
hides a damaged history, whose bytes no copy was made of.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hipmob_tui import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.history.fileformat import KeptSessions, SessionsCopy, SessionsPart

_FORMAT = 7
"""Bump when the layout of the cache file itself changes (the code is fingerprinted)."""

_READER_MODULES = frozenset({"hipmob_tui.history.fileformat", "hipmob_tui.history.records"})
"""What decides what a file reads as, beyond the classes the pickle names."""


def cache_path(cache_dir: Path, db: Path) -> Path:
    """Where the copy of `db`'s history is kept: one file per database path."""
    import hashlib

    named = hashlib.sha256(os.fsencode(os.path.abspath(db))).hexdigest()[:16]
    return cache_dir / f"history-{named}.pickle"


def _key() -> tuple[object, ...]:
    return (_FORMAT, __version__, sys.version_info[:2])


def load(cache: Path) -> KeptSessions | None:
    """The copy of the sessions kept at `cache` (see `fileformat.SessionsCopy`); None when
    there is none, or it is of another version or code, or cannot be trusted. Its sessions
    are unpickled only when asked for: most of the time the file's bytes say first that
    they are of no use."""
    import pickle

    from hipmob_tui import fileio
    from hipmob_tui.content.routine_index import code_fingerprint

    try:
        stored = pickle.loads(fileio.read_own_file(cache))
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign cache is a miss
        return None
    if not (isinstance(stored, tuple) and len(stored) == 6):
        return None
    key, length, digest, modules, fingerprint, pickled = stored
    # Key and code are checked before the records are unpickled: under changed classes
    # their fields would land in the wrong places.
    if key != _key() or not isinstance(modules, frozenset) or not isinstance(pickled, bytes):
        return None
    if not (isinstance(length, int) and isinstance(digest, bytes)):
        return None
    if fingerprint is None or code_fingerprint(modules) != fingerprint:
        return None

    def sessions() -> SessionsPart | None:
        try:
            found = pickle.loads(pickled)
        except Exception:  # noqa: BLE001 - a damaged cache is a miss, never an error
            return None
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        records, repeats = found
        if not (isinstance(records, dict) and isinstance(repeats, int)):
            return None
        return records, repeats

    return length, digest, sessions


def save(cache: Path, copy: SessionsCopy) -> None:
    """Keep a copy of the sessions; failing to is no loss."""
    import pickle

    from hipmob_tui.content.cache import pickled_modules, store_pickle
    from hipmob_tui.content.routine_index import code_fingerprint

    length, digest, found = copy
    try:
        pickled, modules = pickled_modules(found)
    except pickle.PicklingError:
        return
    modules |= _READER_MODULES
    stored = (_key(), length, digest, modules, code_fingerprint(modules), pickled)
    store_pickle(cache, stored)
