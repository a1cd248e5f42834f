"""A progress bar that repaints only when what it shows changes.

Textual's ProgressBar refreshes itself every second for its ETA, even when hidden and
even when nothing moved: over SSH that is bytes for nothing, and a paused session must
write nothing at all.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class StepBar(Widget):
    """`done` of `total`, drawn in half cells; `update` repaints only on a visible change."""

    DEFAULT_CSS = """
    StepBar {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.fill = "$primary"
        """The style of the done part (a theme variable)."""
        self._done = 0.0
        self._total = 1.0
        self._shown: tuple[int, int] | None = None

    def update(self, done: float, total: float) -> None:
        """Show `done` of `total`."""
        self._done, self._total = done, max(total, 1e-9)
        if self._half_cells() != self._shown:
            self.refresh()

    def _half_cells(self) -> tuple[int, int]:
        width = self.content_region.width or self.size.width
        fraction = min(1.0, max(0.0, self._done / self._total))
        return round(fraction * width * 2), width

    def render(self) -> Content:
        halves, width = self._shown = self._half_cells()
        full, half = divmod(halves, 2)
        parts = [Content.styled("━" * full, self.fill)]
        remaining = width - full
        if half and remaining:
            parts.append(Content.styled("╸", self.fill))
            remaining -= 1
        parts.append(Content.styled("━" * remaining, "$panel"))
        return Content.assemble(*parts)
