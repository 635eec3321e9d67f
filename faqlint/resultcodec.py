"""The result cache's values as JSON and back, every value read back checked against the shape
it must have: a cache is data a repository may have planted, never trusted blindly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from faqlint.findings import Finding, Position, Severity
from faqlint.identify import ExportRun, Resource, ResourceHead
from faqlint.loaded import WaiverLine
from faqlint.results import FileResult, Verdict

PositionKey = tuple[int, str, bool]  # document, pointer, at the value rather than the key


class Invalid(Exception):
    """A cached value that is not what faqlint wrote: it is not trusted."""


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def encode_verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "findings": [encode_finding(f) for f in verdict.findings],
        "duplicates": [encode_finding(f) for f in verdict.duplicates],
        "kinds": sorted(verdict.kinds),
    }


def as_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid("not a list")
    return value


def as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("not a string")
    return value


def as_int(value: Any) -> int:
    if type(value) is not int:
        raise Invalid("not an integer")
    return value


def as_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Invalid("not a boolean")
    return value


def as_optional_str(value: Any) -> str | None:
    return None if value is None else as_str(value)


def as_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("not a mapping")
    return value


def encode_finding(finding: Finding) -> list[Any]:
    position = finding.position
    return [
        finding.code,
        finding.name,
        int(finding.severity),
        finding.message,
        finding.file,
        finding.document,
        finding.pointer,
        None if position is None else [position.line, position.column],
        finding.at_value,
        finding.tenant,
        finding.kind,
        finding.resource,
        finding.fix,
        finding.extra,
    ]


def decode_finding(raw: Any) -> Finding:
    values = as_list(raw)
    if len(values) != 14:
        raise Invalid("not a finding")
    position = None
    if values[7] is not None:
        line, column = as_list(values[7])
        position = Position(as_int(line), as_int(column))
    return Finding(
        code=as_str(values[0]),
        name=as_str(values[1]),
        severity=Severity(as_int(values[2])),
        message=as_str(values[3]),
        file=as_str(values[4]),
        document=as_int(values[5]),
        pointer=as_str(values[6]),
        position=position,
        at_value=as_bool(values[8]),
        tenant=as_optional_str(values[9]),
        kind=as_optional_str(values[10]),
        resource=as_optional_str(values[11]),
        fix=as_optional_str(values[12]),
        extra=as_dict(values[13]),
    )


_RESOURCE_FIELDS = tuple(f.name for f in fields(Resource))


def _encode_run(run: ExportRun | None) -> list[str] | None:
    return None if run is None else [run.tenant, run.taken, run.label]


def _decode_run(raw: Any) -> ExportRun | None:
    if raw is None:
        return None
    tenant, taken, label = as_list(raw)
    return ExportRun(as_str(tenant), as_str(taken), as_str(label))


def _encode_resource(resource: Resource) -> dict[str, Any]:
    out = {name: getattr(resource, name) for name in _RESOURCE_FIELDS}
    out["aliases"] = [list(a) for a in resource.aliases]
    out["run"] = _encode_run(resource.run)
    out["metadata"] = dict(resource.metadata)
    return out


def _decode_resource(raw: Any) -> Resource:
    values = as_dict(raw)
    if values.keys() != set(_RESOURCE_FIELDS):
        raise Invalid("not a resource")
    aliases = []
    for alias in as_list(values["aliases"]):
        first, second = as_list(alias)
        aliases.append((as_str(first), as_str(second)))
    return Resource(
        kind=as_str(values["kind"]),
        name=as_str(values["name"]),
        file=as_str(values["file"]),
        document=as_int(values["document"]),
        spec=values["spec"],
        metadata=as_dict(values["metadata"]),
        root=as_str(values["root"]),
        spec_pointer=as_str(values["spec_pointer"]),
        native=as_bool(values["native"]),
        source=as_str(values["source"]),
        aliases=tuple(aliases),
        run=_decode_run(values["run"]),
    )


def encode_head(head: ResourceHead) -> list[Any]:
    return [
        head.kind,
        head.name,
        head.document,
        head.root,
        head.native,
        head.explicit_tenant,
        head.name_pointer,
        _encode_run(head.run),
        head.annotated,
    ]


def decode_claims(raw: Any) -> tuple[tuple[int, str, bool], ...]:
    claims = []
    for item in as_list(raw):
        index, tenant, is_tenant = as_list(item)
        claims.append((as_int(index), as_str(tenant), as_bool(is_tenant)))
    return tuple(claims)


def decode_positions(raw: Any) -> dict[PositionKey, Position]:
    positions: dict[PositionKey, Position] = {}
    for item in as_list(raw):
        document, pointer, at_value, line, column = as_list(item)
        key = (as_int(document), as_str(pointer), as_bool(at_value))
        positions[key] = Position(as_int(line), as_int(column))
    return positions


def decode_findings(raw: Any) -> list[Finding]:
    return [decode_finding(f) for f in as_list(raw)]


def decode_waivers(raw: Any) -> tuple[WaiverLine, ...]:
    waiver_lines = []
    for item in as_list(raw):
        line, text, document = as_list(item)
        waiver_lines.append(WaiverLine(as_int(line), as_str(text), as_int(document)))
    return tuple(waiver_lines)


def decode_head(raw: Any, display: str, index: int) -> ResourceHead:
    """One head, its shape checked inline: every run decodes every file's heads."""
    kind, name, document, root, native, tenant, name_pointer, run, annotated = as_list(raw)
    if not (
        type(kind) is str
        and type(name) is str
        and type(document) is int
        and type(root) is str
        and type(native) is bool
        and (tenant is None or type(tenant) is str)
        and type(name_pointer) is str
        and type(annotated) is bool
    ):
        raise Invalid("not a resource head")
    return ResourceHead(
        kind,
        name,
        display,
        document,
        root,
        native,
        tenant,
        name_pointer,
        None if run is None else _decode_run(run),
        annotated,
        index,
    )


