"""The `hipmob` command: every subcommand, and the start of the app (imported only when run)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from hipmob_tui import __version__
from hipmob_tui.cli.catalog import begin_catalog_load_for, load_catalog_for, no_routine
from hipmob_tui.cli.output import plural, print_json, print_table
from hipmob_tui.errors import HipmobError, UsageError, report
from hipmob_tui.fileio import LockTimeout, WriteFailed

TYPE_CHECKING = False  # typing costs the fast commands ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from typing import Any

    from hipmob_tui.content.models import Catalog, Exercise, Routine
    from hipmob_tui.paths import Paths

PHASES = ("reset", "restore", "rebuild")


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized without importing shutil (a cost on every fast command)."""

    def __init__(self, prog: str) -> None:
        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
        except (ValueError, OSError):
            columns = 80
        super().__init__(prog, width=max(40, columns - 2))


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser (and, by inheritance, every subparser) using _Formatter.

    A command's parser (`command=True`) reports its own unknown arguments, with its own
    usage line: argparse would hand them up to `hipmob`, whose usage says nothing about
    the command's options.
    """

    def __init__(self, *args: Any, command: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self.command = command

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and self.command:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def _global_options(
    parser: argparse.ArgumentParser, *, routines_dest: str = "routines", after: bool = False
) -> None:
    """--db and --routines (and --version): on `hipmob` itself, or (`after`) on a command.

    After a command they default to nothing at all (SUPPRESS), so a --db given before the
    command is not overwritten; --routines there goes to its own list (`routines_dest`),
    added to those given before, as argparse parses a command into a fresh namespace.
    """
    # A parser and an argument group share `add_argument`, but their common base class is
    # private to argparse: hold the bound method instead of naming that type.
    add_argument: Callable[..., argparse.Action] = parser.add_argument
    if after:
        add_argument = parser.add_argument_group(
            "global options (before or after the command)"
        ).add_argument
    else:
        add_argument("--version", action="version", version=f"hipmob {__version__}")
    add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS if after else None,
        help="history database file (default: user data dir; env HIPMOB_DB)",
    )
    add_argument(
        "--routines",
        dest=routines_dest,
        metavar="DIR",
        action="append",
        default=argparse.SUPPRESS if after else [],
        help="extra folder or file of YAML exercises and routines; repeatable "
        "(env HIPMOB_ROUTINES)",
    )


def _command(commands: Any, parent: argparse.ArgumentParser, name: str, **kwargs: Any) -> Any:
    """A command's parser, taking the global options after it too (from `parent`)."""
    return commands.add_parser(name, parents=[parent], command=True, **kwargs)


class _Commands:
    """The commands' parsers, only one of them built (`only`), or all (None).

    Each command's parser costs argparse about 0.2 ms to build, and every start paid for
    all 27 (5-7 ms: a third of `python -c pass`, before `hipmob streak` did anything, and
    as much of the app's first frame). The others are taken by `_Unbuilt` and dropped.
    """

    def __init__(self, real: Any, only: str | None) -> None:
        self.real = real
        self.only = only
        self.built = False
        """Whether the command asked for (`only`) was among those added."""

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if self.only is not None and name != self.only:
            return _UNBUILT
        self.built = True
        return self.real.add_parser(name, **kwargs)


class _Unbuilt:
    """A command's parser not built this time: whatever is asked of it is dropped."""

    def __getattr__(self, name: str) -> Callable[..., _Unbuilt]:
        return self.drop

    def drop(self, *args: Any, **kwargs: Any) -> _Unbuilt:
        return self


_UNBUILT = _Unbuilt()


