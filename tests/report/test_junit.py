from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml
from lxml import etree

from faqlint.cli import main
from faqlint.findings import Severity
from faqlint.report import ReportContext
from faqlint.report.junit import render
from tests.conftest import REPO
from tests.report.conftest import Run

XSD = Path(__file__).resolve().parent / "junit-10.xsd"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _valid(schema: etree.XMLSchema, text: str) -> None:
    document = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "faqlint.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_suite_per_file_and_a_test_per_finding(
    run: Run, findings_case: Path, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    result, context = run(findings_case)
    text = render(result, context)
    _valid(schema, text)
    report = JUnitXml.fromfile(str(_write(tmp_path, text)))
    suites = {suite.name: suite for suite in report}
    assert sorted(suites) == [
        "tenants/contoso/broken.yaml",
        "tenants/contoso/exchange.yaml",
        "tenants/contoso/mailboxes.yaml",
        "tenants/contoso/tenant.yaml",
    ]
    # 5 findings and one clean file; OM204 is a warning, below the default fail level
    assert report.tests == 6 and report.failures == 4
    exchange = suites["tenants/contoso/exchange.yaml"]
    assert exchange.tests == 3 and exchange.failures == 3
    cases = list(exchange)
    assert [c.name for c in cases] == [
        "OM201 ews-disabled contoso-org /spec/EwsEnabled",
        "OM202 ews-allowlist-missing-outlook-mobile contoso-org /spec/EwsApplicationAccessPolicy",
        "OM202 ews-allowlist-missing-outlook-mobile contoso-org "
        "/spec/EwsApplicationAccessPolicy #2",
    ]
    assert {c.classname for c in cases} == {"tenants/contoso/exchange.yaml"}
    (failure,) = cases[0].result
    assert isinstance(failure, Failure)
    assert failure.message.startswith("EwsEnabled is false for the whole organization")
    assert failure.type == "OM201 error"
    assert failure.text.splitlines()[0] == (
        "tenants/contoso/exchange.yaml:7:3: OM201 ews-disabled [error]"
    )
    assert "How to fix: Set EwsEnabled to true" in failure.text
    assert "http" not in failure.text  # no rule-url configured: no link at all
    tenant = suites["tenants/contoso/tenant.yaml"]
    assert tenant.tests == 1 and tenant.failures == 0
    (case,) = tenant
    assert case.is_passed and case.name == "no findings"


def test_findings_below_the_fail_level_pass_and_say_what_was_found(
    run: Run, findings_case: Path
) -> None:
    result, context = run(findings_case)
    root = ET.fromstring(render(result, context))
    suite = next(s for s in root if s.get("name") == "tenants/contoso/mailboxes.yaml")
    (case,) = suite.iter("testcase")
    assert case.find("failure") is None
    out = case.findtext("system-out") or ""
    assert "OM204" in out and "[warning, below the fail level error: passes]" in out
    assert suite.get("failures") == "0" and suite.get("tests") == "1"

    strict = ReportContext(context.cwd, context.catalogue, fail_on=Severity.WARNING)
    root = ET.fromstring(render(result, strict))
    suite = next(s for s in root if s.get("name") == "tenants/contoso/mailboxes.yaml")
    (case,) = suite.iter("testcase")
    assert case.find("failure") is not None and case.find("system-out") is None
    assert root.get("failures") == "5"


def test_test_names_survive_edits_above_them(run: Run, findings_case: Path, tmp_path: Path) -> None:
    def names(folder: Path) -> list[tuple[str, str]]:
        result, context = run(folder)
        root = ET.fromstring(render(result, context))
        return [(c.get("classname", ""), c.get("name", "")) for c in root.iter("testcase")]

    before = names(findings_case)
    moved = tmp_path / "moved"
    for source in findings_case.rglob("*.yaml"):
        target = moved / source.relative_to(findings_case)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("# a comment that moves every line down\n\n" + source.read_text())
    assert names(moved) == before
    assert not any(":" in name.split(" /")[0] for _, name in before)


