from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest

from faqlint.cli import main
from faqlint.hooks import HOOKS, render
from tests.conftest import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def test_manifest_is_generated_from_the_catalogue() -> None:
    assert MANIFEST.read_text(encoding="utf-8") == render(), (
        "regenerate it: python -m faqlint.hooks > .pre-commit-hooks.yaml"
    )


def test_manifest_is_valid_for_pre_commit() -> None:
    (hook,) = load_manifest(str(MANIFEST))
    assert hook["id"] == "faqlint" == HOOKS[0].id
    assert hook["entry"] == "faqlint check --"  # staged file names come after the `--`
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert hook["types_or"] == ["yaml", "json"]


def test_project_hooks_download_nothing() -> None:
    from pre_commit.clientlib import load_config

    config = load_config(str(REPO / ".pre-commit-config.yaml"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    languages = {hook["language"] for repo in config["repos"] for hook in repo["hooks"]}
    assert languages <= {"system", "unsupported"}  # pre-commit 4.4 renamed system to unsupported
    ids = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "faqlint-examples"} <= ids


@pytest.mark.parametrize("name", ["--output=x.yaml", "-x.yaml", "--write-baseline=b.yaml", "-"])
def test_a_file_named_like_an_option_is_linted_as_a_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What pre-commit runs: the hook's entry, then the staged file names."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / ".cache"))
    (tmp_path / name).write_text("apiVersion: faqlint/v1\nkind: [\n")  # broken: FL001
    argv = [*shlex.split(HOOKS[0].entry)[1:], name]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{name}:3:1: FL001"), out  # a file, and the report on stdout
    assert err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".cache", name])  # no x.yaml
