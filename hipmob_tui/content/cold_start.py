"""The catalog for the app's first frame: from the cache, or read by a helper process.

On a warm start the catalog comes from its cache in half a millisecond. On a cold one
(the first start, after an upgrade, after a YAML file was edited) reading the files costs
about 25 ms of CPU: importing PyYAML and the readers (18 ms), parsing (5 ms) and keeping
the result for the next start (2 ms). The app spends that time importing Textual, which
leaves a second core idle, and a thread would not help: both halves hold the GIL. So on a
cold start a forked child reads the YAML and writes the cache while the app imports its
UI, and hands the catalog over a pipe. On one core it costs the same as before (a fork is
under a millisecond); on two or more the cold first frame is about as fast as a warm one.

The child is only a shortcut. Where fork is unsafe or missing (other threads running,
macOS, Windows) or the child fails in any way, the app reads the files itself, as it
always did.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from hipmob_tui.content import cache
from hipmob_tui.content.models import Catalog

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.content.pacing import Pauses


def fork_is_safe() -> bool:
    """Whether a child may be forked here: Linux, and no other thread that might hold a lock
    the child would need (macOS's system libraries do not survive a fork without exec)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class PendingCatalog:
    """A catalog being loaded; `catalog()` gives it, waiting for the child if there is one."""

    def __init__(
        self,
        builtin: Sequence[Path],
        user: Sequence[Path],
        *,
        required: Sequence[Path],
        pauses: Pauses,
        cache_dir: Path | None,
        fork: bool,
    ) -> None:
        self._sources = (list(builtin), list(user))
        self._required = list(required)
        self._pauses = pauses
        self._cache = None if cache_dir is None else cache_dir / cache.CACHE_NAME
        self._key = cache.cache_key(builtin, user, required, pauses)
        self._loaded = None if self._cache is None else cache.cached_catalog(self._cache, self._key)
        self._child: tuple[int, int] | None = None
        """The child's pid and the pipe's reading end, while it reads the YAML."""
        if self._loaded is None and fork:
            self._child = self._fork_reader()

    @property
    def ready(self) -> bool:
        """Whether `catalog()` returns at once: the cache held it."""
        return self._loaded is not None

    def catalog(self) -> Catalog:
        """The catalog: from the cache, the child, or (when the child failed) the files."""
        if self._loaded is None and self._child is not None:
            self._loaded = self._from_child(*self._child)
            self._child = None
        if self._loaded is None:
            builtin, user = self._sources
            self._loaded = cache.read_and_keep(
                builtin,
                user,
                required=self._required,
                pauses=self._pauses,
                cache=self._cache,
                key=self._key,
            )
        return self._loaded

    def _fork_reader(self) -> tuple[int, int] | None:
        """Start the child that reads the files; None when it cannot be started."""
        try:
            reading, writing = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return None
        if pid == 0:  # the child: never returns
            os.close(reading)
            self._child_reads_and_exits(writing)
        os.close(writing)
        return pid, reading

    def _child_reads_and_exits(self, writing: int) -> None:
        """Read the files, keep the cache, send the pickle; exit without the parent's
        cleanup (its atexit handlers, its buffered output: the parent owns those)."""
        code = 1
        try:
            from hipmob_tui.content.loading import load_catalog

            builtin, user = self._sources
            catalog = load_catalog(builtin, user, required=self._required, pauses=self._pauses)
            pickled, modules = cache.pickled_modules(catalog)
            if self._cache is not None:
                cache.store_catalog_pickled(self._cache, self._key, pickled, modules)
            view = memoryview(pickled)
            while view:
                view = view[os.write(writing, view) :]
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the parent reads the files itself
            pass
        finally:
            os._exit(code)

    @staticmethod
    def _from_child(pid: int, reading: int) -> Catalog | None:
        """What the child sent, once it is done; None if it failed."""
        import pickle

        chunks: list[bytes] = []
        try:
            while chunk := os.read(reading, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(reading)
        try:
            _pid, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        try:
            # Our own child's pickle, made by the code of this very process.
            catalog = pickle.loads(b"".join(chunks))  # noqa: S301
        except Exception:  # noqa: BLE001 - a broken hand-over: read the files instead
            return None
        return catalog if isinstance(catalog, Catalog) else None


def begin_catalog_load(
    builtin: Sequence[Path],
    user: Sequence[Path],
    *,
    required: Sequence[Path],
    pauses: Pauses,
    cache_dir: Path | None,
) -> PendingCatalog:
    """The catalog from the cache, or (on a miss) read by a child while the caller goes on."""
    return PendingCatalog(
        builtin, user, required=required, pauses=pauses, cache_dir=cache_dir, fork=fork_is_safe()
    )
