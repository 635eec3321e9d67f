"""What the built-in rules tell an admin, for the verdicts where wording matters: how .NET read a
TimeSpan, a version YAML turned into a number, one fix per value, nothing impossible asked.
(Which resources are flagged, and where, is held by each rule's own examples.)"""

from __future__ import annotations

import json
from typing import Any

import pytest

from faqlint.engine import evaluate
from faqlint.identify import identify
from faqlint.loaded import Document, LoadedFile
from faqlint.run import Catalogue
from faqlint.tenants import group


def _findings(catalogue: Catalogue, *resources: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(code, pointer, message) of every built-in rule's findings on one tenant's resources."""
    loaded = LoadedFile(
        "t.yaml", tuple(Document(i, r) for i, r in enumerate(resources, 1)), (), False
    )
    identified = identify(loaded, catalogue.kinds)
    tenants, _ = group(identified.resources)
    return sorted(
        (f.code, f.pointer, f.message)
        for tenant in tenants
        for f in evaluate(tenant, catalogue.policies, catalogue.kinds, catalogue.policies.rules)
    )


def _resource(kind: str, spec: dict[str, Any], name: str = "r") -> dict[str, Any]:
    return {"apiVersion": "faqlint/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def _token_policy(*definitions: Any) -> dict[str, Any]:
    return _resource("TokenLifetimePolicy", {"displayName": "P", "definition": list(definitions)})


def _lifetime(value: Any, version: Any = 1) -> str:
    return json.dumps({"TokenLifetimePolicy": {"Version": version, "AccessTokenLifetime": value}})


SIGN_IN_FREQUENCY = _resource(
    "ConditionalAccessPolicy",
    {
        "displayName": "Daily",
        "state": "enabled",
        "sessionControls": {"signInFrequency": {"isEnabled": True, "type": "days", "value": 1}},
    },
    name="daily",
)
LIFETIME_POINTER = "/spec/definition/0/TokenLifetimePolicy/AccessTokenLifetime"


def test_24_hours_written_as_24_00_00_is_read_as_24_days(catalogue: Catalogue) -> None:
    [(code, pointer, message)] = _findings(catalogue, _token_policy(_lifetime("24:00:00")))
    assert (code, pointer) == ("OM110", LIFETIME_POINTER)
    assert '"24:00:00" is read by .NET as 24 days (24.00:00:00), not 24 hours' in message
    assert '"1.00:00:00"' in message


def test_a_lifetime_that_is_no_timespan_says_which_part_is_out_of_range(
    catalogue: Catalogue,
) -> None:
    [(code, _, message)] = _findings(catalogue, _token_policy(_lifetime("24:30:00")))
    assert code == "OM110"
    assert "as hh:mm:ss, 24 is not an hour (0-23); as d:hh:mm, 30 is not an hour" in message


def test_a_string_version_is_asked_for_as_a_number(catalogue: Catalogue) -> None:
    [(code, pointer, message)] = _findings(
        catalogue, _token_policy(_lifetime("02:00:00", version="1"))
    )
    assert (code, pointer) == ("OM110", "/spec/definition/0/TokenLifetimePolicy/Version")
    assert 'the string "1"' in message and "without quotes" in message
    assert "Version is 1;" not in message


@pytest.mark.parametrize("lifetime", ["00:30:00", "0:45", "00:59:59.5"])
def test_a_short_lifetime_beside_sign_in_frequency_gets_one_fix(
    catalogue: Catalogue, lifetime: str
) -> None:
    alone = _findings(catalogue, _token_policy(_lifetime(lifetime)))
    assert [(c, p) for c, p, _ in alone] == [("OM111", LIFETIME_POINTER)]
    both = _findings(catalogue, _token_policy(_lifetime(lifetime)), SIGN_IN_FREQUENCY)
    assert [(c, p) for c, p, _ in both] == [("OM114", LIFETIME_POINTER)]
    assert "remove AccessTokenLifetime" in both[0][2]


def test_an_invalid_lifetime_beside_sign_in_frequency_gets_one_finding_with_both_ways_out(
    catalogue: Catalogue,
) -> None:
    found = _findings(catalogue, _token_policy(_lifetime("00:05:00")), SIGN_IN_FREQUENCY)
    assert [(c, p) for c, p, _ in found] == [("OM110", LIFETIME_POINTER)]
    assert "or remove AccessTokenLifetime altogether" in found[0][2]


def test_a_version_yaml_read_as_a_number_is_to_be_quoted(catalogue: Catalogue) -> None:
    found = _findings(
        catalogue,
        _resource(
            "OutlookMobileDeployment", {"platforms": ["iOS"], "minimumAppVersion": {"iOS": 4.1}}
        ),
    )
    assert [(c, p) for c, p, _ in found] == [("OM403", "/spec/minimumAppVersion/iOS")]
    assert "the number 4.1" in found[0][2] and 'quote it, e.g. "4.10"' in found[0][2]


def test_gcc_is_never_asked_for_in_app_support(catalogue: Catalogue) -> None:
    gcc = _resource("Tenant", {"cloud": "GCC"}, name="agency")
    for channel in ("inApp", "other"):
        deployment = _resource("OutlookMobileDeployment", {"support": {"channel": channel}})
        messages = [m for c, _, m in _findings(catalogue, gcc, deployment) if c == "OM708"]
        assert len(messages) == 1
        assert "premier" in messages[0]
        assert "inApp or premier" not in messages[0]


def test_a_deployment_without_platforms_covers_every_platform(catalogue: Catalogue) -> None:
    deployment = _resource(
        "OutlookMobileDeployment",
        {
            "android": {"officeAppsInstalled": False, "batteryOptimizationExempt": ["Outlook"]},
            "expectations": {"attachments": {"offlineRetentionDays": 30}},
            "minimumAppVersion": {"iOS": "3.9", "android": "3.0.9"},
        },
    )
    app_based = _resource(
        "ConditionalAccessPolicy",
        {
            "displayName": "Apps",
            "state": "enabled",
            "grantControls": {"builtInControls": ["compliantApplication"]},
        },
        name="apps",
    )
    codes = [c for c, _, _ in _findings(catalogue, deployment, app_based)]
    for code in ("OM105", "OM401", "OM601", "OM606", "OM703"):
        assert code in codes, code
    assert codes.count("OM105") == 2 and codes.count("OM401") == 2


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2016 CU7", "needs Exchange Server\n2016 CU8"),
        ("15.1.1261.35", "older than Exchange Server\n2016 CU8"),
        ("Exchange 2019", "is not a version faqlint can read"),
        ("2010 SP3", "older than Exchange Server 2013"),
    ],
)
def test_hybrid_modern_auth_names_the_server_minimum(
    catalogue: Catalogue, version: str, expected: str
) -> None:
    tenant = _resource(
        "Tenant",
        {
            "cloud": "Commercial",
            "hybrid": {
                "onPremisesMailboxes": True,
                "hybridModernAuth": True,
                "topology": "Classic",
                "directorySync": True,
                "exchangeServerVersion": version,
            },
        },
    )
    [(code, pointer, message)] = _findings(catalogue, tenant)
    assert (code, pointer) == ("OM106", "/spec/hybrid/exchangeServerVersion")
    assert " ".join(expected.split()) in " ".join(message.split())


def test_government_clouds_are_not_asked_for_hybrid_modern_authentication(
    catalogue: Catalogue,
) -> None:
    tenant = _resource(
        "Tenant",
        {
            "cloud": "GCCHigh",
            "hybrid": {"onPremisesMailboxes": True, "directorySync": True},
            "outlookMobile": {"certificateBasedAuth": True},
        },
    )
    found = {c: m for c, _, m in _findings(catalogue, tenant) if c in {"OM102", "OM104"}}
    assert set(found) == {"OM102", "OM104"}
    for message in found.values():
        assert "move these mailboxes to Exchange Online" in message
        assert "set hybrid.hybridModernAuth to true" not in message
