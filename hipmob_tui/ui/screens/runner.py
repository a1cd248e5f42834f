"""The runner: the screen a person follows from the floor, two metres away.

It forwards keys to the session run and renders the engine's readout; it keeps no time
of its own. A 10 Hz tick only advances the session and assigns the readout, a reactive;
its watcher splits it into one reactive per piece of the screen, and each of those
repaints its widget only when its whole-second text changes: over SSH, bytes are the cost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Digits, Header, Static

from hipmob_tui.session.bell import Bell
from hipmob_tui.session.engine import (
    ADJUST_SECONDS,
    Adjusted,
    Breath,
    Event,
    LeftUndone,
    Readout,
    State,
    clock_text,
    readout,
)
from hipmob_tui.session.run import SessionRun
from hipmob_tui.session.timeline import Pacing, Step, StepKind
from hipmob_tui.settings import Settings
from hipmob_tui.ui import text
from hipmob_tui.ui.dialogs.questions import finish_question
from hipmob_tui.ui.messages import Rang, SessionEnded, SessionOnScreen
from hipmob_tui.ui.text import PHASE_STYLE
from hipmob_tui.ui.widgets.big_text import BigFigures, BigText
from hipmob_tui.ui.widgets.footer import key_footer
from hipmob_tui.ui.widgets.how_to import HowTo
from hipmob_tui.ui.widgets.side_notes import side_bindings, side_line
from hipmob_tui.ui.widgets.step_bar import StepBar
from hipmob_tui.ui.widgets.too_small import TooSmall

TICK_SECONDS = 0.1
"""Redraw at most ten times a second; the engine reads the clock, the tick only asks."""


SHORT_HEIGHT = 26
"""Below this many rows the runner drops its blank lines."""
TALL_HEIGHT = 40
"""From this many rows (a tablet) the floor clock's phase and side are twice as big."""
FIGURES_TALLEST = 1.6
"""The floor clock's figures may be this much taller than wide, to fill a wide screen's
height (condensed, as on a stopwatch)."""
WAITS_RESERVE = 599
"""Room kept on a step that waits for Enter (its time counts up): up to 9:59."""
_TEN_SECONDS = Binding.Group("10s")
"""+ and - share one place in the footer: at 60 columns every key has to fit."""


