"""The hipmob app: three areas (Library, Session, History), one key each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from hipmob_tui.content import Catalog
from hipmob_tui.paths import Paths, resolve
from hipmob_tui.settings import load_settings
from hipmob_tui.store import SessionCache, Store
from hipmob_tui.ui.commands import JumpCommands
from hipmob_tui.ui.screens.coming_next import SessionScreen
from hipmob_tui.ui.screens.help import HelpScreen, KeySection
from hipmob_tui.ui.screens.history import HistoryScreen
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.widgets.sessions_table import SessionsTable
from hipmob_tui.ui.widgets.too_small import MIN_HEIGHT, MIN_WIDTH

_MAX_PROBLEMS_SHOWN = 6
NARROW_WIDTH = 76
"""Below this many columns, side panes that would squeeze the main list are hidden."""


class HipmobApp(App[None]):
    """Guided hip mobility; takes its catalog so tests can hand it any content."""

    CSS_PATH = "hipmob.tcss"
    TITLE = "hipmob"
    COMMANDS = App.COMMANDS | {JumpCommands}
    BINDINGS = [
        Binding("l", "area('library')", "Library", tooltip="Browse exercises and routines"),
        Binding("s", "area('session')", "Session", tooltip="Run a routine"),
        Binding("h", "area('history')", "History", tooltip="Your sessions and streak"),
        Binding("question_mark", "help", "Help", tooltip="Every key"),
        Binding("q", "quit", "Quit", tooltip="Leave hipmob"),
    ]

    def __init__(
        self,
        catalog: Catalog,
        paths: Paths | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.paths = paths or resolve()
        self.today = today
        self.sessions = SessionCache(Store(self.paths.db))
        self.add_mode("library", lambda: LibraryScreen(self.catalog))
        self.add_mode("session", SessionScreen)
        # Built on first visit: nothing history-sized happens before the first paint.
        self.add_mode("history", self._history_screen)

    def _history_screen(self) -> HistoryScreen:
        settings = self.paths.settings
        return HistoryScreen(
            self.catalog, self.sessions, lambda: load_settings(settings).weekly_goal, self.today
        )

    @work(thread=True, exit_on_error=False)
    def _prefetch_history(self) -> None:
        """Read the history once the first frame is out, so History opens at once."""
        self.sessions.sessions()  # errors are shown when History is opened

    def on_mount(self) -> None:
        self._fit(self.size.width, self.size.height)
        self.switch_mode("library")
        self.set_timer(0.2, self._prefetch_history)
        if self.catalog.problems:
            self._notify_problems()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Swap every screen's body for a notice while the terminal is below the minimum."""
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        self.set_class(width < NARROW_WIDTH, "-narrow")

    def _notify_problems(self) -> None:
        """One notice for every bad user file; the good content stays usable."""
        problems = self.catalog.problems
        files = sorted({problem.file for problem in problems})
        lines = [str(problem) for problem in problems[:_MAX_PROBLEMS_SHOWN]]
        if len(problems) > _MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {len(problems) - _MAX_PROBLEMS_SHOWN} more.")
        lines.append(f"Check with: hipmob routines validate {' '.join(files)}")
        self.notify(
            "\n".join(lines),
            title=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
            "in your routine files",
            severity="warning",
            timeout=20,
            markup=False,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the key of the area already shown: it would do nothing."""
        return not (action == "area" and parameters and parameters[0] == self.current_mode)

    def action_area(self, area: str) -> None:
        """Show one of the three areas."""
        self.switch_mode(area)
        self.refresh_bindings()

    def action_help(self) -> None:
        """Every key, in one screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections()))

    def key_sections(self) -> list[KeySection]:
        """Every binding, grouped: what the help screen lists."""
        everywhere = [(self._keys(b), b.description) for b in _bindings(self.BINDINGS)]
        everywhere.append(("ctrl+p", "Command palette: jump to any area, exercise or routine"))
        library = [
            (self._keys(b), b.tooltip or b.description) for b in _bindings(LibraryScreen.BINDINGS)
        ]
        library += [("↑ ↓", "Move in the list"), ("tab", "Next pane")]
        history = [
            (self._keys(b), b.tooltip or b.description)
            for b in _bindings(HistoryScreen.BINDINGS + SessionsTable.BINDINGS)
        ]
        history += [
            ("↑ ↓", "Move in the sessions table"),
            ("tab", "Between the calendar and the table"),
            ("← →  ↑ ↓", "In the calendar: a week back or on, a day back or on"),
            ("home end", "In the calendar: first session, today"),
        ]
        return [("Everywhere", everywhere), ("Library", library), ("History", history)]

    def _keys(self, binding: Binding) -> str:
        """Every key of a binding as the footer shows keys: "d del", not "d,delete"."""
        keys = binding.key.split(",")
        return " ".join(self.get_key_display(replace(binding, key=key.strip())) for key in keys)

    def show_in_library(self, kind: str, item_id: str) -> None:
        """Open the Library on one exercise ("x") or routine ("r")."""
        self.switch_mode("library")
        self.call_after_refresh(self._select, kind, item_id)

    def _select(self, kind: str, item_id: str) -> None:
        screen: Screen[object] = self.screen
        if isinstance(screen, LibraryScreen):
            screen.show_item(kind, item_id)


def _bindings(bindings: list[Binding | tuple[str, str] | tuple[str, str, str]]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]
