"""Exchange Online PowerShell `ConvertTo-Json` output, read for files the config maps to a kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_helpers import EXPORTS, line_of, only

from faqlint.adapters.powershell import read_powershell
from faqlint.config import ConfigError
from faqlint.loaded import Document

CONTOSO = EXPORTS / "contoso"
EXCHANGE = CONTOSO / "exchange"


def read(data: object, kind: str | None, path: str = "exchange/out.json") -> list | None:
    found = read_powershell(Document(1, data), path, kind)
    return None if found is None else list(found.resources)


def test_only_files_the_config_maps_are_read() -> None:
    assert read({"Identity": "x", "EwsEnabled": False}, None) is None


def test_a_kind_the_catalogue_does_not_know_is_not_read() -> None:
    assert read({"Identity": "x"}, "NoSuchKind") is None


def test_only_modelled_properties_are_kept_in_the_schemas_spelling() -> None:
    found = read(
        {
            "Identity": "AdeleV",
            "ewsenabled": False,
            "ImapEnabled": True,
            "WhenChanged": "/Date(1700000000000)/",
            "EWSALLOWLIST": None,
        },
        "CASMailbox",
    )
    assert found is not None
    assert found[0].spec == {"Identity": "AdeleV", "EwsEnabled": False, "EwsAllowList": None}
    assert (found[0].name, found[0].root, found[0].native) == ("AdeleV", "", False)


def test_an_array_is_one_resource_per_object() -> None:
    found = read(
        [{"Name": "a"}, "not an object", {"DisplayName": "c"}, {}],
        "CASMailbox",
        path="exchange/mailboxes.json",
    )
    assert found is not None
    assert [(r.name, r.root) for r in found] == [("a", "/0"), ("c", "/2"), ("mailboxes#3", "/3")]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({"Identity": "id", "Name": "n", "DisplayName": "d", "Guid": "g"}, "id"),
        ({"Identity": {"not": "text"}, "Name": "n"}, "n"),
        ({"DisplayName": "d", "Guid": "g"}, "d"),
        ({"Guid": "g"}, "g"),
    ],
)
def test_names_come_from_identity_name_displayname_or_guid(data: dict, name: str) -> None:
    found = read(data, "ExchangeOrganizationConfig")
    assert found is not None and found[0].name == name


def test_the_exchange_exports_are_read_with_the_kinds_mapping(lint) -> None:
    result = lint(CONTOSO, "exchange")
    assert result.files_without_resources == ()
    assert result.resources == 1 + 3 + 1 + 3 + 1  # org, mailboxes, settings, rules, IRM


def test_without_the_mapping_the_files_are_not_checked(lint, tmp_path: Path) -> None:
    target = tmp_path / "Get-OrganizationConfig.json"
    target.write_bytes((EXCHANGE / "Get-OrganizationConfig.json").read_bytes())
    result = lint(tmp_path)
    assert result.resources == 0
    assert result.files_without_resources == ("Get-OrganizationConfig.json",)


def test_an_unknown_kind_in_the_mapping_is_a_config_error(lint, tmp_path: Path) -> None:
    (tmp_path / ".faqlint.yaml").write_text('kinds: {"*.json": CasMailbox}\n')
    with pytest.raises(ConfigError, match="unknown kind 'CasMailbox'; did you mean 'CASMailbox'"):
        lint(tmp_path)


def test_a_250_property_org_config_with_a_bom_lands_on_its_line(lint) -> None:
    org = EXCHANGE / "Get-OrganizationConfig.json"
    assert org.read_bytes().startswith(b"\xef\xbb\xbf")
    result = lint(CONTOSO, "exchange/Get-OrganizationConfig.json")
    finding = only(result.findings, "OM202", "contoso.onmicrosoft.com")
    assert finding.kind == "ExchangeOrganizationConfig"
    assert (finding.line, finding.column) == (line_of(org, '"EwsAllowList"'), 5)


def test_mailbox_findings_land_on_each_mailboxs_lines(lint) -> None:
    mailboxes = EXCHANGE / "Get-CASMailbox.json"
    result = lint(CONTOSO, "exchange/Get-CASMailbox.json")
    disabled = only(result.findings, "OM201", "AdeleV")
    assert disabled.pointer == "/0/EwsEnabled"
    assert disabled.line == line_of(mailboxes, '"EwsEnabled": false')
    inert = only(result.findings, "OM204", "MeganB")
    assert inert.line == line_of(mailboxes, '"EwsBlockList": [')
    assert not [f for f in result.findings if f.resource == "LeeG"]


def test_odd_values_in_modelled_properties_are_schema_findings(lint) -> None:
    result = lint(CONTOSO, "exchange")
    # a boolean printed as a string is read as the boolean, and said to be so (faqlint.values)
    irm = only(result.findings, "FL013", "ControlPoint Configuration")
    assert irm.message == (
        "spec.ClientAccessServerEnabled is the string 'True', the way Exchange PowerShell prints "
        "the boolean true; faqlint reads it as true; write true without quotes"
    )
    assert not [f for f in result.findings if f.code == "FL002" and f.resource == irm.resource]
    assert irm.line == line_of(EXCHANGE / "Get-IRMConfiguration.json", "ClientAccessServerEnabled")
    rule = only(result.findings, "FL002", "Outlook-iOS-Android/1.0 (UserAgent)")
    assert rule.pointer == "/2/AccessLevel"
    assert rule.line == line_of(EXCHANGE / "Get-ActiveSyncDeviceAccessRule.json", '"AllowAll"')


SHAPES = EXPORTS / "shapes"


def test_windows_powershell_51_array_wrapper_is_the_list_inside_it() -> None:
    data = json.loads((SHAPES / "powershell" / "Get-CASMailbox.json").read_text())
    found = read(data, "CASMailbox")
    assert found is not None
    assert [(r.name, r.root) for r in found] == [("AdeleV", "/value/0"), ("MeganB", "/value/1")]
    assert found[0].spec["EwsEnabled"] is False


def test_a_lone_object_with_value_and_count_keys_is_not_taken_for_a_wrapper() -> None:
    data = {"value": [1], "Count": 1, "Identity": "x"}
    found = read(data, "CASMailbox")
    assert found is not None and [r.root for r in found] == [""]


def test_graph_sdk_output_fits_camelcase_kinds_at_every_depth() -> None:
    data = json.loads(
        (SHAPES / "powershell" / "Get-MgIdentityConditionalAccessPolicy.json").read_text()
    )
    (policy,) = read(data, "ConditionalAccessPolicy") or []
    spec = policy.spec
    assert spec["displayName"] == "Require approved client app for Exchange Online on mobile"
    assert spec["grantControls"]["builtInControls"] == ["approvedApplication"]
    assert spec["conditions"]["users"]["includeUsers"] == ["All"]
    assert spec["conditions"]["platforms"]["includePlatforms"] == ["android", "iOS"]
    assert spec["conditions"]["applications"]["includeApplications"] == [
        "00000002-0000-0ff1-ce00-000000000000"
    ]
    assert "additionalProperties" not in json.dumps(spec).lower().replace('"@odata', "")


def test_additional_properties_of_the_graph_sdk_are_read_as_the_objects_own() -> None:
    sdk = {
        "DisplayName": "Outlook iOS protection",
        "Id": "T_1",
        "AdditionalProperties": {
            "@odata.type": "#microsoft.graph.iosManagedAppProtection",
            "contactSyncBlocked": True,
        },
    }
    (policy,) = read(sdk, "AppProtectionPolicy") or []
    assert (policy.spec["platform"], policy.spec["contactSyncBlocked"]) == ("iOS", True)
    device = {
        "DisplayName": "Outlook iOS",
        "AdditionalProperties": {
            "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
            "settings": [
                {"appConfigKey": "IntuneMAMUPN", "appConfigKeyValue": "{{userprincipalname}}"}
            ],
        },
    }
    (config,) = read(device, "AppConfigurationPolicy") or []
    assert config.spec["customSettings"] == [
        {"name": "IntuneMAMUPN", "value": "{{userprincipalname}}"}
    ]


def test_mapped_files_that_hold_no_object_are_fl010_and_an_empty_array_holds_nothing(
    lint,
) -> None:
    result = lint(SHAPES, "powershell")
    not_read = [(f.file, f.message) for f in result.findings if f.code == "FL010"]
    assert [(file, "it holds a string, not an object" in m) for file, m in not_read] == [
        ("powershell/Get-ActiveSyncOrganizationSettings.json", True),
    ]
    assert "powershell/Get-IRMConfiguration.json" not in result.files_without_resources


def test_sdk_objects_of_types_faqlint_does_not_read_are_passed_over_and_counted() -> None:
    ios = {
        "DisplayName": "Outlook iOS",
        "AdditionalProperties": {"@odata.type": "#microsoft.graph.iosMobileAppConfiguration"},
    }
    windows = {
        "DisplayName": "Windows app",
        "AdditionalProperties": {"@odata.type": "#microsoft.graph.windowsMobileAppConfiguration"},
    }
    found = read_powershell(Document(1, [ios, windows]), "x.json", "AppConfigurationPolicy")
    assert found is not None and [r.name for r in found.resources] == ["Outlook iOS"]
    (note,) = found.findings
    assert note.code == "FL012"
    assert "Graph entity microsoft.graph.windowsMobileAppConfiguration" in note.message
    alone = read_powershell(Document(1, [windows]), "x.json", "AppConfigurationPolicy")
    assert alone is not None and [f.code for f in alone.findings] == ["FL010"]


def test_nested_51_wrappers_are_lists_and_findings_land_inside_them(lint, tmp_path: Path) -> None:
    (tmp_path / ".faqlint.yaml").write_text('kinds:\n  "org.json": ExchangeOrganizationConfig\n')
    org = {
        "Identity": "contoso.onmicrosoft.com",
        "EwsApplicationAccessPolicy": "EnforceAllowList",
        "EwsAllowList": {"value": ["Outlook-iOS/*"], "Count": 1},
        "EwsBlockList": None,
        "EwsEnabled": True,
    }
    (tmp_path / "org.json").write_text(json.dumps(org, indent=2))
    result = lint(tmp_path)
    (om202,) = [f for f in result.findings if f.code == "OM202"]
    assert om202.pointer == "/EwsAllowList/value"
    assert "FL002" not in {f.code for f in result.findings}


def test_values_cut_off_by_convertto_json_depth_are_fl010_where_faqlint_reads_them() -> None:
    sdk = {
        "DisplayName": "CA",
        "State": "enabled",
        "Conditions": {
            "Users": "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"
        },
    }
    found = read_powershell(Document(1, sdk), "ca.json", "ConditionalAccessPolicy")
    assert found is not None and not found.resources
    (finding,) = found.findings
    assert (finding.code, finding.pointer.lower()) == ("FL010", "/conditions/users")
    assert "-Depth 10" in finding.message
    org = {
        "Identity": "org",
        "EwsEnabled": True,
        "SomethingUnmodelled": "@{a=1; b=System.Object[]}",
    }
    fine = read_powershell(Document(1, org), "org.json", "ExchangeOrganizationConfig")
    assert fine is not None and len(fine.resources) == 1 and not fine.findings


def test_sdk_objects_are_named_as_graph_names_their_kind() -> None:
    sku = {"SkuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "SkuPartNumber": "SPE_E5", "Id": "x"}
    (found,) = read(sku, "SubscribedSku") or []
    assert found.name == "SPE_E5"


def test_odd_shapes_are_read_as_they_are_never_a_crash() -> None:
    wrapper_in_list = [{"value": [{"Identity": "a"}], "Count": 1}]
    found = read_powershell(Document(1, wrapper_in_list), "x.json", "AppConfigurationPolicy")
    assert found is not None and len(found.resources) == 1
    flag = {"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "settings": True}
    (config,) = read(flag, "AppConfigurationPolicy") or []
    assert config.spec["customSettings"] == []
