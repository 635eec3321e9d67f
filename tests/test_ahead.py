"""Tenants judged where their files are read (`faqlint.ahead`): a verdict found ahead is used
only for the run's own tenant, and a run reports the same with and without them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from manifests import TENANT

from faqlint import ahead, parallel
from faqlint import run as run_module
from faqlint.cli import main
from faqlint.discover import SourceFile

REPO = Path(__file__).resolve().parent.parent

PROXY = """\
apiVersion: faqlint/v1
kind: NetworkConfiguration
metadata: {{name: {name}{claim}}}
spec:
  proxy: {{enabled: true, tlsInspection: true}}
"""


def _source(path: str) -> SourceFile:
    return SourceFile(f"/repo/{path}", path)


def test_files_are_grouped_by_the_folders_that_make_enough_groups() -> None:
    files = [f"tenants/t{n}/{area}/f.yaml" for n in range(5) for area in ("a", "b")]
    by_tenant = ahead.groups([_source(f) for f in files], workers=1)  # 4 groups wanted
    assert [[s.display for s in g] for g in by_tenant] == [
        [f"tenants/t{n}/a/f.yaml", f"tenants/t{n}/b/f.yaml"] for n in range(5)
    ]
    few = ahead.groups([_source(f) for f in files[:4]], workers=1)  # 2 tenants: split deeper
    assert len(few) == 4
    flat = ahead.groups([_source(f"f{n}.yaml") for n in range(9)], workers=1)
    assert [len(g) for g in flat] == [9]  # one folder: one group


def _project(tmp_path: Path) -> Path:
    """Tenants in folders of their own, and what a group cannot judge on its own: a resource
    that claims a tenant from another tenant's folder, a tenant whose files lie in a folder
    beside its Tenant's, a resource defined twice across two folders."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "examples", root / "examples")
    for n in range(9):  # enough tenant folders for a group each with two workers
        folder = root / "tenants" / f"t{n}"
        (folder / "network").mkdir(parents=True)
        (folder / "tenant.yaml").write_text(TENANT.format(name=f"t{n}"))
        (folder / "network" / "proxy.yaml").write_text(PROXY.format(name="proxy", claim=""))
    claim = ", tenant: t1"
    (root / "tenants" / "t0" / "network" / "claims.yaml").write_text(
        PROXY.format(name="claimed", claim=claim)
    )
    (root / "tenants" / "t2" / "network" / "twice.yaml").write_text(
        PROXY.format(name="proxy", claim="")
    )
    (root / "tenants" / "t3-settings").mkdir()
    (root / "tenants" / "t3-settings" / "proxy.yaml").write_text(
        PROXY.format(name="elsewhere", claim=", tenant: t3")
    )
    return root


def _report(capsys: pytest.CaptureFixture[str], root: Path, jobs: str) -> dict[str, object]:
    assert main(["check", str(root), "--format", "json", "--no-cache", "--jobs", jobs]) == 1
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_a_run_with_tenants_judged_ahead_reports_what_one_process_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MINIMUM_ITEMS", 1)  # a small project: force the workers
    root = _project(tmp_path)
    one = _report(capsys, root, "1")
    two = _report(capsys, root, "2")
    assert one == two
    codes = {(f["code"], f["tenant"]) for f in one["findings"]}  # type: ignore[index]
    assert {("OM302", "t1"), ("OM302", "t3"), ("FL005", "t2")} <= codes


def test_a_verdict_found_ahead_is_used_only_for_the_same_tenant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a group of files makes on its own is judged there; the run evaluates again only the
    tenants that a group did not hold whole: t1 (a resource in t0's folder claims it) and t3
    (a resource in a folder beside its own claims it). t0 is judged ahead without the resource
    it holds for t1, as the run judges it."""
    root = _project(tmp_path)
    found: dict[str, object] = {}
    original = run_module._evaluator

    def recording(
        pool: parallel.Workers, verdicts: ahead.Verdicts, rules: object
    ) -> run_module.Evaluator:
        evaluate = original(pool, verdicts, rules)  # type: ignore[arg-type]

        def evaluating(work: list[tuple[run_module.Tenant, frozenset[str]]]) -> object:
            found["ahead"] = {name for name, _ in verdicts}
            found["again"] = [
                t.name for t, _ in work if (t.name, ahead.signature(t)) not in verdicts
            ]
            return evaluate(work)

        return evaluating  # type: ignore[return-value]

    monkeypatch.setattr(parallel, "MINIMUM_ITEMS", 1)
    monkeypatch.setattr(run_module, "_evaluator", recording)
    main(["check", str(root / "tenants"), "--format", "json", "--no-cache", "--jobs", "2"])
    assert found["ahead"] >= {"t0", "t2", "t4", "t5", "t8"}
    assert sorted(found["again"]) == ["t1", "t3"]  # type: ignore[arg-type]
