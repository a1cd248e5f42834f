"""The app's own parser (`hipmob`, `hipmob run ID`) answers as the whole one does.

`parse_args` parses the two command lines that start the app with a parser of `hipmob`
and `run` alone (the whole one takes 5-7 ms of the first frame to build); every other
command line goes to the whole parser. Whichever parses, the namespace, the help, the
errors and the exit codes must be the same.
"""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.cli.main import _starts_the_app, build_parser, parse_args

TOKENS = [
    "run",
    "desk-reset",
    "today",
    "--json",
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
            found: object = vars(parse(argv))  # type: ignore[operator]
            kind = "parsed"
        except SystemExit as leaving:
            found, kind = leaving.code, "exit"
    return kind, found, out.getvalue(), err.getvalue()


def whole(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["run", "desk-reset"],
        ["--db", "x.json"],
        ["--db=x.json", "--routines", "dir", "run", "desk-reset", "--routines", "dir"],
        ["run", "desk-reset", "--db", "x.json"],
        ["--db", "run"],  # a database named run: still the app
    ],
)
def test_the_app_s_command_lines_take_the_short_way_and_parse_alike(argv: list[str]) -> None:
    assert _starts_the_app(argv)
    assert outcome(parse_args, argv) == outcome(whole, argv)
    assert outcome(parse_args, argv)[0] == "parsed"


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["run"],
        ["run", "--help"],
        ["run", "a", "b"],
        ["--db"],
        ["--db", "-x"],
        ["--rout", "dir"],
        ["today"],
        ["--version"],
    ],
)
def test_other_command_lines_go_to_the_whole_parser(argv: list[str]) -> None:
    assert not _starts_the_app(argv)
    assert outcome(parse_args, argv) == outcome(whole, argv)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=6))
def test_any_command_line_gets_the_whole_parser_s_answer(argv: list[str]) -> None:
    assert outcome(parse_args, argv) == outcome(whole, argv)
