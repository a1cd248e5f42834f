"""Textual's parsed stylesheets kept between starts: same pictures, no parsing, safe misses."""

from __future__ import annotations

import os
from pathlib import Path

from hipmob_tui.content.loading import Catalog
from hipmob_tui.paths import resolve
from hipmob_tui.ui.app import HipmobApp
from hipmob_tui.ui.css_cache import CACHE_NAME, CssCache


async def _pictures(catalog: Catalog, folder: Path, cache: CssCache | None) -> list[str]:
    """The Library, the Session area and History, as SVG, parsed through `cache` if any."""
    if cache is not None:
        assert cache.install(), "Textual's Stylesheet._parse_rules is gone: see css_cache.py"
    try:
        paths = resolve(db=str(folder / "hipmob.json"), environ={"HOME": str(folder)})
        app = HipmobApp(catalog, paths)
        pictures = []
        async with app.run_test(size=(100, 30)) as pilot:
            for key in ("l", "s", "h"):
                await pilot.press(key)
                await pilot.pause(0.1)
                await app.workers.wait_for_complete()
                await pilot.pause()
                pictures.append(app.export_screenshot())
        return pictures
    finally:
        if cache is not None:
            cache.uninstall()


async def test_a_warm_start_parses_nothing_and_looks_the_same(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    file = tmp_path / "cache" / CACHE_NAME
    file.parent.mkdir()
    plain = await _pictures(builtin_catalog, tmp_path, None)

    cold = CssCache(file)
    assert await _pictures(builtin_catalog, tmp_path, cold) == plain
    assert cold.misses > 0
    cold.save()
    assert file.stat().st_mode & 0o077 == 0

    warm = CssCache(file)
    assert await _pictures(builtin_catalog, tmp_path, warm) == plain
    assert warm.misses == 0, "every stylesheet came from the cache"


async def test_a_damaged_foreign_or_stale_cache_is_only_a_miss(
    builtin_catalog: Catalog, tmp_path: Path
) -> None:
    file = tmp_path / CACHE_NAME
    file.write_bytes(b"\x80\x04 not a pickle at all")
    assert CssCache(file).rules == {}

    good = CssCache(file)
    await _pictures(builtin_catalog, tmp_path, good)
    good.added = True
    good.save()
    assert CssCache(file).rules  # read back

    os.chmod(file, 0o664)  # others could have written it: never unpickled
    assert CssCache(file).rules == {}
    os.chmod(file, 0o600)

    stale = CssCache(file)
    stale._stamp = ("another Textual",)
    stale.added = True
    stale.save()
    assert CssCache(file).rules == {}


def test_a_cache_that_cannot_be_written_is_no_loss(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    cache = CssCache(blocked / CACHE_NAME)
    cache.added = True
    cache.save()  # no error
    assert blocked.read_text() == "a file where the cache folder should be"
