"""A rule over all resources of a kind in one CEL execution means the same as one at a time."""

from __future__ import annotations

from pathlib import Path

from faqlint import batch
from faqlint.engine import evaluate
from faqlint.identify import Resource
from faqlint.policy import load_policies
from faqlint.tenants import Tenant

PACK = """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {name: custom}
rules:
  - code: XX001
    name: regions
    severity: error
    summary: s
    faq: q
    rationale: r
    fix: f
    given:
      kinds: [Tenant]
      when: "spec.cloud != 'China21Vianet'"
      forEach: spec.mailboxRegions
    at: /spec/mailboxRegions/{{ index }}
    validations:
      - assert: "item != 'EUR'"
        message: "{{ resource.name }} region {{ index }} is {{ item }}"
      - assert: "size(item) == 3"
        message: "{{ item }} is not a region code"
        severity: warning
    examples:
      fail:
        - resources:
            - {apiVersion: faqlint/v1, kind: Tenant, metadata: {name: a}, spec: {cloud: GCC}}
      pass:
        - resources:
            - {apiVersion: faqlint/v1, kind: Tenant, metadata: {name: a}, spec: {cloud: GCC}}
"""


def _policies(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "rules.yaml").write_text(PACK)
    return load_policies([tmp_path], builtin_count=0)


def _tenant(*specs: dict[str, object]) -> Tenant:
    return Tenant(
        "t",
        tuple(
            Resource(
                kind="Tenant",
                name=f"r{i}",
                file="t.yaml",
                document=i + 1,
                spec=spec,
                metadata={"name": f"r{i}"},
            )
            for i, spec in enumerate(specs)
        ),
    )


def test_one_program_binds_what_a_rule_sees(tmp_path: Path) -> None:
    (rule,) = _policies(tmp_path).rules
    source = batch.source(rule, "Tenant")
    assert source.startswith('tenant["Tenant"].map(resource, ')
    assert "indexed(spec.mailboxRegions)" in source


def test_items_indexes_messages_and_severities_per_resource(tmp_path: Path) -> None:
    policies = _policies(tmp_path)
    findings = evaluate(
        _tenant(
            {"cloud": "GCC", "mailboxRegions": ["NAM", "EUR", "APAC"]},
            {"cloud": "China21Vianet", "mailboxRegions": ["EUR"]},  # `when` is false
            {"cloud": "GCC", "mailboxRegions": []},
        ),
        policies,
        {"Tenant"},
        policies.rules,
    )
    assert [(f.resource, f.pointer, f.message, str(f.severity)) for f in findings] == [
        ("r0", "/spec/mailboxRegions/1", "r0 region 1 is EUR", "error"),
        ("r0", "/spec/mailboxRegions/2", "APAC is not a region code", "warning"),
    ]


def test_a_resource_that_breaks_the_rule_does_not_hide_the_others(tmp_path: Path) -> None:
    policies = _policies(tmp_path)
    findings = evaluate(
        _tenant(
            {"cloud": "GCC", "mailboxRegions": ["EUR"]},
            {"cloud": "GCC"},  # no mailboxRegions: this resource cannot be evaluated
        ),
        policies,
        {"Tenant"},
        policies.rules,
    )
    assert [(f.code, f.resource) for f in findings] == [("XX001", "r0"), ("FL009", "r1")]
    assert "mailboxRegions" in findings[1].message
