"""`hipmob serve` in headless Chromium, as a person on a mat uses it: the page, a whole
session with its beeps and the screen kept on, the history written; two tabs; a page that
drops and comes back; touch: what a finger taps is at least 40 px tall on a tablet and on
a phone held sideways, and a tap does what it says.

Chromium is driven over the DevTools protocol (hipmob_tui.cli.devtools). The page's own
calls are watched by scripts run before the page's: what the WebSocket brought, the
oscillators started (a beep each), the wake locks asked for. Skips, saying why, where
Chromium or textual-serve is not installed.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed (the web extra)")

from hipmob_tui.cli.browser import find_chromium  # noqa: E402
from hipmob_tui.cli.devtools import Chromium, Tab  # noqa: E402
from hipmob_tui.history.store import Store  # noqa: E402
from tests.served import Served, app_processes, shown_rows  # noqa: E402

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.slow,  # seconds each: a server, its app and Chromium, in real time
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
    ),
]

TABLET = (1280, 800)

WATCH = r"""
(() => {
  // What the app drew (the terminal's bytes as text) and what the server said to hipmob.
  const seen = (window.__seen = { text: "", bytes: 0, said: [], url: null });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      seen.url = url;
      this.addEventListener("message", (event) => {
        if (typeof event.data === "string") {
          const [kind, detail] = JSON.parse(event.data);
          if (kind === "hipmob") seen.said.push(detail);
        } else {
          const bytes = new Uint8Array(event.data);
          seen.bytes += bytes.length;
          seen.text = (seen.text + new TextDecoder().decode(bytes)).slice(-400000);
        }
      });
    }
  };
  // Each beep is an oscillator started: its pitch and when.
  window.__beeps = [];
  const Context = window.AudioContext;
  const create = Context.prototype.createOscillator;
  Context.prototype.createOscillator = function () {
    const tone = create.call(this);
    const start = tone.start.bind(tone);
    tone.start = (when) => {
      window.__beeps.push({ hz: tone.frequency.value, at: performance.now(), state: this.state });
      start(when);
    };
    return tone;
  };
  // The screen kept on: every request and release.
  window.__locks = [];
  if (navigator.wakeLock) {
    const request = navigator.wakeLock.request.bind(navigator.wakeLock);
    navigator.wakeLock.request = async (kind) => {
      window.__locks.push("request " + kind);
      const lock = await request(kind);
      lock.addEventListener("release", () => window.__locks.push("release"));
      return lock;
    };
  }
})();
"""

FLOOR_ROUTINE = """\
exercises:
  - id: floor-hold
    name: Floor Hold
    phase: restore
    purpose: A hold long enough for the 3-2-1.
    steps: [Hold still.]
    cues: [Breathe.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 12, per_side: false}
    source: added
routines:
  - id: floor
    name: Floor Try
    description: One hold of 12 seconds.
    pauses: {get_ready: 3}
    items:
      - exercise: floor-hold
"""


async def start_floor(tab: Tab) -> None:
    """In the Library: the routines (their list drawn before typing on: a busy machine may
    take the keys before it is), filtered to the floor one, run: its pain question."""
    await type_keys(tab, "t")
    await drawn(tab, "Floor Try")
    await type_keys(tab, "/", *"floor", "enter", "r")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "floor.yaml").write_text(FLOOR_ROUTINE)
    server = Served(tmp_path, routines=routines)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
async def browser() -> AsyncIterator[Chromium]:
    assert CHROMIUM is not None
    async with Chromium(CHROMIUM) as chromium:
        yield chromium


async def open_page(browser: Chromium, url: str, size: tuple[int, int] = TABLET) -> Tab:
    tab = await browser.tab(*size)
    await tab.before_scripts(WATCH)
    await tab.open(url)
    return tab


async def drawn(tab: Tab, text: str, timeout: float = 30) -> None:
    """Wait until the app has drawn `text` in the page."""
    try:
        await tab.wait_for(
            f"window.__seen && window.__seen.text.includes({json.dumps(text)})", timeout
        )
    except TimeoutError:
        seen = await tab.evaluate("window.__seen && window.__seen.text.slice(-1500)")
        raise AssertionError(f"{text!r} was never drawn; the last drawn: {seen!r}") from None


async def notice(tab: Tab) -> str:
    """The page's own notice (open elsewhere, moved...), once shown."""
    shown = "!document.getElementById('notice').hidden"
    return str(await tab.wait_for(f"{shown} && document.getElementById('notice-text').textContent"))


async def type_keys(tab: Tab, *keys: str) -> None:
    await tab.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
    for key in keys:
        await tab.press(key)
        await asyncio.sleep(0.05)


