"""`hipmob streak` at 10 and 100 years, warm and first after a write, against `python -c pass`.

    python bench/streak.py [--runs N]

The histories hold one session a day on distinct days (3,650 and 36,500 days), made with
`hipmob import`. Each round, for each size: `hipmob log` (untimed: a write, as a finished
session makes), then `hipmob streak` (cold: the first call after the write), then
`hipmob streak` again (warm). `python -c pass` is timed in the same rounds. Whole
processes, wall time, medians.

Targets (issue 11): at 10 years at most 5x `python -c pass`, cold and warm; at 100 years
at most 10x warm and 15x cold.
"""

from __future__ import annotations

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


def measure(runs: int) -> list[Row]:
    app = installed()
    folder = scratch("streak")
    env = app.env(folder / "home")
    dbs = {count: copy_history(count, folder) for count in SIZES}
    baseline: list[float] = []
    cold: dict[int, list[float]] = {count: [] for count in SIZES}
    warm: dict[int, list[float]] = {count: [] for count in SIZES}
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
    base = median(baseline)
    rows = [Row("streak", "python -c pass", ms(base), note="reference")]
    for count, (label, warm_target, cold_target) in SIZES.items():
        for state, times, target in (
            ("warm", warm[count], warm_target),
            ("first after a write", cold[count], cold_target),
        ):
            took = median(times)
            rows.append(Row("streak", f"{label}, {state}", ms(took), took / base, target))
    return rows


if __name__ == "__main__":
    raise SystemExit(bench_main(__doc__, measure, runs=9))
