"""Apply compiled rules to a tenant. Knows CEL only through `faqlint.cel`, and Outlook not at all.

What an expression sees:
- `spec`, `metadata`: the resource's, with null-valued keys removed (Exchange exports `null` for
  "not configured", so `has(spec.EwsAllowList)` means "configured");
- `resource`: `{kind, name, tenant, file, spec, metadata}`;
- `tenant`: every kind mapped to the list of that tenant's resources, each as `resource` is;
- `data`: the policy packs' tables (`data.outlook.ewsUserAgents`);
- `item`, `index`: the current element under `forEach`.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from faqlint import batch
from faqlint.cel import CelError, Context, Program, without_nulls
from faqlint.codes import EVALUATION_ERROR, engine_finding
from faqlint.findings import Finding
from faqlint.identify import Resource
from faqlint.policy import CompiledRule, CompiledValidation, Policies, Template
from faqlint.tenants import Tenant


class _Failure(Exception):
    def __init__(self, what: str, error: CelError) -> None:
        super().__init__(f"{what}: {error}")


def _view(resource: Resource, tenant: str, fields: frozenset[str]) -> dict[str, Any]:
    """What an expression sees of `resource`: `spec`, and of the other fields those that some
    expression of the run's rules names (see `_fields_read`)."""
    view: dict[str, Any] = {"spec": without_nulls(resource.spec)}
    if "kind" in fields:
        view["kind"] = resource.kind
    if "name" in fields:
        view["name"] = resource.name
    if "tenant" in fields:
        view["tenant"] = tenant
    if "file" in fields:
        view["file"] = resource.file
    if "metadata" in fields:
        view["metadata"] = without_nulls(dict(resource.metadata))
    return view


_FIELDS = ("kind", "name", "tenant", "file", "metadata")
EVERY_FIELD = frozenset(_FIELDS)  # for callers that evaluate more than the rules' expressions


def _fields_read(rules: tuple[CompiledRule, ...]) -> frozenset[str]:
    """The fields of a resource (besides `spec`) named in any expression of `rules`. The
    backend converts every value it is given, each tenant anew, and a resource's `metadata` and
    `file` are a third of it: a field no expression names is not given. Prose outside a
    template's holes is not an expression ("the PAC file")."""
    sources = [source for rule in rules for source in rule.expressions()]
    return frozenset(
        field for field in _FIELDS if any(re.search(rf"\b{field}\b", s) for s in sources)
    )


@dataclass(frozen=True)
class _Plan:
    """How a run's rules are evaluated, the same tenant by tenant: found once per set of rules."""

    rules: tuple[CompiledRule, ...]  # held, so that no other rule can take the id of one
    shared: list[tuple[str, list[CompiledRule]]]  # `batch.shared_when`
    merged: frozenset[int]  # ids of the rules over several kinds run in one program
    fields: frozenset[str]  # `_fields_read`


_PLANS: dict[tuple[int, ...], _Plan] = {}


def _plan(rules: tuple[CompiledRule, ...]) -> _Plan:
    key = tuple(id(rule) for rule in rules)
    known = _PLANS.get(key)
    if known is None:
        shared = batch.shared_when(list(rules))
        together = {id(rule) for _, members in shared for rule in members}
        # a rule over several kinds, none of which it shares with others, runs in one program
        merged = frozenset(
            id(rule) for rule in rules if id(rule) not in together and _over_several_kinds(rule)
        )
        _PLANS.clear()
        known = _PLANS[key] = _Plan(rules, shared, merged, _fields_read(rules))
    return known


def evaluate(
    tenant: Tenant, policies: Policies, kinds: Iterable[str], rules: Iterable[CompiledRule]
) -> list[Finding]:
    """Every finding of `rules` on `tenant`: each rule over each kind it applies to in one CEL
    execution (see `faqlint.batch`), resource by resource where that execution fails."""
    rules = list(rules)
    if not rules:
        return []
    plan = _plan(tuple(rules))
    views: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    subjects: dict[str, list[Resource]] = {}
    for resource in tenant.resources:
        views.setdefault(resource.kind, []).append(_view(resource, tenant.name, plan.fields))
        subjects.setdefault(resource.kind, []).append(resource)
    variables = {"tenant": views, "data": policies.data}
    context = _context_of(policies.data)
    try:
        context.set("tenant", views)
    except ValueError:  # a string the backend cannot hold: a file name that is not UTF-8
        views = _wellformed(views)
        variables = {"tenant": views, "data": policies.data}
        context.set("tenant", views)
    together = _evaluate_shared_when(plan.shared, subjects, tenant.name, context)
    findings: list[Finding] = []
    for rule in rules:
        if id(rule) in plan.merged and all(
            len(subjects.get(kind, ())) <= batch.FLAT and kind in views
            for kind in rule.rule.given.kinds
        ):
            findings += _evaluate_kinds(rule, subjects, views, tenant.name, context, variables)
            continue
        for kind in rule.rule.given.kinds:
            if subjects.get(kind):
                known = together.get((id(rule), kind))
                findings += (
                    known
                    if known is not None
                    else _evaluate_kind(
                        rule, kind, subjects[kind], views[kind], tenant.name, context, variables
                    )
                )
    return findings


