"""The installed `hipmob` in a real terminal (a tmux pane), read back as a person sees it.

Each test starts the venv's `hipmob` script on a tmux server of its own (-L), with its own
HOME, XDG folders and database passed through `env -i`, so nothing of the machine's or the
test runner's environment (TERM, COLORTERM, NO_COLOR, data) leaks in and `pytest -n 2` is
safe. The screen is polled with a deadline; a failure shows the last screen.
"""

from __future__ import annotations

import os
import random
import secrets
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.screen_read import big_clock, cells, hues, invisible, notice_problem, seconds_of
from tests.tmux_pane import TmuxPane

pytestmark = [
    pytest.mark.slow,  # seconds each: a real tmux and real time
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal"),
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)"
    ),
]

HIPMOB = Path(sys.executable).with_name("hipmob")
"""The console script this venv installed: what a user runs, not `python -m`."""

ROUTINES = """\
exercises:
  - id: tmux-hold
    name: Tmux Hold
    phase: restore
    purpose: A two-second hold, to try the runner in a real terminal.
    steps: [Sit tall., Hold still and breathe.]
    cues: [Breathe out slowly.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 2, per_side: true}
    source: added
  - id: tmux-long-hold
    name: Tmux Long Hold
    phase: restore
    purpose: A hold long enough to resize the terminal during it, however slow the machine.
    steps: [Kneel on one knee., Shift forward and hold.]
    cues: [Breathe out slowly.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 540, per_side: false}
    source: added
routines:
  - id: tmux-quick
    name: Tmux Quick
    description: One two-second hold on each side.
    pauses: {get_ready: 1, side_switch: 1}
    items:
      - exercise: tmux-hold
  - id: tmux-long
    name: Tmux Long
    description: One long hold.
    pauses: {get_ready: 1}
    items:
      - exercise: tmux-long-hold
"""


@dataclass
class User:
    """One person's machine: a HOME, XDG folders, a database and a folder of routines."""

    folder: Path
    home: Path
    db: Path
    routines: Path

    def env(self, term: str | None = "xterm-256color", no_color: bool = False) -> dict[str, str]:
        variables = {
            "PATH": os.environ.get("PATH", os.defpath),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "HIPMOB_DB": str(self.db),
        }
        if term is not None:
            variables["TERM"] = term
        if no_color:
            variables["NO_COLOR"] = "1"
        return variables

    def command(self, *args: str, term: str | None, no_color: bool, status: Path) -> str:
        """The pane's shell command: `env -i` so only these variables reach hipmob; its exit
        status goes to a file (tmux 3.3a may never report it, see TmuxPane)."""
        settings = [f"{name}={value}" for name, value in self.env(term, no_color).items()]
        hipmob = [str(HIPMOB), "--routines", str(self.routines), *args]
        return (
            f"{shlex.join(['env', '-i', *settings, *hipmob])}; echo $? >{shlex.quote(str(status))}"
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A command line run by the same user, output to a pipe."""
        return subprocess.run(
            [str(HIPMOB), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )


class Pane(TmuxPane):
    """A TmuxPane that can also be resized, read with its colours, and tell how hipmob ended."""

    def __init__(
        self, user: User, *args: str, size: tuple[int, int], term: str | None, no_color: bool
    ) -> None:
        self.status = user.folder / f"status-{secrets.token_hex(4)}"
        command = user.command(*args, term=term, no_color=no_color, status=self.status)
        super().__init__(command, user.folder, *size)

    def running(self) -> bool:
        return not self.status.exists()

    def exit_status(self, timeout: float = 15) -> int:
        """hipmob's exit status, once it has ended."""
        deadline = time.monotonic() + timeout
        while not (written := self.status.read_text() if self.status.exists() else ""):
            if time.monotonic() > deadline:
                raise AssertionError(f"hipmob never ended; the screen:\n{self.screen()}")
            time.sleep(0.05)
        return int(written)

    def resize(self, width: int, height: int) -> None:
        self._tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def everything(self) -> str:
        """The screen and all that scrolled off it (a message, a traceback after the end)."""
        return self._tmux("capture-pane", "-p", "-S", "-", "-t", "t")

    def coloured(self) -> str:
        """The screen with tmux's SGR codes for each cell's colours and attributes."""
        return self._tmux("capture-pane", "-p", "-e", "-t", "t")

    def press_and_settle(self, key: str, quiet: float = 0.3, timeout: float = 10) -> None:
        """Press `key`, then wait until the screen (colours too) has not changed for `quiet`.

        As a person does before the next key: the app reads a key that comes before the
        last one's effect (focus moved, a scroll done) with the old state, and an Escape
        with a key less than 0.1 s behind it as alt+key.
        """
        self.press(key)
        shown, since = self.coloured(), time.monotonic()
        deadline = since + timeout
        while time.monotonic() - since < quiet:
            if time.monotonic() > deadline:
                raise AssertionError(f"after {key} the screen never settled:\n{self.screen()}")
            time.sleep(0.05)
            if (now := self.coloured()) != shown:
                shown, since = now, time.monotonic()


@pytest.fixture
def user(tmp_path: Path) -> User:
    if not HIPMOB.exists():
        pytest.fail(f"no {HIPMOB}: install the project first (pip install -e '.[test]')")
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "tmux.yaml").write_text(ROUTINES)
    home = tmp_path / "home"
    home.mkdir()
    return User(tmp_path, home, db=tmp_path / "data" / "hipmob.json", routines=routines)


