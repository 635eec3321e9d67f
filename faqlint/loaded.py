"""What reading a file yields: its documents as plain data, its findings, its waiver lines.

Shared by the JSON reader (`faqlint.load`) and the YAML reader (`faqlint.yamlread`), which is
imported only when a YAML file is read: a run that reuses every cached result needs no YAML.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, NamedTuple

from faqlint.findings import Finding

MAX_DEPTH = 100  # nesting levels of a document; Microsoft's configuration uses under 20
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep, which no configuration needs"


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


class WaiverLine(NamedTuple):
    """A line that may hold a `# faqlint: ignore[...]` waiver, and the document it is in."""

    line: int
    text: str
    document: int = 1


def escape(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def too_many_digits(text: str) -> str:
    digits = sum(c.isdigit() for c in text)
    return (
        f"a number of {digits} digits: faqlint reads integers of up to {_INT_DIGITS} digits; "
        "quote it if it is text"
    )


_INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
