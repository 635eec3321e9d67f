"""ScubaGear's ProviderSettingsExport.json: its Exchange and Graph sections read as kinds."""

from __future__ import annotations

from export_helpers import EXPORTS, line_of, only

from faqlint.adapters.common import camel
from faqlint.adapters.scubagear import read_scubagear
from faqlint.load import Document

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
