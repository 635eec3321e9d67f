"""Edit a YAML or JSON file's text at one node, leaving every other character as it was.

A fix is a JSON Patch edit (`add`, `replace`, `remove`) at a pointer inside one document. It is
made on the text, not by dumping a parsed tree: the node's exact span is found from the parser's
marks (PyYAML's composer for YAML, a small scanner below for JSON), and only the characters of
that span change, or a new item is written in the style of its siblings. So comments, key order,
quoting, indentation, flow or block style, CRLF line endings, a byte order mark and the other
documents of the file stay as they are.

- `replace` writes the new scalar in the old one's quoting (plain, single or double quoted; a
  block scalar becomes double quoted).
- `add` at `/list/-` appends: in a flow list (`[a, b]`, JSON) after the last item with the
  separator the list already uses; in a block list as a new `- item` line at the items'
  indentation and in their quoting. `add` of a missing key writes `key: value` after the last
  member; `add` at `/list/-` where the list is missing creates `list: [value]`.
- `remove` deletes a flow item with its separator, or a block item's lines; the last item of a
  list leaves `[]` (never null).

What this module cannot do safely (an anchor or alias on the path, a tag, an insertion before an
index) raises EditError, and the fix is not applied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faqlint.yamlread import resolve_plain


class EditError(Exception):
    """An edit this module cannot make without touching more than the node."""


@dataclass
class Span:
    """One node of a document: its kind, where its text starts and ends, its children."""

    kind: str  # "map", "seq" or "scalar"
    start: int
    end: int
    flow: bool  # a flow collection (`[..]`, `{..}`, all of JSON); scalars: False
    style: str | None = None  # scalars: None (plain), "'", '"', "|", ">"; JSON strings '"'
    items: list[Span] = field(default_factory=list)  # seq items
    keys: list[tuple[str, Span]] = field(default_factory=list)  # map members: (key, key span)
    values: list[Span] = field(default_factory=list)  # map values, in member order
    shared: bool = False  # reached through a YAML alias: editing it would edit the anchor


@dataclass(frozen=True)
class Edit:
    op: str  # "add", "replace", "remove"
    pointer: str  # inside the document
    value: Any = None


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def tokens_of(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise EditError(f"{pointer!r} is not a JSON pointer")
    return [unescape(t) for t in pointer[1:].split("/")]


# --- reading spans ---------------------------------------------------------------------------


def yaml_documents(text: str) -> dict[int, Span | None]:
    """The documents of a YAML stream, numbered as `faqlint.load` numbers them."""
    loader = yaml.SafeLoader(text)
    documents: dict[int, Span | None] = {}
    try:
        index = 0
        while loader.check_node():
            index += 1
            node = loader.get_node()
            # Node identities are compared within one document, whose nodes its root keeps alive
            # (an identity of a freed node may be reused by the next document's).
            documents[index] = None if node is None else _yaml_span(node, set())
    except yaml.YAMLError as err:
        raise EditError(f"does not parse: {err}") from None
    finally:
        loader.dispose()
    return documents


def _yaml_span(node: Node, seen: set[int]) -> Span:
    shared = id(node) in seen
    seen.add(id(node))
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, ScalarNode):
        return Span("scalar", start, end, False, node.style, shared=shared)
    if isinstance(node, SequenceNode):
        items = [_yaml_span(item, seen) for item in node.value]
        return Span("seq", start, end, bool(node.flow_style), items=items, shared=shared)
    assert isinstance(node, MappingNode)
    span = Span("map", start, end, bool(node.flow_style), shared=shared)
    for key, value in node.value:
        key_span = _yaml_span(key, seen)
        span.keys.append((str(key.value), key_span))
        span.values.append(_yaml_span(value, seen))
    return span


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_ATOM = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null")


def json_document(text: str) -> Span:
    """The span tree of a JSON text (which `faqlint.load` already found valid)."""
    start = 1 if text.startswith("\ufeff") else 0
    try:
        span, _ = _json_value(text, _JSON_SPACE.match(text, start).end())  # type: ignore[union-attr]
    except (IndexError, ValueError) as err:
        raise EditError(f"does not parse: {err}") from None
    return span


def _skip(text: str, offset: int) -> int:
    return _JSON_SPACE.match(text, offset).end()  # type: ignore[union-attr]


def _json_value(text: str, offset: int) -> tuple[Span, int]:
    char = text[offset]
    if char == '"':
        _, end = json.decoder.scanstring(text, offset + 1)  # type: ignore[attr-defined]
        return Span("scalar", offset, end, False, '"'), end
    if char in "[{":
        closing = "]" if char == "[" else "}"
        span = Span("seq" if char == "[" else "map", offset, offset, True)
        position = _skip(text, offset + 1)
        while text[position] != closing:
            if span.kind == "map":
                key, after = json.decoder.scanstring(text, position + 1)  # type: ignore[attr-defined]
                key_span = Span("scalar", position, after, False, '"')
                position = _skip(text, after)
                if text[position] != ":":
                    raise ValueError(f"expected ':' at {position}")
                value, position = _json_value(text, _skip(text, position + 1))
                span.keys.append((key, key_span))
                span.values.append(value)
            else:
                value, position = _json_value(text, position)
                span.items.append(value)
            position = _skip(text, position)
            if text[position] == ",":
                position = _skip(text, position + 1)
        span.end = position + 1
        return span, span.end
    match = _JSON_ATOM.match(text, offset)
    if not match:
        raise ValueError(f"unexpected {char!r} at {offset}")
    return Span("scalar", offset, match.end(), False), match.end()


# --- rendering values ------------------------------------------------------------------------

_PLAIN_SAFE = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./*@+=-]*(?: [A-Za-z0-9_./*@+=-]+)*")
_YAML11_WORDS = frozenset(  # booleans and nulls to YAML 1.1 readers: always quoted
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
    | {"Y", "N", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}
)


def render(value: Any, is_json: bool, style: str | None = None) -> str:
    """`value` as YAML (in `style` where it is a string) or JSON, on one line."""
    if is_json or not isinstance(value, str):
        if isinstance(value, float) and value != value:  # nan: no JSON spelling
            raise EditError("cannot write NaN")
        return json.dumps(value, ensure_ascii=False)
    if any(c < " " or c == "\x7f" for c in value):
        return json.dumps(value, ensure_ascii=False)  # YAML double quotes escape like JSON
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style is None and _plain_ok(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain_ok(text: str) -> bool:
    return (
        bool(_PLAIN_SAFE.fullmatch(text))
        and resolve_plain(text) == text
        and text not in _YAML11_WORDS
    )


# --- applying edits --------------------------------------------------------------------------


def apply(text: str, document: int, edit: Edit, is_json: bool) -> str:
    """`text` with `edit` made in document `document` (1-based)."""
    root = json_document(text) if is_json else yaml_documents(text).get(document)
    if root is None or (is_json and document != 1):
        raise EditError(f"document {document} is not there")
    tokens = tokens_of(edit.pointer)
    if not tokens:
        raise EditError("cannot edit a whole document")
    parent = _resolve(root, tokens[:-1])
    last = tokens[-1]
    if edit.op == "remove":
        return _remove(text, root, tokens, parent, last)
    if edit.op == "replace":
        if parent is None or _child(parent, last) is None:
            raise EditError(f"{edit.pointer} is not there to replace")
        return _replace(text, _child(parent, last), edit.value, is_json)  # type: ignore[arg-type]
    if edit.op != "add":
        raise EditError(f"unknown op {edit.op!r}")
    if parent is None:
        if last == "-" and len(tokens) >= 2 and _resolve(root, tokens[:-2]) is not None:
            # the list is not there yet: create it with the one item
            return apply(text, document, Edit("add", _pointer(tokens[:-1]), [edit.value]), is_json)
        raise EditError(f"the parent of {edit.pointer} is not there")
    if parent.kind == "scalar" and last == "-" and _is_null(text, parent, is_json):
        return _replace(text, parent, [edit.value], is_json)  # `list:` or `list: ~` -> [item]
    if parent.kind == "seq":
        if last != "-":
            raise EditError("only appending (`/-`) to a list is supported")
        return _append(text, parent, edit.value, is_json)
    if parent.kind == "map":
        existing = _child(parent, last)
        if existing is not None:
            return _replace(text, existing, edit.value, is_json)
        return _add_member(text, parent, last, edit.value, is_json)
    raise EditError(f"{_pointer(tokens[:-1])} is not a list or mapping")


def _is_null(text: str, span: Span, is_json: bool) -> bool:
    written = text[span.start : span.end]
    return written == "null" if is_json else span.style is None and written in _NULLS


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def _pointer(tokens: list[str]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def _child(span: Span, token: str) -> Span | None:
    if span.kind == "map":
        index = _member(span, token)
        return None if index is None else span.values[index]
    if span.kind == "seq" and token.isdigit():
        index = int(token)
        return span.items[index] if index < len(span.items) else None
    return None


def _member(span: Span, token: str) -> int | None:
    """The index of member `token`: spelt exactly, else in another case when only one member
    matches so (Exchange reads parameter names in any case, and so does faqlint)."""
    keys = [key for key, _ in span.keys]
    if token in keys:
        return keys.index(token)
    folded = [i for i, key in enumerate(keys) if key.casefold() == token.casefold()]
    return folded[0] if len(folded) == 1 else None


def _resolve(root: Span, tokens: list[str]) -> Span | None:
    span: Span | None = root
    for token in tokens:
        if span is None:
            return None
        if span.shared:
            raise EditError("the path goes through a YAML alias")
        span = _child(span, token)
    if span is not None and span.shared:
        raise EditError("the path goes through a YAML alias")
    return span


def _guard(text: str, span: Span) -> None:
    if span.shared or text[span.start : span.start + 1] in ("&", "!", "*"):
        raise EditError("the node has an anchor, an alias or a tag")


def _replace(text: str, span: Span, value: Any, is_json: bool) -> str:
    _guard(text, span)
    old = text[span.start : span.end]
    if span.kind == "scalar":
        style = span.style if span.style in ("'", '"') else None
        if span.style in ("|", ">"):
            style = '"'
        new = render(value, is_json, style)
        if not old:  # an empty null (`key:`) ends right after the colon
            new = " " + new
        if span.style in ("|", ">"):
            new += old[len(old.rstrip()) :]  # the block scalar's line breaks
    else:
        if not span.flow:
            raise EditError("replacing a block collection is not supported")
        new = render(value, True)
    return text[: span.start] + new + text[span.end :]


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    """The offset just after the line break of the line holding `offset - 1` (a node's end)."""
    if offset > 0 and text[offset - 1] == "\n":
        return offset
    found = text.find("\n", offset)
    return len(text) if found < 0 else found + 1


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _sibling_style(spans: list[Span]) -> str | None:
    styles = [s.style for s in spans if s.kind == "scalar"]
    return styles[-1] if styles and styles[-1] in ("'", '"') else None


def _append(text: str, seq: Span, value: Any, is_json: bool) -> str:
    _guard(text, seq)
    rendered = render(value, is_json, _sibling_style(seq.items))
    if seq.flow:
        return _flow_insert(text, seq, seq.items, rendered)
    first, last = seq.items[0], seq.items[-1]
    dash = text.rfind("-", 0, first.start)
    gap = text[dash + 1 : first.start]
    column = dash - _line_start(text, dash)
    at = _line_end(text, last.end)
    newline = _newline(text)
    prefix = "" if at == 0 or text[at - 1] == "\n" else newline
    line = f"{prefix}{' ' * column}-{gap}{rendered}{newline}"
    return text[:at] + line + text[at:]


def _flow_insert(text: str, collection: Span, children: list[Span], rendered: str) -> str:
    """Insert `rendered` (an item, or `key: value`) after the last child of a flow collection."""
    if not children:
        opening = collection.start
        if text[opening] not in "[{":
            raise EditError("cannot find the collection's bracket")
        return text[: opening + 1] + rendered + text[opening + 1 :]
    last = children[-1]
    if len(children) >= 2:
        separator = text[children[-2].end : _member_start(collection, len(children) - 1)]
    else:
        leading = text[collection.start + 1 : _member_start(collection, 0)]
        separator = "," + leading if "\n" in leading else ", "
    if "#" in separator or separator.strip() != ",":
        indent = text[_line_start(text, last.start) : last.start]
        separator = "," + _newline(text) + indent if "\n" in separator else ", "
    return text[: last.end] + separator + rendered + text[last.end :]


def _member_start(collection: Span, index: int) -> int:
    return (
        collection.keys[index][1].start
        if collection.kind == "map"
        else collection.items[index].start
    )


def _add_member(text: str, mapping: Span, key: str, value: Any, is_json: bool) -> str:
    _guard(text, mapping)
    key_text = render(key, is_json, _sibling_style([k for _, k in mapping.keys]))
    rendered = f"{key_text}: {render(value, is_json)}"
    if mapping.flow:
        children = [
            Span("map", k.start, v.end, True)
            for (_, k), v in zip(mapping.keys, mapping.values, strict=True)
        ]
        return _flow_insert(text, mapping, children, rendered)
    first_key = mapping.keys[0][1]
    column = first_key.start - _line_start(text, first_key.start)  # on a `- ` line too
    at = _line_end(text, mapping.values[-1].end)
    newline = _newline(text)
    prefix = "" if at == 0 or text[at - 1] == "\n" else newline
    return text[:at] + f"{prefix}{' ' * column}{rendered}{newline}" + text[at:]


def _remove(text: str, root: Span, tokens: list[str], parent: Span | None, last: str) -> str:
    if parent is None or _child(parent, last) is None:
        raise EditError(f"{_pointer(tokens)} is not there to remove")
    _guard(text, parent)
    if parent.kind == "seq":
        children = parent.items
        index = int(last)
        starts = [c.start for c in children]
    else:
        found = _member(parent, last)
        assert found is not None  # _child found it above
        index, children = found, parent.values
        starts = [k.start for _, k in parent.keys]
    target = children[index]
    if parent.flow:
        if len(children) == 1:
            return text[: parent.start + 1] + text[parent.end - 1 :]
        if index > 0:
            return text[: children[index - 1].end] + text[target.end :]
        return text[: starts[0]] + text[starts[1] :]
    begin = starts[index]
    if parent.kind == "seq":
        begin = text.rfind("-", 0, begin)
    line = _line_start(text, begin)
    if text[line:begin].strip():
        raise EditError("the item shares its line with other content")
    if len(children) == 1:
        grand = _resolve(root, tokens[:-2])
        if grand is None or grand.kind != "map" or grand.flow:
            raise EditError("cannot empty this block collection")
        member = _member(grand, tokens[-2])
        if member is None:
            raise EditError("cannot find the collection's key")
        key_span = grand.keys[member][1]
        colon = text.find(":", key_span.end)
        empty = " []" if parent.kind == "seq" else " {}"
        end = _line_end(text, target.end)
        return text[: colon + 1] + empty + _line_break(text, end) + text[end:]
    return text[:line] + text[_line_end(text, target.end) :]


def _line_break(text: str, end: int) -> str:
    if text[:end].endswith("\r\n"):
        return "\r\n"
    return "\n" if text[:end].endswith("\n") else ""
