from __future__ import annotations

import re
from pathlib import Path

from faqlint.findings import Finding, Position, Severity
from faqlint.report.github import command, escape_data, escape_property, render
from tests.report.conftest import Run

COMMAND = re.compile(
    r"::(?P<level>error|warning|notice) "
    r"file=(?P<file>[^,:]+),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<title>[^,:]+)"
    r"::(?P<message>[^\r\n]*)"
)


def test_lines_are_workflow_commands(run: Run, findings_case: Path) -> None:
    result, context = run(findings_case)
    *commands, summary = render(result, context).splitlines()
    matches = [COMMAND.fullmatch(line) for line in commands]
    assert all(matches), commands
    fields = [(m["level"], m["file"], m["line"], m["col"], m["title"]) for m in matches if m]
    assert fields[1] == ("error", "tenants/contoso/exchange.yaml", "7", "3", "OM201 ews-disabled")
    assert fields[-1] == (
        "warning",
        "tenants/contoso/mailboxes.yaml",
        "7",
        "3",
        "OM204 ews-list-inert",
    )
    assert summary.startswith("Found 4 errors, 1 warning")


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_info_is_a_notice_and_properties_are_escaped() -> None:
    finding = Finding(
        code="XY001",
        name="odd-file",
        severity=Severity.INFO,
        message="line one\nline two: 5%",
        file="tenants/a,b:c.yaml",
        position=Position(3, 9),
        fix="Rename it.",
    )
    assert command(finding) == (
        "::notice file=tenants/a%2Cb%3Ac.yaml,line=3,col=9,title=XY001 odd-file::"
        "line one%0Aline two: 5%25%0A%0AHow to fix: Rename it."
    )
    assert command(finding, "https://wiki.example.com/XY001").endswith(
        "How to fix: Rename it.%0Ahttps://wiki.example.com/XY001"
    )