async def test_without_the_token_the_browser_is_refused(served: Served, browser: Chromium) -> None:
    started_with_the_server = app_processes(served.process.pid)
    tab = await browser.tab(*TABLET)
    await tab.open(served.origin + "/")
    text = await tab.wait_for("document.body && document.body.innerText")
    assert "needs the token" in text
    assert app_processes(served.process.pid) == started_with_the_server  # nothing for it


async def test_a_whole_session_on_a_tablet(served: Served, browser: Chromium) -> None:
    """The Library, then a 12 s hold: a beep as it starts and a short one at 3, 2 and 1,
    the screen kept on meanwhile, the session in the history at the end."""
    tab = await open_page(browser, served.url)
    await drawn(tab, "RESET")  # the Library's first heading: the first screen
    url = await tab.evaluate("window.__seen.url")
    assert url.startswith(served.ws_url + "?width=") and "&tab=" in url
    # The first visit offers sound once; one tap turns it on (a beep says so).
    await tab.click_element("#sound-on")
    await tab.wait_for("window.__beeps.length === 1")
    assert await tab.evaluate("localStorage.getItem('hipmob-sound')") == "on"
    await start_floor(tab)
    await drawn(tab, "Pain right now")
    await type_keys(tab, "s")
    await drawn(tab, "GET READY")
    await drawn(tab, "Saved", timeout=60)  # the summary: the session is in the history
    beeps = await tab.evaluate("window.__beeps")
    pitches = [beep["hz"] for beep in beeps[1:]]
    assert pitches == [880, 620, 620, 620], beeps  # work begins; 3, 2, 1
    assert all(beep["state"] == "running" for beep in beeps)
    countdown = [beep["at"] for beep in beeps[2:]]
    assert countdown == sorted(countdown) and beeps[1]["at"] < countdown[0]
    locks = await tab.evaluate("window.__locks")
    assert locks[:1] == ["request screen"] and locks[-1] == "release", locks
    (record,) = Store(served.db).sessions()
    assert record.routine_id == "floor" and record.status == "completed"
    assert record.active_seconds >= 15  # 3 s to get ready, the 12 s hold: the clock ran


async def test_the_floor_clock_fills_a_tablet_and_a_phone_on_its_side(
    served: Served, browser: Chromium, tmp_path: Path
) -> None:
    """The page's terminal sizes the app as the floor clock needs: 142 × 38 at 1280 × 800,
    and at least 40 × 15 on a phone held sideways (844 × 390; the other areas need 60 × 20,
    so the phone shows their notice)."""
    sizes = {}
    for name, size, first in (
        ("tablet", TABLET, "RESET"),
        ("phone", (844, 390), "Add ?fontsize=12 to the address"),
    ):
        tab = await open_page(browser, served.url + "?takeover=1", size)
        await drawn(tab, first)
        url = await tab.evaluate("window.__seen.url")
        query = dict(part.split("=") for part in url.split("?", 1)[1].split("&"))
        sizes[name] = (int(query["width"]), int(query["height"]))
        await tab.screenshot(tmp_path / f"{name}.png")
        header = (tmp_path / f"{name}.png").read_bytes()[:24]
        assert int.from_bytes(header[16:20]) == size[0]
        await tab.close()
    assert sizes["tablet"][1] >= 36 and sizes["tablet"][0] >= 140
    assert sizes["phone"][0] >= 40 and sizes["phone"][1] >= 15


async def test_a_second_tab_is_told_and_can_take_over(served: Served, browser: Chromium) -> None:
    first = await open_page(browser, served.url)
    await drawn(first, "RESET")
    (app,) = app_processes(served.process.pid)
    second = await open_page(browser, served.url)
    assert "open in another tab or on another device" in await notice(second)
    assert await second.evaluate("window.__seen.bytes") == 0
    await second.click_element("#notice-button")  # "Use it here instead"
    await drawn(second, "RESET")
    assert "now open in another tab" in await notice(first)
    assert app_processes(served.process.pid) == [app]  # one app, all along


async def test_a_tab_that_goes_away_finds_its_session_paused_on_return(
    served: Served, browser: Chromium
) -> None:
    tab = await open_page(browser, served.url)
    await drawn(tab, "RESET")
    await tab.evaluate("localStorage.setItem('hipmob-sound', 'off')")
    await start_floor(tab)
    await drawn(tab, "Pain right now")
    await type_keys(tab, "s")
    await drawn(tab, "WORK")
    (app,) = app_processes(served.process.pid)
    await tab.close()  # the tablet slept; its page is gone
    await asyncio.sleep(2)
    back = await open_page(browser, served.url)
    await drawn(back, "PAUSED")
    await drawn(back, "Paused while the page was away")
    assert app_processes(served.process.pid) == [app]
    said = await back.evaluate("window.__seen.said")
    assert {"event": "cue", "name": "awake-on"} in said  # a session: the screen stays on
    await type_keys(back, "space")
    await drawn(back, "WORK")


