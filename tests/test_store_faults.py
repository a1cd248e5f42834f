"""Crashes, kills, full disks and concurrent writers: no acknowledged session is ever lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hipmob_tui import fileio
from hipmob_tui.history.store import Store
from tests.test_store import record


class Crash(Exception):
    """Stands for the process dying right after a system call."""


def test_each_crash_point_leaves_old_or_new_and_the_order_is_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "hipmob.json"
    store = Store(db)
    store.add(record(1))
    store.add(record(2))  # the day's backup exists now, so the next add is one write
    before = db.read_bytes()
    real = {name: getattr(os, name) for name in ("open", "write", "fsync", "close", "replace")}

    def run_with_crash_after(limit: int | None) -> list[str]:
        calls: list[str] = []

        def wrap(name: str):  # type: ignore[no-untyped-def]
            def call(*args, **kwargs):  # type: ignore[no-untyped-def]
                result = real[name](*args, **kwargs)
                target = args[0]
                label = Path(target).name if isinstance(target, str | Path) else ""
                kind = "dir" if label == tmp_path.name else "tmp" if "tmp" in label else label
                calls.append(f"{name}:{kind}")
                if limit is not None and len(calls) == limit:
                    raise Crash
                return result

            return call

        for name in real:
            monkeypatch.setattr(fileio.os, name, wrap(name))
        try:
            fileio.atomic_write(db, before.replace(b"note 2", b"note X"))
        except (Crash, fileio.WriteFailed):
            pass
        finally:
            for name, function in real.items():
                monkeypatch.setattr(fileio.os, name, function)
        return calls

    order = run_with_crash_after(None)
    assert [c.split(":")[0] for c in order] == [
        "open",
        "write",
        "fsync",
        "close",
        "replace",
        "open",
        "fsync",
        "close",
    ]
    assert order.index("replace:tmp") > order.index("fsync:") > order.index("write:")
    assert order[-2].startswith("fsync") and order[-3] == "open:dir", (
        "the directory is fsynced after the rename"
    )
    for limit in range(1, len(order) + 1):
        db.write_bytes(before)
        run_with_crash_after(limit)
        now = db.read_bytes()
        assert now in (before, before.replace(b"note 2", b"note X")), f"crash after call {limit}"
        assert len(Store(db).sessions()) == 2


def test_full_disk_leaves_the_old_file_byte_identical(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    Store(db).merge([record(n) for n in range(1, 40)])
    Store(db).add(record(40))  # today's backup now exists: the next write is only the data file
    before = db.read_bytes()
    limit = len(before) + 200  # room for the old size, not for the new one
    child = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from hipmob_tui.cli.main import main
        notes = "x" * 2000
        sys.exit(main(["--db", {str(db)!r}, "log", "desk-reset", "--note", notes]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(db) in lines[0] and "the previous file is unchanged" in lines[0]
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    assert not fileio.stale_temp_files(tmp_path)


WORKER = """
import sys
from hipmob_tui.cli.main import main
db, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(count):
    code = main(["--db", db, "log", "desk-reset", "--note", f"{who}-{n}"])
    assert code == 0
"""


@pytest.mark.slow  # four real processes, two hundred locked writes
def test_four_processes_logging_fifty_each_keep_all_two_hundred(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), f"w{i}", "50"], stdout=subprocess.DEVNULL
        )
        for i in range(4)
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0, 0]
    notes = sorted(r.notes for r in Store(db).sessions())
    assert len(notes) == 200 and notes == sorted(f"w{i}-{n}" for i in range(4) for n in range(50))


KILLABLE = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from hipmob_tui.history.records import from_json
from hipmob_tui.history.store import Store
db, seed = sys.argv[1], int(sys.argv[2])
store = Store(Path(db))
def rec(n):
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=seed * 1000 + n)
    return from_json({"id": f"k{seed}-{n}", "routine_id": "r", "routine_name": "R",
        "started_at": start.isoformat(), "ended_at": start.isoformat(), "status": "completed",
        "planned_seconds": 1, "active_seconds": 1, "notes": "new"})
def say(*words):
    print(*words, flush=True)
n = 0
while True:
    n += 1
    op = n % 4
    if op == 1 or n < 3:
        say("try add", f"k{seed}-{n}"); store.add(rec(n))
    elif op == 2:
        say("try note", f"k{seed}-{n - 1}")
        store.update(f"k{seed}-{n - 1}", lambda r: r.with_changes(notes="short"))
    elif op == 3:
        say("try delete", f"k{seed}-{n - 2}"); store.delete(f"k{seed}-{n - 2}")
    else:
        say("try merge", f"k{seed}-{n}", f"k{seed}-{n - 3}"); store.merge([rec(n), rec(n - 3)])
    say("ok")
"""


def _apply(expected: dict[str, set[str]], op: str, keys: list[str], *, maybe: bool) -> None:
    """Track what each key may hold: a set of notes, "" for absent."""
    for key in keys:
        now = expected.get(key, {""})
        if op == "add":
            after = {note if note else "new" for note in now}
        elif op == "merge":
            # The first version of a session: newer than none, older than its edits and
            # its deletion, which stay.
            after = now if key in expected else {"new"}
        elif op == "note":
            after = {"short" if note else "" for note in now}
        else:
            after = {""}
        expected[key] = (now | after) if maybe else after


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "hipmob.json"
    rng = random.Random(2026)
    expected: dict[str, set[str]] = {}  # id -> the notes it may hold ("" = absent)
    kills = int(os.environ.get("HIPMOB_KILLS", "200"))
    for seed in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", KILLABLE, str(db), str(seed)], stdout=subprocess.PIPE, text=True
        )
        time.sleep(rng.uniform(0.05, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        lines = out.splitlines()
        for index, line in enumerate(lines):
            if line.startswith("try "):
                _, op, *keys = line.split()
                acknowledged = index + 1 < len(lines) and lines[index + 1] == "ok"
                _apply(expected, op, keys, maybe=not acknowledged)
        stored = {r.id: r.notes for r in Store(db).sessions()}  # loads: never a broken file
        for key, possible in expected.items():
            assert stored.get(key, "") in possible, (
                f"{key} is {stored.get(key)!r} after kill {seed}"
            )
        if db.exists() or any("" not in possible for possible in expected.values()):
            json.loads(db.read_bytes())  # a kill before the very first write leaves no file
