"""Give every finding its line and column, reading positions only for files that have findings."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from faqlint.findings import Finding, Position
from faqlint.load import JSON_SUFFIXES, decode
from faqlint.positions import PositionIndex, index_json, index_yaml


def _index(path: Path, pointers: set[str]) -> dict[int, PositionIndex]:
    try:
        text, _ = decode(path.read_bytes(), str(path))
    except OSError:
        return {}
    if text is None:
        return {}
    # Both index what parses and stop quietly where the file no longer does (FL001 says where).
    # JSON (one document) is walked only along the findings' pointers: exports can be large.
    if path.suffix.lower() in JSON_SUFFIXES:
        return index_json(text, pointers)
    return index_yaml(text)


def locate(findings: Iterable[Finding], paths: dict[str, Path]) -> list[Finding]:
    findings = list(findings)
    pointers: dict[str, set[str]] = {}
    for finding in findings:
        if finding.position is None:
            pointers.setdefault(finding.file, set()).add(finding.pointer)
    indexes: dict[str, dict[int, PositionIndex]] = {}
    out: list[Finding] = []
    for finding in findings:
        if finding.position is not None:
            out.append(finding)
            continue
        if finding.file not in indexes:
            path = paths.get(finding.file)
            indexes[finding.file] = _index(path, pointers[finding.file]) if path is not None else {}
        index = indexes[finding.file].get(finding.document)
        position = index.find(finding.pointer, finding.at_value) if index else Position(1, 1)
        out.append(finding.located(position))
    return out