# -- touch ----------------------------------------------------------------------------------
# The app is read as the page's terminal shows it (its characters, from the bytes it was
# sent) and as the screen shows it (the pixels of a screenshot, decoded by the page itself):
# a key's height is the run of its background's colour through the key's row.

PHONE = (844, 390)
"""A phone held sideways."""
FINGER = 40
"""CSS pixels: the least a target may be tall (a fingertip is about 10 mm)."""
SCORES = re.compile(r"\b0 +1 +2 +3 +4 +5 +6 +7 +8 +9 +10\b")

PIXEL_COLUMN = """(async () => {
  const image = new Image();
  image.src = "data:image/png;base64,%s";
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const paint = canvas.getContext("2d");
  paint.drawImage(image, 0, 0);
  const data = paint.getImageData(%d, 0, 1, image.height).data;
  const colours = [];
  for (let i = 0; i < data.length; i += 4) {
    colours.push((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  return colours;
})()"""
"""The colour of each pixel of one column of a PNG, top to bottom (the page decodes it)."""


class TouchPage:
    """A tab on the served app, read as its terminal shows it."""

    def __init__(self, tab: Tab) -> None:
        self.tab = tab
        self.columns = self.rows = 0
        self.cell = (0.0, 0.0)
        """A character cell's width and height in CSS pixels."""
        self.top = 0.0

    @classmethod
    async def open(cls, browser: Chromium, url: str, size: tuple[int, int]) -> TouchPage:
        tab = await browser.tab(*size, mobile=True)  # touch events, as a tablet sends them
        await tab.before_scripts(WATCH)
        await tab.before_scripts("localStorage.setItem('hipmob-sound', 'off')")
        await tab.open(url)
        page = cls(tab)
        await drawn(tab, "Help")  # the first screen's bottom line
        address = await tab.evaluate("window.__seen.url")
        query = dict(part.split("=") for part in address.split("?", 1)[1].split("&"))
        page.columns, page.rows = int(query["width"]), int(query["height"])
        box = await tab.evaluate(
            "(() => { const r = document.querySelector('.xterm-screen')"
            ".getBoundingClientRect(); return [r.y, r.width, r.height]; })()"
        )
        page.top = box[0]
        page.cell = (box[1] / page.columns, box[2] / page.rows)
        return page

    async def screen(self) -> list[str]:
        """The terminal's rows as they read now."""
        drawn_so_far = await self.tab.evaluate("window.__seen.text")
        return shown_rows(drawn_so_far, self.columns, self.rows)

    async def find(self, pattern: str | re.Pattern[str], below: int = 0) -> tuple[int, int]:
        """The row and column where `pattern` shows first (from row `below` down)."""
        for row, line in enumerate(await self.screen()):
            found = re.search(pattern, line) if row >= below else None
            if found:
                return row, found.start()
        raise AssertionError(f"{pattern!r} is not shown: {await self.screen()}")

    def point(self, row: float, column: float) -> tuple[float, float]:
        """The middle of a cell, in CSS pixels."""
        return (column + 0.5) * self.cell[0], self.top + (row + 0.5) * self.cell[1]

    async def tap(self, row: float, column: float) -> None:
        await self.tab.tap(*self.point(row, column))

    async def height_through(self, row: int, column: int) -> int:
        """How many pixels tall the run of one colour is through the middle of a cell (a
        blank cell of a key or a button: its background)."""
        x, y = self.point(row, column)
        shot = (await self.tab.call("Page.captureScreenshot", format="png"))["data"]
        colours = await self.tab.evaluate(PIXEL_COLUMN % (shot, int(x)))
        middle = int(y)
        top = bottom = middle
        while top > 0 and colours[top - 1] == colours[middle]:
            top -= 1
        while bottom < len(colours) - 1 and colours[bottom + 1] == colours[middle]:
            bottom += 1
        return bottom - top + 1


async def test_the_footer_and_the_score_buttons_are_a_finger_tall_on_a_tablet(
    served: Served, browser: Chromium
) -> None:
    """1280 × 800: each key of the bottom line and each score button is three rows, 63 px;
    a tap on a key's top row (above its label) does what the key does."""
    page = await TouchPage.open(browser, served.url, TABLET)
    assert page.cell[1] >= 15  # the page's font: a row is 21 px
    row, column = await page.find(r"List")
    # The blank cell between the key (t) and its label (List): the key's own background.
    tall = await page.height_through(row, column - 1)
    assert tall >= FINGER and tall == round(3 * page.cell[1])
    await page.tap(row - 1, column)  # the key's top row: "t List" shows the routines
    await drawn(page.tab, "Floor Try")
    row, column = await page.find(r"Floor Try")
    await page.tap(row, column)
    await page.tap(row, column)  # a second tap on it: the pain question
    await drawn(page.tab, "Pain right now")
    await asyncio.sleep(0.5)
    row, column = await page.find(SCORES)
    seven = (await page.screen())[row].index("7", column)
    tall = await page.height_through(row, seven - 1)
    assert tall >= FINGER and tall == round(3 * page.cell[1])
    await page.tap(row + 1, seven)  # the button's bottom row
    await drawn(page.tab, "GET READY")


