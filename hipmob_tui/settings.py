"""User settings: a small JSON file in the config folder, validated on load."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from hipmob_tui.errors import HipmobError, closest

PAUSE_KEYS = ("get_ready", "side_switch", "between_sets", "between_exercises")
"""The pauses a routine, an item or the settings may set, in seconds."""

PauseOverrides = tuple[tuple[str, int], ...]
"""Some of PAUSE_KEYS with their seconds, as given in a file."""

DEFAULT_WEEKLY_GOAL = 3
"""Counted days a week that make a good week, unless the settings say otherwise."""

DEFAULT_MAX_REST_DAYS_PER_WEEK = 2
"""Rest marks a week that may freeze the streak; more are kept but freeze nothing."""

KNOWN = ("weekly_goal", "max_rest_days_per_week", "bell", "pauses", "theme")


class Settings:
    """Everything a user can set; defaults when the file is missing."""

    __slots__ = ("weekly_goal", "max_rest_days_per_week", "bell", "pauses", "theme")

    def __init__(
        self,
        weekly_goal: int = DEFAULT_WEEKLY_GOAL,
        bell: bool = True,
        pauses: PauseOverrides = (),
        theme: str | None = None,
        max_rest_days_per_week: int = DEFAULT_MAX_REST_DAYS_PER_WEEK,
    ) -> None:
        self.weekly_goal = weekly_goal
        """Days a week with a completed session that make a good week (1 to 7)."""
        self.max_rest_days_per_week = max_rest_days_per_week
        """Rest marks a week that freeze the streak (0 to 7); flare and away have no limit."""
        self.bell = bell
        """Whether the runner rings the terminal bell on step changes and at 3-2-1."""
        self.pauses = pauses
        """Default pauses in seconds, e.g. {"between_sets": 30}; routines may set their own."""
        self.theme = theme
        """The app's colour theme as last chosen in the command palette; None for the default."""


def settings_or_defaults(path: Path, warn: Callable[[str], None] | None = None) -> Settings:
    """The settings, each bad one at its default with a warning.

    A typo in one setting must not stop a shell prompt's `hipmob streak --short`, nor a
    session, nor cost the settings written right. `warn` gets each message; by default
    they go to stderr.
    """
    settings, problems = read_settings(path)
    for message in problems:
        if warn is None:
            import sys

            print(f"hipmob: warning: {message}", file=sys.stderr)
        else:
            warn(message)
    return settings


def read_settings(path: Path) -> tuple[Settings, tuple[str, ...]]:
    """The settings in `path`, and a message for each one left at its default.

    A missing file means the defaults; a file that is not a JSON object gives the defaults
    and one message; otherwise every valid key is kept and each unknown or bad one is named.
    """
    try:
        data = _read_object(path)
    except FileNotFoundError:
        return Settings(), ()
    except HipmobError as error:
        return Settings(), (f"{error.message}; using the defaults",)
    problems: list[str] = []
    for key in data:
        if key not in KNOWN:
            close = closest(key, KNOWN)
            hint = f"did you mean {close!r}?" if close else f"known: {', '.join(KNOWN)}"
            problems.append(f"{path}: unknown setting {_short(key)}, ignored; {hint}")
    settings = Settings()
    for key, low, high, default in (
        ("weekly_goal", 1, 7, DEFAULT_WEEKLY_GOAL),
        ("max_rest_days_per_week", 0, 7, DEFAULT_MAX_REST_DAYS_PER_WEEK),
    ):
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(
                f"{path}: {key} must be a whole number from {low} to {high}, not "
                f"{_short(value)}; using {default} until it is fixed"
            )
        else:
            setattr(settings, key, value)
    if "bell" in data:
        if isinstance(data["bell"], bool):
            settings.bell = data["bell"]
        else:
            problems.append(
                f"{path}: bell must be true or false, not {_short(data['bell'])}; "
                "the bell rings until it is fixed"
            )
    if "pauses" in data:
        settings.pauses = _pauses(path, data["pauses"], problems)
    if "theme" in data:
        theme = data["theme"]
        if isinstance(theme, str) and theme and len(theme) <= 64 and theme.isprintable():
            settings.theme = theme
        else:
            problems.append(
                f"{path}: theme must be a theme's name, not {_short(theme)}; using the "
                "default (pick one with : or ctrl+p, then 'theme')"
            )
    return settings, tuple(problems)


def _pauses(path: Path, pauses: object, problems: list[str]) -> PauseOverrides:
    """The valid pauses of the settings; each bad one is named in `problems`."""
    if not isinstance(pauses, dict):
        problems.append(
            f"{path}: pauses must be an object with some of {', '.join(PAUSE_KEYS)}, "
            'e.g. {"between_sets": 30}; using the usual pauses'
        )
        return ()
    for key in pauses:
        if key not in PAUSE_KEYS:
            close = closest(key, PAUSE_KEYS)
            hint = f"did you mean {close!r}?" if close else f"known: {', '.join(PAUSE_KEYS)}"
            problems.append(f"{path}: unknown pause {_short(key)}, ignored; {hint}")
    kept = []
    for key in PAUSE_KEYS:
        if key not in pauses:
            continue
        seconds = pauses[key]
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= 600:
            problems.append(
                f"{path}: pauses.{key} must be whole seconds from 0 to 600, not "
                f"{_short(seconds)}; using the usual pause until it is fixed"
            )
        else:
            kept.append((key, seconds))
    return tuple(kept)


def _read_object(path: Path) -> dict[str, object]:
    """The JSON object in `path`; FileNotFoundError, or HipmobError when it is not one."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise
    except (OSError, ValueError, RecursionError) as error:
        why = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise HipmobError(f"{path} cannot be read as JSON ({why}); fix or delete it") from None
    if not isinstance(data, dict):
        raise HipmobError(f'{path} must hold a JSON object like {{"weekly_goal": 3}}')
    return data


def save_setting(path: Path, key: str, value: object) -> None:
    """Set one setting in the file, keeping every other key as it is (atomically).

    A file that cannot be read as a JSON object is left untouched: HipmobError says why.
    WriteFailed when it cannot be written.
    """
    from hipmob_tui.fileio import atomic_write

    try:
        data = _read_object(path)
    except FileNotFoundError:
        data = {}
    except HipmobError as error:
        raise HipmobError(f"{error.message}; it was left as it is") from None
    data[key] = value
    atomic_write(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())


def _short(value: object) -> str:
    """A value for a message: its JSON, escaped and cut to about 40 characters."""
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
