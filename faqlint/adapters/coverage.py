"""Rules an export could not feed: said once per export, never passed silently (FL012).

A native file leaves out what is not configured, and a rule reads absence as Microsoft's default.
An export is different: the tool that wrote it decides what it holds. `Get-OrganizationConfig`
writes every property (null when not configured), but ScubaGear's `org_config` keeps only what
its own baselines need, with no EWS settings; a Graph `$select` drops the rest. A rule that reads
only settings an export lacks would pass it without having judged anything.

Which settings a rule reads is derived from the rule itself, not declared here: the spec keys of
its kinds (as their schemas model them) that its CEL (`given.when`, `given.forEach`, `assert`,
`at`) names as `spec.Key`, `spec['Key']`, `spec.get('Key...')`, `get(spec, 'Key')` or
`/spec/Key`. A rule that finds its keys in a data table at run time names none, and is not listed.
For each export resource, every selected rule that applies to its kind and reads settings of which
the resource holds none is listed, in one finding per export file and kind, at the first such
object. The Tenant a ScubaGear export implies holds only its cloud, by construction, and is not
judged this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from faqlint.adapters.common import modelled
from faqlint.codes import engine_finding
from faqlint.findings import Finding
from faqlint.identify import Resource
from faqlint.policy import CompiledRule
from faqlint.tenants import TENANT_KIND

_READS = re.compile(
    r"""(?:\bspec\s*\.\s*get\s*\(\s*['"]|\bget\s*\(\s*spec\s*,\s*['"]|\bspec\s*\[\s*['"]"""
    r"""|\bspec\s*\.\s*|/spec/)"""
    r"""([A-Za-z@][\w@]*)"""
)
DERIVED_KINDS = frozenset({TENANT_KIND})  # an export implies it; it holds only the cloud


def _texts(rule: CompiledRule) -> Iterable[str]:
    given = rule.rule.given
    yield from (t for t in (given.when, given.forEach, rule.rule.at) if t)
    for validation in rule.rule.validations:
        yield validation.assert_
        if validation.at:
            yield validation.at


@cache
def _modelled(kind: str) -> frozenset[str]:
    return frozenset(modelled(kind))


def reads(rule: CompiledRule, kind: str) -> frozenset[str]:
    """The top-level spec keys of `kind` the rule reads."""
    keys = _modelled(kind)
    named = {m.group(1) for text in _texts(rule) for m in _READS.finditer(text)}
    return frozenset(k for k in named if k in keys and k != "get")


def not_checkable(resources: Iterable[Resource], rules: Iterable[CompiledRule]) -> list[Finding]:
    """One FL012 per export file, document and kind that some rules could not judge."""
    rules = list(rules)
    names: dict[tuple[str, int, str], list[str]] = {}
    by_kind: dict[str, list[tuple[CompiledRule, frozenset[str]]]] = {}
    missing: dict[tuple[str, int, str], tuple[dict[str, CompiledRule], set[str], list[str]]] = {}
    for resource in resources:
        if resource.native or resource.kind in DERIVED_KINDS or not isinstance(resource.spec, dict):
            continue
        if resource.kind not in by_kind:
            by_kind[resource.kind] = [
                (rule, keys)
                for rule in rules
                if resource.kind in rule.rule.given.kinds and (keys := reads(rule, resource.kind))
            ]
        held = {str(k).casefold() for k in resource.spec}
        for rule, keys in by_kind[resource.kind]:
            if not any(k.casefold() in held for k in keys):
                key = (resource.file, resource.document, resource.kind)
                entry = missing.setdefault(key, ({}, set(), []))
                entry[0][rule.code] = rule
                entry[1].update(keys)
                if resource.root not in entry[2]:
                    entry[2].append(resource.root)
                    names.setdefault(key, []).append(resource.name)
    return [
        _finding(file, document, kind, rules_of, keys, names[(file, document, kind)], roots[0])
        for (file, document, kind), (rules_of, keys, roots) in sorted(missing.items())
    ]


def _finding(
    file: str,
    document: int,
    kind: str,
    rules: dict[str, CompiledRule],
    keys: set[str],
    names: list[str],
    first: str,
) -> Finding:
    listed = ", ".join(f"{code} ({rules[code].name})" for code in sorted(rules))
    which = f"{kind} {names[0]!r}" if len(names) == 1 else f"{len(names)} {kind} resources"
    return engine_finding(
        "FL012",
        f"{which} in this export hold{'s' if len(names) == 1 else ''} none of the settings "
        f"{', '.join(sorted(keys))}, so {'this rule' if len(rules) == 1 else 'these rules'} could "
        f"not check {'it' if len(names) == 1 else 'them'}: {listed}; export those settings too "
        f"(or add them as a native {kind} file) to have them checked",
        file=file,
        document=document,
        pointer=first,  # the first such object: one finding per export, where the object is
        kind=kind,
    )
