"""A rule over all resources of a kind in one CEL execution means the same as one at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from manifests import PACK_HEAD, RULE_HEAD

from faqlint import batch
from faqlint.cel import CelError
from faqlint.engine import evaluate
from faqlint.identify import Resource
from faqlint.policy import load_policies
from faqlint.tenants import Tenant

PACK = (
    PACK_HEAD.format(name="custom")
    + RULE_HEAD.format(code="XX001", name="regions")
    + """\
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
)


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
    # plain elements and `index` read: the indexes come from Python, the elements by index
    assert "faqlint_indexes(size(faqlint_list)).map(index, [faqlint_list[index]]" in source


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
    (rule,) = policies.rules
    alone = [
        finding
        for resource in _tenant(
            {"cloud": "GCC", "mailboxRegions": ["NAM", "EUR", "APAC"]}
        ).resources
        for finding in _reference(rule, resource, policies)
    ]
    assert [(f.pointer, f.message) for f in alone] == [(f.pointer, f.message) for f in findings]


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


def _many(count: int) -> Tenant:
    """`count` resources: every seventh has EUR (a finding), every eleventh no regions (FL009)."""
    specs: list[dict[str, object]] = []
    for i in range(count):
        if i % 11 == 5:
            specs.append({"cloud": "GCC"})
        else:
            specs.append({"cloud": "GCC", "mailboxRegions": ["EUR" if i % 7 == 0 else "NAM"]})
    return _tenant(*specs)


def test_many_resources_are_walked_in_ranges_with_the_same_findings(tmp_path: Path) -> None:
    from faqlint import engine

    policies = _policies(tmp_path)
    count = 300  # more than FLAT: ranges of 256 and 44, as trees of small comprehensions
    tenant = _many(count)
    ranged = evaluate(tenant, policies, {"Tenant"}, policies.rules)
    one_by_one = [
        finding
        for resource in tenant.resources
        for finding in evaluate(Tenant("t", (resource,)), policies, {"Tenant"}, policies.rules)
    ]
    assert count > batch.FLAT and count > engine.FIRST_RANGE
    assert [(f.code, f.resource, f.message) for f in ranged if f.code != "FL009"] == [
        (f.code, f.resource, f.message) for f in one_by_one if f.code != "FL009"
    ]
    failing = [f.resource for f in ranged if f.code == "FL009"]
    assert failing == [f"r{i}" for i in range(count) if i % 11 == 5]


def test_a_range_program_returns_one_result_per_resource(tmp_path: Path) -> None:
    (rule,) = _policies(tmp_path).rules
    for count in (1, 16, 17, 256, 257, 1000):
        source = batch.range_source(rule, "Tenant", 5, count)
        assert source.count(".map(faqlint_o") == batch._depth(count)
    assert batch.flatten([["a"], ["b"], ["c"], None], 3) == [["a"], ["b"], ["c"]]
    two_levels = [[[str(i)] for i in range(16)], [["16"], *[None] * 15], *[None] * 14]
    assert batch.flatten(two_levels, 17) == [[str(i)] for i in range(17)]


