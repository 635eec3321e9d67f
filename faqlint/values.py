"""Values as the service behind a kind reads them, before validation and rules see them.

Exchange Online PowerShell reads enum values and parameter names case-insensitively:
`Set-OrganizationConfig -EwsApplicationAccessPolicy enforceAllowList` enforces the allow list.
A file that says so means what Exchange does with it, so for the kinds the enum table marks
`caseInsensitive` (`schemas/enums.json`) a value is given its documented spelling first:

- a string that differs only in case from exactly one value of its schema enum takes that value;
- a key that differs only in case from exactly one property the schema models takes its name
  (unless the file also has the exact key: then the variant stays and validation reports it);
- the string "True" or "False" (in any case) where the schema wants a boolean becomes that
  boolean: PowerShell prints booleans so, and no reader takes "False" for anything but false.

Each change is an FL013 finding (a warning: the value works) that says how the reader takes it,
so the file can be brought to the documented spelling. Everything else is left as written and
validated as written. Graph kinds are not touched: Graph names each enum member in one case
(OData member names are case-sensitive), so a Graph value in another case stays an FL002.

Nothing here knows a kind or a value: the table and the schemas say it all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from faqlint.codes import engine_finding
from faqlint.enums import (
    Schema,
    branches,
    enum_of,
    enum_table,
    items,
    properties,
    resolve,
    spec_schema,
)
from faqlint.findings import Finding
from faqlint.identify import Resource
from faqlint.loaded import escape
from faqlint.schema import KindSchema

CODE = "FL013"
_BOOLEANS = {"true": True, "false": False}


@dataclass
class _Reading:
    """One resource's walk: the schema it is read against and what was changed."""

    root: Schema
    reader: str
    notes: list[tuple[str, str, bool]] = field(default_factory=list)  # pointer, message, at value

    def value(self, value: Any, node: Schema | None, at: tuple[str, ...], names: str) -> Any:
        if node is None:
            return value
        if isinstance(value, dict):
            return self._mapping(value, node, at, names)
        if isinstance(value, list):
            element = items(node, self.root)
            if element is None:
                return value
            return [
                self.value(v, element, (*at, str(i)), f"{names}.{i}") for i, v in enumerate(value)
            ]
        if isinstance(value, str):
            return self._text(value, node, at, names)
        return value

    def _mapping(
        self, value: dict[str, Any], node: Schema, at: tuple[str, ...], names: str
    ) -> dict[str, Any]:
        modelled = properties(node, self.root)
        if not modelled:
            return value
        folded = _unique_folds(modelled)
        read: dict[str, Any] = {}
        for key, child in value.items():
            name = key
            if key not in modelled:
                canonical = folded.get(key.casefold())
                if canonical is not None and canonical not in value:
                    name = canonical
                    self.notes.append(
                        (
                            _pointer((*at, key)),
                            f"{self.reader} reads the key {key!r} in {names} as {canonical!r}; "
                            f"write {canonical!r}",
                            False,
                        )
                    )
            schema = modelled.get(name)
            child_node = resolve(schema, self.root) if schema is not None else None
            read[name] = self.value(child, child_node, (*at, key), f"{names}.{name}")
        return read

    def _text(self, value: str, node: Schema, at: tuple[str, ...], names: str) -> Any:
        allowed = enum_of(node, self.root)
        if allowed is not None and value not in allowed:
            same = [v for v in allowed if isinstance(v, str) and v.casefold() == value.casefold()]
            if len(same) == 1:
                self.notes.append(
                    (
                        _pointer(at),
                        f"{names}: {self.reader} reads {value!r} as {same[0]!r}; write {same[0]!r}",
                        True,
                    )
                )
                return same[0]
        types = _types(node, self.root)
        meant = _BOOLEANS.get(value.strip().casefold())
        if meant is not None and "boolean" in types and "string" not in types:
            word = "true" if meant else "false"
            self.notes.append(
                (
                    _pointer(at),
                    f"{names} is the string {value!r}, the way {self.reader} PowerShell prints "
                    f"the boolean {word}; faqlint reads it as {word}; write {word} without quotes",
                    True,
                )
            )
            return meant
        return value


def _unique_folds(names: dict[str, Any]) -> dict[str, str]:
    """Case-folded name -> name, for the names no other name folds to."""
    folds: dict[str, list[str]] = {}
    for name in names:
        folds.setdefault(name.casefold(), []).append(name)
    return {fold: found[0] for fold, found in folds.items() if len(found) == 1}


def _types(node: Schema, root: Schema) -> set[str]:
    found: set[str] = set()
    for branch in branches(node, root):
        declared = branch.get("type")
        if isinstance(declared, str):
            found.add(declared)
        elif isinstance(declared, list):
            found.update(str(t) for t in declared)
    return found


def _pointer(parts: tuple[str, ...]) -> str:
    return "".join(f"/{escape(p)}" for p in parts)


def read_as_service(
    resource: Resource, schemas: Mapping[str, KindSchema]
) -> tuple[Resource, list[Finding]]:
    """`resource` with its values spelt as its kind's service reads them, and an FL013 finding
    for each value that changed. Kinds the enum table does not mark are returned as they are."""
    kind = enum_table().get(resource.kind)
    if kind is None or not kind.case_insensitive or resource.kind not in schemas:
        return resource, []
    schema = schemas[resource.kind].schema
    if not isinstance(resource.spec, dict):
        return resource, []
    reading = _Reading(schema, kind.reader or "the service")
    spec = reading.value(resource.spec, spec_schema(schema), (), "spec")
    if not reading.notes:
        return resource, []
    findings = [
        engine_finding(
            CODE,
            message,
            file=resource.file,
            document=resource.document,
            pointer=resource.spec_pointer + pointer,
            at_value=at_value,
            kind=resource.kind,
            resource=resource.name,
        )
        for pointer, message, at_value in reading.notes
    ]
    return replace(resource, spec=spec), findings
