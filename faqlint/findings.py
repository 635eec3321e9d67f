"""The value every stage of the pipeline produces and every reporter consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that `severity >= fail_level` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column, as an editor shows them."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation at one place.

    `pointer` is the JSON pointer of the offending node inside its document; `position` is filled
    in by the locate stage (or directly by the loader, which knows positions first-hand).
    `document` is the 1-based index of the document inside a multi-document YAML file.
    """

    code: str
    name: str
    severity: Severity
    message: str
    file: str
    document: int = 1
    pointer: str = ""
    position: Position | None = None
    at_value: bool = False  # locate at the value (a wrong type) rather than at its key
    tenant: str | None = None
    kind: str | None = None
    resource: str | None = None
    fix: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def line(self) -> int:
        return self.position.line if self.position else 1

    @property
    def column(self) -> int:
        return self.position.column if self.position else 1

    def located(self, position: Position) -> Finding:
        return replace(self, position=position)

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        return (self.file, self.document, self.line, self.column, self.code, self.message)
