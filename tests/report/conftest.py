from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faqlint.config import Config
from faqlint.options import RunOptions
from faqlint.report import ReportContext
from faqlint.run import Catalogue, RunResult, check

CASES = Path(__file__).resolve().parent / "cases"

Run = Callable[[Path], tuple[RunResult, ReportContext]]


@pytest.fixture
def run(catalogue: Catalogue) -> Run:
    """Check a folder the way `faqlint check` run inside it would, with the default config."""

    def run_in(folder: Path) -> tuple[RunResult, ReportContext]:
        config = Config()
        result = check(RunOptions.of(["."], config, folder), catalogue)
        return result, ReportContext(folder, catalogue)

    return run_in


@pytest.fixture
def findings_case() -> Path:
    return CASES / "findings"


@pytest.fixture
def clean_case() -> Path:
    return CASES / "clean"


@pytest.fixture(autouse=True)
def _outside_azure_pipelines(monkeypatch: pytest.MonkeyPatch) -> None:
    """SARIF's automation id follows Azure Pipelines' variables; tests expect the local one."""
    monkeypatch.delenv("TF_BUILD", raising=False)
