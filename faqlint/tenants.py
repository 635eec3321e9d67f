"""Which tenant each resource belongs to, and the duplicates that grouping reveals (FL005).

A resource belongs to the tenant named in its `metadata.tenant`; otherwise to the tenant whose
`Tenant` resource sits in the nearest enclosing folder; otherwise to the default tenant.
A `Tenant` resource names its own tenant (`metadata.tenant`, else `metadata.name`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from faqlint.codes import engine_finding
from faqlint.findings import Finding
from faqlint.identify import Resource

DEFAULT_TENANT = "default"
TENANT_KIND = "Tenant"


@dataclass(frozen=True, slots=True)
class Tenant:
    name: str
    resources: tuple[Resource, ...]


class Placed(Protocol):
    """What grouping reads of a resource: a `Resource`, or its `ResourceHead` (a cached file's
    resource whose settings are not decoded)."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def document(self) -> int: ...
    @property
    def root(self) -> str: ...
    @property
    def native(self) -> bool: ...
    @property
    def explicit_tenant(self) -> str | None: ...
    @property
    def name_pointer(self) -> str: ...


P = TypeVar("P", bound=Placed)


def tenant_folders(resources: Iterable[Placed]) -> dict[str, str]:
    """Folder -> the tenant whose `Tenant` resource sits in it."""
    folders: dict[str, str] = {}
    for resource in resources:
        if resource.kind == TENANT_KIND:
            folder = posixpath.dirname(resource.file)
            folders.setdefault(folder, resource.explicit_tenant or resource.name)
    return folders


def tenant_of(resource: Placed, folders: dict[str, str]) -> str:
    if resource.kind == TENANT_KIND:
        return resource.explicit_tenant or resource.name
    if resource.explicit_tenant:
        return resource.explicit_tenant
    return folder_tenant(posixpath.dirname(resource.file), folders)


def folder_tenant(folder: str, folders: dict[str, str]) -> str:
    while True:  # the nearest enclosing folder first, up to "" (relative) or "/" (absolute)
        if folder in folders:
            return folders[folder]
        parent = posixpath.dirname(folder)
        if parent == folder:
            return DEFAULT_TENANT
        folder = parent


def group(resources: Iterable[Resource]) -> tuple[tuple[Tenant, ...], tuple[Finding, ...]]:
    """Tenants in name order, each with its resources in file order, and FL005 findings."""
    grouped, duplicates = members(resources)
    return tuple(Tenant(name, rs) for name, rs in grouped), duplicates


def members(
    resources: Iterable[P],
) -> tuple[tuple[tuple[str, tuple[P, ...]], ...], tuple[Finding, ...]]:
    """`group` for resources or their heads: (tenant name, its members in file order) in name
    order, and FL005 findings."""
    resources = list(resources)
    folders = tenant_folders(resources)
    by_folder: dict[str, str] = {}  # most files share their folder's tenant: look it up once
    grouped: dict[str, list[P]] = {}
    for resource in resources:
        if resource.kind == TENANT_KIND or resource.explicit_tenant:
            name = tenant_of(resource, folders)
        else:
            folder = posixpath.dirname(resource.file)
            name = by_folder.get(folder) or by_folder.setdefault(
                folder, folder_tenant(folder, folders)
            )
        grouped.setdefault(name, []).append(resource)
    arranged = [arrange(name, rs) for name, rs in sorted(grouped.items())]
    return tuple(a for a, _ in arranged), tuple(f for _, found in arranged for f in found)


def arrange(
    name: str, resources: Iterable[P]
) -> tuple[tuple[str, tuple[P, ...]], tuple[Finding, ...]]:
    """A tenant's members in file order, and the FL005 findings among them."""
    ordered = tuple(sorted(resources, key=lambda r: (r.file, r.document, r.root)))
    return (name, ordered), tuple(_duplicates(name, ordered))


def _duplicates(tenant: str, resources: Iterable[Placed]) -> Iterable[Finding]:
    """FL005 at every copy of a (kind, name), the first included: whichever file a commit adds,
    the commit that adds a duplicate fails on the file it adds, and a partial run that names
    either copy reports it."""
    copies: dict[tuple[str, str], list[Placed]] = {}
    for resource in resources:
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
                    f"{tenant!r} at {other.file} (document {other.document})"
                )
            else:
                message = (
                    f"{resource.kind} {resource.name!r} is already defined in tenant "
                    f"{tenant!r} at {first.file} (document {first.document})"
                )
            yield engine_finding(
                "FL005",
                message + "; give each resource of a kind its own metadata.name, or delete "
                "the copy",
                file=resource.file,
                document=resource.document,
                pointer=resource.name_pointer,
                tenant=tenant,
                kind=resource.kind,
                resource=resource.name,
            )