def test_a_rule_over_its_budget_stops_with_one_fl009(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faqlint import engine

    monkeypatch.setattr(engine, "BUDGET_SECONDS", 0.0)  # any time spent is over it
    policies = _policies(tmp_path)
    findings = evaluate(_many(300), policies, {"Tenant"}, policies.rules)
    over = [f for f in findings if "more than its budget" in f.message]
    assert len(over) == 1
    assert over[0].code == "FL009" and over[0].resource == f"r{engine.FIRST_RANGE}"
    assert f"stopped after {engine.FIRST_RANGE} of 300 Tenant resources" in over[0].message
    assert all(int(f.resource[1:]) < engine.FIRST_RANGE for f in findings if f not in over)


def _pack_with(given: str, assertion: str, message: str) -> str:
    """PACK with another rule body: `given` and one validation."""
    head, _, _ = PACK.partition("    given:")
    return (
        f"{head}    given:\n{given}"
        f"    validations:\n      - assert: {assertion}\n        message: {message}\n"
        "    examples:" + PACK.partition("    examples:")[2]
    )


@pytest.mark.parametrize(
    ("for_each", "direct"),
    [
        ("spec.mailboxRegions", True),
        ("spec.mailboxRegions.map(r, uint(size(r)))", False),  # a uint comes back an int
        ("spec.mailboxRegions.map(r, type(r))", False),  # a type does not go to Python
        ("spec.mailboxRegions.map(r, b'x')", False),
    ],
)
def test_for_each_elements_bound_as_they_are_mean_the_same(
    tmp_path: Path, for_each: str, direct: bool
) -> None:
    """Without `index`, plain elements are bound directly; the per-resource path (one resource
    at a time, after the batch failed) is the reference either way."""
    given = f'      kinds: [Tenant]\n      forEach: "{for_each}"\n'
    pack = _pack_with(given, "\"string(item) != 'EUR'\"", '"{{ item }} is {{ resource.name }}"')
    (tmp_path / "rules.yaml").write_text(pack)
    policies = load_policies([tmp_path], builtin_count=0)
    (rule,) = policies.rules
    assert ("faqlint_list" in batch.source(rule, "Tenant")) is direct
    specs = (
        {"mailboxRegions": ["NAM", "EUR"]},
        {"mailboxRegions": "EUR"},  # not a list: FL009 as the reference path says it
        {"mailboxRegions": []},
    )
    together = evaluate(_tenant(*specs), policies, {"Tenant"}, policies.rules)
    alone = [
        finding
        for resource in _tenant(*specs).resources
        for finding in _reference(rule, resource, policies)
    ]
    assert [(f.code, f.resource, f.message) for f in together] == [
        (f.code, f.resource, f.message) for f in alone
    ]
    if direct:
        assert [(f.code, f.resource) for f in together] == [("XX001", "r0"), ("FL009", "r1")]
        assert "returned str, not a list" in together[1].message


def _reference(rule, resource, policies):  # type: ignore[no-untyped-def]
    from faqlint import engine

    variables = {
        "tenant": {"Tenant": [engine._view(resource, "t", engine.EVERY_FIELD)]},
        "data": policies.data,
    }
    view = variables["tenant"]["Tenant"][0]
    return list(engine._apply(rule, resource, "t", engine._resource_context(rule, variables, view)))


def test_spec_and_metadata_are_bound_only_for_a_rule_that_reads_them(tmp_path: Path) -> None:
    (rule,) = _policies(tmp_path).rules
    source = batch.source(rule, "Tenant")
    assert "map(spec," in source and "map(metadata," not in source


SHARED = PACK_HEAD.format(name="shared")


def _rule(code: str, assertion: str) -> str:
    return (
        RULE_HEAD.format(code=code, name=f"rule-{code.lower()}")
        + "    given: {kinds: [Tenant], when: \"spec.cloud != 'China21Vianet'\"}\n"
        f"    validations:\n      - assert: {assertion}\n"
        f'        message: "{code} {{{{ resource.name }}}} {{{{ spec.cloud }}}}"\n'
        "    examples:\n"
        "      fail: [{resources: [{apiVersion: faqlint/v1, kind: Tenant, metadata: {name: a}}]}]\n"
        "      pass: [{resources: [{apiVersion: faqlint/v1, kind: Tenant, metadata: {name: a}}]}]\n"
    )


def test_rules_that_share_their_when_mean_what_each_means_alone(tmp_path: Path) -> None:
    """One program tests the shared `when` once; a rule that fails on some resource takes the
    others back to their own programs, and the findings are those of each rule alone."""
    pack = (
        SHARED
        + _rule("XX001", "\"spec.cloud != 'GCC'\"")
        + _rule("XX002", '"size(spec.cloud) > 3"')
    )
    pack += _rule("XX003", "spec.regions.size() > 0")  # fails where there are no regions
    (tmp_path / "rules.yaml").write_text(pack)
    policies = load_policies([tmp_path], builtin_count=0)
    ((kind, members),) = batch.shared_when(list(policies.rules))
    assert kind == "Tenant" and [r.code for r in members] == ["XX001", "XX002", "XX003"]
    for specs in (
        (
            {"cloud": "GCC", "regions": [1]},
            {"cloud": "China21Vianet"},
            {"cloud": "USGov", "regions": []},
        ),
        ({"cloud": "GCC", "regions": [1]}, {"cloud": "USGov"}),  # XX003 cannot be evaluated on r1
    ):
        together = evaluate(_tenant(*specs), policies, {"Tenant"}, policies.rules)
        apart = [
            finding
            for rule in policies.rules
            for finding in evaluate(_tenant(*specs), policies, {"Tenant"}, [rule])
        ]
        assert [(f.code, f.resource, f.message) for f in together] == [
            (f.code, f.resource, f.message) for f in apart
        ]
        assert together


def test_rules_too_large_together_for_one_program_are_evaluated_one_by_one(
    tmp_path: Path,
) -> None:
    """Three rules that share their `when` make one program; when that program would be too large
    to compile, each rule is evaluated on its own, with the same findings."""
    from faqlint.cel import MAX_OPERATORS

    long_sum = " + ".join(["1"] * (MAX_OPERATORS // 2))  # each rule alone is within the limit
    pack = SHARED + "".join(
        _rule(code, f'"size(spec.cloud) > 3 || ({long_sum}) < 0"')
        for code in ("XX001", "XX002", "XX003")
    )
    (tmp_path / "rules.yaml").write_text(pack)
    policies = load_policies([tmp_path], builtin_count=0)
    assert len(batch.shared_when(list(policies.rules))) == 1
    with pytest.raises(CelError, match="operators"):
        batch.shared_when_program(list(policies.rules), "Tenant")
    tenant = _tenant({"cloud": "GCC"}, {"cloud": "AzureCloud"}, {"cloud": "China21Vianet"})
    from faqlint import engine

    engine.prepare(policies.rules)  # the program for the three does not compile: no error
    together = evaluate(tenant, policies, {"Tenant"}, policies.rules)
    alone = [f for rule in policies.rules for f in evaluate(tenant, policies, {"Tenant"}, [rule])]
    assert sorted((f.code, f.resource) for f in together) == [
        ("XX001", "r0"),
        ("XX002", "r0"),
        ("XX003", "r0"),
    ]
    assert sorted((f.code, f.resource, f.message) for f in together) == sorted(
        (f.code, f.resource, f.message) for f in alone
    )
