"""Which tenant each resource belongs to, and the duplicates that grouping reveals (FL005).

A resource belongs to the tenant named in its `metadata.tenant`; otherwise to the tenant whose
`Tenant` resource sits in the nearest enclosing folder; otherwise to the default tenant.
A `Tenant` resource names its own tenant (`metadata.tenant`, else `metadata.name`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
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


def claimed_tenant(resource: Placed) -> str | None:
    """The tenant a resource names: a Tenant its own (`metadata.tenant`, else its name), any
    other resource its `metadata.tenant`; None when its folder decides."""
    if resource.kind == TENANT_KIND:
        return resource.explicit_tenant or resource.name
    return resource.explicit_tenant


class Folders:
    """Which tenant governs each folder: the one whose Tenant sits in the nearest enclosing
    folder (the first Tenant found in a folder governs it), else the default tenant. Each
    folder's answer is remembered: a project's files share few folders."""

    def __init__(self, tenants: Iterable[tuple[str, str]]) -> None:
        """`tenants`: (folder, tenant) of each Tenant resource, in file order."""
        self._governed: dict[str, str] = {}
        for folder, name in tenants:
            self._governed.setdefault(folder, name)
        self._known: dict[str, str] = {}

    @classmethod
    def of(cls, resources: Iterable[Placed]) -> Folders:
        return cls(governing(resources))

    def tenant(self, folder: str) -> str:
        """The tenant of the resources in `folder` that do not name one."""
        passed: list[str] = []
        while folder not in self._known:
            if folder in self._governed:
                self._known[folder] = self._governed[folder]
                break
            parent = posixpath.dirname(folder)  # up to "" (relative) or "/" (absolute)
            if parent == folder:
                self._known[folder] = DEFAULT_TENANT
                break
            passed.append(folder)
            folder = parent
        for below in passed:
            self._known[below] = self._known[folder]
        return self._known[folder]


def governing(resources: Iterable[Placed]) -> Iterator[tuple[str, str]]:
    """(folder, tenant) of each Tenant among `resources`: the folders they govern."""
    for resource in resources:
        if resource.kind == TENANT_KIND:
            yield posixpath.dirname(resource.file), resource.explicit_tenant or resource.name


def tenant_of(resource: Placed, folders: Folders) -> str:
    claimed = claimed_tenant(resource)
    return folders.tenant(posixpath.dirname(resource.file)) if claimed is None else claimed


def group(resources: Iterable[Resource]) -> tuple[tuple[Tenant, ...], tuple[Finding, ...]]:
    """Tenants in name order, each with its resources in file order, and FL005 findings."""
    resources = list(resources)
    folders = Folders.of(resources)
    grouped: dict[str, list[Resource]] = {}
    for resource in resources:
        grouped.setdefault(tenant_of(resource, folders), []).append(resource)
    arranged = [arrange(name, rs) for name, rs in sorted(grouped.items())]
    tenants = tuple(Tenant(name, rs) for (name, rs), _ in arranged)
    return tenants, tuple(f for _, found in arranged for f in found)


def in_file_order(resources: Iterable[P]) -> tuple[P, ...]:
    return tuple(sorted(resources, key=lambda r: (r.file, r.document, r.root)))


def arrange(
    name: str, resources: Iterable[P]
) -> tuple[tuple[str, tuple[P, ...]], tuple[Finding, ...]]:
    """A tenant's members in file order, and the FL005 findings among them."""
    ordered = in_file_order(resources)
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
