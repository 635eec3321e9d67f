"""The enum table, `schemas/enums.json`: every enum of the kind schemas, with the page that
documents its values, and how the service behind each kind reads values.

The kind schemas hold the enums that validation uses; the table is where they come from. A test
holds the two to each other (`tests/test_enums.py`): an enum changed in one place only fails it.

Locations are paths inside a kind's spec, one segment a property and `*` the items of a list:
`/conditions/platforms/includePlatforms/*`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from faqlint.resources import builtin_schemas

TABLE = "enums.json"
ITEMS = "*"

Schema = dict[str, Any]


@dataclass(frozen=True)
class KindValues:
    """What the table says of one kind."""

    case_insensitive: bool  # the service reads enum values and key names in any case
    enums: dict[str, tuple[Any, ...]]  # location -> values, with None last when nullable
    reader: str = ""  # who reads them so, for messages ("Exchange")


@functools.cache
def enum_table() -> dict[str, KindValues]:
    """The table, read once a process. A missing or broken table reads as empty: validation
    still has the schemas' enums, only the case rule of Exchange's kinds is then off."""
    try:
        raw = json.loads((builtin_schemas() / TABLE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    kinds: dict[str, KindValues] = {}
    for kind, entry in (raw.get("kinds") or {}).items():
        enums = {
            e["at"]: (*e["values"], *((None,) if e.get("nullable") else ()))
            for e in entry.get("enums", ())
        }
        kinds[kind] = KindValues(
            bool(entry.get("caseInsensitive")), enums, str(entry.get("reader") or "")
        )
    return kinds


def resolve(node: Any, root: Schema) -> Schema:
    """Follow local `$ref`s (`#/$defs/...`); anything else is an open schema."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        node = target
        seen += 1
    return node if isinstance(node, dict) else {}


def branches(node: Schema, root: Schema) -> Iterator[Schema]:
    """`node` and the schemas of its anyOf/oneOf/allOf branches, resolved."""
    yield node
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(keyword) or ():
            yield from branches(resolve(branch, root), root)


def properties(node: Schema, root: Schema) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for branch in branches(node, root):
        if isinstance(branch.get("properties"), dict):
            found.update(branch["properties"])
    return found


def items(node: Schema, root: Schema) -> Schema | None:
    for branch in branches(node, root):
        if isinstance(branch.get("items"), dict):
            return resolve(branch["items"], root)
    return None


def spec_schema(schema: Schema) -> Schema:
    return resolve(schema.get("$defs", {}).get("spec", {}), schema)


def schema_at(schema: Schema, path: tuple[str, ...]) -> Schema | None:
    """The schema of the value at `path` inside the spec (list indices or `*` for items), or
    None where the schema does not model it."""
    node: Schema | None = spec_schema(schema)
    for part in path:
        if node is None:
            return None
        if part == ITEMS or part.isdigit():
            found = items(node, schema)
            if found is not None:
                node = found
                continue
        child = properties(node, schema).get(part)
        node = resolve(child, schema) if child is not None else None
    return node


def enum_of(node: Schema, root: Schema) -> list[Any] | None:
    for branch in branches(node, root):
        if isinstance(branch.get("enum"), list):
            return list(branch["enum"])
    return None


def schema_enums(schema: Schema) -> dict[str, list[Any]]:
    """Every enum of a kind's spec schema, by location."""
    found: dict[str, list[Any]] = {}

    def walk(node: Schema, at: str, depth: int) -> None:
        if depth > 16:
            return
        values = enum_of(node, schema)
        if values is not None:
            found[at or "/"] = values
        for name, child in properties(node, schema).items():
            walk(resolve(child, schema), f"{at}/{name}", depth + 1)
        element = items(node, schema)
        if element is not None:
            walk(element, f"{at}/{ITEMS}", depth + 1)

    walk(spec_schema(schema), "", 0)
    return found
