"""Which tenant each resource belongs to, and the duplicates that grouping reveals (FL005).

A resource belongs to the tenant named in its `metadata.tenant`; otherwise to the tenant whose
`Tenant` resource sits in the nearest enclosing folder; otherwise to the default tenant.
A `Tenant` resource names its own tenant (`metadata.tenant`, else `metadata.name`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from faqlint.codes import engine_finding
from faqlint.findings import Finding
from faqlint.identify import Resource

DEFAULT_TENANT = "default"
TENANT_KIND = "Tenant"


@dataclass(frozen=True, slots=True)
class Tenant:
    name: str
    resources: tuple[Resource, ...]


def _tenant_folders(resources: Iterable[Resource]) -> dict[str, str]:
    folders: dict[str, str] = {}
    for resource in resources:
        if resource.kind == TENANT_KIND:
            folder = posixpath.dirname(resource.file)
            folders.setdefault(folder, resource.explicit_tenant or resource.name)
    return folders


def tenant_of(resource: Resource, folders: dict[str, str]) -> str:
    if resource.kind == TENANT_KIND:
        return resource.explicit_tenant or resource.name
    if resource.explicit_tenant:
        return resource.explicit_tenant
    folder = posixpath.dirname(resource.file)
    while True:  # the nearest enclosing folder first, up to "" (relative) or "/" (absolute)
        if folder in folders:
            return folders[folder]
        parent = posixpath.dirname(folder)
        if parent == folder:
            return DEFAULT_TENANT
        folder = parent


def group(resources: Iterable[Resource]) -> tuple[tuple[Tenant, ...], tuple[Finding, ...]]:
    """Tenants in name order, each with its resources in file order, and FL005 findings."""
    resources = list(resources)
    folders = _tenant_folders(resources)
    members: dict[str, list[Resource]] = {}
    for resource in resources:
        members.setdefault(tenant_of(resource, folders), []).append(resource)
    tenants = tuple(
        Tenant(name, tuple(sorted(rs, key=lambda r: (r.file, r.document, r.root))))
        for name, rs in sorted(members.items())
    )
    return tenants, tuple(f for t in tenants for f in _duplicates(t))


def _duplicates(tenant: Tenant) -> Iterable[Finding]:
    """FL005 at every copy of a (kind, name), the first included: whichever file a commit adds,
    the commit that adds a duplicate fails on the file it adds, and a partial run that names
    either copy reports it."""
    copies: dict[tuple[str, str], list[Resource]] = {}
    for resource in tenant.resources:
        copies.setdefault((resource.kind, resource.name), []).append(resource)
    for same in copies.values():
        if len(same) < 2:
            continue
        first = same[0]
        for resource in same:
            if resource is first:
                other = same[1]
                message = (
                    f"{resource.kind} {resource.name!r} is defined again in tenant "
                    f"{tenant.name!r} at {other.file} (document {other.document})"
                )
            else:
                message = (
                    f"{resource.kind} {resource.name!r} is already defined in tenant "
                    f"{tenant.name!r} at {first.file} (document {first.document})"
                )
            yield engine_finding(
                "FL005",
                message + "; give each resource of a kind its own metadata.name, or delete "
                "the copy",
                file=resource.file,
                document=resource.document,
                pointer=resource.pointer("/metadata/name") if resource.native else resource.root,
                tenant=tenant.name,
                kind=resource.kind,
                resource=resource.name,
            )
