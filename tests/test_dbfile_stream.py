"""The database file's format helpers agree with json: the streaming reader with json.loads
(and it fails cleanly), an append with encoding the whole document."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipmob_tui.history.fileformat import (
    META,
    SCHEMA_VERSION,
    SESSIONS,
    Written,
    _table_rows,
    encode_document,
)

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


@pytest.mark.slow  # 300 fuzzed files: seconds
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


session_rows = st.dictionaries(st.text(max_size=4), values, max_size=3).flatmap(
    lambda extra: st.text(max_size=6).map(lambda id_: {**extra, "id": id_})
)


@given(
    st.dictionaries(st.text(max_size=6).filter(lambda t: t not in (META, SESSIONS)), rows),
    st.lists(st.integers(1, 10**6), unique=True, max_size=4),
    st.lists(session_rows, max_size=4),
    st.lists(session_rows, min_size=1, max_size=3),
    st.booleans(),
)
def test_an_append_is_what_encoding_the_whole_document_gives(
    others: dict[str, dict[str, object]],
    keys: list[int],
    stored: list[dict[str, object]],
    added: list[dict[str, object]],
    meta_first: bool,
) -> None:
    sessions = {str(key): row for key, row in zip(keys, stored, strict=False)}
    meta = {"1": {"schema": SCHEMA_VERSION}}
    tables = {META: meta, **others} if meta_first else {**others, META: meta}
    document = {SESSIONS: sessions, **tables}  # encode_document moves sessions last
    raw = encode_document(document)
    written = Written.of(document, raw)
    assert written is not None and written.matches(raw)
    data, after = written.append(raw, added)
    next_key = max(map(int, sessions), default=0) + 1
    grown = {**sessions, **{str(next_key + n): row for n, row in enumerate(added)}}
    whole = {**document, SESSIONS: grown}
    assert data == encode_document(whole)
    assert after == Written.of(whole, data)
    assert not after.matches(raw) and after.ids >= {row["id"] for row in added}
