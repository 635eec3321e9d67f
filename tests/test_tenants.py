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


def test_duplicate_names_within_a_tenant_are_reported_at_the_second() -> None:
    _, findings = group(
        [
            r("Tenant", "contoso", "t/tenant.yaml"),
            r("CASMailbox", "m", "t/a.yaml"),
            r("CASMailbox", "m", "t/b.yaml"),
            r("ExchangeOrganizationConfig", "m", "t/c.yaml"),  # another kind may share the name
        ]
    )
    (finding,) = findings
    assert (finding.code, finding.file, finding.pointer) == ("FL005", "t/b.yaml", "/metadata/name")
    assert "t/a.yaml" in finding.message


def test_absolute_paths_outside_the_working_folder_find_their_tenant() -> None:
    tenants, _ = group(
        [
            r("Tenant", "far", "/srv/repo/far/tenant.yaml"),
            r("CASMailbox", "m", "/srv/repo/far/mailboxes/m.yaml"),
            r("CASMailbox", "loose", "/srv/loose.yaml"),
        ]
    )
    assert {t.name: len(t.resources) for t in tenants} == {"far": 2, DEFAULT_TENANT: 1}
