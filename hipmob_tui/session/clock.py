"""The clocks a session runs on: the monotonic one in the app, a fake one that tests move."""

from __future__ import annotations

from typing import Protocol


class Clock(Protocol):
    """Seconds from a monotonic clock: only differences between readings mean anything."""

    def __call__(self) -> float:
        """The clock's reading now."""
        ...


class FakeClock:
    """A monotonic clock that moves only when told: sessions in tests take no real time."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        """The reading it gives until the next tick."""

    def __call__(self) -> float:
        """The reading now."""
        return self.now

    def tick(self, seconds: float) -> None:
        """Let `seconds` pass (never backwards: a monotonic clock does not go back)."""
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self.now += seconds
