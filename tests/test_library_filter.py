"""The Library's filters, as pure functions."""

from __future__ import annotations

from hipmob_tui.content.filters import (
    NO_EQUIPMENT,
    LibraryFilter,
    equipment_choices,
    next_choice,
)
from hipmob_tui.content.loading import Catalog
from hipmob_tui.content.models import Phase


def test_words_match_name_target_or_equipment(builtin_catalog: Catalog) -> None:
    exercises = builtin_catalog.exercises.values()
    by_target = [e for e in exercises if LibraryFilter("glutes").matches(e)]
    assert by_target and all(
        "glutes" in " ".join((e.name, *e.targets, *e.equipment)).lower() for e in by_target
    )
    two_words = [e.id for e in exercises if LibraryFilter("BAND flexor").matches(e)]
    assert two_words == ["band-hip-flexor-stretch"]
    assert not [e for e in exercises if LibraryFilter("no-such-word").matches(e)]


def test_phase_and_equipment_filters(builtin_catalog: Catalog) -> None:
    exercises = list(builtin_catalog.exercises.values())
    rebuild = [e for e in exercises if LibraryFilter(phase=Phase.REBUILD).matches(e)]
    assert rebuild and all(e.phase is Phase.REBUILD for e in rebuild)
    bare = [e for e in exercises if LibraryFilter(equipment=NO_EQUIPMENT).matches(e)]
    assert bare and all(not e.equipment for e in bare)
    rollers = [e for e in exercises if LibraryFilter(equipment="foam roller").matches(e)]
    assert rollers and all("foam roller" in e.equipment for e in rollers)


def test_equipment_choices_cycle_back_to_any(builtin_catalog: Catalog) -> None:
    choices = equipment_choices(builtin_catalog.exercises.values())
    assert choices[:2] == [None, NO_EQUIPMENT] and "foam roller" in choices
    value = None
    for _ in choices:
        value = next_choice(choices, value)
    assert value is None


def test_routine_filter_matches_its_exercises(builtin_catalog: Catalog) -> None:
    full = builtin_catalog.routines["full-session"]
    assert LibraryFilter("pigeon").matches_routine(full, builtin_catalog.exercises)
    desk = builtin_catalog.routines["desk-reset"]
    assert not LibraryFilter(phase=Phase.REBUILD).matches_routine(desk, builtin_catalog.exercises)


def test_routine_equipment_filter(builtin_catalog: Catalog) -> None:
    """No equipment: routines doable with nothing at all; an item: routines that use it."""
    exercises = builtin_catalog.exercises
    for routine in builtin_catalog.routines.values():
        needs = {item for i in routine.items for item in exercises[i.exercise_id].equipment}
        assert LibraryFilter(equipment=NO_EQUIPMENT).matches_routine(routine, exercises) == (
            not needs
        )
        for item in equipment_choices(exercises.values())[2:]:
            assert isinstance(item, str)
            assert LibraryFilter(equipment=item).matches_routine(routine, exercises) == (
                item in needs
            )
    desk = builtin_catalog.routines["desk-reset"]
    assert not LibraryFilter(equipment=NO_EQUIPMENT).matches_routine(desk, exercises)
