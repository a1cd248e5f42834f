"""The web server of `hipmob serve`: one app, one page, a token in every address.

textual-serve (the `web` extra) provides the parts: AppService runs the app as a process
that draws through Textual's web driver, and its static folder holds the terminal page's
script (xterm.js), its CSS and its font. Its own Server is not used, because a history
needs what that one lacks: a token in every address, a check of where a WebSocket comes
from, one app however many tabs ask for it, and an app that outlives a dropped connection
for a few minutes, paused, so a tablet that slept finds its session again.

Addresses, all under the token: `/TOKEN/` hipmob's page, `/TOKEN/ws` its WebSocket,
`/TOKEN/static/` textual-serve's files, `/TOKEN/page/` hipmob's script and style.
Anything else is refused (403) before it is routed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import re
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from hipmob_tui.serving import AWAKE_OFF, AWAKE_ON, CUE_SCHEME, CUES, KEYBOARD_OFF, KEYBOARD_ON

PAGE_FOLDER = Path(__file__).with_name("web")
"""hipmob's page: the HTML, its script and its style."""
TEXTUAL_STATIC = Path(textual_serve.__file__).parent / "static"
"""textual-serve's files: textual.js (xterm.js and its addons), xterm.css, the font."""

TERMINAL_MODES = (
    b"\x1b[?1049h"  # the alternate screen
    b"\x1b[?1000h\x1b[?1003h\x1b[?1015h\x1b[?1006h"  # mouse reports: clicks, moves, SGR form
    b"\x1b[?25l"  # no cursor
    b"\x1b[?2004h"  # bracketed paste
)
"""What Textual's web driver tells the terminal once, as the app starts: a page that
takes over a running app has a fresh terminal, which is told again."""

REFUSED = "hipmob: this address needs the token. Open the whole address 'hipmob serve' printed.\n"
WRONG_HOST = (
    "hipmob: this server answers only to this computer's own names (localhost, 127.0.0.1).\n"
)
WRONG_ORIGIN = "hipmob: only hipmob's own page may connect.\n"
HOST_PATTERN = re.compile(r"[A-Za-z0-9.:\[\]-]+")

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the address
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
"""Sent with every answer but the WebSocket's."""

APP_START_TIMEOUT = 30.0
"""The address is printed after the app's first frame, or after this long without one."""
FIRST_FRAME_BYTES = 100
"""A write of the app this long is its first frame (see ServedApp.on_data)."""
WARM_SIZE = (100, 30)
"""The app's size while it starts before its page connects (the page's own comes then)."""
MAX_TERMINAL_SIDE = 1000
"""Columns or rows beyond this are not a screen: a resize asking for more is ignored."""


class Page:
    """One browser tab's connection, and the id its tab keeps across reloads."""

    def __init__(self, socket: web.WebSocketResponse, tab: str) -> None:
        self.socket = socket
        self.tab = tab
        """Random, made by the page and kept in its tab (sessionStorage): a reload of the
        same tab may take the app back from its own dead connection."""

    @property
    def closed(self) -> bool:
        return self.socket.closed

    async def send(self, data: bytes) -> None:
        """Bytes for the terminal; dropped when the connection is gone."""
        if not self.socket.closed:
            with contextlib.suppress(ConnectionError):
                await self.socket.send_bytes(data)

    async def tell(self, event: str, **details: object) -> None:
        """A message for hipmob's own script in the page (textual.js ignores it)."""
        if not self.socket.closed:
            with contextlib.suppress(ConnectionError):
                await self.socket.send_json(["hipmob", {"event": event, **details}])


