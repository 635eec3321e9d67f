"""Graph responses read where they lie: objects, list responses, odd values, positions."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from export_helpers import EXPORTS, line_of, only

from faqlint.adapters.graph import read_graph
from faqlint.loaded import Document

GRAPH = EXPORTS / "contoso" / "graph"
V1 = "https://graph.microsoft.com/v1.0/$metadata#"


def read(data: object, path: str = "graph/export.json") -> list | None:
    found = read_graph(Document(1, data), path, None)
    return None if found is None else list(found.resources)


@pytest.mark.parametrize(
    ("odata_type", "kind"),
    [
        ("#microsoft.graph.conditionalAccessPolicy", "ConditionalAccessPolicy"),
        ("#microsoft.graph.tokenLifetimePolicy", "TokenLifetimePolicy"),
        ("#microsoft.graph.iosManagedAppProtection", "AppProtectionPolicy"),
        ("#microsoft.graph.androidManagedAppProtection", "AppProtectionPolicy"),
        ("#microsoft.graph.targetedManagedAppConfiguration", "AppConfigurationPolicy"),
        ("#microsoft.graph.subscribedSku", "SubscribedSku"),
    ],
)
def test_an_object_is_read_as_the_kind_its_odata_type_names(odata_type: str, kind: str) -> None:
    found = read({"@odata.type": odata_type, "displayName": "One", "skuPartNumber": "SPE_E5"})
    assert found is not None and [r.kind for r in found] == [kind]
    assert (found[0].root, found[0].spec_pointer, found[0].native) == ("", "", False)


def test_app_protection_platform_comes_from_the_type() -> None:
    ios = read({"@odata.type": "#microsoft.graph.iosManagedAppProtection", "displayName": "i"})
    android = read(
        {"@odata.type": "#microsoft.graph.androidManagedAppProtection", "displayName": "a"}
    )
    assert ios is not None and ios[0].spec["platform"] == "iOS"
    assert android is not None and android[0].spec["platform"] == "android"


@pytest.mark.parametrize(
    "data",
    [
        {"displayName": "no type at all"},
        {"value": [{"displayName": "a list without a type"}]},
        ["a", "list"],
        "text",
    ],
)
def test_documents_without_any_odata_key_are_not_graph(data: object) -> None:
    assert read(data) is None


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (
            {"@odata.type": "#microsoft.graph.user", "displayName": "Adele"},
            "Graph entity microsoft.graph.user:",
        ),
        (
            {"@odata.context": V1 + "users", "value": [{"displayName": "Adele"}]},
            "Graph entity set users:",
        ),
        (
            {"@odata.context": V1 + "deviceAppManagement/managedAppPolicies", "value": [{}]},
            "an object of the Graph entity set deviceAppManagement/managedAppPolicies without "
            "@odata.type:",
        ),
        (
            {"@odata.context": V1 + "users('adele')/licenseDetails", "value": []},
            "an empty list of the Graph entity set users/licenseDetails:",
        ),
        (
            {"@odata.context": V1 + "Collection(microsoft.graph.user)", "value": []},
            "an empty list of Graph entity microsoft.graph.user:",
        ),
        (
            {"value": [{"@odata.type": "#microsoft.graph.licenseDetails", "skuId": "x"}]},
            "Graph entity microsoft.graph.licenseDetails:",
        ),
    ],
)
def test_graph_documents_faqlint_does_not_read_are_fl010(data: object, named: str) -> None:
    found = read_graph(Document(1, data), "graph/export.json", None)
    assert found is not None and not found.resources
    (finding,) = found.findings
    assert (finding.code, str(finding.severity)) == ("FL010", "error")
    assert finding.message.startswith(named)
    assert "not a kind faqlint reads" in finding.message


@pytest.mark.parametrize(
    ("context", "kind"),
    [
        (V1 + "policies/tokenLifetimePolicies", "TokenLifetimePolicy"),
        (V1 + "identity/conditionalAccess/policies", "ConditionalAccessPolicy"),
        (V1 + "subscribedSkus", "SubscribedSku"),
        (V1 + "subscribedSkus(skuId,skuPartNumber)", "SubscribedSku"),
        (V1 + "deviceAppManagement/iosManagedAppProtections(apps())", "AppProtectionPolicy"),
        (V1 + "deviceAppManagement/targetedManagedAppConfigurations", "AppConfigurationPolicy"),
        (
            "https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.subscribedSku)",
            "SubscribedSku",
        ),
    ],
)
def test_each_item_of_a_list_response_is_a_resource_at_its_place(context: str, kind: str) -> None:
    items = [
        {"displayName": "First", "skuPartNumber": "A"},
        {"displayName": "Second", "skuPartNumber": "B"},
    ]
    found = read({"@odata.context": context, "value": items})
    assert found is not None
    assert [(r.kind, r.root, r.spec_pointer) for r in found] == [
        (kind, "/value/0", "/value/0"),
        (kind, "/value/1", "/value/1"),
    ]


def test_a_mixed_list_takes_each_items_type_and_passes_over_unmodelled_types() -> None:
    found = read(
        {
            "@odata.context": V1 + "deviceAppManagement/managedAppPolicies",
            "value": [
                {"@odata.type": "#microsoft.graph.windowsManagedAppProtection", "displayName": "W"},
                {"@odata.type": "#microsoft.graph.androidManagedAppProtection", "displayName": "A"},
            ],
        }
    )
    assert found is not None
    assert [(r.name, r.root, r.spec["platform"]) for r in found] == [("A", "/value/1", "android")]


def test_a_single_entity_response_is_one_resource() -> None:
    found = read(
        {
            "@odata.context": V1 + "policies/tokenLifetimePolicies/$entity",
            "displayName": "One",
            "definition": [],
        }
    )
    assert found is not None and [(r.kind, r.root) for r in found] == [("TokenLifetimePolicy", "")]


def test_an_empty_value_is_read_and_holds_no_resource(lint) -> None:
    assert read(json.loads((GRAPH / "androidManagedAppProtections.json").read_text())) == []
    result = lint(GRAPH, "androidManagedAppProtections.json")
    assert result.resources == 0
    assert result.files_without_resources == ()  # read, so not reported as "not checked"


def test_names_unmodelled_properties_and_repeated_names() -> None:
    found = read(
        {
            "@odata.context": V1 + "identity/conditionalAccess/policies",
            "value": [
                {"displayName": "Same", "insiderRiskLevels": None, "conditions": {"times": None}},
                {"displayName": "Same", "id": "x"},
                {"id": "only-an-id"},
                {},
            ],
        },
        path="graph/ca.json",
    )
    assert found is not None
    assert [r.name for r in found] == [
        "Same (/value/0)",
        "Same (/value/1)",
        "only-an-id",
        "ca#value/3",
    ]
    # what the kind does not model is not kept, at any depth
    assert found[0].spec == {"displayName": "Same", "conditions": {}}


def test_the_fixture_folder_is_read_as_graph_exports(lint) -> None:
    result = lint(GRAPH)
    assert result.files_without_resources == ()
    assert result.resources == 10


def test_findings_land_on_the_line_of_the_export(lint) -> None:
    result = lint(GRAPH)
    tokens = GRAPH / "tokenLifetimePolicies.json"
    short = only(result.findings, "OM110", "Kiosk short tokens")
    assert (short.file, short.line) == (
        "tokenLifetimePolicies.json",
        line_of(tokens, '\\"00:05:00\\"'),
    )
    assert short.kind == "TokenLifetimePolicy"
    retired = only(result.findings, "OM112", "Legacy session policy")
    assert retired.line == line_of(tokens, "MaxInactiveTime")
    below = only(result.findings, "OM111", "Legacy session policy")
    assert below.line == retired.line
    assert not [f for f in result.findings if f.resource == "Contoso token lifetime policy"]


def test_a_documented_enum_member_is_read_without_a_schema_finding(lint) -> None:
    """easSupported is one of the client app types Graph documents."""
    result = lint(GRAPH)
    assert not [
        f
        for f in result.findings
        if f.code == "FL002" and f.resource == "Block legacy authentication"
    ]


def test_an_unknown_enum_member_is_a_schema_finding_at_its_value(lint, tmp_path: Path) -> None:
    policies = tmp_path / "conditionalAccessPolicies.json"
    text = (GRAPH / "conditionalAccessPolicies.json").read_text(encoding="utf-8")
    policies.write_text(text.replace('"easSupported"', '"easUnknown"'), encoding="utf-8")
    result = lint(tmp_path)
    finding = only(result.findings, "FL002", "Block legacy authentication")
    assert finding.pointer == "/value/1/conditions/clientAppTypes/1"
    assert finding.line == line_of(policies, '"easUnknown"')
    assert finding.column == (
        policies.read_text().splitlines()[finding.line - 1].index('"easUnknown"') + 1
    )
    assert finding.message.startswith('spec.conditions.clientAppTypes.1: the string "easUnknown"')


def test_documentation_placeholders_and_negative_durations_do_not_crash(lint) -> None:
    result = lint(GRAPH, "iosManagedAppProtections.json")
    assert result.resources == 2
    assert not [f for f in result.findings if f.code in {"FL001", "FL009"}]


WAITS = "; what OM110 would say depends on this, so it waits for the fix"


def test_odd_values_are_findings_never_crashes(lint, tmp_path: Path) -> None:
    odd = {
        "@odata.context": V1 + "policies/tokenLifetimePolicies",
        "value": [
            {"displayName": 42, "definition": ['{"TokenLifetimePolicy":{"Version":1}}']},
            {"displayName": "Null definition", "definition": [None, 7, "{not json"]},
            "a string where an object belongs",
        ],
    }
    (tmp_path / "odd.json").write_text(json.dumps(odd, indent=2))
    result = lint(tmp_path)
    schema = sorted((f.pointer, f.message) for f in result.findings if f.code == "FL002")
    assert schema == [
        ("/value/0/displayName", "spec.displayName must be a string, not the integer 42"),
        (
            "/value/1/definition/0",
            "spec.definition.0 must be a string or a mapping, not null" + WAITS,
        ),
        (
            "/value/1/definition/1",
            "spec.definition.1 must be a string or a mapping, not the integer 7" + WAITS,
        ),
    ]
    # what OM110 says of the broken entries waits for them to be fixed; the other entry is judged
    rule = sorted(f.pointer for f in result.findings if f.code == "OM110")
    assert rule == ["/value/1/definition/2"]
    assert "FL009" not in {f.code for f in result.findings}
    (passed,) = [f for f in result.findings if f.code == "FL012"]
    assert "1 other item passed over" in passed.message
    assert "a value that is not an object" in passed.message
    assert all(f.file == "odd.json" and f.line > 1 for f in result.findings if f is not passed)


CA = {"@odata.type": "#microsoft.graph.conditionalAccessPolicy", "displayName": "CA", "state": "on"}
SKU = {"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "skuPartNumber": "SPE_E5"}


@pytest.mark.parametrize(
    ("data", "kind", "pointers"),
    [
        (  # v1.0 list, the documented form
            {"@odata.context": V1 + "identity/conditionalAccess/policies", "value": [CA]},
            "ConditionalAccessPolicy",
            ["/value/0"],
        ),
        (  # beta, the short form some reference pages show, items without @odata.type
            {
                "@odata.context": "https://graph.microsoft.com/beta/$metadata#conditionalAccess/policies",
                "value": [{"displayName": "CA", "state": "enabled"}],
            },
            "ConditionalAccessPolicy",
            ["/value/0"],
        ),
        (  # one entity, named by its set and /$entity, no @odata.type
            {
                "@odata.context": V1 + "identity/conditionalAccess/policies/$entity",
                "displayName": "CA",
                "state": "enabled",
            },
            "ConditionalAccessPolicy",
            [""],
        ),
        (  # $select in parentheses
            {
                "@odata.context": V1 + "policies/tokenLifetimePolicies(id,displayName,definition)",
                "value": [{"displayName": "T", "definition": []}],
            },
            "TokenLifetimePolicy",
            ["/value/0"],
        ),
        (
            {
                "@odata.context": V1 + "deviceAppManagement/iosManagedAppProtections/$entity",
                "displayName": "P",
            },
            "AppProtectionPolicy",
            [""],
        ),
        (
            {"@odata.context": V1 + "Collection(microsoft.graph.subscribedSku)", "value": [SKU]},
            "SubscribedSku",
            ["/value/0"],
        ),
        (
            {"@odata.context": V1 + "subscribedSkus(skuId,skuPartNumber)", "value": [SKU, SKU]},
            "SubscribedSku",
            ["/value/0", "/value/1"],
        ),
        (  # a derived-type cast of a mixed set: the context names the items' type
            {
                "@odata.context": V1
                + "deviceAppManagement/managedAppPolicies/microsoft.graph.iosManagedAppProtection",
                "value": [{"displayName": "P"}],
            },
            "AppProtectionPolicy",
            ["/value/0"],
        ),
        (  # a list without a context: its items say what they are
            {"value": [CA, {**CA, "displayName": "CA 2"}]},
            "ConditionalAccessPolicy",
            ["/value/0", "/value/1"],
        ),
        (  # the reference documentation wraps one Intune object in `value`
            {"value": {"@odata.type": "#microsoft.graph.androidManagedAppProtection", "id": "a"}},
            "AppProtectionPolicy",
            ["/value"],
        ),
    ],
)
def test_every_form_graph_and_its_documentation_use_is_read(
    data: dict, kind: str, pointers: list[str]
) -> None:
    found = read(data)
    assert found is not None
    assert [(r.kind, r.root) for r in found] == [(kind, p) for p in pointers]


def test_a_list_of_a_set_faqlint_reads_with_an_empty_value_is_read_and_holds_nothing() -> None:
    data = {"@odata.context": V1 + "deviceAppManagement/mobileAppConfigurations", "value": []}
    found = read_graph(Document(1, data), "graph/x.json", None)
    assert found is not None and (found.resources, found.findings) == ((), ())


def test_items_of_other_types_are_passed_over_and_counted() -> None:
    data = {
        "@odata.context": V1 + "deviceAppManagement/managedAppPolicies",
        "value": [
            {"@odata.type": "#microsoft.graph.iosManagedAppProtection", "displayName": "i"},
            {"@odata.type": "#microsoft.graph.windowsManagedAppProtection", "displayName": "w"},
            {"@odata.type": "#microsoft.graph.windowsManagedAppProtection", "displayName": "w2"},
        ],
    }
    found = read_graph(Document(1, data), "graph/x.json", None)
    assert found is not None and [r.name for r in found.resources] == ["i"]
    (note,) = found.findings
    assert note.code == "FL012"
    assert "2 other items passed over" in note.message
    assert "microsoft.graph.windowsManagedAppProtection (x2)" in note.message


SHAPES = EXPORTS / "shapes"


def test_device_app_configurations_become_app_configuration_policies() -> None:
    data = json.loads((SHAPES / "graph" / "mobileAppConfigurations.json").read_text())
    found = read(data)
    assert found is not None
    ios, xml, android = found
    assert (ios.kind, ios.spec["platform"], ios.spec["version"]) == (
        "AppConfigurationPolicy",
        "iOS",
        3,
    )
    assert ios.spec["customSettings"] == [
        {"name": "IntuneMAMUPN", "value": "{{userprincipalname}}"},
        {"name": "com.microsoft.outlook.Mail.FocusedInbox", "value": "false"},
    ]
    assert "apps" not in ios.spec  # targetedMobileApps are mobileApp ids: the app is not known
    assert ios.pointer("/spec/customSettings/1/value") == "/value/0/settings/1/appConfigKeyValue"
    assert xml.spec["customSettings"] == [
        {"name": "com.microsoft.outlook.Mail.OrganizeByThreadEnabled", "value": True},
        {"name": "IntuneMAMAllowedAccountsOnly", "value": "Enabled"},
    ]
    assert xml.pointer("/spec/customSettings/0/name") == "/value/1/encodedSettingXml/name"
    assert android.spec["platform"] == "android"
    assert android.spec["apps"] == [
        {
            "mobileAppIdentifier": {
                "@odata.type": "#microsoft.graph.androidMobileAppIdentifier",
                "packageId": "com.microsoft.office.outlook",
            }
        }
    ]
    assert android.spec["customSettings"][:2] == [
        {"name": "com.microsoft.outlook.Mail.FocusedInbox", "value": False},
        {"name": "com.microsoft.outlook.Contacts.LocalSyncEnabled", "value": True},
    ]
    assert android.pointer("/spec/customSettings/1/value") == "/value/2/payloadJson/1/value"


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (
            {
                "@odata.type": "#microsoft.graph.androidManagedStoreAppConfiguration",
                "payloadJson": "%%",
            },
            "payloadJson is not base64",
        ),
        (
            {
                "@odata.type": "#microsoft.graph.androidManagedStoreAppConfiguration",
                "payloadJson": "e30x",
            },
            "payloadJson does not decode to JSON",
        ),
        (
            {
                "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
                "encodedSettingXml": "PGE+",
            },
            "encodedSettingXml is not a plist <dict>",
        ),
        (  # an entity declaration is refused, never expanded
            {
                "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
                "encodedSettingXml": base64.b64encode(
                    b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "b">]><plist version="1.0">'
                    b"<dict><key>k</key><string>&a;</string></dict></plist>"
                ).decode(),
            },
            "encodedSettingXml is not a plist <dict>",
        ),
    ],
)
def test_settings_that_do_not_decode_are_said_never_guessed(item: dict, problem: str) -> None:
    found = read_graph(Document(1, {**item, "displayName": "P"}), "graph/x.json", None)
    assert found is not None and len(found.resources) == 1
    (finding,) = found.findings
    assert finding.code == "FL012" and finding.message.startswith(problem)


def test_outlook_rules_judge_device_app_configurations(lint) -> None:
    result = lint(SHAPES, "graph")
    codes = sorted((f.code, f.pointer) for f in result.findings if f.code.startswith("OM"))
    assert codes == [
        ("OM603", "/value/0/settings/1/appConfigKey"),
        ("OM603", "/value/1/encodedSettingXml/name"),
        ("OM604", "/value/2/payloadJson/1/value"),
    ]
    fl010 = only(result.findings, "FL010", None)
    assert fl010.file == "graph/licenseDetails.json"
    assert fl010.message.startswith("Graph entity set users/licenseDetails: not a kind")


def test_a_bare_list_of_typed_objects_is_read_where_it_lies() -> None:
    found = read([CA, {"@odata.type": "#microsoft.graph.user", "displayName": "Adele"}])
    assert found is not None and [(r.kind, r.root) for r in found] == [
        ("ConditionalAccessPolicy", "/0")
    ]


def test_one_page_of_a_longer_list_is_said_to_be_one() -> None:
    data = {
        "@odata.context": V1 + "identity/conditionalAccess/policies",
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=x",
        "value": [CA],
    }
    found = read_graph(Document(1, data), "graph/x.json", None)
    assert found is not None and len(found.resources) == 1
    (page,) = found.findings
    assert (page.code, page.pointer) == ("FL012", "/@odata.nextLink")
    assert "one page of a longer list" in page.message


def test_a_graph_list_windows_powershell_51_rewrote_is_still_its_list() -> None:
    data = {
        "@odata.context": V1 + "identity/conditionalAccess/policies",
        "value": {"value": [CA, {**CA, "displayName": "CA 2"}], "Count": 2},
    }
    found = read(data)
    assert found is not None
    assert [r.root for r in found] == ["/value/value/0", "/value/value/1"]


def test_a_graph_error_saved_in_place_of_the_export_is_fl010() -> None:
    data = {
        "error": {
            "code": "Forbidden",
            "message": "Missing scope permissions on the request.",
            "innerError": {
                "date": "2024-05-01T10:00:00",
                "request-id": "r",
                "client-request-id": "c",
            },
        }
    }
    found = read_graph(Document(1, data), "graph/ca.json", None)
    assert found is not None
    (finding,) = found.findings
    assert finding.code == "FL010" and finding.message.startswith(
        "this is a Graph error response (Forbidden: Missing scope permissions on the request.)"
    )
