"""The History header: the widest wording of the figures that fits the line."""

from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from hipmob_tui.history.view import Overview
from hipmob_tui.ui import text


class HistoryHeader(Static):
    """One line of streak, week and totals; it drops the lesser figures when narrow."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content.styled("Loading your history…", "$text-muted"), id=id)
        self.overview: Overview | None = None

    def show(self, overview: Overview) -> None:
        """Show the figures of `overview`, worded for the current width."""
        self.overview = overview
        self.update(text.history_summary(overview, self.content_size.width or 1_000))

    def show_error(self, message: str) -> None:
        """Say the history cannot be read instead of any figures."""
        self.overview = None
        self.update(Content.styled(f"Cannot read your history: {message}", "$error"))

    def on_resize(self, event: Resize) -> None:
        if self.overview is not None:
            self.update(text.history_summary(self.overview, self.content_size.width))
