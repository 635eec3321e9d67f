"""Values read as the service behind their kind reads them (faqlint.values): Exchange's kinds
take enum values and keys in any case and "True"/"False" for booleans; Graph's kinds do not."""

from __future__ import annotations

from typing import Any

import pytest

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
    assert f"faqlint reads it as the boolean {word}" in findings[0][2]


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
