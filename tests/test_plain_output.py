"""Plain output: no escape byte from the command line to a pipe or with NO_COLOR, and none
from the app when it is started without a terminal on both ends.

The installed `hipmob` script is run as a user runs it, with a TERM that claims colours; a
pseudo-terminal stands in for the user's terminal where one end must be a TTY.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

HIPMOB = Path(sys.executable).with_name("hipmob")

# Files with escapes in them, raw or written as YAML's \e: refused, with a warning on every
# command that reads them; the warning must not replay the escape.
EVIL = """\
routines:
  - id: evil
    name: "Evil \\e[31mred\\e[0m \\e]0;title\\a routine"
    description: "\\e[2J cleared?"
    items:
      - exercise: bird-dog
"""
RAW_ESCAPE = (
    "routines:\n  - id: raw\n    name: Raw \x1b[31m red\n    items:\n      - exercise: bird-dog\n"
)


@dataclass
class Setup:
    env: dict[str, str]
    folder: Path


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    """A user with one session logged, user routines with escapes in them, and a TERM, a
    COLORTERM and FORCE_COLOR that would tempt any colour library."""
    if not HIPMOB.exists():
        pytest.fail(f"no {HIPMOB}: install the project first (pip install -e '.[test]')")
    routines = tmp_path / "home" / ".config" / "hipmob" / "routines"
    routines.mkdir(parents=True)
    (routines / "evil.yaml").write_text(EVIL)
    (routines / "raw.yaml").write_text(RAW_ESCAPE)
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
        "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share"),
        "XDG_CACHE_HOME": str(tmp_path / "home" / ".cache"),
        "HIPMOB_DB": str(tmp_path / "data" / "hipmob.json"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "FORCE_COLOR": "1",
        "CLICOLOR_FORCE": "1",
    }
    logged = subprocess.run(
        [HIPMOB, "log", "desk-reset", "--pain-before", "5", "--pain-after", "2", "--note", "ok"],
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert logged.returncode == 0, logged.stderr
    return Setup(env, tmp_path)


def commands(folder: Path) -> list[tuple[list[str], int]]:
    """Every kind of output: tables, JSON, CSV, help, warnings and errors, with its exit code."""
    missing_db = str(folder / "nowhere" / "hipmob.json")
    return [
        (["--help"], 0),
        (["streak", "--help"], 0),
        (["log", "--help"], 0),
        (["routines", "validate", "--help"], 0),
        (["streak"], 0),
        (["streak", "--json"], 0),
        (["streak", "--short"], 0),
        (["today"], 0),
        (["today", "--json"], 0),
        (["today", "--short"], 0),
        (["history"], 0),
        (["history", "--format", "csv"], 0),
        (["history", "--format", "json"], 0),
        (["export", "-"], 0),
        (["doctor"], 0),
        (["exercises"], 0),
        (["exercises", "--phase", "rebuild", "--json"], 0),
        (["routines"], 0),
        (["routines", "show", "desk-reset"], 0),
        (["routines", "show", "desk-reset", "--json"], 0),
        (["routines", "validate", str(folder / "home" / ".config" / "hipmob" / "routines")], 1),
        (["routines", "show", "nope"], 1),
        (["--db", missing_db, "streak"], 0),  # "no history yet at PATH"
        (["log", "nope"], 1),
        (["log", "desk-reset", "--pain-before", "11"], 2),
        (["exercises", "--phase", "stretchy"], 2),
        (["no-such-command"], 2),
        (["--version"], 0),
    ]


def test_the_command_line_to_a_pipe_writes_no_escape_byte(setup: Setup) -> None:
    def run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [HIPMOB, *args],
            env=setup.env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )

    cases = commands(setup.folder)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, [args for args, _ in cases]))
    for (args, code), done in zip(cases, results, strict=True):
        shown = f"hipmob {' '.join(args)}: {done.stdout!r} {done.stderr!r}"
        assert done.returncode == code, shown
        assert done.stdout or done.stderr, shown
        assert b"\x1b" not in done.stdout + done.stderr, shown
        assert b"Traceback" not in done.stderr, shown
    by_args = {" ".join(args): done for (args, _), done in zip(cases, results, strict=True)}
    assert b"Streak      1 day" in by_args["streak"].stdout
    warnings = by_args["routines"].stderr
    assert b"evil.yaml:3:11: routines[evil].name: control character U+001B" in warnings
    assert b"raw.yaml:3:15: control character U+001B in the file" in warnings


def test_the_command_line_in_a_terminal_with_no_color_writes_no_escape_byte(
    setup: Setup,
) -> None:
    env = {**setup.env, "NO_COLOR": "1"}
    cases = commands(setup.folder)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda args: in_a_terminal(args, env), [a for a, _ in cases]))
    for (args, code), (status, output) in zip(cases, results, strict=True):
        shown = f"hipmob {' '.join(args)}: {output!r}"
        assert status == code, shown
        assert output and b"\x1b" not in output, shown


@pytest.mark.parametrize(
    ("stdin", "stdout"),
    [("tty", "pipe"), ("null", "tty"), ("pipe", "tty"), ("tty", "file")],
    ids=["hipmob|less", "hipmob<dev-null", "echo|hipmob", "hipmob>file"],
)
@pytest.mark.parametrize("args", [[], ["run", "desk-reset"]], ids=["app", "run"])
def test_the_app_with_one_end_not_a_terminal_says_so_at_once_in_plain_text(
    setup: Setup, tmp_path: Path, stdin: str, stdout: str, args: list[str]
) -> None:
    """Stdin and stdout with no TTY are covered in test_cli; here one of them is a TTY."""
    out_file = tmp_path / "out"
    with pty_pair() as (master, slave), out_file.open("wb") as file:
        ends = {"tty": slave, "pipe": subprocess.PIPE, "null": subprocess.DEVNULL, "file": file}
        started = time.monotonic()
        process = subprocess.Popen(
            [HIPMOB, *args],
            stdin=ends[stdin],
            stdout=ends[stdout],
            stderr=slave,
            env=setup.env,
            start_new_session=True,
        )
        os.close(slave)
        if process.stdin is not None:
            process.stdin.close()  # as `echo | hipmob`: nothing to read
        piped = process.stdout.read() if process.stdout is not None else b""
        status = process.wait(timeout=20)
        seconds = time.monotonic() - started
        terminal = read_all(master)
    written = terminal + piped + out_file.read_bytes()
    assert status == 2 and seconds < 10, (status, seconds, written)
    assert b"needs a terminal" in terminal and b"ssh -t" in terminal, written
    # It says which end is not a terminal: `hipmob | less` is run in one.
    which = b"its output goes to" if stdin == "tty" else b"its input comes from"
    assert which in terminal, written
    assert b"\x1b" not in written, written


# -- a pseudo-terminal -------------------------------------------------------------------------


@contextlib.contextmanager
def pty_pair() -> Iterator[tuple[int, int]]:
    """A 100×30 pseudo-terminal: (master, slave). The caller closes the slave once the child
    has it (then the master reads the end); the master is closed here. Never twice: with
    threads, a number closed twice may already be another thread's file."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        yield master, slave
    finally:
        os.close(master)


def read_all(master: int, quiet: float = 0.2) -> bytes:
    """What the terminal received, once nothing more has come for `quiet` seconds."""
    data = b""
    while select.select([master], [], [], quiet)[0]:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the other end is closed and drained
            break
        if not chunk:
            break
        data += chunk
    return data


def in_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """`hipmob ARGS` with stdin, stdout and stderr a terminal: its exit code and all it wrote."""
    with pty_pair() as (master, slave):
        process = subprocess.Popen(
            [HIPMOB, *args], stdin=slave, stdout=slave, stderr=slave, env=env
        )
        os.close(slave)
        output = b""
        while True:
            output += read_all(master, quiet=0.05)
            if process.poll() is not None:
                output += read_all(master, quiet=0.05)
                return process.returncode, output


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
def test_a_dumb_terminal_gets_the_message_and_not_one_escape_byte(
    setup: Setup, no_color: bool
) -> None:
    env = {**setup.env, "TERM": "dumb", **({"NO_COLOR": "1"} if no_color else {})}
    status, output = in_a_terminal([], env)
    assert status == 2 and b"this terminal (TERM=dumb) cannot show the app" in output, output
    assert b"\x1b" not in output, output
