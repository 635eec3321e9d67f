"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

`::error file=F,line=L,col=C,title=CODE name::message` (warning and notice for the lower
severities). Values from scanned files are first made inert (`faqlint.report.escape`: no control
character, line separator or bidi control is left), then escaped as the runner decodes them:
`%`, CR and LF everywhere, and also `:` and `,` inside every property (file names included),
where they would end a value early. The last line is the plain summary, which the log shows as
it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from faqlint.findings import Finding, Severity
from faqlint.report import ReportContext
from faqlint.report.escape import inert_result
from faqlint.report.text import summary

if TYPE_CHECKING:
    from faqlint.run import RunResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding, link: str | None = None) -> str:
    properties = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (
            ("file", finding.file),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", f"{finding.code} {finding.name}"),
        )
    )
    message = finding.message
    if finding.fix:
        message += f"\n\nHow to fix: {finding.fix.strip()}"
    if link:  # only a configured `rule-url`: faqlint publishes no pages of its own
        message += f"\n{link}"
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(message)}"


def render(result: RunResult, context: ReportContext) -> str:
    result = inert_result(result)  # and escaped as the runner decodes, in `command`
    lines = [command(f, context.link(f.code, f.name)) for f in result.findings]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
