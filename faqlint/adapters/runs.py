"""Several runs of one export tool over one tenant: only the newest is checked.

ScubaGear writes each run into a folder of its own (`M365BaselineConformance_2024_05_01_10_00_00/
ProviderSettingsExport.json`), and admins keep its output folder as it is. Checking every run
would give each resource once per run, and every copy an FL005. What an admin
wants to know is how the tenant stands now: the newest run of each tenant (by its tenant id) is
checked; each older run gets one FL012 finding that names the run that was checked instead, so
nothing is passed over silently. Runs are ordered by the time the export records
(`timestamp_zulu`), else by the timestamp in the run folder's name, else by path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol, TypeVar

from faqlint.codes import engine_finding
from faqlint.findings import Finding
from faqlint.identify import ExportRun
from faqlint.tenants import TENANT_KIND, Placed

FIX = (
    "Nothing to fix: the newest run is the tenant's state. Move older runs out of the checked "
    "folder (or exclude them) to silence this."
)


class Exported(Placed, Protocol):
    """What picking runs reads of a resource (a `Resource` or its `ResourceHead`)."""

    @property
    def run(self) -> ExportRun | None: ...


E = TypeVar("E", bound=Exported)


def newest_runs(resources: Iterable[E]) -> tuple[list[E], list[Finding]]:
    """The resources without those of older runs (and without an export's Tenant where a native
    one governs its folder), and one FL012 per older run's file."""
    resources = native_tenants_first(resources)
    newest: dict[str, tuple[str, str]] = {}  # tenant -> (taken, file)
    for resource in resources:
        if resource.run is not None:
            order = (resource.run.taken, resource.file)
            if order > newest.get(resource.run.tenant, ("", "")):
                newest[resource.run.tenant] = order
    kept: list[E] = []
    older: dict[tuple[str, int], E] = {}
    for resource in resources:
        run = resource.run
        if run is None or newest[run.tenant][1] == resource.file:
            kept.append(resource)
        else:
            older.setdefault((resource.file, resource.document), resource)
    findings = [_older(resource, newest) for resource in older.values()]
    return kept, findings


def _older(resource: Exported, newest: dict[str, tuple[str, str]]) -> Finding:
    assert resource.run is not None
    taken, checked = newest[resource.run.tenant]
    when = f" ({resource.run.taken})" if resource.run.taken else ""
    than = f" (run of {taken})" if taken else ""
    what = "another export of the same run" if taken == resource.run.taken else "an older run"
    finding = engine_finding(
        "FL012",
        f"{what}{when} of tenant {resource.run.label!r}: its settings were not checked; "
        f"the rules checked the newest run of this tenant, {checked}{than}",
        file=resource.file,
        document=resource.document,
        pointer="",
    )
    return replace(finding, fix=FIX)


def native_tenants_first(resources: Iterable[E]) -> list[E]:
    """An export's own Tenant (ScubaGear's M365Environment) only where no native Tenant resource
    governs its folder: the one an admin wrote names the tenant and its cloud, and an export
    filed under it joins that tenant instead of starting another."""
    resources = list(resources)
    native = {posixpath.dirname(r.file) for r in resources if r.kind == TENANT_KIND and r.native}
    if not native:
        return resources
    return [r for r in resources if r.native or r.kind != TENANT_KIND or not _under(r.file, native)]


def _under(file: str, folders: set[str]) -> bool:
    folder = posixpath.dirname(file)
    while True:
        if folder in folders:
            return True
        parent = posixpath.dirname(folder)
        if parent == folder:
            return False
        folder = parent
