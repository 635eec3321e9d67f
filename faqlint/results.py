"""What reading a file yields and what a run says of a tenant, as plain values: passed between
the stages of a run and across worker processes, and kept by the result cache."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from faqlint.findings import Finding
from faqlint.identify import Resource, ResourceHead
from faqlint.loaded import WaiverLine
from faqlint.tenants import TENANT_KIND, claimed_tenant


@dataclass(frozen=True)
class FileResult:
    """What reading one file yields, as plain values (also across worker processes)."""

    display: str
    resources: list[Resource]
    findings: list[Finding]
    relevant: bool
    waiver_lines: tuple[WaiverLine, ...]
    documents: dict[int, Any]  # only when baselining needs the values behind findings

    def heads(self) -> list[ResourceHead]:
        return [r.head(i) for i, r in enumerate(self.resources)]


# FileSummary.flags: what a file's resources are, told without decoding them
RELEVANT = 1  # faqlint read something in it
CLAIMS = 2  # a Tenant, or a resource that names its tenant (`metadata.tenant`)
EXPORTED = 4  # a resource read from an export
ANNOTATED = 8  # a resource with faqlint's annotations (waivers)
SETTLES = 16  # an export run's resource, or an export's own Tenant: see `adapters.runs`


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What every run needs of a file, cached or read: its own findings and waiver lines, and
    how its resources are grouped (a value, shared by files that summarise alike). A file whose
    resources neither name their tenant (`CLAIMS`) nor may be passed over as an older export run
    (`SETTLES`) belongs as a whole to its folder's tenant, so its heads are decoded only when
    that tenant is reported."""

    resources: int
    flags: int
    # (index, tenant, is a Tenant) of each resource that names its tenant (`CLAIMS`)
    claims: tuple[tuple[int, str, bool], ...]
    findings: list[Finding]
    waiver_lines: tuple[WaiverLine, ...]

    @property
    def relevant(self) -> bool:
        return bool(self.flags & RELEVANT)


def summary_of(result: FileResult, heads: Sequence[ResourceHead]) -> FileSummary:
    count, flags, claims = shape_of(heads)
    flags |= RELEVANT if result.relevant else 0
    return FileSummary(count, flags, claims, result.findings, result.waiver_lines)


def shape_of(heads: Sequence[ResourceHead]) -> tuple[int, int, tuple[tuple[int, str, bool], ...]]:
    """How many resources, the flags their heads give (all but RELEVANT), and their claims."""
    flags = 0
    claims = tuple(
        (h.index, claimed, h.kind == TENANT_KIND)
        for h in heads
        if (claimed := claimed_tenant(h)) is not None
    )
    if claims:
        flags |= CLAIMS
    if any(not h.native for h in heads):
        flags |= EXPORTED
    if any(h.run is not None or (h.kind == TENANT_KIND and not h.native) for h in heads):
        flags |= SETTLES
    if any(h.annotated for h in heads):
        flags |= ANNOTATED
    return len(heads), flags, claims


@dataclass(frozen=True)
class Verdict:
    """What a run says of a tenant: its rules' findings, its duplicates (FL005) and the kinds of
    its resources (which rules it was checked against)."""

    findings: list[Finding]
    duplicates: list[Finding]
    kinds: frozenset[str]
