"""The catalog as the commands load it: cached, with user-file problems on stderr."""

from __future__ import annotations

import sys

from hipmob_tui.errors import NotFound, closest

TYPE_CHECKING = False  # typing costs the fast commands ~3 ms; mypy still sees it
if TYPE_CHECKING:
    from typing import Any

    from hipmob_tui.content.cold_start import PendingCatalog
    from hipmob_tui.content.models import Catalog
    from hipmob_tui.paths import Paths


def load_catalog_for(where: Paths, *, warn: bool = True) -> Catalog:
    """The catalog; problems in user files go to stderr (the app shows them itself)."""
    from hipmob_tui.content.cache import load_catalog_cached

    catalog = load_catalog_cached(**_catalog_sources(where))
    for problem in catalog.problems if warn else ():
        print(f"hipmob: warning: {problem}", file=sys.stderr)
    return catalog


def begin_catalog_load_for(where: Paths) -> PendingCatalog:
    """The app's catalog: from the cache at once, or read by a helper while the UI imports."""
    from hipmob_tui.content.cold_start import begin_catalog_load

    return begin_catalog_load(**_catalog_sources(where))


def _catalog_sources(where: Paths) -> dict[str, Any]:
    """What the catalog is read from, as `load_catalog_cached` takes it."""
    from hipmob_tui.content.pacing import DEFAULT_PAUSES
    from hipmob_tui.paths import builtin_routines_dir, routine_files
    from hipmob_tui.settings import settings_or_defaults

    return {
        "builtin": routine_files(builtin_routines_dir()),
        "user": where.routine_sources,
        "required": where.extra_routines,
        "pauses": DEFAULT_PAUSES.overridden(settings_or_defaults(where.settings).pauses),
        "cache_dir": where.cache,
    }


def no_routine(routine_id: str, catalog: Catalog) -> NotFound:
    """The error for an unknown routine id: the likely one meant, else every id."""
    own = [p for p in catalog.problems if p.field.startswith(f"routines[{routine_id}]")]
    if own:
        return NotFound(
            f"routine {routine_id!r} has mistakes in {own[0].file} and is left out until "
            f"they are fixed; see hipmob routines validate {own[0].file}"
        )
    close = closest(routine_id, catalog.routines)
    if close is not None:
        said = f"no routine {routine_id!r}; did you mean {close!r}?"
    else:
        said = f"no routine {routine_id!r}; known routines: {', '.join(catalog.routines) or 'none'}"
    if catalog.problems:
        # A routine with a mistake in its file is left out: it may be the one asked for.
        files = sorted({problem.file for problem in catalog.problems})
        said += (
            "\nA routine whose file has mistakes is left out; see "
            f"hipmob routines validate {' '.join(files)}"
        )
    return NotFound(said)
