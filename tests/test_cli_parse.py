"""A parser of the command named alone answers as the whole one does.

`parse_args` builds only the parser of the command a command line names (none for the
app): the whole one takes 5-7 ms to build, a third of `python -c pass`. Help before a
command, an abbreviation, a name that is no command go to the whole parser. Whichever
parses, the namespace, the help, the errors and the exit codes must be the same.
"""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.cli.main import _command_in, build_parser, parse_args

TOKENS = [
    "run",
    "desk-reset",
    "today",
    "streak",
    "routines",
    "show",
    "plan",
    "follow",
    "mark",
    "rest",
    "tody",
    "--json",
    "--short",
    "--date",
    "2026-01-02",
    "--db",
    "--db=x.json",
    "x.json",
    "--routines",
    "--routines=dir",
    "dir",
    "--rout",
    "-h",
    "--help",
    "--version",
    "-x",
    "--",
    "-",
    "",
]

Outcome = tuple[str, object, str, str]


def outcome(parse: object, argv: list[str]) -> Outcome:
    """What a person sees: the namespace, or the exit code, and both streams."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parsed = vars(parse(argv))  # type: ignore[operator]
            # A command's own error reporter rides along: equal if it is the same command's.
            found: object = {
                key: getattr(getattr(value, "__self__", None), "prog", value)
                for key, value in parsed.items()
            }
            kind = "parsed"
        except SystemExit as leaving:
            found, kind = leaving.code, "exit"
    return kind, found, out.getvalue(), err.getvalue()


def whole(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(argv)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], ""),
        (["run", "desk-reset"], "run"),
        (["--db", "x.json"], ""),
        (["--db=x.json", "--routines", "dir", "run", "desk-reset", "--routines", "dir"], "run"),
        (["run", "desk-reset", "--db", "x.json"], "run"),
        (["--db", "run"], ""),  # a database named run: still the app
        (["streak", "--short"], "streak"),
        (["routines", "show", "desk-reset", "--help"], "routines"),
        (["today", "-h"], "today"),
        (["tody"], "tody"),  # no such command: the whole parser says which there are
    ],
)
def test_a_command_line_naming_a_command_builds_its_parser_alone(
    argv: list[str], command: str
) -> None:
    assert _command_in(argv) == command
    assert outcome(parse_args, argv) == outcome(whole, argv)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["-h", "today"], ["--db"], ["--db", "-x"], ["--rout", "dir"], ["--version"]],
)
def test_help_or_options_before_any_command_go_to_the_whole_parser(argv: list[str]) -> None:
    assert _command_in(argv) is None
    assert outcome(parse_args, argv) == outcome(whole, argv)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=6))
def test_any_command_line_gets_the_whole_parser_s_answer(argv: list[str]) -> None:
    assert outcome(parse_args, argv) == outcome(whole, argv)
