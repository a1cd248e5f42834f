"""Durable file writes and an inter-process lock: the two things the store's safety rests on."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO

TEMP_PREFIX = ".hipmob-tmp-"
"""Temp files carry this prefix so leftovers from a kill are unmistakable."""


class WriteFailed(OSError):
    """A write did not happen; the previous file is unchanged."""

    def __str__(self) -> str:
        return str(self.strerror)


class LockTimeout(TimeoutError):
    """Another process held the lock for too long."""


class UntrustedFile(OSError):
    """One of hipmob's own files that no hipmob of this user can have written."""


def read_own_file(path: Path) -> bytes:
    """The bytes of a file hipmob keeps beside the history, when it can be hipmob's.

    Never through a symbolic link (ELOOP), never from a FIFO or a device (a read that
    blocks or never ends), never from a file another user owns or may write: any of those
    could say anything (a summary of 100 days, a session never done). UntrustedFile
    then; FileNotFoundError when there is no file.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedFile(errno.EINVAL, "it is not a regular file", str(path))
        if info.st_uid != os.geteuid() or info.st_mode & 0o022:
            raise UntrustedFile(
                errno.EPERM,
                "it belongs to another user or others may change it, so hipmob does not "
                "trust it (remove it, then try again)",
                str(path),
            )
        chunks = []
        while chunk := os.read(fd, max(info.st_size + 1, 65536)):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` when missing, and every missing folder above it, each 0700.

    `Path.mkdir(parents=True)` would make the folders above with the umask's mode (0755,
    or 0777 under umask 000). WriteFailed, in words, when a folder cannot be made (a file
    is in the way, a read-only file system). Nothing happens at import time.
    """
    if directory.is_dir():
        return
    missing: list[Path] = []
    level = directory
    while not level.is_dir():
        if os.path.lexists(level):
            error = NotADirectoryError(errno.ENOTDIR, "not a folder", str(level))
            raise write_failed(directory, error, unchanged="nothing was changed", folder=True)
        missing.append(level)
        if level.parent == level:
            break
        level = level.parent
    for level in reversed(missing):
        try:
            os.mkdir(level, 0o700)
        except FileExistsError:
            if level.is_dir():
                continue  # another hipmob made it meanwhile: keep its mode
            error = NotADirectoryError(errno.ENOTDIR, "not a folder", str(level))
            raise write_failed(
                directory, error, unchanged="nothing was changed", folder=True
            ) from None
        except OSError as error:
            raise write_failed(
                directory, error, unchanged="nothing was changed", folder=True
            ) from None
        # The umask can only take bits away from 0700; a strange one (0277) would leave
        # a folder hipmob cannot write into.
        os.chmod(level, 0o700)


def stat_if_there(path: Path, what: str = "the history") -> os.stat_result | None:
    """The stat of `path`; None when there is nothing there.

    HipmobError, in words, when it cannot be looked at: a file where a folder should be
    on the way to it, a folder that may not be searched.
    """
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        from hipmob_tui.errors import HipmobError

        raise HipmobError(f"cannot read {what} at {path}: {os_reason(error, path)}") from None


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data`: temp file, fsync, rename, fsync the directory.

    A crash at any point leaves either the old file or the new one, never a mix; on
    failure (disk full, read-only directory) the old file is untouched. `durable=False`
    skips both fsyncs, for caches: after a power cut such a file may be old, empty or
    missing (never another file's bytes), which a cache reads as a miss.
    """
    directory = path.parent
    ensure_private_dir(directory)
    temp = directory / f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{time.monotonic_ns()}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise write_failed(path, error) from None
    if durable:
        fsync_directory(directory)


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """`atomic_write` for data written piece by piece (an export of 100 years of sessions).

    The caller writes to the file it is given; when the block ends without an error, the
    file is fsynced and renamed over `path`. On any error the temp file is removed and
    `path` is untouched.
    """
    directory = path.parent
    ensure_private_dir(directory)
    temp = directory / f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{time.monotonic_ns()}"
    try:
        with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise write_failed(path, error) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_directory(directory)


def write_failed(
    path: Path,
    error: OSError,
    *,
    unchanged: str = "the previous file is unchanged",
    folder: bool = False,
) -> WriteFailed:
    """The error a user sees when `path` could not be written: why, and that nothing changed.

    One line: "could not write PATH: REASON; UNCHANGED".
    """
    what = "create the folder" if folder else "write"
    return WriteFailed(
        error.errno or errno.EIO,
        f"could not {what} {path}: {os_reason(error, path)}; {unchanged}",
    )


_ANOTHER_PLACE = "choose another place (for the history: --db or HIPMOB_DB)"

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would pass the file size limit set for this process (ulimit -f)",
    errno.EROFS: f"the file system is read-only ({_ANOTHER_PLACE})",
    errno.EACCES: "permission denied (check who owns the folder and its permissions)",
    errno.EPERM: "the operation is not permitted (check who owns the folder and its mode)",
}


def os_reason(error: OSError, path: Path | None = None) -> str:
    """What went wrong with a file, in words, and what to do when something can be done."""
    if isinstance(error, UntrustedFile):
        return str(error.strerror)
    if error.errno in (errno.ENOTDIR, errno.EEXIST) and path is not None:
        in_the_way = _file_in_the_way(path)
        if in_the_way is not None:
            which = "it" if in_the_way == path else str(in_the_way)
            what = "a link to nothing" if not in_the_way.exists() else "a file"
            return f"{which} is {what}, not a folder (move it, or {_ANOTHER_PLACE})"
    if error.errno == errno.ELOOP and path is not None and os.path.islink(path):
        return (
            "it is a symbolic link, and hipmob does not follow links to its own files "
            "(remove the link, then try again)"
        )
    reason = _REASONS.get(error.errno or 0)
    if reason is not None:
        return reason
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def _file_in_the_way(path: Path) -> Path | None:
    """What stands where a folder should be on the way to `path`: a file, or a link."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate) and not candidate.is_dir():
            return candidate
    return None


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_aside(path: Path) -> Path:
    """Move a damaged file to `NAME.damaged-STAMP` beside it, never overwriting anything."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    os.rename(path, target)
    fsync_directory(path.parent)
    return target


def stale_temp_files(directory: Path) -> list[Path]:
    """Temp files a killed process left behind.

    A temp file whose writer is still alive is in flight (the journal is written beside
    the database, outside its lock, even by this very process): it is not stale.
    """
    if not directory.is_dir():
        return []
    return sorted(
        p
        for p in directory.iterdir()
        if p.name.startswith(TEMP_PREFIX) and not _writer_alive(p.name)
    )


def _writer_alive(name: str) -> bool:
    """Whether the process named in a temp file's name (…NAME.PID.NS) is running."""
    parts = name.rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


@contextlib.contextmanager
def locked(
    lock_path: Path, timeout: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive flock on `lock_path` (a separate file, so renames never swap it).

    flock locks belong to the open file description, so closing some other descriptor
    of the data file (as POSIX lockf/fcntl locks would) cannot release it. `on_wait` is
    called once, when the lock is found held, so a UI can say it is waiting.
    """
    ensure_private_dir(lock_path.parent)
    try:
        # Never through a link: O_CREAT would make the link's target, wherever it points.
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise write_failed(lock_path, error, unchanged="nothing was changed") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                    on_wait = None
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another hipmob is using {lock_path.with_suffix('')} "
                        f"(waited {timeout:g} s); try again in a moment"
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
