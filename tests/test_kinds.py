"""`kinds:` globs end to end: gitignore semantics as for `exclude`, and a glob that can never match
is a configuration error naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqlint.cli import main

ORG = {"Identity": "contoso", "EwsEnabled": False}


def _project(root: Path, kinds: str, *exports: str) -> None:
    (root / ".faqlint.yaml").write_text(f"kinds:\n{kinds}")
    for name in exports:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(json.dumps(ORG))


def _read_as_org(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The files a run read as ExchangeOrganizationConfig (each yields OM201)."""
    assert main(["check", "--format", "json", "--select", "OM201"]) == 1
    report = json.loads(capsys.readouterr().out)
    return sorted({f["file"] for f in report["findings"]})


def test_a_star_in_an_anchored_glob_stops_at_a_slash_and_double_star_goes_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    files = ("exports/org.json", "exports/old/org.json")
    _project(tmp_path, '  "exports/*.json": ExchangeOrganizationConfig\n', *files)
    assert _read_as_org(capsys) == ["exports/org.json"]
    _project(tmp_path, '  "exports/**/*.json": ExchangeOrganizationConfig\n')
    assert _read_as_org(capsys) == ["exports/old/org.json", "exports/org.json"]


def test_a_folder_glob_covers_the_files_below_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    files = ("exports/exchange/a/org.json", "other/org.json")
    _project(tmp_path, '  "exchange/": ExchangeOrganizationConfig\n', *files)
    assert _read_as_org(capsys) == ["exports/exchange/a/org.json"]


@pytest.mark.parametrize("command", ["check", "convert"])
def test_a_glob_that_can_never_match_is_a_config_error_naming_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    _project(tmp_path, '  "../exports/[org.json": ExchangeOrganizationConfig\n', "org.json")
    argv = ["check"] if command == "check" else ["convert", "org.json", "--out", "out"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == (
        "faqlint: .faqlint.yaml: kinds: glob '../exports/[org.json' can never match: "
        "'[' at column 12 is never closed\n"
    )
    assert not (tmp_path / "out").exists()
