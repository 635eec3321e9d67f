"""Apply compiled rules to a tenant. Knows CEL only through `faqlint.cel`, and Outlook not at all.

What an expression sees:
- `spec`, `metadata`: the resource's, with null-valued keys removed (Exchange exports `null` for
  "not configured", so `has(spec.EwsAllowList)` means "configured");
- `resource`: `{kind, name, tenant, file}`;
- `tenant`: every kind mapped to the list of that tenant's resources (`{name, spec, metadata}`),
  built only when some rule reads it;
- `data`: the policy packs' tables (`data.outlook.userAgents`);
- `item`, `index`: the current element under `forEach`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from faqlint.cel import CelError, Context, Program, without_nulls
from faqlint.findings import Finding, Severity
from faqlint.identify import Resource
from faqlint.policy import CompiledRule, CompiledValidation, Policies, Template
from faqlint.tenants import Tenant

EVALUATION_ERROR = ("FL009", "rule-evaluation-error")


class _Failure(Exception):
    def __init__(self, what: str, error: CelError) -> None:
        super().__init__(f"{what}: {error}")


def _view(resource: Resource, tenant: str) -> dict[str, Any]:
    return {
        "kind": resource.kind,
        "name": resource.name,
        "tenant": tenant,
        "file": resource.file,
        "spec": without_nulls(resource.spec),
        "metadata": without_nulls(dict(resource.metadata)),
    }


def evaluate(
    tenant: Tenant, policies: Policies, kinds: Iterable[str], rules: Iterable[CompiledRule]
) -> list[Finding]:
    rules = list(rules)
    if not rules:
        return []
    views = {id(r): _view(r, tenant.name) for r in tenant.resources}
    variables: dict[str, Any] = {"data": policies.data}
    if any("tenant" in rule.names for rule in rules):
        by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
        for resource in tenant.resources:
            by_kind.setdefault(resource.kind, []).append(views[id(resource)])
        variables["tenant"] = by_kind
    context = Context(variables)
    rules_by_kind: dict[str, list[CompiledRule]] = {}
    for rule in rules:
        for kind in rule.rule.given.kinds:
            rules_by_kind.setdefault(kind, []).append(rule)

    findings: list[Finding] = []
    for resource in tenant.resources:
        applicable = rules_by_kind.get(resource.kind)
        if not applicable:
            continue
        view = views[id(resource)]
        context.set("spec", view["spec"])
        context.set("metadata", view["metadata"])
        context.set("resource", {k: view[k] for k in ("kind", "name", "tenant", "file")})
        for rule in applicable:
            findings.extend(_apply(rule, resource, tenant.name, context))
    return findings


def _apply(rule: CompiledRule, resource: Resource, tenant: str, context: Context) -> Iterator[Finding]:
    try:
        if rule.when is not None and not _boolean(rule.when, context, "when"):
            return
        if rule.for_each is None:
            subjects: list[Any] = [None]
        else:
            subjects = _run(rule.for_each, context, "forEach")
            if not isinstance(subjects, list):
                raise _Failure("forEach", CelError(f"returned {type(subjects).__name__}, not a list"))
        for index, item in enumerate(subjects):
            if rule.for_each is not None:
                context.set("item", item)
                context.set("index", index)
            for validation in rule.validations:
                if not _boolean(validation.condition, context, "assert"):
                    yield _finding(rule, validation, resource, tenant, context)
                    break  # the first failing validation explains the subject
    except _Failure as failure:
        yield _evaluation_error(rule, resource, tenant, str(failure))


def _run(program: Program, context: Context, what: str) -> Any:
    try:
        return program.run(context)
    except CelError as err:
        raise _Failure(what, err) from None


def _boolean(program: Program, context: Context, what: str) -> bool:
    value = _run(program, context, what)
    if not isinstance(value, bool):
        raise _Failure(what, CelError(f"returned {value!r}, not true or false"))
    return value


def render(template: Template, context: Context, what: str) -> str:
    out: list[str] = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = _run(part, context, what)
        out.append(_text(value))
    return "".join(out)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _finding(
    rule: CompiledRule,
    validation: CompiledValidation,
    resource: Resource,
    tenant: str,
    context: Context,
) -> Finding:
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=validation.severity or rule.severity,
        message=render(validation.message, context, "message"),
        file=resource.file,
        document=resource.document,
        pointer=resource.pointer(render(validation.at, context, "at")),
        tenant=tenant,
        kind=resource.kind,
        resource=resource.name,
        fix=rule.rule.fix.strip(),
    )


def _evaluation_error(rule: CompiledRule, resource: Resource, tenant: str, problem: str) -> Finding:
    origin = "built-in rule" if rule.builtin else f"rule from {rule.source}"
    return Finding(
        code=EVALUATION_ERROR[0],
        name=EVALUATION_ERROR[1],
        severity=Severity.ERROR,
        message=f"{origin} {rule.code} ({rule.name}) could not be evaluated on "
        f"{resource.kind} {resource.name!r}: {problem}",
        file=resource.file,
        document=resource.document,
        pointer=resource.root,
        tenant=tenant,
        kind=resource.kind,
        resource=resource.name,
    )
