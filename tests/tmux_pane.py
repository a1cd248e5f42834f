"""A command in a real tmux pane, driven as a person would: keys in, the screen as text out."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


class TmuxPane:
    """`command` in a detached tmux session on its own server (-L), so tests can run in parallel.

    The pane stays after its command ends (remain-on-exit), so a failure can still show
    the last screen. Its exit status is not read from tmux: tmux 3.3a was seen to leave the
    ended command unreaped, its status never set; a command whose status matters can write
    it to a file.
    """

    def __init__(self, command: str, folder: Path, width: int = 100, height: int = 30) -> None:
        tmux = shutil.which("tmux")  # looked up now: a test may just have installed it
        if tmux is None:
            raise RuntimeError("tmux is not installed")
        self.tmux = tmux
        self.socket = f"hipmob-test-{secrets.token_hex(6)}"
        config = folder / f"{self.socket}.conf"
        # A config of our own: no user settings, and the pane kept once its command is done.
        config.write_text("set -g remain-on-exit on\nset -sg escape-time 0\n")
        size = ("-x", str(width), "-y", str(height))
        self._tmux("-f", str(config), "new-session", "-d", "-s", "t", *size, command)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        """What the pane shows now, as plain text."""
        return self._tmux("capture-pane", "-p", "-t", "t")

    def press(self, *keys: str) -> None:
        """Keys by tmux's names: "s", "Enter", "Space", "Escape"."""
        self._tmux("send-keys", "-t", "t", *keys)

    def value(self, name: str) -> str:
        """A tmux format of the pane, e.g. "pane_pid" or "pane_dead"."""
        return self._tmux("display-message", "-p", "-t", "t", f"#{{{name}}}").strip()

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        """The screen once every one of `texts` is on it; AssertionError with the screen if not."""
        return self.wait_until(lambda shown: all(text in shown for text in texts), texts, timeout)

    def wait_until(self, ready: Callable[[str], bool], what: object, timeout: float = 30) -> str:
        """The screen once `ready` says so of it; AssertionError naming `what` if not in time."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if ready(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what!r} in {timeout} s; the screen:\n{shown}")
            time.sleep(0.1)

    def children(self) -> list[int]:
        """Pids of the processes the pane's command started (the shell tmux runs it with)."""
        shell = self.value("pane_pid")
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()  # the name may hold spaces
            except (OSError, IndexError):
                continue
            if fields[1] == shell:  # the field after the state is the parent's pid
                found.append(int(stat.parent.name))
        return found

    def close(self) -> None:
        """End the tmux server, whatever still runs in the pane, and its socket file.

        tmux 3.3a's kill-server leaves the socket in /tmp: one file per pane otherwise.
        """
        try:
            socket: Path | None = Path(self.value("socket_path"))
        except RuntimeError:  # the server is already gone
            socket = None
        subprocess.run(
            [self.tmux, "-L", self.socket, "kill-server"], capture_output=True, timeout=10
        )
        if socket is not None:
            socket.unlink(missing_ok=True)
