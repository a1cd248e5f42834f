"""The runner over a slow link: bytes and CPU while a hold runs, silence when idle, launch time.

    python bench/session_bytes.py [--window SECONDS] [--runs N]

Against references measured in the same run (issue 4 targets):
- bytes/s and CPU while a timed step runs (TERM=xterm, 100x30): at most 1.2x the bytes and
  2x the CPU of a reference Textual countdown (bench/ref_countdown.py); termdown printed too;
- a paused session and an idle Library: 0 bytes;
- launch to first frame of `hipmob run ID` and of `hipmob`: at most 1.3x a bare Textual
  app (Header, Label, Footer), the first frame seen on screen, not at process exit.
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PtyApp, compiled_env  # noqa: E402

HERE = Path(__file__).resolve().parent
ROUTINE = """\
exercises:
  - id: bench-hold
    name: Bench Hold
    phase: restore
    purpose: Hold still for the benchmark.
    steps: [Hold the position.]
    cues: [Breathe.]
    equipment: []
    targets: [hips]
    dosage: {sets: 1, hold_seconds: 600, per_side: false}
    source: added
routines:
  - id: bench
    name: Bench
    description: One long hold.
    pauses: {get_ready: 0}
    items:
      - exercise: bench-hold
"""


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(app: PtyApp, seconds: float) -> int:
    """Read everything the app writes for `seconds`; returns the byte count."""
    count = 0
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([app.master], [], [], left)
        if ready:
            try:
                chunk = os.read(app.master, 1 << 16)
            except OSError:
                break
            count += len(chunk)
    return count


def measure(app: PtyApp, window: float) -> tuple[float, float]:
    """Bytes per second and CPU seconds per second over `window`."""
    drain(app, 1.0)  # settle
    began = cpu_seconds(app.process.pid)
    count = drain(app, window)
    return count / window, (cpu_seconds(app.process.pid) - began) / window


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--launch-only", action="store_true", help="only the first frames")
    args = parser.parse_args()
    env = compiled_env()
    hipmob = shutil.which("hipmob", path=str(Path(sys.executable).parent)) or "hipmob"
    termdown = shutil.which("termdown", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as folder:
        routines = Path(folder) / "routines"
        routines.mkdir()
        (routines / "bench.yaml").write_text(ROUTINE)
        env = {**env, "HIPMOB_DB": str(Path(folder) / "hipmob.json"), "HOME": folder}
        run_bench = [hipmob, "--routines", str(routines), "run", "bench"]

        if not args.launch_only:
            measure_running(env, run_bench, hipmob, termdown, args.window)
        launch_times(env, run_bench, hipmob, Path(folder), args.runs)
    return 0


def measure_running(
    env: dict[str, str],
    run_bench: list[str],
    hipmob: str,
    termdown: str | None,
    window: float,
) -> None:
    """Bytes and CPU while a hold runs, against the references; silence when idle."""
    reference = PtyApp([sys.executable, str(HERE / "ref_countdown.py")], env)
    reference.wait_for(b"Countdown")
    ref_bytes, ref_cpu = measure(reference, window)
    reference.close()

    app = PtyApp(run_bench, env)
    app.wait_for(b"Pain right now")
    app.press(b"s")
    app.wait_for(b"WORK")
    own_bytes, own_cpu = measure(app, window)
    app.press(b" ")
    drain(app, 1.0)
    paused = drain(app, 5.0)
    app.close()

    library = PtyApp([hipmob], env)
    library.wait_for(b"RESET")
    drain(library, 1.5)  # the history prefetch happens after the first frame
    idle = drain(library, 5.0)
    library.close()

    print(f"reference countdown  {ref_bytes:7.0f} B/s  CPU {ref_cpu * 100:5.1f}%")
    if termdown:
        other = PtyApp([termdown, "600"], env)
        drain(other, 1.0)
        td_bytes, td_cpu = measure(other, window)
        other.close()
        print(f"termdown             {td_bytes:7.0f} B/s  CPU {td_cpu * 100:5.1f}%")
    else:
        td_bytes = 0.0
        print("termdown             not installed (pip install termdown); skipped")
    print(f"hipmob, a hold       {own_bytes:7.0f} B/s  CPU {own_cpu * 100:5.1f}%")
    byte_ratio = own_bytes / ref_bytes
    cpu_ratio = own_cpu / ref_cpu if ref_cpu else float("inf")
    print(f"bytes: {byte_ratio:.2f}x the reference (target 1.2x: {_ok(byte_ratio <= 1.2)})")
    print(f"CPU:   {cpu_ratio:.2f}x the reference (target 2x: {_ok(cpu_ratio <= 2)})")
    if td_bytes:
        print(f"bytes: {own_bytes / td_bytes:.1f}x termdown (about 3.5x expected)")
    print(f"paused session, 5 s: {paused} bytes (target 0: {_ok(paused == 0)})")
    print(f"idle Library, 5 s:   {idle} bytes (target 0: {_ok(idle == 0)})")


def launch_times(
    env: dict[str, str], run_bench: list[str], hipmob: str, folder: Path, runs: int
) -> None:
    """First frames of `hipmob run` and `hipmob` against a bare Textual app."""
    bare, run_first, app_first = [], [], []
    for _ in range(runs):  # interleaved, so drift on this noisy machine hits all three
        probe = PtyApp([sys.executable, str(HERE / "ref_apps.py"), "bare"], env)
        bare.append(probe.wait_for(b"READY"))
        probe.close()
        # A killed run leaves a session to resume, and the offer would come first.
        (folder / "hipmob.json.session").unlink(missing_ok=True)
        probe = PtyApp(run_bench, env)
        run_first.append(probe.wait_for(b"WORK"))  # the runner, before its question
        probe.close()
        (folder / "hipmob.json.session").unlink(missing_ok=True)
        probe = PtyApp([hipmob], env)
        app_first.append(probe.wait_for(b"RESET"))
        probe.close()
    base = statistics.median(bare)
    print(f"bare Textual app, first frame   {base * 1000:5.0f} ms  (reference)")
    for name, times in (("hipmob run bench", run_first), ("hipmob", app_first)):
        ratio = statistics.median(times) / base
        print(
            f"{name:<16} first frame   {statistics.median(times) * 1000:5.0f} ms  "
            f"{ratio:.2f}x  (target 1.3x: {_ok(ratio <= 1.3)})"
        )


def _ok(good: bool) -> str:
    return "ok" if good else "OVER"


if __name__ == "__main__":
    raise SystemExit(main())
