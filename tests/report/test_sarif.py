from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from faqlint.report import ReportContext, rule_infos
from faqlint.report.sarif import render
from tests.conftest import REPO
from tests.report.conftest import Run

SCHEMA = REPO.parent / "shared" / "vendor" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    if not SCHEMA.is_file():
        pytest.skip(
            f"the official SARIF 2.1.0 schema is not at {SCHEMA} (it is reference data "
            "kept beside the repository, not part of it)"
        )
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def _valid(validator: Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def _sarif(run: Run, folder: Path) -> dict[str, Any]:
    result, context = run(folder)
    return json.loads(render(result, context))


def test_findings_validate_and_point_at_their_rules(
    run: Run, findings_case: Path, validator: Draft4Validator
) -> None:
    log = _sarif(run, findings_case)
    _valid(validator, log)
    sarif_run = log["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = sarif_run["results"]
    assert [r["ruleId"] for r in results] == ["FL001", "OM201", "OM202", "OM202", "OM204"]
    for result in results:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
    om204 = results[-1]
    assert om204["level"] == "warning"
    assert om204["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tenants/contoso/mailboxes.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7, "startColumn": 3},
    }


def test_every_known_rule_is_described(run: Run, clean_case: Path, catalogue: Any) -> None:
    log = _sarif(run, clean_case)
    sarif_run = log["runs"][0]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "faqlint" and driver["version"]
    assert driver["fullName"] == f"faqlint {driver['version']}"
    assert driver["semanticVersion"] == driver["version"]
    assert "informationUri" not in driver  # nothing published to point at
    assert sarif_run["automationDetails"] == {"id": "faqlint/"}
    described = {r["id"]: r for r in driver["rules"]}
    infos = rule_infos(catalogue)
    assert list(described) == [i.code for i in infos]
    om202 = described["OM202"]
    assert om202["name"] == "ews-allowlist-missing-outlook-mobile"
    assert "helpUri" not in om202
    help_text = om202["help"]["text"]
    assert "Outlook-Android/*" in help_text and help_text.startswith("How to fix: ")
    assert "FAQ: " in help_text and "faqlint rule OM202" in help_text
    assert "**How to fix:**" in om202["help"]["markdown"]
    assert om202["shortDescription"]["text"] and om202["fullDescription"]["text"]
    assert om202["defaultConfiguration"] == {"level": "error"}
    assert described["FL006"]["defaultConfiguration"] == {"level": "warning"}
    om601 = described["OM601"]  # the FAQ's own words, quoted
    assert '\n\n"For the Microsoft Authenticator, Intune Company Portal' in om601["help"]["text"]
    assert "\n\n> For the Microsoft Authenticator" in om601["help"]["markdown"]


def test_a_configured_rule_url_links_every_rule(run: Run, clean_case: Path) -> None:
    result, context = run(clean_case)
    linked = ReportContext(
        context.cwd, context.catalogue, rule_url="https://wiki.example.com/faqlint/{code}?n={name}"
    )
    driver = json.loads(render(result, linked))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://wiki.example.com/faqlint/"
    om202 = next(r for r in driver["rules"] if r["id"] == "OM202")
    assert om202["helpUri"] == (
        "https://wiki.example.com/faqlint/OM202?n=ews-allowlist-missing-outlook-mobile"
    )
    assert om202["helpUri"] in om202["help"]["text"]


def test_clean_run_has_empty_results(
    run: Run, clean_case: Path, validator: Draft4Validator
) -> None:
    log = _sarif(run, clean_case)
    _valid(validator, log)
    assert log["runs"][0]["results"] == []


def test_fingerprints_ignore_line_moves_and_stay_unique(
    run: Run, findings_case: Path, tmp_path: Path
) -> None:
    def prints(folder: Path) -> list[str]:
        results = _sarif(run, folder)["runs"][0]["results"]
        return [r["partialFingerprints"]["faqlint/v1"] for r in results]

    before = prints(findings_case)
    assert len(set(before)) == len(before), "two OM202 findings at one pointer must differ"
    moved = tmp_path / "moved"
    for source in findings_case.rglob("*.yaml"):
        target = moved / source.relative_to(findings_case)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("# a comment that moves every line down\n\n" + source.read_text())
    assert prints(moved) == before


def test_examples_validate(run: Run, validator: Draft4Validator) -> None:
    examples = REPO / "examples"
    if not any(examples.rglob("*.y*ml")):
        pytest.skip("no examples/ in this checkout")
    _valid(validator, _sarif(run, examples))
