"""Read a file into plain documents: every YAML document of a file, or one JSON value.

Reading is the hot path (pre-commit runs it on every commit), so it keeps only plain Python data.
Positions are recovered later, and only for the files that have findings (see `positions.py`).
Problems the loader sees first-hand (a parse error, a duplicate key) come out as located findings.
YAML is read by `faqlint.yamlread`, imported with the first YAML file a run reads.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from faqlint.codes import engine_finding
from faqlint.filetext import DEFAULT_MAX_FILE_SIZE, NotRead, decode, parse_error, read_bytes
from faqlint.findings import Finding, Position
from faqlint.loaded import (
    MAX_DEPTH,
    TOO_DEEP,
    Document,
    LoadedFile,
    WaiverLine,
    escape,
    too_many_digits,
)

JSON_SUFFIXES = frozenset({".json"})


WAIVER_MARK = "faqlint:"


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
    from faqlint.yamlread import load_yaml

    loaded = load_yaml(text, path)
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
            marked.append(_Invalid(too_many_digits(digits)))
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
                return pointer, TOO_DEEP
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
