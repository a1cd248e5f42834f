"""Textual's parsed stylesheets, kept in the user's cache folder between starts.

Textual parses every stylesheet (its widgets' and hipmob's) again in each process, and
once more whenever a screen brings a new one: about 20 ms of the 90 before hipmob's first
frame. Parsing is a pure function of the CSS text, where it was read from, its scope and
the theme's variables, so its result is kept under exactly those: a changed stylesheet,
theme or Textual is a miss, parsed as usual. Like the catalog cache it is only ever a
copy: a damaged, foreign or unwritable file just means parsing.

It works by wrapping `Stylesheet._parse_rules`, a private method of Textual 8; when that
method is missing the cache stays off (tests/test_css_cache.py notices).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.css import stylesheet as textual_stylesheet
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

from hipmob_tui import __version__
from hipmob_tui.content.cache import load_trusted_pickle, store_pickle

CACHE_NAME = "textual-css.pickle"
_FORMAT = 1
"""Bump when what the pickle holds changes in a way the key does not show."""

ParseRules = Callable[..., list[RuleSet]]


def _textual_stamp() -> tuple[object, ...]:
    """Which Textual parses: its parser file's place, size and time (a stat, not metadata)."""
    parser = Path(textual_stylesheet.__file__).with_name("parse.py")
    try:
        info = parser.stat()
    except OSError:
        return (str(parser), None)
    return (str(parser), info.st_size, info.st_mtime_ns)


class CssCache:
    """Parsed rules by what they were parsed from; installed for one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp = (_FORMAT, __version__, sys.version_info[:2], _textual_stamp())
        stored = load_trusted_pickle(path)
        rules: dict[str, list[RuleSet]] = {}
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self._stamp:
            rules = stored[1] if isinstance(stored[1], dict) else {}
        self.rules = rules
        self.added = False
        """Whether anything was parsed that the file does not hold yet."""
        self.misses = 0
        self._fingerprints: dict[int, tuple[dict[str, str], str]] = {}
        self._original: ParseRules | None = None

    def install(self) -> bool:
        """Parse through the cache from now on; False (and nothing changed) if it cannot."""
        original = getattr(Stylesheet, "_parse_rules", None)
        if original is None or self._original is not None:
            return False
        self._original = original
        cache = self

        def parse_rules(
            sheet: Stylesheet,
            css: str,
            read_from: tuple[str, str],
            is_default_rules: bool = False,
            tie_breaker: int = 0,
            scope: str = "",
        ) -> list[RuleSet]:
            key = cache._key(sheet, (css, read_from, is_default_rules, tie_breaker, scope))
            found = cache.rules.get(key)
            if found is None:
                found = original(sheet, css, read_from, is_default_rules, tie_breaker, scope)
                cache.misses += 1
                if not any(rule.errors for rule in found):  # errors are reported, not kept
                    cache.rules[key] = found
                    cache.added = True
            return found

        setattr(Stylesheet, "_parse_rules", parse_rules)  # noqa: B010 - typed as a method
        return True

    def uninstall(self) -> None:
        """Parse as Textual does again."""
        if self._original is not None:
            setattr(Stylesheet, "_parse_rules", self._original)  # noqa: B010
            self._original = None

    def save(self) -> None:
        """Keep what was parsed for the next start (only if something new was)."""
        if self.added:
            store_pickle(self.path, (self._stamp, self.rules))
            self.added = False

    def _key(self, sheet: Stylesheet, parts: tuple[Any, ...]) -> str:
        variables: dict[str, str] = sheet._variables
        # One fingerprint per variables dict: Textual replaces the dict when they change.
        known = self._fingerprints.get(id(variables))
        if known is None or known[0] is not variables:
            digest = hashlib.sha1(repr(sorted(variables.items())).encode()).hexdigest()
            known = self._fingerprints[id(variables)] = (variables, digest)
        return hashlib.sha1(repr((parts, known[1])).encode()).hexdigest()
