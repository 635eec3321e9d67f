"""Read a file into plain documents: every YAML document of a file, or one JSON value.

Reading is the hot path (pre-commit runs it on every commit), so it keeps only plain Python data.
Positions are recovered later, and only for the files that have findings (see `positions.py`).
Problems the loader sees first-hand (a parse error, a duplicate key) come out as located findings.

YAML is composed by libyaml (PyYAML's C binding) and its scalars are resolved here by the YAML 1.2
core schema, not PyYAML's YAML 1.1 rules: `AccessTokenLifetime: 01:00:00` stays a string instead
of becoming the sexagesimal integer 3600, and `on`/`yes` stay strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from faqlint.codes import engine_finding
from faqlint.findings import Finding, Position

try:  # libyaml is in every PyYAML wheel; the pure-Python parser is the fallback.
    from yaml._yaml import CParser as _Parser

    _C_PARSER = True
except ImportError:  # pragma: no cover - depends on the platform's wheel
    _C_PARSER = False

PLAIN = "?"  # tag our resolver gives to untagged plain scalars: resolved by YAML 1.2 rules below
JSON_SUFFIXES = frozenset({".json"})


@dataclass(frozen=True, slots=True)
class Document:
    """One document of a file. `index` is 1-based; `data` is plain JSON-like data."""

    index: int
    data: Any


@dataclass(frozen=True, slots=True)
class LoadedFile:
    path: str
    documents: tuple[Document, ...]
    findings: tuple[Finding, ...]
    is_json: bool
    # (line, text) of the lines that may hold a `# faqlint: ignore[...]` waiver; only YAML has
    # comments, and only files that mention "faqlint:" pay for the scan.
    waiver_lines: tuple[WaiverLine, ...] = ()


WAIVER_MARK = "faqlint:"


class WaiverLine(NamedTuple):
    """A line that may hold a `# faqlint: ignore[...]` waiver, and the document it is in."""

    line: int
    text: str
    document: int = 1


_DOCUMENT_START = re.compile(r"---(?:\s|$)")


def waiver_lines(text: str) -> tuple[WaiverLine, ...]:
    """Numbered as the loader numbers documents: a `---` before any content starts document 1."""
    found: list[WaiverLine] = []
    document, content = 1, False
    for number, line in enumerate(text.split("\n"), start=1):
        if _DOCUMENT_START.match(line):
            if content:
                document += 1
            content = True
        elif line.strip() and not line.lstrip().startswith(("#", "%")):
            content = True
        if WAIVER_MARK in line and "#" in line:
            found.append(WaiverLine(number, line.rstrip("\r"), document))
    return tuple(found)


class _YamlComposer(BaseResolver):
    """Composer with a resolver that only marks plain scalars; `build` resolves them."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode and implicit[0]:
            return PLAIN
        return "" if kind is ScalarNode else "map-or-seq"


if _C_PARSER:

    class _Composer(_Parser, _YamlComposer):
        def __init__(self, text: str) -> None:
            _Parser.__init__(self, text)
            _YamlComposer.__init__(self)

else:  # pragma: no cover
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Composer(Reader, Scanner, Parser, Composer, _YamlComposer):  # type: ignore[no-redef]
        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _YamlComposer.__init__(self)

        def dispose(self) -> None:
            pass


def compose_yaml(text: str) -> Iterator[Node | None]:
    """The documents of a YAML stream as nodes, one by one (raises yaml.YAMLError where the
    stream stops parsing, after yielding the documents before it)."""
    composer = _Composer(text)
    try:
        while composer.check_node():
            yield composer.get_node()
    finally:
        composer.dispose()


