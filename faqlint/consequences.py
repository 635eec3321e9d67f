"""What rules say about a resource with a value that failed its schema (FL002): right, or nothing.

A value outside its schema (a wrong type, a value no documentation lists, a key misspelt) is not
something the service would hold: the admin meant some valid value, and which one is unknown.
A rule's verdict that depends on it would be a guess, and a guess worded as a fact misleads:
"EwsAllowList is set but EwsApplicationAccessPolicy is EnforceAlowList, so Exchange ignores the
list" is false for the EnforceAllowList that was meant.

So a rule finding in a tenant that holds such a value is kept only if it holds whatever valid
value was meant: the rule is evaluated again with each alternative in the value's place (each
value of its enum, null where allowed, a value of each type the schema allows; for a misspelt
key, the value under the key it resembles; for a missing required key, each value it could have
had), and the finding is kept only if every alternative yields it again, word for word.
Otherwise it is dropped, and the value's FL002 names the rules whose verdict waits for the fix.
A finding that does not depend on the value stays: a broken `EwsApplicationAccessPolicy` does
not hide `EwsEnabled: false`. Each broken value is varied alone, the others left as they are; a
verdict that only two broken values changed together would alter is not caught.

A rule is re-evaluated on what it can read: the resource it judges, or, when its expressions
reach `tenant.<Kind>`, the tenant's resources of those kinds, so the cost stays with the few
tenants that hold a broken value.

An FL009 (a rule that could not evaluate) on a resource with an FL002 is dropped as before: the
rule runs again once the resource is fixed. On a schema-valid resource an FL009 is a bug in the
rule and stays.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from faqlint.codes import EVALUATION_ERROR, SCHEMA_VIOLATION
from faqlint.engine import evaluate
from faqlint.enums import Schema, branches, enum_of, properties, schema_at
from faqlint.findings import Finding
from faqlint.identify import Resource, suggest
from faqlint.policy import CompiledRule, Policies
from faqlint.schema import KindSchema
from faqlint.sight import Sight, sight_of
from faqlint.tenants import Tenant

_UNKNOWN_KEY = "unknown key "
_MISSING_KEY = re.compile(r"""missing required key ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") in """)
_REMOVE = object()  # an alternative that removes the value


@dataclass(frozen=True)
class _Invalid:
    """One value that failed its schema, and the values that could have been meant instead."""

    violation: Finding
    resource: Resource
    path: tuple[str | int, ...]  # inside the spec
    alternatives: tuple[Any, ...]
    moved_to: str | None = None  # a misspelt key: the key it resembles


def without_consequences(
    findings: list[Finding],
    tenants: Iterable[Tenant],
    policies: Policies,
    kinds: Iterable[str],
    schemas: Mapping[str, KindSchema],
    rules: Iterable[CompiledRule],
) -> list[Finding]:
    invalid_resources = {_place(f) for f in findings if f.code == SCHEMA_VIOLATION}
    findings = [
        f for f in findings if not (f.code == EVALUATION_ERROR and _place(f) in invalid_resources)
    ]
    if not invalid_resources:
        return findings
    by_code = {r.code: r for r in rules}
    kinds = tuple(kinds)
    dropped: set[int] = set()
    waiting: dict[int, set[str]] = {}  # id of an FL002 -> codes whose verdict waits for it
    for tenant in tenants:
        values = list(_invalid_values(findings, tenant, schemas))
        if not values:
            continue
        judged: dict[str, dict[tuple[str, int, str | None], list[Finding]]] = {}
        for f in findings:
            if f.tenant == tenant.name and f.code in by_code:
                judged.setdefault(f.code, {}).setdefault(_place(f), []).append(f)
        for code, own in sorted(judged.items()):
            rule = by_code[code]
            sight = sight_of(rule)
            for value in values:
                if sight.kinds is not None and value.resource.kind not in sight.kinds:
                    continue
                places = list(own) if sight.across else [_resource_place(value.resource)]
                subjects = [f for place in places for f in own.get(place, ())]
                if not subjects:
                    continue
                doubtful = _doubtful(subjects, rule, value, tenant, policies, kinds, sight)
                if doubtful:
                    dropped.update(id(f) for f in doubtful)
                    waiting.setdefault(id(value.violation), set()).add(code)
                    for place in places:
                        if place in own:
                            own[place] = [f for f in own[place] if id(f) not in dropped]
    return [_said_to_wait(f, waiting) for f in findings if id(f) not in dropped]


def _resource_place(resource: Resource) -> tuple[str, int, str | None]:
    return (resource.file, resource.document, resource.name)


def _place(finding: Finding) -> tuple[str, int, str | None]:
    return (finding.file, finding.document, finding.resource)


def _said_to_wait(finding: Finding, waiting: dict[int, set[str]]) -> Finding:
    codes = waiting.get(id(finding))
    if not codes:
        return finding
    names = ", ".join(sorted(codes))
    return replace(
        finding,
        message=f"{finding.message}; what {names} would say depends on this, so "
        f"{'they wait' if len(codes) > 1 else 'it waits'} for the fix",
    )


def _doubtful(
    subjects: list[Finding],
    rule: CompiledRule,
    value: _Invalid,
    tenant: Tenant,
    policies: Policies,
    kinds: tuple[str, ...],
    sight: Sight,
) -> list[Finding]:
    """The findings of `subjects` that some alternative to `value` does not yield again."""
    kept = {_key(f) for f in subjects}
    for alternative in value.alternatives:
        scope = _with_alternative(tenant, value, alternative, sight)
        kept &= {_key(f) for f in evaluate(scope, policies, kinds, [rule])}
        if not kept:
            break
    return [f for f in subjects if _key(f) not in kept]


