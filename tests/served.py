"""A real `hipmob serve` in a process of its own, on a free loopback port, for the tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
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
        self.token = parts.path.rstrip("/").rsplit("/", 1)[-1]

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


class Page:
    """A page as textual.js is one: its WebSocket to the server, and all it was sent."""

    def __init__(
        self, served: Served, tab: str, *, takeover: bool = False, size: tuple[int, int] = (100, 30)
    ) -> None:
        self.served = served
        self.address = f"{served.ws_url}?width={size[0]}&height={size[1]}&tab={tab}"
        if takeover:
            self.address += "&takeover=1"
        self.text = ""
        """Everything drawn for it, escape sequences and all."""
        self.events: list[dict[str, object]] = []
        """What the server said to hipmob's own script: ["hipmob", {...}] messages."""
        self.closed = False

    async def __aenter__(self) -> Page:
        import aiohttp

        self._client = aiohttp.ClientSession()
        self.socket = await self._client.ws_connect(self.address, origin=self.served.origin)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.socket.close()
        await self._client.close()

    async def read_until(self, done: Callable[[Page], bool], timeout: float = 30) -> None:
        """Read what comes until `done(self)`; TimeoutError with the end of the text if never."""
        import aiohttp

        try:
            async with asyncio.timeout(timeout):
                while not done(self):
                    message = await self.socket.receive()
                    if message.type == aiohttp.WSMsgType.BINARY:
                        self.text += message.data.decode(errors="replace")
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        kind, *rest = json.loads(message.data)
                        if kind == "hipmob":
                            self.events.append(rest[0])
                    else:
                        self.closed = True
                        if not done(self):
                            raise AssertionError(f"the page was closed; events {self.events}")
        except TimeoutError:
            raise TimeoutError(f"not done; events {self.events}; {self.text[-600:]!r}") from None

    async def shows(self, text: str, timeout: float = 30) -> None:
        """Read until `text` is drawn, from now on."""
        start = len(self.text)
        await self.read_until(lambda page: text in page.text[start:], timeout)

    async def told(self, event: str, timeout: float = 30) -> dict[str, object]:
        """Read until the server says `event` to the page; that message."""
        await self.read_until(lambda page: any(e["event"] == event for e in page.events), timeout)
        return next(e for e in self.events if e["event"] == event)

    async def keys(self, *keys: str) -> None:
        """Keys as xterm.js sends them (a string each: "s", "\\r", "\\x1b[B")."""
        for key in keys:
            await self.socket.send_str(json.dumps(["stdin", key]))
            await asyncio.sleep(0.05)  # one key at a time, as typed


def app_processes(server_pid: int) -> list[int]:
    """The hipmob apps a server runs: its children started with the served marker."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    found = []
    for pid in children:
        with contextlib.suppress(OSError):
            if b"hipmob_tui" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
    return found


_SEQUENCE = re.compile(r"\x1b\[([0-9;?<>=]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")


def shown_rows(drawn: str, width: int, height: int) -> list[str]:
    """What a terminal of `width` × `height` shows after `drawn` (the app's bytes as text):
    the characters only, each row `width` long. Enough for what Textual writes: cursor
    moves, lines of styled text, clears."""
    rows = [[" "] * width for _ in range(height)]
    y = x = 0

    def write(text: str) -> None:
        nonlocal x, y
        for char in text:
            if char == "\n":
                y, x = y + 1, 0
            elif char == "\r":
                x = 0
            elif char >= " " and 0 <= y < height and 0 <= x < width:
                rows[y][x] = char
                x += 1

    position = 0
    for found in _SEQUENCE.finditer(drawn):
        write(drawn[position : found.start()])
        position = found.end()
        params, final = found.group(1), found.group(2)
        if final == "H":
            numbers = [int(part) if part else 1 for part in (params or "").split(";")]
            y, x = numbers[0] - 1, (numbers[1] if len(numbers) > 1 else 1) - 1
        elif final == "J" and params == "2":
            rows = [[" "] * width for _ in range(height)]
    write(drawn[position:])
    return ["".join(row) for row in rows]
