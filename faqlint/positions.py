"""Where each node of a document starts: JSON pointer -> key and value positions.

Only files that have findings are indexed, so the cost of keeping positions is paid where a
position is shown. YAML is re-composed by libyaml; JSON is scanned by the small tokenizer below,
because Python's json module reports positions only for errors.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faqlint.findings import Position
from faqlint.load import compose_yaml, escape


@dataclass(frozen=True, slots=True)
class Span:
    key: Position | None  # the key of a mapping member; None for list items and the root
    value: Position


class PositionIndex:
    """Pointer lookup for one document, tolerant of case (exports are PascalCase, rules camel)."""

    def __init__(self, spans: dict[str, Span]) -> None:
        self._spans = spans
        self._folded = {pointer.lower(): span for pointer, span in spans.items()}

    def find(self, pointer: str, prefer_value: bool = False) -> Position:
        """The node's position; for a missing node, its nearest existing ancestor's."""
        while True:
            span = self._spans.get(pointer) or self._folded.get(pointer.lower())
            if span is not None:
                if prefer_value or span.key is None:
                    return span.value
                return span.key
            if not pointer:
                return Position(1, 1)
            pointer = pointer.rsplit("/", 1)[0]


def index_yaml(text: str) -> dict[int, PositionIndex]:
    """Per document (1-based, empty documents counted), the positions of its nodes."""
    result: dict[int, PositionIndex] = {}
    try:
        for number, node in enumerate(compose_yaml(text), start=1):
            spans: dict[str, Span] = {}
            if node is not None:
                _walk_yaml(node, "", None, spans, set())
            result[number] = PositionIndex(spans)
    except (yaml.YAMLError, RecursionError):
        pass  # documents after a parse error have no positions; FL001 already says where
    return result


def _walk_yaml(
    node: Node, pointer: str, key: Position | None, spans: dict[str, Span], seen: set[int]
) -> None:
    mark = node.start_mark
    # A repeated key (FL004) keeps its last value, as the loader does: so does its position.
    spans[pointer] = Span(key, Position(mark.line + 1, mark.column + 1))
    if id(node) in seen:  # an alias: its children are indexed where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key_mark = key_node.start_mark
                key_position = Position(key_mark.line + 1, key_mark.column + 1)
                _walk_yaml(
                    value_node, f"{pointer}/{escape(key_node.value)}", key_position, spans, seen
                )
    elif isinstance(node, SequenceNode):
        for i, child in enumerate(node.value):
            _walk_yaml(child, f"{pointer}/{i}", None, spans, seen)


_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<punct>[{}\[\]:,])|(?P<atom>[^\s{}\[\]:,"]+))', re.S
)


class _JsonScanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = self._tokenize(text)
        self.i = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

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
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line + 1, offset - self.line_starts[line] + 1)

    def next(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def value(self, pointer: str, key: Position | None) -> Iterator[tuple[str, Span, str | None]]:
        _, text, offset = self.next()
        yield pointer, Span(key, self.position(offset)), None
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
    import json

    value = json.loads(raw)
    return value if isinstance(value, str) else raw


def _json_spans(text: str) -> Iterator[tuple[str, Span, str | None]]:
    return _JsonScanner(text).value("", None)


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
            spans[pointer] = Span(known.key, span.value) if known and known.key else span
    except (IndexError, ValueError, RecursionError):  # text json.loads would refuse: FL001's
        pass
    return {1: PositionIndex(spans)}


def json_duplicate_keys(text: str) -> list[tuple[str, str, Position]]:
    """(key, pointer, position) of every key that repeats an earlier key of its object."""
    seen: set[str] = set()
    repeated: list[tuple[str, str, Position]] = []
    for pointer, span, name in _json_spans(text):
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
