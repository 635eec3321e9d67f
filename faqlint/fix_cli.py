"""The command line's side of fixes: `check --diff`, `check --fix`, and the planned fixes that
`--format powershell` turns into commands (see `faqlint.fix` for planning and proving them)."""

from __future__ import annotations

import argparse
from pathlib import Path

from faqlint import fix
from faqlint.config import Config, LoadedConfig
from faqlint.fix import FixOutcome, key_of, plan_tenant, write_fixes
from faqlint.identify import Resource
from faqlint.run import Catalogue, RunResult, Selection, settle_exports
from faqlint.tenants import group


def _outcome(
    args: argparse.Namespace,
    config: Config,
    loaded: LoadedConfig,
    cwd: Path,
    catalogue: Catalogue,
    selection: Selection,
    result: RunResult,
) -> FixOutcome:
    from faqlint.run import sources_of

    if not any(f.code in _fixable_codes(catalogue) for f in result.findings):
        return FixOutcome()
    sources, _ = sources_of(args.paths, config, loaded.root, cwd, loaded.path)
    rules = tuple(r for r in catalogue.policies.rules if selection.enabled(r.code, r.name))
    return fix.plan_fixes(
        catalogue, rules, sources, config.kinds, loaded.root, result.findings, args.unsafe_fixes
    )


def _fixable_codes(catalogue: Catalogue) -> set[str]:
    return {r.code for r in catalogue.policies.rules if any(v.autofix for v in r.validations)}


def show_diff(
    args: argparse.Namespace,
    config: Config,
    loaded: LoadedConfig,
    cwd: Path,
    catalogue: Catalogue,
    selection: Selection,
    result: RunResult,
) -> int:
    """`check --diff`: the fixes as a unified diff on standard output, a summary on standard
    error; exit 1 when there is something to fix."""
    import sys

    from faqlint.report.escape import inert

    outcome = _outcome(args, config, loaded, cwd, catalogue, selection, result)
    for line in outcome.not_applied():
        print(inert(f"faqlint: {line}"), file=sys.stderr)
    sys.stdout.flush()
    sys.stdout.buffer.write(outcome.diff().encode("utf-8", "surrogateescape"))
    sys.stdout.flush()
    remaining = len(result.findings) - len(outcome.fixed)
    print(inert(outcome.summary(remaining, written=False)), file=sys.stderr)
    return 1 if outcome.changed else 0


def apply_fixes(
    args: argparse.Namespace,
    config: Config,
    loaded: LoadedConfig,
    cwd: Path,
    catalogue: Catalogue,
    selection: Selection,
    result: RunResult,
) -> FixOutcome:
    """`check --fix`: write the proven fixes (the caller checks again for the report)."""
    import sys

    from faqlint.report.escape import inert

    outcome = _outcome(args, config, loaded, cwd, catalogue, selection, result)
    for line in [*outcome.not_applied(), *write_fixes(outcome, cwd)]:
        print(inert(f"faqlint: {line}"), file=sys.stderr)
    return outcome


REMEDIATION = "remediation"  # key of Finding.extra: the Planned fix of a finding
IN_EXPORT = "in_export"  # key of Finding.extra: the finding's file is an export


def with_remediations(
    args: argparse.Namespace,
    config: Config,
    loaded: LoadedConfig,
    cwd: Path,
    catalogue: Catalogue,
    selection: Selection,
    result: RunResult,
) -> RunResult:
    """`result` with each reported finding marked `extra[IN_EXPORT]` when its file is an export,
    and carrying its planned fix in `extra[REMEDIATION]`, for `--format powershell`."""
    from dataclasses import replace

    from faqlint.run import read_file, sources_of

    sources, _ = sources_of(args.paths, config, loaded.root, cwd, loaded.path)
    resources: list[Resource] = []
    for source in sources:
        resources += read_file(source, catalogue, config.kinds, loaded.root)[1]
    kept, _ = settle_exports(resources, [], ())
    rules = tuple(r for r in catalogue.policies.rules if selection.enabled(r.code, r.name))
    plans = {
        planned.key: planned
        for tenant in group(kept)[0]
        for planned in plan_tenant(tenant, catalogue.policies, rules, catalogue.kinds)
    }
    exports = {r.file for r in resources if not r.native}
    findings = tuple(
        replace(
            f,
            extra={
                **f.extra,
                IN_EXPORT: f.file in exports,
                **({REMEDIATION: plans[key_of(f)]} if key_of(f) in plans else {}),
            },
        )
        for f in result.findings
    )
    return replace(result, findings=findings)