def _over_several_kinds(rule: CompiledRule) -> bool:
    """Whether the rule names several kinds, each once."""
    kinds = rule.rule.given.kinds
    return len(kinds) > 1 and len(set(kinds)) == len(kinds)


def _evaluate_kinds(
    rule: CompiledRule,
    subjects: dict[str, list[Resource]],
    views: dict[str, list[dict[str, Any]]],
    tenant: str,
    context: Context,
    variables: dict[str, Any],
) -> list[Finding]:
    """A rule over several kinds, each of few resources, in one execution; where it fails, kind
    by kind (and so resource by resource), as any other."""
    kinds = tuple(rule.rule.given.kinds)
    try:
        outcome = _kinds_batch(rule, kinds).run(context)
    except CelError:
        return [
            finding
            for kind in kinds
            if subjects.get(kind)
            for finding in _evaluate_kind(
                rule, kind, subjects[kind], views[kind], tenant, context, variables
            )
        ]
    resources = [resource for kind in kinds for resource in subjects.get(kind, [])]
    return _findings(rule, resources, outcome, tenant)


def _evaluate_shared_when(
    shared: list[tuple[str, list[CompiledRule]]],
    subjects: dict[str, list[Resource]],
    tenant: str,
    context: Context,
) -> dict[tuple[int, str], list[Finding]]:
    """The findings of rules that share their `when` on a kind, by (id of the rule, kind): one
    program tests the condition once per resource for all of them (see `batch.shared_when`).
    Where that program fails, or the kind has more resources than one flat program takes, the
    rules are left out, to be evaluated one by one as any other."""
    findings: dict[tuple[int, str], list[Finding]] = {}
    for kind, members in shared:
        resources = subjects.get(kind, [])
        if not resources or len(resources) > batch.FLAT:
            continue
        try:
            outcome = _shared_program(members, kind).run(context)
            for position, rule in enumerate(members):
                verdicts = [of_resource[position] for of_resource in outcome]
                findings[(id(rule), kind)] = _findings(rule, resources, verdicts, tenant)
        except (CelError, TypeError, IndexError, ValueError):  # each rule again on its own
            for rule in members:
                findings.pop((id(rule), kind), None)
    return findings


_CONTEXTS: dict[int, tuple[Any, Context]] = {}


