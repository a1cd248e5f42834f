"""A save of the file this process wrote skips parsing it, and never writes back stale data.

The store appends new sessions to the bytes it last wrote only when the file still holds
exactly those bytes. Each test here changes the file between two saves in a way its stat
may not show, and checks that both changes survive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from hipmob_tui import fileio
from hipmob_tui.history import fileformat, records, summary
from hipmob_tui.history import store as store_module
from hipmob_tui.history.fileformat import written_path
from hipmob_tui.history.store import Store
from tests.test_store import record


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hipmob.json"


def notes(store: Store) -> dict[str, str]:
    return {r.id: r.notes for r in store.sessions()}


def never_parse(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the whole file was parsed")


def rewrite_in_place(path: Path, data: bytes) -> None:
    """Change `path` as an editor writing in place would, keeping its inode and mtime.

    Only ctime tells: the test waits until it differs, so that the change is not hidden
    by falling into the same tick of the file system's clock as the store's write.
    """
    before = os.stat(path)
    assert len(data) == before.st_size
    while True:
        with path.open("r+b") as file:
            file.write(data)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = os.stat(path)
        if after.st_ctime_ns != before.st_ctime_ns:
            break
        time.sleep(0.005)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )


def test_a_save_of_the_file_this_process_wrote_does_not_parse_it(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db)
    store.merge([record(1), record(2)])
    monkeypatch.setattr(fileformat, "parse_document", never_parse)
    assert Store(db).add(record(3)).changed == 1  # any Store of this process
    assert store.add(record(3)).changed == 0, "never a duplicate"
    before = os.stat(db)
    assert store.merge([record(4), record(1), record(4)]).changed == 1
    assert store.merge([record(2)]).changed == 0
    assert os.stat(db).st_ino != before.st_ino, "an append is an atomic rename too"
    assert len(store.backups()) == 1, "the day's backup is made on this path too"
    monkeypatch.undo()
    assert list(notes(store)) == ["s00001", "s00002", "s00003", "s00004"]


def test_an_append_writes_byte_for_byte_what_tinydb_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = tmp_path / "fast.json", tmp_path / "slow.json"
    monkeypatch.setattr(records, "new_device_id", lambda: "d0")  # two files, one device id
    batches = [
        [],  # a new, empty database: the first session goes in without a comma
        [record(1)],
        [record(2), record(3), record(2)],
        [record(3)],
        [record(4).with_changes(notes='héllo ✓ "quoted" [b] \\ \n\t\u2028')],
    ]
    for batch in batches:
        Store(fast).merge(batch)
        store_module._written.pop(slow, None)  # forget it: this save parses, through TinyDB
        written_path(slow).unlink(missing_ok=True)
        Store(slow).merge(batch)
        assert fast.read_bytes() == slow.read_bytes()
    assert list(notes(Store(fast))) == ["s00001", "s00002", "s00003", "s00004"]


def test_after_an_update_or_delete_appends_still_keep_everything(db: Path) -> None:
    store = Store(db)
    store.merge([record(1), record(2), record(3)])
    store.delete("s00003")  # the next id is still 4, as TinyDB counts it
    store.update("s00001", lambda r: r.with_changes(notes="edited"))
    store.add(record(4))
    assert notes(store) == {"s00001": "edited", "s00002": "note 2", "s00004": "note 4"}


WRITER = """
import sys
from hipmob_tui.cli.main import main
sys.exit(main(["--db", sys.argv[1], "log", "desk-reset", "--note", "from the other process"]))
"""


def test_another_process_writing_between_two_saves_keeps_both(db: Path) -> None:
    store = Store(db)
    store.add(record(1))
    subprocess.run([sys.executable, "-c", WRITER, str(db)], check=True, capture_output=True)
    store.add(record(2))
    found = sorted(notes(store).values())
    assert found == ["from the other process", "note 1", "note 2"]
    assert summary.read(db) == summary.of_records(store.sessions())


def test_threads_saving_through_their_own_stores_keep_every_session(db: Path) -> None:
    Store(db).add(record(0))
    errors: list[BaseException] = []

    def save(first: int) -> None:
        try:
            for n in range(first, first + 25):
                Store(db).add(record(n))
        except Exception as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=save, args=(first,)) for first in (1, 101)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(notes(Store(db))) == 51
    assert summary.read(db) == summary.of_records(Store(db).sessions()), "written with each save"


def test_a_change_in_place_with_the_same_size_and_mtime_survives_the_next_save(
    db: Path,
) -> None:
    """Same inode, size and mtime as the store's own write: only the bytes differ.

    Here s00002 became s00009: a store that trusted what it knew of its own write would
    store s00009 a second time, and would not know the id it must not reuse. The s00009
    merged is an older version of it (it ended earlier), so the stored one stays.
    """
    store = Store(db)
    store.merge([record(1), record(2)])
    changed = db.read_bytes().replace(b'"s00002"', b'"s00009"').replace(b"note 1", b"note X")
    rewrite_in_place(db, changed)
    assert store.merge([record(0).with_changes(id="s00009"), record(3)]).changed == 1
    assert notes(store) == {"s00001": "note X", "s00009": "note 2", "s00003": "note 3"}


def test_a_damaged_session_written_in_place_with_mtime_restored_is_kept_aside(db: Path) -> None:
    """The store trusts no file by its stat: a same-size damage is checked and kept aside."""
    store = Store(db)
    store.merge([record(1), record(2)])
    damaged = db.read_bytes().replace(b'"status":"completed"', b'"status":"completeX"', 1)
    rewrite_in_place(db, damaged)
    change = store.add(record(3))
    assert change.kept_aside is not None and change.kept_aside.read_bytes() == damaged
    assert list(notes(store)) == ["s00003"]


def test_a_store_s_read_cache_sees_a_change_whose_mtime_was_restored(db: Path) -> None:
    store = Store(db)
    store.merge([record(1)])
    assert [r.notes for r in store.sessions()] == ["note 1"]
    rewrite_in_place(db, db.read_bytes().replace(b"note 1", b"note Z"))
    assert [r.notes for r in store.sessions()] == ["note Z"]


def test_a_failed_append_changes_nothing_and_the_next_save_works(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db)
    store.add(record(1))
    store.add(record(2))  # today's backup exists now: the next add is one write
    before = db.read_bytes()
    real = fileio.atomic_write

    def disk_full(path: Path, data: bytes) -> None:
        raise fileio.WriteFailed(28, f"could not write {path}: the disk is full")

    monkeypatch.setattr(fileio, "atomic_write", disk_full)
    with pytest.raises(fileio.WriteFailed):
        store.add(record(3))
    assert db.read_bytes() == before
    monkeypatch.setattr(fileio, "atomic_write", real)
    store.add(record(4))
    assert list(notes(store)) == ["s00001", "s00002", "s00004"]
    assert store.add(record(3)).changed == 1


FIRST_SAVE = """
import sys
from pathlib import Path
from hipmob_tui.history import fileformat, records, summary
from hipmob_tui.cli.main import main
parsed = []
original = fileformat.parse_document
fileformat.parse_document = lambda *a, **k: parsed.append(1) or original(*a, **k)
code = main(["--db", sys.argv[1], "log", "desk-reset", "--note", "second process"])
print("PARSED", len(parsed))
sys.exit(code)
"""


def first_save_in_a_new_process(db: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SAVE, str(db)], capture_output=True, text=True, check=True
    )
    return result.stdout.split("PARSED")[-1].strip()


def test_a_new_process_appends_to_the_file_the_last_hipmob_wrote(db: Path) -> None:
    Store(db).merge([record(1), record(2)])
    store_module._written.clear()
    assert first_save_in_a_new_process(db) == "0", "the index beside the file spared a parse"
    assert Store(db).merge([record(3)]).changed == 1  # this process: index from the other
    assert len(Store(db).sessions()) == 4


@pytest.mark.parametrize(
    "index",
    [
        b"",
        b"{",
        b'{"digest": "00", "next_key": 1, "empty": true, "ids": []}',
        b'{"digest": "' + b"0" * 64 + b'", "next_key": 1, "empty": true, "ids": []}',
        b'{"digest": 5, "next_key": "x", "empty": 1, "ids": "s00001"}',
    ],
)
def test_a_stale_damaged_or_foreign_index_only_costs_a_parse(db: Path, index: bytes) -> None:
    Store(db).merge([record(1), record(2)])
    store_module._written.clear()
    written_path(db).write_bytes(index)
    assert first_save_in_a_new_process(db) == "1"
    assert len(Store(db).sessions()) == 3


def test_a_file_changed_by_hand_after_the_index_is_parsed(db: Path) -> None:
    Store(db).merge([record(1)])
    store_module._written.clear()
    db.write_bytes(db.read_bytes().replace(b"note 1", b"note X"))  # the index is stale now
    assert first_save_in_a_new_process(db) == "1"
    assert sorted(notes(Store(db)).values()) == ["note X", "second process"]
