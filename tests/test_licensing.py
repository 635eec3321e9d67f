"""The licence model: the SKU table in policies/data/licensing.yaml and the verdicts of OM501-OM504.

The table's facts come from Microsoft's "Product names and service plan identifiers for
licensing"; these tests hold it to its own rules (one row per SKU, ids that are GUIDs, plans that
the catalogue of plans defines) and to the FAQ's lists of subscriptions. The verdict matrix runs
`faqlint check` on one assignment at a time, so that each case shows every licensing rule's
answer at once: never "not licensed" and "licensed on small screens" for the same users.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from faqlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _tables() -> dict[str, Any]:
    path = ROOT / "policies" / "data" / "licensing.yaml"
    return {d["metadata"]["name"]: d["data"] for d in yaml.safe_load_all(path.read_text())}


TABLES = _tables()
PLANS = {p["servicePlanName"]: p for p in TABLES["licensing"]["servicePlans"]}
SKUS = {s["skuPartNumber"]: s for s in TABLES["licensingSkus"]["skus"]}


def _grants(part: str) -> set[str]:
    return {PLANS[name]["grants"] for name in SKUS[part]["plans"]} - {"none"}


def test_every_sku_appears_once_by_part_number_and_by_id() -> None:
    rows = TABLES["licensingSkus"]["skus"]
    parts = [row["skuPartNumber"].casefold() for row in rows]
    ids = [row["skuId"] for row in rows if "skuId" in row]
    assert len(parts) == len(set(parts))
    assert len(ids) == len(set(ids))
    assert all(GUID.fullmatch(i) for i in ids)


def test_plans_are_the_catalogue_s_and_each_says_what_it_grants() -> None:
    ids = [p["servicePlanId"] for p in PLANS.values() if "servicePlanId" in p]
    assert all(GUID.fullmatch(i) for i in ids)
    assert {p["grants"] for p in PLANS.values()} == {"mailbox", "desktopApps", "none"}
    for row in SKUS.values():
        assert set(row["plans"]) <= set(PLANS), row["skuPartNumber"]
    # Exchange Foundation rides along in EMS, Power BI and others; it is not a mailbox
    assert PLANS["EXCHANGE_S_FOUNDATION"]["grants"] == "none"


@pytest.mark.parametrize(
    "part",
    # the FAQ's "Business, Business Premium, Enterprise E3, E5, and ProPlus", Government and
    # Education versions, and today's names and "(no Teams)" variants
    [
        "O365_BUSINESS",
        "O365_BUSINESS_PREMIUM",
        "SPB",
        "ENTERPRISEPACK",
        "ENTERPRISEPREMIUM",
        "ENTERPRISEPREMIUM_NOPSTNCONF",
        "SPE_E3",
        "SPE_E5",
        "DEVELOPERPACK_E5",
        "OFFICESUBSCRIPTION",
        "ENTERPRISEPACK_GOV",
        "M365_G5_GCC",
        "M365EDU_A3_FACULTY",
        "ENTERPRISEPREMIUM_STUDENT",
        "Office_365_E3_(no_Teams)",
        "O365_w/o_Teams_Bundle_M5",
        "Microsoft_365_E5_(no_Teams)",
    ],
)
def test_the_faq_s_desktop_subscriptions_have_an_office_apps_plan(part: str) -> None:
    assert "desktopApps" in _grants(part)


@pytest.mark.parametrize(
    "part",
    # the FAQ's "E1, F1, Business Essentials, A1, and ... an Exchange Online license (without
    # Office)"; Office 365 F1 is today's Office 365 F3 (DESKLESSPACK)
    [
        "STANDARDPACK",
        "DESKLESSPACK",
        "SPE_F1",
        "O365_BUSINESS_ESSENTIALS",
        "STANDARDWOFFPACK_FACULTY",
        "STANDARDPACK_GOV",
        "EXCHANGESTANDARD",
        "EXCHANGEENTERPRISE",
        "EXCHANGEDESKLESS",
        "EXCHANGE_S_ESSENTIALS",
    ],
)
def test_the_faq_s_small_screen_subscriptions_have_a_mailbox_and_no_office_apps(part: str) -> None:
    assert _grants(part) == {"mailbox"}


@pytest.mark.parametrize(
    "part",
    [
        "EMS",
        "EMSPREMIUM",
        "POWER_BI_PRO",
        "POWER_BI_STANDARD",
        "FLOW_FREE",
        "M365_F1",
        "M365EDU_A1",
        "CDS_DB_CAPACITY",
        "ExchangeServerStandardCAL",
    ],
)
def test_skus_without_exchange_online_or_office_license_nothing(part: str) -> None:
    assert _grants(part) == set()


E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900"
OFFICE_PLAN = "43de0ff5-c92c-492b-9116-175376d08c38"


@pytest.mark.parametrize(
    ("spec", "codes"),
    [
        ({"skuPartNumbers": ["EMS"]}, ["OM501"]),
        ({"skuPartNumbers": ["EMS"], "devices": {"maxScreenSizeInches": 12.9}}, ["OM501"]),
        ({"skuPartNumbers": ["POWER_BI_PRO", "FLOW_FREE"]}, ["OM501"]),
        ({"onPremisesLicenses": ["ExchangeServerStandardCAL"]}, ["OM501"]),
        ({"skuPartNumbers": ["ExchangeServerEnterpriseCAL"]}, ["OM501"]),
        ({"skuPartNumbers": ["M365_F1"]}, ["OM501"]),
        ({"skuPartNumbers": ["STANDARDPACK"]}, ["OM503"]),
        ({"skuPartNumbers": ["STANDARDPACK"], "devices": {"maxScreenSizeInches": 12.9}}, ["OM502"]),
        ({"skuPartNumbers": ["STANDARDPACK"], "devices": {"maxScreenSizeInches": 10.1}}, []),
        ({"skuPartNumbers": ["stANDARDpack", "OFFICESUBSCRIPTION"]}, []),
        ({"skuPartNumbers": ["OFFICESUBSCRIPTION"], "onPremisesLicenses": ["X"]}, []),
        ({"skuPartNumbers": [E3.upper()], "devices": {"maxScreenSizeInches": 12.9}}, []),
        # a plan disabled by its id counts; one the SKU does not have changes nothing
        (
            {"skuPartNumbers": ["ENTERPRISEPACK"], "disabledPlans": [OFFICE_PLAN]},
            ["OM503"],
        ),
        ({"skuPartNumbers": ["ENTERPRISEPACK"], "disabledPlans": ["OFFICE_BUSINESS"]}, []),
        (
            {"assignedLicenses": [{"skuId": E3, "disabledPlans": [OFFICE_PLAN]}]},
            ["OM503"],
        ),
        (
            {
                "assignedLicenses": [
                    {"skuId": E3, "disabledPlans": [OFFICE_PLAN]},
                    {"skuId": "c2273bd0-dff7-4215-9ef5-2c7bcfb06425"},
                ]
            },
            [],
        ),
        ({"skuPartNumbers": ["CONTOSO_UNKNOWN"]}, ["OM504"]),
        ({"skuPartNumbers": ["EMS", "CONTOSO_UNKNOWN"]}, ["OM504"]),
        ({"skuPartNumbers": ["SPE_E3"], "usage": "consumer"}, []),
        ({"skuPartNumbers": ["EMS"], "usage": "consumer"}, []),
    ],
)
def test_verdicts(
    spec: dict[str, Any],
    codes: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = {
        "apiVersion": "faqlint/v1",
        "kind": "LicenseAssignment",
        "metadata": {"name": "users"},
        "spec": {"assignedTo": "Users", **spec},
    }
    (tmp_path / "licences.yaml").write_text(yaml.safe_dump(document))
    monkeypatch.chdir(tmp_path)
    main(["check", "--format", "json", "--select", "OM5", "licences.yaml"])
    found = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert sorted(found) == codes


def test_the_tenant_s_subscribed_sku_wins_over_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Office 365 E3 with its Office apps plan Disabled in the tenant's subscription, and a skuId
    # that only the tenant's SubscribedSku names
    documents = [
        {
            "apiVersion": "faqlint/v1",
            "kind": "SubscribedSku",
            "metadata": {"name": "e3"},
            "spec": {
                "skuPartNumber": "ENTERPRISEPACK",
                "skuId": E3,
                "servicePlans": [
                    {"servicePlanName": "EXCHANGE_S_ENTERPRISE", "provisioningStatus": "Success"},
                    {"servicePlanId": OFFICE_PLAN, "provisioningStatus": "Disabled"},
                ],
            },
        },
        {
            "apiVersion": "faqlint/v1",
            "kind": "LicenseAssignment",
            "metadata": {"name": "users"},
            "spec": {"assignedTo": "Users", "assignedLicenses": [{"skuId": E3}]},
        },
    ]
    (tmp_path / "licences.yaml").write_text(yaml.safe_dump_all(documents))
    monkeypatch.chdir(tmp_path)
    main(["check", "--format", "json", "--select", "OM5", "licences.yaml"])
    found = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert found == ["OM503"]


@pytest.mark.parametrize(
    ("plans", "codes"),
    [
        # a plan known by name only still counts; Exchange Foundation for the Company does not
        ([{"servicePlanName": "EXCHANGE_S_DESKLESS_GOV"}], ["OM503"]),
        ([{"servicePlanName": "EXCHANGE_S_FOUNDATION", "appliesTo": "Company"}], ["OM501"]),
        ([{"servicePlanId": "9AAF7827-D63C-4B61-89C3-182F06F82E5C"}], ["OM503"]),
        ([{"servicePlanName": "OFFICE_BUSINESS"}, {"servicePlanName": "EXCHANGE_S_STANDARD"}], []),
    ],
)
def test_service_plans_of_a_sku_outside_the_table(
    plans: list[dict[str, str]],
    codes: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    documents = [
        {
            "apiVersion": "faqlint/v1",
            "kind": "SubscribedSku",
            "metadata": {"name": "agency-suite"},
            "spec": {"skuPartNumber": "AGENCY_SUITE", "servicePlans": plans},
        },
        {
            "apiVersion": "faqlint/v1",
            "kind": "LicenseAssignment",
            "metadata": {"name": "users"},
            "spec": {"assignedTo": "Users", "skuPartNumbers": ["AGENCY_SUITE"]},
        },
    ]
    (tmp_path / "licences.yaml").write_text(yaml.safe_dump_all(documents))
    monkeypatch.chdir(tmp_path)
    main(["check", "--format", "json", "--select", "OM501,OM502,OM503", "licences.yaml"])
    found = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert found == codes
