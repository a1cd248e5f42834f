"""User settings: a small JSON file in the config folder, validated on load."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from hipmob_tui.errors import HipmobError
from hipmob_tui.stats import DEFAULT_WEEKLY_GOAL


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can set; defaults when the file is missing."""

    weekly_goal: int = DEFAULT_WEEKLY_GOAL
    """Days a week with a completed session that make a good week (1 to 7)."""


def load_settings(path: Path) -> Settings:
    """Settings from `path`; a missing file means defaults, a bad one is a clear error."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        raise HipmobError(f"{path} cannot be read as JSON ({error}); fix or delete it") from None
    if not isinstance(data, dict):
        raise HipmobError(f"{path} must hold a JSON object like {json.dumps(asdict(Settings()))}")
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise HipmobError(
            f"{path}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}"
        )
    goal = data.get("weekly_goal", DEFAULT_WEEKLY_GOAL)
    if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 7:
        raise HipmobError(f"{path}: weekly_goal must be a whole number from 1 to 7, not {goal!r}")
    return Settings(weekly_goal=goal)
