"""hipmob over a real SSH connection: Debian's OpenSSH server on 127.0.0.1, a throwaway key.

Each pytest worker starts its own sshd on a spare port, from a config, keys and pid file in
a temporary folder; each test gets its own HOME and database, and tmux tests their own tmux
server, so the tests run in parallel. Where sshd is missing it is installed with apt-get
(as `.ci/run` does); the tests skip only where that cannot be done.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hipmob_tui.history.store import Store
from hipmob_tui.session.journal import Journal
from tests.tmux_pane import TmuxPane

pytestmark = [
    pytest.mark.slow,  # seconds each: a real sshd and real time
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux"),
]

SSHD = "/usr/sbin/sshd"
PACKAGES = {"openssh-server": SSHD, "tmux": "/usr/bin/tmux"}

ROUTINES = """\
exercises:
  - id: ssh-hold
    name: SSH Hold
    phase: restore
    purpose: A short hold, to try the runner over SSH.
    steps: [Hold still.]
    cues: [Breathe out slowly.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 2, per_side: false}
    source: added
  - id: ssh-long-hold
    name: SSH Long Hold
    phase: restore
    purpose: A hold long enough to drop the connection in the middle of it.
    steps: [Hold still.]
    cues: [Breathe out slowly.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 6, per_side: false}
    source: added
routines:
  - id: ssh-quick
    name: SSH Quick
    description: One two-second hold.
    pauses: {get_ready: 1}
    items:
      - exercise: ssh-hold
  - id: ssh-long
    name: SSH Long
    description: One six-second hold.
    pauses: {get_ready: 1}
    items:
      - exercise: ssh-long-hold
"""


# -- the server --------------------------------------------------------------------------------


def _install_missing() -> str:
    """apt-get install what is missing of sshd and tmux, as `.ci/run` does; why not, if not."""
    missing = [package for package, path in PACKAGES.items() if not os.path.exists(path)]
    if not missing:
        return ""
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return f"{' and '.join(missing)} not installed, and no apt-get to run as root"
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Both pytest workers may get here at once; dpkg allows one install at a time.
    with open(Path(tempfile.gettempdir()) / "hipmob-test-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(os.path.exists(PACKAGES[package]) for package in missing):
            return ""  # the other worker installed them
        done = subprocess.run(install, capture_output=True, text=True, env=env, timeout=600)
        if done.returncode != 0:  # perhaps no package lists yet
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env, timeout=600)
            done = subprocess.run(install, capture_output=True, text=True, env=env, timeout=600)
    return "" if done.returncode == 0 else f"apt-get install failed: {done.stderr.strip()[-500:]}"


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Sshd:
    """A running sshd that lets this user in with `key`."""

    port: int
    key: Path
    log: Path
    bin: Path
    """First on the PATH of remote commands (a test may put a program there), then this
    venv's bin, where `hipmob` is, as a person's own install would be."""

    def ssh(self, *options: str) -> list[str]:
        """The ssh client, with no user config, no host key checks, only the throwaway key."""
        return [
            "ssh",
            "-F",
            "/dev/null",
            *("-o", "BatchMode=yes"),
            *("-o", "StrictHostKeyChecking=no"),
            *("-o", "UserKnownHostsFile=/dev/null"),
            *("-o", "IdentitiesOnly=yes"),
            *("-o", "LogLevel=ERROR"),  # no "Permanently added ..." on stderr
            *("-i", str(self.key)),
            *("-p", str(self.port)),
            *options,
            "127.0.0.1",
        ]


def remote_path(folder: Path) -> str:
    """The PATH sshd gives remote commands: `folder/bin`, this venv's bin, the system's."""
    venv = Path(sys.executable).parent
    return f"{folder / 'bin'}:{venv}:/usr/local/bin:/usr/bin:/bin"


def _start_sshd(folder: Path, port: int) -> subprocess.Popen[bytes]:
    config = folder / f"sshd_config-{port}"
    (folder / "bin").mkdir(exist_ok=True)
    config.write_text(
        f"ListenAddress 127.0.0.1\n"
        f"Port {port}\n"
        f"HostKey {folder / 'host_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\n"
        f"PidFile {folder / f'sshd-{port}.pid'}\n"
        "UsePAM no\n"
        "StrictModes no\n"  # the tmp folder's modes are not sshd's business
        "PermitRootLogin yes\n"  # the tests may well run as root (CI containers do)
        "PubkeyAuthentication yes\n"
        "PasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\n"
        "PrintMotd no\n"
        "PrintLastLog no\n"
        "X11Forwarding no\n"
        "LogLevel VERBOSE\n"
        # Remote hipmobs keep off this machine's real folders, whatever they are asked.
        f"SetEnv PATH={remote_path(folder)} XDG_DATA_HOME={folder / 'data'} "
        f"XDG_CONFIG_HOME={folder / 'config'} XDG_CACHE_HOME={folder / 'cache'}\n"
    )
    with (folder / "sshd.log").open("ab") as log:
        # -D: stay a child of the tests; -e: log to stderr (the log file), not syslog.
        return subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    """sshd on a spare port of 127.0.0.1, for this module in this worker; stopped after."""
    why_not = _install_missing()
    if not all(map(shutil.which, (SSHD, "ssh", "ssh-keygen"))):
        pytest.skip(f"OpenSSH (server and client) cannot be had here: {why_not or 'not found'}")
    folder = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "user_key"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True
        )
    shutil.copy(folder / "user_key.pub", folder / "authorized_keys")
    if os.geteuid() == 0:
        # sshd running as root insists on its privilege separation folder (systemd makes it).
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    log = folder / "sshd.log"
    for _attempt in range(5):  # a spare port can be taken by another process before sshd binds
        port = _spare_port()
        server = _start_sshd(folder, port)
        deadline = time.monotonic() + 15
        while server.poll() is None and time.monotonic() < deadline:
            if f"listening on 127.0.0.1 port {port}" in log.read_text(errors="replace"):
                break
            time.sleep(0.05)
        else:
            server.kill()
            server.wait()
            continue
        break
    else:
        raise AssertionError(f"sshd never started; its log:\n{log.read_text(errors='replace')}")
    try:
        yield Sshd(port=port, key=folder / "user_key", log=log, bin=folder / "bin")
    finally:
        server.terminate()
        server.wait(timeout=10)


# -- one user's data over there ------------------------------------------------------------------


def _hipmob() -> list[str]:
    """This venv's hipmob: sshd gives the remote command its own PATH, not ours."""
    script = Path(sys.executable).parent / "hipmob"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hipmob_tui"]


