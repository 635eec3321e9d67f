"""JUnit XML, as Azure DevOps (PublishTestResults, format JUnit), GitLab (`reports: junit`) and
Jenkins ingest it; valid against the schema Jenkins' xUnit plugin publishes (junit-10.xsd).

One `<testsuite>` per checked file, because a file is what an admin opens to fix, and it makes
the test tab read as "42 files checked, 3 failed", grouped the way the repository is laid out.
Each finding is one `<testcase>`: `classname` is the file and `name` is the rule, the resource
and the JSON pointer (`OM202 ews-allowlist-missing-outlook-mobile contoso-org /spec/EwsAllowList`),
never a line or column, so a test keeps its history in the CI's test tab when lines move above
it. A finding at or above the fail level (`--fail-on`, default error) is a failed test; one
below it is a passed test whose `<system-out>` says what was found, so the tab's pass/fail
count agrees with faqlint's exit code and nothing found is hidden. A waived finding is a skipped
test whose message is the waiver's reason, so waiving keeps the test's history and the tab shows
what is waived. A file without findings is one passed test named `no findings`, so a clean run
still reports what it checked.

Suites carry `timestamp` (UTC, or SOURCE_DATE_EPOCH for a reproducible report) and `hostname`,
and the run's facts go into `<properties>` (faqlint's version, the fail level), the only place
the schema allows extra data.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TYPE_CHECKING

from faqlint import __version__
from faqlint.findings import Finding
from faqlint.report import ReportContext, report_time
from faqlint.report.escape import inert, inert_finding, inert_result

if TYPE_CHECKING:
    from faqlint.run import RunResult

PASSING_CASE = "no findings"
WAIVED_BY = "waivedBy"  # `faqlint.suppress.WAIVED_BY`, without importing the stage


def case_name(finding: Finding) -> str:
    """The test's name: rule, resource and pointer, none of which moves when lines do."""
    resource = finding.resource or f"document {finding.document}"
    parts = [finding.code, finding.name, resource]
    if finding.pointer:
        parts.append(finding.pointer)
    return " ".join(parts)


def _details(finding: Finding, link: str | None, verdict: str) -> str:
    fix = finding.fix.strip() if finding.fix else None
    lines = [
        f"{finding.file}:{finding.line}:{finding.column}: {finding.code} {finding.name} "
        f"[{verdict}]",
        finding.message,
    ]
    if fix:
        lines += ["", f"How to fix: {fix}"]
    if link:
        lines += [f"Rule: {link}"]
    return "\n".join(lines)


def _case(suite: ET.Element, file: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", {"name": name, "classname": file, "time": "0"})


def _waiver_text(finding: Finding) -> str:
    """Why a finding is waived: each waiver's reason (and last day), as plain words."""
    parts = []
    for waiver in finding.extra.get(WAIVED_BY) or [{}]:
        text = f"waived: {waiver.get('reason') or 'no reason given'}"
        if waiver.get("until"):
            text += f" (until {waiver['until']})"
        parts.append(text)
    return inert("; ".join(parts))


def _suite(
    parent: ET.Element,
    file: str,
    findings: list[Finding],
    context: ReportContext,
    stamp: str,
    waived: frozenset[int] = frozenset(),
) -> ET.Element:
    failing = [
        f for i, f in enumerate(findings) if i not in waived and f.severity >= context.fail_on
    ]
    suite = ET.SubElement(
        parent,
        "testsuite",
        {
            "name": file,
            "tests": str(max(len(findings), 1)),
            "failures": str(len(failing)),
            "errors": "0",
            "skipped": str(len(waived)),
            "time": "0",
            "timestamp": stamp,
            "hostname": _hostname(),
        },
    )
    properties = ET.SubElement(suite, "properties")
    for key, value in (("faqlint.version", __version__), ("faqlint.fail-on", context.fail_on)):
        ET.SubElement(properties, "property", {"name": key, "value": str(value)})
    if not findings:
        _case(suite, file, PASSING_CASE)
        return suite
    names: dict[str, int] = {}
    for number, finding in enumerate(findings):
        name = case_name(finding)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:  # two findings at one place (one per missing list entry)
            name += f" #{names[name]}"
        case = _case(suite, file, name)
        link = context.link(finding.code, finding.name)
        if number in waived:
            reason = _waiver_text(finding)
            skipped = ET.SubElement(case, "skipped", {"message": reason, "type": "waived"})
            skipped.text = _details(finding, link, f"{finding.severity}, {reason}")
        elif finding.severity >= context.fail_on:
            failure = ET.SubElement(
                case,
                "failure",
                {"message": finding.message, "type": f"{finding.code} {finding.severity}"},
            )
            failure.text = _details(finding, link, str(finding.severity))
        else:
            below = f"{finding.severity}, below the fail level {context.fail_on}: passes"
            ET.SubElement(case, "system-out").text = _details(finding, link, below)
    return suite


def _files(result: RunResult) -> Iterable[str]:
    """Files that held something faqlint reads, and every file with a finding."""
    skipped = set(result.files_without_resources)
    with_findings = {f.file for f in (*result.findings, *result.suppressed)}
    return sorted({f for f in result.files if f not in skipped} | with_findings)


def _timestamp() -> str:
    """ISO 8601 in UTC without a zone (as JUnit writers do); SOURCE_DATE_EPOCH when set."""
    return report_time().strftime("%Y-%m-%dT%H:%M:%S")


def _hostname() -> str:
    try:
        return inert(socket.gethostname()) or "localhost"
    except OSError:
        return "localhost"


def render(result: RunResult, context: ReportContext) -> str:
    # Inert values hold no character XML forbids (controls, lone surrogates, U+FFFE/U+FFFF).
    result = inert_result(result)
    suppressed = tuple(inert_finding(f) for f in result.suppressed)
    by_file: dict[str, list[tuple[Finding, bool]]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file, []).append((finding, False))
    for finding in suppressed:
        by_file.setdefault(finding.file, []).append((finding, True))

    stamp = _timestamp()
    root = ET.Element("testsuites", {"name": "faqlint"})
    files = list(_files(result))
    for file in files:
        entries = sorted(by_file.get(file, []), key=lambda e: e[0].sort_key())
        waived = frozenset(i for i, (_, is_waived) in enumerate(entries) if is_waived)
        _suite(root, file, [f for f, _ in entries], context, stamp, waived)
    if not files:  # nothing to check is still a run that passed: say so, never an empty report
        _suite(root, "faqlint", [], context, stamp)
    root.set("tests", str(sum(int(s.get("tests", "0")) for s in root)))
    root.set("failures", str(sum(int(s.get("failures", "0")) for s in root)))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
