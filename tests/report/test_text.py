"""The text report on a compact export: a source line of megabytes is shown as a window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.report.text import SOURCE_WIDTH


def test_a_long_source_line_is_shown_as_a_window_with_the_caret_under_the_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mailbox = {
        "apiVersion": "faqlint/v1",
        "kind": "CASMailbox",
        "metadata": {"name": "adele", "annotations": {"note": "x" * 50_000}},
        "spec": {"Identity": "adele", "EwsEnabled": False, "EwsBlockList": ["y" * 50_000]},
    }
    (tmp_path / "m.json").write_text(json.dumps(mailbox))  # one line of 100 kB
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / ".cache"))
    assert main(["check", "m.json"]) == 1
    lines = capsys.readouterr().out.splitlines()
    source = next(line for line in lines if line.startswith("1 | "))
    caret = lines[lines.index(source) + 1]
    assert len(source) <= SOURCE_WIDTH + 20
    assert source.startswith("1 | ...") and source.endswith("...")
    assert source[caret.index("^") :].startswith('"EwsEnabled"')
