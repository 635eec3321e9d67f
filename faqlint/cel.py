"""The one module that knows which CEL implementation runs the policies.

Backend: `common-expression-language` (Rust, with Python bindings). Its package `__init__` also
imports its interactive command line (prompt_toolkit, rich, typer: ~300 ms), which a linter that
runs on every commit cannot afford, so the compiled extension module is loaded on its own.

The functions below are what the FAQ's rules need and CEL lacks. Each is total on the inputs it
documents and raises `ValueError` otherwise; the engine turns a raise into a finding that names
the rule and the resource.
"""

from __future__ import annotations

import bisect
import functools
import importlib.machinery
import importlib.util
import json
import logging
import os
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from faqlint.timespan import TimeSpanError, parse_timespan


def _load_backend() -> ModuleType:
    spec = importlib.util.find_spec("cel")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the 'common-expression-language' package is not installed")
    folder = spec.submodule_search_locations[0]
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = os.path.join(folder, "cel" + suffix)
        if os.path.exists(path):
            loader = importlib.machinery.ExtensionFileLoader("cel.cel", path)
            module_spec = importlib.util.spec_from_file_location("cel.cel", path, loader=loader)
            assert module_spec is not None
            module = importlib.util.module_from_spec(module_spec)
            loader.exec_module(module)
            return module
    import cel  # an unusual layout: pay the slow import rather than fail

    return cel


_backend = _load_backend()
# The backend logs every failing Python function on the "cel" logger; faqlint reports the same
# failure as a finding (FL009), so the log line would only repeat it on stderr.
logging.getLogger("cel").propagate = False
logging.getLogger("cel").addHandler(logging.NullHandler())


class CelError(Exception):
    """A CEL expression that does not compile, or that fails while evaluating."""


class Program:
    """An expression and its source (kept for messages and for composing programs), compiled
    when it is made, or with `lazy` on its first run (or `compile()`): a run compiles only the
    expressions it evaluates."""

    def __init__(self, source: str, *, lazy: bool = False) -> None:
        self.source = source
        self._program: Any = None
        if not lazy:
            self.compile()

    def compile(self) -> None:
        """Compile now (once); CelError when the expression does not compile."""
        if self._program is not None:
            return
        if _nesting(self.source) > MAX_NESTING:  # before rewriting, which scans each level
            raise CelError(f"nested more than {MAX_NESTING} levels deep")
        _refuse_too_many_operators(self.source, "")
        rewritten = index_selects(inline_get(self.source))
        _refuse_too_many_operators(rewritten, " once its get calls are written out")
        try:
            self._program = _backend.compile(rewritten)
        except (ValueError, RuntimeError, TypeError) as err:
            raise CelError(_first_line(err)) from None

    def run(self, context: Context) -> Any:
        if self._program is None:
            self.compile()
        try:
            return self._program.execute(context.native)
        except KeyError as err:
            key = str(err.args[0]) if err.args else ""
            raise CelError(f"no such key: {key}") from None
        except (ValueError, RuntimeError, TypeError, ArithmeticError, IndexError) as err:
            # the backend raises IndexError for `list[9]`, ZeroDivisionError for `x / 0`
            raise CelError(_first_line(err)) from None


# The backend refuses an expression nested deeper than 96 levels; the rewriting below adds a few
# levels and scans each call's arguments once per level, so a deeper source is refused before.
# A long chain of operators (`a.b.b...`, `1 + 1 + ...`) is no deeper in brackets, but the
# backend's compiler recurses along it and overflows the stack, killing the process, at about
# 20,000: a program is refused with more than MAX_OPERATORS (the largest the shipped rules make
# has about 1,200).
MAX_NESTING = 96
MAX_OPERATORS = 8000
_OPERATOR = re.compile(r"&&|\|\||[=!<>]=|[-+*/%<>?!.\[(]|\bin\b")


def _nesting(source: str) -> int:
    """How deep the brackets of `source` nest, outside string literals."""
    deepest = depth = 0
    for char in _NOT_BRACKETS.sub("", _STRING.sub("", source)):
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


_NOT_BRACKETS = re.compile(r"[^()\[\]{}]+")


def _refuse_too_many_operators(source: str, when: str) -> None:
    # Counting characters bounds the count from above, fast: every operator holds one of them,
    # or is `in`. Only a program near the limit is counted exactly.
    if sum(map(source.count, _OPERATOR_CHARACTERS)) + source.count("in") <= MAX_OPERATORS:
        return
    operators = _operators(source)
    if operators > MAX_OPERATORS:
        raise CelError(f"{operators} operators{when}; an expression may have {MAX_OPERATORS}")


