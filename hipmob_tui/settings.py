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

KNOWN = ("weekly_goal", "bell", "pauses")


class Settings:
    """Everything a user can set; defaults when the file is missing."""

    __slots__ = ("weekly_goal", "bell", "pauses")

    def __init__(
        self, weekly_goal: int = DEFAULT_WEEKLY_GOAL, bell: bool = True, pauses: PauseOverrides = ()
    ) -> None:
        self.weekly_goal = weekly_goal
        """Days a week with a completed session that make a good week (1 to 7)."""
        self.bell = bell
        """Whether the runner rings the terminal bell on step changes and at 3-2-1."""
        self.pauses = pauses
        """Default pauses in seconds, e.g. {"between_sets": 30}; routines may set their own."""


def settings_or_defaults(path: Path, warn: Callable[[str], None] | None = None) -> Settings:
    """The settings, or the defaults and a warning when the file is bad.

    A typo in a setting must not stop a shell prompt's `hipmob streak --short`, nor a
    session. `warn` gets the message; by default it goes to stderr.
    """
    try:
        return load_settings(path)
    except HipmobError as error:
        message = f"{error.message}; using the defaults"
        if warn is None:
            import sys

            print(f"hipmob: warning: {message}", file=sys.stderr)
        else:
            warn(message)
        return Settings()


def load_settings(path: Path) -> Settings:
    """Settings from `path`; a missing file means defaults, a bad one is a clear error."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        raise HipmobError(f"{path} cannot be read as JSON ({error}); fix or delete it") from None
    if not isinstance(data, dict):
        raise HipmobError(f'{path} must hold a JSON object like {{"weekly_goal": 3}}')
    unknown = sorted(set(data) - set(KNOWN))
    if unknown:
        close = closest(unknown[0], KNOWN)
        hint = f"did you mean {close!r}? " if close else ""
        raise HipmobError(
            f"{path}: unknown setting {unknown[0]!r}; {hint}known: {', '.join(KNOWN)}"
        )
    goal = data.get("weekly_goal", DEFAULT_WEEKLY_GOAL)
    if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 7:
        raise HipmobError(f"{path}: weekly_goal must be a whole number from 1 to 7, not {goal!r}")
    bell = data.get("bell", True)
    if not isinstance(bell, bool):
        raise HipmobError(f"{path}: bell must be true or false, not {bell!r}")
    pauses = data.get("pauses", {})
    if not isinstance(pauses, dict) or set(pauses) - set(PAUSE_KEYS):
        raise HipmobError(
            f"{path}: pauses must be an object with some of {', '.join(PAUSE_KEYS)}, "
            'e.g. {"between_sets": 30}'
        )
    for key, seconds in pauses.items():
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= 600:
            raise HipmobError(f"{path}: pauses.{key} must be whole seconds from 0 to 600")
    overrides = tuple((key, pauses[key]) for key in PAUSE_KEYS if key in pauses)
    return Settings(weekly_goal=goal, bell=bell, pauses=overrides)
