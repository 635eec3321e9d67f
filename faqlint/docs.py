"""Documentation generated from the policies: `faqlint rules`, `faqlint rule CODE`, and the
pages under docs/ (one per rule, an index, the FAQ traceability table).

`python -m faqlint.docs --write docs` regenerates the pages; `--check docs` exits 1 when the
committed pages differ from what the policies generate. `faqlint rule CODE` prints the rule's page.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from faqlint.codes import ENGINE_BY_CODE, ENGINE_CODES, EngineCode
from faqlint.errors import FaqlintError
from faqlint.packs import Autofix
from faqlint.resources import builtin_policies
from faqlint.traceability import Trace, load_faq, trace

if TYPE_CHECKING:
    from faqlint.policy import CompiledRule, Example
    from faqlint.run import Catalogue

RULES_DIR = "rules"
TRACEABILITY = "faq-traceability.md"
FAQ_TITLE = "Outlook for iOS and Android in Exchange Online: FAQ"
REGENERATE = "`python -m faqlint.docs --write docs`"


# --- `faqlint rules` -------------------------------------------------------------------------


def _rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "code": c.code,
            "name": c.name,
            "severity": str(c.severity),
            "summary": c.summary,
            "faq": None,
            "source": "faqlint",
        }
        for c in ENGINE_CODES
    ]
    rows += [
        {
            "code": r.code,
            "name": r.name,
            "severity": r.rule.severity,
            "summary": r.rule.summary,
            "faq": r.rule.faq,
            "source": "built-in" if r.builtin else r.source,
        }
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


# --- `faqlint rule CODE` and the rule pages --------------------------------------------------


def _find(catalogue: Catalogue, wanted: str) -> CompiledRule | None:
    for rule in catalogue.policies.rules:
        if wanted in {rule.code, rule.name} or wanted.upper() == rule.code:
            return rule
    return None


def explain(catalogue: Catalogue, wanted: str) -> str | None:
    """The page of the rule or engine code named `wanted` (code or name), or None."""
    rule = _find(catalogue, wanted)
    if rule is not None:
        return rule_page(rule)
    engine = ENGINE_BY_CODE.get(wanted.upper()) or next(
        (c for c in ENGINE_CODES if c.name == wanted), None
    )
    return engine_page(engine) if engine is not None else None


def _source(rule: CompiledRule) -> str:
    """The pack file, relative to the built-in policies for built-in rules (no local paths)."""
    if rule.builtin:
        try:
            return "policies/" + Path(rule.source).relative_to(builtin_policies()).as_posix()
        except ValueError:
            pass
    return rule.source


_CODE_SPAN = re.compile(r"(`[^`]*`)")
_MARKUP = re.compile(r"([\\*_<\[\]])")


def _text(value: str) -> str:
    """Plain text as Markdown: `code spans` kept, characters Markdown would act on escaped
    (`Outlook-iOS/*, Outlook-Android/*` is not emphasis, `<mailbox>` is not an HTML tag)."""
    return "".join(
        part if _CODE_SPAN.fullmatch(part) else _MARKUP.sub(r"\\\1", part)
        for part in _CODE_SPAN.split(value.strip())
    )


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in _text(text).splitlines())


def _yaml(documents: list[dict[str, Any]]) -> str:
    return "---\n".join(
        yaml.safe_dump(d, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
        for d in documents
    )


def _examples(title: str, examples: Sequence[Example], failing: bool) -> list[str]:
    parts = [f"### {title}", ""]
    for number, example in enumerate(examples, start=1):
        parts += [f"{number}. {_text(example.description) or 'Example.'}", ""]
        parts += ["```yaml", _yaml(list(example.resources)).rstrip("\n"), "```", ""]
        if failing and example.expect is not None:
            at = ", ".join(f"`{pointer}`" for pointer in example.expect)
            parts += [f"Reported at {at}.", ""]
    return parts


def _autofix(rule: CompiledRule) -> list[str]:
    """The rule's automatic fix: applicability, what it does, its edits as the pack says them."""
    declared: list[tuple[int | None, Autofix]] = (
        [(None, rule.rule.autofix)] if rule.rule.autofix else []
    )
    declared += [
        (number, v.autofix)
        for number, v in enumerate(rule.rule.validations, start=1)
        if v.autofix is not None
    ]
    parts: list[str] = []
    if not declared:
        parts += ["Automatic fix: none; `faqlint check --fix` leaves this finding to you.", ""]
        return parts
    for number, autofix in declared:
        which = f" (validation {number})" if number is not None else ""
        option = "--fix" if autofix.applicability == "safe" else "--fix --unsafe-fixes"
        parts += [
            f"Automatic fix{which}: **{autofix.applicability}**. {_text(autofix.description)} "
            f"Applied by `faqlint check {option}` to native files; for exports, "
            "`--format powershell` writes the matching command.",
            "",
        ]
        edits = [
            {k: v for k, v in (("op", e.op), ("path", e.path), ("value", e.value)) if v is not None}
            for e in autofix.edits
        ]
        parts += ["```yaml", _yaml([{"edits": edits}]).rstrip("\n"), "```", ""]
    return parts


