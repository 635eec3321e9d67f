"""Verdicts from the cache: an unchanged tenant is not evaluated, an edit evaluates only the
rules that can see what changed, and a rule that failed is evaluated again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from manifests import NETWORK, ORG, TENANT

from faqlint import run
from faqlint.config import Config
from faqlint.options import RunOptions, RunResult
from faqlint.run import Catalogue, check
from faqlint.sight import sight_of


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "tenant.yaml").write_text(TENANT.format(name="contoso"))
    (root / "org.yaml").write_text(ORG.format(name="org", enabled="false"))
    (root / "network.yaml").write_text(NETWORK)
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / "cache"))
    return root


@pytest.fixture
def evaluated(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[frozenset[str]]]:
    """The rule codes each evaluation of a tenant ran."""
    seen: list[frozenset[str]] = []
    original = run._evaluate_one

    def counting(work: tuple[run.Tenant, frozenset[str]]) -> list[run.Finding]:
        seen.append(work[1])
        return original(work)

    monkeypatch.setattr(run, "_evaluate_one", counting)
    yield seen


def _check(root: Path, catalogue: Catalogue, paths: list[str], cache: bool = True) -> RunResult:
    options = replace(RunOptions.of(paths, Config(), root), cache=cache, jobs=1)
    return check(options, catalogue)


def test_an_edit_evaluates_only_the_rules_that_see_the_edited_kind(
    repo: Path, catalogue: Catalogue, evaluated: list[frozenset[str]]
) -> None:
    first = _check(repo, catalogue, ["."])
    assert {"OM201", "OM302"} <= {f.code for f in first.findings}  # EWS off, TLS inspected
    (everything,) = evaluated
    evaluated.clear()
    assert _check(repo, catalogue, ["."]) == first
    assert evaluated == []  # unchanged: the tenant's verdict is reused, nothing evaluated

    (repo / "org.yaml").write_text(ORG.format(name="org", enabled="true"))
    edited = _check(repo, catalogue, ["org.yaml"])
    assert edited == _check(repo, catalogue, ["org.yaml"], cache=False)
    assert "OM201" not in {f.code for f in edited.findings}
    assert "OM302" in {f.code for f in _check(repo, catalogue, ["network.yaml"]).findings}
    ran = evaluated[0]
    sights = {r.code: sight_of(r).kinds for r in catalogue.policies.rules}
    seeing = {
        c for c, kinds in sights.items() if kinds is None or "ExchangeOrganizationConfig" in kinds
    }
    network_only = {c for c, kinds in sights.items() if kinds == {"NetworkConfiguration"}}
    assert ran == everything & seeing
    assert network_only <= everything and not network_only & ran  # proxy rules not run again
