"""Distribution before and after PyPI: the container image, the GitHub Action, release tags as
pre-commit `rev:`. Each is tried for real where the machine allows (Docker, an install), and
its shape is checked everywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from faqlint import __version__
from tests.conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
VIOLATION = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata:
  name: org
spec:
  EwsApplicationAccessPolicy: EnforceAllowList
  EwsAllowList: ["Outlook-iOS/*"]
"""


def _step(step_id: str) -> dict[str, object]:
    (step,) = [s for s in STEPS if s.get("id") == step_id]
    return step


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "faqlint"
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".*_cache")
    shutil.copytree(REPO, copy, ignore=ignore)
    return copy


# -- the GitHub Action -------------------------------------------------------------------------


def test_the_action_installs_from_its_own_path_runs_uploads_and_annotates() -> None:
    assert ACTION["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in STEPS]
    assert uses[0].startswith("actions/setup-python@")
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert _step("install")["env"] == {"FAQLINT_SOURCE": "${{ github.action_path }}"}
    assert "--format github" in str(_step("check")["run"])
    assert set(ACTION["inputs"]) >= {"paths", "args", "sarif"}


def test_no_input_is_pasted_into_a_script() -> None:
    """Inputs reach the scripts as environment variables: a `${{ }}` inside `run:` would let a
    workflow's input (a branch name, a path) be read as shell code."""
    for step in STEPS:
        assert "${{" not in str(step.get("run", "")), step.get("name")


def _run_check(
    repo: Path, outputs: Path, faqlint: str, sarif: str, args: str = "", paths: str = "."
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(outputs),
        "FAQLINT": faqlint,
        "FAQLINT_PATHS": paths,
        "FAQLINT_ARGS": args,
        "FAQLINT_SARIF": sarif,
        "FAQLINT_SARIF_FILE": "faqlint.sarif",
    }
    # As GitHub runs a `shell: bash` step.
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(_step("check")["run"])],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def _faqlint_here() -> str:
    return str(Path(sys.executable).parent / "faqlint")


def test_the_check_step_annotates_writes_sarif_and_keeps_the_exit_code(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "org.yaml").write_text(VIOLATION)
    outputs = tmp_path / "outputs"
    done = _run_check(repo, outputs, _faqlint_here(), "true")
    assert done.returncode == 0, done.stderr  # the last step fails the job, after the upload
    assert done.stdout.startswith("::error file=org.yaml,line=7,col=3,title=OM202")
    assert _outputs(outputs) == {"exit-code": "1", "sarif-file": "faqlint.sarif"}
    sarif = json.loads((repo / "faqlint.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "OM202"


def test_the_check_step_without_sarif_and_with_args(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "org.yaml").write_text(VIOLATION)
    (repo / "*.yaml").write_text(VIOLATION.replace("name: org", "name: star"))
    outputs = tmp_path / "outputs"
    done = _run_check(repo, outputs, _faqlint_here(), "false", "--ignore OM202", "org.yaml")
    assert _outputs(outputs) == {"exit-code": "0"}, done.stderr
    assert not (repo / "faqlint.sarif").exists()
    done = _run_check(repo, outputs, _faqlint_here(), "false", "", "*.yaml")  # no glob
    assert "file=*.yaml" in done.stdout and "file=org.yaml" not in done.stdout


def test_a_run_that_cannot_check_uploads_nothing(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    done = _run_check(tmp_path, outputs, _faqlint_here(), "true", "--select NOPE")
    assert _outputs(outputs) == {"exit-code": "2"}, done.stderr
    assert "unknown rule 'NOPE'" in done.stderr


@pytest.mark.slow
def test_the_install_step_installs_from_the_action_path(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(outputs),
        "RUNNER_TEMP": str(tmp_path),
        "FAQLINT_SOURCE": str(_copy(tmp_path)),
    }
    env.pop("VIRTUAL_ENV", None)
    script = str(_step("install")["run"])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    faqlint = _outputs(outputs)["faqlint"]
    assert faqlint == str(tmp_path / "faqlint-venv" / "bin" / "faqlint")
    version = subprocess.run([faqlint, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"faqlint {__version__}"


# -- the container image -----------------------------------------------------------------------


def test_the_dockerfile_is_slim_non_root_with_faqlint_as_entrypoint() -> None:
    lines = [
        line.strip()
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines[0] == "FROM python:3.12-slim"
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert "WORKDIR /src" in lines
    assert 'ENTRYPOINT ["faqlint"]' in lines


def test_the_build_context_keeps_what_pip_install_needs() -> None:
    import fnmatch

    ignored = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in ("pyproject.toml", "README.md", "faqlint", "policies", "schemas"):
        assert not any(fnmatch.fnmatch(needed, pattern) for pattern in ignored), needed


def _docker() -> str | None:
    if shutil.which("docker") is None:
        return "docker is not installed"
    try:
        info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "the Docker daemon does not answer"
    return None if info.returncode == 0 else "no Docker daemon is running"


@pytest.mark.slow
def test_the_image_builds_and_lints_a_mounted_repository(tmp_path: Path) -> None:
    why = _docker()
    if why:
        pytest.skip(why)
    tag = f"faqlint-test:{os.getpid()}"
    subprocess.run(["docker", "build", "-q", "-t", tag, str(REPO)], check=True, timeout=900)
    try:
        repo = tmp_path / "repo"
        repo.mkdir()
        (repo / "org.yaml").write_text(VIOLATION)
        repo.chmod(0o755)
        (repo / "org.yaml").chmod(0o644)
        run = ["docker", "run", "--rm", "-v", f"{repo}:/src:ro", tag]
        done = subprocess.run([*run, "check", "--format", "json"], capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        (finding,) = json.loads(done.stdout)["findings"]
        assert (finding["code"], finding["file"]) == ("OM202", "org.yaml")
        user = subprocess.run(
            ["docker", "run", "--rm", "--entrypoint", "id", tag, "-u"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert user.stdout.strip() != "0"
    finally:
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True)


# -- release tags as pre-commit `rev:` ---------------------------------------------------------


@pytest.mark.slow
def test_a_release_tag_works_as_a_pre_commit_rev(tmp_path: Path) -> None:
    """pre-commit clones the repository at the tag and `pip install`s it into its own cache,
    from the shipped .pre-commit-hooks.yaml: exactly what the README's `rev: v0.1.0` does."""
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "-c",
        "init.defaultBranch=main",
    ]
    source = _copy(tmp_path)
    tag = f"v{__version__}"
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "release"], ["tag", tag]):
        subprocess.run([*git, *command], cwd=source, check=True, capture_output=True)
    repo = tmp_path / "config"
    repo.mkdir()
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {tag}\n    hooks:\n      - id: faqlint\n"
    )
    (repo / "org.yaml").write_text(VIOLATION)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    env.pop("VIRTUAL_ENV", None)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    done = subprocess.run(pre_commit, cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "org.yaml:7:3: OM202 [error]" in done.stdout
    (repo / "org.yaml").write_text(VIOLATION.replace('["Outlook-iOS/*"]', '["Outlook-*"]'))
    done = subprocess.run(pre_commit, cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