class ServedApp(AppService):
    """textual-serve's app process, reporting to the slot that holds it."""

    def __init__(self, slot: AppSlot) -> None:
        super().__init__(
            slot.command,
            write_bytes=slot.to_page,
            write_str=slot.text_to_page,
            close=self.exiting,
            download_manager=slot.downloads,
        )
        self.slot = slot
        self.is_exiting = False
        """The app said it is exiting (its process may still be saving)."""
        self.gone = asyncio.Event()
        """Set once the process has ended."""
        self.drawn = False
        """Whether the app has drawn its first frame (its start is over)."""
        self.started = asyncio.Event()
        """Set once it has drawn its first frame, or ended without one."""
        self._shown_at: tuple[int, int] | None = None

    async def show(self, width: int, height: int) -> None:
        """Draw for a page of `width` × `height` that is watching now (focus: the app
        repaints its whole screen).

        Before its first frame the app is still starting: Textual's web driver queues the
        size it started with behind any size already waiting on its input, which undoes
        it (a warm start, made before the page's size was known). So it waits till then.
        """
        if not self.drawn:
            self._shown_at = (width, height)
            return
        await self.set_terminal_size(width, height)
        await self.focus()

    async def on_data(self, payload: bytes) -> None:
        # The start's terminal settings are a few short writes (up to 13 bytes); the first
        # frame is hundreds of bytes at least, however small the screen.
        if not self.drawn and len(payload) >= FIRST_FRAME_BYTES:
            self.drawn = True
            self.started.set()
            if self._shown_at is not None:
                await self.show(*self._shown_at)
        await super().on_data(payload)

    async def exiting(self) -> None:
        """The app is leaving (the person quit): its page is told; its process ends soon."""
        self.is_exiting = True
        await self.slot.app_leaving(self)

    async def on_meta(self, data: bytes) -> None:
        """A cue (a URL of hipmob's own scheme) goes to the page; the rest as textual-serve
        handles it."""
        try:
            meta = json.loads(data)
        except ValueError:
            meta = None
        url = meta.get("url") if isinstance(meta, dict) and meta.get("type") == "open_url" else None
        if isinstance(url, str) and url.startswith(CUE_SCHEME):
            await self.slot.cue(url.removeprefix(CUE_SCHEME))
            return
        await super().on_meta(data)

    async def run(self) -> None:
        """The process, to its end, whatever ended it (quit, crash, stop)."""
        try:
            await super().run()
        finally:
            self.gone.set()
            self.started.set()
            await self.slot.app_gone(self)


class AppSlot:
    """The one app a server runs, and the one page that shows it.

    A page that connects while another holds the app is told so and let go, unless it
    takes over (asked for by the person, or its own tab reloading). A page that drops
    leaves the app running, its session paused, for `grace_seconds`; then the app is
    ended as a hang-up ends it (the session kept as partial, and offered to resume).
    """

    def __init__(self, command: str, grace_seconds: float) -> None:
        self.command = command
        self.grace_seconds = grace_seconds
        self.downloads = DownloadManager()
        self.app: ServedApp | None = None
        self.page: Page | None = None
        self.awake = False
        """The app's last word on keeping the screen on, for a page that attaches later."""
        self.typing = False
        """Whether the app has a text field in focus, for a page that attaches later."""
        self.last_size = WARM_SIZE
        """The last page's terminal size: the next app starts at it (a page of the same
        device then gets its first frame as it is, not drawn again at its size)."""
        self._lock = asyncio.Lock()
        self._grace: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def to_page(self, data: bytes) -> None:
        if self.page is not None:
            await self.page.send(data)

    async def text_to_page(self, text: str) -> None:
        """textual-serve's own messages (open a URL, a download): hipmob sends none."""
        if self.page is not None and not self.page.closed:
            with contextlib.suppress(ConnectionError):
                await self.page.socket.send_str(text)

    async def cue(self, name: str) -> None:
        if name not in CUES:
            return
        if name in (AWAKE_ON, AWAKE_OFF):
            self.awake = name == AWAKE_ON
        if name in (KEYBOARD_ON, KEYBOARD_OFF):
            self.typing = name == KEYBOARD_ON
        if self.page is not None:
            await self.page.tell("cue", name=name)

    async def warm(self) -> ServedApp:
        """Start the app before a page connects (as the server starts, as a page loads),
        so the page is drawn as soon as it can be: the app's own start is most of the
        time to its first screen. It waits for a page as for one that dropped."""
        async with self._lock:
            if self.app is not None:
                return self.app
            self.app = app = ServedApp(self)
            self.awake = self.typing = False
            await app.start(*self.last_size)
            self._wait_for_a_page(app)
            return app

    async def attach(self, page: Page, width: int, height: int, *, takeover: bool) -> bool:
        """Show the app in `page` (starting it if none runs); False when another page holds
        it and `page` did not ask to take over."""
        async with self._lock:
            current = self.page
            if current is not None and not current.closed:
                if not (takeover or (page.tab and page.tab == current.tab)):
                    return False
                self.page = None
                await current.tell("moved")
                self._spawn(current.socket.close())
            self._cancel_grace()
            app = self.app
            if app is not None and app.is_exiting:
                await app.gone.wait()  # never two apps on the same files, even for a moment
                app = self.app
            self.page = page
            if app is None:
                self.app = app = ServedApp(self)
                self.awake = self.typing = False
                await app.start(width, height)
            else:
                await page.send(TERMINAL_MODES)
            self.last_size = (width, height)
            await app.show(width, height)
            if self.awake:
                await page.tell("cue", name=AWAKE_ON)
            if self.typing:  # a new page starts with the on-screen keyboard kept away
                await page.tell("cue", name=KEYBOARD_ON)
            return True

    async def detach(self, page: Page) -> None:
        """`page` is gone: the app waits, paused, for `grace_seconds`."""
        async with self._lock:
            if self.page is not page:
                return
            self.page = None
            app = self.app
            if app is None or app.is_exiting:
                return
            # The only blur the app is sent: it pauses a session under way (see handle).
            await app.blur()
            self._wait_for_a_page(app)

    def _wait_for_a_page(self, app: ServedApp) -> None:
        """End `app` if no page attaches within the grace time."""
        self._cancel_grace()
        self._grace = asyncio.get_running_loop().call_later(
            self.grace_seconds, lambda: self._spawn(self._grace_over(app))
        )

    async def _grace_over(self, app: ServedApp) -> None:
        if self.app is app and self.page is None:
            await app.stop()

    async def app_leaving(self, app: ServedApp) -> None:
        page = self.page
        if self.app is app and page is not None:
            self.page = None
            await page.tell("ended")
            self._spawn(page.socket.close())

    async def app_gone(self, app: ServedApp) -> None:
        if self.app is app:
            self.app = None
            self.awake = self.typing = False
            self._cancel_grace()
            await self.app_leaving(app)

    async def close(self) -> None:
        """The server stops: the app ends as on a hang-up, the page is told."""
        self._cancel_grace()
        app, page = self.app, self.page
        if app is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(app.stop(), timeout=10)
        if page is not None:
            await page.tell("ended")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(page.socket.close(), timeout=2)
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=2)

    def _cancel_grace(self) -> None:
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)  # held, or the loop may drop it half done
        task.add_done_callback(self._tasks.discard)


