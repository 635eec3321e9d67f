"""What every export reader shares: the kinds' schemas as plain data, fitting an exported object to
the spec a kind models, and naming the resources that have no `metadata.name`.

An export carries hundreds of properties faqlint does not model, in the casing of the tool that
wrote it. `fit()` walks the object beside the kind's spec schema: a key the schema models is kept
and given the schema's spelling (matched case-insensitively), a key it does not model is dropped
where the schema is closed (`additionalProperties: false`). What is left is exactly what a native
file may hold, so the same rules judge an export and the file `faqlint convert` writes from it.
Keys are renamed only in case, so a rule's pointer still finds the exported key (positions fall
back to case-insensitive matching).

Windows PowerShell 5.1 writes an array it serialises as `{"value": [...], "Count": n}`, at the top
of a file or deeper inside an object; `unwrapped()` reads every such wrapper as its list, for
every reader alike, and keeps where each list lies in the file.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from faqlint.enums import Schema, branches, items, resolve
from faqlint.identify import Resource
from faqlint.loaded import escape
from faqlint.schema import load_schemas


def kind_schema(kind: str) -> Schema | None:
    """The kind's schema document, as the catalogue read it."""
    found = load_schemas().get(kind)
    return found.schema if found is not None else None


def schema_id(kind: str) -> str | None:
    schema = kind_schema(kind)
    identifier = schema.get("$id") if schema else None
    return identifier if isinstance(identifier, str) else None


def _object_shape(schema: Schema, root: Schema) -> tuple[dict[str, Any], bool] | None:
    """The properties an object may have under `schema` (its own and its anyOf/oneOf/allOf
    branches'), and whether that list is closed. None: the schema says nothing about keys."""
    properties: dict[str, Any] = {}
    closed: list[bool] = []
    for branch in branches(schema, root):
        if "properties" in branch and isinstance(branch["properties"], dict):
            properties.update(branch["properties"])
            closed.append(branch.get("additionalProperties") is False)
    if not closed:
        return None
    return properties, all(closed)


def fit(value: Any, schema: Any, root: Schema) -> Any:
    """`value` reduced to what `schema` models, keys spelt as the schema spells them."""
    schema = resolve(schema, root)
    if isinstance(value, list):
        item_schema = items(schema, root)
        return [fit(v, item_schema, root) if item_schema is not None else v for v in value]
    if not isinstance(value, dict):
        return value
    shape = _object_shape(schema, root)
    if shape is None:
        return value
    properties, closed = shape
    by_fold = {name.casefold(): name for name in properties}
    fitted: dict[str, Any] = {}
    for key, child in value.items():
        name = key if key in properties else by_fold.get(key.casefold())
        if name is None:
            if not closed:
                fitted.setdefault(key, child)
            continue
        if name in fitted and name != key:
            continue  # the exact spelling wins over a case-variant of the same key
        fitted[name] = fit(child, properties[name], root)
    return fitted


def fit_spec(value: dict[str, Any], kind: str) -> dict[str, Any]:
    """An exported object reduced to the kind's spec (unchanged if the kind has no schema)."""
    schema = kind_schema(kind)
    if schema is None:
        return value
    spec = schema.get("$defs", {}).get("spec", {})
    fitted = fit(value, spec, schema)
    return fitted if isinstance(fitted, dict) else value


def modelled(kind: str) -> tuple[str, ...]:
    """The spec keys a kind models, in the order its schema lists them."""
    schema = kind_schema(kind) or {}
    properties = schema.get("$defs", {}).get("spec", {}).get("properties", {})
    return tuple(properties) if isinstance(properties, dict) else ()


_UPPER_RUN = re.compile(r"^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]")


def camel(key: str) -> str:
    """A PascalCase key as Graph spells it: `DisplayName` -> `displayName`, `SkuId` -> `skuId`."""
    return _UPPER_RUN.sub(lambda m: m.group(0).lower(), key, count=1)


def camel_keys(value: Any) -> Any:
    """Every key, at every depth, in camelCase (Graph PowerShell writes PascalCase)."""
    if isinstance(value, dict):
        return {camel(k) if not k.startswith("@") else k: camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def unwrap(data: Any) -> tuple[Any, str]:
    """Windows PowerShell 5.1's `{"value": [...], "Count": n}` is the list inside it: (the list,
    the pointer of the list). Anything else is itself."""
    if (
        isinstance(data, dict)
        and set(data) == {"value", "Count"}
        and isinstance(data["value"], list)
    ):
        return data["value"], "/value"
    return data, ""


def unwrapped(value: Any, at: str = "", place: str = "") -> tuple[Any, list[tuple[str, str]]]:
    """`value` with the 5.1 wrapper replaced by its list at every depth (Exchange's multi-valued
    properties are arrays too), and where each replaced list lies in the file: (pointer in the
    value returned, pointer in the file), for findings to land on the file's own lines."""
    inner, base = unwrap(value)
    aliases = [(at, place + base)] if base else []
    place += base
    if isinstance(inner, dict):
        out: dict[str, Any] = {}
        for key, child in inner.items():
            step = item_pointer(key)
            out[key], more = unwrapped(child, at + step, place + step)
            aliases += more
        return out, aliases
    if isinstance(inner, list):
        items = []
        for index, child in enumerate(inner):
            step = item_pointer(index)
            item, more = unwrapped(child, at + step, place + step)
            items.append(item)
            aliases += more
        return items, aliases
    return inner, aliases


def unwrapped_object(item: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """An object with the 5.1 wrapper read as its list inside it, at every depth below it (the
    object itself stays an object, even one that happens to have only `value` and `Count`)."""
    out: dict[str, Any] = {}
    aliases: list[tuple[str, str]] = []
    for key, child in item.items():
        step = item_pointer(key)
        out[key], more = unwrapped(child, step, step)
        aliases += more
    return out, aliases


def first_text(value: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first of `keys` (matched case-insensitively) whose value is a non-empty string."""
    folded = {k.casefold(): v for k, v in reversed(list(value.items()))}
    for key in keys:
        found = folded.get(key.casefold())
        if isinstance(found, str) and found.strip():
            return found.strip()
    return None


def fallback_name(path: str, pointer: str) -> str:
    """A name for an object without one: the file's stem, and its place inside the file."""
    stem = PurePosixPath(path).stem
    return f"{stem}{pointer.replace('/', '#', 1)}" if pointer else stem


def item_pointer(*parts: str | int) -> str:
    return "".join(f"/{escape(str(p))}" for p in parts)


def export_resource(
    kind: str, name: str, path: str, document: int, spec: Any, pointer: str, source: str
) -> Resource:
    return Resource(
        kind=kind,
        name=name,
        file=path,
        document=document,
        spec=spec,
        root=pointer,
        spec_pointer=pointer,
        native=False,
        source=source,
    )


def unique_names(resources: list[Resource]) -> list[Resource]:
    """Within one export, a repeated name (two CA policies may share a displayName) gets its
    place in the file appended, so that the export does not collide with itself."""
    seen: dict[tuple[str, str], int] = {}
    for resource in resources:
        seen[(resource.kind, resource.name)] = seen.get((resource.kind, resource.name), 0) + 1
    out: list[Resource] = []
    for resource in resources:
        if seen[(resource.kind, resource.name)] > 1:
            resource = _renamed(resource, f"{resource.name} ({resource.root or '/'})")
        out.append(resource)
    return out


def _renamed(resource: Resource, name: str) -> Resource:
    from dataclasses import replace

    return replace(resource, name=name)
