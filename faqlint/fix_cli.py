"""The command line's side of fixes: `check --diff`, `check --fix`, and the planned fixes that
`--format powershell` turns into commands (see `faqlint.fix` for planning and proving them)."""

from __future__ import annotations

from faqlint import fix
from faqlint.fix import FixOutcome, key_of, plan_tenant, write_fixes
from faqlint.identify import Resource
from faqlint.options import RunOptions, RunResult
from faqlint.run import Catalogue, settle_exports
from faqlint.tenants import group


def _outcome(
    options: RunOptions, catalogue: Catalogue, result: RunResult, unsafe: bool
) -> FixOutcome:
    from faqlint.run import sources_of

    if not any(f.code in _fixable_codes(catalogue) for f in result.findings):
        return FixOutcome()
    sources, _ = sources_of(
        list(options.paths), options.config, options.root, options.cwd, options.config_file
    )
    rules = tuple(r for r in catalogue.policies.rules if options.selection.enabled(r.code, r.name))
    return fix.plan_fixes(
        catalogue, rules, sources, options.config.kinds, options.root, result.findings, unsafe
    )


def _fixable_codes(catalogue: Catalogue) -> set[str]:
    return {r.code for r in catalogue.policies.rules if any(v.autofix for v in r.validations)}


def show_diff(options: RunOptions, catalogue: Catalogue, result: RunResult, unsafe: bool) -> int:
    """`check --diff`: the fixes as a unified diff on standard output, a summary on standard
    error; exit 1 when there is something to fix."""
    import sys

    from faqlint.report.escape import inert

    outcome = _outcome(options, catalogue, result, unsafe)
    for line in outcome.not_applied():
        print(inert(f"faqlint: {line}"), file=sys.stderr)
    sys.stdout.flush()
    sys.stdout.buffer.write(outcome.diff().encode("utf-8", "surrogateescape"))
    sys.stdout.flush()
    remaining = len(result.findings) - len(outcome.fixed)
    print(inert(outcome.summary(remaining, written=False)), file=sys.stderr)
    return 1 if outcome.changed else 0


def apply_fixes(
    options: RunOptions, catalogue: Catalogue, result: RunResult, unsafe: bool
) -> FixOutcome:
    """`check --fix`: write the proven fixes (the caller checks again for the report)."""
    import sys

    from faqlint.report.escape import inert

    outcome = _outcome(options, catalogue, result, unsafe)
    for line in [*outcome.not_applied(), *write_fixes(outcome, options.cwd)]:
        print(inert(f"faqlint: {line}"), file=sys.stderr)
    return outcome


REMEDIATION = "remediation"  # key of Finding.extra: the Planned fix of a finding
IN_EXPORT = "in_export"  # key of Finding.extra: the finding's file is an export


def with_remediations(options: RunOptions, catalogue: Catalogue, result: RunResult) -> RunResult:
    """`result` with each reported finding marked `extra[IN_EXPORT]` when its file is an export,
    and carrying its planned fix in `extra[REMEDIATION]`, for `--format powershell`."""
    from dataclasses import replace

    from faqlint.run import read_file, sources_of

    sources, _ = sources_of(
        list(options.paths), options.config, options.root, options.cwd, options.config_file
    )
    resources: list[Resource] = []
    for source in sources:
        resources += read_file(source, catalogue, options.config.kinds, options.root)[1]
    kept, _ = settle_exports(resources, [], ())
    rules = tuple(r for r in catalogue.policies.rules if options.selection.enabled(r.code, r.name))
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
