"""Worker processes change how fast a run is, never what it reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqlint import parallel
from faqlint.cli import main

REPO = Path(__file__).resolve().parent.parent


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    main(["check", str(REPO / "examples"), "--format", "json", *argv])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_two_workers_report_exactly_what_one_reports(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MINIMUM_ITEMS", 1)  # examples/ is small: force the workers
    assert parallel.workers_for(2, 30) == 2
    one = _report(capsys, "--jobs", "1")
    two = _report(capsys, "--jobs", "2")
    assert one == two
    assert one["findings"]


def test_small_runs_stay_in_one_process() -> None:
    assert parallel.workers_for(None, parallel.MINIMUM_ITEMS - 1) == 1
    assert parallel.workers_for(1, 10_000) == 1


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--jobs", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
