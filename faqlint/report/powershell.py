"""`--format powershell`: a remediation script for the findings in exports, for a human to review.

An export (Exchange PowerShell, Microsoft Graph, ScubaGear) is the tenant as it is; editing it
changes nothing. For each finding in an export the script holds one commented block: the
finding, the FAQ passage, and the command that makes the change the rule's `autofix` declares,
built from the edits and the per-kind cmdlet table in `cmdlets.json` (the cmdlet, how it names
the object, each parameter's documented type). faqlint never runs it; the script starts with a
`throw` so that it does nothing until someone has read it and removed that line.

- Multi-valued properties change one entry at a time (`-EwsAllowList @{Add='Outlook-iOS/*'}`),
  so running a block twice does no harm and other entries are kept.
- Every value from a file is written as a PowerShell single-quoted literal, in which nothing is
  expanded, with `'` doubled. A value holding a control character, a line break or one of the
  typographic quotes PowerShell also takes for `'` is refused: that block gets no command.
- Comments are single lines; any line break or control character in a message becomes a space.
- A finding whose fix no command can express (or whose rule has none) gets its block with the
  rule's fix in words instead of a command. Findings in native files are counted: `--fix`
  edits those.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from faqlint.edit import Edit, tokens_of
from faqlint.findings import Finding
from faqlint.report import ReportContext
from faqlint.run import RunResult

_UNSAFE_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u2018\u2019\u201a\u201b]")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


class Refused(ValueError):
    """A value that cannot be written as a literal safely, or an edit no cmdlet expresses."""


@cache
def cmdlets() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (Path(__file__).parent / "cmdlets.json").read_text(encoding="utf-8")
    )
    return data


def literal(value: Any) -> str:
    """`value` as a PowerShell literal that nothing in it can break out of."""
    if isinstance(value, bool):
        return "$true" if value else "$false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise Refused(f"a {type(value).__name__} value has no literal here")
    if _UNSAFE_CHARACTERS.search(value):
        raise Refused("the value holds a control character, a line break or a typographic quote")
    return "'" + value.replace("'", "''") + "'"


def _parameter(cmdlet: str, name: str) -> tuple[str, str]:
    """The documented spelling and type of `cmdlet`'s parameter `name` (matched in any case,
    as PowerShell matches parameter names)."""
    types: dict[str, str] = cmdlets()["cmdlets"][cmdlet]
    documented = next((p for p in types if p.casefold() == name.casefold()), None)
    if documented is None or not _NAME.fullmatch(name):
        raise Refused(f"{cmdlet} has no parameter {name}")
    return documented, types[documented]


def _argument(cmdlet: str, edit: Edit, spec: Any) -> tuple[str, str]:
    tokens = tokens_of(edit.pointer)
    if len(tokens) < 2 or tokens[0] != "spec":
        raise Refused(f"{edit.pointer} is not a setting of the object")
    setting = tokens[1]
    name, kind = _parameter(cmdlet, setting)
    rest = tokens[2:]
    if kind == "MultiValuedProperty" and edit.op == "add" and rest == ["-"]:
        return name, f"@{{Add={literal(edit.value)}}}"
    if kind == "MultiValuedProperty" and edit.op == "remove" and len(rest) == 1:
        entries = spec.get(setting) if isinstance(spec, dict) else None
        index = int(rest[0]) if rest[0].isdigit() else -1
        if not isinstance(entries, list) or not 0 <= index < len(entries):
            raise Refused(f"{edit.pointer} is not in the export")
        return name, f"@{{Remove={literal(entries[index])}}}"
    if kind == "String[]" and edit.op == "replace" and rest:
        return name, _whole_array(setting, edit, spec)
    if edit.op in {"replace", "add"} and not rest:
        enum = cmdlets()["enums"].get(kind)
        if kind == "Boolean" and not isinstance(edit.value, bool):
            raise Refused(f"{name} takes $true or $false")
        if enum is not None and edit.value not in enum:
            raise Refused(f"{name} takes one of {', '.join(enum)}")
        return name, literal(edit.value)
    raise Refused(f"no {cmdlet} parameter sets {edit.pointer}")


def _whole_array(setting: str, edit: Edit, spec: Any) -> str:
    """A String[] parameter is set whole: the export's array with the edit made in it, a
    structured entry written as the compact JSON string Graph keeps (`definition`).

    Refused where the array has more than one entry: two findings' commands would each set the
    whole array, and the second would undo the first."""
    entries = spec.get(setting) if isinstance(spec, dict) else None
    tokens = tokens_of(edit.pointer)[2:]
    index = int(tokens[0]) if tokens[0].isdigit() else -1
    if not isinstance(entries, list) or not 0 <= index < len(entries):
        raise Refused(f"{edit.pointer} is not in the export")
    if len(entries) > 1:
        raise Refused(f"{setting} has {len(entries)} entries, set whole by one command each")
    entries = copy.deepcopy(entries)
    if len(tokens) == 1:
        entries[index] = edit.value
    else:
        node = entries[index]
        for token in tokens[1:-1]:
            node = node.get(token) if isinstance(node, dict) else None
        if not isinstance(node, dict) or tokens[-1] not in node:
            raise Refused(f"{edit.pointer} is not in the export")
        node[tokens[-1]] = edit.value
    written = [
        e if isinstance(e, str) else json.dumps(e, ensure_ascii=False, separators=(",", ":"))
        for e in entries
    ]
    return "@(" + ", ".join(literal(e) for e in written) + ")"


def command(kind: str, spec: Any, name: str, edits: tuple[Edit, ...]) -> str:
    """The one command that makes `edits` (spec pointers) to the object `name` of `kind`."""
    mapping = cmdlets()["kinds"].get(kind)
    if mapping is not None and "byODataType" in mapping:
        odata = spec.get("@odata.type") if isinstance(spec, dict) else None
        mapping = mapping["byODataType"].get(odata)
    if mapping is None:
        raise Refused(f"faqlint knows no cmdlet that sets this {kind}")
    cmdlet = mapping["cmdlet"]
    parts = [cmdlet]
    if "identity" in mapping:
        identity = next(
            (spec[k] for k in mapping["identityFrom"] if isinstance(spec, dict) and spec.get(k)),
            name,
        )
        parts.append(f"-{mapping['identity']} {literal(str(identity))}")
    seen: dict[str, str] = {}
    for edit in edits:
        parameter, argument = _argument(cmdlet, edit, spec)
        if parameter in seen:
            raise Refused(f"two changes to {parameter} in one command")
        seen[parameter] = argument
    parts += [f"-{p} {a}" for p, a in seen.items()]
    return " ".join(parts)


def _comment(text: str) -> str:
    return " ".join(_UNSAFE_CHARACTERS.sub(" ", text).split())


def _block(finding: Finding, context: ReportContext) -> list[str]:
    from faqlint.fix import Planned
    from faqlint.fix_cli import REMEDIATION

    rule = context.catalogue.policies.by_code().get(finding.code)
    lines = [
        f"# --- {finding.code} {finding.name} [{finding.severity}]",
        f"# {_comment(f'{finding.file}:{finding.line}:{finding.column}')}"
        f" {_comment(f'{finding.kind} {finding.resource}')}",
        f"# {_comment(finding.message)}",
    ]
    if rule is not None and rule.rule.quote:
        lines.append(f"# FAQ: {_comment(rule.rule.quote)}")
    link = context.link(finding.code, finding.name)  # no link unless rule-url names your pages
    lines.append(f"# See {_comment(link)}" if link else f"# See: faqlint rule {finding.code}")
    planned = finding.extra.get(REMEDIATION)
    if isinstance(planned, Planned):
        try:
            text = command(
                planned.resource.kind,
                planned.resource.spec,
                planned.resource.name,
                planned.spec_edits,
            )
        except Refused as why:
            lines.append(f"# No command: {_comment(str(why))}; {_comment(finding.fix or '')}")
        else:
            lines.append(
                f"# Fix ({planned.autofix.applicability}): {_comment(planned.autofix.description)}"
            )
            lines.append(text)
    else:
        lines.append(f"# No automatic fix: {_comment(finding.fix or 'see the rule page')}")
    return [*lines, ""]


def render(result: RunResult, context: ReportContext) -> str:
    from faqlint.fix_cli import REMEDIATION

    exported = [f for f in result.findings if _in_export(f)]
    native = len(result.findings) - len(exported)
    commands = sum(1 for f in exported if REMEDIATION in f.extra)
    out = [
        "# faqlint remediation script: one block per finding in an export.",
        "# faqlint never runs it. Read every block, delete what you do not want, then remove",
        "# the `throw` line below and run it in a session connected to the tenant",
        "# (Connect-ExchangeOnline; Connect-MgGraph for Microsoft Graph commands).",
        f"# {len(exported)} findings in exports ({commands} with a command);"
        f" {native} in native files (faqlint check --fix edits those).",
        "throw 'Review this faqlint remediation script before running it.'",
        "",
    ]
    for finding in exported:
        out += _block(finding, context)
    return "\n".join(out)


def _in_export(finding: Finding) -> bool:
    from faqlint.fix_cli import IN_EXPORT

    return bool(finding.extra.get(IN_EXPORT))
