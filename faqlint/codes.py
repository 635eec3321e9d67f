"""The linter's own findings (FL): problems with the files themselves, not with the tenant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from faqlint.findings import Finding, Severity

# The codes other stages test for by name.
SCHEMA_VIOLATION = "FL002"  # a value outside its schema: rules depending on it wait for it
EVALUATION_ERROR = "FL009"  # a rule that failed or ran out of its budget: never cached


@dataclass(frozen=True)
class EngineCode:
    code: str
    name: str
    severity: Severity
    summary: str
    fix: str


ENGINE_CODES: tuple[EngineCode, ...] = (
    EngineCode(
        "FL001",
        "parse-error",
        Severity.ERROR,
        "A file is not valid YAML or JSON, or not UTF-8.",
        "Correct the syntax at the position shown; save the file as UTF-8.",
    ),
    EngineCode(
        "FL002",
        "schema-violation",
        Severity.ERROR,
        "A resource does not match its kind's JSON Schema. Rule findings whose verdict depends "
        "on the failing value are held back (the message names their rules) until it is valid.",
        "Correct the key or value shown; `faqlint schema KIND` prints what is allowed.",
    ),
    EngineCode(
        "FL003",
        "unknown-kind",
        Severity.ERROR,
        "`kind` is not a known kind and no policy pack declares it.",
        "Use one of the kinds `faqlint schema` lists.",
    ),
    EngineCode(
        "FL004",
        "duplicate-key",
        Severity.ERROR,
        "A mapping repeats a key: only one of the values can be meant.",
        "Keep one of the keys and delete the other.",
    ),
    EngineCode(
        "FL005",
        "duplicate-resource",
        Severity.ERROR,
        "Two resources of one kind share metadata.name in one tenant.",
        "Give each resource its own metadata.name, or delete the copy.",
    ),
    EngineCode(
        "FL006",
        "unused-suppression",
        Severity.WARNING,
        "A suppression matches no finding.",
        "Delete the suppression: the finding it waived is gone.",
    ),
    EngineCode(
        "FL007",
        "expired-suppression",
        Severity.ERROR,
        "A suppression's expiry date has passed; the finding is reported again.",
        "Fix the finding, or renew the waiver with a new reason and date.",
    ),
    EngineCode(
        "FL008",
        "invalid-suppression",
        Severity.ERROR,
        "A suppression names an unknown rule, lacks a required reason, or has a bad date.",
        'Name a rule `faqlint rules` lists, give reason="...", write dates as YYYY-MM-DD.',
    ),
    EngineCode(
        "FL009",
        "rule-evaluation-error",
        Severity.ERROR,
        "A rule's CEL expression failed on a resource.",
        "For a custom rule, guard the expression (has(), get()); for a built-in rule, "
        "report it as a bug.",
    ),
    EngineCode(
        "FL010",
        "export-not-read",
        Severity.ERROR,
        "A file looks like an export (Graph `@odata` keys, a ScubaGear shape, a `kinds:` entry) "
        "but faqlint reads no resource from it.",
        "Export an entity type faqlint reads (`faqlint schema` lists the kinds), map the file "
        "with `kinds:`, or exclude it.",
    ),
    EngineCode(
        "FL011",
        "file-not-read",
        Severity.ERROR,
        "A file could not be read safely: not a regular file, over the size limit, a link "
        "that leaves the project, or an error from the file system.",
        "Replace it with a regular file inside the project, raise `max-file-size`, or exclude it.",
    ),
    EngineCode(
        "FL012",
        "rules-not-checkable",
        Severity.INFO,
        "An export lacks the settings some rules need, so those rules could not judge the tenant.",
        "Export the missing settings too (or add them as native files) so that the rules named "
        "can check them.",
    ),
    EngineCode(
        "FL013",
        "non-canonical-value",
        Severity.WARNING,
        "A value or key written in another case than its documented spelling, or a boolean "
        "written as a string, in a kind whose service reads it either way (Exchange).",
        "Write the documented spelling the message gives; the service reads the value the same "
        "either way, and faqlint has checked it as the service reads it.",
    ),
)

ENGINE_BY_CODE = {c.code: c for c in ENGINE_CODES}

# Findings about waivers themselves: they can be neither waived nor baselined.
WAIVER_CODES = frozenset({"FL006", "FL007", "FL008"})


def engine_finding(code: str, message: str, **where: Any) -> Finding:
    """A finding of one of the linter's own codes, named, graded and given its fix by the table
    above, so that no stage spells a code's name or severity again."""
    entry = ENGINE_BY_CODE[code]
    return Finding(
        code=code,
        name=entry.name,
        severity=entry.severity,
        message=message,
        fix=entry.fix,
        **where,
    )


# The namespace of faqlint's own keys in `metadata.annotations` (waivers).
ANNOTATION_PREFIX = "faqlint.io/"
