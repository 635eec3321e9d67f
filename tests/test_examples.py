"""The bundled example repository: well-formed, one clean tenant, every rule shown somewhere,
and the baseline the project's own pre-commit hook uses kept exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.run import load_catalogue

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    main(["check", *argv, "--format", "json"])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_the_clean_tenant_is_clean(at_repo: None, capsys: pytest.CaptureFixture[str]) -> None:
    report = _json(capsys, "examples/tenants/contoso", "--fail-on", "info")
    assert report["findings"] == []


def test_every_rule_is_shown_and_every_file_is_well_formed(
    at_repo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = _json(capsys, "examples")["findings"]
    assert isinstance(findings, list)
    codes = {f["code"] for f in findings}
    assert not {c for c in codes if c.startswith("FL")}
    builtin = {r.code for r in load_catalogue().policies.rules if r.builtin}
    assert builtin - codes == set()


def test_the_examples_baseline_is_exact(at_repo: None, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = "examples/.faqlint-baseline.json"
    report = _json(capsys, "examples", "--baseline", baseline)
    summary = report["summary"]
    assert isinstance(summary, dict)
    recorded = sum(e["count"] for e in json.loads((REPO / baseline).read_text())["findings"])
    assert (summary["new"], summary["baselined"]) == (0, recorded), (
        "examples/ changed: run `faqlint check examples --write-baseline "
        "examples/.faqlint-baseline.json` and review the difference"
    )
