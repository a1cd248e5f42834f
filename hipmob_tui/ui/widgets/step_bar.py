"""A progress bar that repaints only when what it shows changes.

Textual's ProgressBar refreshes itself every second for its ETA, even when hidden and
even when nothing moved: over SSH that is bytes for nothing, and a paused session must
write nothing at all.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget


class StepBar(Widget):
    """`done` of `total`, drawn in half cells; repaints only on a visible change."""

    DEFAULT_CSS = """
    StepBar {
        height: 1;
    }
    """

    done_of: reactive[tuple[float, float]] = reactive((0.0, 1.0), repaint=False)
    """What it shows, `done` of `total` (set it, or data_bind it to a parent's reactive)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.fill = "$primary"
        """The style of the done part (a theme variable)."""
        self._shown: tuple[int, int] | None = None

    def watch_done_of(self) -> None:
        # Not repaint=True: most changes of a second move the bar by less than a half cell.
        now = self._half_cells()
        if now == self._shown:
            return
        if self._shown is None or self._shown[1] != now[1]:
            self.refresh()
            return
        # Only the cells up to the new end are sent, not the empty rest: the session's bar
        # moves a half cell about every second, and sent whole (66 cells at 100 columns,
        # about 230 bytes) it was over a third of what the runner writes over SSH. Textual
        # sends a changed region from the start of the run of same-styled text it falls
        # in, so the done part is sent whole: the saving shrinks as the session goes on.
        start, end = sorted((self._shown[0] // 2, now[0] // 2))
        self.refresh(Region(start, 0, end - start + 1, 1))

    def _half_cells(self) -> tuple[int, int]:
        width = self.content_region.width or self.size.width
        done, total = self.done_of
        fraction = min(1.0, max(0.0, done / max(total, 1e-9)))
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
