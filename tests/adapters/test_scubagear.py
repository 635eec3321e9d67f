"""ScubaGear's ProviderSettingsExport.json: its Exchange and Graph sections read as kinds."""

from __future__ import annotations

import json
import shutil

from export_helpers import EXPORTS, line_of, only

from faqlint.adapters.common import camel
from faqlint.adapters.scubagear import read_scubagear
from faqlint.loaded import Document

SCUBA = EXPORTS / "scubagear"
EXPORT = SCUBA / "ProviderSettingsExport.json"


def read(data: object, path: str = "ProviderSettingsExport.json") -> list | None:
    found = read_scubagear(Document(1, data), path, None)
    return None if found is None else list(found.resources)


def test_recognised_by_its_file_name_or_its_own_keys() -> None:
    section = {"org_config": [{"Name": "fabrikam.onmicrosoft.com"}]}
    assert read(section) is not None
    assert read(section, path="exports/scuba.json") is None  # any JSON may have an org_config
    assert read({**section, "module_version": "1.5.0"}, path="exports/scuba.json") is not None
    assert read({"module_version": "1.5.0"}) == []  # recognised, nothing faqlint models: FL010
    assert read([section]) is None


def test_sections_become_kinds_with_pointers_into_the_export() -> None:
    found = read(
        {
            "org_config": {
                "Name": "org",
                "OAuth2ClientProfileEnabled": True,
                "AuditDisabled": False,
            },
            "conditional_access_policies": [{"DisplayName": "CA", "State": "enabled"}],
            "license_information": [
                {"SkuPartNumber": "SPE_E5", "SkuId": "06ebc4ee", "ConsumedUnits": 3}
            ],
            "service_plans": [{"ServicePlanName": "AAD_PREMIUM"}],
        }
    )
    assert found is not None
    assert [(r.kind, r.name, r.root, r.source) for r in found] == [
        ("ExchangeOrganizationConfig", "org", "/org_config", "scubagear"),
        ("ConditionalAccessPolicy", "CA", "/conditional_access_policies/0", "scubagear"),
        ("SubscribedSku", "SPE_E5", "/license_information/0", "scubagear"),
    ]
    org, policy, sku = (r.spec for r in found)
    assert org == {"OAuth2ClientProfileEnabled": True}  # Exchange keeps its PascalCase
    assert policy == {"displayName": "CA", "state": "enabled"}
    assert sku == {"skuPartNumber": "SPE_E5", "skuId": "06ebc4ee", "consumedUnits": 3}


def test_graph_keys_become_camel_case_at_every_depth() -> None:
    found = read(
        {
            "conditional_access_policies": [
                {
                    "DisplayName": "Nested",
                    "Conditions": {
                        "ClientAppTypes": ["all"],
                        "Users": {"IncludeUsers": ["All"]},
                        "Locations": {"IncludeLocations": ["AllTrusted"]},
                    },
                    "GrantControls": {
                        "BuiltInControls": ["mfa"],
                        "Operator": "OR",
                        "AuthenticationStrength": {"Id": None},
                    },
                    "AdditionalProperties": {},
                }
            ],
            "module_version": "1.5.0",
        }
    )
    assert found is not None
    assert found[0].spec == {
        "displayName": "Nested",
        "conditions": {
            "clientAppTypes": ["all"],
            "users": {"includeUsers": ["All"]},
            "locations": {"includeLocations": ["AllTrusted"]},
        },
        "grantControls": {
            "builtInControls": ["mfa"],
            "operator": "OR",
            "authenticationStrength": {"id": None},
        },
    }


def test_camel_case_keeps_acronyms_readable() -> None:
    assert [camel(k) for k in ("DisplayName", "SkuId", "ID", "IPRanges", "already")] == [
        "displayName",
        "skuId",
        "id",
        "ipRanges",
        "already",
    ]


def test_the_fixture_export_is_read(lint) -> None:
    result = lint(SCUBA)
    assert result.files_without_resources == ()
    assert result.resources == 1 + 3 + 2  # org_config, CA policies, licences


