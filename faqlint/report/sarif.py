"""SARIF 2.1.0, the format GitHub code scanning, GitHub Advanced Security for Azure DevOps and
most security dashboards import; checked against the OASIS schema and Microsoft's SARIF
multitool (its SARIF, GitHub and Azure DevOps rule sets).

Every rule the run knows is listed under `tool.driver.rules` (so a viewer can explain a rule that
found nothing today), with its help inline: the fix, the FAQ question and quote it rests on, and
its rationale as `fullDescription`. `helpUri` and `informationUri` are written only when a
`rule-url` is configured, because faqlint publishes no pages of its own and a link that does not
resolve is worse than none. Each result points at its rule by id and index. Paths are relative
URIs against `%SRCROOT%`, the working folder, so the report means the same on every machine that
checked out the repository. `partialFingerprints` leave the line number out, so moving a block
does not turn an old alert into a new one.

Waived findings are results with `suppressions` (`inSource` for a comment or annotation in the
file, `external` for the config's per-file-ignores; the waiver's reason as `justification`), so
a dashboard shows them as suppressed rather than losing them. With a baseline, the findings it
records are results with `baselineState: "unchanged"` and the others `"new"`. In a git checkout
the commit, branch and remote are recorded as `versionControlProvenance` (read from `.git` as
files, see `faqlint.gitinfo`); SARIF requires the repository's URI there, so a checkout without
a remote records none.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from faqlint import __version__
from faqlint.findings import Finding, Severity
from faqlint.report import ReportContext, RuleInfo, fingerprints, link_base, rule_infos
from faqlint.report.escape import json_text

if TYPE_CHECKING:
    from faqlint.run import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "faqlint/v1"
# GitHub reads the part before the last "/" as the analysis category: "faqlint". Several uploads
# of one repository (one per folder, say) are told apart by upload-sarif's `category` input.
AUTOMATION_ID = "faqlint/"
# In an Azure Pipelines job, GitHub Advanced Security for Azure DevOps attaches a run to its
# pipeline by this id, `<prefix><org>/<project id>/<definition id>/<phase id>/<branch>/<build
# id>`, and four properties, all from the agent's predefined variables.
AZURE_PREFIX = "azuredevops/pipeline/build/"
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
WAIVED_BY = "waivedBy"  # `faqlint.suppress.WAIVED_BY`, without importing the stage

# Markdown that could turn text from a policy pack into a link, an image or HTML, outside
# `code spans`: escaped, so help reads as the pack wrote it and links nowhere.
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~])")


def markdown_text(text: str) -> str:
    """`text` as Markdown that renders as itself: code spans kept, everything else escaped."""
    out: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[last : span.start()]))
        out.append(span.group())
        last = span.end()
    out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(out)


def _help(info: RuleInfo, link: str | None) -> dict[str, str]:
    """The rule's help, complete without any link: fix, FAQ question and quote, where to read
    more."""
    more = f"Run `faqlint rule {info.code}` for the rule's full page."
    text = [f"How to fix: {info.fix}"] if info.fix else []
    markdown = [f"**How to fix:** {markdown_text(info.fix)}"] if info.fix else []
    if info.faq:
        text.append(f"FAQ: {info.faq}")
        markdown.append(f"**FAQ:** {markdown_text(info.faq)}")
    if info.quote:
        text.append(f'"{info.quote}"')
        markdown.append("\n".join(f"> {markdown_text(line)}" for line in info.quote.splitlines()))
    if link:
        text.append(f"{info.code} {info.name}: {link}")
        markdown.append(f"[{info.code} {markdown_text(info.name)}](<{link}>)")
    text.append(more)
    markdown.append(more)
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def _rule(info: RuleInfo, link: str | None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.description},
        "help": _help(info, link),
        "defaultConfiguration": {"level": LEVELS[info.severity]},
    }
    if link:
        rule["helpUri"] = link
    return rule


@functools.lru_cache(maxsize=4096)
def _uri(file: str) -> tuple[str, str | None]:
    """The file's URI and base: relative to %SRCROOT% when it can be (the usual case)."""
    path = PurePosixPath(file)
    # A name that is not UTF-8 keeps its bytes, percent-encoded.
    if path.is_absolute():  # a file outside the working folder: name it in full
        return "file://" + quote(path.as_posix(), errors="surrogateescape"), None
    return quote(path.as_posix(), errors="surrogateescape"), SRCROOT


