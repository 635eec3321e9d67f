"""Values read as the service behind their kind reads them (faqlint.values): Exchange's kinds
take enum values and keys in any case and "True"/"False" for booleans; Graph's kinds do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faqlint.cli import main
from faqlint.identify import Resource
from faqlint.schema import load_schemas
from faqlint.values import read_as_service

POLICY = "EwsApplicationAccessPolicy"


def resource(kind: str, spec: Any, **where: Any) -> Resource:
    return Resource(kind=kind, name="r", file="f.yaml", document=1, spec=spec, **where)


def read(kind: str, spec: Any, **where: Any) -> tuple[Any, list[tuple[str, str, str]]]:
    found, findings = read_as_service(resource(kind, spec, **where), load_schemas())
    return found.spec, [(f.code, f.pointer, f.message) for f in findings]


@pytest.mark.parametrize(
    ("kind", "key", "written", "documented"),
    [
        ("ExchangeOrganizationConfig", POLICY, "enforceAllowList", "EnforceAllowList"),
        ("CASMailbox", POLICY, "ENFORCEBLOCKLIST", "EnforceBlockList"),
        ("ActiveSyncOrganizationSettings", "DefaultAccessLevel", "quarantine", "Quarantine"),
        ("ActiveSyncDeviceAccessRule", "Characteristic", "devicemodel", "DeviceModel"),
        ("ActiveSyncDeviceAccessRule", "AccessLevel", "block", "Block"),
    ],
)
def test_exchange_enum_values_in_any_case_take_the_documented_spelling(
    kind: str, key: str, written: str, documented: str
) -> None:
    spec, findings = read(kind, {key: written})
    assert spec == {key: documented}
    assert findings == [
        (
            "FL013",
            f"/spec/{key}",
            f"spec.{key}: Exchange reads {written!r} as {documented!r}; write {documented!r}",
        )
    ]


def test_documented_spellings_are_left_alone_and_say_nothing() -> None:
    spec = {"EwsApplicationAccessPolicy": "EnforceAllowList", "EwsEnabled": True}
    found = resource("ExchangeOrganizationConfig", spec)
    read_back, findings = read_as_service(found, load_schemas())
    assert read_back is found and findings == []


def test_a_value_no_case_makes_documented_stays_for_the_schema_to_report() -> None:
    spec, findings = read("ExchangeOrganizationConfig", {"EwsApplicationAccessPolicy": "allowlist"})
    assert spec == {"EwsApplicationAccessPolicy": "allowlist"} and findings == []


def test_keys_in_another_case_take_the_parameter_name() -> None:
    spec, findings = read("CASMailbox", {"identity": "adele", "ewsallowlist": ["Outlook-iOS/*"]})
    assert spec == {"Identity": "adele", "EwsAllowList": ["Outlook-iOS/*"]}
    assert [p for _, p, _ in findings] == ["/spec/identity", "/spec/ewsallowlist"]
    assert "Exchange reads the key 'ewsallowlist' in spec as 'EwsAllowList'" in findings[1][2]


def test_a_key_in_another_case_beside_the_exact_key_stays_for_the_schema_to_report() -> None:
    spec, findings = read("CASMailbox", {"Identity": "a", "identity": "b"})
    assert spec == {"Identity": "a", "identity": "b"} and findings == []


@pytest.mark.parametrize(
    ("written", "meant"), [("True", True), ("False", False), (" false ", False)]
)
def test_booleans_printed_as_strings_are_the_booleans(written: str, meant: bool) -> None:
    spec, findings = read("IRMConfiguration", {"AzureRMSLicensingEnabled": written})
    assert spec == {"AzureRMSLicensingEnabled": meant}
    assert findings[0][1] == "/spec/AzureRMSLicensingEnabled"
    word = "true" if meant else "false"
    assert f"prints the boolean {word}; faqlint reads it as {word}" in findings[0][2]


def test_other_strings_where_a_boolean_belongs_stay_for_the_schema_to_report() -> None:
    spec, findings = read("IRMConfiguration", {"AzureRMSLicensingEnabled": "yes"})
    assert spec == {"AzureRMSLicensingEnabled": "yes"} and findings == []


def test_strings_that_may_be_any_text_are_never_turned_into_booleans() -> None:
    spec, findings = read("CASMailbox", {"Identity": "True", "EwsAllowList": ["false"]})
    assert spec == {"Identity": "True", "EwsAllowList": ["false"]} and findings == []


def test_an_export_finding_points_into_the_export() -> None:
    spec, findings = read(
        "CASMailbox",
        {"Identity": "a", "EwsApplicationAccessPolicy": "enforceblocklist"},
        root="/3",
        spec_pointer="/3",
        native=False,
    )
    assert spec["EwsApplicationAccessPolicy"] == "EnforceBlockList"
    assert findings[0][1] == "/3/EwsApplicationAccessPolicy"


@pytest.mark.parametrize(
    ("kind", "spec"),
    [
        ("ConditionalAccessPolicy", {"displayName": "x", "state": "Enabled"}),
        ("ConditionalAccessPolicy", {"conditions": {"platforms": {"includePlatforms": ["IOS"]}}}),
        ("AppProtectionPolicy", {"displayName": "x", "platform": "IOS", "pinRequired": "True"}),
    ],
)
def test_graph_kinds_are_read_exactly_as_written(kind: str, spec: dict[str, Any]) -> None:
    read_back, findings = read(kind, spec)
    assert read_back == spec and findings == []


# --- through `faqlint check`, as an admin runs it ----------------------------------------------

NATIVE = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata: {name: org}
spec:
  EwsApplicationAccessPolicy: enforceAllowList
  EwsAllowList: [%s]
"""

