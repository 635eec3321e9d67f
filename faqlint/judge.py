"""The rules' verdicts on the tenants a run reports, from the cache where their inputs did not
change.

A tenant's verdict (its rules' findings, its duplicates, its kinds) is kept under the bytes of
its files and which of their resources it holds: an unchanged tenant is not even decoded. When
it changed, each group of rules that read the same kinds (`faqlint.sight`) is looked up under
the resources of those kinds: an edit to a mailbox evaluates the rules that can see mailboxes,
not the proxy rules. What is evaluated is recorded, but never a rule that failed or ran out of
its time budget (FL009): that depends on the machine and the moment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from faqlint.findings import Finding
from faqlint.policy import CompiledRule
from faqlint.results import Verdict
from faqlint.runfiles import Members, Reported, RunFiles
from faqlint.tenants import Tenant, arrange

# Evaluates each tenant with the rules of the given codes (across worker processes).
Evaluator = Callable[[Sequence[tuple[Tenant, frozenset[str]]]], list[list[Finding]]]
RuleGroup = tuple[frozenset[str] | None, tuple[str, ...]]  # kinds the rules read, their codes


@dataclass(frozen=True)
class Judged:
    findings: list[Finding]  # the rules' findings and the duplicates (FL005)
    kinds: dict[str, frozenset[str]]  # tenant -> the kinds of its resources


def judge(
    reported: Sequence[Reported],
    rules: Sequence[CompiledRule],
    files: RunFiles,
    evaluate: Evaluator,
) -> Judged:
    """The verdict on each reported tenant: reused under its files' bytes, else arranged from
    its members (duplicates) and judged by its rules (`_rule_findings`), and recorded."""
    cache = files.cache
    keys = [cache.parts_key(t.name, t.parts) if cache is not None else None for t in reported]
    known = cache.verdicts(keys) if cache is not None else {}
    missing = [i for i, key in enumerate(keys) if key is None or key not in known]
    files.heads(sorted({d for i in missing for d, _ in reported[i].parts}))  # decoded together
    arranged = [arrange(reported[i].name, files.members(reported[i])) for i in missing]
    found = _rule_findings([a for a, _ in arranged], rules, files, evaluate)
    fresh: dict[int, Verdict] = {}
    for i, ((_, members), duplicates), (rule_findings, settled) in zip(
        missing, arranged, found, strict=True
    ):
        verdict = Verdict(rule_findings, list(duplicates), frozenset(h.kind for h in members))
        fresh[i] = verdict
        if settled and cache is not None:
            cache.put_verdict(keys[i], verdict)
    findings: list[Finding] = []
    kinds: dict[str, frozenset[str]] = {}
    for i, tenant in enumerate(reported):
        key = keys[i]
        verdict = fresh[i] if i in fresh or key is None else known[key]
        findings += verdict.findings + verdict.duplicates
        kinds[tenant.name] = verdict.kinds
    return Judged(findings, kinds)


def _rule_findings(
    tenants: Sequence[tuple[str, Members]],
    rules: Sequence[CompiledRule],
    files: RunFiles,
    evaluate: Evaluator,
) -> list[tuple[list[Finding], bool]]:
    """Each tenant's rule findings, and whether they are settled (no rule failed): from the
    cache by the resources each group of rules can read, else evaluated."""
    cache = files.cache
    every = frozenset(r.code for r in rules)
    if cache is None:
        work = [(files.tenant(n, ms), every) for n, ms in tenants]
        return [(found, all(f.code in every for f in found)) for found in evaluate(work)]
    groups = _rule_groups(rules)
    group_keys = [
        [cache.rules_key(n, ms, kinds, codes) for kinds, codes in groups] for n, ms in tenants
    ]
    known = cache.tenants([k for keys in group_keys for k in keys])
    plans = [
        frozenset(
            code
            for (_, codes), key in zip(groups, keys, strict=True)
            if key is None or key not in known
            for code in codes
        )
        for keys in group_keys
    ]
    to_evaluate = [i for i, codes in enumerate(plans) if codes]
    work = [(files.tenant(*tenants[i]), plans[i]) for i in to_evaluate]
    evaluated = dict(zip(to_evaluate, evaluate(work), strict=True))
    out: list[tuple[list[Finding], bool]] = []
    for i, keys in enumerate(group_keys):
        fresh = evaluated.get(i, [])
        unsettled = [f for f in fresh if f.code not in every]  # FL009: never recorded
        by_code: dict[str, list[Finding]] = {}
        for (_, codes), key in zip(groups, keys, strict=True):
            cached = key is not None and key in known
            part = (
                known[key] if cached and key is not None else [f for f in fresh if f.code in codes]
            )
            if not cached and not unsettled:
                cache.put_tenant(key, part)
            for finding in part:
                by_code.setdefault(finding.code, []).append(finding)
        together = [f for r in rules for f in by_code.get(r.code, [])]
        out.append((together + unsettled, not unsettled))
    return out


def _rule_groups(rules: Sequence[CompiledRule]) -> list[RuleGroup]:
    """The rules grouped by the kinds they can read, in the rules' order."""
    from faqlint.sight import sight_of

    groups: dict[frozenset[str] | None, list[str]] = {}
    for rule in rules:
        groups.setdefault(sight_of(rule).kinds, []).append(rule.code)
    return [(kinds, tuple(codes)) for kinds, codes in groups.items()]
