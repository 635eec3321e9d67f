from __future__ import annotations

from faqlint.identify import Resource
from faqlint.tenants import DEFAULT_TENANT, group


def r(kind: str, name: str, file: str, tenant: str | None = None) -> Resource:
    metadata = {"name": name} | ({"tenant": tenant} if tenant else {})
    return Resource(kind=kind, name=name, file=file, document=1, spec={}, metadata=metadata)


def test_nearest_tenant_folder_explicit_tenant_and_default() -> None:
    tenants, findings = group(
        [
            r("Tenant", "contoso", "tenants/contoso/tenant.yaml"),
            r("Tenant", "eu", "tenants/contoso/eu/tenant.yaml"),
            r("ExchangeOrganizationConfig", "org", "tenants/contoso/exchange/org.yaml"),
            r("ExchangeOrganizationConfig", "org", "tenants/contoso/eu/org.yaml"),
            r("CASMailbox", "m", "shared/m.yaml", tenant="contoso"),
            r("CASMailbox", "loose", "loose.yaml"),
        ]
    )
    members = {t.name: sorted(x.file for x in t.resources) for t in tenants}
    assert members == {
        "contoso": [
            "shared/m.yaml",
            "tenants/contoso/exchange/org.yaml",
            "tenants/contoso/tenant.yaml",
        ],
        "eu": ["tenants/contoso/eu/org.yaml", "tenants/contoso/eu/tenant.yaml"],
        DEFAULT_TENANT: ["loose.yaml"],
    }
    assert findings == ()


def test_duplicate_names_within_a_tenant_are_reported_at_every_copy() -> None:
    _, findings = group(
        [
            r("Tenant", "contoso", "t/tenant.yaml"),
            r("CASMailbox", "m", "t/a.yaml"),
            r("CASMailbox", "m", "t/b.yaml"),
            r("ExchangeOrganizationConfig", "m", "t/c.yaml"),  # another kind may share the name
        ]
    )
    first, second = findings
    assert (first.code, first.file, first.pointer) == ("FL005", "t/a.yaml", "/metadata/name")
    assert "defined again in tenant 'contoso' at t/b.yaml" in first.message
    assert (second.code, second.file, second.pointer) == ("FL005", "t/b.yaml", "/metadata/name")
    assert "already defined in tenant 'contoso' at t/a.yaml" in second.message


def test_three_copies_are_three_findings_each_naming_another() -> None:
    _, findings = group([r("CASMailbox", "m", f"{n}.yaml") for n in "abc"])
    assert [(f.file, f.tenant) for f in findings] == [
        ("a.yaml", DEFAULT_TENANT),
        ("b.yaml", DEFAULT_TENANT),
        ("c.yaml", DEFAULT_TENANT),
    ]
    assert all("a.yaml" in f.message or "b.yaml" in f.message for f in findings)


def test_absolute_paths_outside_the_working_folder_find_their_tenant() -> None:
    tenants, _ = group(
        [
            r("Tenant", "far", "/srv/repo/far/tenant.yaml"),
            r("CASMailbox", "m", "/srv/repo/far/mailboxes/m.yaml"),
            r("CASMailbox", "loose", "/srv/loose.yaml"),
        ]
    )
    assert {t.name: len(t.resources) for t in tenants} == {"far": 2, DEFAULT_TENANT: 1}