@pytest.fixture
def panes() -> Iterator[list[Pane]]:
    """Panes started by a test; every tmux server is ended afterwards, pass or fail."""
    started: list[Pane] = []
    yield started
    for pane in started:
        pane.close()


def start(
    panes: list[Pane],
    user: User,
    *args: str,
    size: tuple[int, int] = (100, 30),
    term: str | None = "xterm-256color",
    no_color: bool = False,
) -> Pane:
    """`hipmob ARGS` in a new pane of `size`."""
    pane = Pane(user, *args, size=size, term=term, no_color=no_color)
    panes.append(pane)
    return pane


def detail(screen: str) -> str:
    """The Library's right-hand pane: what is right of the divider on each line."""
    return "\n".join(line.split("▎", 1)[1] for line in screen.splitlines() if "▎" in line)


def in_detail(*texts: str) -> Callable[[str], bool]:
    return lambda shown: all(text in detail(shown) for text in texts)


# -- a whole day's use -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("size", [(100, 30), (60, 20)], ids=["100x30", "60x20"])
def test_browse_run_a_routine_with_pain_scores_then_see_it_in_history_and_streak(
    user: User, panes: list[Pane], size: tuple[int, int]
) -> None:
    app = start(panes, user, size=size)
    app.wait_for("hipmob — Library", "RESET  calm protective", "360° Diaphragmatic")
    app.wait_until(in_detail("360° Diaphragmatic", "How to"), "the first exercise's detail")

    # Browse: the detail follows the highlight.
    app.press("Down")
    app.wait_until(in_detail("Foam Roll / Lacrosse"), "the second exercise's detail")

    # Find our own exercise by name, open its detail and scroll it to the cues.
    app.press_and_settle("/")  # in one burst, "/tmux" would send "tmux" to the list
    app.press("-l", "tmux")
    app.press("Enter")
    app.wait_until(in_detail("Tmux Hold", "A two-second hold"), "Tmux Hold's detail")
    app.press_and_settle("Enter")  # into the detail pane: its background lightens
    app.press_and_settle("End")
    app.wait_until(
        in_detail("Hold still and breathe.", "Cues", "Breathe out slowly."), "the scrolled detail"
    )
    app.press_and_settle("Escape")  # back to the list, the filter kept

    # Its routine, from the routines list, run with r.
    app.press("t")
    app.wait_until(in_detail("Tmux Quick", "One two-second hold"), "the routine's detail")
    app.press("r")
    app.wait_for("Pain right now?", "Tmux Quick")  # the question names the routine
    app.press("6")
    app.wait_for("WORK", "left side")
    app.wait_until(lambda shown: big_clock(shown) in ("0:02", "0:01"), "the hold's timer")
    # The summary is drawn under the question a frame after it on a busy machine: wait for both.
    app.wait_for("Pain now, after the session?", "Session complete", timeout=20)
    app.press("2")
    summary = app.wait_for("Pain       6→2", "Saved. Streak 1 day")
    assert "Tmux Hold  1/1 sets" in summary and "Active     6 s (planned 6 s)" in summary

    app.press("h")
    app.wait_for("hipmob — History", "Streak 1 day")

    def session_row(shown: str) -> str | None:
        return next((x for x in shown.splitlines() if "Tmux Quick" in x and "6→2" in x), None)

    # The header can come a frame before the table's rows on a busy machine: wait for both.
    history = app.wait_until(lambda shown: session_row(shown) is not None, "the session's row")
    row = session_row(history)
    assert row is not None and "✓" in row, history

    app.press("q")
    assert app.exit_status() == 0, app.screen()
    assert "Traceback" not in app.everything()

    streak = user.cli("streak")
    assert streak.returncode == 0 and "Streak      1 day (longest 1)" in streak.stdout
    listing = user.cli("history")
    (session,) = [line for line in listing.stdout.splitlines() if "Tmux Quick" in line]
    assert "  completed  " in session and "6→2" in session, listing.stdout


