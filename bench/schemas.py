"""Kind schemas for the floor and for check-jsonschema: one folder, read once, bundled.

`schemas/<Kind>.schema.json` may refer to each other (a shared metadata definition, say) by
relative `$ref`. Both consumers get the same self-contained documents: every `*.json` of the
folder is embedded under `$defs`, keyed by file name, with its `$id` kept (or set to the file's
URI when it has none, so its own `#/...` and relative refs resolve where the file lived).

- `kind_schema(folder, kind)`: `$ref` to that kind's schema, everything embedded (the floor
  compiles one per kind).
- `combined_schema(folder)`: `allOf` of `if kind == K then $ref K`, for check-jsonschema's single
  `--schemafile`. An unknown kind matches no branch and passes; the floor counts it apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SUFFIX = ".schema.json"


def load(folder: Path) -> dict[str, dict[str, Any]]:
    """File name -> schema, with `$id` set."""
    out = {}
    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(schema, dict):
            schema.setdefault("$id", path.resolve().as_uri())
            out[path.name] = schema
    return out


def kind_of(file_name: str, schema: dict[str, Any]) -> str | None:
    """The kind a schema validates: `properties.kind.const` (or a one-item enum), else the stem
    of `<Kind>.schema.json` when it starts with a capital letter."""
    kind = schema.get("properties", {}).get("kind", {})
    if isinstance(kind, dict):
        if isinstance(kind.get("const"), str):
            return str(kind["const"])
        if isinstance(kind.get("enum"), list) and len(kind["enum"]) == 1:
            return str(kind["enum"][0])
    stem = file_name.removesuffix(SUFFIX)
    if file_name.endswith(SUFFIX) and stem[:1].isupper():
        return stem
    return None


def kinds(folder: Path) -> dict[str, str]:
    """Kind -> the `$id` of its schema."""
    out = {}
    for name, schema in load(folder).items():
        kind = kind_of(name, schema)
        if kind:
            out[kind] = str(schema["$id"])
    return out


def _defs(folder: Path) -> dict[str, Any]:
    return {name: schema for name, schema in load(folder).items()}


def kind_schema(folder: Path, kind: str) -> dict[str, Any]:
    return {"$schema": DRAFT, "$defs": _defs(folder), "$ref": kinds(folder)[kind]}


def combined_schema(folder: Path) -> dict[str, Any]:
    branches = [
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"$ref": ref},
        }
        for kind, ref in sorted(kinds(folder).items())
    ]
    return {"$schema": DRAFT, "$defs": _defs(folder), "allOf": branches}
