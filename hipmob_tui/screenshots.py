"""Regenerate screenshots/ from the real app: `python -m hipmob_tui.screenshots`."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

from hipmob_tui.content import load_catalog, routine_files
from hipmob_tui.paths import builtin_routines_dir

SIZE = (100, 30)
SHOTS: list[tuple[str, list[str]]] = [
    ("library", []),
    ("library-rebuild", ["3", "down"]),
    ("library-routines", ["t"]),
    ("help", ["question_mark"]),
]
"""File name, and the keys pressed before the picture."""


async def _take(out: Path) -> list[Path]:
    from hipmob_tui.ui.app import HipmobApp

    catalog = load_catalog(routine_files(builtin_routines_dir()), [])
    written = []
    for name, keys in SHOTS:
        app = HipmobApp(catalog)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*keys)
            await pilot.pause(0.3)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
        written.append(out / f"{name}.svg")
    return written


def main() -> int:
    """Write every SVG, and a PNG beside each when rsvg-convert is installed."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    converter = shutil.which("rsvg-convert")
    for svg in asyncio.run(_take(out)):
        if converter:
            subprocess.run([converter, str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
        print(svg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
