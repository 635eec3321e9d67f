"""Rule links: none by default (faqlint publishes no pages), the admin's own with `rule-url`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.report import REPORTERS

FORMATS = sorted(REPORTERS)


@pytest.fixture
def project(tmp_path: Path, findings_case: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(findings_case, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def _reports(*options: str) -> dict[str, str]:
    """Every format of one run, as written to files."""
    argv = ["check", *options]
    for name in FORMATS:
        argv += ["--format", name, "--output", f"out.{name}"]
    assert main(argv) == 1
    return {name: Path(f"out.{name}").read_text(encoding="utf-8") for name in FORMATS}


def test_no_format_links_to_an_unpublished_site_by_default(project: Path) -> None:
    for name, text in _reports().items():
        assert "faqlint.io/rules" not in text, name
        assert "https://faqlint.io" not in text.replace("https://faqlint.io/schemas/", ""), name
    # and the help is there instead
    reports = _reports()
    assert "How to fix: Set EwsEnabled to true" in reports["junit"]
    assert "How to fix: Set EwsEnabled to true" in reports["github"]
    issues = json.loads(reports["gitlab"])
    assert all("http" not in issue["content"]["body"] for issue in issues)
    assert any("How to fix:" in issue["content"]["body"] for issue in issues)
    findings = json.loads(reports["json"])["findings"]
    assert all("url" not in f and f["fix"] for f in findings)


def test_rule_url_from_the_command_line_links_every_format(project: Path) -> None:
    link = "https://wiki.example.com/faqlint/OM201"
    reports = _reports("--rule-url", "https://wiki.example.com/faqlint/{code}")
    for name in ("sarif", "junit", "github", "gitlab", "json", "html"):
        assert link in reports[name] or link.replace("/", "\\/") in reports[name], name
    sarif = json.loads(reports["sarif"])["runs"][0]["tool"]["driver"]
    assert sarif["informationUri"] == "https://wiki.example.com/faqlint/"
    om201 = next(r for r in sarif["rules"] if r["id"] == "OM201")
    assert om201["helpUri"] == link
    findings = json.loads(reports["json"])["findings"]
    assert {f["url"] for f in findings if f["code"] == "OM201"} == {link}


def test_rule_url_from_the_config_and_the_command_line_wins(project: Path) -> None:
    Path(".faqlint.yaml").write_text('rule-url: "https://intranet.example.org/lint/{name}"\n')
    reports = _reports()
    assert "https://intranet.example.org/lint/ews-disabled" in reports["github"]
    reports = _reports("--rule-url", "https://wiki.example.com/{code}")
    assert "https://wiki.example.com/OM201" in reports["github"]
    assert "intranet.example.org" not in reports["github"]


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("wiki.example.com/{code}", "is not an http(s) URL"),
        ("https://wiki.example.com/rules", "names no rule"),
        ("https://wiki.example.com/{rule}/{code}", "only {code} and {name}"),
        ("https://wiki.example.com/{rule}", "only {code} and {name}"),
        ("https://wiki.example.com/{code} x", "only {code} and {name}"),
        ("javascript:alert(1)//{code}", "is not an http(s) URL"),
    ],
)
def test_a_bad_rule_url_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], template: str, problem: str
) -> None:
    assert main(["check", "--rule-url", template]) == 2
    err = capsys.readouterr().err
    assert problem in err and len(err.strip().splitlines()) == 1
    Path(".faqlint.yaml").write_text(f'rule-url: "{template}"\n')
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert ".faqlint.yaml:1:" in err and "rule-url" in err and problem in err
