"""Reporters: one module per output format, chosen through the explicit `REPORTERS` registry.

Every reporter is a function `(RunResult, ReportContext) -> str`. `plan_outputs` pairs the
command line's `--format` and `--output` options into the streams a run writes.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from faqlint.codes import ENGINE_CODES
from faqlint.errors import FaqlintError
from faqlint.findings import Finding, Severity

if TYPE_CHECKING:
    from datetime import datetime

    from faqlint.run import Catalogue, RunResult


def rule_link(template: str | None, code: str, name: str) -> str | None:
    """The rule's documentation page from the configured `rule-url` template (`{code}` and
    `{name}` filled in, percent-encoded), or None when none is configured.

    faqlint publishes no documentation site, so by default no report links anywhere: every
    format carries the rule's help (its fix, and in SARIF its rationale and FAQ quote) inline
    instead, and `faqlint rule CODE` prints the rule's page as it ships."""
    if not template:
        return None
    return template.replace("{code}", quote(code, safe="")).replace("{name}", quote(name, safe=""))


def link_base(template: str | None) -> str | None:
    """What the links share: the template up to its first placeholder (SARIF's
    `informationUri`), or None when no `rule-url` is configured."""
    if not template:
        return None
    found = [i for i in (template.find("{code}"), template.find("{name}")) if i >= 0]
    return template[: min(found, default=len(template))]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule, whether it is an engine code or a policy rule."""

    code: str
    name: str
    severity: Severity
    summary: str
    description: str
    fix: str
    faq: str = ""  # the FAQ question the rule encodes (policy rules only)
    quote: str = ""  # the FAQ's words the rule rests on


def rule_infos(catalogue: Catalogue) -> tuple[RuleInfo, ...]:
    """Every rule the run knows, engine codes first, then policy rules in code order."""
    infos = [
        RuleInfo(c.code, c.name, c.severity, c.summary, c.summary, c.fix) for c in ENGINE_CODES
    ]
    infos += [
        RuleInfo(
            r.code,
            r.name,
            r.severity,
            r.rule.summary.strip(),
            r.rule.rationale.strip(),
            r.rule.fix.strip(),
            r.rule.faq.strip(),
            (r.rule.quote or "").strip(),
        )
        for r in catalogue.policies.rules
    ]
    return tuple(infos)


def report_time() -> datetime:
    """When a report is made, in UTC; SOURCE_DATE_EPOCH fixes it, for reproducible reports."""
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return (
        datetime.fromtimestamp(int(epoch), timezone.utc)
        if epoch.isdigit()
        else datetime.now(timezone.utc)
    )


def fingerprint(finding: Finding) -> str:
    """A hash that survives edits elsewhere in the file: rule, file, resource and JSON pointer,
    never the line number. The resource (kind and name, or the document index when unknown)
    tells apart the documents of one multi-document file."""
    resource = f"{finding.kind}/{finding.resource}" if finding.resource else f"#{finding.document}"
    key = "\0".join((finding.code, finding.file, resource, finding.pointer))
    # surrogatepass: a file name that is not UTF-8 still hashes (to the same value every run)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """`fingerprint` of each finding, made unique within the run.

    Findings that share one (a rule that checks every item of a list and reports each missing
    entry at the list) fold in their message, which names the item; identical messages then
    fold in a counter, because GitLab drops issues whose fingerprints repeat.
    """
    base = [fingerprint(f) for f in findings]
    shared = {b for b, n in Counter(base).items() if n > 1}
    result: list[str] = []
    seen: dict[str, int] = {}
    for finding, print_ in zip(findings, base, strict=True):
        if print_ in shared:
            text = f"{print_}\0{finding.message}"
            print_ = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        repeat = seen.get(print_, 0)
        seen[print_] = repeat + 1
        result.append(
            hashlib.sha256(f"{print_}\0{repeat}".encode()).hexdigest() if repeat else print_
        )
    return result


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may need beyond the findings."""

    cwd: Path
    catalogue: Catalogue
    colour: bool = False
    show_source: bool = True
    # The lowest severity that fails the run (`--fail-on`): JUnit fails only those tests.
    fail_on: Severity = Severity.ERROR
    # The `rule-url` template (`--rule-url`): None, no links at all (see `rule_link`).
    rule_url: str | None = None
    # The text report's variant (`full`, `concise`, `grouped`), counts by rule instead of the
    # findings, and no summary line: `--output-format`, `--statistics`, `--quiet`.
    text_style: str = "full"
    statistics: bool = False
    quiet: bool = False

    def link(self, code: str, name: str) -> str | None:
        return rule_link(self.rule_url, code, name)


Reporter = Callable[["RunResult", ReportContext], str]


def _text(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import text

    return text.render(
        result,
        context.cwd,
        context.colour,
        show_source=context.show_source,
        style=context.text_style,
        quiet=context.quiet,
        statistics=context.statistics,
    )


def _json(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import json

    return json.render(result, context)


def _sarif(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import sarif

    return sarif.render(result, context)


def _junit(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import junit

    return junit.render(result, context)


def _github(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import github

    return github.render(result, context)


def _gitlab(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import gitlab

    return gitlab.render(result, context)


def _html(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import html

    return html.render(result, context)


def _powershell(result: RunResult, context: ReportContext) -> str:
    from faqlint.report import powershell

    return powershell.render(result, context)


REPORTERS: dict[str, Reporter] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "junit": _junit,
    "github": _github,
    "gitlab": _gitlab,
    "html": _html,
    "powershell": _powershell,
}

STDOUT = "-"


class OutputPlanError(FaqlintError):
    """`--format`/`--output` options that do not pair up: exit 2."""


@dataclass(frozen=True, slots=True)
class Output:
    format: str
    path: str | None  # None: standard output

    @property
    def to_stdout(self) -> bool:
        return self.path is None


def default_format(environ: dict[str, str] | None = None) -> str:
    """`github` inside GitHub Actions (annotations on the pull request), `text` elsewhere."""
    import os

    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS", "").lower() == "true" else "text"


def plan_outputs(
    formats: Sequence[str], outputs: Sequence[str], fallback: str = "text"
) -> tuple[Output, ...]:
    """Pair the Nth `--output` with the Nth `--format`; formats left over go to standard output.

    `--output -` is standard output too. With no `--format` at all, `fallback` is used (for one
    `--output` or for standard output). At most one stream may go to standard output, and no
    file may be written twice.
    """
    for name in formats:
        if name not in REPORTERS:
            raise OutputPlanError(f"unknown format {name!r} (choose from {', '.join(REPORTERS)})")
    chosen = list(formats) or [fallback]
    if len(outputs) > len(chosen):
        raise OutputPlanError(
            f"{len(outputs)} --output options but {len(formats)} --format options: "
            "each --output needs its own --format (the Nth --output goes with the Nth --format)"
        )
    plan = tuple(
        Output(name, None if i >= len(outputs) or outputs[i] == STDOUT else outputs[i])
        for i, name in enumerate(chosen)
    )
    on_stdout = [o.format for o in plan if o.to_stdout]
    if len(on_stdout) > 1:
        raise OutputPlanError(
            f"formats {', '.join(on_stdout)} would all go to standard output; give all but one "
            "an --output FILE"
        )
    seen: set[Path] = set()
    for output in plan:
        if output.path is not None:
            resolved = Path(output.path).resolve()
            if resolved in seen:
                raise OutputPlanError(f"--output {output.path} is given twice")
            seen.add(resolved)
    return plan
