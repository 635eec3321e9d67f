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
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from faqlint.codes import engine_finding
from faqlint.filetext import DEFAULT_MAX_FILE_SIZE, NotRead, decode, parse_error, read_bytes
from faqlint.findings import Finding, Position

try:  # libyaml is in every PyYAML wheel; the pure-Python parser is the fallback.
    from yaml._yaml import CParser as _Parser

    _C_PARSER = True
except ImportError:  # pragma: no cover - depends on the platform's wheel
    _C_PARSER = False

PLAIN = "?"  # tag our resolver gives to untagged plain scalars: resolved by YAML 1.2 rules below
JSON_SUFFIXES = frozenset({".json"})
MAX_DEPTH = 100  # nesting levels of a document; Microsoft's configuration uses under 20


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
                        f"invalid YAML: {_too_many_digits(node.value)}",
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
                raise _Unbuildable(_TOO_DEEP, _pos(node))
            return known, height
        if len(trail) >= MAX_DEPTH:
            raise _Unbuildable(_TOO_DEEP, _pos(node))
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


def _too_many_digits(text: str) -> str:
    digits = sum(c.isdigit() for c in text)
    return (
        f"a number of {digits} digits: faqlint reads integers of up to {_INT_DIGITS} digits; "
        "quote it if it is text"
    )


_INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep, which no configuration needs"
_RECURSIVE = "an alias inside its own anchor makes a value that contains itself"


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


def load_text(text: str, path: str, is_json: bool) -> LoadedFile:
    if is_json:
        return _load_json(text, path)
    loaded = _load_yaml(text, path)
    if WAIVER_MARK in text:
        loaded = replace(loaded, waiver_lines=waiver_lines(text))
    return loaded


def load(
    file: str | Path,
    display: str,
    *,
    problem: str | None = None,
    max_size: int | None = DEFAULT_MAX_FILE_SIZE,
    follow: bool = True,
) -> LoadedFile:
    """Read one file. Never raises for bad content: problems come back as findings. `problem`
    is a reason discovery already found not to read it (FL011); `follow` false refuses a link."""
    is_json = os.path.splitext(file)[1].lower() in JSON_SUFFIXES
    if problem is None:
        try:
            raw = read_bytes(file, max_size, follow)
        except NotRead as err:
            problem = str(err)
    if problem is not None:
        finding = engine_finding("FL011", problem, file=display, position=Position(1, 1))
        return LoadedFile(display, (), (finding,), is_json)
    text, undecodable = decode(raw, display)
    if text is None:
        assert undecodable is not None
        return LoadedFile(display, (), (undecodable,), is_json)
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


class _DuplicateKeys(Exception):
    pass


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeys
    return result


class _Invalid:
    """Stands in, while parsing, for a value JSON does not have (NaN, Infinity) or Python cannot
    hold (an integer past the digit limit); each becomes an FL001 at its place."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what


def _constant(name: str) -> _Invalid:
    return _Invalid(
        f"{name} is not a JSON value (the JSON standard has no NaN or Infinity); "
        "write a number or null"
    )


def _parse_json(text: str, hook: Any) -> tuple[Any, bool]:
    """The parsed value, and whether it holds an `_Invalid` placeholder."""
    marked: list[_Invalid] = []

    def constant(name: str) -> _Invalid:
        marked.append(_constant(name))
        return marked[-1]

    def int_or_invalid(digits: str) -> int | _Invalid:
        try:
            return int(digits)
        except ValueError:
            marked.append(_Invalid(_too_many_digits(digits)))
            return marked[-1]

    try:
        data = json.loads(text, object_pairs_hook=hook, parse_constant=constant)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer past the digit limit: parse again and mark it in place
        data = json.loads(
            text, object_pairs_hook=hook, parse_constant=constant, parse_int=int_or_invalid
        )
    return data, bool(marked)


# A \uD800-\uDFFF escape: only then can a parsed string hold a lone surrogate, which cannot be
# written as UTF-8 (a later report would crash on it).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _load_json(text: str, path: str) -> LoadedFile:
    findings: tuple[Finding, ...] = ()
    try:
        data, invalid = _parse_json(text, _pairs_without_duplicates)
    except json.JSONDecodeError as err:
        finding = parse_error(path, f"invalid JSON: {err.msg}", Position(err.lineno, err.colno))
        return LoadedFile(path, (), (finding,), True)
    except _DuplicateKeys:
        # Rare: locate every repeated key with the position-keeping scanner, keep the last value
        # as every JSON reader does, and report each repetition.
        from faqlint.positions import json_duplicate_keys

        data, invalid = _parse_json(text, None)
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
    except RecursionError:
        finding = parse_error(path, "invalid JSON: nested too deeply", Position(1, 1))
        return LoadedFile(path, (), (finding,), True)
    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    deep = text.count("[") + text.count("{") > MAX_DEPTH and _deeper_than(data, MAX_DEPTH)
    if surrogates or deep or invalid:
        problem = _first_unreadable(data, surrogates)
        if problem is not None:
            pointer, message = problem
            finding = engine_finding(
                "FL001", f"invalid JSON: {message}", file=path, pointer=pointer
            )
            return LoadedFile(path, (), (*findings, finding), True)
    return LoadedFile(path, (Document(1, data),), findings, True)


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether containers nest more than `limit` levels; one level at a time, no recursion,
    no pointers (this runs on every large file)."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            values = node.values() if node.__class__ is dict else node
            below.extend(v for v in values if v.__class__ is dict or v.__class__ is list)
        level = below
    return False


def _first_unreadable(data: Any, surrogates: bool) -> tuple[str, str] | None:
    """(pointer, what is wrong) of the first value, in document order, that faqlint cannot hand
    on: a placeholder for NaN or a too-long integer, a lone surrogate, or nesting past
    MAX_DEPTH. Iterative, so that depth cannot exhaust the stack."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, pointer, depth = stack.pop()
        if node.__class__ is _Invalid:
            return pointer, node.what
        if surrogates and isinstance(node, str) and _SURROGATE.search(node):
            return pointer, _lone_surrogate(node)
        if isinstance(node, (dict, list)):
            if depth >= MAX_DEPTH:
                return pointer, _TOO_DEEP
            items = node.items() if isinstance(node, dict) else enumerate(node)
            children = []
            for key, value in items:
                step = f"{pointer}/{escape(str(key))}"
                if surrogates and isinstance(key, str) and _SURROGATE.search(key):
                    return pointer, _lone_surrogate(key)  # the key cannot be in a pointer
                children.append((value, step, depth + 1))
            stack.extend(reversed(children))
    return None


def _lone_surrogate(text: str) -> str:
    found = _SURROGATE.search(text)
    assert found is not None
    return (
        f"a lone surrogate \\u{ord(found.group()):04x} in a string is not a Unicode character; "
        "remove the escape, or pair a high surrogate (\\ud800-\\udbff) with a low one"
    )
