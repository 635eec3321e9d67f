"""The posture report: one self-contained HTML file for auditors, customers and MSPs.

The page is rendered from Jinja2 templates with autoescaping on: every value read from a scanned
file is data, never markup. The stylesheet and script are inlined, allowed by their hashes in a
Content-Security-Policy that forbids every network load, so the file opens from `file://`,
offline and in a locked-down browser. The findings travel as JSON in a
`<script type="application/json">` block that the script renders in chunks (10,000 findings open
at once); the summaries, the tenant matrix and the waivers are rendered here, so they print
without the script.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faqlint import __version__
from faqlint.codes import ENGINE_BY_CODE
from faqlint.findings import Finding, Severity
from faqlint.gitinfo import git_commit
from faqlint.report import report_time
from faqlint.report.escape import json_text, valid_utf8

if TYPE_CHECKING:
    from faqlint.report import ReportContext
    from faqlint.run import RunResult

ENGINE_AREA = "Files and waivers"  # what faqlint says about the files themselves (FL codes)
OTHER_AREA = "Other rules"  # rules of packs that name no area
EXPIRY_WARNING = timedelta(days=30)  # waivers ending this soon are called out
EXCERPT_CONTEXT = 1  # lines shown before and after a finding's line
MAX_EXCERPT_LINE = 240  # characters of one source line
MAX_SOURCE_BYTES = 8 * 1024 * 1024  # files larger than this show no excerpt

REPORTED, BASELINED, WAIVED = "reported", "baselined", "waived"


@dataclass
class AreaCount:
    """Rules of one area for one tenant: checked, failing (reported or baselined), waived."""

    checked: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    waived: set[str] = field(default_factory=set)

    @property
    def passed(self) -> int:
        return len(self.checked - self.failed - self.waived)

    @property
    def state(self) -> str:
        if self.failed:
            return "fail"
        if self.waived - self.failed:
            return "waived"
        return "pass" if self.checked else "none"


@dataclass(frozen=True)
class TenantPosture:
    name: str
    anchor: str
    areas: dict[str, AreaCount]
    findings: int

    @property
    def failing_areas(self) -> int:
        return sum(1 for a in self.areas.values() if a.failed)


def render(result: RunResult, context: ReportContext) -> str:
    import jinja2
    from markupsafe import Markup

    rules = _rules(context)
    findings = _findings(result, context.cwd, rules, context.show_source)
    areas = _areas(context, findings)
    postures = _postures(result, findings, areas, rules)
    waivers = _waivers(result)
    data = {
        "rules": rules,
        "areas": areas,
        "tenants": [{"name": p.name, "anchor": p.anchor} for p in postures],
        "findings": findings,
        "baselineApplied": result.baseline_applied,
    }
    css = _asset("report.css")
    script = _asset("report.js")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("faqlint.report", "templates"),
        autoescape=True,
        finalize=_no_log_commands,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    counts = Counter(str(f.severity) for f in result.findings)
    page = env.get_template("report.html.j2").render(
        csp=_csp(css, script),
        css=Markup(css),
        script=Markup(script),
        data=Markup(embed_json(data)),
        version=__version__,
        generated=_generated(),
        commit=git_commit(context.cwd),
        result=result,
        counts=counts,
        verdict=_verdict(counts),
        areas=areas,
        postures=postures,
        matrix=sorted(postures, key=lambda p: (-p.failing_areas, -p.findings, p.name)),
        waivers=waivers,
        soon=sum(1 for w in waivers if w["soon"]),
        severities=[str(s) for s in sorted(Severity, reverse=True)],
        status_counts=Counter(f["status"] for f in findings),
    )
    return valid_utf8(page)


# --- what goes into the page -----------------------------------------------------------------


def _no_log_commands(value: Any) -> Any:
    """A text value escaped here rather than by autoescape, with `##` written `#&#35;`: the page
    reads the same, and a CI log that prints the file cannot find `##vso[` or `##[` in it."""
    from markupsafe import Markup, escape  # with Jinja2: only when an HTML report is asked for

    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(str(escape(value)).replace("##", "#&#35;"))
    return value


def embed_json(value: Any) -> str:
    """JSON safe inside `<script type="application/json">`: no `<`, `>` or `&` can end the element
    or open a comment, and U+2028/U+2029 are escaped for any reader that evaluates it."""
    text = json_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return (resources.files("faqlint.report") / "templates" / name).read_text(encoding="utf-8")


def _csp(css: str, script: str) -> str:
    """No network at all: nothing may load but the inline style and script named by hash."""

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    return (
        "default-src 'none'; "
        f"style-src {digest(css)}; script-src {digest(script)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _rules(context: ReportContext) -> dict[str, dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for code in ENGINE_BY_CODE.values():
        rules[code.code] = {
            "name": code.name,
            "area": ENGINE_AREA,
            "summary": code.summary,
            "fix": code.fix,
            "url": context.link(code.code, code.name),
        }
    for compiled in context.catalogue.policies.rules:
        rule = compiled.rule
        rules[rule.code] = {
            "name": rule.name,
            "area": compiled.area or OTHER_AREA,
            "summary": rule.summary.strip(),
            "faq": rule.faq.strip(),
            "quote": (rule.quote or "").strip(),
            "fix": rule.fix.strip(),
            "url": context.link(rule.code, rule.name),
        }
    return rules


def _areas(context: ReportContext, findings: list[dict[str, Any]]) -> list[str]:
    """The packs' areas in code order, then the others that findings carry."""
    seen: dict[str, None] = {}
    for compiled in context.catalogue.policies.rules:
        seen.setdefault(compiled.area or OTHER_AREA, None)
    for finding in findings:
        seen.setdefault(finding["area"], None)
    named = [a for a in seen if a not in {OTHER_AREA, ENGINE_AREA}]
    return named + [a for a in (OTHER_AREA, ENGINE_AREA) if a in seen]


