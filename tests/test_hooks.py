from __future__ import annotations

from pre_commit.clientlib import load_manifest

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
    assert hook["entry"] == "faqlint check"
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
