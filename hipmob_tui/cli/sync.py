"""`hipmob sync [USER@]HOST`: one history on both machines, over the system's OpenSSH.

Only `ssh HOST hipmob ...` commands: no server to run, no port to open.

1. `hipmob export -` there, which only reads. Its `version` tells whether that hipmob keeps
   versions and tombstones: an older one would drop them on import, a newer one writes
   what this one cannot read; either is said, and nothing is written anywhere.
2. That export merged here, under this side's lock, by the rule of `history.versions`; the
   merge also says what this side has that the export did not (`Change.outgoing`).
3. Only if there is such: that much sent to `hipmob import -` there, which merges it under
   its own lock, by the same rule.

Both sides then hold the same ids and versions. Nothing changed on either side: nothing is
written on either side (and the second ssh command is not even run). A session saved on
either side while this runs is merged into, never over: each merge reads the file as it is
under its lock, and the newest version of each id stays. Killed at any moment, each file is
whole (every write is atomic) and a new run finishes the work.

What comes back from the far side is a stranger's bytes: capped in size, checked as any
import is, and shown (an error, a count) without its control characters.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
import threading
from dataclasses import dataclass

from hipmob_tui.errors import HipmobError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.history.store import Change, Facts, Store
    from hipmob_tui.paths import Paths

ERROR_BYTES_KEPT = 16_384
"""What is kept of the far side's standard error: its last lines say what went wrong."""

_HOST = re.compile(r"[^\s\-][^\s]*")
_IMPORTED = re.compile(r"Imported into (.+): (\d+ new, \d+ updated, \d+ deleted, \d+ unchanged.*)")


@dataclass(frozen=True)
class Far:
    """The far side: how to reach it and which hipmob history there."""

    host: str
    ssh: list[str]
    remote_db: str | None

    def argv(self, *args: str) -> list[str]:
        """The ssh command that runs `hipmob ARGS` there (one word for the remote shell)."""
        db = ["--db", self.remote_db] if self.remote_db is not None else []
        return [*self.ssh, self.host, shlex.join(["hipmob", *db, *args])]


@dataclass(frozen=True)
class Ran:
    """How a command on the far side ended."""

    code: int
    out: bytes
    err: bytes
    overflowed: bool
    """Whether it sent more than it was allowed to (and was stopped)."""


def sync(where: Paths, host: str, *, remote_db: str | None, ssh: str | None) -> int:
    """Merge this history and HOST's both ways; prints what changed on each side."""
    from hipmob_tui.cli.history import merge_counts
    from hipmob_tui.cli.output import say_kept_aside
    from hipmob_tui.history.store import Store
    from hipmob_tui.history.versions import VersionConflict

    far = Far(_checked_host(host), _ssh_command(ssh), remote_db)
    theirs = _their_export(far)
    store = Store(where.db)
    if not theirs and not store.exists():
        print(f"Nothing to sync: no history here ({where.db}) nor on {far.host}")
        return 0
    try:
        here = store.merge(
            theirs.sessions,
            theirs.marks,
            theirs.checks,
            theirs.plans,
            theirs.deleted,
            theirs.deleted_marks,
            outgoing=True,
        )
    except VersionConflict as conflict:
        raise HipmobError(
            f"nothing changed: the history on {far.host} and this one hold {conflict}"
        ) from None
    say_kept_aside(here.kept_aside)
    outgoing = here.outgoing
    there = _send(far, store, outgoing) if outgoing else None
    if not here.written and there is None:
        print(f"Already in sync with {far.host}: nothing written on either side")
        return 0
    print(f"Synced with {far.host}")
    print(f"  here   {_here_line(here, merge_counts(here), str(where.db))}")
    print(f"  there  {there if there is not None else 'nothing new: it had all of this side'}")
    return 0


def _checked_host(host: str) -> str:
    """HOST as ssh takes it; never an option (a leading -), a space or a control character."""
    from hipmob_tui.characters import find_control_character

    if not _HOST.fullmatch(host) or find_control_character(host) is not None:
        raise HipmobError(
            f"{host!r} is not a host to sync with; give [USER@]HOST as ssh takes it "
            "(a name from ~/.ssh/config works too)"
        )
    return host


def _ssh_command(ssh: str | None) -> list[str]:
    """The ssh program and its options: `--ssh "ssh -p 2222 -i KEY"`, or plain ssh."""
    if ssh is None:
        return ["ssh"]
    try:
        words = shlex.split(ssh)
    except ValueError as error:
        raise HipmobError(f"--ssh {ssh!r} cannot be read as a command ({error})") from None
    if not words:
        raise HipmobError("--ssh is empty; give the ssh command, e.g. --ssh 'ssh -p 2222'")
    return words


