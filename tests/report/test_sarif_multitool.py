"""Microsoft's SARIF multitool (`validate`) with its SARIF, GitHub and Azure DevOps (GHAzDO) rule
sets, over the reports of examples/ with waivers, a baseline and git provenance.

The multitool comes from npm (`@microsoft/sarif-multitool`, pinned) into `.tools/` (or
FAQLINT_NPM_TOOLS); `.ci/run` installs it, and this test installs it when npm is there and the
tool is not. What the multitool still reports is listed below with the reason faqlint keeps it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from faqlint.cli import main
from tests.conftest import REPO
from tests.report.test_sarif import AZURE_PIPELINE

pytestmark = pytest.mark.slow

PACKAGE = "@microsoft/sarif-multitool@5.7.0"
TOOLS = Path(os.environ.get("FAQLINT_NPM_TOOLS", REPO / ".tools"))

# Advice faqlint does not take, on purpose (notes, except SARIF2005's informationUri warning):
KEPT = {
    # messages are written for each finding (they name its values), not as templates
    "SARIF2002",
    # snippets and context regions would copy tenant configuration into every upload;
    # consumers show the region from the checked-out file
    "SARIF2010",
    "SARIF2011",
    # rule names are the kebab-case names admins write in the config (`ignore: [ews-disabled]`),
    # and there is no helpUri unless a rule-url is configured
    "SARIF2012",
}


def _installed() -> Path | None:
    found = sorted(TOOLS.glob("node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool*"))
    binaries = [p for p in found if p.name in {"Sarif.Multitool", "Sarif.Multitool.exe"}]
    return binaries[0] if binaries else None


def _multitool() -> Path:
    installed = _installed()
    if installed is not None:
        return installed
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot fetch Microsoft's SARIF multitool")
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(TOOLS), PACKAGE, "--no-audit", "--no-fund", "--silent"],
        check=True,
        timeout=600,
    )
    installed = _installed()
    assert installed is not None, f"npm installed {PACKAGE} into {TOOLS} without its binary"
    return installed


def _validate(sarif: Path, rule_kinds: str) -> list[dict[str, Any]]:
    out = sarif.with_suffix(".validation.sarif")
    subprocess.run(
        [
            str(_multitool()),
            "validate",
            str(sarif),
            "--rule-kind",
            rule_kinds,
            "--level",
            "Error;Warning;Note",
            "--output",
            str(out),
            "--log",
            "ForceOverwrite",
            "--quiet",
        ],
        check=True,
        timeout=600,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    results: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0][
        "results"
    ]
    return results


def _left(results: list[dict[str, Any]], schema_uri: str) -> list[str]:
    """What the multitool reports beyond KEPT, as readable lines."""
    left = []
    for result in results:
        rule, arguments = result["ruleId"], result["message"].get("arguments", [])
        if rule in KEPT:
            continue
        if rule == "SARIF2006" and arguments[-1:] == [schema_uri]:
            continue  # the schema's public address, unreachable from an offline test machine
        left.append(f"{rule} {result.get('level', 'warning')}: {arguments}")
    return left


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "examples", tmp_path / "repo")
    repo = tmp_path / "repo"
    git = repo / ".git"
    (git / "refs/heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs/heads/main").write_text("89abcdef0123456789abcdef0123456789abcdef\n")
    (git / "config").write_text('[remote "origin"]\n\turl = git@github.com:contoso/m365.git\n')
    # a waiver of each kind and a baseline that records part of the findings
    (repo / ".faqlint.yaml").write_text(
        "per-file-ignores:\n"
        '  "tenants/fabrikam/network.yaml":\n'
        "    rules: [OM302]\n"
        "    reason: the proxy exemption is filed as change CHG0042\n"
    )
    monkeypatch.chdir(repo)
    assert main(["check", "tenants", "--write-baseline", "baseline.json", "--format", "json"]) in (
        0,
        1,
    )
    return repo


def test_github_and_sarif_rule_sets(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--baseline", "baseline.json", "--format", "sarif", "-o", "faqlint.sarif"])
    log = json.loads(Path("faqlint.sarif").read_text())
    results = log["runs"][0]["results"]
    assert any("suppressions" in r for r in results)
    assert {r["baselineState"] for r in results if "suppressions" not in r} == {"new", "unchanged"}
    found = _validate(project / "faqlint.sarif", "Sarif;Gh")
    left = _left(found, log["$schema"])
    # informationUri is left out unless a rule-url says where faqlint's pages are
    assert left == ["SARIF2005 warning: ['runs[0].tool.driver', 'faqlint']"], left


def test_azure_devops_rule_set_in_a_pipeline_with_a_rule_url(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in AZURE_PIPELINE.items():
        monkeypatch.setenv(key, value)
    url = "https://wiki.example.com/faqlint/{code}"
    main(["check", "--rule-url", url, "--format", "sarif", "-o", "faqlint.sarif"])
    log = json.loads(Path("faqlint.sarif").read_text())
    found = _validate(project / "faqlint.sarif", "Sarif;Gh;Ado")
    # the example wiki does not resolve either; any other unreachable URI would be listed
    left = [
        line for line in _left(found, log["$schema"]) if "https://wiki.example.com/" not in line
    ]
    assert left == [], left