async def test_the_floor_clocks_keys_are_a_finger_tall_on_a_phone(
    served: Served, browser: Chromium, tmp_path: Path
) -> None:
    """844 × 390, a phone on its side: the floor clock's keys are three rows, 63 px, and a
    tap on Pause pauses the session."""
    tablet = await TouchPage.open(browser, served.url, TABLET)
    await tablet.tab.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
    for key in ("t", "/", *"floor", "enter", "r", "s"):
        await tablet.tab.press(key)
        await asyncio.sleep(0.05)
    await drawn(tablet.tab, "WORK")
    phone = await TouchPage.open(browser, served.url + "?takeover=1", PHONE)
    await drawn(phone.tab, "WORK")
    await asyncio.sleep(0.5)
    await phone.tab.screenshot(tmp_path / "phone.png")
    row, column = await phone.find(r"Pause")
    tall = await phone.height_through(row, column - 1)
    assert tall >= FINGER and tall == round(3 * phone.cell[1])
    await phone.tap(row - 1, column)
    await drawn(phone.tab, "PAUSED")


async def test_a_whole_session_by_touch(served: Served, browser: Chromium) -> None:
    """No keyboard: a tap on Routines, two on the routine (the first only shows it), one
    on a pain score, the routine runs out, one on the pain after; the session is in the
    history with both scores."""
    page = await TouchPage.open(browser, served.url, TABLET)
    row, column = await page.find(r"Routines")
    await page.tap(row, column)
    await drawn(page.tab, "Floor Try")
    row, column = await page.find(r"Floor Try")
    await page.tap(row, column)
    await asyncio.sleep(1)
    assert "Pain right now" not in "".join(await page.screen())  # a first tap starts nothing
    await page.tap(row, column)
    await drawn(page.tab, "Pain right now")
    await asyncio.sleep(0.5)
    row, column = await page.find(SCORES)
    await page.tap(row, (await page.screen())[row].index("3", column))
    await drawn(page.tab, "GET READY")
    await drawn(page.tab, "Pain now, after the session", timeout=60)
    await asyncio.sleep(0.5)
    row, column = await page.find(SCORES)
    await page.tap(row, (await page.screen())[row].index("1", column))
    await drawn(page.tab, "3→1")  # the summary: pain before and after
    for _ in range(100):  # the score after is written as the summary shows it
        (record,) = Store(served.db).sessions()
        if record.pain_after is not None:
            break
        await asyncio.sleep(0.1)
    assert record.routine_id == "floor" and record.status == "completed"
    assert (record.pain_before, record.pain_after) == (3, 1)


async def test_the_keys_a_browser_passes_on_reach_the_app(
    served: Served, browser: Chromium
) -> None:
    """':' opens the command palette, alt+backspace deletes a word of the filter (the
    terminal sends it as ctrl+w, which the browser would have kept), q quits."""
    page = await TouchPage.open(browser, served.url, TABLET)
    await type_keys(page.tab, ":")
    await drawn(page.tab, "Search for commands")
    await type_keys(page.tab, "escape", "/", *"glutes xyz")
    await drawn(page.tab, "glutes xyz")
    await type_keys(page.tab, "alt+backspace")
    await asyncio.sleep(0.5)
    row, _ = await page.find(r"glutes")
    assert "xyz" not in (await page.screen())[row]
    await type_keys(page.tab, "enter", "q")
    assert "hipmob has closed" in await notice(page.tab)


async def test_the_on_screen_keyboard_comes_up_only_in_a_text_field(
    served: Served, browser: Chromium
) -> None:
    """The page reads keys through xterm.js's hidden text field: set to no on-screen keyboard
    (inputmode none), a tap on a routine or a score brings none up over the session; while
    the app's filter has the focus, the field asks for text, and a tablet's keyboard shows,
    also on a page that comes back (reloaded) while the filter has it."""
    mode = "document.querySelector('.xterm-helper-textarea').inputMode"
    tab = await open_page(browser, served.url)
    await drawn(tab, "RESET")
    assert await tab.evaluate(mode) == "none"
    await type_keys(tab, "/")
    await tab.wait_for(f"{mode} === 'text'")
    await tab.evaluate("location.reload()")
    await drawn(tab, "RESET")
    await tab.wait_for(f"{mode} === 'text'")
    await type_keys(tab, "g", "enter")  # the filter is done: the list has the focus again
    await tab.wait_for(f"{mode} === 'none'")