def test_findings_in_nested_pascal_case_land_on_the_export_line(lint) -> None:
    result = lint(SCUBA)
    client = [
        f
        for f in result.findings
        if f.resource == "Exchange Online: MFA" and "clientAppTypes" in f.pointer
    ]
    assert len(client) == 1
    assert client[0].pointer == "/conditional_access_policies/2/conditions/clientAppTypes/1"
    line = line_of(EXPORT, '"mobileApps"]')
    assert (client[0].line, client[0].column) == (
        line,
        EXPORT.read_text().splitlines()[line - 1].index('"mobileApps"') + 1,
    )
    state = [
        f
        for f in result.findings
        if f.resource == "Exchange Online: MFA" and f.pointer.endswith("/state")
    ]
    assert len(state) == 1 and state[0].line == line_of(EXPORT, '"State":  "on"')
    units = only(result.findings, "FL002", "EXCHANGESTANDARD")
    assert units.message == 'spec.consumedUnits must be an integer or null, not the string "17"'
    assert units.line == line_of(EXPORT, '"ConsumedUnits":  "17"')


RUNS = EXPORTS / "scubagear-runs"
OLD = "M365BaselineConformance_2024_05_01_10_00_00/ProviderSettingsExport.json"
NEW = "M365BaselineConformance_2024_06_03_09_30_00/ProviderSettingsExport.json"


def test_of_several_runs_of_a_tenant_the_newest_is_checked_and_the_older_said(lint) -> None:
    result = lint(RUNS)
    assert "FL005" not in {f.code for f in result.findings}
    assert {f.file for f in result.findings if f.code.startswith("OM")} == {NEW}
    older = [f for f in result.findings if f.file == OLD]
    assert [f.code for f in older] == ["FL012"]  # its own FL002s are the newest run's too
    assert older[0].message.startswith(
        "an older run (2024-05-01T14:00:00.000Z) of tenant 'Fabrikam': its settings were not "
        "checked; the rules checked the newest run of this tenant, " + NEW
    )
    assert older[0].fix.startswith("Nothing to fix")
    assert result.tenants == ("Fabrikam",)


def test_runs_without_timestamp_zulu_are_ordered_by_their_folder_names(lint, tmp_path) -> None:
    for stamp in ("2024_05_01_10_00_00", "2023_12_24_08_00_00"):
        folder = tmp_path / f"M365BaselineConformance_{stamp}"
        folder.mkdir()
        data = {
            "module_version": "1.1.0",
            "tenant_details": [{"DisplayName": "Contoso", "TenantId": "c0"}],
            "org_config": [{"Name": "contoso", "OAuth2ClientProfileEnabled": stamp < "2024"}],
        }
        (folder / "ProviderSettingsExport.json").write_text(json.dumps(data))
    result = lint(tmp_path)
    (om101,) = [f for f in result.findings if f.code == "OM101"]
    assert om101.file.startswith("M365BaselineConformance_2024_05_01")
    (older,) = [f for f in result.findings if "older run" in f.message]
    assert older.file.startswith("M365BaselineConformance_2023_12_24")


def test_m365_environment_sets_the_tenants_cloud(lint) -> None:
    result = lint(RUNS)
    gcc = only(result.findings, "OM506", "fabrikam.onmicrosoft.com")
    assert gcc.file == NEW and "GCC tenant" in gcc.message


def test_a_tenant_resource_comes_from_tenant_details_and_the_environment() -> None:
    data = {
        "module_version": "1.5.0",
        "tenant_details": [{"DisplayName": "Contoso", "DomainName": "contoso.onmicrosoft.us"}],
        "scuba_config": {"M365Environment": "gcchigh"},
        "org_config": {"Name": "contoso"},
    }
    found = read_scubagear(Document(1, data), "ProviderSettingsExport.json", None)
    assert found is not None
    (tenant,) = [r for r in found.resources if r.kind == "Tenant"]
    assert (tenant.name, tenant.spec) == ("Contoso", {"cloud": "GCCHigh"})
    assert tenant.pointer("/spec/cloud") == "/scuba_config/M365Environment"
    assert {r.run.tenant for r in found.resources if r.run} == {"contoso.onmicrosoft.us"}


