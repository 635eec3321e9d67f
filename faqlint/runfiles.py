"""A run's files between reading and judging: their summaries, and what a stage asks of them.

Every file has a summary (`results.FileSummary`: its own findings, waiver lines, how many
resources and how they are grouped), whether it was read in this run or found unchanged in the
cache. Resource heads and resources with their settings are decoded from the cache only when a
stage asks for them: grouping asks for the heads of the tenants a run reports, evaluation for
the resources of the tenants it evaluates. A file whose cached values do not read back is read
again (`reader`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from faqlint.discover import SourceFile
from faqlint.findings import Finding
from faqlint.identify import Resource, ResourceHead
from faqlint.policy import CompiledRule
from faqlint.resultcache import ResultCache
from faqlint.results import CLAIMS, EXPORTED, SETTLES, FileResult, FileSummary, summary_of
from faqlint.tenants import Folders, Tenant, governing, tenant_of

# Reads a file again: its resources and its documents by index.
Reader = Callable[[SourceFile], tuple[list[Resource], dict[int, Any]]]
Members = tuple[ResourceHead, ...]
Part = tuple[str, "int | None"]  # a file, and the index of one of its resources (None: all)


@dataclass(frozen=True)
class Reported:
    """A tenant holding a named file: its name and which files' resources it has."""

    name: str
    parts: tuple[Part, ...]


class RunFiles:
    """Every file of a run by its name (see the module)."""

    def __init__(self, cache: ResultCache | None, reader: Reader) -> None:
        self.cache, self._reader = cache, reader
        self.sources: dict[str, SourceFile] = {}
        self.summaries: dict[str, FileSummary] = {}
        self._heads: dict[str, list[ResourceHead]] = {}
        self.resources: dict[str, list[Resource]] = {}
        self.documents: dict[str, dict[int, Any]] = {}

    def add_read(self, source: SourceFile, result: FileResult) -> FileSummary:
        heads = result.heads()
        summary = summary_of(result, heads)
        self.add_cached(source, summary)
        self._heads[source.display] = heads
        self.resources[source.display] = result.resources
        self.documents[source.display] = result.documents
        return summary

    def add_cached(self, source: SourceFile, summary: FileSummary) -> None:
        self.sources[source.display] = source
        self.summaries[source.display] = summary

    def heads(self, displays: Iterable[str]) -> list[ResourceHead]:
        """The heads of `displays`, in their order (decoded together)."""
        displays = list(displays)
        wanted = [d for d in displays if d not in self._heads]
        if wanted:
            found = self.cache.heads(wanted) if self.cache is not None else {}
            self._heads.update(found)
            self._read_again(d for d in wanted if d not in found)
        return [h for d in displays for h in self._heads[d]]

    def count(self, display: str) -> int:
        """How many resources of the file the run reads (an older export run's: none)."""
        known = self._heads.get(display)
        return self.summaries[display].resources if known is None else len(known)

    def keep(self, kept: Iterable[ResourceHead], of: Iterable[str]) -> None:
        """Only the `kept` heads of the files `of` stay (older export runs are passed over)."""
        by_file: dict[str, list[ResourceHead]] = {d: [] for d in of}
        for head in kept:
            by_file[head.file].append(head)
        self._heads.update(by_file)

    def load(self, displays: Iterable[str]) -> None:
        """Make the resources of `displays` available."""
        wanted = {d for d in displays if d not in self.resources}
        if not wanted:
            return
        found = self.cache.resources(wanted) if self.cache is not None else {}
        for display, (resources, documents) in found.items():
            self.resources[display], self.documents[display] = resources, documents
        self._read_again(d for d in wanted if d not in found)

    def _read_again(self, displays: Iterable[str]) -> None:
        for display in sorted(displays):
            resources, documents = self._reader(self.sources[display])
            self._heads.setdefault(display, [r.head(i) for i, r in enumerate(resources)])
            self.resources[display], self.documents[display] = resources, documents

    def resource(self, head: ResourceHead) -> Resource:
        return self.resources[head.file][head.index]

    def members(self, tenant: Reported) -> Members:
        """The tenant's resource heads, part by part (`tenants.in_file_order` sorts them)."""
        wanted = [d for d, _ in tenant.parts]
        self.heads(sorted(set(wanted)))  # decoded together
        return tuple(
            head
            for display, index in tenant.parts
            for head in self._heads[display]
            if index is None or head.index == index
        )

    def tenant(self, name: str, members: Iterable[ResourceHead]) -> Tenant:
        members = tuple(members)
        self.load(h.file for h in members)
        return Tenant(name, tuple(self.resource(h) for h in members))


