"""What the README shows an admin works as shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faqlint.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _block_containing(marker: str) -> str:
    for block in re.findall(r"```yaml\n(.*?)```", README, re.S):
        if marker in block:
            return block
    raise AssertionError(f"no yaml block with {marker!r} in the README")


def test_the_custom_rule_example_passes_its_own_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rules.yaml").write_text(_block_containing("kind: PolicyPack"))
    assert main(["test-policies", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("1 rules, 2 examples: 0 failed")


def test_a_broken_example_fails_test_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = _block_containing("kind: PolicyPack").replace('EwsAllowList: ["ContosoCRM/*"]', "")
    (tmp_path / "rules.yaml").write_text(pack)
    assert main(["test-policies", str(tmp_path)]) == 1
    assert "CT001 pass example 1: expected no CT001 finding" in capsys.readouterr().out


def test_the_configuration_example_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".faqlint.yaml").write_text(_block_containing("per-file-ignores"))
    (tmp_path / "policies").mkdir()
    assert main(["check"]) == 0, capsys.readouterr().err
