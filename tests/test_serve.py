"""`hipmob serve`: a real server process, asked as a browser and as a stranger would ask it.

The token in every address, the Host and Origin checks, loopback by default, the warning
for a network, the one-line failures, and the served app that runs without a terminal.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed (the web extra)")
import aiohttp  # noqa: E402  (comes with textual-serve)

from tests.served import Page, Served, app_processes  # noqa: E402

FIRST_SCREEN = "RESET"
"""The Library's first phase heading: the app's first screen has been drawn."""


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hipmob_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path)
    try:
        yield server
    finally:
        server.close()


async def get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as client, client.get(url, headers=headers) as answer:
        body = await answer.read()
        return answer.status, body.decode(errors="replace"), dict(answer.headers)


async def screen_text(served: Served, origin: str, until: str, timeout: float = 30) -> str:
    """What the app sends a page that connects from `origin`, up to `until`."""
    received = ""
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(f"{served.ws_url}?width=100&height=30", origin=origin) as page,
    ):
        async with asyncio.timeout(timeout):
            async for message in page:
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data.decode(errors="replace")
                if until in received:
                    break
    return received


# -- without the web extra, and without a terminal -------------------------------------------


def test_without_textual_serve_serve_says_how_to_install_it(tmp_path: Path) -> None:
    """A plain install (no web extra): one line that says what to install, exit 1."""
    probe = (
        "import sys; sys.modules['textual_serve'] = None; "  # import textual_serve fails
        "from hipmob_tui.cli.main import main; sys.exit(main(['serve']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "pip install 'hipmob[web]'" in result.stderr


def test_the_app_still_needs_a_terminal_unless_serve_started_it(tmp_path: Path) -> None:
    """The marker alone (or the web driver alone) is not `serve`: no terminal, no app."""
    db = str(tmp_path / "hipmob.json")
    for env in ({"HIPMOB_SERVED": "1"}, {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}):
        result = run_cli("--db", db, **env)
        assert result.returncode == 2 and "needs a terminal" in result.stderr


@pytest.mark.slow
def test_the_served_app_runs_without_a_terminal(tmp_path: Path) -> None:
    """As `serve` starts it (pipes, the web driver, the marker): it draws, then quits when
    asked, the way textual-serve asks."""
    env = {
        **os.environ,
        "HIPMOB_SERVED": "1",
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "COLUMNS": "100",
        "ROWS": "30",
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "hipmob_tui", "--db", str(tmp_path / "hipmob.json")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert app.stdout is not None and app.stdin is not None
        assert app.stdout.readline() == b"__GANGLION__\n"  # the web driver's hello
        drawn = b""
        while FIRST_SCREEN.encode() not in drawn:
            kind, size = app.stdout.read(1), int.from_bytes(app.stdout.read(4), "big")
            payload = app.stdout.read(size)
            assert kind in (b"D", b"M", b"P") and len(payload) == size
            if kind == b"D":
                drawn += payload
        quit_meta = json.dumps({"type": "quit"}).encode()
        app.stdin.write(b"M" + len(quit_meta).to_bytes(4, "big") + quit_meta)
        app.stdin.flush()
        assert app.wait(timeout=20) == 0
    finally:
        app.kill()
        app.wait()


# -- the command line ----------------------------------------------------------------------------


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_cli("--db", str(tmp_path / "hipmob.json"), "serve", "--port", port)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"hipmob: serve: port {port} is in use on 127.0.0.1 (another hipmob serve?); pick "
        "another with --port, or --port 0 for any free one\n"
    )
    assert not (tmp_path / "hipmob.json").exists()


def test_a_host_that_is_not_this_computer_is_one_line(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "hipmob.json"), "serve", "--host", "no such host.")
    assert result.returncode == 1
    assert result.stderr.startswith("hipmob: serve: cannot listen on 'no such host.'")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("url", ["ftp://x.example", "tablet.example", "http://", "http://x/?a=1"])
def test_a_public_url_must_be_a_web_address(tmp_path: Path, url: str) -> None:
    result = run_cli("serve", "--public-url", url)
    assert result.returncode == 2 and "is not a web address" in result.stderr


# -- the token ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_address_without_the_token_is_refused(served: Served) -> None:
    base = served.origin

    async def ask() -> None:
        for path in ("/", "/ws", "/static/js/textual.js", "/page/hipmob.js", "/wrong/"):
            status, text, _ = await get(base + path)
            assert status == 403, path
            assert "needs the token" in text
        wrong = served.token[:-1] + ("A" if served.token[-1] != "A" else "B")
        assert (await get(f"{base}/{wrong}/"))[0] == 403
        status, text, headers = await get(served.url)
        assert status == 200 and "<title>hipmob</title>" in text
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "no-referrer"  # the token is in the address
        assert (await get(served.url + "static/js/textual.js"))[0] == 200
        assert (await get(served.url + "page/hipmob.js"))[0] == 200
        # Without its slash, the page's own files would be looked for one folder up.
        assert (await get(served.url.rstrip("/")))[1] == text

    asyncio.run(ask())
    assert served.stop() == 0


@pytest.mark.slow
def test_a_fresh_token_each_start_unless_kept(tmp_path: Path) -> None:
    tokens = []
    for keep in (False, False, True, True):
        server = Served(tmp_path, *(["--keep-token"] if keep else []))
        try:
            tokens.append(server.token)
        finally:
            server.close()
    fresh_1, fresh_2, kept_1, kept_2 = tokens
    assert len({fresh_1, fresh_2, kept_1}) == 3 and len(fresh_1) >= 24
    assert kept_1 == kept_2
    kept = Path(os.environ["XDG_CONFIG_HOME"]) / "hipmob" / "serve-token"
    assert kept.read_text() == kept_1 + "\n"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_kept_token_file_hipmob_did_not_write_is_refused(tmp_path: Path) -> None:
    kept = Path(os.environ["XDG_CONFIG_HOME"]) / "hipmob" / "serve-token"
    kept.parent.mkdir(parents=True)
    kept.write_text("password\n")
    kept.chmod(0o600)
    result = run_cli("--db", str(tmp_path / "hipmob.json"), "serve", "--keep-token")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "does not hold a token hipmob made" in result.stderr
    assert kept.read_text() == "password\n"


# -- where a request comes from -------------------------------------------------------------------


@pytest.mark.slow
def test_only_the_served_page_may_open_the_websocket(served: Served) -> None:
    """Another site's script (or a client that names no Origin) is refused at the handshake,
    with the token or not; the page's own origin gets the app, and its first screen."""

    async def ask() -> str:
        for origin in ("http://evil.example", "http://127.0.0.1:1", "null", ""):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await screen_text(served, origin, FIRST_SCREEN, timeout=10)
            assert refused.value.status == 403, origin
        return await screen_text(served, served.origin, FIRST_SCREEN)

    assert FIRST_SCREEN in asyncio.run(ask())


