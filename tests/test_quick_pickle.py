"""The quicker pickling of the models and records that hipmob's cached copies hold."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError

import pytest

from hipmob_tui.content.cache import pickled_modules
from hipmob_tui.content.models import Catalog
from hipmob_tui.history.records import ExerciseDone
from tests.test_store import record


def test_records_and_the_catalog_come_back_equal_and_frozen(builtin_catalog: Catalog) -> None:
    session = record(1, day_offset=1)
    done = ExerciseDone("cat-cow", "Cat-Cow", "reset", 2, 3, 60, side_note="left")
    for value in (session, done, builtin_catalog):
        copy = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == value and copy is not value
    copy = pickle.loads(pickle.dumps(session))
    assert copy.date == session.date  # the field the constructor computes
    with pytest.raises(FrozenInstanceError):
        copy.notes = "changed"  # type: ignore[misc]


def test_a_state_of_another_shape_is_refused() -> None:
    """A copy whose fields do not match the class is an error (a cache miss), not a record
    with fields shifted or missing."""
    done = ExerciseDone("cat-cow", "Cat-Cow", "reset", 2, 3, 60)
    blank = ExerciseDone.__new__(ExerciseDone)
    with pytest.raises(ValueError):
        blank.__setstate__(done.__getstate__()[:-1])  # type: ignore[attr-defined]


def test_a_copy_is_keyed_on_the_code_that_restores_it() -> None:
    """The cached copies' code fingerprint covers how the records are restored, so that a
    change to it makes every older copy a miss."""
    _pickled, modules = pickled_modules([record(1, day_offset=1)])
    assert {"hipmob_tui.history.records", "hipmob_tui.quick_pickle"} <= modules
