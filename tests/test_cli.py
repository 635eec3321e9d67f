"""The command line as an admin uses it: exit codes, formats, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_the_command_exits_with_every_report_written(tmp_path: Path) -> None:
    """`python -m faqlint` (like the installed command) leaves without tearing the interpreter
    down: whatever it wrote must still arrive whole, with the exit code `main` returned."""
    for n in range(40):
        (tmp_path / f"org{n}.yaml").write_text(
            "apiVersion: faqlint/v1\nkind: ExchangeOrganizationConfig\n"
            f"metadata: {{name: org{n}}}\nspec: {{OAuth2ClientProfileEnabled: false}}\n"
        )
    report = tmp_path / "report.sarif"
    sarif_to_file = ["--format", "sarif", "--output", str(report)]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "faqlint",
            "check",
            *sarif_to_file,
            "--format",
            "json",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "FAQLINT_NO_CACHE": "1"},
    )
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert len({f["file"] for f in findings}) == 40
    assert json.loads(report.read_text())["runs"][0]["results"]
    usage = subprocess.run(
        [sys.executable, "-m", "faqlint", "check", "--no-such-option"],
        capture_output=True,
        text=True,
    )
    assert usage.returncode == 2 and "--no-such-option" in usage.stderr


@pytest.mark.parametrize("command", [[], ["check"], ["rules"], ["schema"], ["convert"]])
def test_version_and_help_everywhere(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for flag, expected in (("--version", "faqlint "), ("--help", "usage: faqlint")):
        with pytest.raises(SystemExit) as done:
            main([*command, flag])
        assert done.value.code == 0
        assert capsys.readouterr().out.startswith(expected)


# ruff's habits: --output-format, --statistics, --quiet, --color.

TWO_FILES = {"org.yaml": VIOLATION, "t.yaml": WARNING_ONLY}


def _write_two(repo: Path) -> None:
    for name, text in TWO_FILES.items():
        (repo / name).write_text(text)


def test_concise_is_one_line_a_finding_and_the_summary(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_two(repo)
    assert main(["check", "--output-format", "concise"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[0] for line in lines[:2]] == ["org.yaml:7:3:", "t.yaml:6:75:"]
    assert lines[2].startswith("Found 1 error, 1 warning, 0 info")
    assert len(lines) == 3


def test_grouped_lists_findings_under_their_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_two(repo)
    assert main(["check", "--format", "grouped"]) == 1  # the same option, by either name
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "org.yaml:"
    assert lines[1].startswith("  7:3 OM202 [error] EwsApplicationAccessPolicy is ")
    assert lines[1].endswith("(ews-allowlist-missing-outlook-mobile)")
    assert lines[2:4] == ["", "t.yaml:"]
    assert lines[4].startswith("  6:75 OM111 [warning] ")
    assert lines[-1].startswith("Found 1 error, 1 warning")


def test_output_format_from_the_config_and_the_command_line_wins(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_two(repo)
    (repo / ".faqlint.yaml").write_text("output-format: grouped\n")
    main(["check"])
    assert capsys.readouterr().out.startswith("org.yaml:\n  7:3 OM202")
    main(["check", "--output-format", "full"])
    assert "7 |   EwsAllowList" in capsys.readouterr().out
    main(["check", "--format", "text"])  # text: the configured variant
    assert capsys.readouterr().out.startswith("org.yaml:\n")


def test_a_machine_format_in_the_config_is_refused_with_the_choices(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".faqlint.yaml").write_text("output-format: json\n")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert ".faqlint.yaml:1:" in err and "output-format" in err and "'grouped'" in err


def test_a_text_variant_pairs_with_output_like_any_format(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_two(repo)
    assert main(["check", "--output-format", "concise", "-o", "out.txt", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["errors"] == 1
    written = (repo / "out.txt").read_text().splitlines()
    assert written[0].startswith("org.yaml:7:3: OM202") and len(written) == 3


def test_statistics_count_findings_by_rule(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_two(repo)
    (repo / "more.yaml").write_text(VIOLATION.replace("name: org", "name: org2"))
    assert main(["check", "--statistics"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["2", "OM202", "[error]", "ews-allowlist-missing-outlook-mobile"]
    assert lines[1].split() == ["1", "OM111", "[warning]", "access-token-lifetime-below-default"]
    assert lines[2].startswith("Found 2 errors, 1 warning")
    assert main(["check", "--statistics", "--quiet"]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_statistics_need_a_text_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--statistics", "--format", "json"]) == 2
    assert "--statistics counts findings in the text report" in capsys.readouterr().err


def test_statistics_choose_text_in_github_actions(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (repo / "org.yaml").write_text(VIOLATION)
    assert main(["check", "--statistics"]) == 1
    assert capsys.readouterr().out.startswith("1  OM202  [error]")


def test_quiet_prints_only_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_two(repo)
    assert main(["check", "-q", "--output-format", "concise"]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["check", "--quiet", "--ignore", "OM202,OM111"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("argv", "environ", "coloured"),
    [
        ([], {}, False),  # a pipe
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins, as in CPython
        ([], {"FORCE_COLOR": ""}, False),  # empty: unset
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the command line wins
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_in_a_pipe(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    environ: dict[str, str],
    coloured: bool,
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    (repo / "org.yaml").write_text(VIOLATION)
    main(["check", *argv])
    assert ("\033[" in capsys.readouterr().out) is coloured


def test_colour_at_a_terminal_follows_no_color_and_term() -> None:
    from faqlint.report.text import wants_colour

    class Terminal:
        def isatty(self) -> bool:
            return True

    terminal: Any = Terminal()
    assert wants_colour("auto", terminal, {}) is True
    assert wants_colour("auto", terminal, {"NO_COLOR": "1"}) is False
    assert wants_colour("auto", terminal, {"NO_COLOR": ""}) is True
    assert wants_colour("auto", terminal, {"TERM": "dumb"}) is False
    assert wants_colour("auto", terminal, {"TERM": "dumb", "FORCE_COLOR": "1"}) is True
    assert wants_colour("never", terminal, {}) is False


def test_colour_never_reaches_a_file(repo: Path) -> None:
    (repo / "org.yaml").write_text(VIOLATION)
    main(["check", "--color", "always", "--output", "out.txt"])
    assert "\033[" not in (repo / "out.txt").read_text()


def test_colour_keeps_hostile_values_inert(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "org\033[2J\033]0;x\a.yaml").write_text(VIOLATION)  # named to clear the screen
    for argv in (["--output-format", "full"], ["--format", "concise"], ["--format", "grouped"]):
        main(["check", "--color", "always", *argv])
        out = capsys.readouterr().out
        assert "\033[2J" not in out and "\033]" not in out and "org\\x1b[2J" in out


# test-policies on the built-in pack, a copy of it, and a pack that reads the built-in tables.


def test_test_policies_runs_the_built_in_pack_instead_of_refusing_it(
    capsys: pytest.CaptureFixture[str], catalogue: Any
) -> None:
    from tests.conftest import REPO

    assert main(["test-policies", str(REPO / "policies" / "outlook-mobile")]) == 0
    builtin = [r for r in catalogue.policies.rules if r.builtin]
    assert capsys.readouterr().out.startswith(f"{len(builtin)} rules, ")


def test_test_policies_runs_an_edited_copy_of_the_built_in_pack_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from tests.conftest import REPO

    pack = tmp_path / "outlook-mobile"
    shutil.copytree(REPO / "policies" / "outlook-mobile", pack)
    ews = pack / "ews.yaml"
    text = ews.read_text()
    assert "Outlook-Android/*" in text
    ews.write_text(text.replace("Outlook-Android/*", "Outlook-Nothing/*"))  # a broken edit
    assert main(["test-policies", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "ews.yaml: OM20" in out and "example" in out


def test_test_policies_gives_your_rules_the_built_in_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rules.yaml").write_text(
        """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {name: sku-table}
