"""Where each node of a document starts: JSON pointer -> key and value positions.

Only files that have findings are indexed, so the cost of keeping positions is paid where a
position is shown. YAML is re-composed by libyaml; JSON is scanned by the small tokenizer below,
because Python's json module reports positions only for errors.

A string that holds a JSON document (Graph's tokenLifetimePolicy `definition`) is indexed too: a
pointer that goes on into it (`/spec/definition/0/TokenLifetimePolicy/AccessTokenLifetime`) lands
on that member inside the string, on the line and column where the file spells it, whether the
string is a YAML scalar (any style) or an escaped JSON string in an export. Where the characters
of the string cannot be matched to the file's text, the pointer stops at the string itself.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faqlint.findings import Position
from faqlint.loaded import escape
from faqlint.yamlread import compose_yaml


@dataclass(frozen=True, slots=True)
class Embedded:
    """A string scalar that may hold a JSON document: its text, and where the file spells each of
    its characters."""

    text: str
    places: tuple[Position, ...]

    def index(self) -> PositionIndex | None:
        spans: dict[str, Span] = {}
        try:
            for pointer, span, _name in _JsonScanner(self.text, self.places.__getitem__).value(
                "", None
            ):
                known = spans.get(pointer)
                spans[pointer] = Span(known.key, span.value) if known and known.key else span
        except (IndexError, ValueError, RecursionError):
            return None
        return PositionIndex(spans)


@dataclass(frozen=True, slots=True)
class Span:
    key: Position | None  # the key of a mapping member; None for list items and the root
    value: Position
    embedded: Embedded | None = None  # a string that may hold a JSON document


class PositionIndex:
    """Pointer lookup for one document, tolerant of case (exports are PascalCase, rules camel)."""

    def __init__(self, spans: dict[str, Span]) -> None:
        self._spans = spans
        self._folded = {pointer.lower(): span for pointer, span in spans.items()}

    def find(self, pointer: str, prefer_value: bool = False) -> Position:
        """The node's position; for a missing node, its nearest existing ancestor's, or the
        member it names inside a string that holds a JSON document."""
        rest: list[str] = []
        while True:
            span = self._spans.get(pointer) or self._folded.get(pointer.lower())
            if span is not None:
                if rest and span.embedded is not None:
                    inner = span.embedded.index()
                    if inner is not None:
                        return inner.find("/" + "/".join(reversed(rest)), prefer_value)
                if prefer_value or span.key is None:
                    return span.value
                return span.key
            if not pointer:
                return Position(1, 1)
            pointer, step = pointer.rsplit("/", 1)
            rest.append(step)


class _Text:
    """Offsets of one file's text as positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line + 1, offset - self.line_starts[line] + 1)


def index_yaml(text: str) -> dict[int, PositionIndex]:
    """Per document (1-based, empty documents counted), the positions of its nodes."""
    result: dict[int, PositionIndex] = {}
    source = _Text(text)
    try:
        for number, node in enumerate(compose_yaml(text), start=1):
            spans: dict[str, Span] = {}
            if node is not None:
                _walk_yaml(node, "", None, spans, set(), source)
            result[number] = PositionIndex(spans)
    except (yaml.YAMLError, RecursionError):
        pass  # documents after a parse error have no positions; FL001 already says where
    return result


def _walk_yaml(
    node: Node,
    pointer: str,
    key: Position | None,
    spans: dict[str, Span],
    seen: set[int],
    source: _Text,
) -> None:
    mark = node.start_mark
    # A repeated key (FL004) keeps its last value, as the loader does: so does its position.
    embedded = _yaml_embedded(node, source) if isinstance(node, ScalarNode) else None
    spans[pointer] = Span(key, Position(mark.line + 1, mark.column + 1), embedded)
    if id(node) in seen:  # an alias: its children are indexed where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key_mark = key_node.start_mark
                key_position = Position(key_mark.line + 1, key_mark.column + 1)
                _walk_yaml(
                    value_node,
                    f"{pointer}/{escape(key_node.value)}",
                    key_position,
                    spans,
                    seen,
                    source,
                )
    elif isinstance(node, SequenceNode):
        for i, child in enumerate(node.value):
            _walk_yaml(child, f"{pointer}/{i}", None, spans, seen, source)


# Source characters a YAML scalar's text may drop: quotes, escape backslashes, indentation and
# the line breaks that folding turns into spaces.
_DROPPED = frozenset(" \t\r\n\\'\"")