# -- every kind of terminal --------------------------------------------------------------------


@pytest.mark.parametrize("term", ["xterm-256color", "tmux-256color", "linux", "vt100", None])
def test_the_library_is_legible_and_answers_keys_in_every_terminal(
    user: User, panes: list[Pane], term: str | None
) -> None:
    """With and without NO_COLOR, started side by side. TERM unset works: Textual reads no
    terminfo and writes the same xterm-style codes for any TERM."""
    plain = start(panes, user, term=term, no_color=True)
    coloured = start(panes, user, term=term)
    for app in (plain, coloured):
        app.wait_for("hipmob — Library", "RESET  calm protective", "q Quit")
        app.wait_until(in_detail("360° Diaphragmatic", "How to"), "the first exercise's detail")
        app.press("Down")
        app.wait_until(in_detail("Foam Roll / Lacrosse"), "the second exercise's detail")
    for app, no_color in ((plain, True), (coloured, False)):
        screen = cells(app.coloured())
        assert invisible(screen) == [], invisible(screen)
        if no_color:
            assert hues(screen) == set(), "NO_COLOR still draws in colour"
        else:
            assert hues(screen), "no colour at all without NO_COLOR"
    for app in (plain, coloured):
        app.press("q")
        assert app.exit_status() == 0, app.screen()


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
def test_a_dumb_terminal_is_refused_with_a_clear_message(
    user: User, panes: list[Pane], no_color: bool
) -> None:
    app = start(panes, user, term="dumb", no_color=no_color)
    assert app.exit_status() == 2, app.everything()
    screen = " ".join(app.everything().split())
    assert "hipmob: terminal: this terminal (TERM=dumb) cannot show the app." in screen
    assert "TERM=xterm-256color" in screen and "Traceback" not in screen
    assert "\x1b" not in app.coloured().replace("\x1b[0m", "")  # not even a colour


# -- sizes -------------------------------------------------------------------------------------

TINY = [(1, 1), (1, 12), (2, 1), (40, 1), (5, 3), (7, 2), (8, 2), (18, 2), (19, 2), (24, 3)]
TINY += [(25, 3), (12, 12), (30, 5), (40, 12), (59, 20), (60, 19)]


