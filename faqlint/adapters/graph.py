"""Microsoft Graph responses saved as they came, recognised by what they hold rather than by one
spelling of a URL:

- an object that names its type (`@odata.type`), or whose `@odata.context` names an entity set
  (`.../$entity` for one object);
- a list response: `value` is a list whose items carry `@odata.type`, or whose `@odata.context`
  names the entity set (`#identity/conditionalAccess/policies`, `#conditionalAccess/policies`,
  `#Collection(microsoft.graph.subscribedSku)`, with or without `$select` parentheses, v1.0 or
  beta);
- the reference documentation's single Intune object wrapped in `value` (an object, not a list);
- a bare list of objects that carry `@odata.type` (`az rest ... --query value`).

A Graph error response saved in place of an export (`{"error": {"code", "message",
"innerError"}}`) is an FL010 finding that quotes the error.

Which types and sets faqlint reads, and as what kind, is data: `graph_types.json`. Each object of
a type faqlint reads becomes a resource whose pointer is its place in the file (`/value/3`), so a
finding lands on the line of the export. Anything else that is plainly Graph (an `@odata` key)
but yields no resource is an FL010 finding that names what was found; items of other types in a
list that also holds faqlint's (a `windowsManagedAppProtection` among `managedAppPolicies`) are
passed over and counted in an FL012 finding, and so is a response that is one page of a longer
list (`@odata.nextLink`). A list of a set faqlint reads with an empty `value` is read: the tenant
has none.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from faqlint.adapters.appconfig import READERS
from faqlint.adapters.common import (
    export_resource,
    fallback_name,
    first_text,
    fit_spec,
    item_pointer,
    unique_names,
    unwrap,
    unwrapped_object,
)
from faqlint.codes import engine_finding
from faqlint.findings import Finding
from faqlint.identify import Reading, Resource
from faqlint.loaded import Document

SOURCE = "graph"
TABLE = Path(__file__).with_name("graph_types.json")


@dataclass(frozen=True, slots=True)
class GraphType:
    name: str  # microsoft.graph.x, as the table spells it
    kind: str
    platform: str | None
    reader: str | None
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    types: dict[str, GraphType]  # folded name -> type
    sets: dict[str, str | None]  # folded set path -> folded type name (None: items say)

    def type_named(self, odata_type: str) -> GraphType | None:
        return self.types.get(_type_name(odata_type))

    def set_type(self, path: str) -> tuple[bool, str | None]:
        """(known, folded item type) for an entity set path; matched whole or by its last
        segments, longest first."""
        segments = path.split("/")
        for start in range(len(segments)):
            candidate = "/".join(segments[start:])
            if candidate in self.sets:
                return True, self.sets[candidate]
        return False, None

    def kinds(self) -> frozenset[str]:
        return frozenset(t.kind for t in self.types.values())

    def names_of(self, kind: str) -> tuple[str, ...]:
        """The keys that name an object of `kind` (`skuPartNumber` for a SKU), as Graph has it."""
        return next((t.names for t in self.types.values() if t.kind == kind), ())


@cache
def table() -> Table:
    raw = json.loads(TABLE.read_text(encoding="utf-8"))
    types = {
        name.lower(): GraphType(
            name,
            entry["kind"],
            entry.get("platform"),
            entry.get("reader"),
            tuple(entry.get("names", ("displayName", "id"))),
        )
        for name, entry in raw["types"].items()
    }
    sets = {path.lower(): (t.lower() if t else None) for path, t in raw["sets"].items()}
    return Table(types, sets)


def _type_name(odata_type: str) -> str:
    """`#microsoft.graph.x`, `microsoft.graph.x`, `#x` -> `microsoft.graph.x` (folded)."""
    name = odata_type.strip().removeprefix("#").lower()
    return name if "." in name else f"microsoft.graph.{name}"


_SELECT = re.compile(r"\([^()]*\)")  # `subscribedSkus(skuId,skuPartNumber)`: $select, $expand
_COLLECTION_OF = re.compile(r"collection\(([\w.]+)\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Context:
    """What an `@odata.context` says: the entity set path (or None), the item type it names
    (folded, or None), whether it is one entity, and whether faqlint knows the set."""

    path: str | None  # as the context spells it
    item_type: str | None  # folded
    single: bool
    known: bool
    type_spelling: str | None = None  # as `Collection(...)` spells it


def parse_context(context: str) -> Context:
    fragment = context.split("#", 1)[1] if "#" in context else ""
    of_type = _COLLECTION_OF.fullmatch(fragment.strip())
    if of_type:  # `#Collection(microsoft.graph.subscribedSku)`
        name = _type_name(of_type.group(1))
        spelt = (
            of_type.group(1) if "." in of_type.group(1) else f"microsoft.graph.{of_type.group(1)}"
        )
        return Context(None, name, False, name in table().types, spelt)
    single = fragment.rstrip("/").endswith("$entity")
    fragment = fragment.rstrip("/").removesuffix("$entity")
    while _SELECT.search(fragment):  # nested: `iosManagedAppProtections(apps())` after $expand
        fragment = _SELECT.sub("", fragment)
    segments = [p for p in fragment.split("/") if p]
    if segments and segments[-1].lower().startswith("microsoft.graph."):
        cast = segments.pop()  # `managedAppPolicies/microsoft.graph.iosManagedAppProtection`
        name = _type_name(cast)
        return Context("/".join(segments) or None, name, single, name in table().types, cast)
    path = "/".join(segments) or None
    if path is None:
        return Context(None, None, single, False)
    known, item_type = table().set_type(path.lower())
    return Context(path, item_type, single, known)


def looks_like_graph(data: dict[str, Any]) -> bool:
    if any(isinstance(k, str) and k.startswith("@odata.") for k in data):
        return True
    value = data.get("value")
    items = value if isinstance(value, list) else [value]
    return any(isinstance(i, dict) and "@odata.type" in i for i in items)


def graph_resource(
    item: dict[str, Any], graph_type: GraphType, path: str, document: int, pointer: str, source: str
) -> tuple[Resource, list[str]]:
    """One Graph object as the resource of its kind, and what of it could not be decoded."""
    problems: list[str] = []
    item, aliases = unwrapped_object(item)
    spec: dict[str, Any] = item
    if graph_type.reader is not None:
        converted = READERS[graph_type.reader](item)
        spec, problems = converted.spec, converted.problems
        aliases = [*aliases, *converted.aliases]
    spec = fit_spec(spec, graph_type.kind)
    if graph_type.platform is not None and "platform" not in spec:
        spec = {**spec, "platform": graph_type.platform}
    name = first_text(item, graph_type.names) or fallback_name(path, pointer)
    resource = export_resource(graph_type.kind, name, path, document, spec, pointer, source)
    if aliases:
        resource = replace(resource, aliases=tuple(aliases))
    return resource, problems


def _items(data: dict[str, Any], context: Context | None) -> list[tuple[str, Any]] | None:
    """(pointer, object) of the objects the document holds; None when it is one object."""
    value, wrapped = unwrap(data.get("value"))  # a list Windows PowerShell 5.1 re-wrote
    if isinstance(value, list):
        return [
            (item_pointer("value") + wrapped + item_pointer(i), item)
            for i, item in enumerate(value)
        ]
    if isinstance(value, dict) and "@odata.type" not in data:
        return [(item_pointer("value"), value)]  # the documentation's `"value": {...}`
    if context is not None and not context.single and "value" in data and value is None:
        return []
    return None


def read_graph(document: Document, path: str, forced_kind: str | None) -> Reading | None:
    data = document.data
    if isinstance(data, list) and any(isinstance(i, dict) and "@odata.type" in i for i in data):
        data = {"value": data}  # `az rest ... --query value`: the items without their envelope
        bare = True
    else:
        bare = False
    failed = _error(data)
    if failed is not None:
        return Reading((), (_failed(path, document.index, *failed),))
    if not isinstance(data, dict) or not looks_like_graph(data):
        return None
    raw_context = data.get("@odata.context")
    context = parse_context(raw_context) if isinstance(raw_context, str) else None
    default = context.item_type if context is not None else None
    items = _items(data, context)
    if items is None:
        items = [("", data)]
    if bare:
        items = [(pointer.removeprefix("/value"), item) for pointer, item in items]
    found: list[Resource] = []
    findings: list[Finding] = []
    others: Counter[str] = Counter()
    for pointer, item in items:
        if not isinstance(item, dict):
            others["a value that is not an object"] += 1
            continue
        declared = item.get("@odata.type")
        folded = _type_name(declared) if isinstance(declared, str) else default
        graph_type = table().types.get(folded) if folded is not None else None
        if graph_type is None:
            others[_describe(declared, folded, context)] += 1
            continue
        resource, problems = graph_resource(item, graph_type, path, document.index, pointer, SOURCE)
        found.append(resource)
        if problems:
            findings.append(undecoded(resource, problems))
    if found:
        if others:
            findings.append(passed_over(path, document.index, others, len(found)))
        if isinstance(data.get("@odata.nextLink"), str):
            findings.append(_one_page(path, document.index, len(found)))
        return Reading(tuple(unique_names(found)), tuple(findings))
    if not items and context is not None and context.known:
        return Reading()  # a list of a set faqlint reads, empty: the tenant has none
    return Reading((), (not_read(path, document.index, others, context),))


def _error(data: Any) -> tuple[str, str] | None:
    """(code, message) of a Graph error response saved in place of the export."""
    if not isinstance(data, dict) or set(data) != {"error"} or not isinstance(data["error"], dict):
        return None
    error = data["error"]
    if not isinstance(error.get("code"), str) or "innerError" not in error:
        return None
    message = error.get("message")
    return error["code"], message if isinstance(message, str) else ""


def _failed(path: str, document: int, code: str, message: str) -> Finding:
    said = message if len(message) <= 120 else message[:117] + "..."
    return engine_finding(
        "FL010",
        f"this is a Graph error response ({code}: {said}), saved in place of the export, so "
        "nothing was checked; run the request again (with the permission it names) and save "
        "the response",
        file=path,
        document=document,
        pointer="/error",
    )


def _describe(declared: Any, folded: str | None, context: Context | None) -> str:
    if isinstance(declared, str):
        return f"Graph entity {declared.strip().removeprefix('#')}"
    if context is not None and context.type_spelling is not None:
        return f"Graph entity {context.type_spelling}"
    if context is not None and context.path is not None and not context.known:
        return f"Graph entity set {context.path}"
    if context is not None and context.path is not None:
        return f"an object of the Graph entity set {context.path} without @odata.type"
    return "an object without @odata.type"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary(others: Counter[str]) -> str:
    return ", ".join(f"{what} (x{n})" if n > 1 else what for what, n in sorted(others.items()))


def not_read(path: str, document: int, others: Counter[str], context: Context | None) -> Finding:
    if others:
        found = _summary(others)
    elif context is not None and context.path is not None:
        found = f"an empty list of the Graph entity set {context.path}"
    elif context is not None and context.type_spelling is not None:
        found = f"an empty list of Graph entity {context.type_spelling}"
    else:
        found = "a Graph response without an object"
    kinds = ", ".join(sorted(table().kinds()))
    return engine_finding(
        "FL010",
        f"{found}: not a kind faqlint reads, so nothing in this file was checked; faqlint reads "
        f"the Graph entity types of {kinds} (docs/exports.md lists them): export one of those, "
        "or exclude the file",
        file=path,
        document=document,
        pointer="",
    )


def passed_over(path: str, document: int, others: Counter[str], read: int) -> Finding:
    total = sum(others.values())
    return engine_finding(
        "FL012",
        f"{_plural(read, 'object')} of this list read; {_plural(total, 'other item')} passed over, "
        f"being of types faqlint does not read: {_summary(others)}; no rule checked "
        f"{'it' if total == 1 else 'them'}",
        file=path,
        document=document,
        pointer="",
    )


def _one_page(path: str, document: int, read: int) -> Finding:
    return engine_finding(
        "FL012",
        f"this response is one page of a longer list (it has @odata.nextLink): the rules checked "
        f"the {_plural(read, 'object')} it holds, not the ones on later pages; export every page "
        "(follow @odata.nextLink, or `-All` in the Graph PowerShell SDK)",
        file=path,
        document=document,
        pointer=item_pointer("@odata.nextLink"),
    )


def undecoded(resource: Resource, problems: list[str]) -> Finding:
    return engine_finding(
        "FL012",
        f"{'; '.join(problems)}, so the rules about {resource.kind} settings could not check "
        f"{resource.name!r}; export the policy again",
        file=resource.file,
        document=resource.document,
        pointer=resource.root,
        kind=resource.kind,
        resource=resource.name,
    )
