"""GitLab Code Quality: a JSON array of Code Climate issues (`artifacts:reports:codequality`).

GitLab needs `description`, `check_name`, `fingerprint`, `severity` and `location.path` with
`location.lines.begin`. Severities map onto Code Climate's scale so that what fails the pipeline
reads as critical in the merge request: error -> critical, warning -> minor, info -> info
(major and blocker are left unused). The fingerprint is the same line-free hash SARIF uses, so a
finding keeps its identity between the base and the head of a merge request (see
`faqlint.report.fingerprints` for findings that would otherwise share one).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from faqlint.findings import Finding, Severity
from faqlint.report import ReportContext, fingerprints
from faqlint.report.escape import json_text

if TYPE_CHECKING:
    from faqlint.run import RunResult

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(finding: Finding, identity: str, link: str | None) -> dict[str, Any]:
    fix = finding.fix.strip() if finding.fix else None
    body = finding.message + (f"\n\nHow to fix: {fix}" if fix else "")
    if link:  # only a configured `rule-url`: faqlint publishes no pages of its own
        body += f"\n\nSee {link}"
    return {
        "type": "issue",
        "engine_name": "faqlint",
        "check_name": f"{finding.code} {finding.name}",
        "description": f"{finding.code}: {finding.message}",
        "content": {"body": body},
        "categories": ["Bug Risk"],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": identity,
        "location": {
            "path": finding.file,
            "lines": {"begin": finding.line},
        },
    }


def render(result: RunResult, context: ReportContext) -> str:
    issues = [
        _issue(finding, identity, context.link(finding.code, finding.name))
        for finding, identity in zip(result.findings, fingerprints(result.findings), strict=True)
    ]
    text = json.dumps(issues, ensure_ascii=False, separators=(",", ":"))  # C encoder: fast
    return json_text(text) + "\n"
