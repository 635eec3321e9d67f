"""The pipeline of a `faqlint check` run, one stage a function, plain values between them:

discover -> load -> identify -> read as the service does -> validate -> group -> evaluate ->
select -> locate -> sort.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from faqlint import parallel
from faqlint.codes import ENGINE_CODES
from faqlint.config import Config, find_config, parse_size
from faqlint.discover import SourceFile, WalkRecord, discover
from faqlint.engine import EVALUATION_ERROR, evaluate, prepare
from faqlint.findings import Finding, Position, Severity
from faqlint.identify import Resource, ResourceHead, identify
from faqlint.load import LoadedFile, WaiverLine, load
from faqlint.locate import locate
from faqlint.options import RunOptions, RunResult, Selection
from faqlint.policy import CompiledRule, Policies, load_policies
from faqlint.resources import builtin_policies
from faqlint.resultcache import (
    ANNOTATED,
    CLAIMS,
    EXPORTED,
    SETTLES,
    FileResult,
    FileSummary,
    ResultCache,
    summary_of,
    walk_key,
)
from faqlint.schema import KindSchema, load_schemas, validate
from faqlint.tenants import TENANT_KIND, Tenant, arrange, folder_tenant, tenant_of
from faqlint.values import read_as_service
from faqlint.wildmatch import glob_matches

# The run's values live in `faqlint.options`; reports and tests name them from here too.
__all__ = [
    "Catalogue",
    "RunOptions",
    "RunResult",
    "Selection",
    "check",
    "exit_code",
    "load_catalogue",
    "read_file",
    "settle_exports",
    "sources_of",
]


@dataclass(frozen=True)
class Catalogue:
    """Everything a run knows before it reads a file: kinds, rules, tables."""

    schemas: dict[str, KindSchema]
    policies: Policies

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self.schemas)

    def codes(self) -> dict[str, str]:
        """Every code a finding can carry -> its name."""
        found = {c.code: c.name for c in ENGINE_CODES}
        found.update({r.code: r.name for r in self.policies.rules})
        return found


def load_catalogue(policy_paths: Iterable[Path] = ()) -> Catalogue:
    schemas = load_schemas()
    policies = load_policies([builtin_policies(), *policy_paths])
    return Catalogue(schemas, policies)


def read_file(
    source: SourceFile, catalogue: Catalogue, kinds: dict[str, str], root: Path | None = None
) -> tuple[LoadedFile, list[Resource], list[Finding], bool]:
    """Load, identify and schema-check one file. Returns its resources and findings, and whether
    it held anything faqlint reads. `kinds` globs match the path relative to `root` (the config
    file's folder), so they mean the same from whichever folder faqlint runs."""

    loaded = load(
        source.path,
        source.display,
        problem=source.problem,
        max_size=source.max_size,
        follow=source.is_link,
    )
    relative = source.display if root is None else _relative(source.path, root)
    forced = next((k for glob, k in kinds.items() if glob_matches(glob, relative)), None)
    resources, findings, relevant = read_loaded(loaded, catalogue, forced)
    return loaded, resources, findings, relevant


def read_loaded(
    loaded: LoadedFile, catalogue: Catalogue, forced_kind: str | None = None
) -> tuple[list[Resource], list[Finding], bool]:
    """Identify and schema-check a loaded file (`read_file` after loading; `--fix` on the text it
    is about to write): its resources as the service reads them, its findings, and whether it
    held anything faqlint reads."""
    from faqlint.adapters import ADAPTERS

    identified = identify(loaded, catalogue.kinds, ADAPTERS, forced_kind)
    findings = list(loaded.findings) + list(identified.findings)
    documents = {d.index: d.data for d in loaded.documents}
    resources: list[Resource] = []
    for resource in identified.resources:
        resource, spelling = read_as_service(resource, catalogue.schemas)
        findings += spelling
        findings += validate(resource, documents.get(resource.document), catalogue.schemas)
        resources.append(resource)
    relevant = bool(identified.read or identified.findings or loaded.findings)
    return resources, findings, relevant


@dataclass(frozen=True)
class _RunState:
    catalogue: Catalogue
    kinds: dict[str, str]
    root: Path
    fingerprints: bool
    rules: tuple[CompiledRule, ...] = ()


def _read_one(source: SourceFile) -> FileResult:
    state: _RunState = parallel.shared()
    loaded, resources, findings, relevant = read_file(
        source, state.catalogue, state.kinds, state.root
    )
    documents = {d.index: d.data for d in loaded.documents} if state.fingerprints else {}
    return FileResult(source.display, resources, findings, relevant, loaded.waiver_lines, documents)


def _evaluate_one(work: tuple[Tenant, frozenset[str]]) -> list[Finding]:
    """The findings on a tenant of the run's rules with the given codes."""
    tenant, codes = work
    state: _RunState = parallel.shared()
    rules = [r for r in state.rules if r.code in codes]
    return evaluate(tenant, state.catalogue.policies, state.catalogue.kinds, rules)


Members = tuple[ResourceHead, ...]


def _rule_findings(
    reported: Sequence[tuple[str, Members]],
    rules: Sequence[CompiledRule],
    files: _Files,
    pool: parallel.Workers,
) -> list[Finding]:
    """The rules' findings on each reported tenant: from the cache by the whole tenant, else by
    the resources each group of rules can read (an edit re-evaluates only the rules that see
    the edited kinds), else evaluated; what was evaluated is recorded."""
    cache = files.cache
    if cache is None:
        work = [(files.tenant(n, ms), frozenset(r.code for r in rules)) for n, ms in reported]
        return [f for found in pool.map(_evaluate_one, work) for f in found]
    groups = _rule_groups(rules)
    whole_keys = [cache.tenant_key(n, ms) for n, ms in reported]
    known = cache.tenants(whole_keys)
    missing = [i for i, key in enumerate(whole_keys) if key is None or key not in known]
    group_keys = {
        i: [cache.rules_key(*reported[i], kinds, codes) for kinds, codes in groups] for i in missing
    }
    known.update(cache.tenants([k for keys in group_keys.values() for k in keys]))
    plans: dict[int, frozenset[str]] = {}  # tenant -> codes of the rules to evaluate
    for i in missing:
        plans[i] = frozenset(
            code
            for (_, codes), key in zip(groups, group_keys[i], strict=True)
            if key is None or key not in known
            for code in codes
        )
    to_evaluate = [i for i, codes in plans.items() if codes]
    work = [(files.tenant(*reported[i]), plans[i]) for i in to_evaluate]
    evaluated = dict(zip(to_evaluate, pool.map(_evaluate_one, work), strict=True))
    findings: list[Finding] = []
    for i, whole_key in enumerate(whole_keys):
        if i not in plans:  # found by its whole key
            assert whole_key is not None
            findings += known[whole_key]
            continue
        fresh = evaluated.get(i, [])
        codes_of_run = {code for _, codes in groups for code in codes}
        unassigned = [f for f in fresh if f.code not in codes_of_run]  # FL009
        by_code: dict[str, list[Finding]] = {}
        for (_, codes), key in zip(groups, group_keys[i], strict=True):
            cached = key is not None and key in known
            part = (
                known[key] if cached and key is not None else [f for f in fresh if f.code in codes]
            )
            if not cached and not unassigned:  # a rule that failed is evaluated again
                cache.put_tenant(key, part)
            for finding in part:
                by_code.setdefault(finding.code, []).append(finding)
        together = [f for r in rules for f in by_code.get(r.code, [])]
        if not unassigned:
            cache.put_tenant(whole_key, together)
        findings += together + unassigned
    return findings


def _rule_groups(
    rules: Sequence[CompiledRule],
) -> list[tuple[frozenset[str] | None, tuple[str, ...]]]:
    """The rules grouped by the kinds they can read, in the rules' order."""
    from faqlint.sight import sight_of

    groups: dict[frozenset[str] | None, list[str]] = {}
    for rule in rules:
        groups.setdefault(sight_of(rule).kinds, []).append(rule.code)
    return [(kinds, tuple(codes)) for kinds, codes in groups.items()]


class _Files:
    """Every file of a run by its name: its summary, and, when a stage asks for them, its
    resource heads and its resources with their settings, from this run's reading or decoded
    from the cache (a file whose cached values do not read back is read again)."""

    def __init__(self, cache: ResultCache | None, state: _RunState) -> None:
        self.cache, self.state = cache, state
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
            source = self.sources[display]
            loaded, resources, _, _ = read_file(
                source, self.state.catalogue, self.state.kinds, self.state.root
            )
            self._heads.setdefault(display, [r.head(i) for i, r in enumerate(resources)])
            self.resources[display] = resources
            self.documents[display] = {d.index: d.data for d in loaded.documents}

    def resource(self, head: ResourceHead) -> Resource:
        return self.resources[head.file][head.index]

    def tenant(self, name: str, members: Iterable[ResourceHead]) -> Tenant:
        members = tuple(members)
        self.load(h.file for h in members)
        return Tenant(name, tuple(self.resource(h) for h in members))


def _open_cache(options: RunOptions) -> ResultCache | None:
    """The project's cache, when the run reads the project: a lone file elsewhere (checked from
    inside a repository) is read faster than the project's cache is opened."""
    if not options.cache:
        return None
    inside = str(options.root).rstrip(os.sep) + os.sep
    given = [os.path.abspath(os.path.join(options.cwd, p)) for p in options.paths]
    if not any(g == str(options.root) or g.startswith(inside) for g in given):
        return None
    return ResultCache.open(options, options.policy_paths)


def check(
    options: RunOptions,
    catalogue: Catalogue,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Check `options.paths`. `progress(done, total)` is called after each file is read.

    When files are named (as pre-commit names the staged ones), the rest of the project under
    `root` is read too, so that rules across a tenant see all of it, and only the named files'
    findings are reported: see `sources_of`. Only the tenants that hold a named file are
    evaluated, and from a cache only their files' settings are decoded. The configuration's
    rules and kinds are checked where it is loaded (`config.check_config`), against the same
    catalogue.
    """
    config, root, selection = options.config, options.root, options.selection
    cache = _open_cache(options)
    sources, named, whole = _sources(
        list(options.paths), config, root, options.cwd, options.config_file, cache
    )
    rules = tuple(r for r in catalogue.policies.rules if selection.enabled(r.code, r.name))
    state = _RunState(catalogue, config.kinds, root, options.fingerprints, rules)
    cached: list[FileSummary | None] = [
        cache.file(s) if cache is not None else None for s in sources
    ]
    missing = [s for s, c in zip(sources, cached, strict=True) if c is None]
    workers = parallel.workers_for(options.jobs, len(missing))
    if workers > 1:
        prepare(rules)

    files = _Files(cache, state)
    findings: list[Finding] = []
    empty: list[str] = []
    waiver_lines: dict[str, tuple[WaiverLine, ...]] = {}
    with parallel.Workers(workers, state) as pool:
        read = iter(pool.map(_read_one, missing))
        for done, (source, known) in enumerate(zip(sources, cached, strict=True), start=1):
            if known is None:
                result = next(read)
                if cache is not None:
                    cache.put_file(source, result)
                known = files.add_read(source, result)
            else:
                files.add_cached(source, known)
            findings += known.findings
            if known.waiver_lines:
                waiver_lines[source.display] = known.waiver_lines
            if not known.relevant and source.display in named:
                empty.append(source.display)
            if progress is not None:
                progress(done, len(sources))
        findings = _settle(files, findings, rules, named)
        reported, duplicates, tenant_count = _place(files, named)
        findings += duplicates
        findings += _rule_findings(reported, rules, files, pool)
    if any(f.code in (SCHEMA_VIOLATION, EVALUATION_ERROR) for f in findings):
        from faqlint.consequences import without_consequences  # only for these findings

        findings = without_consequences(
            findings,
            _with_invalid_values(findings, reported, files),
            catalogue.policies,
            catalogue.kinds,
            catalogue.schemas,
            rules,
        )

    tenant_of: dict[tuple[str, int], str] = {}
    for name, tenant_members in reported:
        for head in tenant_members:
            tenant_of.setdefault((head.file, head.document), name)

    findings = [
        _finalize(f, selection, tenant_of)
        for f in findings
        if selection.enabled(f.code, f.name) and f.file in named
    ]
    paths = _Paths({s.display: s.location for s in sources})
    suppressed: tuple[Finding, ...] = ()
    annotated_files = [d for d, s in files.summaries.items() if s.flags & ANNOTATED]
    if waiver_lines or config.per_file_ignores or annotated_files:
        from faqlint.suppress import suppress_stage  # most runs have no waiver at all

        annotated = [h for h in files.heads(annotated_files) if h.annotated]
        files.load(h.file for h in annotated)
        waived = suppress_stage(
            findings,
            options,
            catalogue.codes(),
            [files.resource(h) for h in annotated],
            waiver_lines,
            paths,
        )
        suppressed = waived.suppressed
        findings = list(waived.kept) + [
            _finalize(f, selection, tenant_of)
            for f in waived.waiver_findings
            if selection.enabled(f.code, f.name) and (f.file in named or f.file not in paths)
        ]
    located = _located(findings, paths, cache)
    if options.fingerprints:
        files.load({f.file for f in located if f.file in files.sources})
        located = [_fingerprinted(f, files.documents) for f in located]
    if cache is not None:
        present = [s.display for s in sources] if whole else None
        cache.save(present=present, tenants_in_run=tenant_count)
    shown = [s.display for s in sources if s.display in named]
    return RunResult(
        findings=tuple(sorted(located, key=Finding.sort_key)),
        files=tuple(shown),
        tenants=tuple(name for name, _ in reported),
        resources=len(files.heads(d for d in shown if files.summaries[d].resources)),
        files_without_resources=tuple(empty),
        suppressed=tuple(sorted(suppressed, key=Finding.sort_key)),
        checked=_checked(reported, rules),
    )


def _place(
    files: _Files, named: frozenset[str]
) -> tuple[list[tuple[str, Members]], list[Finding], int]:
    """The tenants holding a named file, each with its members in file order, their FL005
    findings, and how many tenants the run has.

    Grouped from the files' summaries: a resource joins the tenant it names (its summary's
    claims), else its folder's, so a file's heads are decoded only when a tenant it belongs to
    is reported; the resources of files an export run may pass over (`SETTLES`), only what was
    kept of them, one by one."""
    summaries = files.summaries
    settled = {d: files.heads([d]) for d, s in summaries.items() if s.flags & SETTLES}
    folders: dict[str, str] = {}  # the first Tenant in a folder governs it, as `group` reads it
    for display, summary in summaries.items():
        if display in settled:
            found = [(h.index, tenant_of(h, {}), h.kind == TENANT_KIND) for h in settled[display]]
        else:
            found = list(summary.claims)
        for _, tenant, is_tenant in found:
            if is_tenant:
                folders.setdefault(posixpath.dirname(display), tenant)
    by_folder: dict[str, str] = {}
    parts: dict[str, list[tuple[str, int | None]]] = {}  # tenant -> (file, index or all of it)
    for display, summary in summaries.items():
        if display in settled:
            for head in settled[display]:
                parts.setdefault(tenant_of(head, folders), []).append((display, head.index))
            continue
        if not summary.resources:
            continue
        folder = posixpath.dirname(display)
        if folder not in by_folder:
            by_folder[folder] = folder_tenant(folder, folders)
        if not summary.claims:
            parts.setdefault(by_folder[folder], []).append((display, None))
            continue
        claimed = {index: tenant for index, tenant, _ in summary.claims}
        for index in range(summary.resources):
            parts.setdefault(claimed.get(index, by_folder[folder]), []).append((display, index))
    reported_names = [
        name for name in sorted(parts) if any(display in named for display, _ in parts[name])
    ]
    needed = sorted({d for name in reported_names for d, _ in parts[name]})
    heads: dict[str, list[ResourceHead]] = {}
    for head in files.heads(needed):
        heads.setdefault(head.file, []).append(head)
    reported: list[tuple[str, Members]] = []
    duplicates: list[Finding] = []
    for name in reported_names:
        members = [
            head
            for display, index in parts[name]
            for head in heads.get(display, ())
            if index is None or head.index == index
        ]
        arranged, found_duplicates = arrange(name, members)
        reported.append(arranged)
        duplicates += found_duplicates
    return reported, duplicates, len(parts)


def _located(
    findings: list[Finding], paths: Mapping[str, Path], cache: ResultCache | None
) -> list[Finding]:
    """`locate`, with the positions earlier runs found in files whose bytes did not change."""
    if cache is None:
        return locate(findings, paths)
    from faqlint.locate import position_key

    known = cache.positions({f.file for f in findings if f.position is None})
    done: list[Finding] = []
    rest: list[Finding] = []
    for finding in findings:
        at = known.get(finding.file, {}).get(position_key(finding))
        if finding.position is None and at is not None:
            done.append(finding.located(at))
        else:
            rest.append(finding)
    located = locate(rest, paths)
    found: dict[str, dict[tuple[int, str, bool], Position]] = {}
    for before, after in zip(rest, located, strict=True):
        if before.position is None and after.position is not None:
            found.setdefault(after.file, dict(known.get(after.file, {})))
            found[after.file][position_key(before)] = after.position
    for display, positions in found.items():
        cache.put_positions(display, positions)
    return done + located


SCHEMA_VIOLATION = "FL002"  # as `faqlint.consequences` reads it


class _Paths(Mapping[str, Path]):
    """Each file's path by the name it is reported under, made only when asked for (a run over
    a large project looks up a few)."""

    def __init__(self, locations: dict[str, str]) -> None:
        self._locations = locations

    def __getitem__(self, display: str) -> Path:
        return Path(self._locations[display])

    def __iter__(self) -> Iterator[str]:
        return iter(self._locations)

    def __len__(self) -> int:
        return len(self._locations)

    def __contains__(self, display: object) -> bool:
        return display in self._locations


def _with_invalid_values(
    findings: list[Finding],
    reported: Sequence[tuple[str, tuple[ResourceHead, ...]]],
    files: _Files,
) -> list[Tenant]:
    """The reported tenants holding a value that failed its schema (FL002), with their
    resources: what `without_consequences` judges."""
    invalid = {f.file for f in findings if f.code == SCHEMA_VIOLATION}
    return [files.tenant(n, ms) for n, ms in reported if any(h.file in invalid for h in ms)]


def _checked(
    reported: Iterable[tuple[str, tuple[ResourceHead, ...]]], rules: Iterable[CompiledRule]
) -> dict[str, tuple[str, ...]]:
    """Per reported tenant, the rules that read one of its kinds (see `RunResult.checked`)."""
    readers = [(r.code, frozenset(r.rule.given.kinds)) for r in rules]
    checked: dict[str, tuple[str, ...]] = {}
    for name, tenant_members in reported:
        kinds = {h.kind for h in tenant_members}
        checked[name] = tuple(code for code, reads in readers if reads & kinds)
    return checked


def settle_exports(
    resources: list[Resource], findings: list[Finding], rules: Iterable[CompiledRule]
) -> tuple[list[Resource], list[Finding]]:
    """Of several runs of one export over one tenant, the newest (the older ones are said to be
    passed over, and their own findings dropped); then the rules an export could not feed."""
    from faqlint.adapters.coverage import not_checkable

    kept, findings = _newest(resources, findings)
    return kept, findings + not_checkable(kept, rules)


def _settle(
    files: _Files, findings: list[Finding], rules: Iterable[CompiledRule], named: frozenset[str]
) -> list[Finding]:
    """`settle_exports` over the files whose resources it may pass over, and the native Tenants
    that may govern their folders: only their heads are decoded, and the settings only of the
    named exports (the rules an export could not feed are said at the export)."""
    from faqlint.adapters.coverage import not_checkable

    settling = [d for d, s in files.summaries.items() if s.flags & SETTLES]
    if settling:
        tenants = [d for d, s in files.summaries.items() if s.flags & CLAIMS]
        kept, findings = _newest(files.heads(sorted({*settling, *tenants})), findings)
        files.keep(kept, sorted({*settling, *tenants}))
    named_exports = [
        d for d in named if d in files.summaries and files.summaries[d].flags & EXPORTED
    ]
    exported = [h for h in files.heads(sorted(named_exports)) if not h.native]
    files.load(h.file for h in exported)
    return findings + not_checkable([files.resource(h) for h in exported], rules)


E = TypeVar("E", ResourceHead, Resource)


def _newest(resources: list[E], findings: list[Finding]) -> tuple[list[E], list[Finding]]:
    from faqlint.adapters.runs import newest_runs

    kept, older = newest_runs(resources)
    passed_over = {(f.file, f.document) for f in older}
    findings = [
        f
        for f in findings
        if (f.file, f.document) not in passed_over or f.code in {"FL001", "FL004"}
    ]
    return kept, findings + older


def sources_of(
    paths: list[str], config: Config, root: Path, cwd: Path, config_file: Path | None = None
) -> tuple[list[SourceFile], frozenset[str]]:
    """The files to read, and the names of those whose findings are reported.

    Folders are read as they are. A file named explicitly is checked in the context of its
    project: everything a plain `faqlint check` of the project root would read is read too, so a
    partial run reports on the named files exactly what a full run would report on them. Reading
    less (the named file's folder, or its tenant's) could miss a resource that joins the tenant
    through `metadata.tenant` from anywhere in the repository.

    faqlint's own files are not read as configuration to lint: the folders `policy-paths` names,
    the config file and the cache folder when they lie in the tree (baselines are excluded where
    they are named, see `baseline.excluding_baseline`).
    """
    sources, named, _ = _sources(paths, config, root, cwd, config_file, None)
    return sources, named


def _sources(
    paths: list[str],
    config: Config,
    root: Path,
    cwd: Path,
    config_file: Path | None,
    cache: ResultCache | None,
) -> tuple[list[SourceFile], frozenset[str], bool]:
    """`sources_of`, walks reused from `cache` where nothing they depended on changed, and
    whether the run reads the whole project (so files the cache knows and the run did not find
    are gone)."""
    limit, own = parse_size(config.max_file_size), _own_files(config, root, config_file)

    def walk(targets: list[str]) -> list[SourceFile]:
        if cache is None:
            return discover(targets, root, config.exclude, cwd, max_size=limit, skip=own)
        key = walk_key(targets, str(root), str(cwd), config.exclude, limit, [str(o) for o in own])
        known = cache.walk(key)
        if known is not None:
            return known
        record = WalkRecord({})
        found = discover(
            targets, root, config.exclude, cwd, max_size=limit, skip=own, record=record
        )
        cache.put_walk(key, record, found)
        return found

    requested = walk(paths)
    named = frozenset(s.display for s in requested)
    project = _project_root(root)
    given = [os.path.abspath(os.path.join(cwd, p)) for p in paths]
    whole = project is not None and any(
        g in (str(project), *map(str, project.parents)) for g in given
    )
    inside = [s for s in requested if project is not None and project in s.path.parents]
    if not inside or not any(os.path.isfile(g) for g in given):
        return requested, named, whole  # no file of the project named: nothing to add context to
    assert project is not None
    context = walk([str(project)])
    merged = {s.location: s for s in (*context, *requested)}
    return [merged[p] for p in sorted(merged)], named, True


def _own_files(config: Config, root: Path, config_file: Path | None) -> tuple[Path, ...]:
    from faqlint.cache import cache_dir

    own = [root / folder for folder in config.policy_paths]
    if config_file is not None:
        own.append(config_file.absolute())
    cache = cache_dir()
    if cache is not None:
        own.append(cache.absolute())
    return tuple(own)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _fingerprinted(finding: Finding, documents: dict[str, dict[int, Any]]) -> Finding:
    from faqlint.baseline import VALUE_HASH, value_hash

    held = documents.get(finding.file, {})
    found = finding.document in held
    digest = value_hash(held[finding.document], finding.pointer) if found else "-"
    return replace(finding, extra={**finding.extra, VALUE_HASH: digest})


def _finalize(
    finding: Finding, selection: Selection, tenant_of: dict[tuple[str, int], str]
) -> Finding:
    severity = selection.severity_of(finding.code, finding.name, finding.severity)
    tenant = finding.tenant or tenant_of.get((finding.file, finding.document))
    if severity == finding.severity and tenant == finding.tenant:
        return finding
    return replace(finding, severity=severity, tenant=tenant)


def _project_root(root: Path) -> Path | None:
    """`root` (the config file's folder, else the working folder) when it is a project: it holds
    the config file or is the top of a git repository, as it is under pre-commit. Anything else
    (a home folder) is not read whole just to check one file in it."""
    if (root / ".git").exists():
        return root
    found = find_config(root)
    return root if found is not None and found.parent == root else None


def exit_code(findings: Iterable[Finding], fail_on: Severity) -> int:
    return 1 if any(f.severity >= fail_on for f in findings) else 0