_OPERATOR_CHARACTERS = ".[(&|=!<>+-*/%?"


def _operators(source: str) -> int:
    """How many operators, selections, indexes and calls `source` has, outside string literals."""
    return sum(1 for _ in _OPERATOR.finditer(_STRING.sub("''", source)))


class Context:
    """Variables for evaluation, with the function library registered once."""

    def __init__(self, variables: dict[str, Any]) -> None:
        functions = {**FUNCTIONS, "lookupIgnoreCase": _lookup_in(variables.get("data"))}
        self.native = _backend.Context(variables=variables, functions=functions)

    def set(self, name: str, value: Any) -> None:
        self.native.add_variable(name, value)


# --- `get` with a literal path, compiled to plain CEL -----------------------------------------
#
# `get` is the library's most used function, and a Python function is costly here: the backend
# converts its whole receiver (a resource's spec) to Python on every call. Where the path is a
# string literal of plain identifiers and the receiver a plain variable path, the call is
# rewritten to the CEL it means, in the indexed form that `index_selects` gives every selection:
#   spec.get('hybrid.enabled', false)
#   -> ((type(spec) == map && "hybrid" in spec && type(spec["hybrid"]) == map
#        && "enabled" in spec["hybrid"] && spec["hybrid"]["enabled"] != null)
#       ? spec["hybrid"]["enabled"] : (false))
# A receiver that is not a variable path (`get(jsonValue(d), 'TokenLifetimePolicy', null)`) is
# bound once, `[jsonValue(d)].map(faqlint_r, ...)[0]`: a value the program computed is bound
# without a copy, where the call would convert it to Python and its result back. A computed
# path still calls the Python function; the tests hold both to the same results.

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_CHAIN = rf"{_IDENTIFIER}(?:\.{_IDENTIFIER})*"
_LITERAL_PATH = rf"(?P<quote>['\"])(?P<path>{_CHAIN})(?P=quote)"
_METHOD_GET = re.compile(rf"(?<![\w.])(?P<receiver>{_CHAIN})\.get\(\s*{_LITERAL_PATH}\s*,")
_FUNCTION_GET = re.compile(rf"(?<![\w.])get\(\s*(?P<receiver>{_CHAIN})\s*,\s*{_LITERAL_PATH}\s*,")
_ANY_FUNCTION_GET = re.compile(r"(?<![\w.])get\(")  # any receiver: see `_computed_receiver`
_PATH_ARGUMENT = re.compile(rf"\s*,\s*{_LITERAL_PATH}\s*,")
_RECEIVER = "faqlint_r"  # a computed receiver, bound once


_STRING = re.compile(
    r"'{3}.*?'{3}" r'|"{3}.*?"{3}' r"|'(?:[^'\\\n]|\\.)*'" r'|"(?:[^"\\\n]|\\.)*"', re.S
)


class _Literals:
    """Where the string literals of a CEL source are: what the rewritings step over."""

    def __init__(self, source: str) -> None:
        self._spans = [m.span() for m in _STRING.finditer(source)]
        self._starts = [begin for begin, _ in self._spans]
        self.ends = dict(self._spans)  # where the literal that begins at an index ends

    def contain(self, index: int) -> bool:
        inside = bisect.bisect_right(self._starts, index) - 1
        return inside >= 0 and index < self._spans[inside][1]


