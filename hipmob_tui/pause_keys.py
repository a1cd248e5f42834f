"""The names of the pauses a file may set: a module of its own, so that reading the
settings (as `hipmob streak` does) does not import the content models and dataclasses."""

from __future__ import annotations

PAUSE_KEYS = ("get_ready", "side_switch", "between_sets", "between_exercises")
"""The pauses a routine, an item or the settings may set, in seconds."""

PauseOverrides = tuple[tuple[str, int], ...]
"""Some of PAUSE_KEYS with their seconds, as given in a file."""
