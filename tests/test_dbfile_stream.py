"""The streaming reader of the database file agrees with json.loads, and fails cleanly."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.dbfile import _table_rows

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
rows = st.dictionaries(st.text(max_size=6), values, max_size=4)
tables = st.dictionaries(st.text(max_size=6), rows, max_size=4)
documents = st.dictionaries(st.text(max_size=8), tables, max_size=3)


def _expected(document: dict[str, dict[str, object]]) -> list[tuple[str, str, object]]:
    return [(table, key, row) for table, found in document.items() for key, row in found.items()]


@given(documents, st.sampled_from([None, 0, 1, 2]), st.booleans())
def test_agrees_with_json_loads_whatever_the_layout(
    document: dict[str, dict[str, dict[str, object]]], indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    assert list(_table_rows(text)) == _expected(document)


@settings(max_examples=300)
@given(documents, st.data())
def test_a_cut_or_changed_file_raises_value_error_only(
    document: dict[str, dict[str, dict[str, object]]], data: st.DataObject
) -> None:
    text = json.dumps(document)
    cut = data.draw(st.integers(0, len(text)))
    noise = data.draw(st.text(alphabet='{}[],:" x1', max_size=3))
    damaged = text[:cut] + noise
    try:
        strict = json.loads(damaged)
    except ValueError:
        strict = None
    try:
        list(_table_rows(damaged))
    except ValueError:
        # Whatever json.loads accepts as a database, the stream accepts too.
        assert not (
            isinstance(strict, dict)
            and all(isinstance(t, dict) for t in strict.values())
            and all(isinstance(r, dict) for t in strict.values() for r in t.values())
        )
