"""The pipeline of a `faqlint check` run, one stage a function, plain values between them:

discover -> load -> identify -> read as the service does -> validate -> group -> evaluate ->
select -> locate -> sort.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from faqlint import parallel
from faqlint.ahead import Verdicts, groups, judge_ahead, located_here, signature
from faqlint.codes import ENGINE_CODES, EVALUATION_ERROR, SCHEMA_VIOLATION
from faqlint.config import Config, find_config, parse_size
from faqlint.discover import SourceFile, WalkRecord, discover
from faqlint.findings import Finding, Position, Severity
from faqlint.identify import Resource, identify
from faqlint.judge import Evaluator, judge
from faqlint.load import load
from faqlint.loaded import LoadedFile, WaiverLine
from faqlint.locate import locate
from faqlint.options import RunOptions, RunResult, Selection
from faqlint.policy import CompiledRule, Policies, load_policies
from faqlint.resources import builtin_policies
from faqlint.resultcache import ResultCache, walk_key
from faqlint.results import ANNOTATED, FileResult, FileSummary
from faqlint.runfiles import Owners, Reported, RunFiles, newest, place, settle
from faqlint.schema import KindSchema, load_schemas, validate
from faqlint.tenants import Tenant, in_file_order
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
        source.location,
        source.display,
        problem=source.problem,
        max_size=source.max_size,
        follow=source.is_link,
    )
    forced = None
    if kinds:
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
    from faqlint.adapters import ADAPTERS  # imported before workers fork (see `check`)

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
    from faqlint.engine import evaluate  # a run that reuses every verdict evaluates nothing

    state: _RunState = parallel.shared()
    rules = [r for r in state.rules if r.code in codes]
    return evaluate(tenant, state.catalogue.policies, state.catalogue.kinds, rules)


def _read_group(group: list[SourceFile]) -> tuple[list[FileResult], Verdicts]:
    """A group of files read, and the verdicts on the tenants they make (see `faqlint.ahead`)."""
    from faqlint.engine import evaluate

    state: _RunState = parallel.shared()
    results = [_read_one(source) for source in group]
    policies, kinds = state.catalogue.policies, state.catalogue.kinds
    verdicts = judge_ahead(
        group, results, _reader(state), lambda t: evaluate(t, policies, kinds, state.rules)
    )
    return located_here(group, results, verdicts)


def _reader(state: _RunState) -> Callable[[SourceFile], tuple[list[Resource], dict[int, Any]]]:
    """Reads a file again, in this process, when its cached values do not read back."""

    def read_again(source: SourceFile) -> tuple[list[Resource], dict[int, Any]]:
        loaded, resources, _, _ = read_file(source, state.catalogue, state.kinds, state.root)
        return resources, {d.index: d.data for d in loaded.documents}

    return read_again


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
    cached: list[FileSummary | None] = (
        cache.files(sources) if cache is not None else [None] * len(sources)
    )
    missing = [s for s, c in zip(sources, cached, strict=True) if c is None]
    workers = parallel.workers_for(options.jobs, len(missing))
    if workers > 1:  # what every worker needs, loaded once before they fork
        import faqlint.yamlread  # noqa: F401
        from faqlint.adapters import ADAPTERS  # noqa: F401
        from faqlint.engine import prepare

        prepare(rules)

    files = RunFiles(cache, _reader(state))
    findings: list[Finding] = []
    empty: list[str] = []
    waiver_lines: dict[str, tuple[WaiverLine, ...]] = {}
    ahead: Verdicts = {}
    with parallel.Workers(workers, state) as pool:
        if workers > 1 and len(named) == len(missing) == len(sources):
            # every file is read and every tenant reported: tenants are judged where they are read
            read = _grouped_results(pool.map(_read_group, groups(missing, workers)), ahead)
        else:
            read = _in_order(pool.map(_read_one, missing))
        for done, (source, known) in enumerate(zip(sources, cached, strict=True), start=1):
            if known is None:
                result = read(source.display)
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
        findings = settle(files, findings, rules, named)
        reported, tenant_count = place(files, named)
        judged = judge(reported, rules, files, _evaluator(pool, ahead, rules))
        findings += judged.findings
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

    owners = Owners(files, reported)
    findings = [
        _finalize(f, selection, owners)
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
            _finalize(f, selection, owners)
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
        tenants=tuple(t.name for t in reported),
        resources=sum(files.count(d) for d in shown),
        files_without_resources=tuple(empty),
        suppressed=tuple(sorted(suppressed, key=Finding.sort_key)),
        checked=_checked(judged.kinds, rules),
    )


def _in_order(results: Iterator[FileResult]) -> Callable[[str], FileResult]:
    """The results of reading the files one by one, asked for in the order they were read."""
    return lambda _: next(results)


def _grouped_results(
    results: Iterator[tuple[list[FileResult], Verdicts]], ahead: Verdicts
) -> Callable[[str], FileResult]:
    """Each file's result from groups read together, taking groups as a file asks for one (and
    their verdicts into `ahead`)."""
    by_file: dict[str, FileResult] = {}

    def result(display: str) -> FileResult:
        while display not in by_file:
            group, verdicts = next(results)
            by_file.update((r.display, r) for r in group)
            ahead.update(verdicts)
        return by_file.pop(display)

    return result


def _evaluator(pool: parallel.Workers, ahead: Verdicts, rules: Sequence[CompiledRule]) -> Evaluator:
    """Evaluates tenants in the workers, but for those already judged where they were read."""
    every = frozenset(r.code for r in rules)

    def evaluate(work: Sequence[tuple[Tenant, frozenset[str]]]) -> list[list[Finding]]:
        known = [
            ahead.get((tenant.name, signature(tenant))) if codes == every else None
            for tenant, codes in work
        ]
        rest = [w for w, k in zip(work, known, strict=True) if k is None]
        fresh = iter(pool.map(_evaluate_one, rest))
        return [k if k is not None else next(fresh) for k in known]

    return evaluate


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
    findings: list[Finding], reported: Sequence[Reported], files: RunFiles
) -> list[Tenant]:
    """The reported tenants holding a value that failed its schema (FL002), with their
    resources: what `without_consequences` judges."""
    invalid = {f.file for f in findings if f.code == SCHEMA_VIOLATION}
    return [
        files.tenant(t.name, in_file_order(files.members(t)))
        for t in reported
        if any(d in invalid for d, _ in t.parts)
    ]


def _checked(
    kinds: dict[str, frozenset[str]], rules: Iterable[CompiledRule]
) -> dict[str, tuple[str, ...]]:
    """Per reported tenant, the rules that read one of its kinds (see `RunResult.checked`)."""
    readers = [(r.code, frozenset(r.rule.given.kinds)) for r in rules]
    return {
        name: tuple(code for code, reads in readers if reads & held) for name, held in kinds.items()
    }


def settle_exports(
    resources: list[Resource], findings: list[Finding], rules: Iterable[CompiledRule]
) -> tuple[list[Resource], list[Finding]]:
    """Of several runs of one export over one tenant, the newest (the older ones are said to be
    passed over, and their own findings dropped); then the rules an export could not feed."""
    from faqlint.adapters.coverage import not_checkable

    kept, findings = newest(resources, findings)
    return kept, findings + not_checkable(kept, rules)


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


def _finalize(finding: Finding, selection: Selection, owners: Owners) -> Finding:
    severity = selection.severity_of(finding.code, finding.name, finding.severity)
    tenant = finding.tenant or owners.of(finding.file, finding.document)
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
