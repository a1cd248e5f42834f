"""Command palette entries: jump to any area, exercise or routine (names shown literally)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from hipmob_tui.content.models import Catalog
from hipmob_tui.ui.messages import ShowInLibrary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hipmob_tui.history.plan import PlanState

AREAS = ("library", "session", "history", "progress")


@runtime_checkable
class HasCatalog(Protocol):
    """An app with content to jump to (the hipmob app, named here without importing it)."""

    catalog: Catalog


@runtime_checkable
class HasPlan(Protocol):
    """An app that knows the program followed and its stage (the hipmob app)."""

    def plan_state(self) -> PlanState | str | None: ...


@dataclass(frozen=True, slots=True)
class _Entry:
    title: str
    help: str
    """Our own words only: the palette parses help as markup."""
    run: Callable[[], object]


class JumpCommands(Provider):
    """Every area, exercise and routine of the catalog."""

    def _entries(self) -> list[_Entry]:
        app = self.app
        entries = [
            _Entry(
                f"Go to {area.title()}",
                f"Open the {area} area",
                partial(app.run_action, f"area({area!r})"),
            )
            for area in AREAS
            # As its key is: hidden in the area shown, where going to it would do nothing.
            if app.check_action("area", (area,)) is not False
        ]
        if not isinstance(app, HasCatalog):
            return entries
        show = app.post_message
        entries += [
            _Entry(
                f"Exercise: {e.name}",
                f"{e.phase.title} exercise",
                partial(show, ShowInLibrary("x", e.id)),
            )
            for e in app.catalog.exercises.values()
        ]
        entries += [
            _Entry(f"Routine: {r.name}", "Routine", partial(show, ShowInLibrary("r", r.id)))
            for r in app.catalog.routines.values()
        ]
        return entries

    async def discover(self) -> Hits:
        """Shown before anything is typed."""
        for entry in self._entries():
            yield DiscoveryHit(Content(entry.title), entry.run, text=entry.title, help=entry.help)

    async def search(self, query: str) -> Hits:
        """Fuzzy matches for what was typed."""
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, entry.title),
                    entry.run,
                    text=entry.title,
                    help=entry.help,
                )


def _highlight(matcher: Matcher, title: str) -> Content:
    """Like Matcher.highlight, but the title is never parsed as markup."""
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    content = Content(title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content
