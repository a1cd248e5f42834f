"""The `hipmob` command: every subcommand, and the start of the app (imported only when run)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipmob_tui import __version__
from hipmob_tui.errors import HipmobError, NotFound, UsageError, report

if TYPE_CHECKING:
    from hipmob_tui.content import Catalog
    from hipmob_tui.models import Exercise, Routine
    from hipmob_tui.paths import Paths

PHASES = ("reset", "restore", "rebuild")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="hipmob",
        description="Guided hip-mobility routines for low back pain (RESET, RESTORE, REBUILD), "
        "with an honest local record. Run with no command to start the app.",
    )
    parser.add_argument("--version", action="version", version=f"hipmob {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="history database file (default: user data dir; env HIPMOB_DB)"
    )
    parser.add_argument(
        "--routines",
        metavar="DIR",
        action="append",
        default=[],
        help="extra folder or file of YAML exercises and routines; repeatable "
        "(env HIPMOB_ROUTINES)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    exercises = commands.add_parser(
        "exercises",
        help="list the exercise library",
        description="List the exercise library, grouped RESET, RESTORE, REBUILD.",
    )
    exercises.add_argument("--phase", choices=PHASES, help="only this phase")
    exercises.add_argument("--json", action="store_true", help="print JSON instead of a table")

    routines = commands.add_parser(
        "routines",
        help="list, show or validate routines",
        description="List or show routines, or validate routine files.",
    )
    routine_commands = routines.add_subparsers(dest="routines_command", metavar="ACTION")
    listing = routine_commands.add_parser(
        "list", help="list routines (the default)", description="List every routine."
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    show = routine_commands.add_parser(
        "show", help="show one routine", description="Show one routine and its exercises."
    )
    show.add_argument("routine_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    validate = routine_commands.add_parser(
        "validate",
        help="check YAML files, listing every problem",
        description="Check YAML exercise and routine files. Exit 0 when all are valid, "
        "1 with every problem listed as FILE:LINE:COL.",
    )
    validate.add_argument("files", metavar="FILE", nargs="+", type=Path)
    routines.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except HipmobError as error:
        return report(error)
    except BrokenPipeError:
        # `hipmob exercises | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from hipmob_tui import paths

    where = paths.resolve(args.db, args.routines)
    if args.command is None:
        return _start_app(where)
    if args.command == "exercises":
        return _exercises(_load(where), args.phase, args.json)
    action = args.routines_command or "list"
    if action == "validate":
        return _validate(where, args.files)
    catalog = _load(where)
    if action == "show":
        return _show_routine(catalog, args.routine_id, args.json)
    return _list_routines(catalog, args.json)


def _load(where: Paths, *, warn: bool = True) -> Catalog:
    """The catalog; problems in user files go to stderr (the app shows them itself)."""
    from hipmob_tui.content import load_catalog, routine_files
    from hipmob_tui.paths import builtin_routines_dir

    catalog = load_catalog(
        routine_files(builtin_routines_dir()), where.routine_sources, required=where.extra_routines
    )
    for problem in catalog.problems if warn else ():
        print(f"hipmob: warning: {problem}", file=sys.stderr)
    return catalog


def _exercises(catalog: Catalog, phase: str | None, as_json: bool) -> int:
    chosen = [e for e in catalog.exercises.values() if phase is None or e.phase.value == phase]
    if as_json:
        _print_json([exercise.to_json() for exercise in chosen])
        return 0
    rows = [
        (e.phase.title, e.id, e.name, e.dosage.describe(), ", ".join(e.equipment) or "-")
        for e in chosen
    ]
    _print_table(("PHASE", "ID", "NAME", "DOSAGE", "EQUIPMENT"), rows)
    return 0


def _list_routines(catalog: Catalog, as_json: bool) -> int:
    from hipmob_tui.models import format_duration

    if as_json:
        _print_json([routine.to_json() for routine in catalog.routines.values()])
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
    _print_table(("ID", "NAME", "TIME", "PHASES", "SOURCE"), rows)
    return 0


def _source_label(routine: Routine) -> str:
    if routine.overrides_builtin:
        return "user (replaces built-in)"
    return routine.source


def _show_routine(catalog: Catalog, routine_id: str, as_json: bool) -> int:
    from hipmob_tui.models import format_duration

    routine = catalog.routines.get(routine_id)
    if routine is None:
        known = ", ".join(catalog.routines) or "none"
        raise NotFound(f"no routine {routine_id!r}; known routines: {known}")
    if as_json:
        _print_json(routine.to_json())
        return 0
    print(f"{routine.name}  ({routine.id}, {_source_label(routine)})")
    print(
        f"about {format_duration(routine.estimated_seconds)} · "
        + " → ".join(p.title for p in routine.phases)
    )
    if routine.description:
        print(routine.description)
    print()
    for number, item in enumerate(routine.items, start=1):
        exercise: Exercise = catalog.exercises[item.exercise_id]
        print(f"{number:>2}. {item.phase.title:<8} {exercise.name} — {item.dosage.describe()}")
    return 0


def _validate(where: Paths, files: list[Path]) -> int:
    from hipmob_tui.content import load_catalog, routine_files
    from hipmob_tui.paths import builtin_routines_dir

    given = {path.resolve() for path in files}
    others = [
        f for d in where.routine_sources for f in routine_files(d) if f.resolve() not in given
    ]
    catalog = load_catalog(routine_files(builtin_routines_dir()), [*others, *files], required=files)
    names = {str(path) for path in files}
    problems = sorted(p for p in catalog.problems if p.file in names)
    for problem in problems:
        print(problem)
    bad = {problem.file for problem in problems}
    if problems:
        print(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in "
            f"{len(bad)} of {len(files)} file{'s' if len(files) != 1 else ''}",
            file=sys.stderr,
        )
        return 1
    print(f"{len(files)} file{'s' if len(files) != 1 else ''} valid")
    return 0


def _start_app(where: Paths) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the app needs a terminal, and this is not one. Over SSH use 'ssh -t'; "
            "for plain output try 'hipmob exercises' or 'hipmob routines'.",
            title="no terminal",
        )
    if os.environ.get("TERM", "") in ("dumb", ""):
        raise UsageError(
            "this terminal (TERM=dumb or unset) cannot show the app; "
            "set TERM, e.g. TERM=xterm-256color",
            title="terminal",
        )
    catalog = _load(where, warn=False)
    from hipmob_tui.ui.app import HipmobApp

    HipmobApp(catalog).run()
    return 0


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
