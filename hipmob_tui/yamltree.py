"""Read YAML into a plain tree of positioned nodes, refusing everything unsafe or ambiguous.

PyYAML's loaders guess types (YAML 1.1: `no` is False, `1:30` is 90, `010` is 8), keep
the last of duplicate keys, expand aliases (a few hundred bytes can expand to gigabytes)
and recurse (thousands of nested brackets raise RecursionError). This module uses only
PyYAML's parser, which emits events, and builds the tree itself without recursion:
every scalar stays the text that was typed, and the schema in `content` decides its type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

MAX_FILE_BYTES = 1_000_000
"""Files larger than this are rejected before parsing."""
MAX_DEPTH = 32
"""Deeper nesting than any real routine file needs; deeper is refused."""

_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# C0 controls other than tab and newline, DEL, C1 controls, and the bidi controls that can
# reorder what a terminal shows.
_FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)


@dataclass(frozen=True, slots=True)
class Mark:
    """A position in a file, 1-based as editors show it."""

    line: int
    column: int


@dataclass(slots=True)
class Scalar:
    """A scalar exactly as written; `quoted` is False for plain (unquoted) scalars."""

    text: str
    quoted: bool
    mark: Mark


@dataclass(slots=True)
class Sequence:
    """A YAML list."""

    items: list[Node]
    mark: Mark


@dataclass(slots=True)
class Mapping:
    """A YAML mapping with unique scalar keys, in file order."""

    pairs: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    mark: Mark = Mark(1, 1)


Node = Scalar | Sequence | Mapping


class YamlProblem(Exception):
    """The file cannot be read as safe YAML; `mark` is where, when known."""

    def __init__(self, message: str, mark: Mark | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _mark(event: yaml.Event) -> Mark:
    start = event.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else Mark(1, 1)


def find_control_character(text: str) -> tuple[int, str] | None:
    """The index and a readable name of the first forbidden character in `text`, if any."""
    if _FORBIDDEN.isdisjoint(text):
        return None
    for index, char in enumerate(text):
        if char in _FORBIDDEN:
            return index, f"U+{ord(char):04X}"
    return None  # pragma: no cover - isdisjoint said there was one


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without a BOM), or a YamlProblem naming the bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8",
            Mark(line, column),
        ) from None
    return text


def parse(text: str) -> Node | None:
    """The single document in `text` as a tree, None when empty; YamlProblem otherwise."""
    loader = _Parser(text)
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else None
        problem = error.problem or error.context or "malformed YAML"
        advice = "fix the syntax here"
        if "tab" in problem:
            advice = "indent with spaces, not tabs"
        elif "nesting" in problem:
            advice = "routine files need only a few levels; close the brackets"
        raise YamlProblem(f"YAML syntax: {problem}; {advice}", where) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML syntax: {error}; fix the syntax") from None
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader) -> Node | None:
    """Walk the parser's events with an explicit stack, so depth costs no recursion."""
    root: Node | None = None
    documents = 0
    # Each open collection, and for mappings the key waiting for its value.
    stack: list[tuple[Mapping | Sequence, Scalar | None]] = []

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, pending_key = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif pending_key is None:
            if not isinstance(node, Scalar):
                raise YamlProblem(
                    "a key must be a plain word, not a list or mapping; write key: value",
                    node.mark,
                )
            if node.text in parent.pairs:
                first = parent.pairs[node.text][0].mark
                raise YamlProblem(
                    f"duplicate key {node.text!r} (first at line {first.line}); keep only one",
                    node.mark,
                )
            stack[-1] = (parent, node)
        else:
            parent.pairs[pending_key.text] = (pending_key, node)
            stack[-1] = (parent, None)

    while True:
        event = loader.get_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.StreamEndEvent):
            return root
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem(
                    "more than one YAML document (---); keep one per file", _mark(event)
                )
            continue
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                "aliases (*name) are not allowed; write the value out in full", _mark(event)
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise YamlProblem(
                f"anchors (&{event.anchor}) are not allowed; write values out in full",
                _mark(event),
            )
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and (
            event.tag is not None and event.tag != "!"
        ):
            raise YamlProblem(
                f"tags ({event.tag.replace('tag:yaml.org,2002:', '!!')}) are not allowed; "
                "quote the value instead",
                _mark(event),
            )
        if isinstance(event, yaml.ScalarEvent):
            found = find_control_character(event.value)
            if found is not None:
                raise YamlProblem(
                    f"control character {found[1]} in text; remove it "
                    "(it could rewrite the terminal)",
                    _mark(event),
                )
            quoted = event.style is not None and event.style != ""
            attach(Scalar(event.value, quoted, _mark(event)))
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    f"nested more than {MAX_DEPTH} levels deep; flatten the file",
                    _mark(event),
                )
            collection: Mapping | Sequence = (
                Sequence([], _mark(event))
                if isinstance(event, yaml.SequenceStartEvent)
                else Mapping({}, _mark(event))
            )
            attach(collection)
            stack.append((collection, None))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            stack.pop()
