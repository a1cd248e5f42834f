"""A real `hipmob serve` in a process of its own, on a free loopback port, for the tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import QUICK_ROUTINES


class Served:
    """`hipmob serve --port 0` over a history of its own; `url` is the address it printed."""

    def __init__(
        self, folder: Path, *args: str, routines: Path = QUICK_ROUTINES, timeout: float = 30
    ) -> None:
        self.db = folder / "data" / "hipmob.json"
        argv = [sys.executable, "-m", "hipmob_tui", "--db", str(self.db)]
        argv += ["--routines", str(routines), "serve", "--port", "0", *args]
        self.process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its app too: one signal ends them both in close()
        )
        self.url = self._first_line(timeout)
        self.stderr = ""
        parts = urlsplit(self.url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.token = parts.path.strip("/")

    def _first_line(self, timeout: float) -> str:
        """The address it prints first; AssertionError with its stderr when none comes."""
        assert self.process.stdout is not None
        found: list[str] = []
        reader = threading.Thread(target=lambda: found.append(self.process.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not found or not found[0].startswith("http"):
            self.close()
            raise AssertionError(f"hipmob serve printed no address: {self.stderr!r}")
        return found[0].strip()

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "ws"

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM, as a service manager stops it; its exit code."""
        self.process.send_signal(signal.SIGTERM)
        try:
            _, self.stderr = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise
        return self.process.returncode

    def close(self) -> None:
        """End the server and its app, however they are."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
            _, self.stderr = self.process.communicate(timeout=10)