@pytest.mark.slow
def test_on_loopback_only_this_computers_names_are_answered(served: Served) -> None:
    """A site that renames itself to 127.0.0.1 (DNS rebinding) still sends its own name."""

    async def ask() -> None:
        status, text, _ = await get(served.url, Host="evil.example")
        assert status == 403 and "only to this computer's own names" in text
        port = served.origin.rsplit(":", 1)[1]
        assert (await get(served.url, Host=f"localhost:{port}"))[0] == 200

    asyncio.run(ask())


@pytest.mark.slow
def test_listening_on_every_network_warns_and_prints_a_reachable_address(tmp_path: Path) -> None:
    server = Served(tmp_path, "--host", "0.0.0.0")
    try:
        assert "0.0.0.0" not in server.url
        status = asyncio.run(get(server.url, Host="tablet-sees-me.example"))[0]
        assert status == 200  # on a network, any name reaches it (the token still counts)
    finally:
        assert server.stop() == 0
    assert (
        "hipmob: warning: listening on 0.0.0.0: anyone on that network who has this address "
        "can read, change and delete your history" in server.stderr
    )


@pytest.mark.slow
def test_loopback_gets_no_warning(served: Served) -> None:
    assert served.url.startswith("http://127.0.0.1:")
    assert served.stop() == 0
    assert "warning" not in served.stderr


# -- one app, however many pages ----------------------------------------------------------------


async def open_quick(page: Page) -> None:
    """In the Library: the routines (their list shown before typing on: a busy machine may
    take the keys before it is), filtered to the quick one, run: its pain question."""
    await page.keys("t")
    await page.shows("Quick Try")
    await page.keys("/", *"quick", "\r", "r")