def _their_export(far: Far) -> Facts:
    """What the far side holds, checked as an import is; HipmobError when it cannot be had
    or read, or comes from a hipmob that cannot sync with this one."""
    from hipmob_tui import __version__
    from hipmob_tui.history.exchange import (
        MAX_IMPORT_BYTES,
        NewerExport,
        NotAnExport,
        read_export,
    )
    from hipmob_tui.history.store import EXPORT_VERSION

    ran = _run(far, far.argv("export", "-"), None, MAX_IMPORT_BYTES)
    source = f"the export from {far.host}"
    if ran.overflowed:
        raise HipmobError(
            f"{source} is larger than {MAX_IMPORT_BYTES:,} bytes; stopped, nothing was changed"
        )
    _check_ran(far, ran, "export its history")
    try:
        export = read_export(ran.out, source)
    except NewerExport as newer:
        raise HipmobError(
            f"the hipmob on {far.host} is newer than this one ({__version__}): it writes "
            f"{newer.reason}, this one reads up to {EXPORT_VERSION}; upgrade hipmob here, "
            "then sync again"
        ) from None
    except NotAnExport as unreadable:
        raise HipmobError(
            f"{far.host} did not send a hipmob export ({unreadable.reason}); nothing was "
            "changed on either side"
        ) from None
    if export.version is None or export.version < EXPORT_VERSION:
        named = f" ({export.hipmob})" if export.hipmob else ""
        lacks = (
            "keeps no versions of edits and deletions"
            if export.version is None or export.version < 2
            else "keeps no removals of day marks, nor the versions of marks, check results "
            "and plan facts"
        )
        raise HipmobError(
            f"the hipmob on {far.host}{named} is older than this one ({__version__}) and "
            f"{lacks}, so it cannot sync; upgrade hipmob there to {__version__} or later, "
            "then sync again"
        )
    return export.facts


def _send(far: Far, store: Store, outgoing: Facts) -> str:
    """Send `outgoing` to `hipmob import -` on the far side; what it says it did."""
    import io

    from hipmob_tui.characters import printable

    document = io.BytesIO()
    store.export(document, outgoing)
    ran = _run(far, far.argv("import", "-"), document.getvalue(), ERROR_BYTES_KEPT)
    _check_ran(
        far,
        ran,
        "take this side's changes",
        after=f"; this side took {far.host}'s changes, {far.host} kept its history as it was",
    )
    lines = [printable(line).strip() for line in ran.out.decode(errors="replace").splitlines()]
    said = next((line for line in lines if line.startswith("Imported into ")), "")
    found = _IMPORTED.fullmatch(said)
    if found is None:
        return said or "took this side's changes"
    return f"{found.group(2)} ({found.group(1)})"


def _here_line(change: Change, counts: str, db: str) -> str:
    if not change.written:
        return f"nothing new: this side had all of it ({db})"
    extra = [
        f"{count} {noun}{'' if count == 1 else 's'} new or newer"
        for count, noun in (
            (change.marks, "day mark"),
            (change.checks, "check result"),
            (change.plans, "plan fact"),
        )
        if count
    ]
    if change.marks_removed:
        extra.append(
            f"{change.marks_removed} day mark{'' if change.marks_removed == 1 else 's'} removed"
        )
    return "; ".join([counts, *extra]) + f" ({db})"


def _check_ran(far: Far, ran: Ran, doing: str, after: str = "") -> None:
    """HipmobError, in one line with the exit code, when the far command failed."""
    if ran.code == 0:
        return
    said = _last_line(ran.err)
    if ran.code == 255:
        raise HipmobError(f"ssh could not reach {far.host} (exit 255): {said or 'no reason given'}")
    if ran.code == 127:
        raise HipmobError(
            f"{far.host} has no hipmob to run (exit 127: {said or 'command not found'}); "
            "install hipmob there, where ssh commands find it (their PATH), then sync again"
        )
    reason = said.removeprefix("hipmob: error: ") or "it gave no reason"
    raise HipmobError(
        f"the hipmob on {far.host} could not {doing} (exit {ran.code}): {reason}{after}"
    )


def _last_line(err: bytes) -> str:
    """The last line the far side wrote on standard error, shown, not obeyed."""
    from hipmob_tui.characters import printable

    lines = [printable(line).strip() for line in err.decode(errors="replace").splitlines()]
    found = next((line for line in reversed(lines) if line), "")
    return found if len(found) <= 300 else found[:299] + "…"


def _run(far: Far, argv: list[str], send: bytes | None, out_limit: int) -> Ran:
    """Run `argv` (ssh), `send` on its standard input; at most `out_limit` bytes of its
    output are taken (then it is stopped), and the last ERROR_BYTES_KEPT of its errors."""
    import selectors

    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL if send is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
    except OSError as error:
        raise HipmobError(
            f"cannot run {argv[0]!r} ({error.strerror}); install OpenSSH's client, or name "
            "your ssh command with --ssh"
        ) from None
    writer = None
    if send is not None:
        writer = threading.Thread(target=_feed, args=(process, send), daemon=True)
        writer.start()
    out = bytearray()
    err = bytearray()
    overflowed = False
    assert process.stdout is not None and process.stderr is not None
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ, out)
            selector.register(process.stderr, selectors.EVENT_READ, err)
            while selector.get_map() and not overflowed:
                for key, _events in selector.select():
                    chunk = os.read(key.fd, 65_536)
                    if not chunk:
                        selector.unregister(key.fileobj)
                        continue
                    kept: bytearray = key.data
                    kept += chunk
                    if kept is out and len(out) > out_limit:
                        overflowed = True
                    elif kept is err and len(err) > ERROR_BYTES_KEPT:
                        del err[: len(err) - ERROR_BYTES_KEPT]
        if overflowed:
            process.kill()
        code = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        if writer is not None:
            writer.join()
        process.stdout.close()
        process.stderr.close()
    return Ran(code, bytes(out), bytes(err), overflowed)


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    """Write `data` to the process and close its input; a far side that stops reading
    (it failed, or was killed) ends this quietly: its exit status says what happened."""
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError, OSError):
        process.stdin.write(data)
    with contextlib.suppress(BrokenPipeError, OSError):
        process.stdin.close()
