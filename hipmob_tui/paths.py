"""Where hipmob reads and writes: platform directories, overridden by flags and environment."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "hipmob"
_PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_routines_dir() -> Path:
    """The shipped YAML: inside the wheel when installed, the repo's routines/ when editable."""
    packaged = _PACKAGE_DIR / "_routines"
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent / "routines"


@dataclass(frozen=True, slots=True)
class Paths:
    """The resolved locations for one run; nothing is created until something is written."""

    db: Path
    """The history database file."""
    user_routines: Path
    """The user's own routine files, read on every start when the folder exists."""
    extra_routines: tuple[Path, ...]
    """Folders or files named with --routines or HIPMOB_ROUTINES, read after the user's."""
    settings: Path
    """The user's settings file."""

    @property
    def routine_sources(self) -> tuple[Path, ...]:
        """User content in the order it is read; later definitions win."""
        return (self.user_routines, *self.extra_routines)


def resolve(
    db: str | None = None,
    routines: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Paths:
    """Flags first, then HIPMOB_* variables, then the platform's user directories."""
    import platformdirs  # only paid for by commands that need a path

    env = os.environ if environ is None else environ
    db_path = db or env.get("HIPMOB_DB") or ""
    if not db_path:
        db_path = str(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "hipmob.json")
    extra = [part for part in env.get("HIPMOB_ROUTINES", "").split(os.pathsep) if part]
    extra.extend(routines)
    config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return Paths(
        db=Path(db_path).expanduser(),
        user_routines=config / "routines",
        extra_routines=tuple(Path(p).expanduser() for p in extra),
        settings=config / "settings.json",
    )
