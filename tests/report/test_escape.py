"""Values from scanned files cannot forge a line of a CI log, steer a terminal or break a format.

A hostile repository names its files and fills its values with CI workflow commands (GitHub's
`::error`, Azure DevOps' `##vso[...]` and `##[group]`) behind every kind of line break (LF, CR,
NEL, U+2028/U+2029), with terminal escapes (ESC/OSC), bidi controls and NUL; one file name is
not even UTF-8 (a lone surrogate once decoded). Every format must keep them inert,
stay parseable, and still show what the values were.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.report import REPORTERS
from faqlint.report.escape import inert, json_text, line_start

FORGED = (
    "\n::error file=forged.yaml::All checks passed"
    "\r##vso[task.complete result=Succeeded]"
    "\x85##[group]nel"
    "\u2028::warning::ls\u2029::notice::ps"
    "\x1b]0;window title\x07\x1b[2J"
    "\u202egnp.exe\u202c\x00\x7f\x9b"
)
COMMANDS = ("::", "##vso[", "##[")


def _write_project(root: Path) -> None:
    tenant = root / "tenants" / "contoso"
    tenant.mkdir(parents=True)
    (tenant / "tenant.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: Tenant\nmetadata:\n  name: contoso\nspec:\n"
        "  cloud: Commercial\n"
    )
    mailbox = {
        "apiVersion": "faqlint/v1",
        "kind": "CASMailbox",
        "metadata": {"name": "mailbox" + FORGED},
        "spec": {
            "Identity": "adele" + FORGED,
            "EwsApplicationAccessPolicy": "EnforceAllowList",
            "EwsAllowList": ["Other/*"],
        },
    }
    hostile_name = "::error file=x,line=1::forged\n##vso[task.setvariable variable=a]b\u2028.json"
    (tenant / hostile_name).write_text(json.dumps(mailbox))  # \ud800 travels as an escape
    not_utf8 = os.fsencode(tenant) + b"/\x1b]8;;evil\x07##[group]\xff.yaml"
    (root / "##vso[task.complete result=Succeeded].yaml").write_text("kind: [\n")
    with open(not_utf8, "wb") as handle:
        handle.write(b"apiVersion: faqlint/v1\nkind: CASMailbox\nmetadata: {name: x\n")  # broken


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _write_project(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "repo"


def _run(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    code = main(["check", ".", "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert err == ""
    out.encode("utf-8")  # writable as UTF-8: no lone surrogate left
    return out


def _lines(text: str) -> list[str]:
    return text.splitlines()  # every line break Python knows: LF, CR, NEL, U+2028, ...


def _no_raw_controls(text: str) -> None:
    for char in "\x00\x07\x1b\x7f\x85\x9b\u2028\u2029\u202e\ud800":
        assert char not in text, repr(char)


@pytest.mark.usefixtures("hostile")
def test_every_format_renders_hostile_values_inert_and_parseable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outputs = {fmt: _run(capsys, fmt) for fmt in REPORTERS}
    for fmt, out in outputs.items():  # agents that look for these anywhere in a line
        assert "##vso[" not in out.lower() and "##[" not in out, fmt
    findings = json.loads(outputs["json"])["findings"]
    assert {f["code"] for f in findings} >= {"OM202", "FL001"}

    text = outputs["text"]
    _no_raw_controls(text)
    assert not [line for line in _lines(text) if line.startswith(COMMANDS)]
    assert "contoso/::error file=x,line=1::forged\\n\\x23#vso[" in text  # still recognisable
    assert text.startswith("\\x23#vso[task.complete result=Succeeded].yaml:2:1: FL001")
    assert "adele\\n::error file=forged.yaml::All checks passed\\r\\x23#vso[" in text
    assert "\\x1b]8;;evil\\x07\\x23#[group]\\xff.yaml" in text  # the byte that is not UTF-8

    github = outputs["github"]
    _no_raw_controls(github)
    commands = [line for line in _lines(github) if line.startswith(COMMANDS)]
    assert len(commands) == len(findings)  # only faqlint's own, one per finding
    for line in commands:
        command, _, rest = line.partition(" ")
        assert command in {"::error", "::warning", "::notice"}
        properties, separator, _ = rest.partition("::")
        assert separator
        keys = [item.partition("=")[0] for item in properties.split(",")]
        assert keys == ["file", "line", "col", "title"]  # `,` and `:` in a file name escaped

    junit = outputs["junit"]
    _no_raw_controls(junit)
    root = ET.fromstring(junit.encode("utf-8"))
    failures = [f.get("message", "") for f in root.iter("failure")]
    assert any("adele\\n::error" in message for message in failures)

    for fmt in ("json", "sarif", "gitlab"):
        document = json.loads(outputs[fmt])
        for char in "\x85\u2028\u2029\u202e":  # legal in JSON strings, written as escapes
            assert char not in outputs[fmt]
        assert document
    messages = [f["message"] for f in findings]
    assert any("adele\n::error file=forged.yaml::All checks passed" in m for m in messages)
    assert any(
        f["file"].endswith("##[group]\ufffd.yaml") for f in findings
    )  # data intact  # \xff: not UTF-8
    sarif = json.loads(outputs["sarif"])
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert any(uri.endswith("%5Bgroup%5D%FF.yaml") for uri in uris)  # the byte, percent-encoded


def test_errors_on_stderr_are_inert_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--config", "nothing\n::error::forged.yaml"]) == 2
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and "nothing\\n::error::forged.yaml" in err


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("tab\tkept", "tab\tkept"),
        ("a\r\nb", "a\\r\\nb"),
        ("\x1b[31m", "\\x1b[31m"),
        ("\x85\u2028\u2029", "\\x85\\u2028\\u2029"),
        ("\u202eabc\u2066", "\\u202eabc\\u2066"),
        ("bad\udcffname", "bad\\xffname"),
        ("\ud800\ufffe", "\\ud800\\ufffe"),
        ("x ##vso[task.setvariable]", "x \\x23#vso[task.setvariable]"),
    ],
)
def test_inert(raw: str, shown: str) -> None:
    assert inert(raw) == shown


def test_a_line_never_starts_with_a_command() -> None:
    assert line_start("::error") == "./::error"
    assert line_start(" ::error") == "./ ::error"  # the runner strips leading white space
    assert line_start("#x") == "./#x"
    assert inert("a ##vso[x] ##[group] ##VSO[y]") == "a \\x23#vso[x] \\x23#[group] \\x23#VSO[y]"
    assert line_start("tenants/a.yaml") == "tenants/a.yaml"


def test_json_text_keeps_the_data_and_writes_utf8() -> None:
    encoded = json.dumps({"v": "a\u2028b\x85\ud800"}, ensure_ascii=False)
    text = json_text(encoded)
    assert json.loads(text) == {"v": "a\u2028b\x85\ufffd"}
    text.encode("utf-8")


def test_rules_and_rule_show_a_hostile_pack_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A policy pack may come from the repository (`policy-paths`): its texts are data too."""
    pack = (
        Path(__file__).parents[1] / "e2e/own-rules-and-excludes/house-rules/regions.yaml"
    ).read_text()
    hostile = "EU only\\n::error file=x::forged\\u001b]8;;evil\\u0007"
    (tmp_path / "pack.yaml").write_text(
        pack.replace("Contoso keeps every mailbox in the EU data boundary.", f'"{hostile}"'),
        encoding="utf-8",
    )
    for command in (["rules"], ["rule", "CT001"], ["rules", "--format", "json"]):
        assert main([*command, "--policy-path", str(tmp_path)]) == 0
        out = capsys.readouterr().out
        _no_raw_controls(out)
        assert not [line for line in _lines(out) if line.startswith(COMMANDS)]
        assert "EU only" in out
    assert main(["rules", "--format", "json", "--policy-path", str(tmp_path)]) == 0
    rules = json.loads(capsys.readouterr().out)["rules"]
    assert any(r["summary"].startswith("EU only\n::error") for r in rules)  # data intact
