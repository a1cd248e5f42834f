"""Any text from a file is shown exactly as typed: never parsed as markup, never an action."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipmob_tui.content.loading import Catalog
from hipmob_tui.content.models import (
    AmountKind,
    Dosage,
    Exercise,
    Phase,
    Routine,
    RoutineItem,
    Span,
)
from hipmob_tui.ui import text
from hipmob_tui.ui.app import HipmobApp
from tests.uitools import screen_text

# Printable text rich in what markup parsers care about: brackets, slashes, @, =, $, escapes.
NASTY = (
    st.text(
        alphabet=st.sampled_from(list("[]/\\@=$:#'\"{}()<>!*&|~ ") + list("abcXYZ019é°–")),
        min_size=1,
        max_size=36,
    )
    .map(str.strip)
    .filter(bool)
)


def _catalog(name: str, note: str) -> Catalog:
    dosage = Dosage(Span(1, 1), AmountKind.HOLD, Span(2, 2), per_side=False)
    exercise = Exercise(
        id="x",
        name=name,
        phase=Phase.RESET,
        purpose=note,
        steps=(note,),
        cues=(note,),
        equipment=(note,),
        targets=(note,),
        dosage=dosage,
        source="added",
    )
    routine = Routine(
        id="r",
        name=name,
        description=note,
        items=(RoutineItem("x", Phase.RESET, dosage),),
        source="user",
        estimated_seconds=7,
    )
    return Catalog({"x": exercise}, {"r": routine})


@given(name=NASTY, note=NASTY)
@settings(max_examples=200, deadline=None)
def test_every_renderer_keeps_text_exactly(name: str, note: str) -> None:
    catalog = _catalog(name, note)
    exercise, routine = catalog.exercises["x"], catalog.routines["r"]
    assert text.exercise_row(exercise).plain.startswith(f"▍{name}")
    assert f"  {name}  yours" in text.routine_row(routine).plain  # a user routine
    detail = text.exercise_detail(exercise).plain
    assert detail.startswith(name) and f" 1. {note}" in detail and f" • {note}" in detail
    assert text.routine_detail(routine, catalog).plain.startswith(name)
    assert text.literal(name).plain == name


@pytest.mark.slow  # fuzzes whole screens: seconds
@given(name=NASTY, note=NASTY)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_widgets_on_screen_show_text_exactly(name: str, note: str) -> None:
    async def check() -> None:
        app = HipmobApp(_catalog(name, note))
        async with app.run_test(size=(110, 30)) as pilot:
            await pilot.pause()
            library = screen_text(app)
            await pilot.press("t")
            await pilot.pause()
            routines = screen_text(app)
            assert app.is_running
        assert library.count(name) >= 2, library  # the list row and the detail title
        assert f" 1. {note}" in library
        assert routines.count(name) >= 2, routines

    asyncio.run(check())


def test_long_names_in_a_routine_wrap_under_themselves(builtin_catalog: Catalog) -> None:
    """In a narrow detail pane, an exercise name's second line lines up with its first."""
    full = builtin_catalog.routines["full-session"]
    lines = text.routine_detail(full, builtin_catalog, width=30).plain.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(" 1. 360°"))
    name = builtin_catalog.exercises[full.items[0].exercise_id].name
    assert len(lines[first]) <= 30 and lines[first + 1].startswith("    ")
    assert f"{lines[first][4:]} {lines[first + 1].strip()}" == name
