"""A plain (non-editable) install finds the shipped YAML inside the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_routines_and_runs_from_them(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("hipmob-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (ROOT / "routines").glob("*.yaml"))
    assert (
        sorted(n.rsplit("/", 1)[-1] for n in names if n.startswith("hipmob_tui/_routines/"))
        == shipped
    )

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    probe = (
        "import sys, hipmob_tui; from hipmob_tui.cli.main import main; "
        "print(hipmob_tui.__file__); sys.exit(main(['routines', '--json']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    first_line, _, rest = result.stdout.partition("\n")
    assert first_line.startswith(str(unpacked)), "the wheel's copy must be the one imported"
    assert {r["id"] for r in json.loads(rest)} >= {"full-session", "desk-reset"}
    assert result.stderr == ""
