"""Snapshot tests: one class per screen, one docstring per picture."""

from __future__ import annotations

from collections.abc import Callable

from hipmob_tui.content import Catalog
from hipmob_tui.ui.app import HipmobApp

Snap = Callable[..., bool]


class TestLibrary:
    """The Library, as a keyboard user walks through it."""

    def test_first_open(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The first thing a new user sees: RESET first, the breathing drill's detail."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(100, 30))

    def test_rebuild_exercise_marked_added(
        self, snap_compare: Snap, builtin_catalog: Catalog
    ) -> None:
        """REBUILD only, on an exercise the project added: the 'added' mark is visible."""
        assert snap_compare(
            HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["3", "down"]
        )

    def test_routines_tab(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The routine list with the full session's items and estimated time."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["t"])

    def test_filtered_by_text(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Typing 'foam' keeps only the foam-roller work; the status line says what is shown."""
        assert snap_compare(
            HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["slash", *"foam", "enter"]
        )

    def test_at_80_by_24(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The classic terminal size: everything fits, the footer keys included."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(80, 24))

    def test_at_60_by_20(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """The smallest supported size: nothing overlaps."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(60, 20))

    def test_too_small(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Below 60 × 20 a notice replaces the body."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(40, 12))


class TestHelp:
    """The help screen."""

    def test_help(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Every key, grouped: Everywhere, then Library."""
        assert snap_compare(
            HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["question_mark"]
        )


class TestComingNext:
    """The areas whose issues have not landed."""

    def test_session(self, snap_compare: Snap, builtin_catalog: Catalog) -> None:
        """Session says plainly that it is coming next; the footer still navigates."""
        assert snap_compare(HipmobApp(builtin_catalog), terminal_size=(100, 30), press=["s"])
