"""A small block-style YAML writer that can place comments, for the benchmark generator.

PyYAML's dumper cannot write comments, and a config repo without comments is not realistic. This
writer covers exactly what the generator builds: mappings with string keys, lists, scalars,
comment lines (`Note` keys) and end-of-line comments (`Trail` values), and short lists written in
flow style (`Flow`).

Strings are written plain only when every YAML 1.1 and 1.2 reader reads them back as the same
string; anything else (leading digit, `yes`/`on`/`null`, `: `, ` #`, ...) is double-quoted in
JSON syntax, which is valid YAML. So PyYAML's YAML 1.1 resolver (the floor) and a YAML 1.2 core
reader (faqlint) load the same data from every generated file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./@()+*'-]*")
_RESERVED = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "~"}
)


@dataclass(frozen=True, eq=False)
class Note:
    """A mapping key that stands for a comment line at its position (its value is ignored)."""

    text: str


@dataclass(frozen=True)
class Trail:
    """A scalar value followed by an end-of-line comment."""

    value: Any
    comment: str


class Flow(list):  # type: ignore[type-arg]
    """A list of scalars written in flow style: `[a, b]`."""


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if (
        _PLAIN.fullmatch(text)
        and text.lower() not in _RESERVED
        and not text.endswith(" ")
        and " #" not in text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(items: list[Any]) -> str:
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def _mapping(data: dict[Any, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if isinstance(key, Note):
            out.append(f"{pad}# {key.text}")
            continue
        tail = ""
        if isinstance(value, Trail):
            value, tail = value.value, f"  # {value.comment}"
        name = scalar(key)
        if isinstance(value, dict) and value:
            out.append(f"{pad}{name}:{tail}")
            _mapping(value, indent + 2, out)
        elif isinstance(value, Flow):
            out.append(f"{pad}{name}: {_flow(value)}{tail}")
        elif isinstance(value, list) and value:
            out.append(f"{pad}{name}:{tail}")
            _sequence(value, indent + 2, out)
        elif isinstance(value, dict):
            out.append(f"{pad}{name}: {{}}{tail}")
        elif isinstance(value, list):
            out.append(f"{pad}{name}: []{tail}")
        else:
            out.append(f"{pad}{name}: {scalar(value)}{tail}")


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            inner: list[str] = []
            _mapping(item, indent + 2, inner)
            first = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
            inner[first] = pad + "- " + inner[first][indent + 2 :]
            out.extend(inner)
        elif isinstance(item, list):
            out.append(f"{pad}- {_flow(item)}")
        elif isinstance(item, Trail):
            out.append(f"{pad}- {scalar(item.value)}  # {item.comment}")
        else:
            out.append(f"{pad}- {scalar(item)}")


def document(data: dict[Any, Any]) -> list[str]:
    """The lines of one YAML document (no `---`, no trailing newline)."""
    out: list[str] = []
    _mapping(data, 0, out)
    return out


def plain(data: Any) -> Any:
    """The data a YAML reader gets back: notes dropped, trails unwrapped."""
    if isinstance(data, Trail):
        return plain(data.value)
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items() if not isinstance(k, Note)}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data
