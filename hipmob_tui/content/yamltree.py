"""Read YAML into a plain tree of positioned nodes, refusing everything unsafe or ambiguous.

PyYAML's loaders guess types (YAML 1.1: `no` is False, `1:30` is 90, `010` is 8), keep
the last of duplicate keys, expand aliases (a few hundred bytes can expand to gigabytes)
and recurse (thousands of nested brackets raise RecursionError). This module uses only
PyYAML's parser, which emits events, and builds the tree itself without recursion:
every scalar stays the text that was typed, and the schema in `content` decides its type.

Raw control characters in the file and structural hazards (aliases, anchors, tags, more
than one document, deep nesting, syntax errors) stop the parse. Duplicate keys do not:
the first value is kept and the repeats are listed on the mapping, so the schema reports
each one with its field, together with every other problem of the file. Control
characters written as escapes (`"\\e"`) are likewise left to the schema, which refuses
them in every text it reads.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import yaml

from hipmob_tui.characters import FORBIDDEN, find_control_character

MAX_FILE_BYTES = 1_000_000
"""Files larger than this are rejected before parsing."""
MAX_DEPTH = 32
"""Deeper nesting than any real routine file needs; deeper is refused."""

_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The characters no text may hold are shared with the history (imports, the file).
_FORBIDDEN = FORBIDDEN


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
    """A YAML mapping with unique scalar keys, in file order (the first of repeated keys)."""

    pairs: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    mark: Mark = Mark(1, 1)
    duplicates: list[Scalar] = field(default_factory=list)
    """Keys written again after their first time; their values are dropped."""


Node = Scalar | Sequence | Mapping


class YamlProblem(Exception):
    """The file cannot be read as safe YAML; `mark` is where, when known.

    `more` holds further problems of the same kind found in the same pass (every raw
    control character, not just the first)."""

    def __init__(
        self, message: str, mark: Mark | None = None, more: tuple[YamlProblem, ...] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.more = more


# Characters PyYAML refuses anywhere in a stream (its reader's NON_PRINTABLE), beyond ours.
_UNREADABLE = frozenset(["\ufffe", "\uffff"])
_RAW_FORBIDDEN = (_FORBIDDEN - {"\r"}) | _UNREADABLE
"""Refused anywhere in the file; a carriage return is a line break there (CRLF files)."""
MAX_LISTED = 20
"""Lines with a raw control character listed one by one; the rest are counted."""


def _mark(event: yaml.Event) -> Mark:
    start = event.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else Mark(1, 1)


def _yaml_mark(mark: yaml.Mark | None) -> Mark | None:
    return Mark(mark.line + 1, mark.column + 1) if mark is not None else None


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without a BOM), or a YamlProblem naming the bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line_start = before.rfind(b"\n") + 1
        # Columns count characters, as editors do: the line's text before the bad byte is valid.
        column = len(before[line_start:].decode("utf-8")) + 1
        raise YamlProblem(
            f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8",
            Mark(before.count(b"\n") + 1, column),
        ) from None


def _raw_control_characters(text: str) -> YamlProblem | None:
    """Every line with a control character typed into the file itself, as one problem."""
    if _RAW_FORBIDDEN.isdisjoint(text):
        return None
    found: list[YamlProblem] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        hit = find_control_character(line, _RAW_FORBIDDEN)
        if hit is None:
            continue
        if len(found) == MAX_LISTED:
            rest = sum(1 for later in lines[number - 1 :] if not _RAW_FORBIDDEN.isdisjoint(later))
            found.append(
                YamlProblem(
                    f"control characters on {rest} more lines; remove them (is this a text file?)",
                    Mark(number, 1),
                )
            )
            break
        found.append(
            YamlProblem(
                f"character {hit[1]} is not allowed in YAML; remove it"
                if line[hit[0]] in _UNREADABLE
                else f"control character {hit[1]} in the file; remove it "
                "(it could rewrite the terminal)",
                Mark(number, hit[0] + 1),
            )
        )
    if not found:
        return None
    return YamlProblem(found[0].message, found[0].mark, tuple(found[1:]))


def parse(text: str) -> Node | None:
    """The single document in `text` as a tree, None when empty; YamlProblem otherwise."""
    raw = _raw_control_characters(text)
    if raw is not None:
        raise raw
    loader = _Parser(text)
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_problem(error, text) from None
    except yaml.reader.ReaderError as error:
        # Only characters _RAW_FORBIDDEN missed get here; name the place all the same.
        before = text[: error.position]
        raise YamlProblem(
            f"character U+{error.character:04X} is not allowed in YAML; remove it",
            Mark(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1),
        ) from None
    except yaml.YAMLError as error:  # pragma: no cover - every parser error is one of the above
        raise YamlProblem(f"YAML syntax: {error}; check the syntax") from None
    except ValueError:  # the pure parser's chr() on an escape like "\U0011FFFF"
        where = getattr(loader, "get_mark", None)
        mark = _yaml_mark(where()) if where else None
        raise YamlProblem(
            "YAML syntax: an escape in quoted text is not a character; check the \\U escapes",
            mark,
        ) from None
    finally:
        loader.dispose()


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """PyYAML's syntax error as what is wrong and what to do, at the most useful place."""
    problem = error.problem or error.context or "malformed YAML"
    context = error.context or ""
    at = _yaml_mark(error.problem_mark) or _yaml_mark(error.context_mark)
    opened = _yaml_mark(error.context_mark)
    noticed = f" (noticed at line {at.line}, column {at.column})" if at else ""
    char = _char_at(text, at)
    message = f"{problem}; check the syntax here"
    if "tab" in problem or char == "\t":
        message = "a tab in the indentation; indent with spaces, not tabs"
    elif "quoted scalar" in context and opened and ("end of" in problem or "document" in problem):
        at, message = opened, f"this quoted text is never closed{noticed}; add the closing quote"
    elif "quoted scalar" in context and at:
        # Point at the backslash: parsers stop a character or two after it.
        lines = text.split("\n")
        line = lines[at.line - 1] if at.line <= len(lines) else ""
        backslash = line.rfind("\\", 0, at.column)
        if backslash >= 0:
            at = Mark(at.line, backslash + 1)
        escape = f"the escape {line[backslash : backslash + 2]}" if backslash >= 0 else "an escape"
        message = (
            f"{escape}... is not valid (in double quotes a backslash starts an escape); "
            "write \\\\ for a backslash, or use single quotes"
        )
    elif ("flow sequence" in context or "flow mapping" in context) and opened:
        brackets = "[ list" if "sequence" in context else "{ mapping"
        close = "]" if "sequence" in context else "}"
        at, message = (
            opened,
            f"this {brackets} is not closed{noticed}; add {close} or the missing comma",
        )
    elif "flow node" in context:
        message = "a value is missing here; remove the extra comma or close the brackets"
    elif "simple key" in context and opened:
        at, message = opened, "this key has no colon; write key: value"
    elif "alias" in context and opened:
        at, message = opened, 'text that starts with * must be quoted; write it as "*like this"'
    elif "mapping values are not allowed" in problem:
        message = (
            "unexpected ': '; quote text that contains ': ', "
            "or indent this key like the ones above it"
        )
    elif "cannot start any token" in problem and char:
        message = f"a value cannot start with {char!r}; quote the value"
    elif "nesting" in problem:  # libyaml stops at 1000 levels before an event reaches _build
        message = (
            "nested far too deep; routine files need only a few levels, "
            "so check the brackets and indentation"
        )
    elif "directive" in problem:
        at, message = Mark(at.line, 1) if at else at, "unknown % directive; remove this line"
    elif "expected" in problem and ("key" in problem or "indicator" in problem or "<" in problem):
        message = (
            "this line is not indented like the lines around it; line up the keys of one "
            "mapping, and start each list item with '- '"
        )
    return YamlProblem(f"YAML syntax: {message}", at)