@dataclass
class Remote:
    """A HOME, a database and a routine folder of its own for one test."""

    home: Path
    db: Path
    routines: Path

    def command(self, *args: str, env: dict[str, str] | None = None) -> str:
        """The remote shell command: sshd strips our environment, so `env` sets it again."""
        variables = {
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "HIPMOB_DB": str(self.db),
            **(env or {}),
        }
        settings = [f"{name}={value}" for name, value in variables.items()]
        return shlex.join(["env", *settings, *_hipmob(), "--routines", str(self.routines), *args])


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    """This test's data on the far side, with two short routines (ssh-quick, ssh-long)."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "ssh.yaml").write_text(ROUTINES)
    return Remote(home=tmp_path / "home", db=tmp_path / "data" / "hipmob.json", routines=routines)


def over_ssh(sshd: Sshd, command: str) -> tuple[subprocess.CompletedProcess[bytes], float]:
    """`ssh -T host command` with no terminal anywhere; the result and the seconds it took."""
    started = time.monotonic()
    done = subprocess.run(
        [*sshd.ssh("-T"), command], capture_output=True, stdin=subprocess.DEVNULL, timeout=30
    )
    return done, time.monotonic() - started


class Login(TmuxPane):
    """`ssh -t host hipmob ARGS` in a 100×30 tmux pane, as a person would log in."""

    def __init__(self, sshd: Sshd, remote: Remote, *args: str) -> None:
        folder = remote.routines.parent
        self.status = folder / f"ssh-status-{secrets.token_hex(4)}"
        command = shlex.join([*sshd.ssh("-t"), remote.command(*args)])
        # ssh's exit status goes to a file: neither the screen (the app may have left it in
        # any state) nor tmux (whose pane status is sometimes never set) tells it reliably.
        super().__init__(f"{command}; echo $? > {shlex.quote(str(self.status))}", folder)

    def ssh_ended(self, timeout: float = 15) -> int:
        """ssh's exit status, once it has ended (128 + the signal that ended it)."""
        deadline = time.monotonic() + timeout
        while not (self.status.exists() and (text := self.status.read_text()).endswith("\n")):
            if time.monotonic() > deadline:
                raise AssertionError(f"ssh never ended; the screen:\n{self.screen()}")
            time.sleep(0.1)
        return int(text)


@contextlib.contextmanager
def ssh_t_in_tmux(sshd: Sshd, remote: Remote, *args: str) -> Iterator[Login]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed, and could not be")
    login = Login(sshd, remote, *args)
    try:
        yield login
    finally:
        login.close()