class Owners:
    """Which reported tenant each file's documents belong to: for findings that do not say."""

    def __init__(self, files: RunFiles, reported: Iterable[Reported]) -> None:
        self._files = files
        self._owners: dict[str, list[tuple[str, int | None]]] = {}
        for tenant in reported:  # in name order: the first tenant holding a document wins
            for display, index in tenant.parts:
                self._owners.setdefault(display, []).append((tenant.name, index))

    def of(self, display: str, document: int) -> str | None:
        for name, index in self._owners.get(display, ()):
            if index is None:
                return name
            heads = self._files.heads([display])
            if any(h.index == index and h.document == document for h in heads):
                return name
        return None


def place(files: RunFiles, named: frozenset[str]) -> tuple[list[Reported], int]:
    """The tenants holding a named file, and how many tenants the run has.

    Grouped from the files' summaries, as `tenants.group` groups resources: a resource joins the
    tenant it names (its summary's claims), else its folder's; the resources of files an export
    run may pass over (`SETTLES`), only what was kept of them, one by one."""
    summaries = files.summaries
    settled = {d: files.heads([d]) for d, s in summaries.items() if s.flags & SETTLES}
    folders = Folders(
        pair
        for display, summary in summaries.items()
        for pair in (
            governing(settled[display])
            if display in settled
            else ((_dirname(display), t) for _, t, is_tenant in summary.claims if is_tenant)
        )
    )
    parts: dict[str, list[Part]] = {}  # tenant -> its files, whole or by resource
    for display, summary in summaries.items():
        if not summary.resources:
            continue
        if display in settled:
            for head in settled[display]:
                parts.setdefault(tenant_of(head, folders), []).append((display, head.index))
            continue
        own = folders.tenant(_dirname(display))
        if not summary.claims:
            parts.setdefault(own, []).append((display, None))
            continue
        claimed = {index: tenant for index, tenant, _ in summary.claims}
        for index in range(summary.resources):
            parts.setdefault(claimed.get(index, own), []).append((display, index))
    reported = [
        Reported(name, tuple(parts[name]))
        for name in sorted(parts)
        if any(display in named for display, _ in parts[name])
    ]
    return reported, len(parts)


def _dirname(path: str) -> str:
    """`posixpath.dirname`, without its cost per file of a large project."""
    head = path[: path.rfind("/") + 1]
    return head.rstrip("/") if head and head != "/" * len(head) else head


def settle(
    files: RunFiles, findings: list[Finding], rules: Iterable[CompiledRule], named: frozenset[str]
) -> list[Finding]:
    """`settle_exports` over the files whose resources it may pass over, and the native Tenants
    that may govern their folders: only their heads are decoded, and the settings only of the
    named exports (the rules an export could not feed are said at the export)."""
    settling = [d for d, s in files.summaries.items() if s.flags & SETTLES]
    if settling:
        tenants = [d for d, s in files.summaries.items() if s.flags & CLAIMS]
        considered = sorted({*settling, *tenants})
        kept, findings = newest(files.heads(considered), findings)
        files.keep(kept, considered)
    named_exports = sorted(
        d for d in named if d in files.summaries and files.summaries[d].flags & EXPORTED
    )
    exported = [h for h in files.heads(named_exports) if not h.native]
    if not exported:
        return findings
    from faqlint.adapters.coverage import not_checkable  # only a run that names an export

    files.load(h.file for h in exported)
    return findings + not_checkable([files.resource(h) for h in exported], rules)


E = TypeVar("E", ResourceHead, Resource)


def newest(resources: list[E], findings: list[Finding]) -> tuple[list[E], list[Finding]]:
    """The newest export run's resources, the findings of older runs' files dropped (but for
    what kept them from being read), and one FL012 per older run (`adapters.runs`)."""
    from faqlint.adapters.runs import newest_runs

    kept, older = newest_runs(resources)
    passed_over = {(f.file, f.document) for f in older}
    findings = [
        f
        for f in findings
        if (f.file, f.document) not in passed_over or f.code in {"FL001", "FL004"}
    ]
    return kept, findings + older