class Guard:
    """Who may talk to the server: the token, the Host header and the WebSocket's Origin."""

    def __init__(self, token: str, *, loopback_only: bool, public_url: str | None) -> None:
        self.token = token.encode()
        self.loopback_only = loopback_only
        self.public_origin = origin_of(public_url) if public_url else None
        self.public_host = urlsplit(public_url).hostname if public_url else None

    def has_token(self, path: str) -> bool:
        first = path.lstrip("/").partition("/")[0]
        return hmac.compare_digest(first.encode(), self.token)

    def host_ok(self, request: web.Request) -> bool:
        """Listening on loopback, only names of this computer: a web page elsewhere that
        renames itself to 127.0.0.1 (DNS rebinding) still sends its own name."""
        if not self.loopback_only:
            return True
        name = (request.url.host or "").lower().strip("[]")
        if name == "localhost" or name.endswith(".localhost") or name == self.public_host:
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False

    def origin_ok(self, request: web.Request) -> bool:
        """The WebSocket comes from hipmob's page: the address the browser loaded it from
        (or the public URL, behind a proxy), never another site's script."""
        origin = request.headers.get("Origin", "").lower()
        own = {f"{scheme}://{request.host}".lower() for scheme in ("http", "https")}
        return bool(origin) and (origin in own or origin == self.public_origin)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not self.has_token(request.path):
            raise web.HTTPForbidden(text=REFUSED)
        if not self.host_ok(request):
            raise web.HTTPForbidden(text=WRONG_HOST)
        response: web.StreamResponse = await handler(request)
        if not response.prepared:
            response.headers.update(PAGE_HEADERS)
            if request.path.endswith(".ttf"):
                # aiohttp's table of types may not know fonts (octet-stream then).
                response.headers["Content-Type"] = "font/ttf"
        return response


