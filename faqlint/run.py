"""The pipeline of a `faqlint check` run, one stage a function, plain values between them:

discover -> load -> identify -> read as the service does -> validate -> group -> evaluate ->
select -> locate -> sort.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from faqlint import parallel
from faqlint.adapters import ADAPTERS  # before workers fork, so that each need not import it
from faqlint.codes import ENGINE_CODES
from faqlint.config import Config, find_config, parse_size
from faqlint.consequences import without_consequences
from faqlint.discover import SourceFile, discover
from faqlint.engine import evaluate, prepare
from faqlint.findings import Finding, Severity
from faqlint.identify import Resource, identify
from faqlint.load import LoadedFile, WaiverLine, load
from faqlint.locate import locate
from faqlint.options import RunOptions, RunResult, Selection
from faqlint.policy import CompiledRule, Policies, load_policies
from faqlint.resources import builtin_policies
from faqlint.resultcache import FileResult, ResultCache
from faqlint.schema import KindSchema, load_schemas, validate
from faqlint.tenants import Tenant, group
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


def _evaluate_one(tenant: Tenant) -> list[Finding]:
    state: _RunState = parallel.shared()
    policies = state.catalogue.policies
    return evaluate(tenant, policies, state.catalogue.kinds, state.rules)


def check(
    options: RunOptions,
    catalogue: Catalogue,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Check `options.paths`. `progress(done, total)` is called after each file is read.

    When files are named (as pre-commit names the staged ones), the rest of the project under
    `root` is read too, so that rules across a tenant see all of it, and only the named files'
    findings are reported: see `sources_of`. The configuration's rules and kinds are checked
    where it is loaded (`config.check_config`), against the same catalogue.
    """
    paths, config, root, cwd = list(options.paths), options.config, options.root, options.cwd
    selection, config_file, fingerprints = (
        options.selection,
        options.config_file,
        options.fingerprints,
    )
    sources, named = sources_of(paths, config, root, cwd, config_file)
    rules = tuple(r for r in catalogue.policies.rules if selection.enabled(r.code, r.name))
    state = _RunState(catalogue, config.kinds, root, fingerprints, rules)
    # The project's results are worth loading only when the run reads the project: a lone file
    # elsewhere (checked from inside a repository) is read faster than the project's cache is.
    reads_project = any(root in s.path.parents for s in sources)
    use_cache = options.cache and reads_project
    cache = ResultCache.open(options, options.policy_paths) if use_cache else None
    results: list[FileResult | None] = [
        cache.file(s) if cache is not None else None for s in sources
    ]
    missing = [s for s, r in zip(sources, results, strict=True) if r is None]
    workers = parallel.workers_for(options.jobs, len(missing))
    if workers > 1:
        prepare(rules)

    resources: list[Resource] = []
    findings: list[Finding] = []
    empty: list[str] = []
    waiver_lines: dict[str, tuple[WaiverLine, ...]] = {}
    documents: dict[tuple[str, int], Any] = {}
    with parallel.Workers(workers, state) as pool:
        read = iter(pool.map(_read_one, missing))
        for done, (source, known) in enumerate(zip(sources, results, strict=True), start=1):
            result = known
            if result is None:
                result = next(read)
                if cache is not None:
                    cache.put_file(source, result)
            resources += result.resources
            findings += result.findings
            if result.waiver_lines:
                waiver_lines[result.display] = result.waiver_lines
            documents.update({(result.display, i): d for i, d in result.documents.items()})
            if not result.relevant and result.display in named:
                empty.append(result.display)
            if progress is not None:
                progress(done, len(sources))
        resources, findings = settle_exports(resources, findings, rules)
        tenants, duplicates = group(resources)
        findings += duplicates
        keys = [
            cache.tenant_key(t.name, t.resources) if cache is not None else None for t in tenants
        ]
        known_findings = [cache.tenant(k) if cache is not None else None for k in keys]
        unknown = [t for t, f in zip(tenants, known_findings, strict=True) if f is None]
        evaluated = iter(pool.map(_evaluate_one, unknown))
        for key, tenant_findings in zip(keys, known_findings, strict=True):
            if tenant_findings is None:
                tenant_findings = next(evaluated)
                if cache is not None:
                    cache.put_tenant(key, tenant_findings)
            findings += tenant_findings
    if cache is not None:
        cache.save()
    findings = without_consequences(
        findings, tenants, catalogue.policies, catalogue.kinds, catalogue.schemas, rules
    )

    tenant_of: dict[tuple[str, int], str] = {}
    for tenant in tenants:
        for resource in tenant.resources:
            tenant_of.setdefault((resource.file, resource.document), tenant.name)

    findings = [
        _finalize(f, selection, tenant_of)
        for f in findings
        if selection.enabled(f.code, f.name) and f.file in named
    ]
    files = {s.display: s.path for s in sources}
    suppressed: tuple[Finding, ...] = ()
    if waiver_lines or config.per_file_ignores or any(r.own_annotations for r in resources):
        from faqlint.suppress import suppress_stage  # most runs have no waiver at all

        waived = suppress_stage(
            findings, options, catalogue.codes(), resources, waiver_lines, files
        )
        suppressed = waived.suppressed
        findings = list(waived.kept) + [
            _finalize(f, selection, tenant_of)
            for f in waived.waiver_findings
            if selection.enabled(f.code, f.name) and (f.file in named or f.file not in files)
        ]
    located = locate(findings, files)
    if fingerprints:
        located = [_fingerprinted(f, documents) for f in located]
    return RunResult(
        findings=tuple(sorted(located, key=Finding.sort_key)),
        files=tuple(s.display for s in sources if s.display in named),
        tenants=tuple(t.name for t in tenants if any(r.file in named for r in t.resources)),
        resources=sum(1 for r in resources if r.file in named),
        files_without_resources=tuple(empty),
        suppressed=tuple(sorted(suppressed, key=Finding.sort_key)),
        checked=_checked(tenants, rules, named),
    )


