"""Following a program from the app (under Pilot): f in the Library, Enter to follow, x to
stop; the Library's line and the picker's suggestion follow the stage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.store import Store
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.screens.plan import PlanScreen
from tests.test_ui_today import paths_in, session, today_line
from tests.uitools import screen_text, settle

TODAY = date(2026, 11, 24)
SIZE = (100, 30)


def library_line(app: HipmobApp) -> str:
    return str(app.screen.query_one("#program-line", Static).content)


async def test_follow_from_the_plan_then_stop(builtin_catalog: Catalog, tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    Store(paths.db).merge([session(1, TODAY, "full-session", "Full Session")])
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert library_line(app) == "No program · f: plan"
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert "You follow no program." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        (fact,) = Store(paths.db).plan_facts()
        assert (fact.program_id, fact.date, fact.stage) == ("reset-restore-rebuild", TODAY, 1)
        text = screen_text(app)
        assert "Stage     1 of 3: Calm, since Tue 24 Nov 2026" in text
        assert "following" in text
        # Enter again on the program followed would restart it: it only says so.
        await pilot.press("enter")
        await settle(pilot)
        assert len(Store(paths.db).plan_facts()) == 1
        assert "would start over at stage 1" in "\n".join(
            str(n.message) for n in app._notifications
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert library_line(app) == "Reset, Restore, Rebuild · stage 1/3 Calm"
        # The picker suggests from the stage's routines, and says the stage.
        await pilot.press("s")
        await settle(pilot)
        assert today_line(app) == "Done for today (streak 1 day)."
        await pilot.press("l", "f")
        await settle(pilot)
        # Stopping loses the place in the program: it asks, and only y stops.
        await pilot.press("x")
        await settle(pilot)
        assert "Stop following Reset, Restore, Rebuild?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert len(Store(paths.db).plan_facts()) == 1, "any other key keeps following"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [f.program_id for f in Store(paths.db).plan_facts()] == [
            "reset-restore-rebuild",
            None,
        ]
        assert "You follow no program." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert library_line(app) == "No program · f: plan"


async def test_the_picker_suggests_from_the_stage(builtin_catalog: Catalog, tmp_path: Path) -> None:
    from datetime import timedelta

    paths = paths_in(tmp_path)
    yesterday = TODAY - timedelta(days=1)
    Store(paths.db).merge([session(1, yesterday, "desk-reset", "Desk Reset", pain_before=2)])
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter", "escape", "s")
        await settle(pilot)
        # Stage 1 holds only the desk reset: it comes first, with the stage in its reason.
        assert today_line(app) == (
            "Suggested today: Desk Reset (done least recently; stage 1 of 3: Calm)."
        )


async def test_a_program_gone_from_the_files_is_said_in_the_library(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from hipmob_tui.history.records import PlanFact

    paths = paths_in(tmp_path)
    made = datetime(2026, 11, 1, tzinfo=UTC)
    Store(paths.db).add_plan_fact(PlanFact("plan-gone", TODAY, "gone-plan", 1, made))
    app = HipmobApp(builtin_catalog, paths, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert library_line(app) == "Following 'gone-plan': not defined · f: plan"
        await pilot.press("f")
        await settle(pilot)
        assert "You follow 'gone-plan'" in screen_text(app)


async def test_the_summary_says_when_a_session_moves_the_stage_on(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from hipmob_tui.content.loading import load_catalog
    from hipmob_tui.history.records import PlanFact
    from hipmob_tui.paths import builtin_routines_dir, routine_files
    from hipmob_tui.session.clock import FakeClock
    from tests.conftest import QUICK_ROUTINES
    from tests.test_ui_session import quick_app, to_the_summary

    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "programs:\n"
        "  - id: quick-plan\n"
        "    name: Quick Plan\n"
        "    stages:\n"
        "      - name: First\n"
        "        routines: [quick]\n"
        "        sessions_per_week: 2\n"
        "        advance: {sessions: 1}\n"
        "      - name: Second\n"
        "        routines: [quick]\n"
        "        sessions_per_week: 3\n"
    )
    catalog = load_catalog(routine_files(builtin_routines_dir()), [QUICK_ROUTINES, plan])
    clock = FakeClock()
    app = quick_app(catalog, tmp_path, clock, start_routine="quick")
    today = app.today()
    made = datetime(2026, 1, 1, tzinfo=UTC)
    Store(app.paths.db).add_plan_fact(PlanFact("plan-quick", today, "quick-plan", 1, made))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # no pain score
        await to_the_summary(pilot, clock)
        await settle(pilot)
        assert "This session moved Quick Plan on to stage 2: Second." in screen_text(app)
