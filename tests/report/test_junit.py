from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from junitparser import Failure, JUnitXml

from faqlint.report.junit import render
from tests.report.conftest import Run


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "faqlint.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_suite_per_file_and_a_failure_per_finding(
    run: Run, findings_case: Path, tmp_path: Path
) -> None:
    result, context = run(findings_case)
    report = JUnitXml.fromfile(str(_write(tmp_path, render(result, context))))
    suites = {suite.name: suite for suite in report}
    assert sorted(suites) == [
        "tenants/contoso/broken.yaml",
        "tenants/contoso/exchange.yaml",
        "tenants/contoso/mailboxes.yaml",
        "tenants/contoso/tenant.yaml",
    ]
    assert report.tests == 6 and report.failures == 5
    exchange = suites["tenants/contoso/exchange.yaml"]
    assert exchange.tests == 3 and exchange.failures == 3
    cases = list(exchange)
    assert [c.name for c in cases] == [
        "OM201 ews-disabled at 7:3",
        "OM202 ews-allowlist-missing-outlook-mobile at 8:3",
        "OM202 ews-allowlist-missing-outlook-mobile at 8:3 #2",
    ]
    (failure,) = cases[0].result
    assert isinstance(failure, Failure)
    assert failure.message.startswith("EwsEnabled is false for the whole organization")
    assert failure.text.splitlines()[0] == (
        "tenants/contoso/exchange.yaml:7:3: OM201 ews-disabled [error]"
    )
    assert "How to fix: Set EwsEnabled to true" in failure.text
    assert failure.text.rstrip().endswith("https://faqlint.io/rules/OM201")
    tenant = suites["tenants/contoso/tenant.yaml"]
    assert tenant.tests == 1 and tenant.failures == 0
    (case,) = tenant
    assert case.is_passed


def test_clean_run_is_a_passing_report(run: Run, clean_case: Path, tmp_path: Path) -> None:
    result, context = run(clean_case)
    report = JUnitXml.fromfile(str(_write(tmp_path, render(result, context))))
    assert report.tests == 2 and report.failures == 0 and report.errors == 0
    assert all(case.is_passed for suite in report for case in suite)


def test_nothing_checked_still_reports_a_passing_case(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result, context = run(empty)
    root = ET.fromstring(render(result, context))
    assert root.tag == "testsuites"
    (suite,) = root
    (case,) = suite
    assert case.tag == "testcase" and len(case) == 0  # no <failure>: it passed