def test_suites_carry_timestamp_hostname_and_properties(
    run: Run, clean_case: Path, monkeypatch: pytest.MonkeyPatch, schema: etree.XMLSchema
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    result, context = run(clean_case)
    text = render(result, context)
    _valid(schema, text)
    root = ET.fromstring(text)
    for suite in root:
        assert suite.get("timestamp") == "2026-01-01T00:00:00"
        assert suite.get("hostname")
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert properties["faqlint.fail-on"] == "error" and properties["faqlint.version"]


def test_clean_run_is_a_passing_report(
    run: Run, clean_case: Path, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    result, context = run(clean_case)
    text = render(result, context)
    _valid(schema, text)
    report = JUnitXml.fromfile(str(_write(tmp_path, text)))
    assert report.tests == 2 and report.failures == 0 and report.errors == 0
    assert all(case.is_passed for suite in report for case in suite)


def test_nothing_checked_still_reports_a_passing_case(
    run: Run, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result, context = run(empty)
    text = render(result, context)
    _valid(schema, text)
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    (suite,) = root
    (case,) = suite.iter("testcase")
    assert len(case) == 0  # no <failure>: it passed


def test_the_schema_rejects_what_ci_tabs_reject(schema: etree.XMLSchema) -> None:
    """The schema is not a rubber stamp: a line attribute or a suite without counts fails."""
    good = '<testsuites><testsuite name="f" tests="1" failures="0" errors="0">'
    assert schema.validate(etree.fromstring(good + '<testcase name="t"/></testsuite></testsuites>'))
    for bad in (
        good + '<testcase name="t" line="3"/></testsuite></testsuites>',
        '<testsuites><testsuite name="f"><testcase name="t"/></testsuite></testsuites>',
        good + '<testcase classname="f"/></testsuite></testsuites>',
        good + '<testcase name="t"/><properties><property name="a"/></properties>'
        "</testsuite></testsuites>",
    ):
        assert not schema.validate(etree.fromstring(bad)), bad


def test_examples_validate(run: Run, schema: etree.XMLSchema) -> None:
    examples = REPO / "examples"
    if not any(examples.rglob("*.y*ml")):
        pytest.skip("no examples/ in this checkout")
    result, context = run(examples)
    _valid(schema, render(result, context))


def test_fail_on_from_the_command_line(
    tmp_path: Path,
    findings_case: Path,
    monkeypatch: pytest.MonkeyPatch,
    schema: etree.XMLSchema,
) -> None:
    """What an admin runs in CI: `--fail-on` decides both the exit code and the failed tests."""
    shutil.copytree(findings_case, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")

    def failed(*options: str) -> tuple[int, set[str]]:
        code = main(["check", "--format", "junit", "--output", "out.xml", *options])
        text = Path("out.xml").read_text(encoding="utf-8")
        _valid(schema, text)
        root = ET.fromstring(text)
        failing = [c for c in root.iter("testcase") if c.find("failure") is not None]
        return code, {c.get("name", "").split(" ")[0] for c in failing}

    assert failed() == (1, {"FL001", "OM201", "OM202"})
    assert failed("--fail-on", "warning") == (1, {"FL001", "OM201", "OM202", "OM204"})
    Path(".faqlint.yaml").write_text("fail-on: warning\n")
    assert failed() == (1, {"FL001", "OM201", "OM202", "OM204"})


def test_waived_findings_are_skipped_tests_that_say_why(
    tmp_path: Path,
    findings_case: Path,
    monkeypatch: pytest.MonkeyPatch,
    schema: etree.XMLSchema,
) -> None:
    shutil.copytree(findings_case, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv("FAQLINT_TODAY", "2026-06-01")
    exchange = Path("tenants/contoso/exchange.yaml")
    exchange.write_text(
        exchange.read_text().replace(
            "EwsEnabled: false", 'EwsEnabled: false  # faqlint: ignore[OM201] reason="pilot tenant"'
        )
    )
    assert main(["check", "--format", "junit", "--output", "out.xml"]) == 1
    text = Path("out.xml").read_text(encoding="utf-8")
    _valid(schema, text)
    root = ET.fromstring(text)
    suite = next(s for s in root if s.get("name") == "tenants/contoso/exchange.yaml")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "2", "1")
    case = next(c for c in suite.iter("testcase") if c.get("name", "").startswith("OM201"))
    assert case.get("name") == "OM201 ews-disabled contoso-org /spec/EwsEnabled"  # same history
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    assert skipped.get("message") == "waived: pilot tenant"
    assert "How to fix:" in (skipped.text or "")
