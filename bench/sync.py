"""`hipmob sync` and `hipmob import` at 10 years, against the floor of their design.

    python bench/sync.py [--runs N]

Issue 15's targets, each a ratio against references timed in the same run, alternated,
medians of wall time (whole processes, the installed wheel, as everywhere in bench/):

- `hipmob sync` of two 10-year histories (3,650 sessions each) that differ by one session,
  over loopback SSH (Debian's OpenSSH server on 127.0.0.1, a throwaway key): at most 2x
  the floor of this design, which is `ssh HOST true` plus one `hipmob export` and one
  `hipmob import` of the same size (the import adding that one session).
- `hipmob import` of an export identical to the history: writes nothing (checked: same
  bytes, same mtime) and takes at most 1.2x `hipmob history --format json`.

Each sync round starts from fresh copies of the two histories, one session logged on the
near one (not timed). Without an sshd (and no apt-get to install one) the sync figures
are left out, and said so.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    TEN_YEARS,
    Installed,
    Row,
    alternate,
    bench_main,
    copy_history,
    installed,
    median,
    ms,
    run_process,
    scratch,
)

SSHD = "/usr/sbin/sshd"


@dataclass(frozen=True)
class Loopback:
    """An sshd on 127.0.0.1 that lets this user in with `key`; remote commands find the
    installed hipmob on their PATH, as a person's own install would be."""

    port: int
    key: Path

    def ssh(self) -> list[str]:
        """The ssh client with no user config, no host key checks, only the bench's key."""
        return [
            "ssh",
            "-F",
            "/dev/null",
            *("-o", "BatchMode=yes"),
            *("-o", "StrictHostKeyChecking=no"),
            *("-o", "UserKnownHostsFile=/dev/null"),
            *("-o", "IdentitiesOnly=yes"),
            *("-o", "LogLevel=ERROR"),
            *("-i", str(self.key)),
            *("-p", str(self.port)),
        ]


def _spare_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def loopback_sshd(app: Installed, folder: Path) -> Iterator[Loopback | None]:
    """An sshd for the bench's length; None when there is none to be had."""
    if not os.path.exists(SSHD) and shutil.which("apt-get") and os.geteuid() == 0:
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "openssh-server"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(install, capture_output=True, env=env, check=False)
    if not (os.path.exists(SSHD) and shutil.which("ssh") and shutil.which("ssh-keygen")):
        yield None
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("host_key", "user_key"):
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)]
        subprocess.run(keygen, check=True)
    shutil.copy(folder / "user_key.pub", folder / "authorized_keys")
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    remote = app.env(folder / "remote-home")
    path = f"{Path(app.hipmob).parent}:/usr/local/bin:/usr/bin:/bin"
    settings = " ".join(
        f"{name}={remote[name]}"
        for name in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "XDG_CACHE_HOME", "XDG_DATA_HOME")
    )
    log = folder / "sshd.log"
    port = _spare_port()
    config = folder / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {folder / 'host_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
        "UsePAM no\nStrictModes no\nPermitRootLogin yes\nPubkeyAuthentication yes\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPrintMotd no\n"
        f"PrintLastLog no\nX11Forwarding no\nLogLevel VERBOSE\nSetEnv PATH={path} {settings}\n"
    )
    with log.open("ab") as out:
        server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 15
        while f"port {port}" not in log.read_text(errors="replace"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"sshd did not start; its log:\n{log.read_text()}")
            time.sleep(0.05)
        yield Loopback(port, folder / "user_key")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _quiet(argv: list[str], env: dict[str, str]) -> None:
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(runs: int) -> list[Row]:
    app = installed()
    folder = scratch("sync")
    env = app.env(folder / "home")
    hipmob = app.hipmob
    original = copy_history(TEN_YEARS, folder / "original")
    exported = folder / "export.json"
    _quiet([hipmob, "--db", str(original), "export", str(exported)], env)
    rows = _import_identical(app, folder, original, exported, runs)
    with loopback_sshd(app, folder / "sshd") as sshd:
        if sshd is None:
            rows.append(Row("sync 10 y", "skipped", "-", note="no OpenSSH server here"))
        else:
            rows += _sync(app, folder, original, exported, sshd, runs)
    return rows