def _command_in(argv: Sequence[str]) -> str | None:
    """The command `argv` names ("" for none: the app), when only --db and --routines
    (each with its value) come before it; None when the whole parser must answer: help or
    the version asked for before any command, an option it alone can tell (an
    abbreviation, a typo), a value that looks like an option.
    """
    args = iter(argv)
    for arg in args:
        if arg in ("--db", "--routines"):
            value = next(args, None)
            if value is None or value.startswith("-"):
                return None
        elif not arg.startswith(("--db=", "--routines=")):
            return None if arg.startswith("-") or not arg else arg
    return ""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line parsed (errors and help as argparse gives them: it exits), with
    only the parser of the command it names built (see `_Commands`).

    tests/test_cli_parse.py holds this to the whole parser's answers.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    only = _command_in(argv)
    parser, commands = _parser(only)
    if only and not commands.built:  # not a command: the whole parser lists them
        parser = build_parser()
    return parser.parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    return _parser(None)[0]


def _parser(only: str | None) -> tuple[argparse.ArgumentParser, _Commands]:
    """`hipmob`'s parser with every command (`only` None), or one ("" for none)."""
    parser = _Parser(
        prog="hipmob",
        description="Guided hip-mobility routines for low back pain (RESET, RESTORE, REBUILD), "
        "with an honest local record. Run with no command to start the app.",
    )
    _global_options(parser)
    late = _Parser(add_help=False)
    _global_options(late, routines_dest="routines_after", after=True)
    commands = _Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), only)
    run = _command(
        commands,
        late,
        "run",
        help="start the app straight into a routine",
        description="Start the app straight into ROUTINE_ID (see 'hipmob routines').",
    )
    run.add_argument("routine_id", metavar="ROUTINE_ID")
    # `hipmob routines show ID --routines DIR`: the action's own list, so one given between
    # 'routines' and 'show' is kept too.
    later = _Parser(add_help=False)
    _global_options(later, routines_dest="routines_after_action", after=True)

    exercises = _command(
        commands,
        late,
        "exercises",
        help="list the exercise library",
        description="List the exercise library, grouped RESET, RESTORE, REBUILD.",
    )
    exercises.add_argument("--phase", choices=PHASES, help="only this phase")
    exercises.add_argument("--json", action="store_true", help="print JSON instead of a table")
    checks = _command(
        commands,
        late,
        "checks",
        help="list the self-checks",
        description="List the self-checks: short tests you score yourself, before and after "
        "a routine or on their own ('hipmob check ID').",
    )
    checks.add_argument("--json", action="store_true", help="print JSON instead of a table")
    check = _command(
        commands,
        late,
        "check",
        help="show a self-check, or record a result of it",
        description="Without --value: show the check's instructions, its scale and its latest "
        "results. With --value: record one result (on one side, for a check scored per side).",
    )
    check.add_argument("check_id", metavar="ID", help="the check (see 'hipmob checks')")
    check.add_argument("--value", metavar="N", help="the score, within the check's scale")
    check.add_argument(
        "--side", choices=("left", "right"), help="the side, for a check scored per side"
    )
    check.add_argument(
        "--date",
        type=_typed_day,
        metavar="D",
        help="with --value: the day, YYYY-MM-DD, today or yesterday (default today)",
    )
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(command_error=check.error)

    routines = _command(
        commands,
        late,
        "routines",
        help="list, show or validate routines",
        description="List or show routines, or validate routine files.",
    )
    routine_commands = routines.add_subparsers(dest="routines_command", metavar="ACTION")
    listing = _command(
        routine_commands,
        later,
        "list",
        help="list routines (the default)",
        description="List every routine.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    show = _command(
        routine_commands,
        later,
        "show",
        help="show one routine",
        description="Show one routine and its exercises.",
    )
    show.add_argument("routine_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    validate = _command(
        routine_commands,
        later,
        "validate",
        help="check YAML files, listing every problem",
        description="Check YAML exercise and routine files. Exit 0 when all are valid, "
        "1 with every problem listed as FILE:LINE:COL.",
    )
    validate.add_argument(
        "files", metavar="FILE", nargs="+", type=Path, help="a YAML file, or a folder of them"
    )
    validate.add_argument(
        "--with-installed",
        action="store_true",
        help="also report ids that your installed routine files define too (by default a "
        "file checked replaces them, as a draft of an installed file would)",
    )
    routines.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_history_commands(commands, late)
    _add_serve_command(commands, late)
    return parser, commands


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(
            f"a port is a whole number from 1 to 65535 (0 for any free one), not {text!r}"
        )
    return int(text)


