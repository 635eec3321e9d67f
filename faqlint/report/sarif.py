"""SARIF 2.1.0, the format GitHub code scanning and most security dashboards import.

Every rule the run knows is listed under `tool.driver.rules` (so a viewer can explain a rule that
found nothing today); each result points at its rule by id and index. Paths are relative URIs
against `%SRCROOT%`, the working folder, so the report means the same on every machine that
checked out the repository. `partialFingerprints` leave the line number out, so moving a block
does not turn an old alert into a new one.
"""

from __future__ import annotations

import functools
import json
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from faqlint import __version__
from faqlint.findings import Finding, Severity
from faqlint.report import HOMEPAGE, ReportContext, RuleInfo, fingerprints, rule_infos
from faqlint.report.escape import json_text

if TYPE_CHECKING:
    from faqlint.run import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "faqlint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(info: RuleInfo) -> dict[str, Any]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.description},
        "help": {
            "text": f"{info.fix}\n\n{info.url}",
            "markdown": f"{info.fix}\n\n[{info.code} {info.name}]({info.url})",
        },
        "helpUri": info.url,
        "defaultConfiguration": {"level": LEVELS[info.severity]},
    }


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


def sarif_log(result: RunResult, context: ReportContext) -> dict[str, Any]:
    infos = list(rule_infos(context.catalogue))
    index = {info.code: i for i, info in enumerate(infos)}
    for finding in result.findings:  # a code no rule declares still needs an entry to point at
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
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "faqlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_rule(info) for info in infos],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root}},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(f, index[f.code], identity)
            for f, identity in zip(result.findings, fingerprints(result.findings), strict=True)
        ],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, context: ReportContext) -> str:
    # Compact: the C encoder is ~10x faster than the indenting one, and code scanning limits
    # the size of an upload.
    text = json.dumps(sarif_log(result, context), ensure_ascii=False, separators=(",", ":"))
    return json_text(text) + "\n"