def _artifact(file: str) -> dict[str, str]:
    uri, base = _uri(file)
    return {"uri": uri} if base is None else {"uri": uri, "uriBaseId": base}


def _suppressions(finding: Finding) -> list[dict[str, Any]]:
    """One suppression per waiver that covers the finding (see `faqlint.suppress`)."""
    suppressions: list[dict[str, Any]] = []
    for waiver in finding.extra.get(WAIVED_BY) or [{}]:
        suppression: dict[str, Any] = {
            "kind": "external" if waiver.get("origin") == "config" else "inSource",
            "status": "accepted",
        }
        if waiver.get("reason"):
            suppression["justification"] = str(waiver["reason"])
        properties = {key: waiver[key] for key in ("origin", "until", "pattern") if waiver.get(key)}
        if properties:
            suppression["properties"] = properties
        suppressions.append(suppression)
    return suppressions


def _result(finding: Finding, index: int, identity: str) -> dict[str, Any]:
    properties = {
        key: value
        for key, value in (
            ("name", finding.name),
            ("document", finding.document),
            ("pointer", finding.pointer),
            ("tenant", finding.tenant),
            ("kind", finding.kind),
            ("resource", finding.resource),
        )
        if value not in (None, "")
    }
    return {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(finding.file),
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: identity},
        "properties": properties,
    }


def _results(result: RunResult, index: dict[str, int]) -> list[dict[str, Any]]:
    """Reported findings, then those a baseline records, then the waived ones."""
    states = ("new", "unchanged") if result.baseline_applied else (None, None)
    groups: list[tuple[tuple[Finding, ...], str | None, bool]] = [
        (result.findings, states[0], False),
        (result.baselined, states[1], False),
        (result.suppressed, None, True),
    ]
    every = [f for findings, _, _ in groups for f in findings]
    identities = iter(fingerprints(every))
    results: list[dict[str, Any]] = []
    for findings, state, waived in groups:
        for finding in findings:
            entry = _result(finding, index[finding.code], next(identities))
            if state is not None:
                entry["baselineState"] = state
            if waived:
                entry["suppressions"] = _suppressions(finding)
            results.append(entry)
    return results


def _azure_organization(collection_uri: str) -> str | None:
    """`https://dev.azure.com/ORG/` or `https://ORG.visualstudio.com/`: ORG."""
    from urllib.parse import urlsplit

    parts = urlsplit(collection_uri.strip())
    host = (parts.hostname or "").lower()
    if host == "dev.azure.com":
        first = parts.path.strip("/").split("/")[0]
        return first or None
    if host.endswith(".visualstudio.com"):
        return host.removesuffix(".visualstudio.com") or None
    return None