_JSON_START = re.compile(r'"\s*[\[{]')


def _holds_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _yaml_embedded(node: ScalarNode, source: _Text) -> Embedded | None:
    """Where each character of a YAML string scalar that holds JSON sits in the file: matched
    one by one against the scalar's source, whatever its style; None where they do not match
    (an escape such as `\\u0041` that spells a character differently)."""
    value = node.value
    if not isinstance(value, str) or not _holds_json(value):
        return None
    text = source.text
    j, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):  # skip the block header (`|-`, `>2`...) up to its line break
        j = text.find("\n", j, end) + 1
        if j == 0:
            return None
    places: list[Position] = []
    for char in value:
        if char.isspace():
            if j < end and text[j].isspace():
                j += 1
            places.append(source.position(max(j - 1, 0)))
            continue
        while j < end and text[j] != char:
            if text[j] not in _DROPPED:
                return None
            j += 1
        if j >= end:
            return None
        places.append(source.position(j))
        j += 1
    return Embedded(value, tuple(places))


_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<punct>[{}\[\]:,])|(?P<atom>[^\s{}\[\]:,"]+))', re.S
)


class _JsonScanner:
    def __init__(
        self, text: str, where: Callable[[int], Position] | None = None, embed: bool = True
    ) -> None:
        self.text = text
        self.tokens = self._tokenize(text)
        self.i = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.where = where  # offset -> position, for a document embedded in a string
        self.embed = embed  # index strings that hold JSON (not needed to find duplicate keys)

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str, int]]:
        tokens = []
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup
            if kind is None:
                continue
            tokens.append((kind, match.group(kind), match.start(kind)))
        return tokens

    def position(self, offset: int) -> Position:
        if self.where is not None:
            return self.where(offset)
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line + 1, offset - self.line_starts[line] + 1)

    def embedded(self, raw: str, offset: int) -> Embedded | None:
        return _embedded_json(raw, offset, self.position)

    def next(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def value(self, pointer: str, key: Position | None) -> Iterator[tuple[str, Span, str | None]]:
        kind, text, offset = self.next()
        embedded = self.embedded(text, offset) if self.embed and kind == "string" else None
        yield pointer, Span(key, self.position(offset), embedded), None
        if text == "{":
            if self.tokens[self.i][1] == "}":
                self.i += 1
                return
            while True:
                _, raw_key, key_offset = self.next()
                name = _unquote(raw_key)
                self.next()  # ':'
                child = f"{pointer}/{escape(name)}"
                yield child, Span(self.position(key_offset), self.position(key_offset)), name
                yield from self.value(child, self.position(key_offset))
                if self.next()[1] == "}":
                    return
        elif text == "[":
            if self.tokens[self.i][1] == "]":
                self.i += 1
                return
            index = 0
            while True:
                yield from self.value(f"{pointer}/{index}", None)
                index += 1
                if self.next()[1] == "]":
                    return


def _unquote(raw: str) -> str:

    value = json.loads(raw)
    return value if isinstance(value, str) else raw


def _embedded_json(raw: str, offset: int, position: Callable[[int], Position]) -> Embedded | None:
    """A JSON string token (quotes included, at `offset`) that holds JSON: its decoded text and
    each character's place."""
    if _JSON_START.match(raw) is None:
        return None
    chars: list[str] = []
    places: list[Position] = []
    i = 1
    try:
        while i < len(raw) - 1:
            places.append(position(offset + i))
            if raw[i] != "\\":
                chars.append(raw[i])
                i += 1
                continue
            width = 6 if raw[i + 1] == "u" else 2
            if raw[i + 1] == "u" and raw[i + 6 : i + 8] == "\\u":
                width = 12  # a surrogate pair is one character
            decoded = json.loads('"' + raw[i : i + width] + '"')
            if len(decoded) != 1:  # a lone surrogate pair half, or not a pair after all
                width = 6
                decoded = json.loads('"' + raw[i : i + width] + '"')
            chars.append(decoded)
            i += width
    except (ValueError, IndexError):
        return None
    return Embedded("".join(chars), tuple(places))


def _json_spans(text: str, embed: bool = True) -> Iterator[tuple[str, Span, str | None]]:
    return _JsonScanner(text, embed=embed).value("", None)


def index_json(text: str, wanted: Iterable[str] | None = None) -> dict[int, PositionIndex]:
    """Positions of a JSON document's nodes: all of them, or only those on the way to the
    `wanted` pointers (what a file's findings point at). A large export (78,000 mailboxes in one
    array) is then walked only along those paths; the values beside them are skipped by the
    C decoder, and no token list of the whole file is built."""
    if wanted is not None:
        return {1: PositionIndex(_paths_json(text, wanted))}
    spans: dict[str, Span] = {}
    try:
        for pointer, span, _name in _json_spans(text):
            # A member is yielded twice (its key, then its value): keep the key, add the value.
            known = spans.get(pointer)
            if known and known.key:
                span = Span(known.key, span.value, span.embedded)
            spans[pointer] = span
    except (IndexError, ValueError, RecursionError):  # text json.loads would refuse: FL001's
        pass
    return {1: PositionIndex(spans)}


def json_duplicate_keys(text: str) -> list[tuple[str, str, Position]]:
    """(key, pointer, position) of every key that repeats an earlier key of its object."""
    seen: set[str] = set()
    repeated: list[tuple[str, str, Position]] = []
    for pointer, span, name in _json_spans(text, embed=False):
        if name is None:
            continue
        if pointer in seen and span.key is not None:
            repeated.append((name, pointer, span.key))
        seen.add(pointer)
    return repeated


_SPACE = re.compile(r"\s*")
_DECODER = json.JSONDecoder()
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]  # C, undeclared


