"""YAML files into plain documents: composed by libyaml (PyYAML's C binding), built here.

Scalars are resolved by the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules:
`AccessTokenLifetime: 01:00:00` stays a string instead of becoming the sexagesimal integer 3600,
and `on`/`yes` stay strings. Duplicate keys are findings (FL004); aliases share what they name
(an alias bomb costs nothing); a document nested too deep or containing itself is a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from faqlint.codes import engine_finding
from faqlint.filetext import parse_error
from faqlint.findings import Finding, Position
from faqlint.loaded import MAX_DEPTH, TOO_DEEP, Document, LoadedFile, escape, too_many_digits

try:  # libyaml is in every PyYAML wheel; the pure-Python parser is the fallback.
    from yaml._yaml import CParser as _Parser

    _C_PARSER = True
except ImportError:  # pragma: no cover - depends on the platform's wheel
    _C_PARSER = False

PLAIN = "?"  # tag our resolver gives to untagged plain scalars: resolved by YAML 1.2 rules below


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


_NUMBER_STARTS = frozenset("0123456789+-.")


def resolve_plain(text: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if text[0] not in _NUMBER_STARTS:  # most scalars are words: no number pattern can match
        return text
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
        self._heights: dict[int, int] = {}  # of the containers built so far
        self._trail: list[str] = []  # keys and indexes down to the node being built

    def build(self, node: Node) -> Any:
        return self._build(node)[0]

    def _build(self, node: Node) -> tuple[Any, int]:
        """The value and its height (levels of containers in it). Heights let an alias be
        checked without walking it: a chain of aliases can nest deeper than the text does."""
        if isinstance(node, ScalarNode):
            try:
                return _scalar(node), 0
            except ValueError:  # an integer past Python's digit limit: say so, keep the text
                self.findings.append(
                    parse_error(
                        self.path,
                        f"invalid YAML: {too_many_digits(node.value)}",
                        _pos(node),
                        self.document,
                    )
                )
                return node.value, 0
        trail = self._trail
        known = self._memo.get(id(node))
        if known is not None:
            height = self._heights.get(id(node))
            if height is None:  # still being built: an alias inside its own anchor
                raise _Unbuildable(_RECURSIVE, _pos(node))
            if len(trail) + height > MAX_DEPTH:
                raise _Unbuildable(TOO_DEEP, _pos(node))
            return known, height
        if len(trail) >= MAX_DEPTH:
            raise _Unbuildable(TOO_DEEP, _pos(node))
        height = 0
        if isinstance(node, SequenceNode):
            items: list[Any] = []
            self._memo[id(node)] = items
            for i, child in enumerate(node.value):
                trail.append(str(i))
                value, below = self._build(child)
                items.append(value)
                height = max(height, below)
                trail.pop()
            self._heights[id(node)] = height + 1
            return items, height + 1
        mapping: dict[str, Any] = {}
        self._memo[id(node)] = mapping
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else _complex_key(key_node)
            if key in mapping:
                self._duplicate(key, key_node)
            if (
                type(value_node) is ScalarNode
                and value_node.tag == PLAIN
                and value_node.value[:1] not in _NUMBER_STARTS
            ):  # most values are words: built here, with no call (a number may be too long)
                mapping[key] = resolve_plain(value_node.value)
                continue
            trail.append(key)
            mapping[key], below = self._build(value_node)
            height = max(height, below)
            trail.pop()
        self._heights[id(node)] = height + 1
        return mapping, height + 1

    def _duplicate(self, key: str, key_node: Node) -> None:
        self.findings.append(
            engine_finding(
                "FL004",
                f"duplicate key {key!r}: this mapping already has it; "
                "keep one and delete the other",
                file=self.path,
                document=self.document,
                pointer="".join(f"/{escape(step)}" for step in [*self._trail, key]),
                position=_pos(key_node),
            )
        )


class _Unbuildable(Exception):
    """A document that cannot become plain data: too deep, or containing itself."""

    def __init__(self, problem: str, position: Position) -> None:
        self.problem = problem
        self.position = position


_RECURSIVE = "an alias inside its own anchor makes a value that contains itself"


def _complex_key(node: Node) -> str:
    # Mapping or sequence keys cannot exist in JSON; keep a readable stand-in so schemas reject it.
    return f"<{type(node).__name__.removesuffix('Node').lower()} key>"


def load_yaml(text: str, path: str) -> LoadedFile:
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
    except _Unbuildable as err:
        findings.append(parse_error(path, f"invalid YAML: {err.problem}", err.position, index))
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
