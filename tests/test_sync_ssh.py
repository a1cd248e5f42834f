"""`hipmob sync` through a real OpenSSH server on 127.0.0.1 (the sshd of test_e2e_ssh).

Two history files stand for two machines: "here" is the one `hipmob sync` runs on, "there"
the one `ssh 127.0.0.1 hipmob --db THERE ...` reaches (the sshd puts this venv's hipmob on
the PATH of remote commands, and before it a folder where a test may put a fake one).
"""

from __future__ import annotations

import json
import os
import random
import shlex
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.history.store import Store
from tests.test_e2e_ssh import Sshd, sshd  # noqa: F401 - the fixture, shared
from tests.test_store import record

pytestmark = [
    pytest.mark.slow,  # a real sshd, real processes
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux"),
]


def _hipmob() -> list[str]:
    script = Path(sys.executable).parent / "hipmob"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hipmob_tui"]


@dataclass
class Machines:
    """This test's two history files, and how to run hipmob on this side."""

    here: Path
    there: Path
    sshd: Sshd
    folder: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "XDG_DATA_HOME": str(self.folder / "data"),
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "XDG_CACHE_HOME": str(self.folder / "cache"),
        }

    def ssh_option(self, program: str | None = None) -> str:
        """--ssh: this sshd's client command (or `program` in front of its options)."""
        words = self.sshd.ssh()[:-1]  # the options, not the host
        if program is not None:
            words = [program, *words[1:]]
        return shlex.join(words)

    def sync_argv(self, ssh: str | None = None) -> list[str]:
        return [
            *_hipmob(),
            "--db",
            str(self.here),
            "sync",
            "127.0.0.1",
            "--remote-db",
            str(self.there),
            "--ssh",
            ssh or self.ssh_option(),
        ]

    def sync(self, ssh: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.sync_argv(ssh), capture_output=True, text=True, env=self.env(), timeout=120
        )

    def hipmob(self, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_hipmob(), "--db", str(db), *args],
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=60,
        )


@pytest.fixture
def machines(sshd: Sshd, tmp_path: Path) -> Iterator[Machines]:  # noqa: F811 - the fixture
    yield Machines(
        tmp_path / "here" / "hipmob.json", tmp_path / "there" / "hipmob.json", sshd, tmp_path
    )
    for fake in sshd.bin.iterdir():  # the next test meets the real hipmob again
        fake.unlink()


def everything(db: Path) -> dict[str, Any]:
    """Each id's session or tombstone, to the byte of its JSON: what sync makes equal."""
    facts = Store(db).facts()[0]
    found: dict[str, Any] = {s.id: s.to_json() for s in facts.sessions}
    found.update({t.id: t.to_json() for t in facts.deleted})
    found.update({m.id: m.to_json() for m in facts.marks})
    found.update({r.date.isoformat(): r.to_json() for r in facts.deleted_marks})
    return found


def untouched(db: Path) -> tuple[bytes, int, list[str]]:
    return db.read_bytes(), os.stat(db).st_mtime_ns, sorted(p.name for p in db.parent.iterdir())


def fake_hipmob(machines: Machines, script: str) -> None:
    """A program named hipmob first on the far side's PATH."""
    fake = machines.sshd.bin / "hipmob"
    fake.write_text("#!/bin/sh\n" + textwrap.dedent(script))
    fake.chmod(0o755)


# -- the story -----------------------------------------------------------------------


def test_log_edit_delete_on_two_machines_then_sync_makes_them_one_and_again_writes_nothing(
    machines: Machines,
) -> None:
    here, there = machines.here, machines.there
    for minutes in ("10", "20", "30"):
        assert machines.hipmob(here, "log", "desk-reset", "--minutes", minutes).returncode == 0
    first = machines.sync()
    assert first.returncode == 0, first.stderr
    assert everything(here) == everything(there) and len(Store(there).sessions()) == 3
    shared = [r.id for r in Store(here).sessions()]

    # Log on here, edit on there, delete on here.
    assert machines.hipmob(here, "log", "evening-wind-down", "--pain-after", "2").returncode == 0
    Store(there).update(shared[0], lambda old: old.with_changes(pain_after=1, notes="fixed"))
    Store(here).delete(shared[1])
    done = machines.sync()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Synced with 127.0.0.1",
        f"  here   0 new, 1 updated, 0 deleted, 2 unchanged ({here})",
        f"  there  1 new, 0 updated, 1 deleted, 0 unchanged ({there})",
    ]
    assert everything(here) == everything(there), "the same ids and versions on both sides"
    sessions = {r.id: r for r in Store(there).sessions()}
    assert shared[1] not in sessions and len(sessions) == 3
    assert (sessions[shared[0]].pain_after, sessions[shared[0]].notes) == (1, "fixed")
    assert {r.routine_id for r in sessions.values()} == {"desk-reset", "evening-wind-down"}
    # Streaks, History and Progress read the merged file as if it had always been one.
    streak = json.loads(machines.hipmob(there, "streak", "--json").stdout)
    assert streak == {
        **json.loads(machines.hipmob(here, "streak", "--json").stdout),
        "path": str(there),
    }

    before = untouched(here), untouched(there)
    again = machines.sync()
    assert (again.returncode, again.stdout) == (
        0,
        "Already in sync with 127.0.0.1: nothing written on either side\n",
    )
    assert (untouched(here), untouched(there)) == before, "same bytes, same mtime, both sides"