def _char_at(text: str, mark: Mark | None) -> str:
    """The character at `mark`, or "" when it is past the end of its line."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line > len(lines):
        return ""
    line = lines[mark.line - 1]
    return line[mark.column - 1] if mark.column <= len(line) else ""


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
                parent.duplicates.append(node)
            stack[-1] = (parent, node)
        else:
            # A repeated key keeps its first value: the schema reports the repeat.
            parent.pairs.setdefault(pending_key.text, (pending_key, node))
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
                f"aliases (*{event.anchor}) are not allowed; write the value out in full "
                "(quote it if the * is part of the text)",
                _mark(event),
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise YamlProblem(
                f"anchors (&{event.anchor}) are not allowed; remove the &{event.anchor} "
                "(quote the value if the & is part of the text)",
                _mark(event),
            )
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and (
            event.tag is not None and event.tag != "!"
        ):
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(
                f"tags ({tag}) are not allowed; remove the tag "
                "(quote the value if the ! is part of the text)",
                _mark(event),
            )
        if isinstance(event, yaml.ScalarEvent):
            quoted = event.style is not None and event.style != ""
            attach(Scalar(event.value, quoted, _mark(event)))
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    f"nested more than {MAX_DEPTH} levels deep; routine files need only a "
                    "few levels, so check the brackets and indentation",
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