class RunnerScreen(Screen[None]):
    """One session, step by step: big timer, progress, how-to, what comes next."""

    CSS_PATH = "session.tcss"  # read on first use, not before the first frame

    BINDINGS = [
        Binding("space", "pause", "Pause", tooltip="Pause the session"),
        Binding("space", "resume", "Resume", tooltip="Go on where you stopped"),
        Binding("n,right", "next", "Next", tooltip="Next step (skips a rest)"),
        Binding("p,left", "previous", "Back", tooltip="Back to the step before"),
        Binding("r", "restart", "Restart", tooltip="Start this step over"),
        Binding(
            "plus,equals_sign",
            "more",
            "+10s",
            tooltip="Ten seconds more on this step",
            group=_TEN_SECONDS,
        ),
        Binding(
            "minus,underscore",
            "less",
            "-10s",
            tooltip="Ten seconds less on this step",
            group=_TEN_SECONDS,
        ),
        Binding("enter", "done", "Done", tooltip="The reps are done: go on"),
        Binding("q", "finish", "End", tooltip="End the session (asks; saved as partial)"),
        Binding(
            "f",
            "app.floor(True)",
            "Big clock",
            tooltip="The floor clock: only the time, side and phase, read from afar",
        ),
        Binding("f", "app.floor(False)", "Details", tooltip="back to the exercise's details"),
        # Shown only in the pause after a per-side exercise, which they note (see
        # check_action); after the keys that drive the session, which matter more.
        *side_bindings("After a per-side exercise: {}"),
    ]

    # The tick assigns `shown`; its watcher derives the rest. A reactive calls its watcher
    # only when the value changes, so a piece of the screen repaints only when its own
    # whole-second text does. None of them fires before the first tick (init=False).
    shown: var[Readout | None] = var(None, init=False)
    """The engine as last read."""
    step_number: var[int] = var(-1, init=False)
    """Counts the steps entered: a new one redraws names, how-to and what comes next."""
    keys_for: var[tuple[State, int, str | None] | None] = var(None, init=False, bindings=True)
    """What decides which keys the footer shows: the state, the step, and its side note."""
    kind: var[str] = var("", init=False)
    clock: var[str] = var("", init=False)
    reps: var[tuple[int, int | None, Breath | None, int | None, str | None] | None] = var(
        None, init=False
    )
    """The line under the timer: the rep and breath on paced reps; in the pause after a
    per-side exercise, its side note (the item and the note so far)."""
    step_bar: var[tuple[int, int]] = var((0, 1), init=False)
    """Seconds done of the step's, bound to its bar."""
    session_bar: var[tuple[int, int]] = var((0, 1), init=False)
    """Seconds done of the session's, bound to its bar."""
    times: var[str] = var("", init=False)
    checkpoint_error: var[str | None] = var(None, init=False)
    """Why progress could not be saved, said once each time it starts failing."""

    def __init__(
        self,
        run: SessionRun,
        settings: Settings,
        *,
        resumed: bool,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.today = today
        """Today's date, for the streak the summary shows (the app's, so tests can fix it)."""
        self.run = run
        self.engine = run.engine
        """Read only: every command goes through `run`, which checkpoints step changes."""
        self.resumed = resumed
        """An interrupted session taken up again: it waits for space before the clock runs."""
        self.settings = settings
        self._bell = Bell()
        self._saving: bool | None = None
        """Set when the person ends the session: whether what was done gets a record."""

    def compose(self) -> ComposeResult:
        # The classes known now are set before any widget exists: set on the mounted
        # screen, each one restyles every widget in it (about 10 ms before the first frame).
        self._size_classes(self.app.size)
        self._kind_classes(self.engine.step)
        yield Header()
        with Vertical(classes="body", id="runner"):
            with Horizontal(id="runner-top"):
                yield Static(id="runner-exercise")
                yield Static(id="runner-where")
            with Center():
                yield Static(id="runner-kind")
            with Center():
                yield Digits(id="runner-clock")
            with Center():
                yield Static(id="runner-reps")
            with Center():
                yield StepBar(id="step-bar").data_bind(done_of=RunnerScreen.step_bar)
            yield HowTo(id="runner-howto")
            yield Static(id="runner-next")
            with Horizontal(id="runner-bottom"):
                yield Static("Session", id="session-label")
                yield StepBar(id="session-bar").data_bind(done_of=RunnerScreen.session_bar)
                yield Static(id="session-times")
        # The floor clock (the app's -floor class shows it instead): the time left as
        # large as the screen allows, the phase and side in big letters, the step's bar.
        with Vertical(classes="body", id="floor"):
            with Horizontal(id="floor-top"):
                yield Static(id="floor-kind")
                yield Static(id="floor-name")
                yield Static(id="floor-where")
            yield BigText(id="floor-label")
            yield BigFigures(id="floor-clock", tallest=FIGURES_TALLEST)
            with Center(id="floor-reps-row"):
                yield Static(id="floor-reps")
            yield StepBar(id="floor-bar").data_bind(done_of=RunnerScreen.step_bar)
        yield TooSmall(floor=True)
        yield key_footer(help_on_right=True)

    def on_mount(self) -> None:
        self.app.post_message(SessionOnScreen(shown=True))
        self.title = "hipmob"
        self.sub_title = self.engine.timeline.routine.name
        self.set_interval(TICK_SECONDS, self.tick)
        self.run.start()
        if self.resumed:
            # Wait for the person to get back into position.
            self.run.pause()
            # Short: the PAUSED label and the footer's "space Resume" stay as long as needed.
            self.notify("Resumed where you stopped.", timeout=4)
        self.tick()

    def on_unmount(self) -> None:
        self.app.post_message(SessionOnScreen(shown=False))

    # -- drawing ------------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """Back in sight (from another area, a dialog): show the session as it is now.

        The app pauses a session it hides; without this the first frame back would show
        it as it was until the next tick.
        """
        self.tick()

    def tick(self) -> None:
        """Bring the session up to now and show it: all the 10 Hz interval does."""
        self._show(self.run.advance())

    def _show(self, events: list[Event]) -> None:
        """Show the engine after a tick or a key, and what the key did."""
        for event in events:
            if isinstance(event, Adjusted):
                self.notify(f"{event.seconds:+.0f} s on this step", timeout=1.5)
            elif isinstance(event, LeftUndone) and not self.said_left_undone:
                # Said at the key, not first on the summary: the streak depends on it.
                # Once a session: a person who skips on purpose needs no reminder each time.
                self.said_left_undone = True
                self.notify(
                    "Moved on before half its time: that set is not counted, and the "
                    "session will be saved as partial unless you go back to it (p).",
                    timeout=6,
                )
        self.checkpoint_error = self.run.checkpoint_error
        self.shown = readout(self.engine)

    said_left_undone = False
    """Whether this session already said that a set left early does not count."""

    def watch_checkpoint_error(self, error: str | None) -> None:
        """Say once when progress cannot be saved: a crash would then lose more than a step."""
        if error is not None:
            self.notify(
                f"{error}\nThe session goes on; if hipmob is killed now, this step and "
                "the ones since are lost.",
                title="progress not saved",
                severity="warning",
                timeout=20,
                markup=False,
            )

    def watch_shown(self, before: Readout | None, now: Readout | None) -> None:
        """Ring, and split the readout into the pieces of the screen (each redraws on change)."""
        if now is None:
            return
        if now.state is State.FINISHED:
            if self._saving is not False:  # None: finished on its own; True: ended, saved
                self.app.call_later(self._finished)
            return
        step = self.engine.steps[now.index]
        if self.settings.bell:
            ring = self._bell.ring(before, now, step, self.engine.active_seconds)
            if ring is not None:
                self.post_message(Rang(ring))
        self.step_number = now.step_changes
        self.keys_for = (now.state, now.index, now.side_note)
        self.kind = f"PAUSED · {step.kind.label}" if now.state is State.PAUSED else step.kind.label
        self.clock = clock_text(now.seconds_done if step.waits_for_done else now.seconds_left)
        self.reps = (now.index, now.rep, now.breath, now.side_item, now.side_note)
        self.step_bar = (min(now.seconds_done, now.step_seconds), now.step_seconds)
        self.session_bar = (now.session_done, now.session_done + now.session_left)
        self.times = f"{clock_text(now.session_done)} done · {clock_text(now.session_left)} left"

    def watch_step_number(self) -> None:
        """Everything that changes only with the step: names, how-to, what comes next."""
        step = self.engine.step
        exercise = step.exercise
        self._kind_classes(step)
        self.query_one("#runner-exercise", Static).update(
            Content.assemble(text.phase_label(exercise.phase), "  ", text.literal(exercise.name))
        )
        self.query_one("#runner-where", Static).update(text.literal(_where(step)))
        self.query_one("#floor-name", Static).update(text.literal(exercise.name))
        self.query_one("#floor-where", Static).update(text.literal(_where(step, side=False)))
        label: list[tuple[str, str]] = [(exercise.phase.title, PHASE_STYLE[exercise.phase])]
        if step.side:
            label += [(" · ", ""), (step.side.upper(), "")]
        self.query_one("#floor-label", BigText).parts = tuple(label)
        # The figures keep one size through the step, however its time reads.
        longest = clock_text(max(step.seconds, WAITS_RESERVE if step.waits_for_done else 0))
        self.query_one("#floor-clock", BigFigures).set_reserve(
            "".join("8" if char.isdigit() else char for char in longest)
        )
        self.query_one("#runner-howto", HowTo).show(exercise, cue=step.set_number - 1)
        engine = self.engine
        self.query_one("#runner-next", Static).update(
            _next_line(engine.next_step, engine.next_work)
        )

    def watch_keys_for(self, keys_for: tuple[State, int, str | None] | None) -> None:
        """The paused look (the footer's keys follow by themselves: bindings=True)."""
        self.set_class(keys_for is not None and keys_for[0] is State.PAUSED, "-paused")

    def watch_kind(self, kind: str) -> None:
        """GET READY, WORK, PAUSED · REST..."""
        self.query_one("#runner-kind", Static).update(kind)
        self.query_one("#floor-kind", Static).update(kind)

    def watch_clock(self, clock: str) -> None:
        """The big timer (Digits repaints on every update, even with the same text)."""
        self.query_one("#runner-clock", Digits).update(clock)
        self.query_one("#floor-clock", BigFigures).text = clock

    def watch_reps(
        self, reps: tuple[int, int | None, Breath | None, int | None, str | None] | None
    ) -> None:
        """The rep under way and the breath, on paced reps; or the side note on offer."""
        if reps is not None:
            index, rep, breath, side_item, side_note = reps
            if side_item is None:
                line = _reps_line(self.engine.steps[index], rep, breath)
            else:
                exercise = next(s.exercise for s in self.engine.steps if s.item_index == side_item)
                line = side_line(exercise.name, side_note)
            self.query_one("#runner-reps", Static).update(line)
            self.query_one("#floor-reps", Static).update(line)

    def watch_times(self, times: str) -> None:
        """The session's time done and left."""
        self.query_one("#session-times", Static).update(times)

    def _kind_classes(self, step: Step) -> None:
        self.set_class(step.kind is StepKind.WORK, "-work")
        self.set_class(step.kind is not StepKind.WORK, "-between")

    def on_resize(self, event: events.Resize) -> None:
        self._size_classes(event.size)

    def _size_classes(self, size: Size) -> None:
        """Short: no blank lines, so the timer, the next line, the cue and the keys all fit
        at 60 × 20 (and the floor clock's phase and side in one line). Tall: those twice
        as big."""
        self.set_class(size.height < SHORT_HEIGHT, "-short")
        self.set_class(size.height >= TALL_HEIGHT, "-tall")

    # -- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something on this step."""
        engine = self.engine
        if action == "pause":
            return engine.state is State.RUNNING
        if action == "resume":  # not blind, under the "too small" notice
            app = self.app
            hidden = app.has_class("-tiny" if app.has_class("-floor") else "-too-small")
            return engine.state is State.PAUSED and not hidden
        step = engine.step
        if action in ("more", "less"):
            return step.adjustable
        if action == "done":
            # Only reps the person counts wait for Enter: paced reps (the breathing) are
            # counted by the app, which ends them as a timed step; n moves on early there.
            return step.waits_for_done
        if action in ("note_side", "clear_side"):
            item = engine.side_note_item
            if item is None:
                return False
            noted = engine.side_notes.get(item) == parameters[0]
            return noted if action == "clear_side" else not noted
        return True

    def action_pause(self) -> None:
        """Pause: the clock stops and paused time never counts."""
        self._show(self.run.pause())

    def action_resume(self) -> None:
        """Go on where the session stopped."""
        self._show(self.run.resume())

    def action_next(self) -> None:
        """Next step."""
        self._show(self.run.next())

    def action_previous(self) -> None:
        """The step before."""
        self._show(self.run.previous())

    def action_restart(self) -> None:
        """This step from its start."""
        self._show(self.run.restart_step())

    def action_more(self) -> None:
        """Ten seconds more."""
        self._show(self.run.adjust(ADJUST_SECONDS))

    def action_less(self) -> None:
        """Ten seconds less (never ends the step by itself)."""
        self._show(self.run.adjust(-ADJUST_SECONDS))

    def action_done(self) -> None:
        """The reps are done."""
        self._show(self.run.done_reps())

    def action_note_side(self, side: str) -> None:
        """Note which side of the exercise just done felt tighter (the same again clears)."""
        item = self.engine.side_note_item  # the one on the screen, as of the last tick
        if item is not None:
            self._show(self.run.note_side(item, side))

    def action_clear_side(self, side: str) -> None:
        """The side already noted, again: no note."""
        self.action_note_side(side)

    def action_finish(self) -> None:
        """Ask before ending: a stray key must never end a session."""
        # The clock waits while the person decides; "no" goes on where it stopped.
        was_running = self.engine.running
        events = self.run.pause()
        # Decided once, here: what the question promises is what happens.
        self._saving = self.run.anything_done
        self._show(events)
        self.app.push_screen(
            finish_question(self._saving), lambda confirmed: self._end(confirmed, was_running)
        )

    def _end(self, confirmed: bool | None, was_running: bool) -> None:
        if not confirmed:
            self._saving = None
            if was_running:
                self._show(self.run.resume())
            return
        events = self.run.finish()
        if self._saving:
            self._show(events)  # on to the summary, which saves
        else:
            if self.run.journal is not None:
                self.run.journal.clear()
            # Once the question has gone: popping now could take it and this screen both.
            self.call_after_refresh(self._leave)

    def _leave(self) -> None:
        if self.is_current:
            self.app.pop_screen()

    def _finished(self) -> None:
        if self.is_current:
            self.post_message(SessionEnded(self.run, self.settings))


def _where(step: Step, *, side: bool = True) -> str:
    parts = []
    if step.sets > 1:
        parts.append(f"set {step.set_number} of {step.sets}")
    if step.side and side:
        parts.append(f"{step.side} side")
    return " · ".join(parts)


def _reps_line(step: Step, rep: int | None, breath: Breath | None) -> Content:
    if step.kind is not StepKind.WORK:
        return Content("")
    if step.pacing is Pacing.PACED_REPS and rep is not None:
        return Content.assemble(
            Content.styled(f"rep {rep} of {step.reps}", "bold"),
            Content.styled(" · ", "dim"),
            *_breaths(breath),
            Content.styled(f" · {step.tempo_seconds} s a rep", "dim"),
        )
    if step.pacing is Pacing.CONFIRMED_REPS:
        return Content.assemble(
            Content.styled(f"{step.reps} rep" + ("" if step.reps == 1 else "s"), "bold"),
            Content.styled(" · press enter when done", "dim"),
        )
    return Content("")


def _breaths(now: Breath | None) -> list[Content]:
    """ "breathe in … breathe out", the half the person is in lit, the other dim."""
    words = [
        Content.styled(breath.value, "bold $accent" if breath is now else "dim")
        for breath in Breath
    ]
    return [words[0], Content.styled(" … ", "dim"), words[1]]


def _next_line(step: Step | None, work: Step | None) -> Content:
    """What comes next, and after a pause, the work it leads to."""
    if step is None:
        return Content.styled("Next: the end — well done.", "dim")
    what = step.describe()
    if not step.is_work:
        what = f"{what} {clock_text(step.seconds)}"
        if work is not None:
            what += f", then {work.describe()}"
    return Content.assemble(Content.styled("Next: ", "dim"), text.literal(what))
