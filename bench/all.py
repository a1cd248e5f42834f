"""Every bench in one run, then one table: each figure beside its reference and target.

    python bench/all.py [--quick]       (about 6 minutes; --quick about 2, for a smoke test)

Runs bench/startup.py, history.py, streak.py, export.py, runner.py, doctor.py, report.py,
sync.py and serve.py in this process, so they share one wheel install and one pair of
histories (made with `hipmob import`); each is also runnable alone, with its own --runs.
Within each bench, hipmob and its references alternate and medians are taken; all figures
are ratios against references measured in the same run. bench/checkpoint.py is not part of
it: it drives the session and store modules in-process, so it measures one version of
their API only.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SOURCE, MarkerTimeout, Row, installed, print_table  # noqa: E402

BENCHES = {
    "startup": 7,
    "history": 7,
    "streak": 9,
    "export": 5,
    "runner": 3,
    "doctor": 3,
    "report": 5,
    "sync": 5,
    "serve": 3,
}
"""Each bench and its rounds in a full run."""
QUICK = {
    "startup": 2,
    "history": 2,
    "streak": 2,
    "export": 1,
    "runner": 1,
    "doctor": 1,
    "report": 1,
    "sync": 1,
    "serve": 1,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="one or two rounds of each")
    rounds = QUICK if parser.parse_args().quick else BENCHES
    began = time.perf_counter()
    print(f"building and installing a wheel of {SOURCE} ...", flush=True)
    installed()
    rows: list[Row] = []
    for name, runs in rounds.items():
        try:
            rows += importlib.import_module(name).measure(runs)
        except (MarkerTimeout, subprocess.CalledProcessError) as failure:
            # A screen that changed its words, or a command that failed: say which, go on.
            rows.append(Row(name, "NOT MEASURED", "-", note=str(failure)))
    print(f"\nall benches, {time.perf_counter() - began:.0f} s:\n")
    print_table(rows)
    return 1 if any(row.what == "NOT MEASURED" for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