def rule_page(rule: CompiledRule) -> str:
    r = rule.rule
    kinds = ", ".join(f"`{k}`" for k in r.given.kinds)
    parts = [f"# {r.code} {r.name}", ""]
    parts += ["## Severity", "", f"{r.severity} (default; configuration can change it)", ""]
    parts += ["## What it checks", "", _text(r.summary), "", f"Applies to: {kinds}.", ""]
    parts += ["## Why", "", _text(r.rationale), ""]
    parts += ["## FAQ", "", f"**Q: {_text(r.faq)}**", ""]
    if r.quote:
        parts += [_quoted(r.quote), ""]
    else:
        parts += ["The rule rests on the answer as a whole rather than on one passage.", ""]
    parts += ["## Related document", ""]
    parts += [_text(r.related) if r.related else "None: the FAQ itself is the source.", ""]
    parts += ["## How to fix", "", _text(r.fix), ""]
    parts += _autofix(rule)
    parts += ["## Examples", ""]
    parts += _examples("Failing", r.examples.fail, failing=True)
    parts += _examples("Passing", r.examples.pass_, failing=False)
    parts += ["---", "", f"Defined in `{_source(rule)}`.", ""]
    return "\n".join(parts)


def engine_page(code: EngineCode) -> str:
    parts = [f"# {code.code} {code.name}", ""]
    parts += ["## Severity", "", f"{code.severity} (default; configuration can change it)", ""]
    parts += ["## What it checks", "", _text(code.summary), ""]
    parts += ["Applies to: every file faqlint reads.", ""]
    parts += [
        "## Why",
        "",
        "faqlint reports this about the files themselves, before or around "
        "the rules: until it is fixed, what the rules say about the affected resource "
        "cannot be trusted.",
        "",
    ]
    parts += ["## FAQ", "", "None: this is one of faqlint's own findings, not an FAQ rule.", ""]
    parts += ["## How to fix", "", _text(code.fix), ""]
    return "\n".join(parts)


# --- the index and the traceability table ----------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(_text(text).split()).replace("|", "\\|")


def index_page(catalogue: Catalogue) -> str:
    parts = ["# Rules", "", f"Generated from the policies by {REGENERATE}; do not edit.", ""]
    parts += [
        "## faqlint's own findings",
        "",
        "| Code | Name | Severity | Summary |",
        "|---|---|---|---|",
    ]
    parts += [
        f"| [{c.code}]({c.code}.md) | {c.name} | {c.severity} | {_cell(c.summary)} |"
        for c in ENGINE_CODES
    ]
    parts += [
        "",
        "## Rules from the FAQ",
        "",
        f"Each rule encodes a question of the {FAQ_TITLE}; "
        f"[the traceability table](../{TRACEABILITY}) goes from the questions to the rules.",
        "",
        "| Code | Name | Severity | Summary |",
        "|---|---|---|---|",
    ]
    parts += [
        f"| [{r.code}]({r.code}.md) | {r.name} | {r.rule.severity} | {_cell(r.rule.summary)} |"
        for r in catalogue.policies.rules
        if r.builtin
    ]
    parts += _fix_table(catalogue)
    return "\n".join(parts) + "\n"


def _applicability(rule: CompiledRule) -> str:
    found = {v.autofix.applicability for v in rule.validations if v.autofix is not None}
    return "/".join(sorted(found)) or "none"


def _fix_table(catalogue: Catalogue) -> list[str]:
    """Which built-in rules `faqlint check --fix` can fix, and how safely."""
    builtin = [r for r in catalogue.policies.rules if r.builtin]
    parts = ["", "## Automatic fixes", ""]
    parts += [
        "`faqlint check --fix` applies the safe fixes, `--unsafe-fixes` the unsafe ones too; "
        "each rule's page shows its edits.",
        "",
    ]
    for label in ("safe", "unsafe"):
        codes = [r.code for r in builtin if _applicability(r) == label]
        parts.append(f"- {label}: {', '.join(f'[{c}]({c}.md)' for c in codes) or 'none'}")
    return parts


