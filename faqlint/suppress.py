"""The suppress stage: apply the waivers of `faqlint.waivers` to a run's findings.

Waivers fail closed: a waiver past its `until` date is reported (FL007) and the finding comes back;
an invalid one is reported (FL008) and waives nothing; a waiver that waives nothing is reported
(FL006), rule by rule. Findings about waivers themselves (FL006-FL008) cannot be waived.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from faqlint.codes import WAIVER_CODES, engine_finding
from faqlint.findings import Finding
from faqlint.identify import Resource
from faqlint.loaded import WaiverLine
from faqlint.options import RunOptions
from faqlint.waivers import (
    LineScope,
    PatternScope,
    ResourceScope,
    Rules,
    Scope,
    Suppression,
    Waiver,
    annotation_waivers,
    config_waivers,
    inline_waivers,
    today,
)

# A suppressed finding's `extra` key: the waivers that cover it, as plain data for reports.
WAIVED_BY = "waivedBy"

# --- the pipeline stage ------------------------------------------------------------------


def suppress_stage(
    findings: Sequence[Finding],
    options: RunOptions,
    codes: Mapping[str, str],
    resources: Sequence[Resource],
    waiver_lines: Mapping[str, Sequence[WaiverLine]],
    files: Mapping[str, Path],
) -> Suppression:
    """Gather the run's waivers (inline comments, annotations, config) and apply them."""
    from faqlint.baseline import project_file
    from faqlint.discover import display_path
    from faqlint.locate import locate

    config, config_file, root, cwd = options.config, options.config_file, options.root, options.cwd
    enabled = options.selection.enabled
    rules = Rules(codes, config.require_suppression_reason, config.allow_inline_suppressions)
    waivers = [
        w for file, lines in waiver_lines.items() for w in inline_waivers(file, lines, rules)
    ]
    waivers += annotation_waivers(resources, rules)
    if config.per_file_ignores:
        text = config_file.read_text(encoding="utf-8-sig") if config_file else ""
        shown = display_path(config_file.resolve(), cwd) if config_file else None
        waivers += config_waivers(config, shown, text, config_file, rules)
    # Only a run over the whole project sees every file a per-file-ignores pattern matches.
    whole = any(Path(os.path.abspath(cwd / p)) in (root, *root.parents) for p in options.paths)
    return suppress(
        findings,
        waivers,
        options.today or today(),
        ran={c: n for c, n in codes.items() if enabled(c, n)},
        project_path=functools.lru_cache(maxsize=None)(lambda file: project_file(file, cwd, root)),
        report_unused_config=whole,
        locate=lambda some: locate(some, dict(files)),
    )


# --- applying them --------------------------------------------------------------------------


