"""`hipmob streak` at 10 and 100 years, warm and first after a write, against `python -c pass`;
and `streak`, `streak --short`, `streak --explain` and `today` on ten years with day marks.

    python bench/streak.py [--runs N]

The histories hold one session a day on distinct days (3,650 and 36,500 days), made with
`hipmob import`. Each round, for each size: `hipmob log` (untimed: a write, as a finished
session makes), then `hipmob streak` (cold: the first call after the write), then
`hipmob streak` again (warm). `python -c pass` is timed in the same rounds. Whole
processes, wall time, medians.

The history with marks is the ten-year one with a mark every sixth day (608 marks: rest,
flare and away in turn, each with a short note), added with `hipmob import`.

Targets (issue 11): at 10 years at most 5x `python -c pass`, cold and warm; at 100 years
at most 10x warm and 15x cold. Issue 13: `streak`, `--short` and `--explain` on ten years
with marks at most 5x, cold and warm. Issue 14: `today` the same (its routine index in the
cache is written by one untimed call first, as any first use after installing writes it),
and `today` on the same history while following the shipped program for all ten years (the
stage is replayed from every session, so the whole history is read).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    HUNDRED_YEARS,
    TEN_YEARS,
    Row,
    bench_main,
    copy_history,
    installed,
    median,
    ms,
    run_process,
    scratch,
)

SIZES = {TEN_YEARS: ("10 y", 5.0, 5.0), HUNDRED_YEARS: ("100 y", 10.0, 15.0)}
"""Sessions: label, target warm, target cold."""
MARKED = {
    "streak": ["streak"],
    "streak --short": ["streak", "--short"],
    "streak --explain": ["streak", "--explain"],
    "today": ["today"],
}
"""On ten years with marks, each at most 5x cold and warm."""
FOLLOWING = {
    "today, following a program": ["today"],
    "streak, following a program": ["streak"],
}
"""On ten years with marks, following the shipped program all along (the per-day summary
then keeps the sessions since following began): each at most 5x cold and warm."""
PROGRAM = "reset-restore-rebuild"


def with_marks(db: Path, env: dict[str, str], app_hipmob: str) -> None:
    """Add a mark every sixth day of the ten years before today, with `hipmob import`."""
    kinds = ("rest", "flare", "away")
    today = date.today()
    marks = []
    for n, back in enumerate(range(3, TEN_YEARS, 6)):
        day = today - timedelta(days=back)
        marks.append(
            {
                "id": f"mark-bench-{n:05d}",
                "date": day.isoformat(),
                "kind": kinds[n % 3],
                "note": f"bench note {n}",
                "created_at": f"{day.isoformat()}T20:00:00+00:00",
                "updated_at": f"{day.isoformat()}T20:00:00+00:00",
            }
        )
    source = db.with_name("marks.json")
    source.write_text(json.dumps({"sessions": [], "marks": marks}))
    subprocess.run(
        [app_hipmob, "--db", str(db), "import", str(source)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    source.unlink()


def measure(runs: int) -> list[Row]:
    app = installed()
    folder = scratch("streak")
    env = app.env(folder / "home")
    dbs = {count: copy_history(count, folder) for count in SIZES}
    marked = copy_history(TEN_YEARS, folder / "marked")
    with_marks(marked, env, app.hipmob)
    # The routine index `today` keeps in the cache: written once, as on a first use.
    subprocess.run(
        [app.hipmob, "--db", str(marked), "today"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    baseline: list[float] = []
    cold: dict[int, list[float]] = {count: [] for count in SIZES}
    warm: dict[int, list[float]] = {count: [] for count in SIZES}
    following = copy_history(TEN_YEARS, folder / "following")
    with_marks(following, env, app.hipmob)
    since = (date.today() - timedelta(days=TEN_YEARS)).isoformat()
    subprocess.run(
        [app.hipmob, "--db", str(following), "plan", "follow", PROGRAM, "--date", since],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    marked_cold: dict[str, list[float]] = {name: [] for name in [*MARKED, *FOLLOWING]}
    marked_warm: dict[str, list[float]] = {name: [] for name in [*MARKED, *FOLLOWING]}
    print(f"streak: {runs} rounds ...", flush=True)
    for n in range(runs):
        baseline.append(run_process([sys.executable, "-c", "pass"], env)[0])
        for count, db in dbs.items():
            # A day of its own, long before the history: the days stay distinct.
            day = (date(1900, 1, 1) + timedelta(days=n)).isoformat()
            subprocess.run(
                [app.hipmob, "--db", str(db), "log", "full-session", "--date", day],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            cold[count].append(run_process([app.hipmob, "--db", str(db), "streak"], env)[0])
            warm[count].append(run_process([app.hipmob, "--db", str(db), "streak"], env)[0])
        timed = [(name, argv, marked) for name, argv in MARKED.items()]
        timed.extend((name, argv, following) for name, argv in FOLLOWING.items())
        for number, (name, argv, db) in enumerate(timed):
            day = (date(1900, 1, 1) + timedelta(days=n * len(timed) + number)).isoformat()
            subprocess.run(
                [app.hipmob, "--db", str(db), "log", "full-session", "--date", day],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            command = [app.hipmob, "--db", str(db), *argv]
            marked_cold[name].append(run_process(command, env)[0])
            marked_warm[name].append(run_process(command, env)[0])
    base = median(baseline)
    rows = [Row("streak", "python -c pass", ms(base), note="reference")]
    for count, (label, warm_target, cold_target) in SIZES.items():
        for state, times, target in (
            ("warm", warm[count], warm_target),
            ("first after a write", cold[count], cold_target),
        ):
            took = median(times)
            rows.append(Row("streak", f"{label}, {state}", ms(took), took / base, target))
    for name in [*MARKED, *FOLLOWING]:
        states = (("warm", marked_warm[name]), ("first after a write", marked_cold[name]))
        for state, times in states:
            took = median(times)
            rows.append(
                Row("streak", f"10 y with marks, {name}, {state}", ms(took), took / base, 5.0)
            )
    return rows


if __name__ == "__main__":
    raise SystemExit(bench_main(__doc__, measure, runs=9))
