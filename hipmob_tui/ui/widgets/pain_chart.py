"""Pain before and after the latest sessions: two bar rows on one fixed 0–10 scale."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

from hipmob_tui.history.view import Overview, PainTrend, pain_trend

_EIGHTHS = " ▁▂▃▄▅▆▇█"
_ROWS = 2
"""Bar height in rows: 16 eighths, enough to tell every score 0–10 apart."""
_LABEL = "before "
MAX_SESSIONS = 60


def bar_rows(values: Sequence[int | None], style: str) -> list[Content]:
    """Bars of 0–10 scores, top row first; a missing score is a dot, a zero a flat line."""
    rows: list[list[Content]] = [[] for _ in range(_ROWS)]
    for value in values:
        if value is None:
            for row in range(_ROWS):
                rows[row].append(Content.styled("·" if row == _ROWS - 1 else " ", "$text-muted"))
            continue
        eighths = round(value * 8 * _ROWS / 10)
        for row in range(_ROWS):
            below = (_ROWS - 1 - row) * 8
            fill = max(0, min(8, eighths - below))
            if value == 0 and row == _ROWS - 1:
                rows[row].append(Content.styled("▁", "$text-disabled"))
            else:
                rows[row].append(Content.styled(_EIGHTHS[fill], style))
    return [Content.assemble(*row) for row in rows]


def describe_change(trend: PainTrend) -> str:
    """The average change in plain words."""
    if trend.average_change is None:
        return "Score pain before and after to see the change."
    change = trend.average_change
    if abs(change) < 0.05:
        return "Average change 0"
    return f"Average change {change:+.1f}".replace("-", "−")


def count_title(count: int, width: int) -> str:
    """What the chart counts, as fully as `width` cells allow: sessions with any score."""
    sessions = "session" if count == 1 else "sessions"
    titles = (
        f"0–10, last {count} {sessions} with a score",
        f"0–10, last {count} with a score",
        f"last {count} with a score",
    )
    return next((title for title in titles if len(title) <= width), f"{count} with a score")


class PainChart(Widget):
    """The pain trend, as wide as there is room for."""

    DEFAULT_CSS = """
    PainChart {
        height: 10;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.overview: Overview | None = None

    def show(self, overview: Overview) -> None:
        """Chart the sessions of `overview`."""
        self.overview = overview
        self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> Content:
        room = max(1, min(MAX_SESSIONS, self.size.width - len(_LABEL)))
        trend = pain_trend(self.overview.sessions if self.overview else (), room)
        if not trend.before:
            return Content.styled(
                "No pain scores yet.\n\nScore your pain 0–10 before and after a session "
                "and the trend shows here.",
                "$text-muted",
            )
        title = count_title(len(trend.before), self.size.width)
        lines = [Content.styled(title, "$text-muted")]
        for label, values, style in (
            ("before", trend.before, "$warning"),
            ("", None, ""),
            ("after", trend.after, "$success"),
        ):
            if values is None:
                lines.append(Content(""))
                continue
            for number, row in enumerate(bar_rows(values, style)):
                name = label if number == _ROWS - 1 else ""
                lines.append(Content.assemble(Content.styled(name.ljust(len(_LABEL)), style), row))
        lines.append(Content(describe_change(trend)))
        return Content("\n").join(lines)