def _context_of(data: Any) -> Context:
    """One context per set of tables, reused tenant by tenant: building one converts every
    table (~2.5 ms), setting `tenant` in it converts only the tenant. The tables object is held
    with its context so that its id cannot be reused by another."""
    known = _CONTEXTS.get(id(data))
    if known is None or known[0] is not data:
        _CONTEXTS.clear()
        known = (data, Context({"tenant": {}, "data": data}))
        _CONTEXTS[id(data)] = known
    return known[1]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _wellformed(value: Any) -> Any:
    """`value` with every lone surrogate (a byte of a file name that is not UTF-8, an escape in
    a JSON string) replaced by U+FFFD, which the CEL backend accepts."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_wellformed(k): _wellformed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wellformed(v) for v in value]
    return value


_BATCHES: dict[tuple[str, str, str], Program] = {}
_KINDS_BATCHES: dict[tuple[str, str, tuple[str, ...]], Program] = {}
_SHARED: dict[tuple[tuple[tuple[str, str], ...], str], Program] = {}


def prepare(rules: Iterable[CompiledRule]) -> None:
    """Compile every rule's batch programs now: before forking, so that workers share them
    instead of each compiling its own. A rule that shares its `when` on a kind is evaluated
    there by the shared program, a rule over several kinds by one program for all of them; the
    program of one kind is compiled only where those fail (or a kind has many resources)."""
    plan = _plan(tuple(rules))
    together: set[tuple[int, str]] = set()
    for kind, members in plan.shared:
        _compiled(_shared_program, members, kind)
        together.update((id(rule), kind) for rule in members)
    for rule in plan.rules:
        if id(rule) in plan.merged:
            _compiled(_kinds_batch, rule, tuple(rule.rule.given.kinds))
            continue
        for kind in rule.rule.given.kinds:
            if (id(rule), kind) not in together:
                _compiled(_batch, rule, kind)


def _compiled(make: Callable[..., Program], *arguments: Any) -> None:
    """Make (and so compile) a program now. One that does not compile (rules together too large
    for one program) fails again where it is run, and its rules are evaluated one by one there."""
    with contextlib.suppress(CelError):
        make(*arguments)


def _shared_program(rules: list[CompiledRule], kind: str) -> Program:
    key = (tuple((rule.source, rule.code) for rule in rules), kind)
    if key not in _SHARED:
        _SHARED[key] = batch.shared_when_program(rules, kind)
    return _SHARED[key]


def _kinds_batch(rule: CompiledRule, kinds: tuple[str, ...]) -> Program:
    key = (rule.source, rule.code, kinds)
    if key not in _KINDS_BATCHES:
        _KINDS_BATCHES[key] = batch.kinds_program(rule, kinds)
    return _KINDS_BATCHES[key]


def _batch(rule: CompiledRule, kind: str) -> Program:
    key = (rule.source, rule.code, kind)
    if key not in _BATCHES:
        _BATCHES[key] = batch.program(rule, kind)
    return _BATCHES[key]


# Evaluation budget. The CEL backend has no cost limit and cannot be interrupted once it runs, so
# a rule's resources of one kind are evaluated in ranges that grow from FIRST_RANGE, the clock
# is read between them, and a rule that has spent, or on the pace of its ranges so far would
# spend, more than its budget on one tenant stops there with one FL009 naming what it left
# unchecked. A quadratic join over a large tenant is thereby stopped after its first range.
BUDGET_SECONDS = float(os.environ.get("FAQLINT_RULE_BUDGET", "") or 20.0)
FIRST_RANGE = 256
MOST_EXACT_FALLBACKS = 16  # failing resources explained one at a time (each builds a context)


def _evaluate_kind(
    rule: CompiledRule,
    kind: str,
    resources: list[Resource],
    views: list[dict[str, Any]],
    tenant: str,
    context: Context,
    variables: dict[str, Any],
) -> list[Finding]:
    if len(resources) <= batch.FLAT:
        try:
            outcome = _batch(rule, kind).run(context)
        except CelError:  # some resource fails: find which, one at a time
            return [
                finding
                for resource, view in zip(resources, views, strict=True)
                for finding in _apply(
                    rule, resource, tenant, _resource_context(rule, variables, view)
                )
            ]
        return _findings(rule, resources, outcome, tenant)
    return _evaluate_ranges(rule, kind, resources, views, tenant, context, variables)


def _evaluate_ranges(
    rule: CompiledRule,
    kind: str,
    resources: list[Resource],
    views: list[dict[str, Any]],
    tenant: str,
    context: Context,
    variables: dict[str, Any],
) -> list[Finding]:
    """Many resources: ranges of growing size under the rule's budget (see BUDGET_SECONDS)."""
    findings: list[Finding] = []
    began = time.monotonic()
    start, size = 0, FIRST_RANGE
    exact = [MOST_EXACT_FALLBACKS]
    while start < len(resources):
        count = min(size, len(resources) - start)
        findings += _evaluate_range(
            rule, kind, resources, views, start, count, tenant, context, variables, exact
        )
        start += count
        spent = time.monotonic() - began
        pace = spent / start
        if start < len(resources) and spent + pace * (len(resources) - start) > BUDGET_SECONDS:
            findings.append(_over_budget(rule, resources[start], tenant, kind, start, resources))
            break
        size *= 4
    return findings


def _evaluate_range(
    rule: CompiledRule,
    kind: str,
    resources: list[Resource],
    views: list[dict[str, Any]],
    start: int,
    count: int,
    tenant: str,
    context: Context,
    variables: dict[str, Any],
    exact: list[int],
) -> list[Finding]:
    """One range; a range that fails is halved until the failing resources are found."""
    try:
        nested = batch.range_program(rule, kind, start, count).run(context)
        outcome = batch.flatten(nested, count)
    except (CelError, ValueError) as error:
        if count > 1:
            half = count // 2
            return _evaluate_range(
                rule, kind, resources, views, start, half, tenant, context, variables, exact
            ) + _evaluate_range(
                rule,
                kind,
                resources,
                views,
                start + half,
                count - half,
                tenant,
                context,
                variables,
                exact,
            )
        resource = resources[start]
        if exact[0] > 0:  # the reference path names the expression that failed
            exact[0] -= 1
            return list(
                _apply(rule, resource, tenant, _resource_context(rule, variables, views[start]))
            )
        return [_evaluation_error(rule, resource, tenant, str(error))]
    return _findings(rule, resources[start : start + count], outcome, tenant)


