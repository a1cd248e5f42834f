"""Headless Chromium for the report: print it to PDF, take its picture, read its DOM.

Used by the browser tests and by `python -m hipmob_tui.cli.report_screenshot`; nothing a
user runs needs a browser. Chromium starts with a fresh profile and every background
service off, so it makes no network request of its own (the page makes none either).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)
TIMEOUT = 60.0


class BrowserFailed(RuntimeError):
    """Chromium exited with an error, or did not write what it was asked for."""


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) on PATH, if any."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(chromium: str, page: Path, *extra: str) -> str:
    """Chromium on `page` with `extra` flags, a throwaway profile; its standard output."""
    with tempfile.TemporaryDirectory(prefix="hipmob-chromium-") as profile:
        argv = [chromium, *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()]
        if os.geteuid() == 0:
            argv.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL
        )
    if done.returncode:
        raise BrowserFailed(f"{chromium} exited with {done.returncode}: {done.stderr[-400:]}")
    return done.stdout


def print_to_pdf(chromium: str, page: Path, pdf: Path) -> None:
    """Print `page` to `pdf` as a person would (the default paper, no header or footer)."""
    _run(chromium, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    if not pdf.is_file():
        raise BrowserFailed(f"{chromium} wrote no PDF at {pdf}")


def screenshot(chromium: str, page: Path, png: Path, size: tuple[int, int] = (1200, 1600)) -> None:
    """A PNG of the page's top `size` (width, height) in CSS pixels."""
    _run(chromium, page, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}")
    if not png.is_file():
        raise BrowserFailed(f"{chromium} wrote no screenshot at {png}")


def dump_dom(chromium: str, page: Path) -> str:
    """The DOM as Chromium built it from the page (serialized), after any script would run."""
    return _run(chromium, page, "--dump-dom")
