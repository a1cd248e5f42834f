"""`hipmob doctor` salvaging damaged files: linear in their size (issue 12, item 3).

    python bench/doctor.py [--runs N]

Each run puts a fresh damaged file in place and times `hipmob doctor`, which finds it
damaged, keeps it aside and salvages every readable session into a new file: random bytes
of 1, 2, 10 and 50 MiB (nothing to recover), and a 50 MiB database with 64 KiB of random
bytes written over its middle (every other session recovered, then written). The reference
is `json.load` of the undamaged 50 MiB database in a fresh Python, alternated with them.

Targets: doctor on 50 MiB of random bytes at most 4x that json.load (the issue asked for
2 s on its machine, where 2 MiB took 3.2 s and 50 MiB did not finish in 120 s), and each
MiB of random bytes from 10 to 50 MiB no dearer than from 1 to 10 (linear: at most 1.3x).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    Row,
    alternate,
    bench_main,
    installed,
    median,
    ms,
    run_process,
    scratch,
    sessions_document,
)

MIB = 2**20
RANDOM_SIZES = (1, 2, 10, 50)
"""MiB of random bytes."""
VALID_SIZE = 50
"""MiB of the mostly valid database."""


def valid_database(size: int) -> bytes:
    """A compact database as hipmob writes it, of about `size` MiB of sessions."""
    one = len(json.dumps(sessions_document(1, date.today())["sessions"][0]))
    count = size * MIB // one
    document = sessions_document(count, date.today() - timedelta(days=1))
    rows = {str(n + 1): session for n, session in enumerate(document["sessions"])}
    return json.dumps(
        {"meta": {"1": {"schema": 1}}, "sessions": rows}, ensure_ascii=False, separators=(",", ":")
    ).encode()


def measure(runs: int) -> list[Row]:
    app = installed()
    folder = scratch("doctor")
    env = app.env(folder / "home")
    randomness = random.Random(12)
    damaged = {f"random {size} MiB": randomness.randbytes(size * MIB) for size in RANDOM_SIZES}
    valid = valid_database(VALID_SIZE)
    middle = len(valid) // 2
    torn = valid[:middle] + randomness.randbytes(64 * 1024) + valid[middle + 64 * 1024 :]
    damaged[f"mostly valid {VALID_SIZE} MiB"] = torn
    reference = folder / "valid.json"
    reference.write_bytes(valid)
    load = [sys.executable, "-c", f"import json; json.load(open({str(reference)!r}, 'rb'))"]

    def doctor(name: str) -> float:
        place = folder / "db"
        shutil.rmtree(place, ignore_errors=True)
        place.mkdir()
        db = place / "hipmob.json"
        db.write_bytes(damaged[name])
        return run_process([app.hipmob, "--db", str(db), "doctor"], env)[0]

    probes = {name: (lambda name=name: doctor(name)) for name in damaged}
    probes["json.load"] = lambda: run_process(load, env)[0]
    print(f"doctor: {runs} rounds of {', '.join(damaged)} ...", flush=True)
    times = {name: median(found) for name, found in alternate(probes, runs).items()}
    shutil.rmtree(folder / "db", ignore_errors=True)
    base = times["json.load"]
    random_time = {size: times[f"random {size} MiB"] for size in RANDOM_SIZES}
    # Each MiB's own cost, the start of the process left out: from 1 to 10, from 10 to 50.
    small = (random_time[10] - random_time[1]) / 9
    large = (random_time[50] - random_time[10]) / 40
    reference = f"json.load of a valid {VALID_SIZE} MiB database"
    rows = [Row("doctor", reference, ms(base), note="reference")]
    for size in RANDOM_SIZES:
        name = f"random {size} MiB"
        target = 4.0 if size == 50 else None
        rows.append(Row("doctor", name, ms(times[name]), times[name] / base, target))
    name = f"mostly valid {VALID_SIZE} MiB"
    rows.append(
        Row("doctor", name, ms(times[name]), times[name] / base, note="salvages and writes it all")
    )
    rows.append(
        Row(
            "doctor",
            "random: a MiB from 10 to 50 / from 1 to 10",
            f"{large * 1000:.1f} / {small * 1000:.1f} ms",
            large / small,
            1.3,
        )
    )
    return rows


if __name__ == "__main__":
    raise SystemExit(bench_main(__doc__, measure, runs=3))
