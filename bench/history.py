"""`h` (or `g`) pressed as soon as the Library is up, to History's rows (Progress's figures).

    python bench/history.py [--runs N]

In a real pty (100x30): `hipmob` on a database of 3,650 sessions on distinct days (made
with `hipmob import`) is launched, `h` is sent the moment the Library's first frame
("RESET") arrives (a person who knows what they want does not wait), and the time from
that key to the newest session's date on screen is taken. The reference is the first
frame (its first row) of ../shared/bench-ref/medium_app.py: a TabbedContent with a
3,650-row DataTable, launched in the same rounds. Peak memory (ru_maxrss) of each, once
every row is in, is shown beside it.

`g` is timed the same way, twice in one launch: to the Progress view's first paint (its
table titles, "Routines · pain", drawn before or with the figures: the figure issue 13
names), and on to its figures ("What helps", drawn once every session is read and summed
up). The app keeps a copy of the parsed sessions keyed by the bytes of the file's sessions
table, so `h` is also timed as the first start after a write of each kind, before each
launch: `hipmob mark` of a day long ago (the sessions are as they were: their copy is
used, and the rest of the file read) and `hipmob log` of a session long ago (added where
the sessions table closed: the copy is used, and the new session parsed). Each has a
file of its own, whose copy the warm-up launch made.

Targets: h to rows at most 0.4x the reference's first frame (issue 11); g to the Progress
view's first paint at most 0.4x (issue 13), and its figures held to the same; peak memory
with History open at most 1.3x the reference app's (issue 3).
"""

from __future__ import annotations

import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    TEN_YEARS,
    PtyApp,
    Row,
    alternate,
    bench_main,
    history,
    installed,
    median,
    ms,
    reference,
    run_process,
    scratch,
)

START_TIMEOUT = 30.0
LIBRARY = b"RESET"
PROGRESS = b"What helps"
PROGRESS_PAINTED = "Routines · pain".encode()  # a table's title: only Progress draws it
FILL = 1.5  # seconds after the first rows for the rest to come in, before peak memory


def measure(runs: int) -> list[Row]:
    app = installed()
    folder = scratch("history")
    env = app.env(folder / "home")
    db = history(TEN_YEARS)  # only read: History opens it, nothing is written
    newest = (date.today() - timedelta(days=1)).isoformat().encode()
    peaks: dict[str, list[int]] = {
        "hipmob": [],
        "reference": [],
        "after a write": [],
        "after a session": [],
    }
    changed = folder / "changed.json"  # a copy to write to: `db` is shared by the benches
    shutil.copyfile(db, changed)
    logged = folder / "logged.json"  # another, for sessions logged
    shutil.copyfile(db, logged)

    def rows_of(database: Path, peak: list[int]) -> float:
        pty = PtyApp([app.hipmob, "--db", str(database)], env, name="hipmob")
        try:
            pty.wait_for(LIBRARY, START_TIMEOUT)
            mark = len(pty.output)
            sent = pty.press(b"h")
            took = pty.wait_for(newest, START_TIMEOUT, since=mark) - sent
            pty.read_for(FILL)
        finally:
            peak.append(pty.close())
        return took

    def hipmob_rows() -> float:
        return rows_of(db, peaks["hipmob"])

    written = iter(range(1, 10_000))

    def hipmob_rows_after_a_write() -> float:
        day = date(1990, 1, 1) + timedelta(days=next(written))  # each launch a new change
        mark = [app.hipmob, "--db", str(changed), "mark", "rest", "--date", day.isoformat()]
        run_process(mark, env)
        return rows_of(changed, peaks["after a write"])

    def hipmob_rows_after_a_session() -> float:
        day = date(1990, 1, 1) + timedelta(days=next(written))
        log = [app.hipmob, "--db", str(logged), "log", "full-session", "--date", day.isoformat()]
        run_process(log, env)
        return rows_of(logged, peaks["after a session"])

    painted: list[float] = []

    def hipmob_progress() -> float:
        """g at once to the figures; the first paint of the same launch is kept aside."""
        pty = PtyApp([app.hipmob, "--db", str(db)], env, name="hipmob")
        try:
            pty.wait_for(LIBRARY, START_TIMEOUT)
            mark = len(pty.output)
            sent = pty.press(b"g")
            painted.append(pty.wait_for(PROGRESS_PAINTED, START_TIMEOUT, since=mark) - sent)
            return pty.wait_for(PROGRESS, START_TIMEOUT, since=mark) - sent
        finally:
            pty.close()

    def reference_frame() -> float:
        pty = PtyApp([sys.executable, reference("medium_app.py")], env, name="medium_app.py")
        try:
            took = pty.wait_for(b"2026-11-24", START_TIMEOUT)  # its first row
            pty.read_for(FILL)
        finally:
            peaks["reference"].append(pty.close())
        return took

    for database in (db, changed, logged):  # fill the caches: the copy of each
        app_warm = PtyApp([app.hipmob, "--db", str(database)], env, name="hipmob")
        app_warm.wait_for(LIBRARY, START_TIMEOUT)
        time.sleep(0.5)
        app_warm.close()
    reference_frame()  # unmeasured, as hipmob's start above
    peaks["reference"].clear()
    print(f"history: {runs} rounds ...", flush=True)
    times = alternate(
        {
            "hipmob": hipmob_rows,
            "after a write": hipmob_rows_after_a_write,
            "after a session": hipmob_rows_after_a_session,
            "progress": hipmob_progress,
            "reference": reference_frame,
        },
        runs,
    )
    rows_at_once, table = median(times["hipmob"]), median(times["reference"])
    progress_at_once = median(times["progress"])
    progress_painted = median(painted)
    after_write = median(times["after a write"])
    after_session = median(times["after a session"])
    peak, reference_peak = (max(peaks[n]) / 1024 for n in ("hipmob", "reference"))
    return [
        Row("history 10 y", "3,650-row DataTable app, first frame", ms(table), note="reference"),
        Row("history 10 y", "h at once to rows", ms(rows_at_once), rows_at_once / table, 0.4),
        Row(
            "history 10 y",
            "h at once, first start after a mark",
            ms(after_write),
            after_write / table,
            0.4,
        ),
        Row(
            "history 10 y",
            "h at once, first start after a session",
            ms(after_session),
            after_session / table,
            0.4,
        ),
        Row(
            "progress 10 y",
            "g at once to the first paint",
            ms(progress_painted),
            progress_painted / table,
            0.4,
        ),
        Row(
            "progress 10 y",
            "g at once to the figures",
            ms(progress_at_once),
            progress_at_once / table,
            0.4,
        ),
        Row("history 10 y", "DataTable app, peak memory", f"{reference_peak:.0f} MiB"),
        Row(
            "history 10 y",
            "History open, peak memory",
            f"{peak:.0f} MiB",
            peak / reference_peak,
            1.3,
        ),
    ]


if __name__ == "__main__":
    raise SystemExit(bench_main(__doc__, measure, runs=7))