def _argument_end(
    source: str, start: int, literals: _Literals, *, at_comma: bool = False
) -> int | None:
    """Index of the `)` that closes the call whose argument starts at `start`, or with
    `at_comma` of the `,` that ends that argument where one comes first; None where a `]` or `}`
    closes first, or nothing does."""
    depth = 0
    i = start
    while i < len(source):
        if i in literals.ends:
            i = literals.ends[i]
            continue
        char = source[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return i if char == ")" else None
            depth -= 1
        elif at_comma and char == "," and depth == 0:
            return i
        i += 1
    return None


def inline_get(source: str) -> str:
    """`source` with every `get` call that has a literal path written as plain CEL.

    One pass from left to right: the texts of a rewritten call's receiver and default are
    rewritten on their own, and the scan goes on after the call's `)`."""
    if "get" not in source:
        return source
    literals = _Literals(source)
    patterns = (_METHOD_GET, _FUNCTION_GET, _ANY_FUNCTION_GET)  # at one place, the first wins
    candidates = sorted(
        (m for pattern in patterns for m in pattern.finditer(source)), key=lambda m: m.start()
    )
    pieces: list[str] = []
    done = 0  # source[:done] is in `pieces`
    for match in candidates:
        if match.start() < done:
            continue
        if literals.contain(match.start()):
            continue
        if match.re is _ANY_FUNCTION_GET:
            found = _computed_receiver(source, match.end(), literals)
            if found is None:
                continue
            receiver, path, default_start = found
        else:
            receiver, path, default_start = None, match["path"], match.end()
        end = _argument_end(source, default_start, literals)
        if end is None:
            continue
        default = inline_get(source[default_start:end].strip())
        if receiver is None:
            root, *members = match["receiver"].split(".")
            inlined = _inlined(root + "".join(f'["{m}"]' for m in members), path, default)
        else:
            inlined = f"[{inline_get(receiver)}].map({_RECEIVER}, "
            inlined += f"{_inlined(_RECEIVER, path, default)})[0]"
        pieces.append(source[done : match.start()])
        pieces.append(inlined)
        done = end + 1
    pieces.append(source[done:])
    return "".join(pieces)


def _inlined(value: str, path: str, default: str) -> str:
    """What `get(value, path, default)` means, in CEL."""
    checks = [f"type({value}) == map"]
    for step in path.split("."):
        checks.append(f'"{step}" in {value}')
        value = f'{value}["{step}"]'
        checks.append(f"type({value}) == map")
    checks[-1] = f"{value} != null"
    return f"(({' && '.join(checks)}) ? {value} : ({default}))"


def _computed_receiver(source: str, start: int, literals: _Literals) -> tuple[str, str, int] | None:
    """For `get(` ending at `start` whose first argument is any expression and whose path is a
    literal: the receiver's text, the path, and where the default begins."""
    comma = _argument_end(source, start, literals, at_comma=True)
    if comma is None or source[comma] != ",":
        return None
    path = _PATH_ARGUMENT.match(source, comma)
    receiver = source[start:comma].strip()
    if path is None or not receiver:
        return None
    return receiver, path["path"], path.end()


# --- selections read by index -----------------------------------------------------------------
#
# The backend copies the value of a member selection each time an expression reaches it, and
# the copy is deep: `spec.proxy.enabled` copies `spec.proxy` whole, `data.licensing.servicePlans`
# the whole table (~60 us), where the same value read by index, `data["licensing"]
# ["servicePlans"]`, costs well under a microsecond whatever its size. For a map the two mean the
# same, with the same errors (a missing key, a value that is not a map), so every selection
# `e.f` of a program is compiled as `e["f"]`, except the one that `has(e.f)` tests.

_SELECTION = re.compile(rf"\.\s*({_IDENTIFIER})\b(?!\s*\()")  # not a method call: `e.f(`
_HAS = re.compile(r"(?<![\w.])has\(")
_TESTED = re.compile(rf"\.\s*{_IDENTIFIER}\s*$")  # the field a has() argument ends with
_CHAIN_REST = re.compile(rf"(?:\s*\.\s*{_IDENTIFIER})*\s*")  # a chain from one of its dots


def index_selects(source: str) -> str:
    """`source` with every field selection outside string literals written as an index, except
    the field that a `has()` tests; calls (`e.f(...)`), numbers and message names stay as
    they are."""
    if "." not in source:
        return source
    literals = _Literals(source)
    tested: set[int] = set()  # where the dot of each has() argument's last field is
    for call in _HAS.finditer(source):
        inside = literals.contain(call.start())
        end = None if inside else _argument_end(source, call.end(), literals)
        last = _TESTED.search(source, call.end(), end) if end is not None else None
        if last is not None:
            tested.add(last.start())
    pieces: list[str] = []
    done = 0
    chain_end, type_name = -1, False  # the chain of selections the last one belongs to
    for selection in _SELECTION.finditer(source):
        dot = selection.start()
        if dot >= chain_end:  # `a.b.C{`: a message's type name, seen once for its whole chain
            rest = _CHAIN_REST.match(source, dot)
            chain_end = rest.end() if rest else dot + 1
            type_name = source.startswith("{", chain_end)
        if type_name or dot < done or dot in tested or literals.contain(dot):
            continue
        if not _ends_operand(source, dot):
            continue
        pieces.append(source[done:dot])
        pieces.append(f'["{selection[1]}"]')
        done = selection.end()
    pieces.append(source[done:])
    return "".join(pieces)


def _ends_operand(source: str, dot: int) -> bool:
    """Whether the text before `dot` ends with an operand that can be selected from: a name, a
    call, an index or a literal list or map (not a number: `1.5`)."""
    end = dot
    while end > 0 and source[end - 1].isspace():
        end -= 1
    if end == 0:
        return False
    if source[end - 1] in ")]}":
        return True
    start = end
    while start > 0 and (source[start - 1].isalnum() or source[start - 1] == "_"):
        start -= 1
    return start < end and not source[start].isdigit()


# --- `get` left to the Python function ---------------------------------------------------------
#
# A message's holes run only when a finding is made, so their `get` calls are better called than
# inlined: the program is a third shorter, and the backend's compiler takes time in proportion.

CALLED_GET = "faqlint_get"  # `get` under a name `inline_get` passes by
_ANY_GET = re.compile(r"(?<![\w.])get\(|(?<=\.)get\(")


def called_get(source: str) -> str:
    """`source` with every `get` call (outside string literals) left to the Python function."""
    literals = _Literals(source)

    def rename(match: re.Match[str]) -> str:
        return match.group(0) if literals.contain(match.start()) else CALLED_GET + "("

    return _ANY_GET.sub(rename, source)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


# --- the function library -------------------------------------------------------------------

_VERSION = re.compile(r"\d+(\.\d+)*")


def is_version(value: Any) -> bool:
    """Dotted numbers only: `3.10.1` yes, `3.10.1-beta` or `latest` no."""
    return isinstance(value, str) and _VERSION.fullmatch(value.strip()) is not None


def version_compare(left: Any, right: Any) -> int:
    """-1, 0 or 1, comparing numerically part by part (3.9.0 < 3.10.1; 3.1 == 3.1.0)."""
    if not (is_version(left) and is_version(right)):
        raise ValueError(f"not a dotted version: {left!r} or {right!r}")
    a = [int(p) for p in left.strip().split(".")]
    b = [int(p) for p in right.strip().split(".")]
    width = max(len(a), len(b))
    a += [0] * (width - len(a))
    b += [0] * (width - len(b))
    return (a > b) - (a < b)


def is_timespan(value: Any) -> bool:
    """True where .NET's TimeSpan.Parse reads `value` (see `parse_timespan`)."""
    try:
        parse_timespan(value)
    except TimeSpanError:
        return False
    return True


def timespan_seconds(value: Any) -> int | float:
    """The TimeSpan's length in seconds (a fraction where it has one); negative stays negative."""
    return parse_timespan(value).seconds


def timespan_text(value: Any) -> str:
    """How .NET writes the TimeSpan it read: `24:00:00` -> `24.00:00:00`."""
    return parse_timespan(value).text


def timespan_words(value: Any) -> str:
    """The TimeSpan in words: `1.00:00:00` -> `1 day`, `01:30:00` -> `1 hour 30 minutes`."""
    return parse_timespan(value).words


def timespan_reading(value: Any) -> str:
    """How .NET read `value`, where that is not what it looks like; empty otherwise (and for
    what is not a TimeSpan at all: `timespanProblem` says why)."""
    try:
        span = parse_timespan(value)
    except TimeSpanError:
        return ""
    if not span.surprising:
        return ""
    read = f'"{value}" is read by .NET as {span.words} ({span.text})'
    if span.form == "d":
        return f"{read}: a number alone counts days"
    first = value.strip().lstrip("-").split(":")[0]
    if span.form == "d:h:m":
        return f"{read}, not {int(first)} hours: a first part above 23 counts days"
    return f"{read}: with four colon-separated parts the first counts days"


def timespan_problem(value: Any) -> str:
    """Why .NET cannot read `value` as a TimeSpan; empty where it can."""
    try:
        parse_timespan(value)
    except TimeSpanError as err:
        return err.reason
    return ""


def is_json(value: Any) -> bool:
    return isinstance(value, str) and _decoded(value)[0]


def parse_json(value: Any) -> Any:
    """Graph embeds JSON documents in strings (tokenLifetimePolicy.definition)."""
    parsed, document = _decoded(value) if isinstance(value, str) else (False, None)
    if not parsed:
        raise ValueError(f"not a JSON document: {value!r}")
    return document


def json_value(value: Any) -> Any:
    """A JSON document written either as a string (as Graph returns it) or already as data;
    null for a string that is not JSON (`isJson` tells the two apart)."""
    if isinstance(value, str):
        return _decoded(value)[1]
    return without_nulls(value)


_REMEMBERED_TEXT = 4096  # characters: a longer string is decoded each time, not kept


def _decoded(text: str) -> tuple[bool, Any]:
    """Whether `text` is JSON, and its document without nulls. Several rules read the same
    definition entry, so a short text is decoded once (callers only read the document)."""
    if len(text) > _REMEMBERED_TEXT:
        return _decode(text)
    return _remembered_decode(text)


def _decode(text: str) -> tuple[bool, Any]:
    try:
        return True, without_nulls(json.loads(text))
    except (ValueError, RecursionError):
        return False, None


_remembered_decode = functools.lru_cache(maxsize=1024)(_decode)


def json_with(text: Any, path: Any, value: Any) -> str:
    """`text`, a JSON document in a string, with the member at the dotted `path` set to `value`:
    written compact, members in their order (a new last member where the path's end is
    missing). How a fix edits a value Graph keeps inside a JSON string (`definition`)."""
    if not isinstance(path, str) or not path:
        raise ValueError("jsonWith takes a dotted path such as 'a.b'")
    if not is_json(text):
        raise ValueError(f"not a JSON document: {text!r}")
    document = json.loads(text)
    *parents, last = path.split(".")
    node = document
    for step in parents:
        if not isinstance(node, dict) or not isinstance(node.get(step), dict):
            raise ValueError(f"{path!r}: {step!r} is not an object in the document")
        node = node[step]
    if not isinstance(node, dict):
        raise ValueError(f"{path!r} does not lead to an object member")
    node[last] = value
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def indexed(value: Any) -> list[dict[str, Any]]:
    """`[{index, item}]` for a list: how a comprehension sees both an element and its index."""
    if not isinstance(value, list):
        raise ValueError(f"returned {type(value).__name__}, not a list")
    return [{"index": i, "item": item} for i, item in enumerate(value)]


def wildcard_match(pattern: Any, text: Any) -> bool:
    """Exchange-style `*` wildcard, case-insensitive: `Outlook-*` matches `outlook-iOS/2.0`.

    Linear in the pattern and the text whatever the pattern: no regular expression is built from
    it (`a*a*a*...b` would backtrack for ever). The pattern's pieces between stars are found left
    to right, each at its earliest place after the previous one (the greedy two-pointer matcher,
    with `str.find` as the inner loop): the first piece must start the text, the last must end it.
    """
    if not isinstance(pattern, str) or not isinstance(text, str):
        return False
    pieces = pattern.casefold().split("*")
    folded: str = text.casefold()
    if len(pieces) == 1:
        return folded == pieces[0]
    first, *middle, last = pieces
    if len(first) + len(last) > len(folded) or not folded.startswith(first):
        return False
    position, end = len(first), len(folded) - len(last)
    if not folded.endswith(last):
        return False
    for piece in middle:
        found = folded.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


_MATCH_LIMIT = 1_000  # characters: a value longer than any version or identifier is no match


def match_groups(text: Any, pattern: Any) -> list[str]:
    """`[whole match, group 1, ...]` where `pattern` matches all of `text` ('' for a group that
    took no part), `[]` where it does not: how a table of accepted spellings is read in CEL,
    which has `matches` but no captures."""
    if not isinstance(text, str) or not isinstance(pattern, str) or len(text) > _MATCH_LIMIT:
        return []
    try:
        match = re.fullmatch(pattern, text)
    except re.error as err:
        raise ValueError(f"not a regular expression: {pattern!r}: {err}") from None
    if match is None:
        return []
    return [match.group(0), *(group or "" for group in match.groups())]


def equals_ignore_case(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return bool(left == right)


def in_ignore_case(needle: Any, haystack: Any) -> bool:
    return isinstance(haystack, list) and any(equals_ignore_case(needle, x) for x in haystack)


def matching_ignore_case(items: Any, keys: Any, values: Any) -> list[Any]:
    """The mappings of `items` whose value at any of `keys` equals any of `values`, ignoring case.

    One call instead of a comprehension over a table: `matchingIgnoreCase(data.skus,
    ['skuPartNumber', 'skuId'], ['spe_e3'])`. `values` may hold lists of values (one level deep).
    Only non-empty strings match, so a missing key or an empty value never pairs two rows that
    both lack it.
    """
    if not isinstance(items, list) or not isinstance(keys, list) or not isinstance(values, list):
        raise ValueError("matchingIgnoreCase takes three lists: items, keys, values")
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    wanted = {v.casefold() for v in flat if isinstance(v, str) and v}
    names = [key for key in keys if isinstance(key, str)]
    found = []
    for item in items if wanted else ():
        if isinstance(item, dict):
            for name in names:
                value = item.get(name)
                if isinstance(value, str) and value.casefold() in wanted:
                    found.append(item)
                    break
    return found


class _Lookup:
    """`lookupIgnoreCase(table, keys, values)`: `matchingIgnoreCase(data.<table>, keys, values)`
    (the same rows, in the table's order) from an index made on first use. The table is named by
    its path, not passed: a table passed to a Python function is converted to Python on every
    call (~200 us for a hundred rows), and rules look tables up once per resource and plan."""

    def __init__(self, data: Any) -> None:
        self._data = data
        self._indexes: dict[tuple[str, tuple[str, ...]], dict[str, list[int]]] = {}
        self._rows: dict[str, list[Any]] = {}

    def __call__(self, table: Any, keys: Any, values: Any) -> list[Any]:
        if not isinstance(table, str) or not isinstance(keys, list) or not isinstance(values, list):
            raise ValueError(
                "lookupIgnoreCase takes a table's path in data, a list of keys and a list of values"
            )
        names = tuple(key for key in keys if isinstance(key, str))
        rows = self._table(table)
        index = self._indexes.get((table, names))
        if index is None:
            index = {}
            for position, row in enumerate(rows):
                if isinstance(row, dict):
                    for name in names:
                        value = row.get(name)
                        if isinstance(value, str) and value:
                            index.setdefault(value.casefold(), []).append(position)
            self._indexes[(table, names)] = index
        flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
        found = {p for v in flat if isinstance(v, str) and v for p in index.get(v.casefold(), ())}
        return [rows[p] for p in sorted(found)]

    def _table(self, path: str) -> list[Any]:
        rows = self._rows.get(path)
        if rows is None:
            value = self._data
            for step in path.split("."):
                if not isinstance(value, dict) or step not in value:
                    raise ValueError(f"no table data.{path}")
                value = value[step]
            if not isinstance(value, list):
                raise ValueError(f"data.{path} is not a table (a list)")
            rows = self._rows[path] = value
        return rows


_LOOKUPS: dict[int, tuple[Any, _Lookup]] = {}


def _lookup_in(data: Any) -> _Lookup:
    """One lookup (and so one set of indexes) per set of tables, held with them so that their
    id cannot be reused by another."""
    known = _LOOKUPS.get(id(data))
    if known is None or known[0] is not data:
        _LOOKUPS.clear()
        known = _LOOKUPS[id(data)] = (data, _Lookup(data))
    return known[1]


def lower(value: Any) -> str:
    return str(value).lower()


def is_true(value: Any) -> bool:
    """True for `true` and for the strings Graph's app configuration uses ("true", "True", "1")."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in {"true", "1", "yes"}


def get(value: Any, path: str, default: Any) -> Any:
    """`spec.get("hybrid.enabled", false)`: a nested key, or `default` where any step is absent."""
    for step in str(path).split("."):
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return default
    return default if value is None else value


INDEXES = "faqlint_indexes"  # how the engine's own programs walk a list by index


def indexes(count: Any) -> list[int]:
    """`[0, 1, ..., count - 1]`: integers convert to CEL at almost no cost, where `indexed`
    converts every element both ways."""
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError(f"{INDEXES} takes a count, not {count!r}")
    return list(range(count))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "get": get,
    CALLED_GET: get,
    INDEXES: indexes,
    "isVersion": is_version,
    "versionCompare": version_compare,
    "isTimespan": is_timespan,
    "timespanSeconds": timespan_seconds,
    "timespanText": timespan_text,
    "timespanWords": timespan_words,
    "timespanReading": timespan_reading,
    "timespanProblem": timespan_problem,
    "isJson": is_json,
    "parseJson": parse_json,
    "jsonValue": json_value,
    "jsonWith": json_with,
    "indexed": indexed,
    "wildcardMatch": wildcard_match,
    "matchGroups": match_groups,
    "equalsIgnoreCase": equals_ignore_case,
    "inIgnoreCase": in_ignore_case,
    "matchingIgnoreCase": matching_ignore_case,
    "lower": lower,
    "isTrue": is_true,
}


def without_nulls(value: Any) -> Any:
    """Mappings without their null-valued keys, at every depth: null means "not configured"."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]  # keep items: list indexes appear in pointers
    return value
