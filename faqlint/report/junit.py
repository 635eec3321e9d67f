"""JUnit XML, as Azure DevOps (PublishTestResults, format JUnit) and GitLab (`reports: junit`)
ingest it.

One `<testsuite>` per checked file, because a file is what an admin opens to fix, and it makes
the test tab read as "42 files checked, 3 failed", grouped the way the repository is laid out.
(Per rule would put one finding's fix far from the other findings of the same file, and a rule
that found nothing has no file to name.) Each finding is a failed `<testcase>` whose text carries
file:line:col, the message, the fix and the rule's page; a file without findings is one passing
testcase, so a clean run still reports what it checked and the report is never empty.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TYPE_CHECKING

from faqlint.findings import Finding
from faqlint.report import ReportContext, rule_url
from faqlint.report.escape import inert_result

if TYPE_CHECKING:
    from faqlint.run import RunResult

PASSING_CASE = "faqlint"


def _failure_text(finding: Finding) -> str:
    fix = finding.fix.strip() if finding.fix else None
    lines = [
        f"{finding.file}:{finding.line}:{finding.column}: {finding.code} {finding.name} "
        f"[{finding.severity}]",
        finding.message,
    ]
    if fix:
        lines += ["", f"How to fix: {fix}"]
    lines += [f"Rule: {rule_url(finding.code)}"]
    return "\n".join(lines)


def _case(suite: ET.Element, file: str, name: str) -> ET.Element:
    return ET.SubElement(
        suite, "testcase", {"classname": file, "name": name, "file": file, "time": "0"}
    )


def _suite(parent: ET.Element, file: str, findings: list[Finding]) -> ET.Element:
    suite = ET.SubElement(
        parent,
        "testsuite",
        {
            "name": file,
            "tests": str(max(len(findings), 1)),
            "failures": str(len(findings)),
            "errors": "0",
            "skipped": "0",
            "time": "0",
        },
    )
    if not findings:
        _case(suite, file, PASSING_CASE)
        return suite
    names: dict[str, int] = {}
    for finding in findings:
        name = f"{finding.code} {finding.name} at {finding.line}:{finding.column}"
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:  # two findings at one place (one per missing list entry)
            name += f" #{names[name]}"
        case = _case(suite, file, name)
        case.set("line", str(finding.line))
        failure = ET.SubElement(
            case,
            "failure",
            {
                "message": finding.message,
                "type": f"{finding.code} {finding.severity}",
            },
        )
        failure.text = _failure_text(finding)
    return suite


def _files(result: RunResult) -> Iterable[str]:
    """Files that held something faqlint reads, and every file with a finding."""
    skipped = set(result.files_without_resources)
    with_findings = {f.file for f in result.findings}
    return sorted({f for f in result.files if f not in skipped} | with_findings)


def render(result: RunResult, context: ReportContext) -> str:
    # Inert values hold no character XML forbids (controls, lone surrogates, U+FFFE/U+FFFF).
    result = inert_result(result)
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file, []).append(finding)

    root = ET.Element("testsuites", {"name": "faqlint"})
    files = list(_files(result))
    for file in files:
        _suite(root, file, by_file.get(file, []))
    if not files:  # nothing to check is still a run that passed: say so, never an empty report
        _suite(root, "faqlint", [])
    tests = sum(int(s.get("tests", "0")) for s in root)
    root.set("tests", str(tests))
    root.set("failures", str(len(result.findings)))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
