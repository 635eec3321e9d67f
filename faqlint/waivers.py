"""Waivers: findings a team has decided to accept, visibly, with a reason and an end date.

This module reads them; `faqlint.suppress` applies them. Three places hold them:

- an inline YAML comment, `# faqlint: ignore[OM202, OM204] reason="..." until=2027-03-31`,
  trailing the offending line, or on a line of its own, waiving the next line (several waiver
  comments may be stacked above one line);
- a resource's annotations, `faqlint.io/ignore: "OM202"` with `faqlint.io/reason` and
  `faqlint.io/until`, waiving the whole resource (JSON files cannot hold comments);
- the config's `per-file-ignores`, a pattern -> rules with a reason and an end date.

Inline and annotation waivers name rules by code or name; per-file-ignores also take prefixes,
like `select` and `ignore`. A waiver that cannot be read (unknown rule, missing required reason,
bad date, or inline where the config forbids inline waivers) is kept with its problems, to be
reported (FL008) rather than silently dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from faqlint.codes import ENGINE_BY_CODE, WAIVER_CODES
from faqlint.config import Config, PerFileIgnore, config_position, matches
from faqlint.errors import FaqlintError
from faqlint.findings import Finding, Position
from faqlint.identify import Resource, suggest
from faqlint.loaded import WaiverLine, escape
from faqlint.wildmatch import Pattern, PatternError, compile_pattern, covers

TODAY_VARIABLE = "FAQLINT_TODAY"
ANNOTATION_KEYS = ("faqlint.io/ignore", "faqlint.io/reason", "faqlint.io/until")

_DIRECTIVE = re.compile(r"#\s*faqlint:\s*(?P<body>.*)$")
_IGNORE = re.compile(r"ignore\[(?P<rules>[^\]]*)\](?P<options>.*)$")
_OPTION = re.compile(
    r"\s+(?P<key>[A-Za-z_-]+)=(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>\S+))"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class WaiverConfigError(FaqlintError):
    """A per-file-ignores pattern that cannot be matched: a config error, exit 2."""


class TodayError(FaqlintError):
    """FAQLINT_TODAY is not a date: exit 2."""


def today() -> date:
    """The date expiries are judged against: FAQLINT_TODAY (YYYY-MM-DD) when set, for
    reproducible reports and tests, else the local date."""
    value = os.environ.get(TODAY_VARIABLE)
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TodayError(f"{TODAY_VARIABLE}={value!r} is not a date; write YYYY-MM-DD") from None


# --- where a waiver applies -----------------------------------------------------------------


@dataclass(frozen=True)
class LineScope:
    """An inline comment: findings on these lines of this file."""

    file: str
    lines: frozenset[int]


@dataclass(frozen=True)
class ResourceScope:
    """An annotation: every finding inside this resource."""

    file: str
    document: int
    root: str


@dataclass(frozen=True)
class PatternScope:
    """A per-file-ignores entry: every file the gitignore-style pattern matches."""

    pattern: str
    compiled: Pattern = field(compare=False, hash=False)

    def covers(self, path: str) -> bool:
        """`path` (project-relative, `/`-separated) or a folder above it matches, as a
        `.gitignore` line would exclude it."""
        return covers(self.compiled, path)


Scope = LineScope | ResourceScope | PatternScope


@dataclass(frozen=True)
class Waiver:
    origin: str  # "inline", "annotation" or "config": how messages name it
    rules: tuple[str, ...]
    reason: str | None
    until: date | None
    scope: Scope
    # where the waiver itself is written, for the findings about it
    file: str
    document: int = 1
    pointer: str = ""
    position: Position | None = None
    kind: str | None = None
    resource: str | None = None
    problems: tuple[str, ...] = ()  # why it is invalid (FL008); empty when valid
    until_text: str = ""  # the date as written, for messages

    @property
    def prefixes_allowed(self) -> bool:
        return self.origin == "config"

    def names(self, selector: str, code: str, name: str) -> bool:
        if self.prefixes_allowed:
            return matches(selector, code, name)
        return selector in {code, name}


@dataclass(frozen=True)
class Suppression:
    kept: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    waiver_findings: tuple[Finding, ...]


# --- collecting waivers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What the run knows about rules, to judge the rules a waiver names."""

    codes: Mapping[str, str]  # code -> name of every rule a finding can carry
    require_reason: bool
    allow_inline: bool

    def problems(
        self, rules: Sequence[str], reason: str | None, until: str | None, inline: bool, what: str
    ) -> list[str]:
        found: list[str] = []
        if inline and not self.allow_inline:
            found.append(
                f"{what} is not allowed here (allow-inline-suppressions: false): fix the "
                "finding, or waive it in the config's per-file-ignores with a reason"
            )
        if not rules:
            found.append(f"{what} names no rule: write the codes, e.g. ignore[OM202]")
        known = set(self.codes) | set(self.codes.values())
        for rule in rules:
            if rule in WAIVER_CODES or rule in {ENGINE_BY_CODE[c].name for c in WAIVER_CODES}:
                found.append(f"{what}: {rule} is about waivers and cannot be waived")
            elif rule not in known:
                found.append(f"{what} names unknown rule {rule!r}{suggest(rule, known)}")
        if self.require_reason and not (reason and reason.strip()):
            found.append(
                f'{what} has no reason, and require-suppression-reason is on: add reason="..."'
            )
        if until is not None and _parse_date(until) is None:
            found.append(f"{what}: until={until} is not a date; write YYYY-MM-DD")
        return found


