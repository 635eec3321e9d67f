from __future__ import annotations

from faqlint.identify import identify, suggest
from faqlint.load import load_text

KINDS = frozenset({"Tenant", "ExchangeOrganizationConfig"})


def test_native_documents_become_resources() -> None:
    loaded = load_text(
        "apiVersion: faqlint/v1\nkind: Tenant\nmetadata: {name: contoso}\nspec: {cloud: GCC}\n",
        "t.yaml",
        False,
    )
    identified = identify(loaded, KINDS)
    (resource,) = identified.resources
    assert (resource.kind, resource.name, resource.spec, resource.pointer("/spec/cloud")) == (
        "Tenant",
        "contoso",
        {"cloud": "GCC"},
        "/spec/cloud",
    )


def test_unknown_kind_suggests_the_closest() -> None:
    loaded = load_text("apiVersion: faqlint/v1\nkind: Tennant\nspec: {}\n", "t.yaml", False)
    (finding,) = identify(loaded, KINDS).findings
    assert finding.code == "FL003"
    assert "did you mean 'Tenant'" in finding.message
    assert finding.pointer == "/kind"


def test_foreign_documents_are_counted_not_judged() -> None:
    loaded = load_text(
        "name: CI\non: [push]\n---\napiVersion: v1\nkind: ConfigMap\n", "ci.yaml", False
    )
    identified = identify(loaded, KINDS)
    assert (identified.resources, identified.findings, identified.read) == ((), (), 0)


def test_missing_api_version_with_a_known_kind_is_still_ours() -> None:
    loaded = load_text("kind: Tenant\nmetadata: {name: x}\nspec: {cloud: GCC}\n", "t.yaml", False)
    assert len(identify(loaded, KINDS).resources) == 1


def test_nameless_resource_gets_a_stable_stand_in_name() -> None:
    loaded = load_text("apiVersion: faqlint/v1\nkind: Tenant\nspec: {}\n", "dir/t.yaml", False)
    assert identify(loaded, KINDS).resources[0].name == "t#1"


def test_suggest() -> None:
    assert (
        suggest("EwsAllowlist", ["EwsAllowList", "EwsBlockList"])
        == "; did you mean 'EwsAllowList'?"
    )
    assert suggest("zzz", ["EwsAllowList"]) == ""


def test_a_file_kinds_maps_that_holds_no_object_is_fl010() -> None:
    from faqlint.adapters import ADAPTERS

    for text, shape in (("just text\n", "holds a string"), ("[1, 2]\n", "holds a list without")):
        loaded = load_text(text, "exports/org.yaml", False)
        (finding,) = identify(loaded, KINDS, ADAPTERS, "ExchangeOrganizationConfig").findings
        assert finding.code == "FL010" and shape in finding.message
    empty = load_text("# nothing yet\n", "exports/org.yaml", False)
    (finding,) = identify(empty, KINDS, ADAPTERS, "ExchangeOrganizationConfig").findings
    assert "it is empty" in finding.message
    assert identify(empty, KINDS, ADAPTERS, None).findings == ()
