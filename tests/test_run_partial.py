"""Named files (pre-commit's staged files) are checked in the context of their whole project."""

from __future__ import annotations

from pathlib import Path

import pytest
from manifests import ORG, TENANT

from faqlint.config import Config
from faqlint.options import RunOptions
from faqlint.run import Catalogue, RunResult, check


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "tenants" / "contoso"
    folder.mkdir(parents=True)
    (folder / "tenant.yaml").write_text(TENANT.format(name="contoso"))
    (folder / "a-org.yaml").write_text(ORG.format(name="org", enabled="true"))
    (folder / "b-copy.yaml").write_text(
        ORG.format(name="org", enabled="true")
    )  # FL005: a second "org"
    (tmp_path / "c-off.yaml").write_text(ORG.format(name="other", enabled="false"))
    return tmp_path


def _check(catalogue: Catalogue, root: Path, paths: list[str]) -> RunResult:
    config = Config()
    return check(RunOptions.of(paths, config, root), catalogue)


def test_named_file_sees_its_tenant_and_reports_only_itself(
    project: Path, catalogue: Catalogue
) -> None:
    (project / ".git").mkdir()  # the top of a repository, as under pre-commit
    full = _check(catalogue, project, ["."])
    partial = _check(catalogue, project, ["tenants/contoso/b-copy.yaml"])
    assert [(f.code, f.file) for f in full.findings] == [
        ("OM201", "c-off.yaml"),
        ("FL005", "tenants/contoso/a-org.yaml"),
        ("FL005", "tenants/contoso/b-copy.yaml"),
    ]
    assert partial.findings == tuple(
        f for f in full.findings if f.file == "tenants/contoso/b-copy.yaml"
    )
    assert partial.findings[0].tenant == "contoso"  # from the Tenant file it was not given
    assert partial.files == ("tenants/contoso/b-copy.yaml",)
    assert partial.resources == 1 and partial.tenants == ("contoso",)


def test_config_folder_is_a_project_too(project: Path, catalogue: Catalogue) -> None:
    (project / ".faqlint.yaml").write_text("fail-on: error\n")
    partial = _check(catalogue, project, ["tenants/contoso/b-copy.yaml"])
    assert [f.code for f in partial.findings] == ["FL005"]


def test_outside_a_project_only_the_named_file_is_read(project: Path, catalogue: Catalogue) -> None:
    partial = _check(catalogue, project, ["tenants/contoso/b-copy.yaml"])
    assert partial.findings == ()  # no .git, no config: the folder may be a home directory


def test_waivers_in_files_not_named_are_not_reported(project: Path, catalogue: Catalogue) -> None:
    (project / ".git").mkdir()
    (project / "d-waived.yaml").write_text(
        ORG.format(name="waived", enabled='true  # faqlint: ignore[OM201] reason="unused here"')
    )
    full = _check(catalogue, project, ["."])
    assert "FL006" in {f.code for f in full.findings}  # the waiver suppresses nothing
    partial = _check(catalogue, project, ["c-off.yaml"])
    assert [(f.code, f.file) for f in partial.findings] == [("OM201", "c-off.yaml")]


@pytest.mark.parametrize("added", ["tenants/contoso/0-new.yaml", "tenants/contoso/z-new.yaml"])
def test_a_commit_that_adds_a_duplicate_fails_on_the_file_it_adds(
    project: Path, added: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As pre-commit runs it: the staged file named, from the top of a git repository. The new
    file sorts before the resource it copies (0-new) or after it (z-new): it fails either way."""
    import json
    import shutil
    import subprocess

    from faqlint.cli import main

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (project / "tenants/contoso/b-copy.yaml").unlink()
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    monkeypatch.chdir(project)
    assert main(["check", "--format", "json", "tenants/contoso/a-org.yaml"]) == 0
    capsys.readouterr()

    (project / added).write_text(ORG.format(name="org", enabled="true"))
    assert main(["check", "--format", "json", "--", added]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["file"]) for f in findings] == [("FL005", added)]
    assert "tenants/contoso/a-org.yaml" in findings[0]["message"]

    # what a full run says about the named file, the partial run says too
    assert main(["check", "--format", "json", "--exit-zero", "."]) == 0
    full = json.loads(capsys.readouterr().out)["findings"]
    assert [f for f in full if f["file"] == added] == findings
    assert {f["file"] for f in full if f["code"] == "FL005"} == {
        added,
        "tenants/contoso/a-org.yaml",
    }