class _PathScanner:
    """Walks a JSON text only along given pointers (compared without case, as `find` does)."""

    def __init__(self, text: str, wanted: Iterable[str]) -> None:
        self.text = text
        self.prefixes = {""}
        for pointer in wanted:
            parts = pointer.lower().split("/")
            self.prefixes.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
        self.line_starts: list[int] | None = None
        self.spans: dict[str, Span] = {}

    def position(self, offset: int) -> Position:
        if self.line_starts is None:
            self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line + 1, offset - self.line_starts[line] + 1)

    def skip_space(self, offset: int) -> int:
        match = _SPACE.match(self.text, offset)
        return match.end() if match else offset

    def value(self, offset: int, pointer: str, key: Position | None) -> int:
        """Record the value at `offset` (and descend when wanted); return the offset after it."""
        offset = self.skip_space(offset)
        self.spans[pointer] = Span(key, self.position(offset))
        char = self.text[offset : offset + 1]
        if char == "{":
            return self.members(offset + 1, pointer)
        if char == "[":
            return self.items(offset + 1, pointer)
        _, end = _DECODER.raw_decode(self.text, offset)
        if char == '"':  # a string on a wanted path may hold JSON that a pointer goes into
            embedded = _embedded_json(self.text[offset:end], offset, self.position)
            if embedded is not None:
                self.spans[pointer] = Span(key, self.position(offset), embedded)
        return int(end)

    def child(self, offset: int, pointer: str, key: Position | None) -> int:
        if pointer.lower() in self.prefixes:
            return self.value(offset, pointer, key)
        _, end = _DECODER.raw_decode(self.text, self.skip_space(offset))  # C speed
        return int(end)

    def members(self, offset: int, pointer: str) -> int:
        offset = self.skip_space(offset)
        if self.text.startswith("}", offset):
            return offset + 1
        while True:
            offset = self.skip_space(offset)
            key_position = self.position(offset)
            name, offset = _scanstring(self.text, offset + 1)
            offset = self.skip_space(offset)
            if not self.text.startswith(":", offset):
                raise ValueError("expected ':'")
            offset = self.child(offset + 1, f"{pointer}/{escape(name)}", key_position)
            offset = self.skip_space(offset)
            if self.text.startswith("}", offset):
                return offset + 1
            if not self.text.startswith(",", offset):
                raise ValueError("expected ',' or '}'")
            offset += 1

    def items(self, offset: int, pointer: str) -> int:
        offset = self.skip_space(offset)
        if self.text.startswith("]", offset):
            return offset + 1
        index = 0
        while True:
            offset = self.child(offset, f"{pointer}/{index}", None)
            index += 1
            offset = self.skip_space(offset)
            if self.text.startswith("]", offset):
                return offset + 1
            if not self.text.startswith(",", offset):
                raise ValueError("expected ',' or ']'")
            offset += 1


def _paths_json(text: str, wanted: Iterable[str]) -> dict[str, Span]:
    scanner = _PathScanner(text, wanted)
    # Text json.loads would refuse is FL001's: index what parses, stop where it no longer does.
    with contextlib.suppress(IndexError, ValueError, RecursionError):
        scanner.value(0, "", None)
    return scanner.spans