def test_marks_travel_too(machines: Machines) -> None:
    here, there = machines.here, machines.there
    assert machines.hipmob(here, "log", "desk-reset").returncode == 0
    assert machines.sync().returncode == 0
    # Only this side has something new, and it is a mark (the far side has none at all).
    assert machines.hipmob(here, "mark", "away", "--date", "yesterday").returncode == 0
    done = machines.sync()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith(
        "  there  0 new, 0 updated, 0 deleted, 0 unchanged; 1 day mark new or newer"
    )
    assert everything(here) == everything(there)
    assert machines.hipmob(there, "mark", "rest", "--note", "planned").returncode == 0
    done = machines.sync()
    assert done.returncode == 0, done.stderr
    assert "1 day mark new or newer" in done.stdout.splitlines()[1]
    assert everything(here) == everything(there) and len(Store(here).marks()) == 2


def test_a_mark_removed_on_the_other_machine_is_gone_on_both_and_stays_gone(
    machines: Machines,
) -> None:
    here, there = machines.here, machines.there
    assert machines.hipmob(here, "log", "desk-reset").returncode == 0
    assert machines.hipmob(here, "mark", "away", "--date", "yesterday").returncode == 0
    assert machines.sync().returncode == 0
    assert [m.kind for m in Store(there).marks()] == ["away"]
    unmarked = machines.hipmob(there, "unmark", "--date", "yesterday")
    assert unmarked.returncode == 0 and unmarked.stdout.startswith("Removed the mark of ")
    done = machines.sync()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Synced with 127.0.0.1",
        f"  here   0 new, 0 updated, 0 deleted, 1 unchanged; 1 day mark removed ({here})",
        "  there  nothing new: it had all of this side",
    ]
    assert Store(here).marks() == Store(there).marks() == []
    assert everything(here) == everything(there)
    assert Store(here).facts()[0].deleted_marks == Store(there).facts()[0].deleted_marks
    streak = json.loads(machines.hipmob(here, "streak", "--explain", "--json").stdout)
    assert not any(day["mark"] for day in streak["days"]), "no day shows the mark"

    before = untouched(here), untouched(there)
    again = machines.sync()
    assert (again.returncode, again.stdout) == (
        0,
        "Already in sync with 127.0.0.1: nothing written on either side\n",
    )
    assert (untouched(here), untouched(there)) == before, "same bytes, same mtime, both sides"


