"""The policy pack format: what an admin (or faqlint itself) writes in `policies/`.

The models are plain frozen dataclasses that pydantic validates (`faqlint.policy` does it, and
only when a pack file changed: validated packs are cached) and from which the published JSON
Schema `schemas/policy-pack.schema.json` is generated. Plain dataclasses rather than pydantic
models, so that a run whose packs are cached never imports pydantic: start-up is part of every
commit when faqlint runs as a pre-commit hook. Each field's docstring is its description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from faqlint.formats import NonEmpty, model_config

CODE = re.compile(r"[A-Z]{2,5}[0-9]{3}")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SeverityName = Literal["error", "warning", "info"]


def _alias(field: str) -> str:
    return field.rstrip("_")  # `assert_` and `pass_` are written `assert` and `pass`


_CONFIG = model_config(_alias)


@dataclass(frozen=True)
class Edit:
    """One edit, in the JSON Patch vocabulary (RFC 6902): `add`, `replace` or `remove`."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    op: Literal["add", "replace", "remove"]
    """`add` a member or append to a list (`/-`; a list that is not there yet is created),
    `replace` a value, or `remove` a member or list item."""
    path: str
    """JSON pointer from the resource's root (`/spec/EwsAllowList/-`); may contain `{{ expr }}`,
    evaluated as the finding's message is (`item`, `index` under `forEach`)."""
    value: Any = None
    """For `add` and `replace`: the value. A string that is one `{{ expr }}` hole takes the
    expression's value and type (`"{{ item }}"` is the number 443); other strings are filled as
    text. Ignored for `remove`."""


@dataclass(frozen=True)
class Autofix:
    """A fix faqlint can apply (`faqlint check --fix`) or turn into a remediation command
    (`--format powershell`)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    applicability: Literal["safe", "unsafe"]
    """`safe`: keeps what the admin meant (adds Outlook's user agents to an allow list, raises a
    minimum version to the FAQ's); applied by `--fix`. `unsafe`: changes behaviour (turns off
    TLS inspection, removes a block-list entry); applied only with `--unsafe-fixes`."""
    description: str
    """One line: what the fix does."""
    edits: Annotated[tuple[Edit, ...], NonEmpty()]
    """The edits, applied in order to the resource that has the finding."""


@dataclass(frozen=True)
class Validation:
    """One assertion. Validations run in order; the first that fails for a subject is reported."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    assert_: str
    """CEL; true means compliant."""
    message: str
    """What is wrong and how to fix it. `{{ expr }}` inserts the value of a CEL expression."""
    at: str | None = None
    """JSON pointer of the node to report, from the resource's root (`/spec/EwsAllowList`); may
    contain `{{ expr }}`. Defaults to the rule's `at`."""
    severity: SeverityName | None = None
    """Overrides the rule's default severity for this validation."""
    autofix: Autofix | None = None
    """The fix for this validation's finding; defaults to the rule's `autofix`."""


@dataclass(frozen=True)
class Given:
    """Which resources the rule applies to."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    kinds: Annotated[tuple[str, ...], NonEmpty()]
    """Kinds of resource the rule applies to."""
    when: str | None = None
    """CEL; the rule applies only where this is true."""
    forEach: str | None = None
    """CEL returning a list; each element is checked as `item`, its index as `index`."""


@dataclass(frozen=True)
class Example:
    """Resources of one tenant that the rule must flag (fail) or leave alone (pass)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    resources: Annotated[tuple[dict[str, Any], ...], NonEmpty()]
    """Native documents, as an admin writes them, all in one tenant."""
    description: str = ""
    """What the example shows."""
    expect: tuple[str, ...] | None = None
    """For failing examples: the JSON pointers the findings must point at."""
    fixed: bool | None = None
    """For failing examples of a rule with an `autofix`: whether applying it makes the example
    pass (default: true; `faqlint test-policies` checks it)."""


@dataclass(frozen=True)
class Examples:
    """Every rule proves itself: its examples run as tests."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    fail: Annotated[tuple[Example, ...], NonEmpty()]
    """Examples that must yield the rule's finding."""
    pass_: Annotated[tuple[Example, ...], NonEmpty()]
    """Examples that must yield none."""


@dataclass(frozen=True)
class Rule:
    """One rule: which resources, what must hold, what to tell the admin."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    code: str
    """Unique code: 2-5 capital letters and 3 digits, e.g. OM202."""
    name: str
    """Unique kebab-case name, e.g. ews-allowlist-missing-outlook-mobile."""
    severity: SeverityName
    """Default severity; the config may override it."""
    summary: str
    """One line: what the rule checks."""
    faq: str
    """The FAQ question (its heading) this rule encodes."""
    rationale: str
    """Why it matters, in plain words."""
    fix: str
    """How to fix it, in words."""
    given: Given
    """Which resources the rule applies to."""
    validations: Annotated[tuple[Validation, ...], NonEmpty()]
    """What must hold, in order."""
    examples: Examples
    """Failing and passing examples."""
    quote: str | None = None
    """The FAQ's own words that the rule rests on: a sentence or two."""
    related: str | None = None
    """The linked Microsoft document, for rules that come from it."""
    at: str = "/spec"
    """Default JSON pointer to report at."""
    autofix: Autofix | None = None
    """The fix as data: edits faqlint can apply to native files and turn into remediation
    commands for exports. Rules without one are fixed by hand (see `fix`)."""

    def __post_init__(self) -> None:
        if not CODE.fullmatch(self.code):
            raise ValueError(f"code {self.code!r}: 2-5 capital letters and 3 digits, e.g. OM202")
        if not NAME.fullmatch(self.name):
            raise ValueError(f"name {self.name!r}: lowercase words joined by '-'")


@dataclass(frozen=True)
class PackMetadata:
    __pydantic_config__: ClassVar[dict[str, Any]] = _CONFIG

    name: str
    """The pack's (or table's) name; a table is read by rules as `data.<name>`."""
    description: str = ""
    """What the pack covers."""
    area: str | None = None
    """The area of the FAQ the pack's rules belong to (`Network`, `Licensing`): posture reports
    count passes and failures by area."""


@dataclass(frozen=True)
class PolicyPack:
    """A file of rules."""

    __pydantic_config__: ClassVar[dict[str, Any]] = model_config(_alias, title="PolicyPack")

    apiVersion: Literal["faqlint/v1"]
    """Always faqlint/v1."""
    kind: Literal["PolicyPack"]
    """PolicyPack: a file of rules."""
    metadata: PackMetadata
    """The pack's name and description."""
    rules: Annotated[tuple[Rule, ...], NonEmpty()]
    """The rules."""


@dataclass(frozen=True)
class PolicyData:
    """A table of facts the rules read as `data.<metadata.name>`."""

    __pydantic_config__: ClassVar[dict[str, Any]] = model_config(_alias, title="PolicyData")

    apiVersion: Literal["faqlint/v1"]
    """Always faqlint/v1."""
    kind: Literal["PolicyData"]
    """PolicyData: a table of facts."""
    metadata: PackMetadata
    """The table's name (rules read it as `data.<name>`) and description."""
    data: dict[str, Any]
    """The facts."""
