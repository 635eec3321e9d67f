"""The large-tenant scenario: a PowerShell `Get-CASMailbox` export, read through `kinds:`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import mailboxes
from faqlint.cli import main


def test_the_export_is_powershell_json_of_every_mailbox(tmp_path: Path) -> None:
    export = mailboxes.generate(tmp_path, 300, seed=1)
    raw = export.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b'":  ' in raw
    items = json.loads(raw.decode("utf-8-sig"))
    assert len(items) == 300 and {"Identity", "EwsAllowList", "Guid"} <= set(items[0])
    assert export.read_bytes() == mailboxes.generate(tmp_path / "again", 300, seed=1).read_bytes()


def test_faqlint_reads_every_mailbox_and_finds_the_planted_violations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    export = mailboxes.generate(tmp_path, 600, seed=1)
    items = json.loads(export.read_text(encoding="utf-8-sig"))
    no_android = {
        m["Identity"]
        for m in items
        if m["EwsApplicationAccessPolicy"] == "EnforceAllowList"
        and "Outlook-Android/*" not in (m["EwsAllowList"] or [])
    }
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / ".cache"))
    assert main(["check", ".", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["resources"] == 600 + 2  # mailboxes, organization, tenant
    om202 = [f for f in report["findings"] if f["code"] == "OM202"]
    assert no_android and {f["message"].rsplit("mailbox ", 1)[1].split(";")[0] for f in om202} == (
        no_android
    )
    assert all(f["line"] > 1 for f in om202)  # located inside the large file