def _checked(
    tenants: Iterable[Tenant], rules: Iterable[CompiledRule], named: frozenset[str]
) -> dict[str, tuple[str, ...]]:
    """Per reported tenant, the rules that read one of its kinds (see `RunResult.checked`)."""
    readers = [(r.code, frozenset(r.rule.given.kinds)) for r in rules]
    checked: dict[str, tuple[str, ...]] = {}
    for tenant in tenants:
        if any(r.file in named for r in tenant.resources):
            kinds = {r.kind for r in tenant.resources}
            checked[tenant.name] = tuple(code for code, reads in readers if reads & kinds)
    return checked


def settle_exports(
    resources: list[Resource], findings: list[Finding], rules: Iterable[CompiledRule]
) -> tuple[list[Resource], list[Finding]]:
    """Of several runs of one export over one tenant, the newest (the older ones are said to be
    passed over, and their own findings dropped); then the rules an export could not feed."""
    from faqlint.adapters.coverage import not_checkable
    from faqlint.adapters.runs import newest_runs

    kept, older = newest_runs(resources)
    passed_over = {(f.file, f.document) for f in older}
    findings = [
        f
        for f in findings
        if (f.file, f.document) not in passed_over or f.code in {"FL001", "FL004"}
    ]
    return kept, findings + older + not_checkable(kept, rules)


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
    limit, own = parse_size(config.max_file_size), _own_files(config, root, config_file)
    requested = discover(paths, root, config.exclude, cwd, max_size=limit, skip=own)
    named = frozenset(s.display for s in requested)
    project = _project_root(root)
    inside = [s for s in requested if project is not None and project in s.path.parents]
    if not inside or not any((cwd / p).is_file() for p in paths):
        return requested, named  # no file of the project named: nothing to add context to
    context = discover([str(project)], root, config.exclude, cwd, max_size=limit, skip=own)
    merged = {s.path: s for s in (*context, *requested)}
    return [merged[p] for p in sorted(merged)], named


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


def _fingerprinted(finding: Finding, documents: dict[tuple[str, int], Any]) -> Finding:
    from faqlint.baseline import VALUE_HASH, value_hash

    key = (finding.file, finding.document)
    digest = value_hash(documents[key], finding.pointer) if key in documents else "-"
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
