"""`hipmob streak` on 10 and 100 years of history, whole process, against `python -c pass`.

Run: python bench/streak.py [--runs N]. Prints ratios measured in the same run.
Targets (issue 3): at most 5x on 3,650 sessions, 10x on 36,500.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import compiled_env, make_database, median_seconds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    env = compiled_env()
    hipmob = shutil.which("hipmob", path=str(Path(sys.executable).parent)) or "hipmob"
    baseline = median_seconds([sys.executable, "-c", "pass"], env, runs)
    print(f"python -c pass                      {baseline * 1000:7.1f} ms   1.00x")
    for sessions, target in ((3650, 5), (36500, 10)):
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "hipmob.json"
            make_database(db, sessions)
            size = db.stat().st_size / 1e6
            env_db = {**env, "HIPMOB_DB": str(db)}
            read_all = median_seconds(
                [sys.executable, "-c", f"import json; json.load(open({str(db)!r}))"], env_db, runs
            )
            subprocess.run([hipmob, "streak"], env=env_db, check=True, stdout=subprocess.DEVNULL)
            for label, argv in (
                ("streak", [hipmob, "streak"]),
                ("streak --short", [hipmob, "streak", "--short"]),
            ):
                took = median_seconds(argv, env_db, runs)
                verdict = "ok" if took / baseline <= target else f"OVER {target}x"
                print(
                    f"{label:<15} {sessions:>6} ({size:4.1f} MB)  {took * 1000:7.1f} ms  "
                    f"{took / baseline:5.2f}x  (target {target}x: {verdict})"
                )
            print(
                f"json.load whole file {sessions:>6}        {read_all * 1000:7.1f} ms  "
                f"{read_all / baseline:5.2f}x  (reference)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
