"""Launch to first frame of `hipmob` and `hipmob run ID`, warm and cold, against a bare app.

    python bench/startup.py [--runs N]

Seen on screen, in a real pty (100x30, xterm-256color): the time from launch until the
Library's "RESET" (`hipmob`), the pain question (`hipmob run bench`) or the bare Textual
app's label (../shared/bench-ref/bare_app.py) reaches the terminal. Three starts of each
hipmob command, alternated with the bare app in a new order every round:

- warm: a second start, every cache of hipmob's filled by the start before;
- cold, empty cache: the cache folder removed (the first start, or after an upgrade,
  which changes the version every cache is keyed on);
- cold, YAML edited: a user routine file rewritten, the rest of the cache kept.

Targets (issue 11): at most 1.3x the bare app warm, 1.4x cold.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PtyApp,
    Row,
    alternate,
    bench_main,
    bench_routine,
    installed,
    median,
    ms,
    reference,
    scratch,
)

START_TIMEOUT = 30.0
LIBRARY = b"RESET"  # the Library's first phase heading
PAIN = b"Pain right now"  # `hipmob run` asks before the first step


class Starts:
    """hipmob's starts in each cache state; every launch gets a database of its own."""

    def __init__(self) -> None:
        self.folder = scratch("startup")
        self.home = self.folder / "home"
        self.env = installed().env(self.home)
        self.routines = self.folder / "routines"
        self.routines.mkdir()
        self.edits = 0
        self.write_routine()
        self.launches = 0

    def write_routine(self) -> None:
        """Rewrite the user routine file (a new size each time): the catalog must be read."""
        self.edits += 1
        text = bench_routine(120, note="x" * (self.edits % 7 + 1))
        (self.routines / "bench.yaml").write_text(text)

    def launch(self, command: list[str], marker: bytes) -> float:
        self.launches += 1
        db = self.folder / f"db-{self.launches}" / "hipmob.json"
        argv = [installed().hipmob, "--db", str(db), "--routines", str(self.routines), *command]
        app = PtyApp(argv, self.env, name=" ".join(["hipmob", *command]))
        try:
            return app.wait_for(marker, START_TIMEOUT)
        finally:
            app.close()

    def probe(self, command: list[str], marker: bytes, state: str) -> Callable[[], float]:
        """One start in `state` (warm, empty or edited); a warm one follows an unmeasured start."""

        def start() -> float:
            if state == "empty":
                shutil.rmtree(self.home / "cache", ignore_errors=True)
            elif state == "edited":
                self.write_routine()
            else:
                self.launch(command, marker)  # whatever came before, the caches are now full
            return self.launch(command, marker)

        return start


def bare_first_frame(env: dict[str, str]) -> float:
    app = PtyApp([sys.executable, reference("bare_app.py")], env, name="bare_app.py")
    try:
        return app.wait_for(b"READY-MARK", START_TIMEOUT)
    finally:
        app.close()


STATES = {"warm": "warm", "empty": "cold, cache emptied", "edited": "cold, YAML edited"}


def measure(runs: int) -> list[Row]:
    starts = Starts()
    commands = {"hipmob": ([], LIBRARY), "hipmob run bench": (["run", "bench"], PAIN)}
    probes: dict[str, Callable[[], float]] = {"bare": lambda: bare_first_frame(starts.env)}
    for label, (command, marker) in commands.items():
        for state in STATES:
            probes[f"{label}|{state}"] = starts.probe(command, marker, state)
    print(f"startup: {runs} rounds of {len(probes)} starts ...", flush=True)
    probes["bare"]()  # unmeasured: the first launch of all reads Textual from disk
    times = alternate(probes, runs)
    bare = median(times["bare"])
    rows = [Row("first frame", "bare Textual app", ms(bare), note="reference")]
    for label in commands:
        for state, name in STATES.items():
            took = median(times[f"{label}|{state}"])
            rows.append(
                Row(
                    "first frame",
                    f"{label}, {name}",
                    ms(took),
                    took / bare,
                    1.3 if state == "warm" else 1.4,
                )
            )
    return rows


if __name__ == "__main__":
    raise SystemExit(bench_main(__doc__, measure, runs=7))