def _public_url(text: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        has_host = bool(parts.hostname)
    except ValueError:
        has_host = False
    if parts.scheme not in ("http", "https") or not has_host or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a web address like https://tablet-proxy.example:8443/hipmob"
        )
    return text.rstrip("/")


def _grace(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"seconds from 0 to 3600, not {text!r}")
    return seconds


def _add_serve_command(commands: Any, late: argparse.ArgumentParser) -> None:
    from hipmob_tui.serving import DEFAULT_GRACE_SECONDS, DEFAULT_PORT

    serve = _command(
        commands,
        late,
        "serve",
        help="the app in a web browser, for a tablet or a phone on the floor",
        description="Serve the app to a web browser (needs the web extra: pip install "
        "'hipmob[web]'). Prints one address with a secret token; open it in one browser tab. "
        "Only this computer can connect unless --host says otherwise, and anyone who has "
        "the address can use your history.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1, this computer only; 0.0.0.0 "
        "for every network it is on)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"the port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    serve.add_argument(
        "--public-url",
        type=_public_url,
        metavar="URL",
        help="the address the browser uses, when it is not this one (behind a proxy)",
    )
    serve.add_argument(
        "--keep-token",
        action="store_true",
        help="use the token kept in the config folder (made the first time) instead of a "
        "new one, so a bookmark keeps working",
    )
    # How long the app outlives a dropped connection; the tests' knob, not a user's.
    serve.add_argument(
        "--grace", type=_grace, default=DEFAULT_GRACE_SECONDS, help=argparse.SUPPRESS
    )


def _typed_day(text: str) -> date:
    """A day as the log dialog reads it (`log --date`, `mark`, `history --since`): the
    future is refused later, where it matters."""
    from hipmob_tui.history.view import read_day

    try:
        return read_day(text, date.today())
    except ValueError as error:
        if str(error).startswith("write"):  # not the shape of a date at all
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a date; {error}, or today or yesterday"
            ) from None
        raise argparse.ArgumentTypeError(str(error)) from None


