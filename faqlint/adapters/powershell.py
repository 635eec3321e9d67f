"""PowerShell output saved with `ConvertTo-Json`, for files the config maps to a kind (`kinds:
{"exports/org-config.json": ExchangeOrganizationConfig}`).

Such a file does not say what it is, so it is read only when the config names its kind. It holds
one object (`Get-OrganizationConfig`) or an array of them (`Get-CASMailbox -ResultSize
Unlimited`). Windows PowerShell 5.1 writes an array piped to `ConvertTo-Json` as
`{"value": [...], "Count": n}`: that is the array inside it. Exchange Online PowerShell writes
PascalCase, with hundreds of properties faqlint does not model, `null` for "not configured" and
`/Date(1700000000000)/` timestamps. Only the properties the kind models are kept (matched
case-insensitively at every depth, as PowerShell matches parameter names).

The Microsoft Graph PowerShell SDK (`Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json`)
writes Graph objects in PascalCase without `@odata` keys, and puts what its model lacks (a derived
type's properties, `@odata.type`) in `AdditionalProperties`. For a kind Graph types map to, keys
are put back in Graph's camelCase at every depth and `AdditionalProperties` merged into its
object; an object whose `@odata.type` faqlint knows is then read as Graph reads it (an app
protection policy's platform, a device app configuration's settings). Each object's name is its
Identity, Name, DisplayName or Guid, whichever it has.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from faqlint.adapters.common import (
    camel_keys,
    export_resource,
    fallback_name,
    first_text,
    fit_spec,
    item_pointer,
    kind_schema,
    unique_names,
    unwrap,
    unwrapped_object,
)
from faqlint.adapters.graph import graph_resource, not_read, passed_over, table, undecoded
from faqlint.codes import engine_finding
from faqlint.findings import Finding
from faqlint.identify import Reading, Resource
from faqlint.loaded import Document

SOURCE = "powershell"
NAME_KEYS = ("Identity", "Name", "DisplayName", "Guid", "displayName", "id")
EXTRA = "additionalProperties"  # after camel_keys


# What ConvertTo-Json writes in place of a value nested deeper than its -Depth (2 by default):
# the value's type name, or a hashtable's `@{...}` rendering.
_TRUNCATED = re.compile(
    r"@\{.*\}|System\.Object\[\]|System\.Collections\.[\w.`\[\], =]+"
    r"|Microsoft\.Graph\.PowerShell\.Models\.\w+|Deserialized\.[\w.]+",
    re.S,
)


def truncated(value: Any, at: str = "") -> tuple[str, str] | None:
    """(pointer, text) of the first value ConvertTo-Json cut off at its -Depth, if any."""
    if isinstance(value, str):
        return (at, value) if _TRUNCATED.fullmatch(value.strip()) else None
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        found = truncated(child, at + item_pointer(key))
        if found is not None:
            return found
    return None


def first_truncated(resources: list[Resource]) -> Finding | None:
    """FL010 at the first setting faqlint reads that ConvertTo-Json cut off at its -Depth. Only
    what the kinds model is looked at: a cut-off value among the hundreds of other properties
    of an export costs nothing. The resources of such a document are not read: their nested
    settings are gone, and schema findings on type names would mislead."""
    for resource in resources:
        found = truncated(resource.spec)
        if found is not None:
            pointer = resource.pointer("/spec" + found[0])
            return too_shallow(resource.file, resource.document, (pointer, found[1]))
    return None


def too_shallow(path: str, document: int, where: tuple[str, str]) -> Finding:
    pointer, text = where
    shown = text if len(text) <= 60 else text[:57] + "..."
    return engine_finding(
        "FL010",
        f"ConvertTo-Json wrote {shown!r} in place of the value at {pointer}: the export was "
        "written with too small a -Depth (the default is 2) and nested settings are lost, so "
        "faqlint did not read this document; export again with `ConvertTo-Json -Depth 10`",
        file=path,
        document=document,
        pointer=pointer,
    )


def merged_extras(value: Any) -> Any:
    """Graph SDK objects with `AdditionalProperties` merged into their object, at every depth
    (a property the object already has wins)."""
    if isinstance(value, list):
        return [merged_extras(v) for v in value]
    if not isinstance(value, dict):
        return value
    extra = value.get(EXTRA)
    merged = {k: merged_extras(v) for k, v in value.items() if k != EXTRA}
    if isinstance(extra, dict):
        for key, child in merged_extras(extra).items():
            if merged.get(key) is None:
                merged[key] = child
    return merged


def _resource(
    item: dict[str, Any], kind: str, path: str, document: Document, pointer: str
) -> tuple[Resource | None, list[Finding], str | None]:
    """The object as a resource of `kind`, with findings on what did not decode; or None and the
    Graph type it declares when that type is not one faqlint reads as `kind`."""
    item, aliases = unwrapped_object(item)
    resource, findings, foreign = _read(item, kind, path, document, pointer)
    if resource is not None and aliases:
        resource = replace(resource, aliases=(*resource.aliases, *aliases))
    return resource, findings, foreign


def _read(
    item: dict[str, Any], kind: str, path: str, document: Document, pointer: str
) -> tuple[Resource | None, list[Finding], str | None]:
    name = first_text(item, (*table().names_of(kind), *NAME_KEYS)) or fallback_name(path, pointer)
    if kind in table().kinds():
        graph = merged_extras(camel_keys(item))
        declared = graph.get("@odata.type")
        if isinstance(declared, str):
            graph_type = table().type_named(declared)
            if graph_type is None or graph_type.kind != kind:
                return None, [], declared.strip().removeprefix("#")
            resource, problems = graph_resource(
                graph, graph_type, path, document.index, pointer, SOURCE
            )
            return resource, [undecoded(resource, problems)] if problems else [], None
        item = graph
    spec = fit_spec(item, kind)
    return export_resource(kind, name, path, document.index, spec, pointer, SOURCE), [], None


def read_powershell(document: Document, path: str, forced_kind: str | None) -> Reading | None:
    if forced_kind is None or kind_schema(forced_kind) is None:
        return None
    data, base = unwrap(document.data)
    if isinstance(data, dict):
        objects = [(base, data)]
    elif isinstance(data, list) and data:
        objects = [(base + item_pointer(i), d) for i, d in enumerate(data) if isinstance(d, dict)]
    elif isinstance(data, list):
        return Reading()  # `ConvertTo-Json -InputObject @()`: the command found none
    else:
        objects = []
    if not objects:
        return None  # identify says what the file holds instead (FL010)
    found: list[Resource] = []
    findings: list[Finding] = []
    others: Counter[str] = Counter()
    for pointer, item in objects:
        resource, problems, foreign = _resource(item, forced_kind, path, document, pointer)
        if resource is None:
            others[f"Graph entity {foreign}"] += 1
            continue
        found.append(resource)
        findings += problems
    if not found:
        return Reading((), (not_read(path, document.index, others, None),))
    cut = first_truncated(found)
    if cut is not None:
        return Reading((), (cut,))
    if others:
        findings.append(passed_over(path, document.index, others, len(found)))
    return Reading(tuple(unique_names(found)), tuple(findings))
