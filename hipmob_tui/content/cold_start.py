"""The catalog for the app's first frame: from the cache, or read by a helper process.

On a warm start the catalog comes from its cache in half a millisecond. On a cold one
(the first start, after an upgrade, after a YAML file was edited) reading the files costs
about 25 ms of CPU: importing PyYAML and the readers (18 ms), parsing (5 ms) and keeping
the result for the next start (2 ms). The app spends its first 150 ms importing Textual,
all of it CPU, with a second core idle; a thread would not help, as both halves hold the
GIL. So on a cold start a helper Python process reads the YAML and keeps the cache while
the app imports its UI, and hands the catalog back over a pipe. On two cores or more the
cold first frame is then about as fast as a warm one; with one core nothing is spawned.

The helper is a fresh interpreter (posix_spawn), not a fork: a forked child would have
to end without the parent's cleanup, and it would inherit whatever locks other threads
held. It is only a shortcut: where it cannot run (Windows, one core) or fails in any way,
the app reads the files itself, as it always did.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from hipmob_tui.content import cache
from hipmob_tui.content.models import Catalog

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from hipmob_tui.content.pacing import Pauses

# The helper's whole program. -I -S keep it from reading the user's environment and site
# folder: it takes the parent's import path as its arguments, and its job on stdin.
_HELPER = (
    "import pickle, sys; sys.path[:] = sys.argv[1:];"
    " from hipmob_tui.content.cold_start import helper_main;"
    " helper_main(pickle.load(sys.stdin.buffer))"
)


def helper_can_run() -> bool:
    """Whether a helper would read the YAML in parallel: it needs posix_spawn and a
    second core (on one, it would only add its own start-up to the parent's)."""
    if not hasattr(os, "posix_spawn") or not sys.executable:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) >= 2


class PendingCatalog:
    """A catalog being loaded; `catalog()` gives it, waiting for the helper if there is one."""

    def __init__(
        self,
        builtin: Sequence[Path],
        user: Sequence[Path],
        *,
        required: Sequence[Path],
        pauses: Pauses,
        cache_dir: Path | None,
        helper: bool,
    ) -> None:
        self._job: dict[str, Any] = {
            "builtin": list(builtin),
            "user": list(user),
            "required": list(required),
            "pauses": pauses,
            "cache": None if cache_dir is None else cache_dir / cache.CACHE_NAME,
            "key": cache.cache_key(builtin, user, required, pauses),
        }
        where = self._job["cache"]
        self._loaded = None if where is None else cache.cached_catalog(where, self._job["key"])
        self._helper: tuple[int, int] | None = None
        """The helper's pid and the reading end of its output, while it reads the YAML."""
        if self._loaded is None and helper:
            self._helper = self._spawn_helper()

    @property
    def ready(self) -> bool:
        """Whether `catalog()` returns at once: the cache held it."""
        return self._loaded is not None

    def catalog(self) -> Catalog:
        """The catalog: from the cache, the helper, or (when the helper failed) the files."""
        if self._loaded is None and self._helper is not None:
            self._loaded = _from_helper(*self._helper)
            self._helper = None
        if self._loaded is None:
            self._loaded = read_job(self._job, keep=True)
        return self._loaded

    def _spawn_helper(self) -> tuple[int, int] | None:
        """Start the helper with its job; None when it cannot be started."""
        import hipmob_tui

        path = [str(Path(hipmob_tui.__file__).parent.parent), *sys.path]
        pipes: list[int] = []
        try:
            job_out, job_in = os.pipe()
            pipes += (job_out, job_in)
            result_out, result_in = os.pipe()
            pipes += (result_out, result_in)
            pid = os.posix_spawn(
                sys.executable,
                [sys.executable, "-I", "-S", "-c", _HELPER, *path],
                # -I ignores the PYTHON* variables; the rest stays (a Python built with
                # shared libraries may need LD_LIBRARY_PATH to start at all).
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, job_out, 0),
                    (os.POSIX_SPAWN_DUP2, result_in, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                ],
            )
        except OSError:
            for end in pipes:
                os.close(end)
            return None
        os.close(job_out)
        os.close(result_in)
        # A job that cannot be sent ends the helper on an empty input; `catalog()` then
        # waits for it and reads the files itself.
        with contextlib.suppress(OSError, pickle.PicklingError), open(job_in, "wb") as stream:
            pickle.dump(self._job, stream, protocol=pickle.HIGHEST_PROTOCOL)
        return pid, result_out


def read_job(job: dict[str, Any], *, keep: bool) -> Catalog:
    """The catalog `job` describes, read from its files (and kept in the cache if `keep`)."""
    return cache.read_and_keep(
        job["builtin"],
        job["user"],
        required=job["required"],
        pauses=job["pauses"],
        cache=job["cache"] if keep else None,
        key=job["key"],
    )


def helper_main(job: dict[str, Any]) -> None:
    """The helper: read the files, keep the cache, write the catalog's pickle to stdout."""
    catalog = read_job(job, keep=False)
    pickled, modules = cache.pickled_modules(catalog)
    if job["cache"] is not None:
        cache.store_catalog_pickled(job["cache"], job["key"], pickled, modules)
    sys.stdout.buffer.write(pickled)


def _from_helper(pid: int, reading: int) -> Catalog | None:
    """What the helper sent, once it is done; None if it failed."""
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
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    try:
        # Our own helper's pickle, made from the code this process runs.
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
    """The catalog from the cache, or (on a miss) read by a helper while the caller goes on."""
    return PendingCatalog(
        builtin,
        user,
        required=required,
        pauses=pauses,
        cache_dir=cache_dir,
        helper=helper_can_run(),
    )
