"""Helpers for the export readers' tests."""

from __future__ import annotations

from pathlib import Path

from faqlint.findings import Finding

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line of `path` that contains `needle`."""
    seen = 0
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def only(findings: tuple[Finding, ...], code: str, resource: str) -> Finding:
    """The one finding with this code on this resource."""
    matching = [f for f in findings if f.code == code and f.resource == resource]
    assert len(matching) == 1, f"{code} on {resource!r}: {matching}"
    return matching[0]