def test_an_export_without_m365_environment_yields_no_tenant() -> None:
    data = {"module_version": "1.0.0", "org_config": {"Name": "contoso"}}
    found = read_scubagear(Document(1, data), "ProviderSettingsExport.json", None)
    assert found is not None and [r.kind for r in found.resources] == ["ExchangeOrganizationConfig"]


def test_sections_in_the_powershell_51_wrapper_are_their_lists() -> None:
    data = {
        "module_version": "1.5.0",
        "conditional_access_policies": {
            "value": [{"DisplayName": "A"}, {"DisplayName": "B"}],
            "Count": 2,
        },
    }
    found = read(data)
    assert found is not None
    assert [r.root for r in found] == [
        "/conditional_access_policies/value/0",
        "/conditional_access_policies/value/1",
    ]


def test_a_scubagear_export_without_sections_faqlint_reads_is_fl010() -> None:
    data = {"module_version": "1.5.0", "tenant_details": [], "service_plans": []}
    found = read_scubagear(Document(1, data), "ProviderSettingsExport.json", None)
    assert found is not None and not found.resources
    (finding,) = found.findings
    assert finding.code == "FL010"
    assert finding.message.startswith("this ScubaGear 1.5.0 export holds none of the sections")


def test_settings_an_export_lacks_are_named_once_with_the_rules_they_feed(lint) -> None:
    result = lint(SCUBA)
    (missing,) = [f for f in result.findings if f.code == "FL012"]
    assert str(missing.severity) == "info"
    assert missing.message.startswith(
        "ExchangeOrganizationConfig 'fabrikam.onmicrosoft.com' in this export holds none of "
        "the settings EwsAllowList, EwsApplicationAccessPolicy, EwsBlockList, EwsEnabled"
    )
    for code in ("OM201", "OM202", "OM203", "OM204"):
        assert code in missing.message


def test_an_export_filed_under_a_native_tenant_joins_it(lint, tmp_path) -> None:
    shutil.copytree(RUNS, tmp_path / "tenants" / "fabrikam" / "scuba")
    (tmp_path / "tenants" / "fabrikam" / "tenant.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: Tenant\nmetadata: {name: fabrikam}\nspec: {cloud: GCC}\n"
    )
    result = lint(tmp_path)
    assert result.tenants == ("fabrikam",)
    assert "FL005" not in {f.code for f in result.findings}
    assert {f.tenant for f in result.findings if f.code == "OM506"} == {"fabrikam"}


RESULTS = EXPORTS / "scubaresults"


def test_scubaresults_of_current_scubagear_are_read_at_their_raw_member(lint) -> None:
    result = lint(RESULTS)
    om101 = only(result.findings, "OM101", "fabrikam.onmicrosoft.com")
    assert om101.pointer.startswith("/Raw/org_config/0")
    assert result.resources == 6


def test_the_same_run_written_twice_is_checked_once(lint, tmp_path) -> None:
    run = tmp_path / "M365BaselineConformance_2025_01_15_08_00_00"
    shutil.copytree(RESULTS / run.name, run)
    merged = json.loads(next(run.glob("ScubaResults_*.json")).read_text())
    (run / "ProviderSettingsExport.json").write_text(json.dumps(merged["Raw"], indent=2))
    result = lint(tmp_path)
    assert "FL005" not in {f.code for f in result.findings}
    (copy,) = [f for f in result.findings if "same run" in f.message]
    assert copy.message.startswith("another export of the same run (2023-11-15T03:13:20.000Z)")


def test_one_key_scubagear_also_uses_is_not_enough_to_call_a_file_scubagear() -> None:
    assert read({"service_plans": []}, path="licences.json") is None
    assert read({"service_plans": [], "module_version": "1.5.0"}, path="x.json") == []
