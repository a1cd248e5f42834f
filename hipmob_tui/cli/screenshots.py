"""Regenerate screenshots/ from the real app: `python -m hipmob_tui.cli.screenshots`."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from hipmob_tui.content.loading import load_catalog
from hipmob_tui.history.demo import demo_check_results, demo_sessions
from hipmob_tui.history.records import PlanFact
from hipmob_tui.history.store import Store
from hipmob_tui.paths import builtin_routines_dir, resolve, routine_files
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.journal import Journal

SIZE = (100, 30)
SHOTS: list[tuple[str, list[str]]] = [
    ("library", []),
    ("library-rebuild", ["3", "down"]),
    ("library-routines", ["t"]),
    ("help", ["question_mark"]),
    ("history", ["h"]),
    ("history-calendar", ["h", "c", "left", "left", "down"]),
    ("progress", ["g"]),
    ("plan", ["f"]),
    ("check-before", ["run:full-session", "5", *"4", "enter", *"5"]),
    # Last: the summary adds a session to the demo history.
    ("session-picker", ["s"]),
    ("session-work", ["run:evening-wind-down", "6", "n", "n", "n", "n", "+12.4"]),
    ("session-rest", ["run:evening-wind-down", "6", "n", "n", "+6"]),
    # The glute release noted left in the pause after it, then on into the next exercise.
    (
        "session-summary",
        ["run:evening-wind-down", "6", "+130", "left_square_bracket", "+25", "q", "y", "3"],
    ),
]
"""File name, and the keys pressed before the picture: "run:ID" starts the app in that
routine (`hipmob run ID`), "+N" lets N seconds pass on the session clock."""


DEMO_TODAY = date(2026, 11, 24)
DEMO_DAYS = 240
SHOT_DAYS = {"session-picker": DEMO_TODAY + timedelta(days=1)}
"""Shots taken on another day than the demo's last: the picker the morning after, with
a routine still to do (and today's suggestion first)."""


async def _take(out: Path) -> list[Path]:
    from hipmob_tui.ui.app import HipmobApp, RoutineApp

    catalog = load_catalog(routine_files(builtin_routines_dir()), [])
    written = []
    with tempfile.TemporaryDirectory() as folder:
        paths = resolve(db=str(Path(folder) / "hipmob.json"), environ={"HOME": folder})
        store = Store(paths.db)
        sessions = demo_sessions(catalog, DEMO_TODAY, DEMO_DAYS)
        store.merge(sessions)
        store.add_check_results(demo_check_results(catalog, sessions, DEMO_TODAY))
        _mark_quiet_days(store, {s.date for s in sessions})
        # Following the shipped program for the last four months: the Library names the
        # stage, the picker suggests from it, and the Plan says why.
        since = DEMO_TODAY - timedelta(days=120)
        store.add_plan_fact(
            PlanFact(
                "plan-demo", since, "reset-restore-rebuild", 1, datetime(2026, 7, 27, tzinfo=UTC)
            )
        )
        for name, keys in SHOTS:
            clock = FakeClock(start=0.0)  # moves only when a shot says so
            routine = keys[0].removeprefix("run:") if keys and keys[0].startswith("run:") else None
            day = SHOT_DAYS.get(name, DEMO_TODAY)
            app = (
                HipmobApp(catalog, paths, today=partial(_same, day), clock=clock)
                if routine is None
                else RoutineApp(
                    catalog, paths, today=lambda: DEMO_TODAY, start_routine=routine, clock=clock
                )
            )
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause(0.1)
                for key in keys[1:] if routine else keys:
                    if key.startswith("+"):
                        clock.tick(float(key))
                        await pilot.pause(0.15)
                    else:
                        await pilot.press(key)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                await pilot.pause(0.3)
                app.save_screenshot(filename=f"{name}.svg", path=str(out))
            Journal(paths.db).clear()  # each shot starts afresh, with no session to resume
            written.append(out / f"{name}.svg")
    return written


def _same(day: date) -> date:
    return day


def _mark_quiet_days(store: Store, busy: set[date]) -> None:
    """A few of the demo's days without a session marked, as a person would mark them."""
    quiet = [DEMO_TODAY - timedelta(days=n) for n in range(1, 40)]
    quiet = [day for day in quiet if day not in busy]
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    store.set_marks(quiet[:1], "flare", "sciatica after gardening", now=now)
    store.set_marks(quiet[1:3], "rest", now=now)
    store.set_marks(quiet[3:4], "away", "conference", now=now)


def _to_png(converter: str, svg: Path) -> None:
    """A PNG beside the SVG; spaces kept (rsvg drops leading spaces of each text run)."""
    preserved = svg.with_suffix(".tmp.svg")
    preserved.write_text(svg.read_text().replace("<text ", '<text xml:space="preserve" '))
    try:
        subprocess.run([converter, str(preserved), "-o", str(svg.with_suffix(".png"))], check=True)
    finally:
        preserved.unlink()


def main() -> int:
    """Write every SVG, and a PNG beside each when rsvg-convert is installed."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    converter = shutil.which("rsvg-convert")
    for svg in asyncio.run(_take(out)):
        if converter:
            _to_png(converter, svg)
        print(svg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