async def start_quick_session(page: Page) -> None:
    """From the Library to the quick routine's first step (the pain question skipped)."""
    await page.shows(FIRST_SCREEN)
    await open_quick(page)
    await page.shows("Pain right now")
    await page.keys("s")
    await page.shows("GET READY")


@pytest.mark.slow
def test_a_second_page_is_told_hipmob_is_open_elsewhere(served: Served) -> None:
    """Never a second app on the same files: the second tab is told, and let go."""

    async def two_tabs() -> None:
        async with Page(served, "first") as first:
            await first.shows(FIRST_SCREEN)
            (app,) = app_processes(served.process.pid)
            async with Page(served, "second") as second:
                await second.told("elsewhere")
                await second.read_until(lambda page: page.closed)
                assert second.text == ""  # not a byte of the app
            assert app_processes(served.process.pid) == [app]
            await first.keys("s")  # the first tab still drives the one app
            await first.shows("Pick a routine")

    asyncio.run(two_tabs())


LIBRARY_PARTS = ("hipmob", "filter", "Pallof Press", "Slow breathing", "Phase", "Help")
"""Words from every part of the Library at 100 × 30: header, filter, list, detail, keys."""


def plain(drawn: str) -> str:
    return re.sub(r"\x1b\[[0-9;?<>]*[A-Za-z~]", "", drawn)


@pytest.mark.slow
def test_taking_over_moves_the_app_and_tells_the_first_page(served: Served) -> None:
    """ "Use it here instead": the same app moves to the new page, drawn whole there (its
    terminal is blank), and the first page is told and let go."""

    async def take_over() -> None:
        async with Page(served, "first") as first:
            await first.shows(FIRST_SCREEN)
            (app,) = app_processes(served.process.pid)
            await asyncio.sleep(2)  # the first frames are all drawn: nothing moves now
            async with Page(served, "second", takeover=True) as second:
                await first.told("moved")
                await first.read_until(lambda page: page.closed)
                await second.read_until(
                    lambda page: all(part in plain(page.text) for part in LIBRARY_PARTS)
                )
                assert app_processes(served.process.pid) == [app]
                await open_quick(second)
                await second.shows("Pain right now")

    asyncio.run(take_over())


@pytest.mark.slow
def test_a_reload_of_the_same_tab_takes_the_app_back_from_its_dead_connection(
    served: Served,
) -> None:
    """A tablet that slept: its old connection may look alive to the server for a while;
    the same tab, reloaded, takes the app back without asking."""

    async def reload() -> None:
        async with Page(served, "tablet") as asleep:
            await asleep.shows(FIRST_SCREEN)
            async with Page(served, "tablet") as awake:
                await awake.shows(FIRST_SCREEN)
                assert not any(event["event"] == "elsewhere" for event in awake.events)

    asyncio.run(reload())


@pytest.mark.slow
def test_a_dropped_page_leaves_the_session_paused_for_the_next(served: Served) -> None:
    async def drop_and_come_back() -> None:
        async with Page(served, "tablet") as page:
            await start_quick_session(page)
            (app,) = app_processes(served.process.pid)
        # The connection is gone; some seconds later the tablet is back (a new tab here).
        await asyncio.sleep(1.5)
        async with Page(served, "another") as back:
            await back.shows("PAUSED")
            await back.shows("Paused while the page was away")
            assert app_processes(served.process.pid) == [app]
            await back.keys(" ")  # space goes on
            await back.shows("WORK")

    asyncio.run(drop_and_come_back())


@pytest.mark.slow
def test_after_the_grace_time_the_app_ends_and_keeps_the_session(tmp_path: Path) -> None:
    """Nobody came back: the app ends as on a hang-up, the session saved as partial and its
    journal kept, and the next page is offered to resume it."""
    from hipmob_tui.history.store import Store
    from hipmob_tui.paths import journal_path

    server = Served(tmp_path, "--grace", "1")
    try:

        async def drop() -> None:
            async with Page(server, "tablet") as page:
                await start_quick_session(page)
                await page.shows("WORK")

        asyncio.run(drop())
        for _ in range(100):
            if not app_processes(server.process.pid):
                break
            time.sleep(0.1)
        assert app_processes(server.process.pid) == []
        (record,) = Store(server.db).sessions()
        assert record.status == "partial" and record.routine_id == "quick"
        assert journal_path(server.db).exists()

        async def next_page() -> None:
            async with Page(server, "tablet") as page:
                await page.shows("Resume")

        asyncio.run(next_page())
    finally:
        assert server.stop() == 0


