"""Typed reading of a YAML tree: every value checked, every problem collected with its place."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

from hipmob_tui.characters import find_control_character
from hipmob_tui.content.models import Span
from hipmob_tui.content.problems import Problem
from hipmob_tui.content.yamltree import (
    Mapping,
    Mark,
    Node,
    Scalar,
    Sequence,
)
from hipmob_tui.errors import closest
from hipmob_tui.settings import PAUSE_KEYS

_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_BOOLEAN_WORDS = {"true": True, "false": False}
_SURROGATES = frozenset(chr(code) for code in range(0xD800, 0xE000))
# Words YAML 1.1 reads as booleans or null: refused where a boolean belongs, so nobody
# writes `per_side: yes` expecting it to mean what YAML 1.1 says.
_AMBIGUOUS = {"yes", "no", "on", "off", "y", "n", "True", "False", "TRUE", "FALSE"}


class Reader:
    """Reads values of one file; methods return None (and record a problem) when a value is bad."""

    def __init__(self, path: Path | str) -> None:
        self.file = str(path)
        self.problems: list[Problem] = []

    def problem(self, mark: Mark, field: str, message: str) -> None:
        """Record a problem at `mark`."""
        self.problems.append(Problem(self.file, mark.line, mark.column, field, message))

    def mapping(
        self, node: Node, field: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Node] | None:
        """The values of a mapping; unknown and missing keys are problems."""
        if not isinstance(node, Mapping):
            self.problem(
                node.mark,
                field,
                f"expected a mapping (key: value lines), got {_kind(node)}; write key: value lines",
            )
            return None
        allowed = required + optional
        values: dict[str, Node] = {}
        meant: set[str] = set()
        for name, (key, value) in node.pairs.items():
            if name in allowed:
                values[name] = value
                continue
            close = closest(name, allowed)
            hint = f"did you mean {close!r}?" if close else f"allowed: {', '.join(allowed)}"
            self.problem(key.mark, _join(field, _key(name)), f"unknown key {shorten(name)}; {hint}")
            meant.update([close] if close else [])
        for key in node.duplicates:
            first = node.pairs[key.text][0].mark
            self.problem(
                key.mark,
                _join(field, _key(key.text)),
                f"duplicate key {shorten(key.text)} (first at line {first.line}); keep only one",
            )
        # A key that is only misspelt is not reported missing too: "did you mean" says it all.
        missing = [name for name in required if name not in node.pairs and name not in meant]
        if missing:
            self.problem(
                node.mark,
                field,
                f"missing key{'s' if len(missing) > 1 else ''} "
                f"{', '.join(repr(name) for name in missing)}; "
                f"add {'them' if len(missing) > 1 else 'it'}",
            )
        return values

    def bad_reference(
        self,
        mark: Mark,
        field: str,
        reference: tuple[str, str, str],
        defined_at: str | None,
        known: Iterable[str],
    ) -> None:
        """A reference to something missing: defined with problems (at `defined_at`, a
        FILE:LINE), or unknown (with the id most likely meant). `reference` is the kind
        ("exercise"), the id, and what refers to it ("routine")."""
        kind, identifier, user = reference
        if defined_at is not None:
            where = defined_at.removeprefix(f"{self.file}:")
            where = f"line {where}" if where.isdigit() else where
            self.problem(
                mark,
                field,
                f"{kind} {identifier!r} is invalid (defined at {where}, see its problems); "
                f"fix it to use this {user}",
            )
            return
        close = closest(identifier, known)
        hint = f"did you mean {close!r}?" if close else f"run 'hipmob {kind}s' to list ids"
        self.problem(mark, field, f"unknown {kind} {identifier!r}; {hint}")

    def sequence(self, node: Node, field: str) -> list[Node] | None:
        """The items of a list."""
        if not isinstance(node, Sequence):
            self.problem(
                node.mark,
                field,
                f"expected a list, got {_kind(node)}; write one '- ' line per item",
            )
            return None
        return node.items

    def text(self, node: Node, field: str) -> str | None:
        """A non-empty string; quoting is optional, and the text is taken exactly as typed."""
        if not isinstance(node, Scalar):
            self.problem(
                node.mark,
                field,
                f"expected text, got {_kind(node)}; write plain text (quote it if it has a colon)",
            )
            return None
        text = node.text.strip()
        if not text or (not node.quoted and text in ("~", "null", "Null", "NULL")):
            self.problem(node.mark, field, "is empty; write some text")
            return None
        if not _SURROGATES.isdisjoint(node.text):  # only the pure parser lets "\ud800" through
            self.problem(node.mark, field, "an escape here is not a character; remove it")
            return None
        found = find_control_character(node.text)
        if found is not None:
            # Raw ones are refused with the file; these were written as escapes like "\e".
            self.problem(
                node.mark,
                field,
                f"control character {found[1]} in the text; remove the escape that writes it "
                "(it could rewrite the terminal)",
            )
            return None
        return text

    def identifier(self, node: Node, field: str) -> str | None:
        """An id: lowercase letters, digits and hyphens, at most 64 characters."""
        text = self.text(node, field)
        if text is not None and len(text) > 64:
            self.problem(
                node.mark, field, f"is {len(text)} characters long; shorten it to 64 or fewer"
            )
            return None
        if text is not None and not _IDENTIFIER.fullmatch(text):
            self.problem(
                node.mark,
                field,
                f"{shorten(text)} is not a valid id; use lowercase letters, digits and hyphens, "
                "like 'pigeon-90-90'",
            )
            return None
        return text

    def text_list(self, node: Node, field: str, *, allow_empty: bool) -> tuple[str, ...] | None:
        """A list of non-empty strings."""
        items = self.sequence(node, field)
        if items is None:
            return None
        if not items and not allow_empty:
            self.problem(node.mark, field, "is an empty list; add at least one line")
            return None
        texts = [self.text(item, f"{field}[{index + 1}]") for index, item in enumerate(items)]
        return None if any(text is None for text in texts) else tuple(t for t in texts if t)

    def integer(self, node: Node, field: str, *, minimum: int = 1) -> int | None:
        """A whole number as plain digits: no quotes, signs, leading zeros or 1:30 forms."""
        if not isinstance(node, Scalar):
            self.problem(
                node.mark,
                field,
                f"expected a whole number, got {_kind(node)}; write one number, e.g. 30",
            )
            return None
        text = node.text
        if node.quoted:
            self.problem(
                node.mark,
                field,
                f"expected a whole number, got the quoted text {shorten(text)}; remove the quotes",
            )
            return None
        if ":" in text:
            self.problem(node.mark, field, f"{shorten(text)} is not a whole number; {_one(field)}")
            return None
        if _WHOLE_NUMBER.fullmatch(text):
            digits = text.lstrip("0") or "0"
            # int() refuses more than 4300 digits; anything past 6 is too large anyway.
            value = int(digits) if len(digits) <= 6 else 1_000_000
            if value < minimum:
                self.problem(
                    node.mark,
                    field,
                    f"must be at least {minimum}, got {shorten(text, quote=False)}; "
                    f"write {minimum} or more",
                )
                return None
            if value > 100_000:
                self.problem(
                    node.mark,
                    field,
                    f"{shorten(text, quote=False)} is too large; write at most 100000 "
                    "(check the number)",
                )
                return None
            if digits != text:
                self.problem(
                    node.mark,
                    field,
                    f"{shorten(text)} has a leading zero, which YAML may read as octal; "
                    f"write {value}",
                )
                return None
            return value
        if re.fullmatch(r"[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?", text):
            self.problem(node.mark, field, _number_advice(text, minimum))
        else:
            self.problem(
                node.mark,
                field,
                f"expected a whole number, got {shorten(text)}; write digits only, e.g. 30",
            )
        return None

    def boolean(self, node: Node, field: str) -> bool | None:
        """Exactly `true` or `false`."""
        if isinstance(node, Scalar) and not node.quoted and node.text in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[node.text]
        if isinstance(node, Scalar) and node.quoted and node.text in _BOOLEAN_WORDS:
            self.problem(
                node.mark,
                field,
                f"expected true or false, got the quoted text {node.text!r}; remove the quotes",
            )
            return None
        got = repr(node.text) if isinstance(node, Scalar) else _kind(node)
        hint = (
            " (YAML 1.1 reads it as a boolean, other tools may not)"
            if (isinstance(node, Scalar) and node.text in _AMBIGUOUS)
            else ""
        )
        self.problem(
            node.mark, field, f"expected true or false, got {got}{hint}; write true or false"
        )
        return None

    def span(self, node: Node, field: str) -> Span | None:
        """A whole number n (the range n..n) or a two-item list [min, max]."""
        if not isinstance(node, Sequence):
            value = self.integer(node, field)
            return None if value is None else Span(value, value)
        if len(node.items) != 2:
            self.problem(
                node.mark,
                field,
                f"a range has two numbers [min, max], got {len(node.items)}; write e.g. [20, 30]",
            )
            return None
        low = self.integer(node.items[0], f"{field}[min]")
        high = self.integer(node.items[1], f"{field}[max]")
        if low is None or high is None:
            return None
        if low > high:
            self.problem(
                node.mark, field, f"min {low} is more than max {high}; write [{high}, {low}]"
            )
            return None
        return Span(low, high)


def _number_advice(text: str, minimum: int) -> str:
    """What is wrong with a number that is not plain digits (a sign, a fraction, an exponent)."""
    value = float(text)  # the caller matched a decimal number; exponents are at most 9 digits
    if value < minimum:
        return (
            f"must be at least {minimum}, got {shorten(text, quote=False)}; write {minimum} or more"
        )
    if value > 100_000:
        return f"{shorten(text, quote=False)} is too large; write at most 100000 (check the number)"
    low, high = math.floor(value), math.ceil(value)
    if low == high:
        return f"{text} is not written as plain digits; write {low}"
    return f"{text} is not a whole number; write {max(low, minimum)} or {high}"


def _one(field: str) -> str:
    """What to write instead of a number like 1:30, by what the field counts."""
    name = field.rpartition(".")[2].partition("[")[0]
    if name.endswith("seconds") or name in PAUSE_KEYS:
        return "write seconds as one number (90, not 1:30)"
    if name in ("sets", "reps"):
        return f"write the number of {name} as one whole number, e.g. {3 if name == 'sets' else 10}"
    return "write one whole number, e.g. 3"


def shorten(text: str, *, quote: bool = True, limit: int = 40) -> str:
    """`text` for a message: quoted (escapes shown) and cut to about `limit` characters."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(cut) if quote else cut


def _key(name: str) -> str:
    """A key as part of a field path: as written when it is short and printable."""
    return name if len(name) <= 40 and name.isprintable() else shorten(name)


def _join(field: str, name: str) -> str:
    return f"{field}.{name}" if field else name


def _kind(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return shorten(node.text) if node.text else "nothing"
