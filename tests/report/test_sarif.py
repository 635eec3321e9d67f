from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from faqlint.cli import main
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


# --- what an admin meets on the command line -------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, findings_case: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(findings_case, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def _check(*options: str) -> dict[str, Any]:
    main(["check", "--format", "sarif", "--output", "out.sarif", *options])
    log: dict[str, Any] = json.loads(Path("out.sarif").read_text(encoding="utf-8"))
    return log


def test_waived_findings_are_suppressed_results(
    project: Path, validator: Draft4Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQLINT_TODAY", "2026-06-01")
    exchange = project / "tenants/contoso/exchange.yaml"
    exchange.write_text(
        exchange.read_text().replace(
            "EwsEnabled: false", 'EwsEnabled: false  # faqlint: ignore[OM201] reason="pilot tenant"'
        )
    )
    Path(".faqlint.yaml").write_text(
        "per-file-ignores:\n"
        '  "tenants/contoso/mailboxes.yaml":\n'
        "    rules: [OM204]\n"
        "    reason: shared mailboxes stay on EWS\n"
        "    until: 2026-12-31\n"
    )
    log = _check()
    _valid(validator, log)
    results = log["runs"][0]["results"]
    waived = {r["ruleId"]: r for r in results if "suppressions" in r}
    assert set(waived) == {"OM201", "OM204"}
    assert waived["OM201"]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "pilot tenant",
            "properties": {"origin": "inline"},
        }
    ]
    (external,) = waived["OM204"]["suppressions"]
    assert external["kind"] == "external" and external["status"] == "accepted"
    assert external["justification"] == "shared mailboxes stay on EWS"
    assert external["properties"]["until"] == "2026-12-31"
    assert [r["ruleId"] for r in results if "suppressions" not in r] == ["FL001", "OM202", "OM202"]


def test_a_baseline_marks_results_new_or_unchanged(
    project: Path, validator: Draft4Validator
) -> None:
    assert main(["check", "--write-baseline", "baseline.json", "--format", "json"]) == 0
    Path("tenants/contoso/lee.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: CASMailbox\nmetadata: {name: lee}\n"
        "spec: {Identity: lee@contoso.com, EwsEnabled: false}\n"
    )
    log = _check("--baseline", "baseline.json")
    _valid(validator, log)
    states = [(r["ruleId"], r["baselineState"]) for r in log["runs"][0]["results"]]
    assert ("OM201", "new") in states
    assert sorted(s for s in states if s[1] == "unchanged") == [
        ("FL001", "unchanged"),
        ("OM201", "unchanged"),
        ("OM202", "unchanged"),
        ("OM202", "unchanged"),
        ("OM204", "unchanged"),
    ]
    plain = _check()
    assert all("baselineState" not in r for r in plain["runs"][0]["results"])


def _git(project: Path, config: str) -> str:
    sha = "0123456789abcdef0123456789abcdef01234567"
    git = project / ".git"
    (git / "refs/heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs/heads/main").write_text(sha + "\n")
    (git / "config").write_text(config)
    return sha


def test_version_control_provenance_is_read_from_git_files(
    project: Path, validator: Draft4Validator
) -> None:
    sha = _git(
        project,
        '[core]\n\tbare = false\n[remote "origin"]\n'
        "\turl = https://ci-user:s3cret@github.com/contoso/m365-config.git\n"
        "\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
        '[alias]\n\tx = !rm -rf /\n[core]\n\tfsmonitor = "touch pwned"\n',
    )
    log = _check()
    _valid(validator, log)
    assert log["runs"][0]["versionControlProvenance"] == [
        {
            "repositoryUri": "https://github.com/contoso/m365-config.git",
            "revisionId": sha,
            "branch": "main",
            "mappedTo": {"uriBaseId": "%SRCROOT%"},
        }
    ]
    assert "s3cret" not in Path("out.sarif").read_text()
    assert not Path("pwned").exists()


def test_checked_from_a_subfolder_paths_map_onto_the_repository(
    project: Path, validator: Draft4Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    _git(project, '[remote "origin"]\n\turl = git@github.com:contoso/m365.git\n')
    monkeypatch.chdir(project / "tenants")
    log = _check()
    _valid(validator, log)
    sarif_run = log["runs"][0]
    (details,) = sarif_run["versionControlProvenance"]
    assert details["repositoryUri"] == "ssh://github.com/contoso/m365.git"
    assert details["mappedTo"] == {"uriBaseId": "REPOROOT"}
    assert sarif_run["originalUriBaseIds"] == {
        "REPOROOT": {"uri": project.resolve().as_uri() + "/"},
        "%SRCROOT%": {"uri": "tenants/", "uriBaseId": "REPOROOT"},
    }


def test_no_remote_no_provenance(project: Path) -> None:
    _git(project, "[core]\n\tbare = false\n")
    assert "versionControlProvenance" not in _check()["runs"][0]


def test_azure_pipelines_get_the_automation_details_advanced_security_needs(
    project: Path, validator: Draft4Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in AZURE_PIPELINE.items():
        monkeypatch.setenv(key, value)
    log = _check()
    _valid(validator, log)
    details = log["runs"][0]["automationDetails"]
    assert details["id"] == (
        "azuredevops/pipeline/build/contoso/6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c/17/"
        "3dc8fd7e-4368-5a92-293e-d53cefc8c4b3/refs/heads/main/4711"
    )
    assert details["properties"] == {
        "azuredevops/pipeline/build/buildDefinitionId": "17",
        "azuredevops/pipeline/build/buildDefinitionName": "faqlint",
        "azuredevops/pipeline/build/phaseId": "3dc8fd7e-4368-5a92-293e-d53cefc8c4b3",
        "azuredevops/pipeline/build/phaseName": "lint",
    }
    monkeypatch.delenv("SYSTEM_PHASEID")  # a job without all of them: the plain id
    assert _check()["runs"][0]["automationDetails"] == {"id": "faqlint/"}


# The predefined variables of an Azure Pipelines job, as the agent exports them.
AZURE_PIPELINE = {
    "TF_BUILD": "True",
    "SYSTEM_COLLECTIONURI": "https://dev.azure.com/contoso/",
    "SYSTEM_TEAMPROJECTID": "6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c",
    "BUILD_DEFINITIONID": "17",
    "BUILD_DEFINITIONNAME": "faqlint",
    "BUILD_BUILDID": "4711",
    "SYSTEM_PHASEID": "3dc8fd7e-4368-5a92-293e-d53cefc8c4b3",
    "SYSTEM_PHASENAME": "lint",
    "BUILD_SOURCEBRANCH": "refs/heads/main",
}


def test_help_from_a_policy_pack_cannot_become_markup() -> None:
    from faqlint.report.sarif import markdown_text

    text = "Open [this](https://evil.example) <img src=x> or `Set-X -Y [a]`"
    assert markdown_text(text) == (
        r"Open \[this\]\(https://evil.example\) \<img src=x\> or `Set-X -Y [a]`"
    )  # every character shown as written; code spans stay as they are
