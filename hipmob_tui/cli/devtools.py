"""Headless Chromium driven over the DevTools protocol, for `hipmob serve`'s tests,
benchmark and screenshots: open the served page at a size, press keys, tap, read what
the page saw, take its picture.

A small client on aiohttp's WebSocket (aiohttp comes with the web extra); nothing a user
runs needs it. Chromium starts with a fresh profile and its background services off
(cli.browser's flags), so it makes no request of its own.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

from hipmob_tui.cli.browser import FLAGS

LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
START_TIMEOUT = 30.0
CALL_TIMEOUT = 30.0

KEYS: dict[str, tuple[str, str, int, str]] = {
    # name: (key, code, Windows key code, text) as a keyboard sends them
    "enter": ("Enter", "Enter", 13, "\r"),
    "escape": ("Escape", "Escape", 27, ""),
    "space": (" ", "Space", 32, " "),
    "tab": ("Tab", "Tab", 9, "\t"),
    "up": ("ArrowUp", "ArrowUp", 38, ""),
    "down": ("ArrowDown", "ArrowDown", 40, ""),
    "left": ("ArrowLeft", "ArrowLeft", 37, ""),
    "right": ("ArrowRight", "ArrowRight", 39, ""),
    "backspace": ("Backspace", "Backspace", 8, ""),
}
MODIFIERS = {"alt": 1, "ctrl": 2, "meta": 4, "shift": 8}
"""What a key held down adds to DevTools' `modifiers` ("alt+backspace")."""


class DevToolsError(RuntimeError):
    """Chromium did not start, or answered a command with an error."""


class Chromium:
    """One headless Chromium and its DevTools connection; `async with` ends it."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.process: asyncio.subprocess.Process | None = None
        self.client: aiohttp.ClientSession | None = None
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self._profile = tempfile.TemporaryDirectory(prefix="hipmob-chromium-")
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        """Every event Chromium sent, oldest first (with its sessionId, when a tab's)."""
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Chromium:
        argv = [
            self.executable,
            *FLAGS,
            f"--user-data-dir={self._profile.name}",
            "--remote-debugging-port=0",
            "about:blank",
        ]
        if os.geteuid() == 0:
            argv.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        address = await asyncio.wait_for(self._devtools_address(), START_TIMEOUT)
        self.client = aiohttp.ClientSession()
        self.socket = await self.client.ws_connect(address, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _devtools_address(self) -> str:
        assert self.process is not None and self.process.stderr is not None
        while line := await self.process.stderr.readline():
            found = LISTENING.search(line.decode(errors="replace"))
            if found:
                return found.group(1)
        raise DevToolsError(f"{self.executable} ended before it listened for DevTools")

    async def __aexit__(self, *exc: object) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self.socket is not None:
            await self.socket.close()
        if self.client is not None:
            await self.client.close()
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        self._profile.cleanup()

    async def _read(self) -> None:
        assert self.socket is not None
        async for message in self.socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            waiting = self._waiting.pop(data["id"], None) if "id" in data else None
            if waiting is not None and not waiting.done():
                waiting.set_result(data)
            elif "method" in data:
                self.events.append(data)
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_exception(DevToolsError("Chromium closed the DevTools connection"))

    async def call(self, method: str, session: str | None = None, **params: Any) -> Any:
        """Send one command (to a tab's `session`, or to the browser) and return its result."""
        assert self.socket is not None
        number = next(self._ids)
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[number] = answer
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self.socket.send_str(json.dumps(message))
        data = await asyncio.wait_for(answer, CALL_TIMEOUT)
        if "error" in data:
            raise DevToolsError(f"{method}: {data['error'].get('message', data['error'])}")
        return data.get("result", {})

    async def tab(self, width: int, height: int, *, mobile: bool = False) -> Tab:
        """A new tab whose window is `width` × `height` CSS pixels (a phone's or a tablet's)."""
        target = (await self.call("Target.createTarget", url="about:blank"))["targetId"]
        session = (await self.call("Target.attachToTarget", targetId=target, flatten=True))[
            "sessionId"
        ]
        tab = Tab(self, target, session)
        await tab.call("Page.enable")
        await tab.call("Runtime.enable")
        await tab.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        if mobile:
            await tab.call("Emulation.setTouchEmulationEnabled", enabled=True)
        return tab


class Tab:
    """One page in Chromium."""

    def __init__(self, browser: Chromium, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session

    async def call(self, method: str, **params: Any) -> Any:
        return await self.browser.call(method, self.session, **params)

    async def before_scripts(self, source: str) -> None:
        """Run `source` in every page this tab loads, before the page's own scripts."""
        await self.call("Page.addScriptToEvaluateOnNewDocument", source=source)

    async def open(self, url: str) -> None:
        """Load `url` (returns once the browser started loading it)."""
        await self.call("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited when a promise)."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise DevToolsError(details.get("exception", {}).get("description", str(details)))
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 20.0, every: float = 0.05) -> Any:
        """The first truthy value of `expression`, asked every `every` seconds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            with contextlib.suppress(DevToolsError):  # the page may be loading
                value = await self.evaluate(expression)
                if value:
                    return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{expression!r} still not true after {timeout:g} s")
            await asyncio.sleep(every)

    async def press(self, *keys: str) -> None:
        """Keys as a keyboard sends them: a name of KEYS, or one character, after any
        keys held down with it ("alt+backspace")."""
        for pressed in keys:
            held, _, name = pressed.rpartition("+") if len(pressed) > 1 else ("", "", pressed)
            modifiers = sum(MODIFIERS[modifier] for modifier in held.split("+") if modifier)
            key, code, number, text = KEYS.get(name, (name, "", ord(name.upper()[0]), name))
            down = "keyDown" if text else "rawKeyDown"
            common = {
                "key": key,
                "code": code,
                "windowsVirtualKeyCode": number,
                "modifiers": modifiers,
            }
            await self.call("Input.dispatchKeyEvent", type=down, text=text, **common)
            await self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    async def click(self, x: float, y: float) -> None:
        """A click (a tap's gesture, for the page) at `x`, `y` CSS pixels."""
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def tap(self, x: float, y: float) -> None:
        """A finger's tap at `x`, `y` CSS pixels: a touch and its lift, which the page
        receives as touch events and, as a browser does for a tap, as a click (a tab made
        with `mobile=True`)."""
        point = {"x": x, "y": y, "radiusX": 4, "radiusY": 4, "force": 1}
        await self.call("Input.dispatchTouchEvent", type="touchStart", touchPoints=[point])
        await self.call("Input.dispatchTouchEvent", type="touchEnd", touchPoints=[])

    async def click_element(self, selector: str) -> None:
        """Click the middle of the element `selector` finds."""
        box = await self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        await self.click(box[0], box[1])

    async def screenshot(self, path: Path) -> None:
        """A PNG of what the tab shows."""
        data = (await self.call("Page.captureScreenshot", format="png"))["data"]
        path.write_bytes(base64.b64decode(data))

    async def close(self) -> None:
        await self.browser.call("Target.closeTarget", targetId=self.target)