def automation_details(environ: Mapping[str, str]) -> dict[str, Any]:
    """`faqlint/`, or in an Azure Pipelines job (TF_BUILD) whose predefined variables are all
    there and well formed, the id and properties Advanced Security for Azure DevOps needs."""
    get = environ.get
    if get("TF_BUILD", "").lower() != "true":
        return {"id": AUTOMATION_ID}
    organization = _azure_organization(get("SYSTEM_COLLECTIONURI", ""))
    project = get("SYSTEM_TEAMPROJECTID", "")
    definition = get("BUILD_DEFINITIONID") or get("SYSTEM_DEFINITIONID", "")
    definition_name = get("BUILD_DEFINITIONNAME", "")
    build = get("BUILD_BUILDID", "")
    phase = get("SYSTEM_PHASEID") or get("SYSTEM_JOBID", "")
    phase_name = get("SYSTEM_PHASENAME") or get("SYSTEM_JOBNAME", "")
    branch = get("BUILD_SOURCEBRANCH", "")
    complete = (
        organization
        and _GUID.fullmatch(project)
        and definition.isdigit()
        and int(definition) > 0
        and build.isdigit()
        and _GUID.fullmatch(phase)
        and definition_name.strip()
        and phase_name.strip()
        and branch.strip()
    )
    if not complete:
        return {"id": AUTOMATION_ID}
    return {
        "id": f"{AZURE_PREFIX}{organization}/{project}/{int(definition)}/{phase}/{branch}/{build}",
        "properties": {
            f"{AZURE_PREFIX}buildDefinitionId": str(int(definition)),
            f"{AZURE_PREFIX}buildDefinitionName": definition_name,
            f"{AZURE_PREFIX}phaseId": phase.lower(),
            f"{AZURE_PREFIX}phaseName": phase_name,
        },
    }


REPOROOT = "REPOROOT"


def _provenance(context: ReportContext, run: dict[str, Any]) -> None:
    """`versionControlProvenance`, and where the repository's root lies against %SRCROOT%, so
    that a consumer can turn each result's path into a repository path."""
    from faqlint.gitinfo import checkout

    found = checkout(context.cwd)
    if found is None or found.remote is None:
        return
    details: dict[str, Any] = {
        key: value
        for key, value in (
            ("repositoryUri", found.remote),
            ("revisionId", found.commit),
            ("branch", found.branch),
        )
        if value
    }
    cwd, root = context.cwd.resolve(), found.root.resolve()
    if cwd == root:
        details["mappedTo"] = {"uriBaseId": SRCROOT}
    elif root in cwd.parents:  # checked from a subfolder: %SRCROOT% lies inside the repository
        inside = cwd.relative_to(root).as_posix()
        run["originalUriBaseIds"] = {
            REPOROOT: {"uri": root.as_uri().rstrip("/") + "/"},
            SRCROOT: {"uri": quote(inside, errors="surrogateescape") + "/", "uriBaseId": REPOROOT},
        }
        details["mappedTo"] = {"uriBaseId": REPOROOT}
    run["versionControlProvenance"] = [details]


def sarif_log(result: RunResult, context: ReportContext) -> dict[str, Any]:
    infos = list(rule_infos(context.catalogue))
    index = {info.code: i for i, info in enumerate(infos)}
    # a code no rule declares still needs an entry to point at
    for finding in (*result.findings, *result.baselined, *result.suppressed):
        if finding.code not in index:
            index[finding.code] = len(infos)
            infos.append(
                RuleInfo(
                    finding.code,
                    finding.name,
                    finding.severity,
                    finding.name,
                    finding.name,
                    finding.fix or "",
                )
            )
    root = context.cwd.resolve().as_uri().rstrip("/") + "/"
    driver: dict[str, Any] = {
        "name": "faqlint",
        "fullName": f"faqlint {__version__}",
        "version": __version__,
        "semanticVersion": __version__,
    }
    base = link_base(context.rule_url)
    if base:
        driver["informationUri"] = base
    driver["rules"] = [_rule(info, context.link(info.code, info.name)) for info in infos]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": automation_details(os.environ),
        "originalUriBaseIds": {SRCROOT: {"uri": root}},
        "columnKind": "unicodeCodePoints",
        "results": _results(result, index),
    }
    _provenance(context, run)
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, context: ReportContext) -> str:
    # Compact: the C encoder is ~10x faster than the indenting one, and code scanning limits
    # the size of an upload.
    text = json.dumps(sarif_log(result, context), ensure_ascii=False, separators=(",", ":"))
    return json_text(text) + "\n"
