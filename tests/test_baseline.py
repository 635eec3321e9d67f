"""Baselines: keyed on rule, file, pointer and value, so unrelated edits do not churn them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from faqlint.baseline import Baseline, BaselineError, value_at, value_hash
from faqlint.cli import main

ORG = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata: {name: org}
spec:
  EwsApplicationAccessPolicy: EnforceAllowList
  EwsAllowList: ["Outlook-iOS/*"]
  EwsBlockList: [Legacy/*]
"""


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--no-source", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_write_then_read_leaves_nothing_new(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--write-baseline", "faqlint-baseline.json")
    assert code == 0
    assert out.endswith("0 new, 2 baselined.\n")
    written = json.loads((tmp_path / "faqlint-baseline.json").read_text())
    assert written["version"] == 1
    assert [(e["code"], e["file"], e["pointer"]) for e in written["findings"]] == [
        ("OM202", "org.yaml", "/spec/EwsAllowList"),
        ("OM204", "org.yaml", "/spec/EwsBlockList"),
    ]
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--baseline", "faqlint-baseline.json")
    assert code == 0
    assert "All checks passed: 1 file checked" in out  # the baseline file itself is not linted
    assert out.endswith("0 new, 2 baselined.\n")


def test_editing_other_lines_does_not_churn_it(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    run(tmp_path, monkeypatch, capsys, "--write-baseline", "base.json")
    before = (tmp_path / "base.json").read_text()
    moved = "  # a comment that moves every line\nspec:\n  EwsEnabled: true\n"
    edited = ORG.replace("spec:\n", moved)
    (tmp_path / "org.yaml").write_text(edited)
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--baseline", "base.json")
    assert (code, out.splitlines()[-1]) == (0, "0 new, 2 baselined.")
    run(tmp_path, monkeypatch, capsys, "--write-baseline", "base.json")
    assert (tmp_path / "base.json").read_text() == before


def test_a_changed_offending_value_is_new(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    run(tmp_path, monkeypatch, capsys, "--write-baseline", "base.json")
    (tmp_path / "org.yaml").write_text(ORG.replace('["Outlook-iOS/*"]', '["MacOutlook/*"]'))
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--baseline", "base.json")
    assert code == 1
    assert out.splitlines()[-1] == "2 new, 1 baselined."  # two OM202 (iOS and Android) now


def test_json_summary_carries_new_and_baselined(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    run(tmp_path, monkeypatch, capsys, "--write-baseline", "base.json")
    (tmp_path / "more.yaml").write_text(ORG.replace("name: org", "name: org2"))
    code, out, _ = run(tmp_path, monkeypatch, capsys, "--baseline", "base.json", "--format", "json")
    summary = json.loads(out)["summary"]
    assert (code, summary["new"], summary["baselined"]) == (1, 2, 2)


@pytest.mark.parametrize(
    "text",
    ["{", "[]", '{"version": 9, "findings": []}', '{"version": 1, "findings": [{"code": 1}]}'],
)
def test_a_broken_baseline_is_a_one_line_exit_2(tmp_path, monkeypatch, capsys, text) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    (tmp_path / "base.txt").write_text(text)
    code, _, err = run(tmp_path, monkeypatch, capsys, "--baseline", "base.txt")
    assert code == 2
    assert err.startswith("faqlint: base.txt: ")
    assert len(err.strip().splitlines()) == 1


def test_a_missing_baseline_is_exit_2(tmp_path, monkeypatch, capsys) -> None:
    code, _, err = run(tmp_path, monkeypatch, capsys, "--baseline", "nope.json")
    assert code == 2
    assert "nope.json: no such baseline file" in err


def test_counts_make_a_second_copy_new() -> None:
    from faqlint.findings import Finding, Severity

    finding = Finding(
        "OM202", "n", Severity.ERROR, "m", "a.yaml", pointer="/spec/x", extra={"value_hash": "abc"}
    )
    baseline = Baseline(Counter({("OM202", "a.yaml", "/spec/x", "abc"): 1}))
    new, known = baseline.split([finding, finding], Path("/r"), Path("/r"))
    assert (len(new), len(known)) == (1, 1)
    assert Baseline.from_text(baseline.to_text({}), "b").counts == baseline.counts


def test_value_at_and_hash() -> None:
    data = {"spec": {"a/b": [1, {"c": 2}]}}
    assert value_at(data, "/spec/a~1b/1/c") == (True, 2)
    assert value_at(data, "/spec/missing") == (False, None)
    assert value_hash(data, "/spec/missing") == "-"
    assert value_hash({"x": {"b": 1, "a": 2}}, "/x") == value_hash({"x": {"a": 2, "b": 1}}, "/x")


def test_reading_a_baseline_of_another_format_fails(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="version 1 expected"):
        Baseline.from_text('{"findings": []}', "x")