rules:
  - code: CT100
    name: known-skus-only
    severity: info
    summary: Every SKU is in the built-in SKU table.
    faq: Our own rule
    rationale: Unknown SKUs need a look.
    fix: Add the SKU's service plans.
    given: {kinds: [SubscribedSku]}
    at: /spec/skuPartNumber
    validations:
      - assert: data.licensingSkus.skus.exists(s, s.skuPartNumber == spec.skuPartNumber)
        message: unknown SKU
    examples:
      fail: [{resources: [{apiVersion: faqlint/v1, kind: SubscribedSku, metadata: {name: x},
                           spec: {skuPartNumber: NOT_A_SKU}}]}]
      pass: [{resources: [{apiVersion: faqlint/v1, kind: SubscribedSku, metadata: {name: x},
                           spec: {skuPartNumber: ENTERPRISEPACK}}]}]
"""
    )
    code = main(["test-policies", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip() == "1 rules, 2 examples: 0 failed"


def test_quiet_asks_for_no_progress_counter(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import faqlint.cli

    asked: list[object] = []
    monkeypatch.setattr(faqlint.cli, "terminal_progress", lambda stream: asked.append(stream))
    (repo / "org.yaml").write_text(VIOLATION)
    main(["check"])
    assert len(asked) == 1
    main(["check", "--quiet"])
    assert len(asked) == 1


def test_the_command_line_knows_the_text_variants_the_report_has() -> None:
    from faqlint.arguments import TEXT_STYLES
    from faqlint.config import Config
    from faqlint.report.text import STYLES

    assert TEXT_STYLES == STYLES and Config().output_format == STYLES[0]


def test_a_pack_whose_expression_would_crash_the_cel_compiler_is_one_line_and_exit_2(
    tmp_path: Path,
) -> None:
    """A repository's own policy pack with an expression of 50,000 selections: the CEL backend's
    compiler overflows its stack on it (the process dies of a segfault); faqlint refuses it first.
    In a subprocess, so that a crash fails this test instead of ending the test run."""
    chain = "spec" + ".b" * 50_000
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "deep.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: PolicyPack\nmetadata: {name: deep}\nrules:\n"
        "  - {code: XX001, name: deep-chain, severity: error, summary: s, faq: q, rationale: r,\n"
        "     fix: f, given: {kinds: [Tenant]},\n"
        f'     validations: [{{assert: "{chain} == 1", message: m}}],\n'
        "     examples: {fail: [{resources: [{apiVersion: faqlint/v1, kind: Tenant,\n"
        "       metadata: {name: a}}]}], pass: [{resources: [{apiVersion: faqlint/v1,\n"
        "       kind: Tenant, metadata: {name: a}}]}]}}\n"
    )
    (tmp_path / ".faqlint.yaml").write_text("policy-paths: [packs]\n")
    (tmp_path / "t.yaml").write_text("apiVersion: faqlint/v1\nkind: Tenant\nmetadata: {name: a}\n")
    done = subprocess.run(
        [sys.executable, "-m", "faqlint", "check", "."],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "FAQLINT_NO_CACHE": "1"},
        timeout=120,
    )
    assert done.returncode == 2, done.stderr[-300:]
    assert done.stderr.count("\n") == 1 and "50001 operators" in done.stderr
