"""Give every finding its line and column, reading positions only for files that have findings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from faqlint.filetext import read_text
from faqlint.findings import Finding, Position
from faqlint.load import JSON_SUFFIXES

if TYPE_CHECKING:  # positions are read (and YAML loaded) only where a finding has none cached
    from faqlint.positions import PositionIndex


def _index(path: Path, pointers: set[str]) -> dict[int, PositionIndex]:
    from faqlint.positions import index_json, index_yaml

    text = read_text(path)  # decoded as it was read: UTF-16 positions are in characters
    if text is None:
        return {}
    # Both index what parses and stop quietly where the file no longer does (FL001 says where).
    # JSON (one document) is walked only along the findings' pointers: exports can be large.
    if path.suffix.lower() in JSON_SUFFIXES:
        return index_json(text, pointers)
    return index_yaml(text)


# A member of an embedded policy document (Graph's tokenLifetimePolicy `definition` entries, a JSON
# string or the same content as a mapping) is located at its value: the text the admin edits,
# which inside a JSON string is the only place that says which member it is. faqlint's own
# findings (FL...) keep their choice: an unknown key is shown at the key.
_EMBEDDED_MEMBER = re.compile(r"/definition/\d+/.")


def _at_value(finding: Finding) -> bool:
    if finding.at_value:
        return True
    own = finding.code.startswith("FL")
    return not own and _EMBEDDED_MEMBER.search(finding.pointer) is not None


def position_key(finding: Finding) -> tuple[int, str, bool]:
    """What a finding's position depends on, besides its file's bytes."""
    return (finding.document, finding.pointer, _at_value(finding))


def locate(findings: Iterable[Finding], paths: Mapping[str, Path]) -> list[Finding]:
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
        position = index.find(finding.pointer, _at_value(finding)) if index else Position(1, 1)
        out.append(finding.located(position))
    return out
