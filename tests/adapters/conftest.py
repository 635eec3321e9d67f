"""Fixtures for the export readers' tests: lint a folder as `faqlint check` would."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from export_helpers import EXPORTS

from faqlint.config import check_config, load_config
from faqlint.options import RunOptions
from faqlint.run import Catalogue, RunResult, check

Lint = Callable[..., RunResult]


@pytest.fixture
def lint(catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> Lint:
    """`lint(folder, *paths)`: check `paths` (default `.`) from inside `folder`, with the
    folder's own `.faqlint.yaml` when it has one."""

    def run(folder: Path, *paths: str) -> RunResult:
        monkeypatch.chdir(folder)
        loaded = load_config(None, folder)
        check_config(loaded, catalogue.codes(), catalogue.kinds, folder)
        options = RunOptions.of(list(paths) or ["."], loaded.config, loaded.root, folder)
        return check(options, catalogue)

    return run


@pytest.fixture
def export_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A private copy of one fixture folder, to add files to."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXPORTS / name, target)
        return target

    return copy