def _parse_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _split_rules(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def inline_waivers(file: str, lines: Sequence[WaiverLine], rules: Rules) -> list[Waiver]:
    """Waivers from the `# faqlint:` comments of one file (`lines` as the loader kept them)."""
    found: list[Waiver] = []
    own_line = {w.line for w in lines if _comment_start(w.text) == 0}
    for number, text, document in lines:
        match = _DIRECTIVE.search(text)
        if match is None:
            continue
        column = match.start() + 1
        target = {number}
        if number in own_line:
            following = number + 1
            while following in own_line:  # stacked waiver comments share the line below them
                following += 1
            target.add(following)
        waiver = _inline(
            file, number, column, match.group("body").strip(), frozenset(target), rules
        )
        found.append(replace(waiver, document=document))
    return found


def _comment_start(text: str) -> int | None:
    """Index of the waiver's `#` among leading spaces (0 when the line is only a comment)."""
    match = _DIRECTIVE.search(text)
    if match is None:
        return None
    return 0 if not text[: match.start()].strip() else match.start()


def _inline(
    file: str, line: int, column: int, body: str, target: frozenset[int], rules: Rules
) -> Waiver:
    position = Position(line, column)
    parsed = _IGNORE.match(body)
    if parsed is None:
        problem = (
            f"inline suppression {body!r} is malformed: write "
            '# faqlint: ignore[OM202] reason="..." until=YYYY-MM-DD'
        )
        return Waiver(
            "inline",
            (),
            None,
            None,
            LineScope(file, target),
            file=file,
            position=position,
            problems=(problem,),
        )
    names = _split_rules(parsed.group("rules"))
    options: dict[str, str] = {}
    syntax: list[str] = []
    rest = parsed.group("options")
    consumed = 0
    for option in _OPTION.finditer(rest):
        if option.start() != consumed:
            break
        consumed = option.end()
        value = next(
            v
            for v in (option.group("dq"), option.group("sq"), option.group("bare"))
            if v is not None
        )
        key = option.group("key")
        if key not in {"reason", "until"}:
            syntax.append(f"unknown option {key!r}{suggest(key, ['reason', 'until'])}")
        options[key] = value
    if rest[consumed:].strip():
        syntax.append(
            f'cannot read {rest[consumed:].strip()!r}: write reason="..." until=YYYY-MM-DD'
        )
    what = f"inline suppression of {', '.join(names) or 'nothing'}"
    problems = rules.problems(names, options.get("reason"), options.get("until"), True, what)
    problems += [f"{what}: {p}" for p in syntax]
    until_text = options.get("until", "")
    return Waiver(
        "inline",
        names,
        options.get("reason"),
        _parse_date(until_text) if until_text else None,
        LineScope(file, target),
        file=file,
        position=position,
        problems=tuple(problems),
        until_text=until_text,
    )


def annotation_waivers(resources: Iterable[Resource], rules: Rules) -> list[Waiver]:
    found: list[Waiver] = []
    for resource in resources:
        ours = resource.own_annotations
        if ours:
            found.append(_annotation(resource, ours, rules))
    return found


def _annotation(resource: Resource, ours: dict[str, object], rules: Rules) -> Waiver:
    base = f"{resource.root}/metadata/annotations/"
    problems: list[str] = []
    for key in ours:
        if key not in ANNOTATION_KEYS:
            problems.append(f"unknown annotation {key!r}{suggest(key, ANNOTATION_KEYS)}")
    raw_rules, reason, until = (ours.get(k) for k in ANNOTATION_KEYS)
    at = "faqlint.io/ignore" if raw_rules is not None else next(iter(ours))
    if raw_rules is None:
        problems.append(
            "faqlint.io annotations without faqlint.io/ignore: name the rules, "
            'e.g. faqlint.io/ignore: "OM202"'
        )
    for key, value in (
        ("faqlint.io/ignore", raw_rules),
        ("faqlint.io/reason", reason),
        ("faqlint.io/until", until),
    ):
        if value is not None and not isinstance(value, str):
            problems.append(f"{key} must be a string, not {value!r}")
    names = _split_rules(raw_rules) if isinstance(raw_rules, str) else ()
    reason_text = reason if isinstance(reason, str) else None
    until_text = until if isinstance(until, str) else (str(until) if until is not None else None)
    what = f"annotation suppression of {', '.join(names) or 'nothing'}"
    if raw_rules is not None:
        problems = rules.problems(names, reason_text, until_text, True, what) + [
            f"{what}: {p}" for p in problems
        ]
    if until_text is not None and _parse_date(until_text) is None:
        at = "faqlint.io/until"
    return Waiver(
        "annotation",
        names,
        reason_text,
        _parse_date(until_text) if until_text else None,
        ResourceScope(resource.file, resource.document, resource.root),
        file=resource.file,
        document=resource.document,
        pointer=base + escape(at),
        kind=resource.kind,
        resource=resource.name,
        problems=tuple(problems),
        until_text=until_text or "",
    )


def config_waivers(
    config: Config,
    config_file: str | None,
    config_text: str,
    config_path: Path | None,
    rules: Rules,
) -> list[Waiver]:
    found: list[Waiver] = []
    for pattern, value in config.per_file_ignores.items():
        entry = value if isinstance(value, PerFileIgnore) else PerFileIgnore(rules=tuple(value))
        names = tuple(entry.rules)
        what = f"per-file-ignores {pattern!r}"
        problems = []
        if rules.require_reason and not (entry.reason and entry.reason.strip()):
            problems.append(
                f"{what} has no reason, and require-suppression-reason is on: "
                'write {rules: [...], reason: "..."}'
            )
        position = config_position(config_path, config_text, ["per-file-ignores", pattern])
        line, _, column = position.lstrip(":").partition(":")
        found.append(
            Waiver(
                "config",
                names,
                entry.reason,
                entry.until,
                PatternScope(pattern, _compiled(pattern)),
                file=config_file or "configuration",
                position=Position(int(line), int(column)) if line else Position(1, 1),
                problems=tuple(problems),
                until_text=entry.until.isoformat() if entry.until else "",
            )
        )
    return found


def _compiled(pattern: str) -> Pattern:
    """A per-file-ignores key, read as strictly as `exclude`: a pattern git would drop is a
    mistake in the configuration, not a waiver that silently covers nothing."""
    try:
        compiled = compile_pattern(pattern, strict=True)
    except PatternError as err:
        raise WaiverConfigError(f"per-file-ignores: invalid pattern {pattern!r}: {err}") from None
    if compiled is None:
        raise WaiverConfigError(
            f"per-file-ignores: invalid pattern {pattern!r}: it matches nothing"
        )
    return compiled
