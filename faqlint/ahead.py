"""Tenants judged where their files are read: a full run's workers evaluate a tenant as soon as
they have read its folder, so that its resources need not travel back and out again.

A worker reads a group of files (a folder that holds one or more tenants, see `groups`), places
them into tenants as the whole run would (`runfiles.place`, `tenants.arrange`), and evaluates
each with every rule of the run. Whether a group's tenant is the run's tenant is not known in the
worker: a resource elsewhere may claim that tenant, a newer export run may pass over some of its
files. So each verdict goes with the tenant's `signature` (which resources, in which order), and
the run uses it only for a tenant with the same name and signature that it evaluates with every
rule; any other is evaluated as before. A rule's findings depend only on the rule and the
tenant's resources, so a verdict found ahead is the verdict. A tenant whose own Tenant resource
is not among the group's files is not judged ahead: its folder was split across groups. The
findings are located there too (`located_here`), while the files are at hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace

from faqlint.discover import SourceFile
from faqlint.findings import Finding
from faqlint.results import FileResult
from faqlint.runfiles import Reader, RunFiles, place
from faqlint.tenants import TENANT_KIND, Tenant, arrange, claimed_tenant

Signature = tuple[tuple[str, int, str, str, str, str], ...]
Verdicts = dict[tuple[str, Signature], list[Finding]]  # (tenant, signature) -> its findings
GROUPS_PER_WORKER = 4  # enough groups to keep every worker busy to the end


def signature(tenant: Tenant) -> Signature:
    """Which resources the tenant holds, in its order: a file's resource is named by its place
    in the file (document, root, spec) and by what it is."""
    return tuple(
        (r.file, r.document, r.root, r.spec_pointer, r.kind, r.name) for r in tenant.resources
    )


def groups(sources: Sequence[SourceFile], workers: int) -> list[list[SourceFile]]:
    """`sources` by folder, at the shallowest depth below their common folder that makes at least
    `GROUPS_PER_WORKER` groups a worker (a tenant's folder, in the usual layout), in the order of
    their first file."""
    parts = [s.location.split(os.sep)[:-1] for s in sources]
    common = len(os.path.commonpath([s.location for s in sources]).split(os.sep)) if sources else 0
    deepest = max((len(p) for p in parts), default=0)
    depth = common
    while depth < deepest:
        depth += 1
        if len({tuple(p[:depth]) for p in parts}) >= GROUPS_PER_WORKER * workers:
            break
    grouped: dict[tuple[str, ...], list[SourceFile]] = {}
    for source, folder in zip(sources, parts, strict=True):
        grouped.setdefault(tuple(folder[:depth]), []).append(source)
    return list(grouped.values())


def judge_ahead(
    sources: Sequence[SourceFile],
    results: Sequence[FileResult],
    reader: Reader,
    evaluate: Callable[[Tenant], list[Finding]],
) -> Verdicts:
    """The verdict on each tenant the group's files make on their own."""
    files = RunFiles(None, reader)
    for source, result in zip(sources, results, strict=True):
        files.add_read(source, result)
    reported, _ = place(files, frozenset(files.summaries))
    verdicts: Verdicts = {}
    for tenant in reported:
        (name, members), _ = arrange(tenant.name, files.members(tenant))
        if not any(h.kind == TENANT_KIND and claimed_tenant(h) == name for h in members):
            continue  # its Tenant is elsewhere (a folder split across groups): judged after
        whole = files.tenant(name, members)
        verdicts[(name, signature(whole))] = evaluate(whole)
    return verdicts


def located_here(
    sources: Sequence[SourceFile], results: Sequence[FileResult], verdicts: Verdicts
) -> tuple[list[FileResult], Verdicts]:
    """The group's findings with their line and column (`locate`, one index per file for the
    files' own findings and the verdicts' together): the run locates only what still has none."""
    from faqlint.locate import locate

    paths = {s.display: s.path for s in sources}
    ours = [f for r in results for f in r.findings] + [f for v in verdicts.values() for f in v]
    located = iter(locate([f for f in ours if f.file in paths], paths))

    def placed(findings: list[Finding]) -> list[Finding]:
        return [next(located) if f.file in paths else f for f in findings]

    return (
        [replace(r, findings=placed(r.findings)) for r in results],
        {key: placed(found) for key, found in verdicts.items()},
    )
