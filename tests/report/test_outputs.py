"""Choosing formats and destinations: `--format`/`--output` pairs and the GitHub Actions default."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.report import Output, OutputPlanError, default_format, plan_outputs


def test_outputs_pair_with_formats_in_order() -> None:
    assert plan_outputs(["sarif", "text"], ["faqlint.sarif"]) == (
        Output("sarif", "faqlint.sarif"),
        Output("text", None),
    )
    assert plan_outputs(["junit", "gitlab"], ["a.xml", "b.json"]) == (
        Output("junit", "a.xml"),
        Output("gitlab", "b.json"),
    )
    assert plan_outputs([], [], "github") == (Output("github", None),)
    assert plan_outputs([], ["report.txt"]) == (Output("text", "report.txt"),)
    assert plan_outputs(["json", "sarif"], ["-", "x.sarif"]) == (
        Output("json", None),
        Output("sarif", "x.sarif"),
    )


@pytest.mark.parametrize(
    ("formats", "outputs", "problem"),
    [
        (["json", "text"], [], "would all go to standard output"),
        (["json"], ["a", "b"], "each --output needs its own --format"),
        (["json", "sarif"], ["same.out", "same.out"], "given twice"),
        (["xml"], [], "unknown format 'xml'"),
    ],
)
def test_plans_that_cannot_work(formats: list[str], outputs: list[str], problem: str) -> None:
    with pytest.raises(OutputPlanError, match=problem):
        plan_outputs(formats, outputs)


def test_github_actions_selects_github() -> None:
    assert default_format({"GITHUB_ACTIONS": "true"}) == "github"
    assert default_format({"GITHUB_ACTIONS": "false"}) == "text"
    assert default_format({}) == "text"


@pytest.fixture
def project(tmp_path: Path, findings_case: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(findings_case, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def test_one_run_writes_every_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "check",
        "--format",
        "sarif",
        "--output",
        "out/faqlint.sarif",
        "--format",
        "junit",
        "--output",
        "out/faqlint.xml",
        "--format",
        "gitlab",
        "-o",
        "gl.json",
        "--format",
        "json",
    ]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)["findings"]) == 5  # stdout holds only the json report
    assert captured.err == ""
    sarif = json.loads((project / "out/faqlint.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 5
    # the warning is below the default fail level: a passed test, not a failure
    assert ET.parse(project / "out/faqlint.xml").getroot().get("failures") == "4"
    assert len(json.loads((project / "gl.json").read_text())) == 5


def test_github_format_is_the_default_under_github_actions(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("::error file=tenants/contoso/broken.yaml,line=4,col=1,")
    assert main(["check", "--format", "text", "--no-source"]) == 1
    assert capsys.readouterr().out.startswith("tenants/contoso/broken.yaml:4:1: FL001")


def test_bad_pairing_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", "--format", "sarif"]) == 2
    err = capsys.readouterr().err
    assert "standard output" in err and len(err.strip().splitlines()) == 1
