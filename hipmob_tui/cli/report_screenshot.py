"""Regenerate screenshots/report.png from the demo history, in headless Chromium.

    python -m hipmob_tui.cli.report_screenshot [FOLDER]

The same demo history as the app's screenshots (`cli/screenshots.py`), the same day; the
report is rendered as `hipmob report` renders it, then photographed by the browser.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hipmob_tui.cli.browser import find_chromium, screenshot
from hipmob_tui.content.loading import load_catalog
from hipmob_tui.history.demo import demo_sessions
from hipmob_tui.history.report import build_report
from hipmob_tui.history.report_html import render_html
from hipmob_tui.paths import builtin_routines_dir, routine_files

DEMO_TODAY_ISO = "2026-11-24"
DEMO_DAYS = 240
SIZE = (1000, 1900)
"""Wide enough for the page's column, tall enough for the header, adherence and pain."""


def demo_report_html() -> str:
    """The report of the demo history, as `hipmob report` would write it on the demo's day."""
    from datetime import date

    today = date.fromisoformat(DEMO_TODAY_ISO)
    catalog = load_catalog(routine_files(builtin_routines_dir()), [])
    return render_html(build_report(demo_sessions(catalog, today, DEMO_DAYS), today, 8))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")
    chromium = find_chromium()
    if chromium is None:
        print("chromium is not installed: no report.png", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(demo_report_html(), encoding="utf-8")
        screenshot(chromium, page, out / "report.png", SIZE)
    print(out / "report.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
