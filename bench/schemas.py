"""Kind schemas for the floor and for check-jsonschema: one folder, read once, bundled.

`schemas/<Kind>.schema.json` may refer to each other (a shared metadata definition, say) by
relative `$ref`, and to their own `$defs`. Both consumers get the same self-contained document:
every `*.json` of the folder is placed under the root's `$defs`, keyed by file name, without its
`$id`/`$schema`, and every `$ref` is rewritten to a plain pointer into the root: `#/$defs/x` in
`A.schema.json` becomes `#/$defs/A.schema.json/$defs/x`; `B.schema.json#/...` (relative) or B's
`$id` (absolute) becomes `#/$defs/B.schema.json/...`. Why not keep each file as an embedded
resource with its `$id`: Python `jsonschema` (inside check-jsonschema) then resolves every such
`$ref` through its registry, which made check-jsonschema about 3x slower per file than with the
kind's own schema file; plain pointers cost it nothing extra, so the comparison stays fair.
(`$anchor` and `$dynamicRef` are not rewritten: the kind schemas do not use them.)

- `kind_schema(folder, kind)`: the bundle with `$ref` to that kind (the floor compiles one per
  kind).
- `combined_schema(folder)`: the bundle with `allOf` of `if kind == K then $ref K`, for
  check-jsonschema's single `--schemafile`. An unknown kind matches no branch and passes; the
  floor counts it apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

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


def _pointer(name: str) -> str:
    return "#/$defs/" + name.replace("~", "~0").replace("/", "~1")


def _rebase(node: Any, base: str, ids: dict[str, str]) -> Any:
    """`node` with every `$ref` made a pointer into the bundle (see the module docs)."""
    if isinstance(node, list):
        return [_rebase(item, base, ids) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            target, _, fragment = urljoin(base, value).partition("#")
            name = ids.get(target)
            out[key] = _pointer(name) + fragment if name else value
        elif key not in ("$id", "$schema"):
            out[key] = _rebase(value, base, ids)
    return out


def _defs(folder: Path) -> dict[str, Any]:
    loaded = load(folder)
    ids = {str(schema["$id"]).partition("#")[0]: name for name, schema in loaded.items()}
    ids.update({(folder.resolve() / name).as_uri(): name for name in loaded})
    return {name: _rebase(schema, str(schema["$id"]), ids) for name, schema in loaded.items()}


def kind_schema(folder: Path, kind: str) -> dict[str, Any]:
    return kind_schemas(folder)[kind]


def kind_schemas(folder: Path) -> dict[str, dict[str, Any]]:
    """Kind -> its bundled schema; the folder is read once."""
    defs = _defs(folder)
    return {
        kind: {"$schema": DRAFT, "$defs": defs, "$ref": _pointer(name)}
        for kind, name in kinds(folder).items()
    }


def kinds(folder: Path) -> dict[str, str]:
    """Kind -> the file name of its schema."""
    out = {}
    for name, schema in load(folder).items():
        kind = kind_of(name, schema)
        if kind:
            out[kind] = name
    return out


def combined_schema(folder: Path) -> dict[str, Any]:
    branches = [
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"$ref": _pointer(name)},
        }
        for kind, name in sorted(kinds(folder).items())
    ]
    return {"$schema": DRAFT, "$defs": _defs(folder), "allOf": branches}
