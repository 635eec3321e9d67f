"""The pipeline's own decisions: which findings survive, and where globs are anchored."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from manifests import PACK_HEAD, RULE_HEAD

from faqlint.cli import main
from faqlint.policy import PolicyError, load_policies
from faqlint.resources import builtin_policies

PACK = (
    PACK_HEAD.format(name="custom")
    + RULE_HEAD.format(code="XX001", name="needs-cloud")
    + """\
    given: {kinds: [Tenant]}
    validations: [{assert: "spec.cloud != 'China21Vianet'", message: m}]
    examples:
      fail:
        - resources:
            - apiVersion: faqlint/v1
              kind: Tenant
              metadata: {name: a}
              spec: {cloud: China21Vianet}
      pass:
        - resources:
            - {apiVersion: faqlint/v1, kind: Tenant, metadata: {name: a}, spec: {cloud: GCC}}
"""
)


def _codes(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    main(["check", "--format", "json", *argv])
    return [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]


def test_rule_errors_on_schema_invalid_resources_are_left_to_the_schema_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "rules.yaml").write_text(PACK)
    tenant = "apiVersion: faqlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec: {}\n"
    (tmp_path / "tenant.yaml").write_text(tenant)  # no `cloud`: FL002, and XX001 cannot run
    assert _codes(capsys, "tenant.yaml", "--policy-path", "pack") == ["FL002"]
    (tmp_path / "tenant.yaml").write_text(tenant.replace("{}", "{cloud: China21Vianet}"))
    assert _codes(capsys, "tenant.yaml", "--policy-path", "pack") == ["XX001"]


CONTRACT_PACK = (
    """\
apiVersion: faqlint/v1
kind: PolicyData
metadata: {name: contracts}
data:
  tenants:
    - {tenant: CONTOSO, contract: GLOBAL-3}
    - {tenant: Fabrikam, contract: US-GOV-17}
---
"""
    + PACK_HEAD.format(name="contracts")
    + RULE_HEAD.format(code="XX002", name="tenant-under-contract")
    + """\
    given: {kinds: [Tenant]}
    validations:
      - assert: "size(lookupIgnoreCase('contracts.tenants', ['tenant'], [resource.name])) > 0"
        message: "no contract covers {{ resource.name }}"
    examples:
      fail:
        - resources:
            - {apiVersion: faqlint/v1, kind: Tenant, metadata: {name: tailspin}, spec: {cloud: GCC}}
      pass:
        - resources:
            - {apiVersion: faqlint/v1, kind: Tenant, metadata: {name: contoso}, spec: {cloud: GCC}}
"""
)


def test_a_pack_looks_its_own_table_up_by_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An admin's pack keeps a table of its own and looks rows up in it by `lookupIgnoreCase`,
    ignoring case, through `faqlint check` and `faqlint test-policies` alike."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "contracts.yaml").write_text(CONTRACT_PACK)
    for name in ("contoso", "FABRIKAM", "tailspin"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "tenant.yaml").write_text(
            f"apiVersion: faqlint/v1\nkind: Tenant\nmetadata: {{name: {name}}}\n"
            "spec: {cloud: GCC}\n"
        )
    main(["check", ".", "--format", "json", "--policy-path", "pack", "--select", "XX002"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["message"] for f in findings] == ["no contract covers tailspin"]
    assert main(["test-policies", "pack"]) == 0


def test_a_pack_cannot_replace_a_builtin_table(tmp_path: Path) -> None:
    (tmp_path / "tables.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: PolicyData\nmetadata: {name: licensing}\ndata: {}\n"
    )
    with pytest.raises(PolicyError, match="table 'licensing' is already defined"):
        load_policies([builtin_policies(), tmp_path])


def test_kinds_globs_are_relative_to_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".faqlint.yaml").write_text(
        "kinds:\n  exports/org.json: ExchangeOrganizationConfig\n"
    )
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "org.json").write_text(
        json.dumps({"Identity": "contoso", "EwsEnabled": False, "UnmodelledThing": 1})
    )
    for folder in (tmp_path, tmp_path / "exports"):
        monkeypatch.chdir(folder)
        target = os.path.relpath(tmp_path / "exports", folder)
        # FL012: this hand-cut export lacks the other settings EWS rules read
        assert _codes(capsys, target) == ["FL012", "OM201"]


def test_a_warm_run_loads_no_yaml_cel_or_export_reader(tmp_path: Path) -> None:
    """A run whose every file, tenant and position comes from the cache reads no file: what
    only reading and evaluating need is not imported (a warm run is mostly start-up)."""
    import shutil
    import subprocess
    import sys

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples", project)
    heavy = (
        "yaml",
        "faqlint.yamlread",
        "faqlint.cel",
        "faqlint.engine",
        "jsonschema_rs",
        "faqlint.adapters.graph",
        "faqlint.positions",
    )
    probe = (
        "import sys; from faqlint.cli import main; main(['check', '.']); "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
    )
    env = {**os.environ, "FAQLINT_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=project
        )
        for _ in range(2)  # the first run fills the cache
    ]
    assert runs[0].stderr.strip().splitlines()[-1] != "[]"  # the probe sees what a read loads
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"
    assert runs[1].stdout == runs[0].stdout


def test_a_run_without_waivers_does_not_load_them(tmp_path: Path) -> None:
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    probe = (
        "import sys; from faqlint.cli import main; "
        f"main(['check', {str(repo / 'examples' / 'tenants' / 'contoso')!r}]); "
        "print(sorted(m for m in ('faqlint.suppress', 'faqlint.baseline', 'pydantic',"
        " 'multiprocessing') if m in sys.modules), file=sys.stderr)"
    )
    env = {**os.environ, "FAQLINT_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
        for _ in range(2)  # the first run fills the cache
    ]
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"