@pytest.mark.slow
def test_the_apps_cues_reach_the_page_and_a_page_that_comes_back(served: Served) -> None:
    """The app's beeps and "keep the screen on" are messages for hipmob's script (never a
    new tab); a page that connects mid-session is told to keep the screen on."""

    def cues(page: Page) -> list[object]:
        return [event["name"] for event in page.events if event["event"] == "cue"]

    async def session() -> None:
        async with Page(served, "tablet") as page:
            await start_quick_session(page)
            await page.read_until(lambda page: "beep-step" in cues(page))
            # (The filter typed on the way told the page about the keyboard first.)
            awake_and_beeps = [cue for cue in cues(page) if cue != "keyboard-on"]
            awake_and_beeps = [cue for cue in awake_and_beeps if cue != "keyboard-off"]
            assert awake_and_beeps[0] == "awake-on"
        async with Page(served, "tablet") as back:
            await back.read_until(lambda page: cues(page) == ["awake-on"])

    asyncio.run(session())


@pytest.mark.slow
def test_the_page_is_hipmobs_own_and_fetches_nothing_from_elsewhere(served: Served) -> None:
    """A viewport for phones, the font from this server (the stock page fetched it from
    Google), and a policy that lets the page load nothing from anywhere else."""

    async def ask() -> None:
        status, page, headers = await get(served.url)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1' in page
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        _, style, _ = await get(served.url + "page/hipmob.css")
        font = re.search(r'url\("([^"]+\.ttf)"\)', style)
        assert font is not None
        status, _, headers = await get(served.url + "page/" + font.group(1))
        assert status == 200 and headers["Content-Type"] == "font/ttf"
        _, script, _ = await get(served.url + "page/hipmob.js")
        for text in (page, style, script):
            assert not re.search(r"https?://", text), "an address elsewhere"

    asyncio.run(ask())


@pytest.mark.slow
def test_the_app_started_as_the_page_loads_takes_the_pages_size(served: Served) -> None:
    """The page's request starts the app (it is ready sooner), at a size of its own; the
    page then connects with its own size, which the app must keep (its start would set
    its first size again, undoing one sent too early)."""

    async def load_then_connect() -> None:
        assert (await get(served.url))[0] == 200
        async with Page(served, "tablet", size=(142, 38)) as page:
            # As textual.js does once connected: its size again.
            await page.socket.send_str(json.dumps(["resize", {"width": 142, "height": 38}]))
            await page.shows(FIRST_SCREEN)
            # Row 38 drawn: the page's size (at its own, 30, the app never draws there).
            await page.read_until(lambda page: "\x1b[38;1H" in page.text, timeout=10)

    asyncio.run(load_then_connect())


@pytest.mark.slow
def test_behind_a_proxy_the_public_url_is_printed_and_its_origin_let_in(tmp_path: Path) -> None:
    """`--public-url`: the address printed is the proxy's, and the proxy's name and its
    page's Origin are answered (on loopback, as the proxy reaches hipmob there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Served(tmp_path, "--public-url", "https://tablet.example/hipmob/", "--port", str(port))
    try:
        assert server.url == f"https://tablet.example/hipmob/{server.token}/"
        local = f"http://127.0.0.1:{port}/{server.token}/"

        async def through_the_proxy() -> None:
            status, _, _ = await get(local, Host="tablet.example")
            assert status == 200
            async with (
                aiohttp.ClientSession() as client,
                client.ws_connect(
                    local.replace("http://", "ws://") + "ws?width=100&height=30",
                    origin="https://tablet.example",
                    headers={"Host": "tablet.example"},
                ) as page,
            ):
                message = await page.receive(timeout=30)
                assert message.type == aiohttp.WSMsgType.BINARY
            async with aiohttp.ClientSession() as client:
                with pytest.raises(aiohttp.WSServerHandshakeError):
                    await client.ws_connect(
                        local.replace("http://", "ws://") + "ws", origin="https://evil.example"
                    )

        asyncio.run(through_the_proxy())
    finally:
        server.close()
