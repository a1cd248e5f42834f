"""The app's copy of the parsed history: used only for the very bytes it was made from,
ignored whenever it cannot be trusted, never hiding a damaged file."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui.cli.main import main
from hipmob_tui.content import routine_index
from hipmob_tui.history import cache, fileformat
from hipmob_tui.history.fileformat import DamagedStore
from hipmob_tui.history.store import Store
from tests.test_check_results_store import result as check_result
from tests.test_plan_store import fact as plan_fact
from tests.test_store import record

WHEN = datetime(2026, 1, 9, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def never_parsed(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the history was parsed")


def app_read(db: Path, cache_dir: Path) -> tuple[list[Any], list[Any]]:
    """What a freshly started app reads (a new Store: nothing kept in memory)."""
    records, marks, _stamp = Store(db, cache_dir=cache_dir, copy_delay=0).history()
    return records, marks


def parsed_read(db: Path) -> tuple[list[Any], list[Any]]:
    records, marks, _stamp = Store(db).history()
    return records, marks


def filled(db: Path) -> None:
    store = Store(db)
    store.merge([record(n, day_offset=n) for n in range(1, 6)])
    store.set_marks([date(2026, 1, 20), date(2026, 1, 21)], "rest", "sore", now=WHEN)


def test_a_second_start_reads_the_copy_and_gets_exactly_what_parsing_gives(
    db: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(db)
    first = app_read(db, cache_dir)
    assert first == parsed_read(db)
    (kept,) = cache_dir.glob("history-*.pickle")
    assert kept.stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(fileformat, "history_of", never_parsed)
    assert app_read(db, cache_dir) == first
    assert [r.id for r in first[0]] == [f"s{n:05d}" for n in range(1, 6)]
    assert [m.date for m in first[1]] == [date(2026, 1, 20), date(2026, 1, 21)]


def test_each_database_path_has_its_own_copy(tmp_path: Path, cache_dir: Path) -> None:
    one, other = tmp_path / "one.json", tmp_path / "other.json"
    Store(one).add(record(1))
    Store(other).add(record(2))
    assert [r.id for r in app_read(one, cache_dir)[0]] == ["s00001"]
    assert [r.id for r in app_read(other, cache_dir)[0]] == ["s00002"]
    assert len(list(cache_dir.glob("history-*.pickle"))) == 2


@pytest.mark.parametrize("write", ["add", "update", "delete", "mark", "unmark", "by hand"])
def test_the_read_after_any_write_shows_it(db: Path, cache_dir: Path, write: str) -> None:
    filled(db)
    app_read(db, cache_dir)  # the copy of the file before the write
    store = Store(db)
    if write == "add":
        store.add(record(9, day_offset=9))
    elif write == "update":
        store.update("s00002", lambda r: r.with_changes(notes="edited"))
    elif write == "delete":
        store.delete("s00003")
    elif write == "mark":
        store.set_marks([date(2026, 1, 20)], "flare", "worse", now=WHEN)
    elif write == "unmark":
        store.remove_marks([date(2026, 1, 21)])
    else:
        db.write_bytes(db.read_bytes().replace(b'"note 4"', b'"note 8"'))
    assert app_read(db, cache_dir) == parsed_read(db)
    assert app_read(db, cache_dir) != parsed_read_before_any_write()


@pytest.mark.parametrize("write", ["mark", "unmark", "check", "plan"])
def test_a_write_that_leaves_the_sessions_as_they_were_reads_them_from_the_copy(
    db: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    """A day marked (`hipmob mark`, History's m), a check result, a plan fact: the sessions
    are not parsed again, and everything reads as the file says."""
    filled(db)
    app_read(db, cache_dir)
    store = Store(db)
    if write == "mark":
        store.set_marks([date(2026, 1, 22)], "flare", "worse", now=WHEN)
    elif write == "unmark":
        store.remove_marks([date(2026, 1, 21)])
    elif write == "check":
        store.add_check_results([check_result(1)])
    else:
        store.add_plan_fact(plan_fact(1))
    expected = all_facts(Store(db))
    monkeypatch.setattr(fileformat, "from_json", never_parsed)
    assert all_facts(Store(db, cache_dir=cache_dir, copy_delay=0)) == expected
    assert all_facts(Store(db, cache_dir=cache_dir, copy_delay=0)) == expected


def all_facts(store: Store) -> tuple[list[Any], ...]:
    facts = store.facts()[0]
    return tuple(getattr(facts, name) for name in facts.__slots__)


def test_sessions_added_after_the_copy_are_the_only_ones_parsed(
    db: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session saved or logged goes on where the kept sessions closed: only it is parsed,
    and the copy then holds it too."""
    filled(db)
    app_read(db, cache_dir)
    Store(db).add(record(9, day_offset=9))
    Store(db).set_marks([date(2026, 1, 22)], "rest", "", now=WHEN)
    Store(db).add(record(10, day_offset=10))
    expected = all_facts(Store(db))
    parses: list[str] = []
    real = fileformat.from_json

    def counted(row: Any, seen: Any = None) -> Any:
        parses.append(row["id"])
        return real(row, seen)

    monkeypatch.setattr(fileformat, "from_json", counted)
    assert all_facts(Store(db, cache_dir=cache_dir, copy_delay=0)) == expected
    assert parses == ["s00009", "s00010"]
    assert all_facts(Store(db, cache_dir=cache_dir, copy_delay=0)) == expected
    assert parses == ["s00009", "s00010"]  # the copy holds them now


def test_a_session_added_again_or_under_an_id_taken_reads_as_the_whole_file_says(
    db: Path, cache_dir: Path
) -> None:
    """Rows added by hand after the copy: one repeating a session exactly is read once; a
    different one under an id already there is a damaged file, said as ever."""
    filled(db)
    app_read(db, cache_dir)
    raw = db.read_bytes()
    first = json.loads(raw)["sessions"]["1"]
    again = raw[:-2] + b',"99":' + json.dumps(first, separators=(",", ":")).encode() + b"}}"
    db.write_bytes(again)
    assert app_read(db, cache_dir) == parsed_read(db)
    assert len(app_read(db, cache_dir)[0]) == 5
    other = dict(first, notes="another session under the same id")
    db.write_bytes(raw[:-2] + b',"99":' + json.dumps(other).encode() + b"}}")
    with pytest.raises(DamagedStore, match="session 99"):
        app_read(db, cache_dir)
    with pytest.raises(DamagedStore, match="session 99"):
        parsed_read(db)


def test_a_file_whose_sessions_are_not_last_is_parsed_and_no_copy_is_kept(
    db: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program may write the tables in another order: what follows the sessions
    would not be read with a copy of them, so there is none."""
    filled(db)
    document = json.loads(db.read_bytes())
    reordered = {"sessions": document.pop("sessions"), **document}
    db.write_text(json.dumps(reordered, indent=1))
    expected = parsed_read(db)
    assert app_read(db, cache_dir) == expected
    assert list(cache_dir.glob("history-*.pickle")) == []
    parses = []
    real = fileformat.from_json
    monkeypatch.setattr(fileformat, "from_json", lambda *a: parses.append(1) or real(*a))
    assert app_read(db, cache_dir) == expected and parses


def parsed_read_before_any_write() -> tuple[list[Any], list[Any]]:
    """What `filled` reads as, from a file of its own."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        other = Path(folder) / "hipmob.json"
        filled(other)
        return parsed_read(other)


def sessions_tail(db: Path) -> tuple[int, bytes]:
    """What a copy of `db`'s sessions is kept with: the length of the file's bytes from the
    sessions table's value on (hipmob writes that table last, with no space), and the
    digest of all but their two closing braces."""
    raw = db.read_bytes()
    tail = raw[raw.rindex(b'"sessions":') + len(b'"sessions":') :]
    return len(tail), fileformat.digest_of(tail[:-2])


def _forged_copy(db: Path, cache_dir: Path) -> Path:
    """A copy that says the file holds one session it does not hold, kept right."""
    where = cache.cache_path(cache_dir, db)
    cache.save(where, (*sessions_tail(db), ({"s00077": record(77)}, 0)))
    kept = cache.load(where)
    assert kept is not None and kept[2]() is not None, "a copy the reader would take"
    return where


def test_a_copy_made_for_other_bytes_is_not_used(db: Path, cache_dir: Path) -> None:
    filled(db)
    where = cache.cache_path(cache_dir, db)
    length, _digest = sessions_tail(db)
    cache.save(where, (length, fileformat.digest_of(b"other bytes"), ({"s00077": record(77)}, 0)))
    assert app_read(db, cache_dir) == parsed_read(db)


@pytest.mark.parametrize(
    "damage", [b"", b"not a pickle", b"\x80\x05K\x01.", b"\x80\x05\x95\xff\xff\xff\xff"]
)
def test_a_damaged_copy_is_not_used(db: Path, cache_dir: Path, damage: bytes) -> None:
    filled(db)
    where = _forged_copy(db, cache_dir)
    where.write_bytes(damage)
    assert app_read(db, cache_dir) == parsed_read(db)


def test_a_copy_of_another_version_or_other_code_is_not_used(
    db: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(db)
    _forged_copy(db, cache_dir)
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert app_read(db, cache_dir) == parsed_read(db)
    monkeypatch.undo()
    _forged_copy(db, cache_dir)
    monkeypatch.setattr(routine_index, "code_fingerprint", lambda modules: (("other", 1),))
    assert app_read(db, cache_dir) == parsed_read(db)


def test_a_copy_others_may_change_is_not_used(db: Path, cache_dir: Path) -> None:
    filled(db)
    where = _forged_copy(db, cache_dir)
    os.chmod(where, 0o620)
    assert app_read(db, cache_dir) == parsed_read(db)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away takes root")
def test_a_copy_another_user_owns_is_not_used(db: Path, cache_dir: Path) -> None:
    filled(db)
    where = _forged_copy(db, cache_dir)
    os.chown(where, 4321, 4321)
    assert app_read(db, cache_dir) == parsed_read(db)


def test_a_linked_copy_is_not_used(db: Path, cache_dir: Path, tmp_path: Path) -> None:
    filled(db)
    where = _forged_copy(db, cache_dir)
    elsewhere = tmp_path / "elsewhere.pickle"
    where.rename(elsewhere)
    where.symlink_to(elsewhere)
    assert app_read(db, cache_dir) == parsed_read(db)


def test_a_damaged_history_is_reported_as_ever_with_a_copy_beside_it(
    db: Path, cache_dir: Path
) -> None:
    filled(db)
    app_read(db, cache_dir)
    db.write_bytes(db.read_bytes()[:-40])
    with pytest.raises(DamagedStore) as parsed:
        parsed_read(db)
    with pytest.raises(DamagedStore) as cached:
        app_read(db, cache_dir)
    assert str(cached.value) == str(parsed.value)


def test_the_commands_keep_no_copy(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(db)
    assert main(["--db", str(db), "history"]) == 0
    assert main(["--db", str(db), "export", str(tmp_path / "out.json")]) == 0
    capsys.readouterr()
    assert list(Path(os.environ["XDG_CACHE_HOME"]).rglob("history-*")) == []


def test_the_copy_waits_off_the_read_path_until_flushed(db: Path, cache_dir: Path) -> None:
    """A parse does not pay for pickling: the copy is written later, or when flushed."""
    filled(db)
    store = Store(db, cache_dir=cache_dir, copy_delay=60)
    store.history()
    assert list(cache_dir.glob("history-*.pickle")) == []  # not yet: the reader did not wait
    store.flush_copy()
    (kept,) = cache_dir.glob("history-*.pickle")
    store.flush_copy()  # nothing left to write: no second write
    assert list(cache_dir.glob("history-*.pickle")) == [kept]
    assert app_read(db, cache_dir) == parsed_read(db)


@pytest.mark.parametrize(
    "edit",
    [
        (b'"note 4"', b'"he wrote \\"sessions\\":{} in a note"'),
        (b'"notes":"note 4"', b'"notes":"note 4","sessions":{"x":{}}'),
    ],
)
def test_sessions_named_inside_a_session_read_as_the_file_says(
    db: Path, cache_dir: Path, edit: tuple[bytes, bytes]
) -> None:
    """The copy is looked up from where the last "sessions": stands in the file; in a note,
    or as a key inside a session, it is not the table's, and the file is read whole."""
    filled(db)
    raw = db.read_bytes()
    assert edit[0] in raw
    db.write_bytes(raw.replace(*edit))
    expected = all_facts(Store(db))
    for _ in range(3):  # made, then used
        assert all_facts(Store(db, cache_dir=cache_dir, copy_delay=0)) == expected
    Store(db).set_marks([date(2026, 1, 22)], "rest", "", now=WHEN)
    assert all_facts(Store(db, cache_dir=cache_dir, copy_delay=0)) == all_facts(Store(db))
