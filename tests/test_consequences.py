"""Rule findings around a value that failed its schema (FL002) are right or held back
(faqlint.consequences): a finding stays only if it holds for every value that could have been
meant, and the FL002 names the rules whose verdict waits for the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.consequences import _alternatives
from faqlint.enums import schema_at
from faqlint.schema import load_schemas

ORG = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata: {name: org}
spec:
"""


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> list[dict[str, str]]:
    (tmp_path / "tenant.yaml").write_text(text, encoding="utf-8")
    main(["check", "--format", "json", str(tmp_path / "tenant.yaml")])
    return json.loads(capsys.readouterr().out)["findings"]


def codes(findings: list[dict[str, str]]) -> list[str]:
    return sorted(f["code"] for f in findings)


def test_a_verdict_that_depends_on_the_broken_value_waits_for_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OM204 would say the allow list is ignored: false for the EnforceAllowList meant."""
    found = check(
        tmp_path,
        capsys,
        ORG + '  EwsApplicationAccessPolicy: EnforceAlowList\n  EwsAllowList: ["Outlook-*"]\n',
    )
    assert codes(found) == ["FL002"]
    assert found[0]["message"].endswith(
        "did you mean 'EnforceAllowList'?; what OM204 would say depends on this, so it "
        "waits for the fix"
    )


def test_a_verdict_that_holds_whatever_was_meant_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """EwsEnabled false blocks Outlook whatever the broken policy was meant to be."""
    found = check(
        tmp_path,
        capsys,
        ORG + "  EwsApplicationAccessPolicy: EnforceAlowList\n  EwsEnabled: false\n",
    )
    assert codes(found) == ["FL002", "OM201"]
    assert "depends on this" not in next(f for f in found if f["code"] == "FL002")["message"]


def test_a_broken_value_in_another_resource_holds_back_a_verdict_that_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Allow rule OM211 looks for is there, its AccessLevel misspelt: the rule waits."""
    text = """\
apiVersion: faqlint/v1
kind: ActiveSyncOrganizationSettings
metadata: {name: activesync}
spec: {DefaultAccessLevel: Block}
---
apiVersion: faqlint/v1
kind: ActiveSyncDeviceAccessRule
metadata: {name: allow-outlook}
spec: {Characteristic: DeviceModel, QueryString: Outlook for iOS and Android, AccessLevel: Alow}
"""
    found = check(tmp_path, capsys, text)
    assert codes(found) == ["FL002"]
    assert "what OM211 would say depends on this" in found[0]["message"]


def test_a_missing_required_value_holds_back_a_verdict_that_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Allow rule OM211 looks for lacks its AccessLevel: Allow may be what was meant."""
    text = """\
apiVersion: faqlint/v1
kind: ActiveSyncOrganizationSettings
metadata: {name: activesync}
spec: {DefaultAccessLevel: Block}
---
apiVersion: faqlint/v1
kind: ActiveSyncDeviceAccessRule
metadata: {name: allow-outlook}
spec: {Characteristic: DeviceModel, QueryString: Outlook for iOS and Android}
"""
    found = check(tmp_path, capsys, text)
    assert codes(found) == ["FL002"]
    assert found[0]["message"] == (
        "missing required key 'AccessLevel' in spec; what OM211 would say depends on this, "
        "so it waits for the fix"
    )


def test_a_broken_value_the_verdict_does_not_read_leaves_it_standing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rule for another device, whatever its AccessLevel, never admits Outlook: OM211 holds."""
    text = """\
apiVersion: faqlint/v1
kind: ActiveSyncOrganizationSettings
metadata: {name: activesync}
spec: {DefaultAccessLevel: Block}
---
apiVersion: faqlint/v1
kind: ActiveSyncDeviceAccessRule
metadata: {name: legacy}
spec: {Characteristic: DeviceModel, QueryString: Legacy Phone 3000, AccessLevel: Alow}
"""
    assert codes(check(tmp_path, capsys, text)) == ["FL002", "OM211"]


def test_a_misspelt_key_is_judged_as_the_key_it_resembles_or_not_at_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OM202 would call the allow list empty; the list under a misspelt key admits Outlook."""
    found = check(
        tmp_path,
        capsys,
        ORG
        + "  EwsApplicationAccessPolicy: EnforceAllowList\n"
        + '  EwsAlowList: ["Outlook-iOS/*", "Outlook-Android/*"]\n',
    )
    assert codes(found) == ["FL002"]
    assert "did you mean 'EwsAllowList'?; what OM202 would say" in found[0]["message"]


def test_the_values_that_could_have_been_meant() -> None:
    """An enum's values (null included where allowed); else a value of each type allowed."""
    schema = load_schemas()["ExchangeOrganizationConfig"].schema
    policy = schema_at(schema, ("EwsApplicationAccessPolicy",))
    assert _alternatives(policy, schema, "x") == ("EnforceAllowList", "EnforceBlockList", None)
    enabled = schema_at(schema, ("EwsEnabled",))
    assert _alternatives(enabled, schema, "no") == (True, False, None)
    allow = schema_at(schema, ("EwsAllowList",))
    assert _alternatives(allow, schema, 5) == ([], None)


def test_without_a_schema_finding_every_verdict_stands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = check(
        tmp_path,
        capsys,
        ORG + '  EwsApplicationAccessPolicy: EnforceBlockList\n  EwsAllowList: ["Outlook-*"]\n',
    )
    assert codes(found) == ["OM204"]