_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_INFS = frozenset({".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
_NANS = frozenset({".nan", ".NaN", ".NAN"})

_TAG = "tag:yaml.org,2002:"


def resolve_plain(text: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if text in _INFS:
        return float("inf")
    if text in {"-.inf", "-.Inf", "-.INF"}:
        return float("-inf")
    if text in _NANS:
        return float("nan")
    return text


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == PLAIN:
        return resolve_plain(node.value)
    if tag.startswith(_TAG) and tag != _TAG + "str":
        # An explicit core tag (`!!int "3"`): resolve as written, keep the text if it does not fit.
        value = resolve_plain(node.value)
        wanted = {"int": int, "float": float, "bool": bool, "null": type(None)}.get(
            tag[len(_TAG) :]
        )
        return value if wanted is not None and isinstance(value, wanted) else node.value
    return node.value


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns composed nodes into plain data, reporting duplicate keys (FL004).

    Aliases share the built value (memo by node identity), so an alias bomb costs nothing.
    """

    def __init__(self, path: str, document: int) -> None:
        self.path = path
        self.document = document
        self.findings: list[Finding] = []
        self._memo: dict[int, Any] = {}
        self._trail: list[str] = []  # keys and indexes down to the node being built

    def build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return _scalar(node)
        known = self._memo.get(id(node))
        if known is not None:
            return known
        trail = self._trail
        if isinstance(node, SequenceNode):
            items: list[Any] = []
            self._memo[id(node)] = items
            for i, child in enumerate(node.value):
                trail.append(str(i))
                items.append(self.build(child))
                trail.pop()
            return items
        mapping: dict[str, Any] = {}
        self._memo[id(node)] = mapping
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else _complex_key(key_node)
            trail.append(key)
            if key in mapping:
                self._duplicate(key, key_node)
            mapping[key] = self.build(value_node)
            trail.pop()
        return mapping

    def _duplicate(self, key: str, key_node: Node) -> None:
        self.findings.append(
            engine_finding(
                "FL004",
                f"duplicate key {key!r}: this mapping already has it; "
                "keep one and delete the other",
                file=self.path,
                document=self.document,
                pointer="".join(f"/{escape(step)}" for step in self._trail),
                position=_pos(key_node),
            )
        )


def _complex_key(node: Node) -> str:
    # Mapping or sequence keys cannot exist in JSON; keep a readable stand-in so schemas reject it.
    return f"<{type(node).__name__.removesuffix('Node').lower()} key>"


def escape(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def value_at(data: Any, pointer: str) -> tuple[bool, Any]:
    """The value a JSON pointer names, and whether it exists."""
    node = data
    if not pointer:
        return True, node
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def parse_error(path: str, message: str, position: Position, document: int = 1) -> Finding:
    return engine_finding("FL001", message, file=path, document=document, position=position)


def decode(raw: bytes, path: str) -> tuple[str | None, Finding | None]:
    """UTF-8 with or without a byte-order mark; CRLF is left to the parsers, which accept it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        return None, parse_error(
            path,
            f"not UTF-8: byte 0x{raw[err.start]:02x} cannot be decoded; save the file as UTF-8",
            Position(line, column),
        )
    return text.removeprefix("\ufeff"), None


def load_text(text: str, path: str, is_json: bool) -> LoadedFile:
    if is_json:
        return _load_json(text, path)
    loaded = _load_yaml(text, path)
    if WAIVER_MARK in text:
        loaded = replace(loaded, waiver_lines=waiver_lines(text))
    return loaded


def load(file: Path, display: str) -> LoadedFile:
    """Read one file. Never raises for bad content: problems come back as findings."""
    is_json = file.suffix.lower() in JSON_SUFFIXES
    try:
        raw = file.read_bytes()
    except OSError as err:
        message = f"cannot read file: {err.strerror or err}"
        return LoadedFile(display, (), (parse_error(display, message, Position(1, 1)),), is_json)
    text, problem = decode(raw, display)
    if text is None:
        assert problem is not None
        return LoadedFile(display, (), (problem,), is_json)
    return load_text(text, display, is_json)


def _load_yaml(text: str, path: str) -> LoadedFile:
    composer = _Composer(text)
    documents: list[Document] = []
    findings: list[Finding] = []
    index = 0
    try:
        while composer.check_node():
            index += 1
            node = composer.get_node()
            if node is None:
                continue
            builder = _Builder(path, index)
            data = builder.build(node)
            findings.extend(builder.findings)
            if data is not None:  # an empty document (only comments) holds no resource
                documents.append(Document(index, data))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        problem = err.problem or err.context or "invalid YAML"
        opened = err.context_mark
        if err.context and opened is not None and opened is not mark:
            # "did not find expected ']'" is found at the end; say where the thing began
            where = f"line {opened.line + 1}, column {opened.column + 1}"
            problem += f" ({err.context} started at {where})"
        findings.append(parse_error(path, f"invalid YAML: {problem}", position, max(index, 1)))
    except RecursionError:
        findings.append(parse_error(path, "invalid YAML: nested too deeply", Position(1, 1), index))
    except yaml.YAMLError as err:  # ReaderError: a control character libyaml refuses
        findings.append(
            parse_error(
                path,
                f"invalid YAML: {_reader_problem(err, text)}",
                _reader_position(err, text),
                max(index, 1),
            )
        )
    finally:
        composer.dispose()
    return LoadedFile(path, tuple(documents), tuple(findings), False)


def _reader_problem(err: yaml.YAMLError, text: str) -> str:
    character = getattr(err, "character", None)
    if isinstance(character, int):
        return f"special character U+{character:04X} is not allowed"
    return str(getattr(err, "reason", None) or err)


def _reader_position(err: yaml.YAMLError, text: str) -> Position:
    offset = getattr(err, "position", None)
    if not isinstance(offset, int):
        return Position(1, 1)
    before = text[:offset]
    return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


class _DuplicateKeys(Exception):
    pass


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeys
    return result


def _load_json(text: str, path: str) -> LoadedFile:
    try:
        data = json.loads(text, object_pairs_hook=_pairs_without_duplicates)
    except json.JSONDecodeError as err:
        finding = parse_error(path, f"invalid JSON: {err.msg}", Position(err.lineno, err.colno))
        return LoadedFile(path, (), (finding,), True)
    except _DuplicateKeys:
        # Rare: locate every repeated key with the position-keeping scanner, keep the last value
        # as every JSON reader does, and report each repetition.
        from faqlint.positions import json_duplicate_keys

        data = json.loads(text)
        findings = tuple(
            engine_finding(
                "FL004",
                f"duplicate key {key!r}: this object already has it; keep one and delete the other",
                file=path,
                pointer=pointer,
                position=position,
            )
            for key, pointer, position in json_duplicate_keys(text)
        )
        return LoadedFile(path, (Document(1, data),), findings, True)
    except RecursionError:
        finding = parse_error(path, "invalid JSON: nested too deeply", Position(1, 1))
        return LoadedFile(path, (), (finding,), True)
    return LoadedFile(path, (Document(1, data),), (), True)