def suppress(
    findings: Sequence[Finding],
    waivers: Sequence[Waiver],
    on: date,
    ran: Mapping[str, str],
    project_path: Callable[[str], str],
    report_unused_config: bool,
    locate: Callable[[list[Finding]], list[Finding]],
) -> Suppression:
    """Split `findings` into kept and suppressed, and report on the waivers.

    `ran` holds the rules this run evaluated, code -> name (a waiver of a rule the run skipped,
    `--select OM1` say, is not "unused");
    `project_path` turns a finding's file into its path from the project root (for patterns);
    `report_unused_config` is false on partial runs (pre-commit passes a few files), where an
    unmatched per-file-ignores entry proves nothing; `locate` gives findings their lines, needed
    only in files with inline waivers.
    """
    waiver_findings: list[Finding] = []
    active: list[Waiver] = []
    for waiver in waivers:
        if waiver.problems:
            waiver_findings += [_about(waiver, "FL008", p) for p in waiver.problems]
        elif waiver.until is not None and on > waiver.until:
            waiver_findings.append(_about(waiver, "FL007", _expired(waiver)))
        else:
            active.append(waiver)
    if not active:
        return Suppression(tuple(findings), (), tuple(waiver_findings))

    lined = {w.scope.file for w in active if isinstance(w.scope, LineScope)}
    needs_line = [f for f in findings if f.file in lined and f.position is None]
    findings = [f for f in findings if not (f.file in lined and f.position is None)]
    findings += locate(needs_line)

    # Inline and annotation waivers only see their own file: index them by it, so that a repo
    # with thousands of waivers does not compare every finding with every waiver.
    by_file: dict[str, list[tuple[int, Waiver]]] = {}
    everywhere: list[tuple[int, Waiver]] = []
    for number, waiver in enumerate(active):
        if isinstance(waiver.scope, PatternScope):
            everywhere.append((number, waiver))
        else:
            by_file.setdefault(waiver.scope.file, []).append((number, waiver))

    used: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        by: list[Waiver] = []
        if finding.code not in WAIVER_CODES:
            for number, waiver in (*by_file.get(finding.file, ()), *everywhere):
                if not _covers(waiver.scope, finding, project_path):
                    continue
                for rule in waiver.rules:
                    if waiver.names(rule, finding.code, finding.name):
                        used.add((number, rule))
                        if waiver not in by:
                            by.append(waiver)
        if by:
            suppressed.append(replace(finding, extra={**finding.extra, WAIVED_BY: _record(by)}))
        else:
            kept.append(finding)

    for number, waiver in enumerate(active):
        if waiver.origin == "config" and not report_unused_config:
            continue
        unused = [r for r in waiver.rules if (number, r) not in used and _ran(r, waiver, ran)]
        if unused:
            waiver_findings.append(_about(waiver, "FL006", _unused(waiver, unused)))
    return Suppression(tuple(kept), tuple(suppressed), tuple(waiver_findings))


def _record(waivers: Sequence[Waiver]) -> list[dict[str, Any]]:
    """What a report says about each waiver: how it is written, where, why and until when."""
    return [
        {
            "origin": w.origin,
            "rules": list(w.rules),
            "reason": w.reason,
            "until": w.until.isoformat() if w.until else None,
            "file": w.file,
            "line": w.position.line if w.position else None,
            "pattern": w.scope.pattern if isinstance(w.scope, PatternScope) else None,
        }
        for w in waivers
    ]


def _ran(selector: str, waiver: Waiver, ran: Mapping[str, str]) -> bool:
    return any(waiver.names(selector, code, name) for code, name in ran.items())


def _covers(scope: Scope, finding: Finding, project_path: Callable[[str], str]) -> bool:
    if isinstance(scope, LineScope):
        return finding.file == scope.file and finding.line in scope.lines
    if isinstance(scope, ResourceScope):
        return (
            finding.file == scope.file
            and finding.document == scope.document
            and (finding.pointer == scope.root or finding.pointer.startswith(scope.root + "/"))
        )
    return scope.covers(project_path(finding.file))


def _describe(waiver: Waiver) -> str:
    origin = {"inline": "inline suppression", "annotation": "annotation suppression"}
    if waiver.origin == "config":
        assert isinstance(waiver.scope, PatternScope)
        return f"per-file-ignores {waiver.scope.pattern!r} of {', '.join(waiver.rules)}"
    return f"{origin[waiver.origin]} of {', '.join(waiver.rules)}"


def _expired(waiver: Waiver) -> str:
    reason = f" (reason: {waiver.reason})" if waiver.reason else ""
    return (
        f"{_describe(waiver)} expired on {waiver.until_text}{reason}; the findings it waived "
        "are reported again: fix them, or renew the waiver with a new until date and reason"
    )


def _unused(waiver: Waiver, unused: Sequence[str]) -> str:
    if len(unused) == len(waiver.rules):
        return f"{_describe(waiver)} matches no finding; delete it"
    return (
        f"{_describe(waiver)}: {', '.join(unused)} matches no finding; "
        f"remove {', '.join(unused)} from it"
    )


def _about(waiver: Waiver, code: str, message: str) -> Finding:
    return engine_finding(
        code,
        message,
        file=waiver.file,
        document=waiver.document,
        pointer=waiver.pointer,
        position=waiver.position,
        kind=waiver.kind,
        resource=waiver.resource,
    )