class _Sources:
    """Source lines of the files that have findings, each read once, bounded in size; none at
    all with `--no-source`."""

    def __init__(self, cwd: Path, show: bool = True) -> None:
        self.cwd = cwd
        self.show = show
        self._lines: dict[str, list[str]] = {}

    def excerpt(self, file: str, line: int) -> list[list[Any]]:
        if not self.show:
            return []
        if file not in self._lines:
            self._lines[file] = self._read(file)
        lines = self._lines[file]
        start, end = max(1, line - EXCERPT_CONTEXT), min(len(lines), line + EXCERPT_CONTEXT)
        return [[n, lines[n - 1][:MAX_EXCERPT_LINE]] for n in range(start, end + 1)]

    def _read(self, file: str) -> list[str]:
        path = self.cwd / file
        try:
            if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
                return []
            raw = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            return []
        return raw.removeprefix("\ufeff").replace("\t", " ").splitlines()


def _findings(
    result: RunResult, cwd: Path, rules: dict[str, dict[str, Any]], show_source: bool = True
) -> list[dict[str, Any]]:
    sources = _Sources(cwd, show_source)
    groups = (
        (REPORTED, result.findings),
        (BASELINED, result.baselined),
        (WAIVED, result.suppressed),
    )
    return [_finding(f, status, sources, rules) for status, findings in groups for f in findings]


def _finding(
    finding: Finding, status: str, sources: _Sources, rules: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    from faqlint.suppress import WAIVED_BY

    rule = rules.get(finding.code, {})
    return {
        "code": finding.code,
        "severity": str(finding.severity),
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "tenant": finding.tenant,
        "kind": finding.kind,
        "resource": finding.resource,
        "area": rule.get("area", OTHER_AREA),
        "fix": finding.fix,
        "status": status,
        "excerpt": sources.excerpt(finding.file, finding.line),
        "waivers": finding.extra.get(WAIVED_BY, []),
    }


def anchor(name: str) -> str:
    """An id for a tenant's section: readable, and unique through a short hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]
    return f"t-{slug}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"


NO_TENANT = "(no tenant)"


def _postures(
    result: RunResult,
    findings: list[dict[str, Any]],
    areas: list[str],
    rules: dict[str, dict[str, Any]],
) -> list[TenantPosture]:
    names = list(result.tenants)
    counts: dict[str, dict[str, AreaCount]] = defaultdict(lambda: {a: AreaCount() for a in areas})
    totals: Counter[str] = Counter()
    for tenant, codes in result.checked.items():
        for code in codes:
            counts[tenant][rules.get(code, {}).get("area", OTHER_AREA)].checked.add(code)
    for finding in findings:
        tenant = finding["tenant"] or NO_TENANT
        if tenant not in names:
            names.append(tenant)
        area = counts[tenant][finding["area"]]
        area.checked.add(finding["code"])
        (area.waived if finding["status"] == WAIVED else area.failed).add(finding["code"])
        if finding["status"] != WAIVED:
            totals[tenant] += 1
    return [TenantPosture(n, anchor(n), counts[n], totals[n]) for n in names]


def _waivers(result: RunResult) -> list[dict[str, Any]]:
    """Each waiver once, with the findings it covers in this run, soonest expiry first."""
    from faqlint.suppress import WAIVED_BY
    from faqlint.waivers import today

    on = today()
    seen: dict[str, dict[str, Any]] = {}
    for finding in result.suppressed:
        for waiver in finding.extra.get(WAIVED_BY, []):
            key = json.dumps(waiver, sort_keys=True)
            entry = seen.setdefault(key, {**waiver, "covers": 0, "soon": False, "left": None})
            entry["covers"] += 1
    for entry in seen.values():
        if entry["until"]:
            left = date.fromisoformat(entry["until"]) - on
            entry["left"] = left.days
            entry["soon"] = left <= EXPIRY_WARNING
    return sorted(seen.values(), key=lambda w: (w["until"] or "9999", w["file"], w["line"] or 0))


def _verdict(counts: Counter[str]) -> tuple[str, str]:
    if counts["error"]:
        return "fail", "Fails: errors to fix"
    if counts["warning"]:
        return "warn", "Passes with warnings"
    return "pass", "Passes"


def _generated() -> str:
    """Now, in UTC; SOURCE_DATE_EPOCH fixes it, for reproducible reports."""
    return report_time().strftime("%Y-%m-%d %H:%M UTC")
