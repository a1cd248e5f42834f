"""`hipmob report`: the report for a clinician, written to a file (or standard output)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from hipmob_tui.cli.output import plural
from hipmob_tui.errors import HipmobError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.paths import Paths

SUFFIXES = {"html": ".html", "md": ".md"}


def format_for(output: str | None, chosen: str | None) -> str:
    """The format asked for, else the one the file name says (.md, .markdown), else html."""
    if chosen is not None:
        return chosen
    if output is not None and Path(output).suffix.lower() in (".md", ".markdown"):
        return "md"
    return "html"


def default_name(today: date, form: str) -> Path:
    """A dated name in the current folder, so reports of different days sit side by side."""
    return Path(f"hipmob-report-{today.isoformat()}{SUFFIXES[form]}")


def write_report(where: Paths, *, weeks: int, output: str | None, form: str | None) -> int:
    """Build the report of the last `weeks` weeks and write it; say where."""
    from hipmob_tui.cli.history import no_history
    from hipmob_tui.fileio import atomic_write
    from hipmob_tui.history.report import build_report
    from hipmob_tui.history.store import Store
    from hipmob_tui.settings import settings_or_defaults

    chosen = format_for(output, form)
    store = Store(where.db)
    if not store.exists():
        # Like the other read-only commands: say so, create nothing, exit 0.
        print(f"{no_history(where.db)}; nothing to report", file=sys.stderr)
        return 0
    today = date.today()
    settings = settings_or_defaults(where.settings)
    records, marks, _ = store.history()
    report = build_report(
        records,
        today,
        weeks,
        weekly_goal=settings.weekly_goal,
        marks={mark.date: mark.kind for mark in marks},
        max_rest_days_per_week=settings.max_rest_days_per_week,
        mark_notes={mark.date: mark.note for mark in marks if mark.note},
    )
    if chosen == "md":
        from hipmob_tui.history.report_markdown import render_markdown

        text = render_markdown(report)
    else:
        from hipmob_tui.history.report_html import render_html

        text = render_html(report)
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    target = Path(output) if output is not None else default_name(today, chosen)
    if not target.parent.is_dir():
        # atomic_write makes missing folders (right for hipmob's own data): a typo in a path
        # given here must not become a new folder tree.
        raise HipmobError(f"cannot write {target}: there is no folder {target.parent}")
    atomic_write(target, text.encode("utf-8"))
    print(
        f"Wrote the report of {plural(weeks, 'week')} ({report.first.isoformat()} to "
        f"{today.isoformat()}, {plural(report.sessions, 'session')}) to {target}"
    )
    return 0