def _findings(
    rule: CompiledRule, resources: list[Resource], outcome: list[Any], tenant: str
) -> list[Finding]:
    findings: list[Finding] = []
    for resource, verdicts in zip(resources, outcome, strict=True):
        for verdict in verdicts:
            if verdict is not None:
                number, message_holes, at_holes = verdict
                validation = rule.validations[number]
                findings.append(
                    _finding(
                        rule,
                        validation,
                        resource,
                        tenant,
                        fill(validation.message, message_holes),
                        fill(validation.at, at_holes),
                    )
                )
    return findings


def _over_budget(
    rule: CompiledRule,
    resource: Resource,
    tenant: str,
    kind: str,
    checked: int,
    resources: list[Resource],
) -> Finding:
    return _evaluation_error(
        rule,
        resource,
        tenant,
        f"the rule would take more than its budget of {BUDGET_SECONDS:g} s on tenant "
        f"{tenant!r}: stopped after {checked} of {len(resources)} {kind} resources, the "
        f"{len(resources) - checked} from this one on are not checked (a rule that joins every "
        "resource of a large tenant to each one is quadratic; FAQLINT_RULE_BUDGET raises the "
        "budget)",
    )


_TENANT = re.compile(r"\btenant\b")


def _reads_tenant(rule: CompiledRule) -> bool:
    """Whether any expression of the rule may read `tenant` (a word match: a string that says
    "tenant" counts too, which only costs time)."""
    sources = [rule.rule.given.when or "", rule.rule.given.forEach or "", rule.rule.at]
    for validation in rule.rule.validations:
        sources += [validation.assert_, validation.message, validation.at or ""]
    return any(_TENANT.search(text) for text in sources)


def _resource_context(
    rule: CompiledRule, variables: dict[str, Any], view: dict[str, Any]
) -> Context:
    """The context of one resource. The backend converts every variable when a context is
    built, so `tenant` (every resource of a large tenant) is left out for a rule that never
    reads it: explaining one failing mailbox must not cost a copy of 78,000."""
    if not _reads_tenant(rule):
        variables = {name: value for name, value in variables.items() if name != "tenant"}
    return Context(
        {
            **variables,
            "spec": view["spec"],
            "metadata": view.get("metadata", {}),
            "resource": view,
        }
    )


def _apply(
    rule: CompiledRule, resource: Resource, tenant: str, context: Context
) -> Iterator[Finding]:
    try:
        if rule.when is not None and not _boolean(rule.when, context, "when"):
            return
        if rule.for_each is None:
            subjects: list[Any] = [None]
        else:
            subjects = _run(rule.for_each, context, "forEach")
            if not isinstance(subjects, list):
                raise _Failure(
                    "forEach", CelError(f"returned {type(subjects).__name__}, not a list")
                )
        for index, item in enumerate(subjects):
            if rule.for_each is not None:
                context.set("item", item)
                context.set("index", index)
            for validation in rule.validations:
                if not _boolean(validation.condition, context, "assert"):
                    message = render(validation.message, context, "message")
                    at = render(validation.at, context, "at")
                    yield _finding(rule, validation, resource, tenant, message, at)
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


def fill(template: Template, holes: list[Any]) -> str:
    """The template's text with its `{{ }}` holes replaced by values computed elsewhere."""
    values = iter(holes)
    return "".join(p if isinstance(p, str) else _text(next(values)) for p in template.parts)


def render(template: Template, context: Context, what: str) -> str:
    holes = [_run(p, context, what) for p in template.parts if isinstance(p, Program)]
    return fill(template, holes)


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
    message: str,
    at: str,
) -> Finding:
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=validation.severity or rule.severity,
        message=message,
        file=resource.file,
        document=resource.document,
        pointer=resource.pointer(at),
        tenant=tenant,
        kind=resource.kind,
        resource=resource.name,
        fix=rule.rule.fix.strip(),
    )


def _evaluation_error(rule: CompiledRule, resource: Resource, tenant: str, problem: str) -> Finding:
    origin = "built-in rule" if rule.builtin else f"rule from {rule.source}"
    return engine_finding(
        EVALUATION_ERROR,
        f"{origin} {rule.code} ({rule.name}) could not be evaluated on "
        f"{resource.kind} {resource.name!r}: {problem}",
        file=resource.file,
        document=resource.document,
        pointer=resource.root,
        tenant=tenant,
        kind=resource.kind,
        resource=resource.name,
    )
