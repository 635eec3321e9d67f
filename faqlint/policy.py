"""Policy packs: rules as data, validated by the models below.

A pack is a folder of YAML files. Each file is a `PolicyPack` (rules) or `PolicyData` (tables the
rules read as `data.<name>`). The JSON Schema of the pack format is generated from these models
into `schemas/policy-pack.schema.json` (see `faqlint.docs`) and checked for drift by the tests.
"""

from __future__ import annotations

from faqlint.errors import FaqlintError

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from faqlint.cel import CelError, Program
from faqlint.findings import Severity
from faqlint.load import load_text

CODE = re.compile(r"[A-Z]{2,5}[0-9]{3}")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.S)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Validation(_Strict):
    """One assertion. Validations run in order; the first that fails for a subject is reported."""

    assert_: str = Field(alias="assert", description="CEL; true means compliant.")
    message: str = Field(
        description="What is wrong and how to fix it. `{{ expr }}` inserts a CEL value."
    )
    at: str | None = Field(
        default=None,
        description="JSON pointer of the node to report, from the resource's root "
        "(`/spec/EwsAllowList`); may contain `{{ expr }}`. Defaults to the rule's `at`.",
    )
    severity: Literal["error", "warning", "info"] | None = Field(
        default=None, description="Overrides the rule's default severity for this validation."
    )


class Given(_Strict):
    kinds: list[str] = Field(min_length=1, description="Kinds of resource the rule applies to.")
    when: str | None = Field(
        default=None, description="CEL; the rule applies only where this is true."
    )
    forEach: str | None = Field(
        default=None,
        description="CEL returning a list; each element is checked as `item`, its index as "
        "`index`.",
    )


class Example(_Strict):
    description: str = ""
    resources: list[dict[str, Any]] = Field(
        min_length=1, description="Native documents, as an admin writes them, in one tenant."
    )
    expect: list[str] | None = Field(
        default=None,
        description="For failing examples: the JSON pointers the findings must point at.",
    )


class Examples(_Strict):
    fail: list[Example] = Field(min_length=1)
    pass_: list[Example] = Field(alias="pass", min_length=1)


class Rule(_Strict):
    code: str = Field(description="Unique code, e.g. OM202.")
    name: str = Field(description="Unique kebab-case name, e.g. ews-allowlist-missing-outlook-mobile.")
    severity: Literal["error", "warning", "info"]
    summary: str = Field(description="One line: what the rule checks.")
    faq: str = Field(description="The FAQ question (its heading) this rule encodes.")
    quote: str | None = Field(
        default=None,
        description="The FAQ's own words that the rule rests on: a sentence or two, quoted.",
    )
    related: str | None = Field(
        default=None, description="The linked Microsoft document, for rules marked (related)."
    )
    rationale: str = Field(description="Why it matters, in plain words.")
    fix: str = Field(description="How to fix it.")
    given: Given
    at: str = Field(default="/spec", description="Default JSON pointer to report at.")
    validations: list[Validation] = Field(min_length=1)
    examples: Examples

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE.fullmatch(value):
            raise ValueError("a code is 2-5 capital letters and 3 digits, e.g. OM202")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.fullmatch(value):
            raise ValueError("a name is lowercase words joined by '-'")
        return value


class PackMetadata(_Strict):
    name: str
    description: str = ""


class PolicyPack(_Strict):
    apiVersion: Literal["faqlint/v1"]
    kind: Literal["PolicyPack"]
    metadata: PackMetadata
    rules: list[Rule] = Field(min_length=1)


class PolicyData(_Strict):
    apiVersion: Literal["faqlint/v1"]
    kind: Literal["PolicyData"]
    metadata: PackMetadata
    data: dict[str, Any]


# --- compiled form --------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """Text with `{{ expr }}` holes, each a compiled CEL program."""

    parts: tuple[str | Program, ...]

    @classmethod
    def compile(cls, text: str) -> Template:
        parts: list[str | Program] = []
        last = 0
        for match in TEMPLATE.finditer(text):
            parts.append(text[last : match.start()])
            parts.append(Program(match.group(1).strip()))
            last = match.end()
        parts.append(text[last:])
        return cls(tuple(p for p in parts if p != ""))

    @property
    def names(self) -> frozenset[str]:
        return frozenset().union(*(p.names for p in self.parts if isinstance(p, Program)))


