"""Which settings a rule reads is derived from the rule; an export without any of them is said."""

from __future__ import annotations

from faqlint.adapters.common import export_resource
from faqlint.adapters.coverage import not_checkable, reads
from faqlint.identify import Resource
from faqlint.run import Catalogue


def _rule(catalogue: Catalogue, code: str):  # type: ignore[no-untyped-def]
    return next(r for r in catalogue.policies.rules if r.code == code)


def test_the_settings_a_rule_reads_come_from_its_own_expressions(catalogue: Catalogue) -> None:
    assert reads(_rule(catalogue, "OM201"), "CASMailbox") >= {"EwsEnabled"}
    assert "contactSyncBlocked" not in reads(_rule(catalogue, "OM604"), "AppConfigurationPolicy")
    assert reads(_rule(catalogue, "OM604"), "AppConfigurationPolicy") >= {"customSettings"}


def _org(spec: dict, native: bool = False) -> Resource:
    resource = export_resource("ExchangeOrganizationConfig", "org", "org.json", 1, spec, "", "x")
    if native:
        from dataclasses import replace

        resource = replace(resource, native=True)
    return resource


def test_an_export_with_none_of_a_rules_settings_is_named_once(catalogue: Catalogue) -> None:
    rules = catalogue.policies.rules
    partial = _org({"Identity": "org", "OAuth2ClientProfileEnabled": True})
    (finding,) = not_checkable([partial, partial], rules)
    assert (finding.code, finding.file, finding.kind) == (
        "FL012",
        "org.json",
        "ExchangeOrganizationConfig",
    )
    assert "OM201 (ews-disabled)" in finding.message
    assert "OM101" not in finding.message  # OAuth2ClientProfileEnabled is there


def test_null_is_a_value_and_native_files_are_never_judged_so(catalogue: Catalogue) -> None:
    rules = catalogue.policies.rules
    keys = ("EwsEnabled", "EwsApplicationAccessPolicy", "EwsAllowList", "EwsBlockList")
    full = _org({k: None for k in keys} | {"Identity": "org"})
    assert not [f for f in not_checkable([full], rules) if "OM201" in f.message]
    assert not_checkable([_org({"Identity": "org"}, native=True)], rules) == []
