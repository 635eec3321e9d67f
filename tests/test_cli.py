"""The command line as an admin uses it: exit codes, formats, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from faqlint.cli import main

VIOLATION = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata:
  name: org
spec:
  EwsApplicationAccessPolicy: EnforceAllowList
  EwsAllowList: ["Outlook-iOS/*"]
"""
WARNING_ONLY = """\
apiVersion: faqlint/v1
kind: TokenLifetimePolicy
metadata: {name: half-hour}
spec:
  displayName: Half an hour
  definition: ['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"00:30:00"}}']
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_findings_exit_1_with_location_and_caret(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "org.yaml").write_text(VIOLATION)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("org.yaml:7:3: OM202 [error] ")
    assert '7 |   EwsAllowList: ["Outlook-iOS/*"]' in out
    assert "  |   ^" in out
    assert "Found 1 error, 0 warnings, 0 info" in out


def test_json_format_has_the_documented_shape(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "org.yaml").write_text(VIOLATION)
    assert main(["check", "--format", "json", "org.yaml"]) == 1
    report = json.loads(capsys.readouterr().out)
    (finding,) = report["findings"]
    assert {
        k: finding[k]
        for k in (
            "code",
            "file",
            "line",
            "column",
            "document",
            "pointer",
            "tenant",
            "kind",
            "resource",
        )
    } == {
        "code": "OM202",
        "file": "org.yaml",
        "line": 7,
        "column": 3,
        "document": 1,
        "pointer": "/spec/EwsAllowList",
        "tenant": "default",
        "kind": "ExchangeOrganizationConfig",
        "resource": "org",
    }
    assert report["summary"]["errors"] == 1


def test_fail_on_and_exit_zero(repo: Path) -> None:
    (repo / "t.yaml").write_text(WARNING_ONLY)
    assert main(["check"]) == 0
    assert main(["check", "--fail-on", "warning"]) == 1
    assert main(["check", "--fail-on", "warning", "--exit-zero"]) == 0


def test_select_and_ignore(repo: Path) -> None:
    (repo / "org.yaml").write_text(VIOLATION)
    assert main(["check", "--ignore", "OM2"]) == 0
    assert main(["check", "--select", "ews-allowlist-missing-outlook-mobile"]) == 1


def test_clean_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "org.yaml").write_text(VIOLATION.replace('["Outlook-iOS/*"]', '["Outlook-*"]'))
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("All checks passed: 1 file checked")


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["check", "--format", "xml"], "invalid choice: 'xml'"),
        (["check", "missing.yaml"], "missing.yaml: no such file or folder"),
        (
            ["check", "--select", "ews-alowlist-missing-outlook-mobile"],
            "did you mean 'ews-allowlist-missing-outlook-mobile'?",
        ),
        (["rule", "OM999"], "no rule 'OM999'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert error in err
    assert len(err.strip().splitlines()) == 1


def test_broken_policy_pack_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "pack").mkdir()
    (repo / "pack" / "p.yaml").write_text("apiVersion: faqlint/v1\nkind: PolicyPack\n")
    assert main(["check", "--policy-path", "pack"]) == 2
    assert "not a valid policy pack" in capsys.readouterr().err


def test_rules_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    codes = {r["code"] for r in json.loads(capsys.readouterr().out)["rules"]}
    assert {"FL001", "OM110", "OM202"} <= codes
    assert main(["rule", "ews-allowlist-missing-outlook-mobile"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# OM202 ews-allowlist-missing-outlook-mobile")
    assert "can't log in" in text


def test_module_entry_point_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "faqlint", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0 and done.stdout.startswith("faqlint ")


@pytest.mark.parametrize("command", [[], ["check"], ["rules"], ["schema"], ["convert"]])
def test_version_and_help_everywhere(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for flag, expected in (("--version", "faqlint "), ("--help", "usage: faqlint")):
        with pytest.raises(SystemExit) as done:
            main([*command, flag])
        assert done.value.code == 0
        assert capsys.readouterr().out.startswith(expected)