@pytest.mark.slow
def test_tiny_sizes_and_random_resizes_during_a_hold_pause_it_and_keep_time(
    user: User, panes: list[Pane]
) -> None:
    """Below 60×20 the notice and the hold waits; at any size no crash; space goes on.

    Every tiny size is followed by a full one, so each notice read is a fresh frame (tmux
    keeps the old one, cropped, until the app redraws). While the hold runs, the big timer
    keeps wall-clock time.
    """
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    sizes = TINY + [(rng.randint(1, 120), rng.randint(1, 40)) for _ in range(6)]
    app = start(panes, user, "run", "tmux-long")
    app.wait_for("Pain right now?")
    app.press("s")
    app.wait_for("WORK", "Tmux Long Hold")

    for width, height in sizes:
        # Waited for: the last size's frames may still be arriving (a notice drawn at the
        # new size for one frame before the app's resize handler ran).
        before = big_clock(
            app.wait_until(lambda shown: big_clock(shown) is not None, f"the runner (seed {seed})")
        )
        app.resize(width, height)
        app.wait_until(
            lambda shown, w=width, h=height: notice_problem(shown, w, h) is None,
            f"the right notice at {width}×{height} (seed {seed})",
            timeout=10,
        )
        assert app.running(), app.screen()
        app.resize(100, 30)
        if width >= 60 and height >= 20:  # a random size big enough: the hold ran on
            app.wait_until(lambda shown: "PAUSED" not in shown, "the hold running")
            continue
        if height < 2 or width < 8:
            # Nothing of the notice fits, so nothing shows the app drew this size before it
            # was undone: a busy machine may hand the app both resizes at once, and an app
            # that only ever saw 100×30 rightly runs on. Either way the screen is whole.
            shown = app.wait_until(
                lambda shown: big_clock(shown) is not None, f"the runner at 100×30 (seed {seed})"
            )
            if "PAUSED" not in shown:
                continue
        shown = app.wait_until(
            lambda shown: "PAUSED · WORK" in shown and big_clock(shown) is not None,
            f"the hold paused, back at 100×30 (seed {seed})",
        )
        paused = big_clock(shown)
        assert paused is not None and abs(seconds_of(paused) - seconds_of(before)) <= 2, (
            f"the hold ran on below 60×20: {before} then {paused} (seed {seed})"
        )
        app.press("space")
        start_at, start_clock = clock_change(app)  # running again, and on time:
        end_at, end_clock = clock_change(app)
        assert abs((start_clock - end_clock) - (end_at - start_at)) <= 0.5
    app.press("q")
    app.wait_for("End the session now?")
    app.press("y")
    app.wait_for("Saved as a partial session", "Pain now, after the session?")
    app.press("s")  # no score
    app.wait_for("Pain       not scored")
    app.press("q")
    assert app.exit_status() == 0, app.screen()
    assert "Traceback" not in app.everything()


def clock_change(app: Pane, timeout: float = 5) -> tuple[float, int]:
    """The moment the big timer next shows a new second, and that second.

    Whole seconds change at the same fraction of each second, so two such moments measure
    the timer to within the polling step.
    """
    before = big_clock(app.screen())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = big_clock(app.screen())
        if shown is not None and shown != before and before is not None:
            return time.monotonic(), seconds_of(shown)
        before = shown
        time.sleep(0.02)
    raise AssertionError(f"the timer never changed in {timeout} s; the screen:\n{app.screen()}")


def test_a_burst_of_keys_ending_in_ctrl_s_saves_all_that_was_typed(
    user: User, panes: list[Pane]
) -> None:
    """Over SSH a note and ctrl+s can arrive in one read: the note is saved whole.

    ctrl+s was a priority key, acted on as it arrived, before the letters just ahead of it
    reached the note field: "sore" was saved as "sor".
    """
    from hipmob_tui.history.store import Store

    app = start(panes, user)
    app.wait_for("Exercises")
    app.press_and_settle("h")
    app.wait_for("No sessions yet")
    app.press_and_settle("c")
    app.press_and_settle("m")
    app.wait_for("Mark ")
    app.press_and_settle("Tab")
    app.press("s", "o", "r", "e", "C-s")  # one send-keys: one write to the terminal
    app.wait_for("Marked ")
    (mark,) = Store(user.db).marks()
    assert mark.note == "sore"
    app.press("q")
    assert app.exit_status() == 0, app.screen()