def test_a_session_logged_while_a_sync_runs_is_not_lost(machines: Machines) -> None:
    """Both sides log while a sync stands between its two ssh commands; then a second
    sync brings each to the other. Neither is lost, on either side, at any point."""
    here, there = machines.here, machines.there
    assert machines.hipmob(here, "log", "desk-reset").returncode == 0
    assert machines.hipmob(there, "log", "desk-reset").returncode == 0
    calls, go = machines.folder / "calls", machines.folder / "go"
    slow_ssh = machines.folder / "slow-ssh"
    slow_ssh.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            echo call >> {shlex.quote(str(calls))}
            if [ "$(wc -l < {shlex.quote(str(calls))})" -ge 2 ]; then
                while [ ! -e {shlex.quote(str(go))} ]; do sleep 0.05; done
            fi
            exec ssh "$@"
            """
        )
    )
    slow_ssh.chmod(0o755)
    running = subprocess.Popen(
        machines.sync_argv(machines.ssh_option(str(slow_ssh))),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=machines.env(),
    )
    deadline = time.monotonic() + 60
    while not (calls.exists() and len(calls.read_text().splitlines()) >= 2):
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline, "the sync never reached its second ssh command"
        time.sleep(0.05)
    # The sync merged here and is about to send: a session is logged on each side now.
    for db, note in ((here, "here, during"), (there, "there, during")):
        assert machines.hipmob(db, "log", "evening-wind-down", "--note", note).returncode == 0
    go.touch()
    out, err = running.communicate(timeout=60)
    assert running.returncode == 0, err

    def notes(db: Path) -> set[str]:
        return {r.notes for r in Store(db).sessions()}

    assert "here, during" in notes(here) and "there, during" in notes(there), "none lost"
    go.unlink()
    calls.unlink()
    assert machines.sync().returncode == 0
    assert {"here, during", "there, during"} <= notes(here)
    assert everything(here) == everything(there)


@pytest.mark.parametrize("kills", [int(os.environ.get("HIPMOB_SYNC_KILLS", "50"))])
def test_a_sync_killed_at_random_moments_loses_nothing_and_a_rerun_converges(
    machines: Machines, kills: int
) -> None:
    here, there = machines.here, machines.there
    rng = random.Random(15)
    for n in range(1, 6):
        Store(here).add(record(n))
        Store(there).add(record(100 + n))
    started = time.monotonic()
    assert machines.sync().returncode == 0
    whole = time.monotonic() - started
    # What each side is known to hold (id -> version), from what was acknowledged there
    # (a call returned) or seen there: it may only grow newer, or go by a deletion.
    seen = {db: {r.id: r.version for r in Store(db).sessions()} for db in (here, there)}
    deleted: set[str] = set()
    for run in range(kills):
        side = (here, there)[run % 2]
        Store(side).add(record(1000 + run))
        held = [r.id for r in Store(side).sessions()]
        if run % 3 == 0:
            gone = rng.choice(held)
            Store(side).delete(gone)
            deleted.add(gone)
        elif run % 3 == 1:
            chosen = rng.choice(held)
            Store(side).update(chosen, lambda old, run=run: old.with_changes(notes=f"edit {run}"))
        seen[side] = {r.id: r.version for r in Store(side).sessions()}
        child = subprocess.Popen(
            machines.sync_argv(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=machines.env(),
            start_new_session=True,  # its ssh children in its group, to wait for them
        )
        time.sleep(rng.uniform(0, whole * 1.2))
        child.send_signal(signal.SIGKILL)  # the sync alone: its ssh children run on
        child.wait()
        _wait_for_group(child.pid)
        for db in (here, there):
            json.loads(db.read_bytes())  # whole JSON, and a history hipmob reads:
            now = {r.id: r.version for r in Store(db).sessions()}
            for identifier, version in seen[db].items():
                if identifier in now:
                    assert now[identifier] >= version, f"{identifier} went back to an older version"
                else:
                    assert identifier in deleted, f"{identifier} was lost after kill {run}"
            seen[db] = now
    done = machines.sync()
    assert done.returncode == 0, done.stderr
    assert everything(here) == everything(there), "a rerun converges"
    made = {f"s{n:05d}" for n in (*range(1, 6), *range(101, 106), *range(1000, 1000 + kills))}
    facts = Store(here).facts()[0]
    gone = {t.id for t in facts.deleted}
    assert {r.id for r in facts.sessions} | gone == made, "each session kept, or deleted"
    assert gone <= deleted, "and deleted only by a deletion (an edit made later keeps it)"


def _wait_for_group(group: int) -> None:
    """Until every process of the group `group` has ended (ssh finishing its command)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError("the killed sync's ssh never ended")


# -- when the two hipmobs cannot sync ------------------------------------------------------------


def export_of(version: int, hipmob: str | None = None) -> str:
    head: dict[str, Any] = {"format": "hipmob-sessions", "version": version}
    if hipmob is not None:
        head["hipmob"] = hipmob
    return json.dumps({**head, "sessions": [record(50).to_json()]})


@pytest.mark.parametrize(
    ("export", "said"),
    [
        (
            export_of(1),
            "the hipmob on 127.0.0.1 is older than this one (0.2.0) and keeps no versions of "
            "edits and deletions, so it cannot sync; upgrade hipmob there to 0.2.0 or later, "
            "then sync again",
        ),
        (
            export_of(2, "0.1.0"),
            "the hipmob on 127.0.0.1 (0.1.0) is older than this one (0.2.0) and keeps no "
            "removals of day marks, nor the versions of marks, check results and plan facts, "
            "so it cannot sync; upgrade hipmob there to 0.2.0 or later, then sync again",
        ),
        (
            export_of(4, "9.0"),
            "the hipmob on 127.0.0.1 is newer than this one (0.2.0): it writes export version "
            "4, this one reads up to 3; upgrade hipmob here, then sync again",
        ),
    ],
    ids=["older", "older-facts", "newer"],
)
def test_a_hipmob_of_another_version_there_is_named_and_nothing_is_written(
    machines: Machines, export: str, said: str
) -> None:
    assert machines.hipmob(machines.here, "log", "desk-reset").returncode == 0
    payload = machines.folder / "export.json"
    payload.write_text(export)
    fake_hipmob(machines, f"cat {shlex.quote(str(payload))}\n")
    before = untouched(machines.here)
    done = machines.sync()
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"hipmob: error: {said}\n"
    assert untouched(machines.here) == before