def encode_body(result: FileResult) -> list[Any]:
    """What only an evaluated tenant needs: [resources, documents]."""
    return [
        [_encode_resource(r) for r in result.resources],
        [[k, v] for k, v in result.documents.items()],
    ]


def decode_body(raw: Any, display: str) -> tuple[list[Resource], dict[int, Any]]:
    resources_raw, documents_raw = as_list(raw)
    resources = [_decode_resource(r) for r in as_list(resources_raw)]
    if any(r.file != display for r in resources):
        raise Invalid("a resource of another file")
    documents: dict[int, Any] = {}
    for item in as_list(documents_raw):
        index, data = as_list(item)
        documents[as_int(index)] = data
    return resources, documents


def round_trips(result: FileResult) -> bool:
    """Whether `result` reads back from JSON as itself (data a YAML file holds may not: dates,
    tuples, keys that are not strings); only such results are cached."""
    heads = result.heads()
    try:
        back_heads = [
            decode_head(json.loads(to_json(encode_head(h))), result.display, i)
            for i, h in enumerate(heads)
        ]
        findings = decode_findings(
            json.loads(to_json([encode_finding(f) for f in result.findings]))
        )
        waivers = decode_waivers(json.loads(to_json([list(w) for w in result.waiver_lines])))
        resources, documents = decode_body(json.loads(to_json(encode_body(result))), result.display)
    except (TypeError, ValueError, RecursionError, Invalid, KeyError):
        return False
    back = FileResult(result.display, resources, findings, result.relevant, waivers, documents)
    return back == result and back_heads == heads and findings_round_trip(result.findings)


def findings_round_trip(findings: Iterable[Finding]) -> bool:
    """`extra` is not compared with the finding: check it reads back as itself too."""
    try:
        return all(
            json.loads(json.dumps(f.extra, allow_nan=False)) == f.extra
            and decode_finding(json.loads(json.dumps(encode_finding(f)))) == f
            for f in findings
        )
    except (TypeError, ValueError, RecursionError, Invalid):
        return False
