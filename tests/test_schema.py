from __future__ import annotations

from faqlint.identify import Resource
from faqlint.run import Catalogue
from faqlint.schema import validate


def native(kind: str, spec: dict, **envelope: object) -> tuple[Resource, dict]:
    document = {"apiVersion": "faqlint/v1", "kind": kind, "metadata": {"name": "x"}, "spec": spec}
    document.update(envelope)
    return Resource(kind=kind, name="x", file="f.yaml", document=1, spec=spec), document


def messages(
    catalogue: Catalogue, kind: str, spec: dict, **envelope: object
) -> list[tuple[str, str]]:
    resource, document = native(kind, spec, **envelope)
    return [(f.pointer, f.message) for f in validate(resource, document, catalogue.schemas)]


def test_valid_resource_has_no_findings(catalogue: Catalogue) -> None:
    assert messages(catalogue, "ExchangeOrganizationConfig", {"EwsEnabled": None}) == []


def test_unknown_key_is_reported_at_the_key_with_a_hint(catalogue: Catalogue) -> None:
    assert messages(catalogue, "ExchangeOrganizationConfig", {"EwsAllowlist": []}) == [
        ("/spec/EwsAllowlist", "unknown key 'EwsAllowlist' in spec; did you mean 'EwsAllowList'?")
    ]


def test_enum_type_and_required_messages(catalogue: Catalogue) -> None:
    found = dict(
        messages(
            catalogue,
            "ExchangeOrganizationConfig",
            {"EwsApplicationAccessPolicy": "EnforceAllowlist", "EwsEnabled": "yes"},
        )
    )
    assert (
        "use one of: EnforceAllowList, EnforceBlockList, null; did you mean 'EnforceAllowList'?"
        in (found["/spec/EwsApplicationAccessPolicy"])
    )
    assert found["/spec/EwsEnabled"] == (
        'spec.EwsEnabled must be a boolean (true or false) or null, not the string "yes"'
    )
    assert messages(catalogue, "CASMailbox", {}) == [
        ("/spec", "missing required key 'Identity' in spec")
    ]


def test_api_version_is_checked(catalogue: Catalogue) -> None:
    assert messages(catalogue, "Tenant", {"cloud": "GCC"}, apiVersion="faqlint/v2") == [
        ("/apiVersion", 'apiVersion must be "faqlint/v1", not the string "faqlint/v2"')
    ]


def test_raw_exports_are_lenient_about_unmodelled_keys(catalogue: Catalogue) -> None:
    spec = {"displayName": "p", "definition": ["{}"], "someGraphProperty": 1}
    raw = Resource(
        kind="TokenLifetimePolicy",
        name="p",
        file="e.json",
        document=1,
        spec=spec,
        root="/value/0",
        spec_pointer="/value/0",
        native=False,
    )
    assert validate(raw, None, catalogue.schemas) == []
    wrong = Resource(
        kind="TokenLifetimePolicy",
        name="p",
        file="e.json",
        document=1,
        spec={**spec, "isOrganizationDefault": "yes"},
        root="/value/0",
        spec_pointer="/value/0",
        native=False,
    )
    (finding,) = validate(wrong, None, catalogue.schemas)
    assert finding.pointer == "/value/0/isOrganizationDefault"
