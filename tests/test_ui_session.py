"""The Session area under Pilot: pick, run, pause, finish, summary, resume; on a fake clock."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Digits, OptionList

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.store import Store
from hipmob_tui.paths import Paths, resolve
from hipmob_tui.session.clock import FakeClock
from hipmob_tui.session.journal import Journal, journal_path
from hipmob_tui.ui.app import HipmobApp, RoutineApp
from hipmob_tui.ui.dialogs.check_form import CheckScreen
from hipmob_tui.ui.dialogs.resume import ResumeScreen
from hipmob_tui.ui.screens.library import LibraryScreen
from hipmob_tui.ui.screens.picker import PickerScreen
from hipmob_tui.ui.screens.runner import RunnerScreen
from hipmob_tui.ui.screens.summary import SummaryScreen
from tests.uitools import notices, screen_text, settle, wait

pytestmark = pytest.mark.slow  # drives the whole app in Pilot: about a second a test

SIZE = (100, 30)


def paths_in(folder: Path) -> Paths:
    return resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})


def quick_app(catalog: Catalog, folder: Path, clock: FakeClock, **kwargs: object) -> HipmobApp:
    kind = RoutineApp if "start_routine" in kwargs else HipmobApp
    return kind(catalog, paths_in(folder), clock=clock, **kwargs)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def quick_session(
    catalog: Catalog, folder: Path
) -> AsyncIterator[tuple[HipmobApp, Pilot[None], FakeClock]]:
    """`hipmob run quick` on a fake clock, past the pain question (skipped)."""
    clock = FakeClock()
    app = quick_app(catalog, folder, clock, start_routine="quick")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        yield app, pilot, clock


async def to_the_summary(pilot: Pilot[None], clock: FakeClock) -> None:
    """Past every step of `quick`: the reps done, no pain score after, the summary saved."""
    await wait(pilot, clock, 200)
    await pilot.press("enter", "s")
    await settle(pilot)


async def test_a_whole_routine_to_the_summary_and_into_the_history(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Pain right now?" in screen_text(app)
        await pilot.press("6")
        await pilot.pause()
        assert "GET READY" in screen_text(app)
        await wait(pilot, clock, 5.5)
        text = screen_text(app)
        assert "WORK" in text and "set 1 of 2 · left side" in text and "Quick Hold" in text
        assert journal_path(app.paths.db).exists()
        # Through both sets and sides, the rest and the get-ready of the reps.
        for _ in range(14):
            await wait(pilot, clock, 5)
        assert "3 reps · press enter when done" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) is False
        assert "Pain now, after the session?" in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        assert "Session complete" in text and "6→2" in text
        assert "Saved. Streak 1 day" in text
    (record,) = Store(app.paths.db).sessions()
    assert record.status == "completed" and (record.pain_before, record.pain_after) == (6, 2)
    assert [(e.id, e.sets_done) for e in record.exercises] == [("quick-hold", 2), ("quick-reps", 1)]
    assert not journal_path(app.paths.db).exists()


async def test_a_note_is_saved_literally(quick_catalog: Catalog, tmp_path: Path) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await to_the_summary(pilot, clock)
        await pilot.press("n", *"felt [bold]good[/]", "enter")
        await settle(pilot)
        assert "felt [bold]good[/]" in screen_text(app)
    (record,) = Store(app.paths.db).sessions()
    assert record.notes == "felt [bold]good[/]" and record.pain_after is None


async def test_stray_escapes_and_split_arrow_keys_never_end_a_session(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 6)
        # An arrow key split on a laggy link: Escape, then "[" and a letter.
        await pilot.press("escape", "left_square_bracket", "A", "escape", "escape")
        await pilot.press("q", "escape")  # the question, answered by a stray Escape
        await pilot.press("q", "left_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert app.active_run is not None and not app.active_run.engine.finished
        await pilot.press("q")
        assert "End the session now?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen_stack[-2], SummaryScreen)
        await pilot.press("s")
        await settle(pilot)
        assert "Saved as a partial session" in screen_text(app)
    (record,) = Store(app.paths.db).sessions()
    assert record.status == "partial"


async def test_pause_stops_the_clock_and_the_keys_say_so(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 2)
        await pilot.press("space")
        await wait(pilot, clock, 100)
        text = screen_text(app)
        assert "PAUSED" in text and "space Resume" in text
        assert app.active_run is not None and app.active_run.engine.step_remaining == 3
        await pilot.press("space")
        await wait(pilot, clock, 1)
        assert "GET READY" in screen_text(app) and "space Pause" in screen_text(app)


async def test_next_back_restart_and_time_keys(quick_catalog: Catalog, tmp_path: Path) -> None:
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "right")
        await pilot.pause()
        run = app.active_run
        assert run is not None and run.engine.step.is_work
        await pilot.press("plus", "plus")
        assert run.engine.step_remaining == 23
        await pilot.press("minus")
        assert run.engine.step_remaining == 13
        await wait(pilot, clock, 2)
        await pilot.press("r")
        assert run.engine.step_remaining == 3
        await pilot.press("left")
        assert "GET READY" in screen_text(app) or run.engine.index == 0
        await pilot.press("n", "n")
        await pilot.pause()
        assert "SWITCH SIDES" in screen_text(app)


async def test_quitting_mid_session_asks_then_keeps_it_resumable(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 9)
        await pilot.press("l", "q")  # from the Library, with the session still running
        assert "Quit hipmob in the middle of a session?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    (record,) = Store(app.paths.db).sessions()
    assert record.status == "partial"
    saved = Journal(app.paths.db).load()
    assert saved is not None and saved.record.id == record.id

    # The next start offers it; resuming and finishing replaces the partial record.
    clock = FakeClock()
    again = quick_app(quick_catalog, tmp_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ResumeScreen)
        assert "An unfinished session" in screen_text(again)
        await pilot.press("r")
        await pilot.pause()
        run = again.active_run
        assert run is not None and run.engine.index == saved.snapshot["index"]
        # It waits, paused, for the person to get back into position.
        assert run.engine.paused and "PAUSED" in screen_text(again)
        await pilot.press("space")
        await to_the_summary(pilot, clock)
    (record,) = Store(app.paths.db).sessions()
    assert record.status == "completed" and record.id == saved.record.id


async def test_keep_as_partial_saves_the_interrupted_session(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 12)
    assert Store(app.paths.db).sessions() == []  # killed, as it were: only the journal
    again = quick_app(quick_catalog, tmp_path, FakeClock())
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # decide later: nothing changes
        await pilot.pause()
        assert journal_path(app.paths.db).exists()
    third = quick_app(quick_catalog, tmp_path, FakeClock())
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await settle(pilot)
    (record,) = Store(app.paths.db).sessions()
    assert record.status == "partial" and not journal_path(app.paths.db).exists()


async def test_keep_after_quitting_mid_step_keeps_the_seconds_the_quit_saved(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 5)  # into the first hold: the journal's last checkpoint
        await wait(pilot, clock, 2)
        await pilot.press("l", "q", "y")  # saved as partial, 2 s into the hold
        await pilot.pause()
    (quit_record,) = Store(app.paths.db).sessions()
    checkpoint = Journal(app.paths.db).load()
    assert checkpoint is not None and checkpoint.record.active_seconds == 5
    assert quit_record.active_seconds == 7
    again = quick_app(quick_catalog, tmp_path, FakeClock())
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the dialog looks for a newer save in a thread
        assert "0 of 3 sets done, 7 s active" in screen_text(again)
        await pilot.press("k")
        await settle(pilot)
        assert "Quick Try: saved as a partial session." in notices(again)
    (kept,) = Store(app.paths.db).sessions()
    assert kept == quit_record and not journal_path(app.paths.db).exists()


async def test_ending_a_resumed_session_keeps_the_time_before_the_kill(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 5)  # the get-ready done, the first hold just begun
    assert Store(app.paths.db).sessions() == []  # killed, as it were: only the journal
    clock = FakeClock()
    again = quick_app(quick_catalog, tmp_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("space")
        await wait(pilot, clock, 0.5)  # back in position, and ends it at once
        await pilot.press("q")
        text = screen_text(again)
        assert "What you did so far is saved as a partial session." in text
        assert "Nothing is done yet" not in text
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("s")
        await settle(pilot)
        assert "Saved as a partial session" in screen_text(again)
    (record,) = Store(app.paths.db).sessions()
    assert record.status == "partial" and record.active_seconds == round(5 + 0.5)  # before, after
    assert not journal_path(app.paths.db).exists()


async def test_a_changed_routine_can_only_be_kept(
    quick_catalog: Catalog, builtin_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 7)
    again = quick_app(builtin_catalog, tmp_path, FakeClock())  # "quick" is gone
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "It cannot be resumed: its routine is no longer in" in screen_text(again)
        await pilot.press("r")
        assert isinstance(again.screen, ResumeScreen)


async def test_pick_a_routine_in_the_session_area(builtin_catalog: Catalog, tmp_path: Path) -> None:
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "down")
        await pilot.pause()
        assert "Pick a routine" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Pre-Run Hip Prep" in text and "Pain right now?" in text
        assert app.active_run is None, "nothing starts before the question is answered"
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert app.active_run is not None and app.active_run.pain_before == 4
        assert app.active_run.engine.timeline.routine.id == "pre-run-prep"


async def test_run_one_exercise_from_the_library(builtin_catalog: Catalog, tmp_path: Path) -> None:
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "r", "s")
        await pilot.pause()
        run = app.active_run
        assert run is not None and run.engine.timeline.routine.id == "exercise:glute-release"
        assert "Foam Roll / Lacrosse Ball Glutes" in screen_text(app)


async def test_the_question_comes_over_the_library_and_escape_goes_back_to_it(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """r asks over the Library, naming the routine; escape backs out and nothing starts."""
    app = quick_app(builtin_catalog, tmp_path, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "end", "r")  # the last routine: Full Session
        await pilot.pause()
        text = screen_text(app)
        assert "Pain right now?" in text and "Full Session" in text
        assert "esc Back" in text.splitlines()[-1]
        assert isinstance(app.screen_stack[-2], LibraryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and app.active_run is None
        await pilot.press("r", "3")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen), "the full session checks IR first"
        await pilot.press("escape")  # skipped: the session starts all the same
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen) and app.area == "session"
        assert app.active_run is not None and app.active_run.pain_before == 3


async def test_the_footer_under_a_question_shows_its_keys_not_the_runners(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 2)
        await pilot.press("q")
        await pilot.pause()
        bottom = screen_text(app).splitlines()[-1]
        assert "y Yes" in bottom and "Pause" not in bottom and "Next" not in bottom


async def test_the_routine_list_shows_enter_starts(builtin_catalog: Catalog) -> None:
    app = HipmobApp(builtin_catalog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert "⏎ Start" in screen_text(app).splitlines()[-1]


async def test_the_big_timer_repaints_once_a_second_and_never_while_paused(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Over SSH every repaint is bytes: ten ticks a second, one new timer a second."""
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 5.5)  # half a second into the first hold
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        digits = runner.query_one("#runner-clock", Digits)
        shown: list[str] = []
        update = digits.update

        def counted(value: str) -> None:
            shown.append(value)
            update(value)

        digits.update = counted  # type: ignore[method-assign]
        for _ in range(20):  # two seconds, as the runner's own tick sees them
            await wait(pilot, clock, 0.1)
        assert len(shown) == 2 and len(set(shown)) == 2
        await pilot.press("space")
        await pilot.pause()
        assert "PAUSED" in screen_text(app)
        for _ in range(20):
            await wait(pilot, clock, 0.1)
        assert len(shown) == 2


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        # Get ready 5 s, hold 3, switch 5, hold 3, rest 15: only the rest is long enough
        # for a 3-2-1, and nothing rings twice in a second.
        ("{}", [1005, 1008, 1013, 1016, 1028, 1029, 1030, 1031]),
        ('{"bell": false}', []),
    ],
)
async def test_the_bell_rings_on_steps_and_at_three_two_one_before_long_ones_unless_off(
    quick_catalog: Catalog, tmp_path: Path, settings: str, expected: list[float]
) -> None:
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    app.paths.settings.parent.mkdir(parents=True, exist_ok=True)
    app.paths.settings.write_text(settings)
    rings: list[float] = []
    app.bell = lambda: rings.append(clock.now)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        for _ in range(32):
            await wait(pilot, clock, 1)
    assert rings == expected


