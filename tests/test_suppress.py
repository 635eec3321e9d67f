"""Waivers: inline comments, annotations, per-file-ignores; FL006 unused, FL007 expired (the
finding comes back), FL008 invalid."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from faqlint.cli import main
from faqlint.load import waiver_lines
from faqlint.loaded import WaiverLine
from faqlint.waivers import Rules, TodayError, inline_waivers, today

HEAD = "apiVersion: faqlint/v1\nkind: ExchangeOrganizationConfig\nmetadata:\n  name: org\n"


def lint(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    config: str = "",
    on: str = "2026-11-25",
) -> tuple[int, Any]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    if config:
        (tmp_path / ".faqlint.yaml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAQLINT_TODAY", on)
    code = main(["check", "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


def found(report: Any) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in report["findings"]]


def test_a_trailing_comment_waives_its_own_line(tmp_path, monkeypatch, capsys) -> None:
    org = HEAD + 'spec:\n  EwsEnabled: false  # faqlint: ignore[OM201] reason="pilot"\n'
    code, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    assert (code, found(report), report["summary"]["suppressed"]) == (0, [], 1)


def test_a_comment_on_the_line_before_waives_the_next_line(tmp_path, monkeypatch, capsys) -> None:
    org = HEAD + (
        'spec:\n  # faqlint: ignore[ews-disabled] reason="pilot"\n'
        "  # faqlint: ignore[OM204] reason='a stacked second waiver'\n"
        "  EwsEnabled: false\n  EwsBlockList: [Legacy/*]\n"
    )
    _, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    # OM201 is waived by name; OM204 is on another line, so its waiver is unused.
    assert found(report) == [("FL006", 7), ("OM204", 9)]
    assert report["findings"][0]["message"] == (
        "inline suppression of OM204 matches no finding; delete it"
    )
    assert report["summary"]["suppressed"] == 1


def test_several_codes_in_one_comment_and_the_unused_one_reported(
    tmp_path, monkeypatch, capsys
) -> None:
    org = HEAD + "spec:\n  EwsEnabled: false  # faqlint: ignore[OM201, OM203]\n"
    _, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    assert found(report) == [("FL006", 6)]
    assert "OM203 matches no finding; remove OM203 from it" in report["findings"][0]["message"]
    assert report["findings"][0]["column"] == 22


def test_no_reason_where_required_is_fl008_and_waives_nothing(
    tmp_path, monkeypatch, capsys
) -> None:
    org = HEAD + "spec:\n  EwsEnabled: false  # faqlint: ignore[OM201]\n"
    code, report = lint(
        tmp_path, monkeypatch, capsys, {"org.yaml": org}, "require-suppression-reason: true\n"
    )
    assert code == 1
    assert found(report) == [("OM201", 6), ("FL008", 6)]  # the finding's column comes first
    assert "has no reason, and require-suppression-reason is on" in report["findings"][1]["message"]


def test_an_expired_waiver_is_fl007_and_the_finding_comes_back(
    tmp_path, monkeypatch, capsys
) -> None:
    waiver = '# faqlint: ignore[OM201] reason="pilot" until=2026-11-24'
    org = HEAD + f"spec:\n  EwsEnabled: false  {waiver}\n"
    code, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    assert code == 1
    assert found(report) == [("OM201", 6), ("FL007", 6)]
    assert "expired on 2026-11-24 (reason: pilot)" in report["findings"][1]["message"]
    # On its last day the waiver still holds.
    code, report = lint(tmp_path, monkeypatch, capsys, {}, on="2026-11-24")
    assert (code, found(report)) == (0, [])


def test_malformed_waivers_are_fl008(tmp_path, monkeypatch, capsys) -> None:
    org = HEAD + (
        "spec:\n"
        "  EwsEnabled: true  # faqlint: ignore[OM2O1] until=2027-02-30\n"
        "  # faqlint: ignroe[OM204]\n"
        '  EwsAllowOutlook: true  # faqlint: ignore[OM201] reson="x"\n'
    )
    _, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    messages = [(f["code"], f["line"], f["message"]) for f in report["findings"]]
    assert messages == [
        (
            "FL008",
            6,
            "inline suppression of OM2O1 names unknown rule 'OM2O1'; did you mean 'OM201'?",
        ),
        (
            "FL008",
            6,
            "inline suppression of OM2O1: until=2027-02-30 is not a date; write YYYY-MM-DD",
        ),
        (
            "FL008",
            7,
            "inline suppression 'ignroe[OM204]' is malformed: write "
            '# faqlint: ignore[OM202] reason="..." until=YYYY-MM-DD',
        ),
        ("FL008", 8, "inline suppression of OM201: unknown option 'reson'; did you mean 'reason'?"),
    ]


def test_waiver_codes_cannot_be_waived(tmp_path, monkeypatch, capsys) -> None:
    org = HEAD + "spec:\n  EwsEnabled: true  # faqlint: ignore[FL006]\n"
    _, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    assert found(report) == [("FL008", 6)]
    assert "FL006 is about waivers and cannot be waived" in report["findings"][0]["message"]


def test_allow_inline_suppressions_false_turns_them_into_fl008(
    tmp_path, monkeypatch, capsys
) -> None:
    org = (
        HEAD + "  annotations:\n    faqlint.io/ignore: OM204\n    faqlint.io/reason: legacy\n"
        'spec:\n  EwsEnabled: false  # faqlint: ignore[OM201] reason="pilot"\n'
        "  EwsBlockList: [Legacy/*]\n"
    )
    code, report = lint(
        tmp_path, monkeypatch, capsys, {"org.yaml": org}, "allow-inline-suppressions: false\n"
    )
    assert code == 1
    assert found(report) == [("FL008", 6), ("OM201", 9), ("FL008", 9), ("OM204", 10)]
    assert all(
        "allow-inline-suppressions: false" in f["message"]
        for f in report["findings"]
        if f["code"] == "FL008"
    )
    assert report["summary"]["suppressed"] == 0


def test_annotations_waive_the_whole_resource(tmp_path, monkeypatch, capsys) -> None:
    org = {
        "apiVersion": "faqlint/v1",
        "kind": "CASMailbox",
        "metadata": {
            "name": "adele",
            "annotations": {
                "faqlint.io/ignore": "OM201, OM204",
                "faqlint.io/reason": "shared mailbox",
                "faqlint.io/until": "2027-03-31",
            },
        },
        "spec": {
            "Identity": "adele@contoso.com",
            "EwsEnabled": False,
            "EwsBlockList": ["Legacy/*"],
        },
    }
    other = dict(org, metadata={"name": "megan"})
    code, report = lint(
        tmp_path,
        monkeypatch,
        capsys,
        {"adele.json": json.dumps(org, indent=2), "megan.json": json.dumps(other, indent=2)},
    )
    assert code == 1
    assert {f["file"] for f in report["findings"]} == {"megan.json"}
    assert report["summary"]["suppressed"] == 2


def test_annotation_problems_point_at_the_annotation(tmp_path, monkeypatch, capsys) -> None:
    org = (
        HEAD + "  annotations:\n    faqlint.io/ignore: OM201\n"
        "    faqlint.io/until: 31.03.2027\nspec:\n  EwsEnabled: false\n"
    )
    _, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    assert found(report) == [("FL008", 7), ("OM201", 9)]
    assert report["findings"][0]["pointer"] == "/metadata/annotations/faqlint.io~1until"
    assert report["findings"][0]["resource"] == "org"


def test_an_unused_annotation_is_fl006(tmp_path, monkeypatch, capsys) -> None:
    org = (
        HEAD + "  annotations:\n    faqlint.io/ignore: OM201\n    faqlint.io/reson: x\n"
        "spec:\n  EwsEnabled: true\n"
    )
    _, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org})
    assert [f["message"] for f in report["findings"]] == [
        "annotation suppression of OM201: unknown annotation 'faqlint.io/reson'; "
        "did you mean 'faqlint.io/reason'?"
    ]


def test_per_file_ignores_expired_unused_and_reasonless(tmp_path, monkeypatch, capsys) -> None:
    config = (
        "require-suppression-reason: true\nper-file-ignores:\n"
        "  org.yaml: {rules: [OM201], reason: pilot, until: 2026-01-01}\n"
        "  'gone/**': {rules: [OM2], reason: old}\n"
        "  '*.json': [OM201]\n"
    )
    org = HEAD + "spec:\n  EwsEnabled: false\n"
    code, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org}, config)
    assert code == 1
    assert [(f["code"], f["file"], f["line"]) for f in report["findings"]] == [
        ("FL007", ".faqlint.yaml", 3),
        ("FL006", ".faqlint.yaml", 4),
        ("FL008", ".faqlint.yaml", 5),
        ("OM201", "org.yaml", 6),
    ]


def test_unused_per_file_ignores_are_not_judged_on_a_partial_run(
    tmp_path, monkeypatch, capsys
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "org.yaml").write_text(HEAD + "spec: {EwsEnabled: true}\n")
    (tmp_path / ".faqlint.yaml").write_text("per-file-ignores:\n  'x/**': [OM201]\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "sub/org.yaml"]) == 0
    assert "FL006" not in capsys.readouterr().out
    assert main(["check"]) == 0
    assert "FL006" in capsys.readouterr().out


def test_per_file_ignores_match_as_gitignore_lines(tmp_path, monkeypatch, capsys) -> None:
    """A folder pattern covers every file below it; a file pattern without a slash any name."""
    org = HEAD + "  tenant: {}\nspec:\n  EwsEnabled: false\n"
    config = "per-file-ignores:\n  legacy/: [OM201]\n  'old-*.yaml': [OM201]\n"
    files = {"legacy/deep/org.yaml": org.format("a"), "x/old-org.yaml": org.format("b")}
    files["org.yaml"] = org.format("c")
    _, report = lint(tmp_path, monkeypatch, capsys, files, config)
    assert [(f["code"], f["file"]) for f in report["findings"]] == [("OM201", "org.yaml")]


def test_an_unusable_per_file_ignores_pattern_is_a_config_error(
    tmp_path, monkeypatch, capsys
) -> None:
    (tmp_path / ".faqlint.yaml").write_text("per-file-ignores:\n  'foo\\': [OM201]\n")
    (tmp_path / "org.yaml").write_text(HEAD + "spec: {EwsEnabled: false}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "per-file-ignores: invalid pattern 'foo\\\\'" in err[0]


def test_waiver_findings_obey_select_and_severity(tmp_path, monkeypatch, capsys) -> None:
    org = HEAD + 'spec:\n  EwsEnabled: true  # faqlint: ignore[OM201] reason="gone"\n'
    code, report = lint(
        tmp_path, monkeypatch, capsys, {"org.yaml": org}, "severity: {FL006: error}\n"
    )
    assert (code, report["findings"][0]["severity"]) == (1, "error")
    code, report = lint(tmp_path, monkeypatch, capsys, {}, "ignore: [FL006]\n")
    assert (code, found(report)) == (0, [])


def test_a_waiver_of_a_rule_the_run_skips_is_not_unused(tmp_path, monkeypatch, capsys) -> None:
    org = HEAD + 'spec:\n  EwsEnabled: true  # faqlint: ignore[OM201] reason="gone"\n'
    _, report = lint(tmp_path, monkeypatch, capsys, {"org.yaml": org}, "select: [OM1, FL]\n")
    assert found(report) == []


def test_inline_waivers_are_read_from_comment_lines_only() -> None:
    rules = Rules({"OM201": "ews-disabled"}, require_reason=False, allow_inline=True)
    lines = [
        WaiverLine(3, "  EwsEnabled: false  # faqlint: ignore[OM201]"),
        WaiverLine(4, "  description: see faqlint: docs"),
    ]
    waivers = inline_waivers("f.yaml", lines, rules)
    assert len(waivers) == 1
    assert waivers[0].scope.lines == frozenset({3})  # type: ignore[union-attr]


def test_today_comes_from_faqlint_today(monkeypatch) -> None:
    monkeypatch.setenv("FAQLINT_TODAY", "2026-11-25")
    assert today() == date(2026, 11, 25)
    monkeypatch.setenv("FAQLINT_TODAY", "tomorrow")
    with pytest.raises(TodayError):
        today()


def test_waiver_lines_know_their_document() -> None:
    text = (
        "# header\n---\na: 1  # faqlint: ignore[OM201]\n---\nb: 2\n# faqlint: ignore[OM202]\nc: 3\n"
    )
    assert [(w.line, w.document) for w in waiver_lines(text)] == [(3, 1), (6, 2)]