# -- a hostile or broken far side ------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "said"),
    [
        (
            "printf '\\033[2J\\033]0;pwned\\007garbage, not JSON'\n",
            "127.0.0.1 did not send a hipmob export (not valid JSON at line 1, column 1); "
            "nothing was changed on either side",
        ),
        (
            "yes '                                        ' | head -c 70000000\n",
            "the export from 127.0.0.1 is larger than 64,000,000 bytes; stopped, nothing was "
            "changed",
        ),
        (
            "python3 -c \"import sys; sys.stdout.write('[' * 10**6)\"\n",
            "127.0.0.1 did not send a hipmob export (nested too deeply: hipmob writes at most "
            "four levels); nothing was changed on either side",
        ),
        (
            "echo 'ssh_exchange: \\033[31mred\\033[0m' >&2; exit 255\n",
            "ssh could not reach 127.0.0.1 (exit 255): ssh_exchange: [31mred[0m",
        ),
        (
            "echo 'sh: 1: hipmob: not found' >&2; exit 127\n",
            "127.0.0.1 has no hipmob to run (exit 127: sh: 1: hipmob: not found); install "
            "hipmob there, where ssh commands find it (their PATH), then sync again",
        ),
        (
            "echo 'hipmob: error: /far/hipmob.json is damaged (not valid JSON)' >&2; exit 1\n",
            "the hipmob on 127.0.0.1 could not export its history (exit 1): /far/hipmob.json "
            "is damaged (not valid JSON)",
        ),
    ],
    ids=["garbage", "huge", "deep", "ssh-fails", "no-hipmob", "far-error"],
)
def test_a_hostile_or_broken_far_side_is_one_clear_line_and_nothing_here_changes(
    machines: Machines, script: str, said: str
) -> None:
    assert machines.hipmob(machines.here, "log", "desk-reset").returncode == 0
    fake_hipmob(machines, script)
    before = untouched(machines.here)
    done = machines.sync()
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"hipmob: error: {said}\n", done.stderr
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert untouched(machines.here) == before


def test_ids_that_collide_with_different_content_change_nothing_here(machines: Machines) -> None:
    """The far side sends the sessions this side has, one of them under the very same
    version with other content (and a session of its own, which must not come in alone)."""
    here = machines.here
    for _ in range(3):
        assert machines.hipmob(here, "log", "desk-reset").returncode == 0
    document = json.loads(machines.hipmob(here, "export", "-").stdout)
    document["sessions"][1]["notes"] = "not what was written"
    document["sessions"].append(record(77).to_json())
    payload = machines.folder / "export.json"
    payload.write_text(json.dumps(document))
    fake_hipmob(machines, f"cat {shlex.quote(str(payload))}\n")
    before = untouched(here)
    done = machines.sync()
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(
        "hipmob: error: nothing changed: the history on 127.0.0.1 and this one hold two "
        f"sessions differ under one id {document['sessions'][1]['id']!r}"
    ), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert untouched(here) == before


def test_the_far_hipmob_refusing_what_is_sent_says_so_and_this_side_keeps_its_merge(
    machines: Machines,
) -> None:
    assert machines.hipmob(machines.here, "log", "desk-reset").returncode == 0
    assert machines.hipmob(machines.there, "log", "desk-reset").returncode == 0
    real = _hipmob()
    fake_hipmob(
        machines,
        f"""\
        case "$*" in
            *import*)
                cat > /dev/null
                echo 'hipmob: error: timed out waiting for the lock' >&2
                exit 1 ;;
            *) exec {shlex.join(real)} "$@" ;;
        esac
        """,
    )
    done = machines.sync()
    assert done.returncode == 1
    assert done.stderr == (
        "hipmob: error: the hipmob on 127.0.0.1 could not take this side's changes (exit 1): "
        "timed out waiting for the lock; this side took 127.0.0.1's changes, 127.0.0.1 kept "
        "its history as it was\n"
    )
    assert len(Store(machines.here).sessions()) == 2 and len(Store(machines.there).sessions()) == 1


def test_a_host_that_is_an_option_is_refused(machines: Machines) -> None:
    argv = machines.sync_argv()
    argv[argv.index("127.0.0.1")] = "-oProxyCommand=touch /tmp/x"
    done = subprocess.run(argv, capture_output=True, text=True, env=machines.env())
    assert done.returncode == 1 and "is not a host to sync with" in done.stderr