def hipmob_processes(marker: Path) -> list[int]:
    """Pids of hipmob processes started with `marker` (a test's own folder) among their args."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        # One whole argument: the tmux server, the shell and the ssh client carry the remote
        # command too, but as one string.
        if str(marker) in argv:
            found.append(int(entry.name))
    return found


# -- the tests -------------------------------------------------------------------------------------


def test_streak_over_ssh_without_a_terminal_is_plain_text(sshd: Sshd, remote: Remote) -> None:
    done, _ = over_ssh(sshd, remote.command("log", "ssh-quick", "--pain-before", "5"))
    assert done.returncode == 0, done.stderr.decode()
    # TERM claims colours: the output still goes to a pipe, so it must stay plain.
    done, seconds = over_ssh(sshd, remote.command("streak", env={"TERM": "xterm-256color"}))
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert "Streak      1 day (longest 1)" in out, out
    assert b"\x1b" not in done.stdout + done.stderr
    assert seconds < 10  # a blink in fact; generous for a busy CI machine
    done, _ = over_ssh(sshd, remote.command("streak", "--json"))
    streak = json.loads(done.stdout)
    assert streak["current"] == 1 and streak["path"] == str(remote.db)


@pytest.mark.parametrize("args", [(), ("run", "ssh-quick")], ids=["app", "run"])
def test_the_app_over_ssh_without_a_terminal_says_so_at_once(
    sshd: Sshd, remote: Remote, args: tuple[str, ...]
) -> None:
    done, seconds = over_ssh(sshd, remote.command(*args, env={"TERM": "xterm-256color"}))
    assert done.returncode == 2, done
    assert seconds < 5, f"took {seconds:.1f} s"
    assert "needs a terminal" in done.stderr.decode() and "ssh -t" in done.stderr.decode()
    # Not one byte of Textual's alternate-screen or mouse codes reached the user's terminal.
    assert b"\x1b" not in done.stdout + done.stderr
    assert not remote.db.exists()


def test_ssh_t_runs_a_routine_to_the_summary_and_records_it(sshd: Sshd, remote: Remote) -> None:
    with ssh_t_in_tmux(sshd, remote, "run", "ssh-quick") as pane:
        pane.wait_for("Pain right now?", "SSH Quick")  # the question names the routine
        pane.press("6")
        pane.wait_for("Pain now, after the session?")
        pane.press("2")
        # The score lands a moment after its question closes (the answer is handed back on
        # the summary's next turn), and the first save may already be shown: wait for both.
        shown = pane.wait_for("Saved. Streak 1 day", "6→2")
        assert "Session complete" in shown, shown
        pane.press("Enter")  # the summary closes: back to the routines
        pane.wait_for("SSH Quick")
        pane.press("q")
        assert pane.ssh_ended() == 0
        shown = pane.screen()
        assert "SSH Quick" not in shown, shown  # the app's screen is gone: the terminal restored
    history = subprocess.run(
        [*_hipmob(), "history", "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "HIPMOB_DB": str(remote.db)},
        check=True,
    )
    (record,) = json.loads(history.stdout)["sessions"]
    assert record["routine_id"] == "ssh-quick" and record["status"] == "completed"
    assert (record["pain_before"], record["pain_after"]) == (6, 2)
    assert Journal(remote.db).load() is None


def test_a_dropped_ssh_link_leaves_a_session_the_next_login_resumes(
    sshd: Sshd, remote: Remote
) -> None:
    with ssh_t_in_tmux(sshd, remote, "run", "ssh-long") as pane:
        pane.wait_for("Pain right now?")
        pane.press("4")
        pane.wait_for("WORK", "SSH Long Hold", timeout=15)  # in the middle of the 6 s hold
        (client,) = pane.children()
        os.kill(client, signal.SIGKILL)  # the link drops: no goodbye from the client
        assert pane.ssh_ended() == 128 + signal.SIGKILL
        deadline = time.monotonic() + 15
        while (left := hipmob_processes(remote.routines)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, "hipmob outlived its dropped SSH connection"
    (partial,) = Store(remote.db).sessions()
    assert partial.status == "partial"
    saved = Journal(remote.db).load()
    assert saved is not None and saved.record.id == partial.id  # kept to resume

    with ssh_t_in_tmux(sshd, remote) as pane:
        shown = pane.wait_for("An unfinished session", "SSH Long")
        assert "r resume" in shown and "k keep" in shown, shown
        pane.press("r")
        pane.wait_for("PAUSED")  # a resumed session waits for the person
        pane.press("Space")
        pane.wait_for("Pain now, after the session?", timeout=30)
        pane.press("s")
        pane.wait_for("Saved. Streak 1 day")
    (record,) = Store(remote.db).sessions()  # the partial record was replaced, not added to
    assert record.id == partial.id and record.status == "completed"
    assert record.pain_before == 4
    assert Journal(remote.db).load() is None