def _import_identical(
    app: Installed, folder: Path, db: Path, exported: Path, runs: int
) -> list[Row]:
    env = app.env(folder / "home")
    before = db.read_bytes(), os.stat(db).st_mtime_ns
    commands = {
        "history": [app.hipmob, "--db", str(db), "history", "--format", "json"],
        "import": [app.hipmob, "--db", str(db), "import", str(exported)],
    }
    print(f"import: {runs} rounds at 10 y ...", flush=True)
    times = alternate({n: (lambda n=n: run_process(commands[n], env)[0]) for n in commands}, runs)
    wrote = (db.read_bytes(), os.stat(db).st_mtime_ns) != before
    listing, merged = median(times["history"]), median(times["import"])
    return [
        Row("import 10 y", "history --format json", ms(listing), note="reference"),
        Row(
            "import 10 y",
            "import of an identical export",
            ms(merged),
            merged / listing,
            1.2,
            note="WROTE THE FILE" if wrote else "wrote nothing (same bytes, same mtime)",
        ),
    ]


def _sync(
    app: Installed, folder: Path, original: Path, exported: Path, sshd: Loopback, runs: int
) -> list[Row]:
    env = app.env(folder / "home")
    hipmob = app.hipmob
    ssh = sshd.ssh()
    rounds = folder / "rounds"

    def fresh(name: str) -> Path:
        """A copy of the 10-year history, with whatever lies beside it."""
        target = rounds / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(original.parent, target)
        return target / original.name

    def sync_once() -> float:
        here, there = fresh("here"), fresh("there")
        _quiet([hipmob, "--db", str(here), "log", "full-session"], env)
        argv = [hipmob, "--db", str(here), "sync", "127.0.0.1", "--remote-db", str(there)]
        argv += ["--ssh", shlex.join(ssh)]
        return run_process(argv, env)[0]

    def ssh_true() -> float:
        return run_process([*ssh, "127.0.0.1", "true"], env)[0]

    def export_once() -> float:
        argv = [hipmob, "--db", str(original), "export", str(folder / "e.json")]
        return run_process(argv, env)[0]

    def import_once() -> float:
        # One export of the same size, into a history it adds one session to.
        target = fresh("import")
        one_more = folder / "one-more.json"
        if not one_more.exists():
            other = fresh("other")
            _quiet([hipmob, "--db", str(other), "log", "full-session"], env)
            _quiet([hipmob, "--db", str(other), "export", str(one_more)], env)
        return run_process([hipmob, "--db", str(target), "import", str(one_more)], env)[0]

    # Once, not timed: a second sync right after the first must write nothing.
    here, there = fresh("here"), fresh("there")
    _quiet([hipmob, "--db", str(here), "log", "full-session"], env)
    argv = [hipmob, "--db", str(here), "sync", "127.0.0.1", "--remote-db", str(there)]
    argv += ["--ssh", shlex.join(ssh)]
    _quiet(argv, env)
    before = here.read_bytes(), there.read_bytes(), os.stat(here).st_mtime_ns
    _quiet(argv, env)
    again = (
        "again: wrote nothing"
        if before
        == (
            here.read_bytes(),
            there.read_bytes(),
            os.stat(here).st_mtime_ns,
        )
        else "again: WROTE"
    )

    print(f"sync: {runs} rounds at 10 y over loopback ssh ...", flush=True)
    probes = {
        "sync": sync_once,
        "ssh true": ssh_true,
        "export": export_once,
        "import": import_once,
    }
    times = alternate(probes, runs)
    found = {name: median(values) for name, values in times.items()}
    floor = found["ssh true"] + found["export"] + found["import"]
    part = "part of the floor"
    return [
        Row("sync 10 y", "ssh 127.0.0.1 true", ms(found["ssh true"]), note=part),
        Row("sync 10 y", "export", ms(found["export"]), note=part),
        Row("sync 10 y", "import adding one session", ms(found["import"]), note=part),
        Row("sync 10 y", "the floor: their sum", ms(floor), note="reference"),
        Row(
            "sync 10 y",
            "sync, one session apart",
            ms(found["sync"]),
            found["sync"] / floor,
            2.0,
            note=again,
        ),
    ]


if __name__ == "__main__":
    raise SystemExit(bench_main(__doc__, measure, runs=5))