def _whole_number(name: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, named `name` when refused."""

    def read(text: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(
                f"{name} is a whole number from {low} to {high}, not {text!r}"
            )
        return int(text)

    return read


_pain = _whole_number("pain", 0, 10)
_minutes = _whole_number("minutes", 1, 600)
_explain_days = _whole_number("days", 1, 366)
_weeks = _whole_number("weeks", 1, 520)
_stage = _whole_number("stage", 1, 100)


def _mark_day(text: str) -> date:
    """A day of `mark` and `unmark`, read as `log --date` reads it (the future is allowed:
    a rest day can be planned)."""
    return _typed_day(text)


def _add_mark_commands(commands: Any, late: argparse.ArgumentParser) -> None:
    mark = _command(
        commands,
        late,
        "mark",
        help="mark a day (or days) rest, flare or away",
        description="Mark a day, or every day from --from to --to, as rest (planned), flare "
        "(pain flared) or away (travel, illness). A marked day without a completed session "
        "freezes the streak: it neither breaks it nor adds to it. Marking a marked day again "
        "changes its kind and note.",
    )
    mark.add_argument("kind", choices=("rest", "flare", "away"), help="the kind of day")
    unmark = _command(
        commands,
        late,
        "unmark",
        help="remove the mark of a day (or days)",
        description="Remove the mark of a day, or of every day from --from to --to.",
    )
    for parser in (mark, unmark):
        parser.add_argument(
            "--date",
            type=_mark_day,
            metavar="D",
            help="the day: YYYY-MM-DD, today or yesterday (default today)",
        )
        parser.add_argument("--from", dest="first", type=_mark_day, metavar="D", help="first day")
        parser.add_argument("--to", dest="last", type=_mark_day, metavar="D", help="last day")
        parser.set_defaults(command_error=parser.error)
    mark.add_argument("--note", default="", metavar="TEXT", help="a note, e.g. why")


def _add_plan_commands(commands: Any, late: argparse.ArgumentParser) -> None:
    plan = _command(
        commands,
        late,
        "plan",
        help="the program you follow: its stage, and why",
        description="Show the program you follow, the stage you are in and the figures "
        "behind its rules (what moves you on, what would step you back), or follow or stop "
        "one. The stage is worked out from your history each time, never stored.",
    )
    plan.add_argument("--json", action="store_true", help="print JSON")
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    follow = _command(
        actions,
        late,
        "follow",
        help="follow a program (one at a time)",
        description="Follow PROGRAM_ID from today (or --date), from its first stage (or "
        "--stage). Following another program replaces the one you follow.",
    )
    follow.add_argument("program_id", metavar="PROGRAM_ID")
    follow.add_argument("--stage", type=_stage, default=1, metavar="N", help="start at stage N")
    stop = _command(
        actions,
        late,
        "stop",
        help="stop following a program",
        description="Stop following a program from today (or --date); your sessions are kept.",
    )
    for parser in (follow, stop):
        parser.add_argument(
            "--date",
            type=_typed_day,
            metavar="D",
            help="the day: YYYY-MM-DD, today or yesterday (default today)",
        )


def _marked_days(args: argparse.Namespace) -> list[date]:
    """The days `mark` or `unmark` name; a usage error (exit 2) when they do not add up."""
    from hipmob_tui.cli.marks import MAX_RANGE_DAYS, days_between

    error: Callable[[str], Any] = args.command_error
    if args.date is not None and (args.first is not None or args.last is not None):
        error("give --date or --from and --to, not both")
    if (args.first is None) != (args.last is None):
        error("--from and --to go together: give both (or --date for one day)")
    if args.first is None:
        return [args.date or date.today()]
    if args.first > args.last:
        error(f"--from {args.first} is after --to {args.last}")
    if (args.last - args.first).days + 1 > MAX_RANGE_DAYS:
        error(f"a range is at most {MAX_RANGE_DAYS} days; mark a long time in parts")
    days: list[date] = days_between(args.first, args.last)
    return days


def _add_history_commands(commands: Any, late: argparse.ArgumentParser) -> None:
    streak = _command(
        commands,
        late,
        "streak",
        help="your streak, fast (for prompts and SSH)",
        description="Show the current and longest streak and this week against the goal.",
    )
    streak.add_argument("--json", action="store_true", help="print JSON")
    form = streak.add_mutually_exclusive_group()
    form.add_argument("--short", action="store_true", help="one tiny token, like 3d")
    form.add_argument(
        "--explain",
        action="store_true",
        help="the last days, one a line: what happened and what it did to the streak",
    )
    streak.add_argument(
        "--days",
        type=_explain_days,
        metavar="N",
        help="with --explain: how many days, up to today (default 14)",
    )
    streak.set_defaults(command_error=streak.error)
    today = _command(
        commands,
        late,
        "today",
        help="what to do today, fast (for prompts and the MOTD)",
        description="Suggest a routine for today, in one line, with the week and the streak. "
        "After a flare day, or a session that raised your pain by 2 or more (or began at 7 "
        "or more), a RESET-only routine; otherwise the routine done least recently. Nothing "
        "on a day marked rest or away.",
    )
    today.add_argument("--json", action="store_true", help="print JSON")
    today.add_argument("--short", action="store_true", help="a few words, like Desk Reset")
    _add_mark_commands(commands, late)
    _add_plan_commands(commands, late)
    history = _command(
        commands,
        late,
        "history",
        help="list past sessions",
        description="List past sessions, newest first (in every format).",
    )
    history.add_argument(
        "--since", type=_typed_day, metavar="YYYY-MM-DD", help="only from this date"
    )
    history.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output format (default table); each lists newest first",
    )
    log = _command(
        commands,
        late,
        "log",
        help="record a session you did without the app",
        description="Record a completed session of ROUTINE_ID, e.g. one you forgot to run.",
    )
    log.add_argument("routine_id", metavar="ROUTINE_ID")
    log.add_argument(
        "--date",
        type=_typed_day,
        metavar="YYYY-MM-DD",
        help="the day: a date, today or yesterday (default today)",
    )
    log.add_argument("--minutes", type=_minutes, metavar="N", help="how long (default: planned)")
    log.add_argument("--pain-before", type=_pain, metavar="N", help="pain before, 0-10")
    log.add_argument("--pain-after", type=_pain, metavar="N", help="pain after, 0-10")
    log.add_argument("--note", default="", metavar="TEXT", help="a note")
    export = _command(
        commands,
        late,
        "export",
        help="write every session to a JSON file",
        description="Write every session to FILE as JSON (- for standard output).",
    )
    export.add_argument("file", metavar="FILE")
    import_ = _command(
        commands,
        late,
        "import",
        help="merge sessions from an export",
        description="Merge sessions from FILE, made by 'hipmob export' (- for standard input). "
        "For each session the newest version stays, whichever side made it: an edit or a "
        "deletion made later wins, and importing twice changes nothing.",
    )
    import_.add_argument("file", metavar="FILE")
    import_.add_argument(
        "--dry-run", action="store_true", help="say what would change, and write nothing"
    )
    sync = _command(
        commands,
        late,
        "sync",
        help="one history here and on another machine, over ssh",
        description="Merge this history and the one on HOST both ways over ssh, so that both "
        "end the same: of each session the newest version stays, so an edit or a deletion "
        "made later wins, on either machine. HOST needs hipmob installed; nothing else runs or "
        "listens there. When nothing changed on either side, nothing is written.",
    )
    sync.add_argument("host", metavar="[USER@]HOST", help="as ssh takes it")
    sync.add_argument(
        "--remote-db", metavar="PATH", help="the history file on HOST (default: its own default)"
    )
    sync.add_argument(
        "--ssh",
        metavar="CMD",
        help="the ssh command and its options, e.g. 'ssh -p 2222 -i ~/.ssh/home' (default ssh)",
    )
    progress = _command(
        commands,
        late,
        "progress",
        help="what helps: pain change per routine and exercise",
        description="Show, per routine and per exercise, how pain changed over the sessions "
        "scored before and after (median, with how many), and the weekly trend.",
    )
    progress.add_argument(
        "--weeks", type=_weeks, default=12, metavar="N", help="weeks of trend (default 12)"
    )
    progress.add_argument("--json", action="store_true", help="print JSON")
    report = _command(
        commands,
        late,
        "report",
        help="a report for a clinician (HTML or Markdown)",
        description="Write a report of the last weeks for a clinician: adherence and a "
        "calendar, pain before and after, pain change per routine, exercises as done, "
        "session notes and the health note. One self-contained HTML page (no scripts, "
        "no network; prints on A4 or Letter), or Markdown.",
    )
    report.add_argument(
        "--weeks", type=_weeks, default=8, metavar="N", help="weeks to cover (default 8)"
    )
    report.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="where to write it; - for standard output (default hipmob-report-DATE.html "
        "in the current folder)",
    )
    report.add_argument(
        "--format",
        choices=("html", "md"),
        help="html or md (default html, or md when FILE ends in .md)",
    )
    _command(
        commands,
        late,
        "doctor",
        help="check the history file and recover a damaged one",
        description="Report the history file's health. A damaged file is kept aside and every "
        "readable session is recovered into a fresh one.",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parse_args(argv)
    try:
        return _dispatch(args)
    except HipmobError as error:
        return report(error)
    except (WriteFailed, LockTimeout) as error:
        return report(HipmobError(str(error)))
    except BrokenPipeError:
        # `hipmob exercises | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # The net under every file the commands touch: a sentence, never a traceback.
        return report(HipmobError(_os_error_line(error)))
    except KeyboardInterrupt:
        return 130


def _os_error_line(error: OSError) -> str:
    from hipmob_tui.fileio import os_reason

    name = error.filename
    path = Path(os.fsdecode(name)) if isinstance(name, str | bytes) else None
    reason = os_reason(error, path)
    return f"{path}: {reason}" if path is not None else reason


def _dispatch(args: argparse.Namespace) -> int:
    from hipmob_tui import paths

    # --routines given before the command, after it, and after a 'routines' action, in order.
    extra = [
        *args.routines,
        *getattr(args, "routines_after", []),
        *getattr(args, "routines_after_action", []),
    ]
    where = paths.resolve(args.db, extra)
    if args.command is None:
        return _start_app(where, served=_served())
    if args.command == "run":
        return _start_app(where, args.routine_id)
    if args.command == "today":
        from hipmob_tui.cli.today import today

        return today(where, as_json=args.json, short=args.short)
    if args.command == "plan":
        from hipmob_tui.cli import plan

        if args.plan_command == "follow":
            return plan.follow(where, args.program_id, stage=args.stage, day=args.date)
        if args.plan_command == "stop":
            return plan.stop(where, day=args.date)
        return plan.show_plan(where, as_json=args.json)
    if args.command == "progress":
        from hipmob_tui.cli.progress import show_progress

        return show_progress(where, weeks=args.weeks, as_json=args.json)
    if args.command == "report":
        from hipmob_tui.cli.report import write_report

        return write_report(where, weeks=args.weeks, output=args.output, form=args.format)
    if args.command in _HISTORY_COMMANDS:
        return _history_command(where, args)
    if args.command == "sync":
        from hipmob_tui.cli.sync import sync

        return sync(where, args.host, remote_db=args.remote_db, ssh=args.ssh)
    if args.command == "serve":
        from hipmob_tui.cli.serve import serve

        return serve(
            where,
            routines=extra,
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            keep_token=args.keep_token,
            grace_seconds=args.grace,
        )
    if args.command == "exercises":
        return _exercises(load_catalog_for(where), args.phase, args.json)
    if args.command == "checks":
        return _checks(load_catalog_for(where), args.json)
    if args.command == "check":
        from hipmob_tui.cli import checks

        if args.value is None:
            if args.side is not None or args.date is not None:
                args.command_error("--side and --date go with --value")
            return checks.show(where, args.check_id, as_json=args.json)
        return checks.record(
            where, args.check_id, args.value, args.side, args.date, as_json=args.json
        )
    action = args.routines_command or "list"
    if action == "validate":
        return _validate(where, args.files, with_installed=args.with_installed)
    catalog = load_catalog_for(where)
    if action == "show":
        return _show_routine(catalog, args.routine_id, args.json)
    return _list_routines(catalog, args.json)


_HISTORY_COMMANDS = ("streak", "history", "log", "export", "import", "doctor", "mark", "unmark")


def _history_command(where: Paths, args: argparse.Namespace) -> int:
    from hipmob_tui.cli import history as h

    if args.command == "streak":
        if args.days is not None and not args.explain:
            args.command_error("--days goes with --explain")
        return h.streak(
            where,
            as_json=args.json,
            short=args.short,
            explain=args.explain,
            days_shown=args.days or 14,
        )
    if args.command in ("mark", "unmark"):
        from hipmob_tui.cli import marks

        days = _marked_days(args)
        if args.command == "mark":
            return marks.mark(where, args.kind, days, args.note)
        return marks.unmark(where, days)
    if args.command == "history":
        return h.history(where, since=args.since, output=args.format)
    if args.command == "log":
        return h.log(
            where,
            args.routine_id,
            day=args.date,
            minutes=args.minutes,
            pain_before=args.pain_before,
            pain_after=args.pain_after,
            note=args.note,
        )
    if args.command == "export":
        return h.export(where, args.file)
    if args.command == "import":
        return h.import_(where, args.file, dry_run=args.dry_run)
    return h.doctor(where)


def _exercises(catalog: Catalog, phase: str | None, as_json: bool) -> int:
    chosen = [e for e in catalog.exercises.values() if phase is None or e.phase.value == phase]
    if as_json:
        print_json([exercise.to_json() for exercise in chosen])
        return 0
    rows = [
        (e.phase.title, e.id, e.name, e.dosage.describe(), ", ".join(e.equipment) or "-")
        for e in chosen
    ]
    print_table(("PHASE", "ID", "NAME", "DOSAGE", "EQUIPMENT"), rows)
    return 0


def _checks(catalog: Catalog, as_json: bool) -> int:
    if as_json:
        print_json([check.to_json() for check in catalog.checks.values()])
        return 0
    rows = [
        (
            c.id,
            c.name,
            f"{c.scale.low}–{c.scale.high} {c.unit}",
            c.better,
            "each side" if c.per_side else "-",
        )
        for c in catalog.checks.values()
    ]
    print_table(("ID", "NAME", "SCALE", "BETTER", "SIDES"), rows)
    return 0


def _list_routines(catalog: Catalog, as_json: bool) -> int:
    from hipmob_tui.content.models import format_duration

    if as_json:
        print_json([routine.to_json() for routine in catalog.routines.values()])
        return 0
    rows = [
        (
            r.id,
            r.name,
            format_duration(r.estimated_seconds),
            " → ".join(p.title for p in r.phases),
            _source_label(r),
        )
        for r in catalog.routines.values()
    ]
    print_table(("ID", "NAME", "TIME", "PHASES", "SOURCE"), rows)
    return 0


def _source_label(routine: Routine) -> str:
    if routine.overrides_builtin:
        return "user (replaces built-in)"
    return routine.source


def _show_routine(catalog: Catalog, routine_id: str, as_json: bool) -> int:
    from hipmob_tui.content.models import format_duration

    routine = catalog.routines.get(routine_id)
    if routine is None:
        raise no_routine(routine_id, catalog)
    if as_json:
        print_json(routine.to_json())
        return 0
    print(f"{routine.name}  ({routine.id}, {_source_label(routine)})")
    print(
        f"about {format_duration(routine.estimated_seconds)} · "
        + " → ".join(p.title for p in routine.phases)
    )
    if routine.description:
        print(routine.description)
    print()
    if routine.checks_before:
        print(f"    check before: {_check_names(catalog, routine.checks_before)}")
    for number, item in enumerate(routine.items, start=1):
        exercise: Exercise = catalog.exercises[item.exercise_id]
        print(f"{number:>2}. {item.phase.title:<8} {exercise.name} — {item.dosage.describe()}")
    if routine.checks_after:
        print(f"    check after:  {_check_names(catalog, routine.checks_after)}")
    return 0


def _check_names(catalog: Catalog, ids: Sequence[str]) -> str:
    return ", ".join(catalog.checks[i].name if i in catalog.checks else i for i in ids)


def _validate(where: Paths, files: list[Path], *, with_installed: bool = False) -> int:
    from hipmob_tui.content.loading import load_catalog
    from hipmob_tui.content.problems import Problem
    from hipmob_tui.paths import builtin_routines_dir, routine_files

    # A folder stands for its YAML files; a file named twice is read once.
    given: set[Path] = set()
    checked: list[Path] = []
    problems: list[Problem] = []
    for path in files:
        inside = routine_files(path) if path.is_dir() else [path]
        if not inside:
            problems.append(
                Problem(str(path), 1, 1, "", "is a folder with no .yaml files; name a routine file")
            )
        for file in inside:
            if file.resolve() not in given:
                given.add(file.resolve())
                checked.append(file)
    others = [
        f for d in where.routine_sources for f in routine_files(d) if f.resolve() not in given
    ]
    # The installed files are read (a file may use their exercises), but a file checked
    # replaces their definitions, as it would if installed in their place: unless asked,
    # a draft copy of an installed file is not its duplicate.
    catalog = load_catalog(
        routine_files(builtin_routines_dir()),
        [*others, *checked] if with_installed else others,
        required=checked,
        checked=() if with_installed else checked,
    )
    names = {str(path) for path in checked}
    problems = sorted([*problems, *(p for p in catalog.problems if p.file in names)])
    for problem in problems:
        print(problem)
    bad = {problem.file for problem in problems}
    count = len(checked) + len(bad - names)
    if problems:
        print(
            f"{plural(len(problems), 'problem')} in {len(bad)} of {plural(count, 'file')}",
            file=sys.stderr,
        )
        return 1
    print(f"{plural(count, 'file')} valid")
    return 0


def _served() -> bool:
    """Whether this is the app `hipmob serve` started, to draw in a browser."""
    from hipmob_tui.serving import SERVED_ENV

    return os.environ.get(SERVED_ENV) == "1" and "web_driver" in os.environ.get(
        "TEXTUAL_DRIVER", ""
    )


def _known_routine(routine_id: str, catalog: Catalog) -> None:
    """Raise NotFound (with the likely id meant) unless `routine_id` is in `catalog`."""
    from hipmob_tui.content.filters import routine_by_id

    if routine_by_id(routine_id, catalog.routines, catalog.exercises) is None:
        raise no_routine(routine_id, catalog)


def _start_app(where: Paths, routine_id: str | None = None, *, served: bool = False) -> int:
    # The served app has no terminal: its standard input and output are pipes to the
    # server, which relays them to the browser (Textual's web driver).
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Which end is not one: `hipmob | less` has a terminal, but not for its output.
        which = (
            "its output goes to a pipe or a file"
            if sys.stdin.isatty()
            else "its input comes from a pipe or a file"
            if sys.stdout.isatty()
            else "this is not one"
        )
        raise UsageError(
            f"the app needs a terminal, and {which}. Over SSH use 'ssh -t'; "
            "for plain output try 'hipmob exercises' or 'hipmob routines'.",
            title="no terminal",
        )
    # Textual reads no terminfo: with TERM unset it draws as in any xterm-like terminal
    # (test_e2e_tmux). TERM=dumb says the terminal cannot move the cursor (an editor's
    # shell buffer, a CI log): the app would fill it with escape codes.
    if not served and os.environ.get("TERM") == "dumb":
        raise UsageError(
            "this terminal (TERM=dumb) cannot show the app. Run hipmob in a terminal "
            "emulator, or set TERM if yours can do more, e.g. TERM=xterm-256color; "
            "'hipmob exercises' and 'hipmob routines' print plain text anywhere.",
            title="terminal",
        )
    # No collections while the catalog and Textual are imported: every object made from
    # here to the first frame lives as long as the app (frozen below, then collected as
    # usual).
    gc.disable()
    loading = begin_catalog_load_for(where)
    if routine_id is not None and loading.ready:
        _known_routine(routine_id, loading.catalog())  # an unknown one fails before Textual
    from hipmob_tui.ui.app import HipmobApp, RoutineApp

    catalog = loading.catalog()  # on a cold start, read meanwhile by a helper process
    if routine_id is not None:
        _known_routine(routine_id, catalog)

    # Everything imported so far (Textual, Rich, the catalog) lives as long as the process:
    # frozen, the collector stops walking it again and again while the first frame is built
    # (collections were 40-60 ms of a start, 20 ms after this).
    gc.freeze()
    gc.enable()
    app = (
        HipmobApp(catalog, where)
        if routine_id is None
        else RoutineApp(catalog, where, start_routine=routine_id)
    )
    app.run()
    return app.return_code or 0