def _key(finding: Finding) -> tuple[Any, ...]:
    return (finding.code, finding.file, finding.document, finding.pointer, finding.message)


def _with_alternative(tenant: Tenant, value: _Invalid, alternative: Any, sight: Sight) -> Tenant:
    """What the rule reads of the tenant (the judged resource alone, or the resources of the
    kinds it sees), with the invalid value replaced."""
    changed = replace(value.resource, spec=_replaced(value, alternative))
    if not sight.across:
        return Tenant(tenant.name, (changed,))
    seen = [r for r in tenant.resources if sight.kinds is None or r.kind in sight.kinds]
    return Tenant(tenant.name, tuple(changed if r is value.resource else r for r in seen))


def _replaced(value: _Invalid, alternative: Any) -> Any:
    if value.moved_to is not None:
        parent, key = value.path[:-1], value.path[-1]

        def move(node: Any) -> Any:
            if not isinstance(node, dict):
                return node
            moved = {k: v for k, v in node.items() if k != key}
            moved[value.moved_to] = node.get(key)
            return moved

        return _edit(value.resource.spec, parent, move)
    return _edit(value.resource.spec, value.path, lambda _: alternative)


def _edit(node: Any, path: tuple[str | int, ...], change: Any) -> Any:
    """A copy of `node` with the value at `path` changed (only the nodes on the path copied)."""
    if not path:
        return change(node)
    head, rest = path[0], path[1:]
    if isinstance(node, dict) and (head in node or not rest):  # a missing key is added
        edited = {**node, head: _edit(node.get(head), rest, change)}
        if edited[head] is _REMOVE:
            del edited[head]
        return edited
    if isinstance(node, list) and isinstance(head, int) and 0 <= head < len(node):
        items = [*node[:head], _edit(node[head], rest, change), *node[head + 1 :]]
        return [v for v in items if v is not _REMOVE]
    return node


def _invalid_values(
    findings: list[Finding], tenant: Tenant, schemas: Mapping[str, KindSchema]
) -> Iterator[_Invalid]:
    members: dict[tuple[str, int, str | None, str | None], Resource] = {
        (r.file, r.document, r.kind, r.name): r for r in tenant.resources
    }
    for finding in findings:
        if finding.code != SCHEMA_VIOLATION:
            continue
        resource = members.get((finding.file, finding.document, finding.kind, finding.resource))
        if resource is None or resource.kind not in schemas:
            continue
        path = _spec_path(finding.pointer, resource)
        if path is None:
            continue
        schema = schemas[resource.kind].schema
        missing = _MISSING_KEY.match(finding.message)
        if missing is not None:  # at the mapping that lacks it
            full = (*path, str(ast.literal_eval(missing.group(1))))
            node = schema_at(schema, tuple(str(p) for p in full))
            yield _Invalid(finding, resource, full, _alternatives(node, schema, None))
            continue
        if not path:
            continue
        found = _value_at(resource.spec, path)
        if finding.at_value and found is not _MISSING:
            node = schema_at(schema, tuple(str(p) for p in path))
            yield _Invalid(finding, resource, path, _alternatives(node, schema, found))
        elif finding.message.startswith(_UNKNOWN_KEY) and found is not _MISSING:
            parent = schema_at(schema, tuple(str(p) for p in path[:-1]))
            known = properties(parent, schema) if parent is not None else {}
            hint = suggest(str(path[-1]), known)
            meant = hint.removeprefix("; did you mean ").removesuffix("?").strip("'\"")
            if hint and meant in known:
                yield _Invalid(finding, resource, path, (None,), moved_to=meant)


_MISSING = object()


def _value_at(spec: Any, path: tuple[str | int, ...]) -> Any:
    node = spec
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            continue
        return _MISSING
    return node


def _spec_path(pointer: str, resource: Resource) -> tuple[str | int, ...] | None:
    """The path inside the spec of a pointer into the resource's document (() for the spec
    itself), or None outside the spec."""
    base = resource.spec_pointer
    if pointer == base:
        return ()
    if not pointer.startswith(base + "/"):
        return None
    parts: list[str | int] = []
    node: Any = resource.spec
    for raw in pointer[len(base) + 1 :].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit():
            parts.append(int(part))
            node = node[int(part)] if int(part) < len(node) else None
        else:
            parts.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return tuple(parts)


_SAMPLES: dict[str, tuple[Any, ...]] = {
    "boolean": (True, False),
    "null": (None,),
    "string": ("",),
    "integer": (0, 1),
    "number": (0, 1),
    "array": ([],),
    "object": ({},),
}


def _alternatives(node: Schema | None, root: Schema, invalid: Any) -> tuple[Any, ...]:
    """Values that could have been meant: the enum's, else samples of each allowed type."""
    if node is None:
        return (_REMOVE,)
    listed = enum_of(node, root)
    if listed is not None:
        return tuple(listed)
    found: list[Any] = []
    for branch in branches(node, root):
        if "const" in branch:
            found.append(branch["const"])
        declared = branch.get("type")
        for name in [declared] if isinstance(declared, str) else declared or []:
            found += _SAMPLES.get(str(name), ())
            if name == "string" and isinstance(invalid, (int, float)):
                found.append(str(invalid))  # a number written for a string: its digits
    return tuple(found) or (_REMOVE,)
