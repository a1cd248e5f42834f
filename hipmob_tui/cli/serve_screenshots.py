"""Regenerate the screenshots of `hipmob serve` in headless Chromium.

    python -m hipmob_tui.cli.serve_screenshots [FOLDER]

A real `hipmob serve` over an empty history of its own, photographed by the browser: the
Library on a 1280 × 800 tablet (serve-library.png), the pain question with its buttons to
tap (serve-pain-tablet.png), then the evening routine's glute release as the floor clock
on that tablet (serve-floor-tablet.png) and on a phone held sideways, 844 × 390
(serve-floor-phone.png). Needs the web extra and Chromium.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from hipmob_tui.cli.browser import find_chromium
from hipmob_tui.cli.devtools import Chromium, Tab

TABLET = (1280, 800)
PHONE = (844, 390)
QUIET = "localStorage.setItem('hipmob-sound', 'off')"
"""No sound offer on the pictures (it is shown once, on a first visit)."""
DRAWN = "(window.__drawn || '').includes({marker})"
WATCH = """
(() => {
  window.__drawn = "";
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          window.__drawn = (window.__drawn + new TextDecoder().decode(event.data)).slice(-100000);
        }
      });
    }
  };
})();
"""


async def _page(browser: Chromium, url: str, size: tuple[int, int], *, mobile: bool) -> Tab:
    tab = await browser.tab(*size, mobile=mobile)
    await tab.before_scripts(QUIET)
    await tab.before_scripts(WATCH)
    await tab.open(url)
    return tab


async def _keys(tab: Tab, *keys: str) -> None:
    await tab.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
    for key in keys:
        await tab.press(key)
        await asyncio.sleep(0.1)


async def _shoot(chromium: str, url: str, out: Path) -> list[Path]:
    shots = [
        out / "serve-library.png",
        out / "serve-pain-tablet.png",
        out / "serve-floor-tablet.png",
        out / "serve-floor-phone.png",
    ]
    async with Chromium(chromium) as browser:
        tablet = await _page(browser, url, TABLET, mobile=False)
        await tablet.wait_for(DRAWN.format(marker="'RESET'"), 30)
        await asyncio.sleep(1.0)  # the toasts of a first start have gone
        await tablet.screenshot(shots[0])
        await _keys(tablet, "t", "/", *"evening", "enter", "r")
        await tablet.wait_for(DRAWN.format(marker="'Pain right now'"), 30)
        await asyncio.sleep(0.5)
        await tablet.screenshot(shots[1])
        await _keys(tablet, "6")
        await tablet.wait_for(DRAWN.format(marker="'GET READY'"), 30)
        await _keys(tablet, "n", "n", "n", "n")  # on to the glute release, right side
        await asyncio.sleep(12.5)
        await tablet.screenshot(shots[2])
        phone = await _page(browser, url + "?takeover=1", PHONE, mobile=True)
        await phone.wait_for(DRAWN.format(marker="'WORK'"), 30)
        await asyncio.sleep(1.5)
        await phone.screenshot(shots[3])
    return shots


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")
    chromium = find_chromium()
    if chromium is None:
        print("chromium is not installed: no screenshots of hipmob serve", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "hipmob_tui", "serve", "--port", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            if not url.startswith("http"):
                print("hipmob serve did not start", file=sys.stderr)
                return 1
            for shot in asyncio.run(_shoot(chromium, url, out)):
                print(shot)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
