"""Machine output: one JSON object, `{"version", "findings": [...], "summary": {...}}`."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from faqlint import __version__
from faqlint.findings import Finding, Severity
from faqlint.report.escape import json_text
from faqlint.run import RunResult

if TYPE_CHECKING:
    from faqlint.report import ReportContext


def finding_object(finding: Finding, link: str | None = None) -> dict[str, Any]:
    """A finding as JSON; `url` (its rule's page) only when a `rule-url` is configured."""
    found: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "document": finding.document,
        "pointer": finding.pointer,
        "tenant": finding.tenant,
        "kind": finding.kind,
        "resource": finding.resource,
        "fix": finding.fix,
    }
    if link:
        found["url"] = link
    return found


def render(result: RunResult, context: ReportContext | None = None) -> str:
    counts = Counter(str(f.severity) for f in result.findings)
    summary: dict[str, int] = {
        "errors": counts[str(Severity.ERROR)],
        "warnings": counts[str(Severity.WARNING)],
        "info": counts[str(Severity.INFO)],
        "files": len(result.files),
        "filesWithoutResources": len(result.files_without_resources),
        "tenants": len(result.tenants),
        "resources": result.resources,
        "suppressed": len(result.suppressed),
    }
    if result.baseline_applied:
        summary["new"] = len(result.findings)
        summary["baselined"] = len(result.baselined)
    document = {
        "version": __version__,
        "findings": [
            finding_object(f, context.link(f.code, f.name) if context else None)
            for f in result.findings
        ],
        "summary": summary,
    }
    return json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