EXPORT = """\
{
  "Identity": "contoso.onmicrosoft.com",
  "EwsApplicationAccessPolicy": "enforceAllowList",
  "EwsAllowList": [%s],
  "EwsEnabled": "True"
}
"""


def _run(
    folder: Path, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["check", *argv, str(folder)])
    out = capsys.readouterr().out
    findings = json.loads(out)["findings"] if "--format" in argv else []
    return code, findings, out


def test_a_lower_case_policy_in_a_native_file_is_enforced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org.yaml").write_text(NATIVE % '"Outlook-iOS/*"', encoding="utf-8")
    code, findings, _ = _run(tmp_path, capsys, "--format", "json")
    assert code == 1
    assert sorted((f["code"], f["line"]) for f in findings) == [("FL013", 5), ("OM202", 6)]
    assert "Outlook for Android" in next(f for f in findings if f["code"] == "OM202")["message"]

    (tmp_path / "org.yaml").write_text(
        NATIVE % '"Outlook-iOS/*", "Outlook-Android/*"', encoding="utf-8"
    )
    code, _, out = _run(tmp_path, capsys)
    assert code == 0  # a warning: the value works
    assert "FL013 [warning] spec.EwsApplicationAccessPolicy: Exchange reads" in out
    assert "'enforceAllowList' as 'EnforceAllowList'; write 'EnforceAllowList'" in out
    assert "OM204" not in out and "FL002" not in out


def test_a_lower_case_policy_in_a_powershell_export_is_enforced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".faqlint.yaml").write_text(
        'kinds:\n  "Get-OrganizationConfig.json": ExchangeOrganizationConfig\n', encoding="utf-8"
    )
    (tmp_path / "Get-OrganizationConfig.json").write_text(
        EXPORT % '"Outlook-iOS/*"', encoding="utf-8"
    )
    code, findings, _ = _run(tmp_path, capsys, "--format", "json")
    assert code == 1
    # (the export holds only some organization settings: FL012 names the rules it cannot feed)
    found = sorted((f["code"], f["line"]) for f in findings if f["code"] != "FL012")
    assert found == [("FL013", 3), ("FL013", 5), ("OM202", 4)]
    assert all(f["file"] == "Get-OrganizationConfig.json" for f in findings)

    (tmp_path / "Get-OrganizationConfig.json").write_text(
        EXPORT % '"Outlook-iOS/*", "Outlook-Android/*"', encoding="utf-8"
    )
    code, findings, _ = _run(tmp_path, capsys, "--format", "json")
    assert code == 0
    assert sorted(f["code"] for f in findings if f["code"] != "FL012") == ["FL013", "FL013"]