async def test_resizing_during_a_hold_keeps_time_and_says_when_too_small(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    import random

    rng = random.Random(3)
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 5.5)
        run = app.active_run
        assert run is not None
        sizes = [(w, h) for w in (1, 7, 20, 40) for h in (1, 5, 12)]
        sizes += [(rng.randint(1, 120), rng.randint(1, 40)) for _ in range(12)]
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            if width < 60 or height < 20:
                assert "Terminal too small" in screen_text(app) or width < 20 or height < 3
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert run.engine.active_seconds == 5.5  # the clock did not move: neither did the session
        await pilot.press("space")  # it paused while too small
        await wait(pilot, clock, 1)
        assert "WORK" in screen_text(app)
        assert run.engine.step_remaining == 1.5


async def test_a_too_small_terminal_pauses_the_session_and_says_so_when_big_again(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 2)
        run = app.active_run
        assert run is not None and run.engine.running
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert run.engine.paused and "Terminal too small" in screen_text(app)
        assert "The session is paused: space goes on once it fits." in screen_text(app)
        await pilot.press("space")  # blind: it stays paused while nothing can be seen
        await wait(pilot, clock, 30)
        assert run.engine.paused and run.engine.active_seconds == 2
        await pilot.resize_terminal(58, 24)  # still too narrow: nothing said yet
        await pilot.pause()
        assert "too small. Press space" not in notices(app)
        await pilot.resize_terminal(60, 20)
        await wait(pilot, clock, 0.5)
        assert "Paused while the terminal was too small. Press space to go on." in notices(app)
        assert "PAUSED" in screen_text(app) and "space Resume" in screen_text(app)
        await pilot.resize_terminal(25, 3)  # the notice is not hidden under that toast
        await pilot.pause()
        assert "Terminal too small" in screen_text(app), screen_text(app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.press("space")
        await wait(pilot, clock, 1)
        assert run.engine.running and run.engine.active_seconds == 3


async def test_too_small_for_the_details_the_runner_offers_the_big_clock(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Where the big clock fits (40 × 15) but the details do not, the notice says f."""
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await pilot.resize_terminal(44, 16)
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "Or press f for the big clock: it fits 40 × 15." in shown, shown
        await pilot.press("f")
        await wait(pilot, clock, 0)
        assert "Terminal too small" not in screen_text(app)
        await pilot.press("f")  # every detail again: too small, and f offered again
        await pilot.pause()
        assert "Or press f for the big clock" in " ".join(screen_text(app).split())
        await pilot.resize_terminal(30, 10)  # not even the big clock fits: not offered
        await pilot.pause()
        shown = screen_text(app)
        assert "Terminal too small" in shown and "big clock" not in shown, shown


async def test_shrinking_a_paused_session_says_nothing_when_big_again(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 1)
        await pilot.press("space")
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert "too small" not in notices(app)


async def test_the_clock_waits_while_end_the_session_is_asked(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """q stops the clock while the person decides; any key but y goes on where it was."""
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 6)
        run = app.active_run
        assert run is not None and run.engine.running
        left = run.engine.step_remaining
        await pilot.press("q")
        await wait(pilot, clock, 30)
        assert "End the session now?" in screen_text(app)
        assert run.engine.step_remaining == left
        await pilot.press("n")
        await wait(pilot, clock, 1)
        assert run.engine.running and run.engine.step_remaining == left - 1
        await pilot.press("space", "q", "x")  # paused before q: still paused after a no
        await wait(pilot, clock, 5)
        assert run.engine.paused and run.engine.step_remaining == left - 1
        await pilot.press("space", "ctrl+q")  # quitting hipmob asks the same way
        await wait(pilot, clock, 30)
        assert "Quit hipmob in the middle" in screen_text(app)
        await pilot.press("n")
        await wait(pilot, clock, 0.5)
        assert run.engine.running and run.engine.step_remaining == left - 1.5


async def test_ending_before_any_work_saves_nothing_and_says_so(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 2)  # still getting ready
        await pilot.press("q")
        assert "Nothing is done yet, so nothing will be saved." in screen_text(app)
        await wait(pilot, clock, 10)  # the clock waits while the question is up
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        # `hipmob run` built the picker only now, when it is first seen: it is all there.
        await pilot.pause()
        text = screen_text(app)
        assert "Pick a routine" in text and "Quick" in text and "about " in text
        await pilot.press("enter")
        await pilot.pause()
        assert "Pain right now?" in screen_text(app), "enter started the highlighted routine"
    assert Store(app.paths.db).sessions() == []
    assert not journal_path(app.paths.db).exists()


async def test_leaving_the_session_area_pauses_the_session(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 6)
        await pilot.press("l")
        run = app.active_run
        assert run is not None and run.engine.paused
        assert "Session paused. Press s to go back to it." in notices(app)
        await wait(pilot, clock, 30)
        await pilot.press("s")
        await pilot.pause()
        assert "PAUSED · WORK" in screen_text(app) and run.engine.active_seconds == 6
        # Back where it says to go, its advice is gone: it covered the runner's corner.
        assert "Session paused" not in notices(app)
        assert "Session paused" not in screen_text(app)


async def test_q_and_y_typed_together_end_the_session(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 8)
        app.post_message(events.Key("q", "q"))
        app.post_message(events.Key("y", "y"))  # before the question is on screen
        for _ in range(5):
            await pilot.pause()
        assert app.active_run is None or app.active_run.engine.finished


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (100, 30)])
async def test_the_runner_fits_from_the_smallest_size_up(
    builtin_catalog: Catalog, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Timer, label, the next line, the cue and every session key, on each kind of step."""
    clock = FakeClock()
    app = quick_app(builtin_catalog, tmp_path, clock, start_routine="evening-wind-down")
    keys = ["space", "n Next", "p Back", "r Restart", "q End", "? Help"]
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        # get ready, the paced breathing, the pause before the glutes, a hold, a switch
        for step_keys in ([], ["n"], ["n"], ["n"], ["n"]):
            await pilot.press(*step_keys)
            await wait(pilot, clock, 0.5)
            lines = screen_text(app).splitlines()
            shown = "\n".join(lines)
            assert len(lines) == size[1]
            assert any(label in shown for label in ("GET READY", "WORK", "SWITCH SIDES"))
            assert "┏━┓" in shown, shown  # the big timer's top row
            assert any(line.strip().startswith("Next: ") for line in lines), shown
            assert "Cue: " in shown, shown
            footer = lines[-1]
            assert all(key in footer for key in keys), footer
            # Time keys on a timed step; none on the breaths, which the app counts and ends.
            run = app.active_run
            assert run is not None
            assert ("+ - 10s" in footer) == run.engine.step.adjustable, footer
            assert "Done" not in footer, footer  # no step here waits for enter
            assert footer.rstrip().endswith("? Help"), footer
            assert ("l Library" in footer) == (size[0] >= 80), footer


async def test_at_60_columns_l_and_h_still_switch_areas_and_pause(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await wait(pilot, clock, 1)
        await pilot.press("h")
        # Read the notice first: it times out in real seconds, and History can be slow to build.
        assert "Session paused. Press s to go back to it." in notices(app)
        run = app.active_run
        assert run is not None and run.engine.paused
        await pilot.pause()
        assert app.area == "history"


async def test_a_long_how_to_shows_whole_steps_and_counts_the_rest(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = quick_app(builtin_catalog, tmp_path, clock, start_routine="evening-wind-down")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s", "n", "n")  # the glute release: four long steps
        await wait(pilot, clock, 0.5)
        shown = screen_text(app)
        assert "1. Sit on the roller or ball with it under one side of" in shown
        assert "… 2 more steps" in shown and "3. Roll" not in shown, shown
        await pilot.resize_terminal(100, 30)
        await wait(pilot, clock, 0.5)
        shown = screen_text(app)
        assert "4. With a ball" in shown and "more step" not in shown, shown


@pytest.mark.parametrize(("size", "close"), [((60, 20), "escape"), ((100, 30), "question_mark")])
async def test_help_says_how_to_close_it_and_both_keys_do(
    quick_catalog: Catalog, tmp_path: Path, size: tuple[int, int], close: str
) -> None:
    from hipmob_tui.ui.screens.help import HelpScreen

    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "escape or ? closes this help" in screen_text(app)  # on the frame, unscrolled
        await pilot.press(close)
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)


async def test_a_note_left_with_escape_is_neither_saved_nor_shown(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Typing a note, the box and the bar say how to save or cancel; escape puts it back."""
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await to_the_summary(pilot, clock)
        assert "writing: enter saves" not in screen_text(app)
        await pilot.press("n", *"abc")
        await pilot.pause()
        bottom = screen_text(app).splitlines()[-1]
        assert "⏎ Save note" in bottom and "esc Cancel" in bottom
        assert "Note · writing: enter saves, escape leaves it as it was" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert "abc" not in text and "Change not saved" in notices(app)
        assert "n Note" in text.splitlines()[-1]
        assert "writing: enter saves" not in text
        await pilot.press("n", *"kept", "enter")
        await settle(pilot)
        assert "kept" in screen_text(app)
        await pilot.press("n", *" more", "escape")
        await pilot.pause()
        assert "kept" in screen_text(app) and "kept more" not in screen_text(app)
    (record,) = Store(app.paths.db).sessions()
    assert record.notes == "kept"


async def test_the_summary_counts_the_streak_on_the_apps_today(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """The streak is worked out on the app's date (fixed in tests and demos), not the host's."""
    from datetime import date, timedelta

    clock = FakeClock()
    later = date.today() + timedelta(days=2)  # today's session is then two days old
    app = RoutineApp(
        quick_catalog, paths_in(tmp_path), clock=clock, start_routine="quick", today=lambda: later
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await to_the_summary(pilot, clock)
        assert "Saved. Streak 0 days" in screen_text(app)


async def test_done_on_the_summary_shows_the_routine_just_run(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """After `hipmob run`, the routine list (built only now) has the routine highlighted."""
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await to_the_summary(pilot, clock)
        await pilot.press("enter")  # Done
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        chosen = picker._highlighted()
        assert chosen is not None and chosen.id == "quick"
        assert len(quick_catalog.routines) > 1 and list(quick_catalog.routines)[0] != "quick"


async def test_a_high_pain_score_offers_to_mark_today_a_flare_day(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Pain 8 before: the summary offers f (never forced); f marks today, says what is gentler."""
    clock = FakeClock()
    app = quick_app(quick_catalog, tmp_path, clock, start_routine="quick")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await to_the_summary(pilot, clock)
        text = screen_text(app)
        assert "f Flare day" in text.splitlines()[-1]
        said = " ".join(text.split())
        assert "Your pain was 8 before this session." in said
        assert "Next time, Desk Reset (RESET only) is gentler." in said
        assert Store(app.paths.db).marks() == []  # only an offer
        await pilot.press("f")
        await settle(pilot)
        assert "Today is marked a flare day." in screen_text(app)
        assert "f Flare day" not in screen_text(app).splitlines()[-1]
    (mark,) = Store(app.paths.db).marks()
    assert (mark.date, mark.kind) == (date.today(), "flare")


async def test_no_offer_when_pain_stays_calm(quick_catalog: Catalog, tmp_path: Path) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await to_the_summary(pilot, clock)
        assert "flare" not in screen_text(app).lower()
        await pilot.press("f")
        await settle(pilot)
    assert Store(app.paths.db).marks() == []


def _highlighted_routine(app: HipmobApp) -> str | None:
    """The id of the routine the picker's list has highlighted (enter would start it)."""
    picker = app.screen
    assert isinstance(picker, PickerScreen)
    routines = picker.query_one("#picker-routines", OptionList)
    assert routines.highlighted is not None
    return routines.get_option_at_index(routines.highlighted).id


async def test_escape_at_the_question_of_hipmob_run_leaves_its_routine_highlighted(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """`hipmob run evening-wind-down`, escape: the routines come up on that one, not on
    today's suggestion (listed first), so enter asks about it again."""
    app = quick_app(builtin_catalog, tmp_path, FakeClock(), start_routine="evening-wind-down")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert "Desk Reset  suggested" in screen_text(app)  # first, and not the one left
        assert _highlighted_routine(app) == "evening-wind-down"
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Pain right now?" in text and "Evening Wind-Down" in text


async def test_ending_a_session_early_goes_back_to_its_routine_in_the_list(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """`hipmob run quick`, then q and y before any work: the routines show `quick`."""
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 2)
        await pilot.press("q", "y")
        await settle(pilot)
        assert list(quick_catalog.routines)[0] != "quick"
        assert _highlighted_routine(app) == "quick"


async def test_enter_is_offered_only_on_reps_you_count_yourself(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    """The breathing drill is counted by the app and ends by itself: no "⏎ Done" there,
    and enter does not mark breaths not yet taken as done. Counted reps keep it."""
    clock = FakeClock()
    app = quick_app(builtin_catalog, tmp_path, clock, start_routine="evening-wind-down")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "n")  # no pain score; past the get-ready
        await wait(pilot, clock, 1)
        run = app.active_run
        assert run is not None and run.engine.step.is_work
        text = screen_text(app)
        assert "rep 1 of 8" in text, text
        footer = text.splitlines()[-1]
        assert "Done" not in footer and "n Next" in footer, footer
        await pilot.press("enter")
        await wait(pilot, clock, 1)
        assert "rep 1 of 8" in screen_text(app), "enter skipped the breaths"
        assert run.engine.index == 1
        await wait(pilot, clock, 8 * 6)  # eight breaths of six seconds: it moves on alone
        assert run.engine.index > 1 and run.engine.done[1]


async def test_counted_reps_show_enter_done_and_it_ends_them(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, clock):
        await wait(pilot, clock, 195)  # through the holds, to the reps counted by the person
        text = screen_text(app)
        assert "3 reps · press enter when done" in text
        assert "⏎ Done" in text.splitlines()[-1]
        await pilot.press("enter")
        await pilot.pause()
        assert "Pain now, after the session?" in screen_text(app)


async def test_the_routines_are_shown_again_after_a_session_started_on_a_tiny_terminal(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Shrunk under the runner, grown back, the session ended: the routine list is back.

    Textual restyles only the top screen when the app's classes change, and not the one a
    closing screen uncovers: the list kept its "too small" look at full size, and Enter
    started a routine nobody could see."""
    app = quick_app(quick_catalog, tmp_path, FakeClock())
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter", "enter")  # the highlighted routine; no pain score
        await settle(pilot)
        assert app.active_run is not None and "Terminal too small" in screen_text(app)
        await pilot.resize_terminal(*SIZE)
        await pilot.press("q", "y")  # nothing done: nothing saved, back to the routines
        await settle(pilot)
        assert app.active_run is None
        shown = screen_text(app)
        assert "Terminal too small" not in shown
        assert "Quick" in shown and "Desk Reset" in shown, shown


async def test_moving_on_early_from_work_says_once_that_it_will_not_count(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """Found only on the summary before: a set left early makes the session partial."""
    async with quick_session(quick_catalog, tmp_path) as (app, pilot, _clock):
        said = "Moved on before half its time: that set is not counted"
        await pilot.press("n")  # the get-ready: no work left undone
        await pilot.pause()
        assert said not in notices(app)
        await pilot.press("n")  # the left hold, at once
        await pilot.pause()
        assert notices(app).count(said) == 1
        assert "(p)" in notices(app)  # how to make it count after all
        await pilot.press("n", "n")  # the switch, then the right hold at once
        await pilot.pause()
        assert notices(app).count(said) == 1, "said once a session"


async def test_after_hipmob_run_on_a_tiny_terminal_the_routines_show_at_full_size(
    quick_catalog: Catalog, tmp_path: Path
) -> None:
    """`hipmob run` mounts the routine list under the runner, never shown before the end."""
    app = quick_app(quick_catalog, tmp_path, FakeClock(), start_routine="quick")
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.press("s")  # no pain score
        await settle(pilot)
        await pilot.resize_terminal(*SIZE)
        await pilot.press("q", "y")
        await settle(pilot)
        shown = screen_text(app)
        assert app.active_run is None and "Terminal too small" not in shown
        assert "Quick Try" in shown and "Desk Reset" in shown, shown