@dataclass(frozen=True)
class CompiledValidation:
    condition: Program
    message: Template
    at: Template
    severity: Severity | None


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    source: str  # the pack file, for error messages and docs
    builtin: bool
    when: Program | None
    for_each: Program | None
    validations: tuple[CompiledValidation, ...]

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def severity(self) -> Severity:
        return Severity.parse(self.rule.severity)

    @property
    def names(self) -> frozenset[str]:
        """Every variable any of its expressions reads (decides whether `tenant` is built)."""
        found: set[str] = set()
        for program in (self.when, self.for_each):
            if program is not None:
                found |= program.names
        for v in self.validations:
            found |= v.condition.names | v.message.names | v.at.names
        return frozenset(found)


@dataclass(frozen=True)
class Policies:
    rules: tuple[CompiledRule, ...]
    data: dict[str, Any]

    def by_code(self) -> dict[str, CompiledRule]:
        return {r.code: r for r in self.rules}


class PolicyError(FaqlintError):
    """A pack that does not load: the CLI exits 2 with this one-line message."""


def _compile(rule: Rule, source: str, builtin: bool) -> CompiledRule:
    def compiled(expr: str, what: str) -> Program:
        try:
            return Program(expr)
        except CelError as err:
            raise PolicyError(f"{source}: rule {rule.code}: {what} does not compile: {err}") from None

    def template(text: str, what: str) -> Template:
        try:
            return Template.compile(text)
        except CelError as err:
            raise PolicyError(f"{source}: rule {rule.code}: {what} does not compile: {err}") from None

    validations = tuple(
        CompiledValidation(
            condition=compiled(v.assert_, f"validation {i} assert"),
            message=template(v.message, f"validation {i} message"),
            at=template(v.at or rule.at, f"validation {i} at"),
            severity=Severity.parse(v.severity) if v.severity else None,
        )
        for i, v in enumerate(rule.validations, start=1)
    )
    return CompiledRule(
        rule=rule,
        source=source,
        builtin=builtin,
        when=compiled(rule.given.when, "when") if rule.given.when else None,
        for_each=compiled(rule.given.forEach, "forEach") if rule.given.forEach else None,
        validations=validations,
    )


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def load_policies(folders: list[Path], builtin_count: int = 1) -> Policies:
    """Load every pack file below `folders` (the first `builtin_count` are the built-in ones)."""
    rules: list[CompiledRule] = []
    data: dict[str, Any] = {}
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for position, folder in enumerate(folders):
        if not folder.is_dir():
            raise PolicyError(f"policy path {folder} is not a folder")
        for path in sorted(folder.rglob("*.y*ml")):
            source = str(path)
            for document in _documents(path):
                kind = document.get("kind") if isinstance(document, dict) else None
                try:
                    if kind == "PolicyData":
                        table = PolicyData.model_validate(document)
                        data[table.metadata.name] = table.data
                        continue
                    pack = PolicyPack.model_validate(document)
                except ValidationError as err:
                    raise PolicyError(f"{source}: not a valid policy pack: {_first_error(err)}") from None
                for rule in pack.rules:
                    for seen, key in ((seen_codes, rule.code), (seen_names, rule.name)):
                        if key in seen:
                            raise PolicyError(f"{source}: rule {key} is already defined in {seen[key]}")
                        seen[key] = source
                    rules.append(_compile(rule, source, builtin=position < builtin_count))
    return Policies(tuple(sorted(rules, key=lambda r: r.code)), data)


def _documents(path: Path) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise PolicyError(f"{path}: cannot read policy file: {err}") from None
    loaded = load_text(text, str(path), is_json=False)
    if loaded.findings:
        problem = loaded.findings[0]
        raise PolicyError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
    return [d.data for d in loaded.documents]