def origin_of(url: str) -> str:
    """scheme://host[:port] of `url`, as a browser sends it in Origin (no default port)."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}".lower()


class Handlers:
    """The page and the WebSocket."""

    def __init__(self, slot: AppSlot, guard: Guard) -> None:
        self.slot = slot
        self.guard = guard
        self.page_html = (PAGE_FOLDER / "page.html").read_text(encoding="utf-8")

    async def add_slash(self, request: web.Request) -> web.StreamResponse:
        """`/TOKEN` to `/TOKEN/`: the page's own files are addressed from its folder."""
        raise web.HTTPFound(request.rel_url.with_path(request.path + "/"))

    async def page(self, request: web.Request) -> web.StreamResponse:
        await self.slot.warm()
        host = request.host if HOST_PATTERN.fullmatch(request.host) else ""
        sockets = f" ws://{host} wss://{host}" if host else ""
        policy = (
            "default-src 'self'; script-src 'self'; img-src 'self' data:; font-src 'self'; "
            # xterm.js styles its rows inline, and textual.js adds its CSS as style tags.
            "style-src 'self' 'unsafe-inline'; "
            f"connect-src 'self'{sockets}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        return web.Response(
            text=self.page_html,
            content_type="text/html",
            headers={"Content-Security-Policy": policy},
        )

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.guard.origin_ok(request):
            raise web.HTTPForbidden(text=WRONG_ORIGIN)
        socket = web.WebSocketResponse(heartbeat=15)
        await socket.prepare(request)
        page = Page(socket, request.query.get("tab", "")[:64])
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)
        takeover = request.query.get("takeover") == "1"
        if not await self.slot.attach(page, width, height, takeover=takeover):
            await page.tell("elsewhere")
            await socket.close()
            return socket
        try:
            await self._relay(page)
        finally:
            await self.slot.detach(page)
        return socket

    async def _relay(self, page: Page) -> None:
        """The page's keys, clicks and size to the app, while it holds the app.

        The browser's focus and blur are not passed on: for hipmob, blur means the page
        has gone (the app pauses a session), and only the slot says that.
        """
        async for message in page.socket:
            if self.slot.page is not page:
                break  # another page took over
            app = self.slot.app
            if message.type != WSMsgType.TEXT or app is None:
                continue
            try:
                kind, *rest = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and rest and isinstance(rest[0], str):
                await app.send_bytes(rest[0].encode("utf-8"))
            elif kind == "resize" and rest and isinstance(rest[0], dict):
                width = _size(rest[0].get("width"), 0)
                height = _size(rest[0].get("height"), 0)
                if width and height:
                    self.slot.last_size = (width, height)
                    await app.show(width, height)
            elif kind == "ping" and rest:
                await page.socket.send_json(["pong", rest[0]])


def _size(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return number if 1 <= number <= MAX_TERMINAL_SIDE else default


def build_app(token: str, slot: AppSlot, guard: Guard) -> web.Application:
    """The aiohttp application: every route under the token, the guard in front."""
    handlers = Handlers(slot, guard)
    app = web.Application(middlewares=[guard.middleware])
    app.add_routes(
        [
            web.get(f"/{token}", handlers.add_slash),
            web.get(f"/{token}/", handlers.page),
            web.get(f"/{token}/ws", handlers.websocket),
            web.static(f"/{token}/static", TEXTUAL_STATIC),
            web.static(f"/{token}/page", PAGE_FOLDER),
        ]
    )
    return app


def run(
    listener: socket.socket,
    *,
    token: str,
    command: str,
    loopback_only: bool,
    public_url: str | None,
    grace_seconds: float,
    ready: Callable[[], None],
) -> None:
    """Serve on `listener` until SIGINT, SIGTERM or SIGHUP; then end the app and return.

    `ready` is called once the server answers and the signals are handled.
    """
    asyncio.run(
        _serve(
            listener,
            token=token,
            command=command,
            guard=Guard(token, loopback_only=loopback_only, public_url=public_url),
            grace_seconds=grace_seconds,
            ready=ready,
        )
    )


async def _serve(
    listener: socket.socket,
    *,
    token: str,
    command: str,
    guard: Guard,
    grace_seconds: float,
    ready: Callable[[], None],
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    slot = AppSlot(command, grace_seconds)
    runner = web.AppRunner(
        build_app(token, slot, guard), access_log=None, handle_signals=False, shutdown_timeout=3
    )
    await runner.setup()
    await web.SockSite(runner, listener).start()
    # The address once the app is up: the first page is drawn as soon as it loads.
    app = await slot.warm()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(app.started.wait(), timeout=APP_START_TIMEOUT)
    ready()
    try:
        await stop.wait()
    finally:
        await slot.close()
        await runner.cleanup()
