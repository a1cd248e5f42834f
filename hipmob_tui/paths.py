"""Where hipmob reads and writes: platform directories, overridden by flags and environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

APP_NAME = "hipmob"
_PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_routines_dir() -> Path:
    """The shipped YAML: inside the wheel when installed, the repo's routines/ when editable."""
    packaged = _PACKAGE_DIR / "_routines"
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent / "routines"


class Paths:
    """The resolved locations for one run; nothing is created until something is written.

    A plain class, not a dataclass: `hipmob streak` must start in a blink, and importing
    dataclasses (with inspect) costs more than the whole streak computation.
    """

    __slots__ = ("db", "user_routines", "extra_routines", "settings", "cache")

    def __init__(
        self,
        db: Path,
        user_routines: Path,
        extra_routines: tuple[Path, ...],
        settings: Path,
        cache: Path | None = None,
    ) -> None:
        self.db = db
        """The history database file."""
        self.user_routines = user_routines
        """The user's own routine files, read on every start when the folder exists."""
        self.extra_routines = extra_routines
        """Folders or files named with --routines or HIPMOB_ROUTINES, read after the user's."""
        self.settings = settings
        """The user's settings file."""
        self.cache = cache
        """hipmob's cache folder (copies of what the YAML files make, and of the history as
        the app read it); None: no cache."""

    @property
    def routine_sources(self) -> tuple[Path, ...]:
        """User content in the order it is read; later definitions win."""
        return (self.user_routines, *self.extra_routines)


def journal_path(db: Path) -> Path:
    """Where the session in progress is kept: beside the database it will be saved to."""
    return db.with_name(db.name + ".session")


def user_cache_dir(env: Mapping[str, str]) -> Path:
    """Where hipmob keeps what it can always make again (XDG_CACHE_HOME on Linux)."""
    if sys.platform.startswith("linux"):
        home = Path(env.get("HOME") or Path.home())
        return Path(env.get("XDG_CACHE_HOME", "").strip() or str(home / ".cache")) / APP_NAME
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_dirs(env: Mapping[str, str]) -> tuple[Path, Path]:
    """The user data and config folders for hipmob.

    On Linux these are the XDG folders, computed here as platformdirs would (importing it
    costs the fast commands a tenth of their time); elsewhere platformdirs decides.
    """
    if sys.platform.startswith("linux"):
        home = Path(env.get("HOME") or Path.home())
        data = env.get("XDG_DATA_HOME", "").strip() or str(home / ".local" / "share")
        config = env.get("XDG_CONFIG_HOME", "").strip() or str(home / ".config")
        return Path(data) / APP_NAME, Path(config) / APP_NAME
    import platformdirs

    return (
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
    )


def resolve(
    db: str | None = None,
    routines: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Paths:
    """Flags first, then HIPMOB_* variables, then the platform's user directories."""
    env = os.environ if environ is None else environ
    data_dir, config = user_dirs(env)
    db_path = db or env.get("HIPMOB_DB") or str(data_dir / "hipmob.json")
    extra = [part for part in env.get("HIPMOB_ROUTINES", "").split(os.pathsep) if part]
    extra.extend(routines)
    return Paths(
        db=Path(db_path).expanduser(),
        user_routines=config / "routines",
        extra_routines=tuple(Path(p).expanduser() for p in extra),
        settings=config / "settings.json",
        cache=user_cache_dir(env),
    )


def routine_files(directory: Path) -> list[Path]:
    """The YAML files of a directory, sorted; a single file stands for itself."""
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
