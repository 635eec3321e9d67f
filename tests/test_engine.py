"""The engine on small custom packs: what rules see, what findings they make, how they fail."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from faqlint import engine
from faqlint.engine import evaluate
from faqlint.findings import Severity
from faqlint.identify import Resource
from faqlint.policy import PolicyError, load_policies
from faqlint.resources import builtin_policies
from faqlint.tenants import Tenant

RULE = """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {{name: custom}}
rules:
  - code: XX001
    name: custom-rule
    severity: warning
    summary: s
    faq: q
    rationale: r
    fix: f
    given: {given}
    at: {at}
    validations: {validations}
    examples:
      fail:
        - resources:
            - {{apiVersion: faqlint/v1, kind: Tenant, metadata: {{name: a}}, spec: {{cloud: GCC}}}}
      pass:
        - resources:
            - {{apiVersion: faqlint/v1, kind: Tenant, metadata: {{name: a}}, spec: {{cloud: GCC}}}}
"""


def pack(tmp_path: Path, given: str, validations: str, at: str = "/spec") -> Path:
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    (folder / "rules.yaml").write_text(
        RULE.format(given=given, validations=validations, at=at), encoding="utf-8"
    )
    return folder


def resource(kind: str, name: str, spec: dict, file: str = "t.yaml") -> Resource:
    return Resource(kind=kind, name=name, file=file, document=1, spec=spec, metadata={"name": name})


def run(tmp_path: Path, given: str, validations: str, *resources: Resource, at: str = "/spec"):
    policies = load_policies([pack(tmp_path, given, validations, at)], builtin_count=0)
    tenant = Tenant("t", tuple(resources))
    kinds = frozenset({"Tenant", "NetworkConfiguration"})
    return evaluate(tenant, policies, kinds, policies.rules)


def test_assert_false_makes_a_finding_with_rendered_message_and_pointer(tmp_path: Path) -> None:
    (finding,) = run(
        tmp_path,
        "{kinds: [Tenant]}",
        "[{assert: \"spec.cloud == 'Commercial'\", message: 'cloud is {{ spec.cloud }}'}]",
        resource("Tenant", "a", {"cloud": "GCC"}),
        at="/spec/cloud",
    )
    assert (finding.code, finding.message, finding.pointer) == (
        "XX001",
        "cloud is GCC",
        "/spec/cloud",
    )
    assert finding.severity is Severity.WARNING
    assert (finding.tenant, finding.kind, finding.resource) == ("t", "Tenant", "a")


def test_when_narrows_and_for_each_iterates_with_index(tmp_path: Path) -> None:
    findings = run(
        tmp_path,
        "{kinds: [Tenant], when: 'has(spec.mailboxRegions)', forEach: 'spec.mailboxRegions'}",
        "[{assert: \"item != 'EUR'\", message: 'region {{ index }} is {{ item }}',"
        " at: '/spec/mailboxRegions/{{ index }}'}]",
        resource("Tenant", "a", {"cloud": "GCC", "mailboxRegions": ["NAM", "EUR"]}),
        resource("Tenant", "b", {"cloud": "GCC"}),
    )
    assert [(f.resource, f.message, f.pointer) for f in findings] == [
        ("a", "region 1 is EUR", "/spec/mailboxRegions/1")
    ]


def test_first_failing_validation_explains_and_may_override_severity(tmp_path: Path) -> None:
    (finding,) = run(
        tmp_path,
        "{kinds: [Tenant]}",
        "[{assert: 'false', message: first, severity: info}, {assert: 'false', message: second}]",
        resource("Tenant", "a", {"cloud": "GCC"}),
    )
    assert (finding.message, finding.severity) == ("first", Severity.INFO)


def test_rules_join_resources_through_the_tenant(tmp_path: Path) -> None:
    findings = run(
        tmp_path,
        "{kinds: [NetworkConfiguration]}",
        "[{assert: \"!tenant.Tenant.exists(t, t.spec.cloud == 'GCC')\","
        " message: 'in {{ tenant.Tenant[0].name }}'}]",
        resource("Tenant", "gov", {"cloud": "GCC"}),
        resource("NetworkConfiguration", "net", {}),
    )
    assert [(f.kind, f.message) for f in findings] == [("NetworkConfiguration", "in gov")]


def test_resource_fields_are_given_where_an_expression_names_them(tmp_path: Path) -> None:
    """The engine gives expressions only the resource fields (besides `spec`) that some
    expression names: the rest would only cost conversion. Prose around a template's holes
    names nothing."""
    (finding,) = run(
        tmp_path,
        "{kinds: [Tenant]}",
        "[{assert: 'false', message: 'the file {{ resource.file }} of {{ metadata.name }}'}]",
        resource("Tenant", "a", {"cloud": "GCC"}, file="tenants/a.yaml"),
    )
    assert finding.message == "the file tenants/a.yaml of a"
    policies = load_policies(
        [pack(tmp_path, "{kinds: [Tenant]}", "[{assert: 'false', message: 'the PAC file'}]")],
        builtin_count=0,
    )
    assert engine._fields_read(tuple(policies.rules)) == frozenset()
    assert engine._fields_read(tuple(load_policies([builtin_policies()]).rules)) >= {"kind", "name"}


def test_a_rule_over_two_kinds_is_one_program_and_reports_kind_after_kind(
    tmp_path: Path,
) -> None:
    engine._KINDS_BATCHES.clear()
    findings = run(
        tmp_path,
        "{kinds: [NetworkConfiguration, Tenant]}",
        "[{assert: 'false', message: '{{ resource.kind }} {{ resource.name }}'}]",
        resource("Tenant", "a", {"cloud": "GCC"}),
        resource("NetworkConfiguration", "net", {}),
    )
    assert [f.message for f in findings] == ["NetworkConfiguration net", "Tenant a"]
    assert len(engine._KINDS_BATCHES) == 1


def test_a_rule_over_two_kinds_that_fails_on_one_resource_names_that_resource(
    tmp_path: Path,
) -> None:
    (finding,) = run(
        tmp_path,
        "{kinds: [Tenant, NetworkConfiguration]}",
        "[{assert: 'spec.x == 1', message: m}]",
        resource("Tenant", "a", {"x": 1}),
        resource("NetworkConfiguration", "net", {}),
    )
    assert (finding.code, finding.resource) == ("FL009", "net")
    assert "no such key: x" in finding.message


def test_nulls_mean_not_set(tmp_path: Path) -> None:
    findings = run(
        tmp_path,
        "{kinds: [Tenant]}",
        "[{assert: '!has(spec.hybrid)', message: m}]",
        resource("Tenant", "a", {"cloud": "GCC", "hybrid": None}),
    )
    assert findings == []


@pytest.mark.parametrize(
    ("given", "validations", "problem"),
    [
        ("{kinds: [Tenant]}", "[{assert: 'spec.missing', message: m}]", "no such key: missing"),
        ("{kinds: [Tenant]}", "[{assert: '1', message: m}]", "not true or false"),
        (
            "{kinds: [Tenant], forEach: 'spec.cloud'}",
            "[{assert: 'true', message: m}]",
            "not a list",
        ),
        ("{kinds: [Tenant]}", "[{assert: 'false', message: '{{ spec.nope }}'}]", "no such key"),
    ],
)
def test_evaluation_errors_are_findings_naming_rule_and_resource(
    tmp_path: Path, given: str, validations: str, problem: str
) -> None:
    (finding,) = run(tmp_path, given, validations, resource("Tenant", "a", {"cloud": "GCC"}))
    assert finding.code == "FL009"
    assert "XX001" in finding.message and "'a'" in finding.message and problem in finding.message
    assert "rule from" in finding.message  # custom rules name their pack file


@pytest.mark.parametrize(
    ("validations", "error"),
    [
        ("[{assert: 'spec.(', message: m}]", "does not compile"),
        (
            "[{assert: 'true', message: m, colour: red}]",
            "unknown key 'colour' in rules.0.validations.0",
        ),
        ("[]", "at least 1 item"),
    ],
)
def test_broken_packs_are_one_line_errors(tmp_path: Path, validations: str, error: str) -> None:
    with pytest.raises(PolicyError, match=error):
        load_policies([pack(tmp_path, "{kinds: [Tenant]}", validations)], builtin_count=0)


def test_a_custom_pack_cannot_redefine_a_builtin_code(tmp_path: Path) -> None:
    folder = pack(tmp_path, "{kinds: [Tenant]}", "[{assert: 'true', message: m}]")
    text = (folder / "rules.yaml").read_text().replace("XX001", "OM202")
    (folder / "rules.yaml").write_text(text)
    with pytest.raises(PolicyError, match="already defined"):
        load_policies([builtin_policies(), folder])


def test_a_file_name_or_value_that_is_not_unicode_is_checked_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name with a byte that is not UTF-8 reaches the rules as `resource.file`; the backend
    refuses lone surrogates, so they reach it as U+FFFD."""
    from faqlint.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / ".cache"))
    mailbox = (
        '{"apiVersion": "faqlint/v1", "kind": "CASMailbox", "metadata": {"name": "a"}, '
        '"spec": {"Identity": "adele", "EwsEnabled": false}}'
    )
    with open(os.fsencode(tmp_path) + b"/mailbox\xff.json", "w") as handle:
        handle.write(mailbox)
    assert main(["check", ".", "--format", "json"]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["code"] == "OM201" and finding["file"] == "mailbox\ufffd.json"
