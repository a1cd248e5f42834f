"""The report in a real browser: headless Chromium prints it, photographs it, builds its DOM.

Skips, saying why, where Chromium or poppler-utils (pdfinfo, pdftotext) is not installed;
`.ci/run` installs both with apt-get.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from hipmob_tui.cli.browser import dump_dom, find_chromium, print_to_pdf, screenshot
from hipmob_tui.cli.report_screenshot import demo_report_html
from hipmob_tui.history.report import HEALTH_NOTE, build_report
from hipmob_tui.history.report_html import render_html
from tests.test_report import HOSTILE, TODAY, session

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.slow,  # a few seconds: Chromium starts three times
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
    ),
]
SECTIONS = (
    "Hip mobility: activity and pain",
    "Adherence",
    "Pain before and after sessions",
    "Pain change per routine",
    "Exercises and dosage as done",
    "Session notes",
    "A note on health",
)


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return found


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert CHROMIUM is not None
    folder = tmp_path_factory.mktemp("report")
    page = folder / "report.html"
    page.write_text(demo_report_html(), encoding="utf-8")
    pdf = folder / "report.pdf"
    print_to_pdf(CHROMIUM, page, pdf)
    return pdf


def test_the_demo_report_prints_on_a_few_pages_with_every_section(demo_pdf: Path) -> None:
    info = subprocess.run(
        [poppler("pdfinfo"), str(demo_pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert 2 <= pages <= 6, info
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", str(demo_pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    for heading in SECTIONS:
        assert heading in flat
    assert "8 weeks, Mon 5 Oct 2026 to Tue 24 Nov 2026" in flat
    assert "Desk Reset" in flat and "hips looser after the 90/90" in flat
    assert " ".join(HEALTH_NOTE.split()[:8]) in flat  # the health note, printed


def test_no_chart_is_cut_across_pages(demo_pdf: Path) -> None:
    """Both charts' captions are on the page their headings are on."""
    text = subprocess.run(
        [poppler("pdftotext"), str(demo_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    for heading, caption in (
        ("Adherence", "Bars: days with a completed session"),
        ("Pain before and after sessions", "Solid line, squares: before the session"),
    ):
        (holding,) = [n for n, page in enumerate(pages) if heading in page]
        assert caption in " ".join(pages[holding].split())


def test_hostile_notes_run_nothing_and_show_as_typed(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    records = [
        session(TODAY - timedelta(days=n), notes=note, routine=f"Routine {n} {note}")
        for n, note in enumerate(HOSTILE)
    ]
    page = tmp_path / "hostile.html"
    page.write_text(render_html(build_report(records, TODAY, 2)), encoding="utf-8")
    dom = dump_dom(CHROMIUM, page)
    assert "<script" not in dom.lower() and "<img" not in dom.lower()
    # In the serialized DOM a "<" of text is "&lt;": any "<tag ... on...=" is a real element.
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", dom, re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in dom
    assert '&lt;img src=x onerror="alert(3)"&gt;' in dom
    assert "<h1>big</h1>" not in dom and dom.count("<h1>") == 1
    # Every note is still in the notes table, one row each: no markup broke out of its cell.
    notes = dom.split("<h2>Session notes</h2>", 1)[1].split("</table>", 1)[0]
    assert notes.count('<td class="note">') == len(HOSTILE)


def test_the_screenshot_is_a_picture_of_the_page(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    page = tmp_path / "report.html"
    page.write_text(demo_report_html(), encoding="utf-8")
    png = tmp_path / "report.png"
    screenshot(CHROMIUM, page, png, (800, 600))
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20]), int.from_bytes(header[20:24])) == (800, 600)
