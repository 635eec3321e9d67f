"""Rule documentation, generated from the policies: `faqlint rules`, `faqlint rule CODE`."""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Any

from faqlint.codes import ENGINE_BY_CODE, ENGINE_CODES

if TYPE_CHECKING:
    from faqlint.policy import CompiledRule
    from faqlint.run import Catalogue


def _rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"code": c.code, "name": c.name, "severity": str(c.severity), "summary": c.summary,
         "faq": None, "source": "faqlint"}
        for c in ENGINE_CODES
    ]
    rows += [
        {"code": r.code, "name": r.name, "severity": r.rule.severity, "summary": r.rule.summary,
         "faq": r.rule.faq, "source": "built-in" if r.builtin else r.source}
        for r in catalogue.policies.rules
    ]
    return rows


def rule_table(catalogue: Catalogue, output_format: str) -> str:
    rows = _rows(catalogue)
    if output_format == "json":
        return json.dumps({"rules": rows}, indent=2, ensure_ascii=False) + "\n"
    width = max(len(r["name"]) for r in rows)
    lines = [f"{r['code']}  {r['name']:<{width}}  {r['severity']:<7}  {r['summary']}" for r in rows]
    return "\n".join(lines) + "\n"


def _find(catalogue: Catalogue, wanted: str) -> CompiledRule | None:
    for rule in catalogue.policies.rules:
        if wanted in {rule.code, rule.name} or wanted.upper() == rule.code:
            return rule
    return None


def explain(catalogue: Catalogue, wanted: str) -> str | None:
    rule = _find(catalogue, wanted)
    if rule is not None:
        return explain_rule(rule)
    engine = ENGINE_BY_CODE.get(wanted.upper()) or next(
        (c for c in ENGINE_CODES if c.name == wanted), None
    )
    if engine is None:
        return None
    return (
        f"{engine.code} {engine.name} (default severity: {engine.severity})\n\n"
        f"{engine.summary}\n\nHow to fix: {engine.fix}\n"
    )


def _block(text: str) -> str:
    return textwrap.indent(text.strip(), "    ")


def explain_rule(rule: CompiledRule) -> str:
    r = rule.rule
    parts = [f"{r.code} {r.name} (default severity: {r.severity})", "", r.summary, ""]
    parts += ["FAQ question:", f"    {r.faq}"]
    if r.quote:
        parts += ["", "The FAQ says:", _block(f"“{r.quote.strip()}”")]
    if r.related:
        parts += ["", f"Related: {r.related}"]
    parts += ["", "Why it matters:", _block(r.rationale), "", "How to fix:", _block(r.fix)]
    parts += ["", f"Applies to: {', '.join(r.given.kinds)}"]
    return "\n".join(parts) + "\n"
