"""When the flare offer appears, and which routine is the gentlest."""

from __future__ import annotations

import pytest

from hipmob_tui.content.loading import Catalog
from hipmob_tui.history.flare import gentlest_routine, looks_like_a_flare


@pytest.mark.parametrize(
    ("before", "after", "flared"),
    [
        (7, None, True),  # high before: offered at once
        (6, None, False),
        (3, 5, True),  # two points worse after
        (3, 4, False),
        (None, 9, False),  # no score before: nothing to compare
        (8, 2, True),  # relief, but the day began in a flare
        (None, None, False),
    ],
)
def test_the_offer_follows_the_scores(before: int | None, after: int | None, flared: bool) -> None:
    assert looks_like_a_flare(before, after) is flared


def test_the_gentlest_routine_is_the_shortest_of_reset_alone(builtin_catalog: Catalog) -> None:
    gentle = gentlest_routine(builtin_catalog.routines.values())
    assert gentle is not None and gentle.id == "desk-reset"
    others = [r for r in builtin_catalog.routines.values() if r.id != "desk-reset"]
    assert gentlest_routine(others) is None  # the rest all go past RESET