def _accounted(item: Trace) -> str:
    if item.rules:
        found = ", ".join(f"[{r.code}]({RULES_DIR}/{r.code}.md) {r.name}" for r in item.rules)
        return f"{found} (also declared not checkable)" if item.contradictory else found
    if item.question.notCheckable:
        return f"Not checkable: {_cell(item.question.notCheckable)}"
    return "**Not yet encoded by any rule**"


def traceability_page(catalogue: Catalogue) -> str:
    builtin = [r for r in catalogue.policies.rules if r.builtin]
    found = trace(load_faq(catalogue.policies.data), builtin)
    encoded = sum(1 for t in found.traces if t.rules)
    informational = sum(1 for t in found.traces if not t.rules and t.question.notCheckable)
    parts = [
        "# FAQ traceability",
        "",
        f"Every question of the {FAQ_TITLE}, in the FAQ's order, with the rules that encode "
        "it or the reason configuration cannot show whether its answer is followed.",
        "",
        f"Generated from `policies/outlook-mobile/faq.yaml` and the rules' `faq` fields by "
        f"{REGENERATE}; do not edit.",
        "",
        f"{len(found.traces)} questions: {encoded} encoded by rules, {informational} not "
        f"checkable from configuration, {len(found.uncovered)} not yet encoded.",
        "",
    ]
    section = None
    for item in found.traces:
        if item.section != section:
            section = item.section
            parts += [f"## {section}", "", "| # | Question | Rules or reason |", "|---|---|---|"]
        parts.append(f"| {item.number} | {_cell(item.question.question)} | {_accounted(item)} |")
        if item is found.traces[-1] or found.traces[item.number].section != section:
            parts.append("")
    if found.strays:
        parts += ["## Rules that name no question of the FAQ", ""]
        parts += [
            f"- [{r.code}]({RULES_DIR}/{r.code}.md) {r.name}: {_cell(r.rule.faq)}"
            for r in found.strays
        ]
        parts.append("")
    return "\n".join(parts)


# --- generation ------------------------------------------------------------------------------


def generate(catalogue: Catalogue) -> dict[str, str]:
    """Relative path under docs/ -> content, for the built-in rules and engine codes."""
    pages = {f"{RULES_DIR}/{c.code}.md": engine_page(c) for c in ENGINE_CODES}
    pages.update(
        {f"{RULES_DIR}/{r.code}.md": rule_page(r) for r in catalogue.policies.rules if r.builtin}
    )
    pages[f"{RULES_DIR}/README.md"] = index_page(catalogue)
    pages[TRACEABILITY] = traceability_page(catalogue)
    return pages


def _generated_files(folder: Path) -> set[str]:
    """The files a generation owns: every page in rules/, and the traceability table."""
    owned = {f"{RULES_DIR}/{p.name}" for p in (folder / RULES_DIR).glob("*.md")}
    if (folder / TRACEABILITY).exists():
        owned.add(TRACEABILITY)
    return owned


def drift(folder: Path, pages: dict[str, str]) -> list[str]:
    """What differs between `folder` and `pages`: changed, missing and stale files."""
    problems = []
    for name, text in sorted(pages.items()):
        path = folder / name
        if not path.exists():
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: out of date")
    problems += [
        f"{folder / name}: no longer generated"
        for name in sorted(_generated_files(folder) - set(pages))
    ]
    return problems


def write(folder: Path, pages: dict[str, str]) -> list[str]:
    """Write the pages and delete the stale ones; returns what changed."""
    changed = drift(folder, pages)
    for name in _generated_files(folder) - set(pages):
        (folder / name).unlink()
    for name, text in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m faqlint.docs",
        description="Generate the rule pages and the FAQ "
        "traceability table from the built-in policies.",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="DIR", help="write the pages into DIR (e.g. docs)")
    mode.add_argument("--check", metavar="DIR", help="exit 1 when DIR differs from the policies")
    args = parser.parse_args(argv)
    from faqlint.run import load_catalogue

    try:
        pages = generate(load_catalogue())
        if args.write:
            for line in write(Path(args.write), pages):
                print(f"updated {line}")
            return 0
        problems = drift(Path(args.check), pages)
    except (FaqlintError, OSError) as err:
        print(f"faqlint.docs: {err}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"the docs differ from the policies; run {REGENERATE.strip('`')}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
