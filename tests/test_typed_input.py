"""Text fields keep a burst of keys in order: editing keys act where they were typed.

Stock Input and TextArea run backspace, the arrows and their other editing keys only once
the key has bubbled up to the app, after the characters typed behind them (Textual issue
#6605); hipmob's fields run them in turn.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from hipmob_tui.ui.dialogs.session_forms import TypedTextArea
from hipmob_tui.ui.widgets.typed_input import TypedInput

SIZE = (60, 12)


class Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield TypedInput(id="line")
        yield TypedTextArea(id="notes")


async def burst(app: App[None], keys: list[str]) -> None:
    for key in keys:
        app.simulate_key(key)  # queued together, as a paste or a key macro arrives


async def test_backspace_in_a_burst_deletes_where_it_was_typed() -> None:
    app = Fields()
    async with app.run_test(size=SIZE) as pilot:
        await burst(app, ["1", "2", "backspace", "backspace", "2", ".", "5"])
        await pilot.pause()  # until the queued keys are handled
        assert app.query_one(TypedInput).value == "2.5"


async def test_arrows_and_home_in_a_burst_move_before_the_next_character() -> None:
    app = Fields()
    async with app.run_test(size=SIZE) as pilot:
        await burst(app, ["b", "c", "home", "a", "end", "d", "left", "left", "backspace"])
        await pilot.pause()  # until the queued keys are handled
        assert app.query_one(TypedInput).value == "acd"


async def test_a_note_edited_in_a_burst_reads_as_typed() -> None:
    app = Fields()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(TypedTextArea).focus()
        await pilot.pause()
        keys = ["a", "b", "backspace", "c", "left", "x", "enter", "end", "d"]
        await burst(app, keys)
        await pilot.pause()  # until the queued keys are handled
        assert app.query_one(TypedTextArea).text == "ax\ncd"


async def test_keys_the_field_does_not_bind_still_reach_the_app() -> None:
    quit_pressed: list[bool] = []

    class WithQuit(Fields):
        BINDINGS = [("escape", "leave", "Leave")]

        def action_leave(self) -> None:
            quit_pressed.append(True)

    app = WithQuit()
    async with app.run_test(size=SIZE) as pilot:
        await burst(app, ["a", "escape"])
        await pilot.pause()  # until the queued keys are handled
        assert quit_pressed == [True]
        assert app.query_one(TypedInput).value == "a"


class TwoFields(App[None]):
    """Two fields and a save key, as History's edit dialog has them."""

    BINDINGS = [("ctrl+s", "save", "Save")]

    def __init__(self) -> None:
        super().__init__()
        self.saved: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield TypedInput(id="before")
        yield TypedInput(id="after")

    def action_save(self) -> None:
        self.saved = (
            self.query_one("#before", TypedInput).value,
            self.query_one("#after", TypedInput).value,
        )


async def test_keys_typed_after_tab_in_a_burst_land_in_the_next_field() -> None:
    """ "4 Tab 6" is 4 and 6, not 46 and nothing; a save in the same burst sees both."""
    app = TwoFields()
    async with app.run_test(size=SIZE) as pilot:
        await burst(app, ["4", "tab", "6", "ctrl+s"])
        await pilot.pause()  # until the queued keys are handled
        assert app.saved == ("4", "6")
        await burst(app, ["shift+tab", "backspace", "3", "tab", "7"])
        await pilot.pause()  # until the queued keys are handled
        assert (
            app.query_one("#before", TypedInput).value,
            app.query_one("#after", TypedInput).value,
        ) == ("3", "7")  # a field's text is selected as it takes the focus: the 7 replaces it
