"""`hipmob export` at 100 years: its time against `history --format json`, its memory
against a plain `json.load` of the database.

    python bench/export.py [--runs N]

36,500 sessions on distinct days, made with `hipmob import`. Alternated, medians of wall
time; peak memory is each child's ru_maxrss (largest of the runs). Targets (issue 11):
export at most 1.2x the time of `hipmob history --format json` (to /dev/null) and 1.5x
the memory of `python -c "import json; json.load(open(DB))"`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    HUNDRED_YEARS,
    Row,
    alternate,
    bench_main,
    history,
    installed,
    median,
    ms,
    run_process,
    scratch,
)


def measure(runs: int) -> list[Row]:
    app = installed()
    folder = scratch("export")
    env = app.env(folder / "home")
    db = history(HUNDRED_YEARS)  # only read here
    out = folder / "export.json"
    peaks: dict[str, list[int]] = {"export": [], "history": [], "json.load": []}
    commands = {
        "export": [app.hipmob, "--db", str(db), "export", str(out)],
        "history": [app.hipmob, "--db", str(db), "history", "--format", "json"],
        "json.load": [sys.executable, "-c", f"import json; json.load(open({str(db)!r}))"],
    }

    def probe(name: str) -> float:
        took, peak = run_process(commands[name], env)
        peaks[name].append(peak)
        return took

    print(f"export: {runs} rounds at 100 y ...", flush=True)
    times = alternate({name: (lambda name=name: probe(name)) for name in commands}, runs)
    size = db.stat().st_size / 2**20
    export, listing, load = (median(times[n]) for n in ("export", "history", "json.load"))
    peak = {name: max(found) / 1024 for name, found in peaks.items()}
    return [
        Row("export 100 y", "history --format json", ms(listing), note="reference (time)"),
        Row("export 100 y", "export, time", ms(export), export / listing, 1.2),
        Row(
            "export 100 y",
            f"json.load of the {size:.0f} MiB file",
            f"{peak['json.load']:.0f} MiB",
            note=f"reference (memory), {ms(load)}",
        ),
        Row(
            "export 100 y",
            "export, peak memory",
            f"{peak['export']:.0f} MiB",
            peak["export"] / peak["json.load"],
            1.5,
        ),
        Row(
            "export 100 y",
            "history --format json, peak memory",
            f"{peak['history']:.0f} MiB",
            peak["history"] / peak["json.load"],
            note="comparison",
        ),
    ]


if __name__ == "__main__":
    raise SystemExit(bench_main(__doc__, measure, runs=5))
