from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from faqlint.findings import Severity
from faqlint.report.gitlab import render
from tests.report.conftest import Run

REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_code_quality_issues(run: Run, findings_case: Path) -> None:
    result, context = run(findings_case)
    issues = json.loads(render(result, context))
    assert isinstance(issues, list) and len(issues) == len(result.findings) == 5
    for issue in issues:
        assert issue.keys() >= REQUIRED
        assert all(isinstance(issue[k], str) and issue[k] for k in REQUIRED - {"location"})
        assert issue["severity"] in SEVERITIES
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    by_check = {i["check_name"]: i for i in issues}
    om201 = by_check["OM201 ews-disabled"]
    assert om201["severity"] == "critical"
    assert om201["location"] == {"path": "tenants/contoso/exchange.yaml", "lines": {"begin": 7}}
    assert "How to fix" in om201["content"]["body"]
    assert by_check["OM204 ews-list-inert"]["severity"] == "minor"


def test_clean_run_is_an_empty_list(run: Run, clean_case: Path) -> None:
    result, context = run(clean_case)
    assert json.loads(render(result, context)) == []


def test_info_maps_to_info(run: Run, findings_case: Path) -> None:
    result, context = run(findings_case)
    as_info = replace(
        result, findings=tuple(replace(f, severity=Severity.INFO) for f in result.findings)
    )
    assert {i["severity"] for i in json.loads(render(as_info, context))} == {"info"}
