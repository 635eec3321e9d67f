"""Run a rule's own examples: every failing example must yield the rule's finding (at the
pointers it expects), every passing one none. The test suite runs this for every built-in rule,
and `faqlint test-policies` for an admin's own packs."""

from __future__ import annotations

from dataclasses import dataclass

from faqlint.engine import evaluate
from faqlint.identify import identify
from faqlint.loaded import Document, LoadedFile
from faqlint.policy import CompiledRule, Example
from faqlint.run import Catalogue
from faqlint.schema import validate
from faqlint.tenants import group
from faqlint.values import read_as_service


@dataclass(frozen=True)
class ExampleOutcome:
    rule: str
    verdict: str  # "fail" or "pass": what the example claims
    number: int
    problem: str | None  # None when the example behaves as it claims


def pointers_for(
    rule: CompiledRule, example: Example, catalogue: Catalogue
) -> tuple[list[str], list[str]]:
    """(pointers of the rule's findings, other problems such as schema violations)."""
    file = f"examples-of-{rule.code}.yaml"
    loaded = LoadedFile(
        file, tuple(Document(i, doc) for i, doc in enumerate(example.resources, 1)), (), False
    )
    identified = identify(loaded, catalogue.kinds)
    problems = [f"{f.code}: {f.message}" for f in identified.findings]
    documents = {d.index: d.data for d in loaded.documents}
    resources = [read_as_service(r, catalogue.schemas)[0] for r in identified.resources]
    for resource in resources:
        problems += [
            f"document {f.document} {f.pointer}: {f.message}"
            for f in validate(resource, documents[resource.document], catalogue.schemas)
        ]
    tenants, _ = group(resources)
    pointers: list[str] = []
    for tenant in tenants:
        for finding in evaluate(tenant, catalogue.policies, catalogue.kinds, [rule]):
            if finding.code != rule.code:
                problems.append(f"{finding.code}: {finding.message}")
            else:
                pointers.append(finding.pointer)
    return pointers, problems


def check_examples(rule: CompiledRule, catalogue: Catalogue) -> list[ExampleOutcome]:
    outcomes: list[ExampleOutcome] = []
    for verdict, examples in (
        ("fail", rule.rule.examples.fail),
        ("pass", rule.rule.examples.pass_),
    ):
        for number, example in enumerate(examples, start=1):
            pointers, problems = pointers_for(rule, example, catalogue)
            problem: str | None = None
            if problems:
                problem = "; ".join(problems)
            elif verdict == "fail" and not pointers:
                problem = f"expected a {rule.code} finding, got none"
            elif (
                verdict == "fail"
                and example.expect is not None
                and sorted(pointers) != sorted(example.expect)
            ):
                problem = f"expected findings at {sorted(example.expect)}, got {sorted(pointers)}"
            elif verdict == "pass" and pointers:
                problem = f"expected no {rule.code} finding, got {len(pointers)} at {pointers}"
            outcomes.append(ExampleOutcome(rule.code, verdict, number, problem))
    return outcomes
