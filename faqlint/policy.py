"""Load policy packs: validate (pydantic, on a cache miss; the shipped packs come validated),
compile CEL (lazily, on first use), index rules.

A pack is a folder of YAML files, each a `PolicyPack` (rules) or a `PolicyData` table that rules
read as `data.<name>`; see `faqlint.packs` for the format.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faqlint import cache, formats, packs
from faqlint.errors import FaqlintError
from faqlint.filetext import DEFAULT_MAX_FILE_SIZE, NotRead, read_bytes
from faqlint.findings import Severity
from faqlint.load import load_text
from faqlint.packs import (
    Autofix,
    Edit,
    Example,
    Examples,
    Given,
    PolicyData,
    PolicyPack,
    Rule,
    Validation,
)

if TYPE_CHECKING:  # the CEL backend is loaded when a rule is first compiled: a run that reuses
    from faqlint.cel import Program  # every verdict does not load it

__all__ = [
    "Autofix",
    "CompiledAutofix",
    "CompiledEdit",
    "CompiledRule",
    "CompiledValidation",
    "Edit",
    "Example",
    "Examples",
    "Given",
    "Policies",
    "PolicyData",
    "PolicyError",
    "PolicyPack",
    "Rule",
    "Template",
    "Validation",
    "load_policies",
]

TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.S)


class PolicyError(FaqlintError):
    """A pack that does not load: the CLI exits 2 with this one-line message."""


@dataclass(frozen=True)
class Template:
    """Text with `{{ expr }}` holes, each a compiled CEL program."""

    parts: tuple[str | Program, ...]

    @classmethod
    def compile(cls, text: str, *, lazy: bool = False) -> Template:
        """The template of `text`; its holes compiled now, or on first use with `lazy`."""
        from faqlint.cel import Program

        parts: list[str | Program] = []
        last = 0
        for match in TEMPLATE.finditer(text):
            parts.append(text[last : match.start()])
            parts.append(Program(match.group(1).strip(), lazy=lazy))
            last = match.end()
        parts.append(text[last:])
        return cls(tuple(p for p in parts if p != ""))


@dataclass(frozen=True)
class CompiledEdit:
    """An edit with its holes compiled. `value` is plain data whose strings are Templates."""

    op: str
    path: Template
    value: Any


@dataclass(frozen=True)
class CompiledAutofix:
    applicability: str  # "safe" or "unsafe"
    description: str
    edits: tuple[CompiledEdit, ...]

    @property
    def safe(self) -> bool:
        return self.applicability == "safe"


@dataclass(frozen=True)
class CompiledValidation:
    condition: Program
    message: Template
    at: Template
    severity: Severity | None
    autofix: CompiledAutofix | None = None


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its CEL compiled on first use (a run compiles only the rules it needs)."""

    rule: Rule
    source: str  # the pack file, for error messages and docs
    builtin: bool
    area: str | None = None  # the pack's metadata.area, for posture reports

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def severity(self) -> Severity:
        return Severity.parse(self.rule.severity)

    # Every program of the rule is compiled on its first run; the ones made so far are listed
    # with what they are, so that `compile_all` can name the one that does not compile.
    _made: list[tuple[Program, str]] = field(
        default_factory=list, init=False, compare=False, repr=False
    )

    def _compile(self, expression: str, what: str) -> Program:
        from faqlint.cel import Program

        program = Program(expression, lazy=True)
        self._made.append((program, what))
        return program

    def _template(self, text: str, what: str) -> Template:
        template = Template.compile(text, lazy=True)
        self._made.extend((p, what) for p in template.parts if not isinstance(p, str))
        return template

    @cached_property
    def when(self) -> Program | None:
        return self._compile(self.rule.given.when, "when") if self.rule.given.when else None

    @cached_property
    def for_each(self) -> Program | None:
        expression = self.rule.given.forEach
        return self._compile(expression, "forEach") if expression else None

    @cached_property
    def validations(self) -> tuple[CompiledValidation, ...]:
        return tuple(
            CompiledValidation(
                condition=self._compile(v.assert_, f"validation {i} assert"),
                message=self._template(v.message, f"validation {i} message"),
                at=self._template(v.at or self.rule.at, f"validation {i} at"),
                severity=Severity.parse(v.severity) if v.severity else None,
                autofix=self._autofix(v.autofix or self.rule.autofix, f"validation {i} autofix"),
            )
            for i, v in enumerate(self.rule.validations, start=1)
        )

    def _autofix(self, autofix: Autofix | None, what: str) -> CompiledAutofix | None:
        if autofix is None:
            return None
        return CompiledAutofix(
            autofix.applicability,
            autofix.description,
            tuple(
                CompiledEdit(
                    e.op,
                    self._template(e.path, f"{what} edit {n} path"),
                    self._value(e.value, f"{what} edit {n} value"),
                )
                for n, e in enumerate(autofix.edits, start=1)
            ),
        )

    def _value(self, value: Any, what: str) -> Any:
        if isinstance(value, str):
            return self._template(value, what)
        if isinstance(value, dict):
            return {k: self._value(v, what) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._value(v, what) for v in value]
        return value

    def texts(self) -> list[str]:
        """Every expression and template the rule is written with, templates whole (prose
        included): what its programs are made of."""
        given = self.rule.given
        texts = [given.when or "", given.forEach or "", self.rule.at]
        for validation in self.rule.validations:
            texts += [validation.assert_, validation.message, validation.at or ""]
        return texts

    def expressions(self) -> Iterator[str]:
        """The CEL of the rule's conditions and of its templates' holes (not their prose)."""
        for program in (self.when, self.for_each):
            if program is not None:
                yield program.source
        for validation in self.validations:
            yield validation.condition.source
            for template in (validation.message, validation.at):
                yield from (part.source for part in template.parts if not isinstance(part, str))

    def compile_all(self) -> None:
        """Compile every expression now (raising PolicyError), not on first use."""
        from faqlint.cel import CelError

        _ = (self.when, self.for_each, self.validations)
        for program, what in self._made:
            try:
                program.compile()
            except CelError as err:
                raise PolicyError(
                    f"{self.source}: rule {self.code}: {what} does not compile: {err}"
                ) from None


@dataclass(frozen=True)
class Policies:
    rules: tuple[CompiledRule, ...]
    data: dict[str, Any]

    def by_code(self) -> dict[str, CompiledRule]:
        return {r.code: r for r in self.rules}


# A pack file, validated: (path, is built-in, its documents as PolicyPack/PolicyData values).
_Validated = tuple[str, bool, tuple[PolicyPack | PolicyData, ...]]


def pack_files(folders: list[Path], builtin_count: int) -> list[tuple[Path, bool, bytes]]:
    """(path, is built-in, bytes) of every YAML file below `folders`, in a stable order."""
    files: list[tuple[Path, bool, bytes]] = []
    for position, folder in enumerate(folders):
        if not folder.is_dir():
            raise PolicyError(f"policy path {folder} is not a folder")
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".yaml", ".yml"} or not path.is_file():
                continue
            try:  # a pack in a scanned repository is untrusted: a regular file, bounded, no link
                data = read_bytes(path, DEFAULT_MAX_FILE_SIZE, follow=False)
            except NotRead as err:
                raise PolicyError(f"{path}: cannot read policy file: {err}") from None
            files.append((path, position < builtin_count, data))
    return files


def load_policies(folders: list[Path], builtin_count: int = 1) -> Policies:
    """Every pack below `folders`; the first `builtin_count` folders hold the built-in packs."""
    files = pack_files(folders, builtin_count)
    builtin_files = [(path, data) for path, builtin, data in files if builtin]
    shipped = _shipped(folders[:builtin_count], builtin_files)
    unchecked = files if shipped is None else [f for f in files if not f[1]]
    if not unchecked:
        return _index(shipped or [])
    cache_key = cache.key("policies", [(f"{p}:{b}", data) for p, b, data in unchecked])
    validated: list[_Validated] | None = cache.load(cache_key, list[_Validated])
    if validated is not None:
        return _index([*(shipped or []), *validated])
    validated = [(str(p), b, validate_pack(p, data)) for p, b, data in unchecked]
    policies = _index([*(shipped or []), *validated])
    for rule in policies.rules:  # a pack that does not compile is an error now, not mid-run
        if shipped is None or not rule.builtin:  # the shipped packs compile: the tests say so
            rule.compile_all()
    cache.store(cache_key, validated, list[_Validated])
    return policies


# --- the shipped packs, validated when they were written ------------------------------------
#
# Validating the built-in packs with pydantic costs a cold run about a third of a second (and
# pydantic's import). They ship with faqlint, so `python -m faqlint.packs_gen` validates them once
# and writes the result as plain JSON next to this module, with the digest of every pack file and
# of the models' code; a test fails when the file drifts from either. A run uses it only when the
# built-in folder holds exactly the files it was made from, byte for byte, and the models are the
# ones it was made for: an edited pack (in a checkout) is validated as any other. Packs from
# `policy-paths` are always validated (and cached, as before, on their own).

SHIPPED_FORM = Path(__file__).with_name("builtin_packs.json")
SHIPPED_FORMAT = "faqlint-builtin-packs"
SHIPPED_VERSION = 1
_Documents = tuple[PolicyPack | PolicyData, ...]


def pack_names(folders: list[Path], files: list[tuple[Path, bytes]]) -> list[tuple[str, str]]:
    """Each file's name below the folder that holds it (posix), with the SHA-256 of its bytes."""
    named: list[tuple[str, str]] = []
    for path, data in files:
        folder = next((f for f in folders if f in path.parents), path.parent)
        named.append((path.relative_to(folder).as_posix(), hashlib.sha256(data).hexdigest()))
    return named


def models_digest() -> str:
    """The SHA-256 of the code of the pack models: a form made for other models is not used."""
    digest = hashlib.sha256()
    for module in (packs, formats):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def _shipped(folders: list[Path], files: list[tuple[Path, bytes]]) -> list[_Validated] | None:
    """The built-in packs from `SHIPPED_FORM`, or None when it does not describe `files`."""
    if not files:
        return None
    try:
        form = json.loads(SHIPPED_FORM.read_bytes())
        if (
            form.get("format") != SHIPPED_FORMAT
            or form.get("version") != SHIPPED_VERSION
            or form.get("models") != models_digest()
        ):
            return None
        entries = form["files"]
        if [(e["name"], e["sha256"]) for e in entries] != pack_names(folders, files):
            return None
        build = _builder(_Documents)
        return [
            (str(path), True, build(entry["documents"]))
            for (path, _), entry in zip(files, entries, strict=True)
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


@functools.cache
def _builder(shape: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of `shape` from its JSON form (as `cache.encode` writes
    it) without checking it again: only for the shipped form, which pydantic checked when it was
    written, for these very packs and models. Several times faster than `cache.decode`."""
    origin, arguments = typing.get_origin(shape), typing.get_args(shape)
    if origin is typing.Annotated:
        return _builder(arguments[0])
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in arguments if a is not type(None)]
        if len(members) == 1:  # `X | None`
            inner = _builder(members[0])
            return lambda data: None if data is None else inner(data)
        return _by_kind(members)
    if origin is tuple:
        item = _builder(arguments[0])
        return lambda data: tuple(item(v) for v in data)
    if dataclasses.is_dataclass(shape):
        hints = typing.get_type_hints(shape)
        fields = [(f.name, _builder(hints[f.name])) for f in dataclasses.fields(shape) if f.init]
        model: Any = shape
        return lambda data: model(**{name: build(data[name]) for name, build in fields})
    return lambda data: data  # str, bool, a Literal, Any, dict[str, Any]: as JSON holds it


def _by_kind(members: list[Any]) -> Callable[[Any], Any]:
    """A union of documents, told apart by their `kind` (PolicyPack or PolicyData)."""
    builders = {m.__name__: _builder(m) for m in members}
    return lambda data: builders[data["kind"]](data)


def _index(validated: list[_Validated]) -> Policies:
    rules: list[CompiledRule] = []
    data: dict[str, Any] = {}
    seen: dict[str, str] = {}
    tables: dict[str, str] = {}
    for source, builtin, documents in validated:
        for document in documents:
            if isinstance(document, PolicyData):
                table = document.metadata.name
                if table in tables:
                    raise PolicyError(
                        f"{source}: table {table!r} is already defined in "
                        f"{tables[table]}; give yours another metadata.name"
                    )
                tables[table] = source
                data[table] = document.data
                continue
            for rule in document.rules:
                for key in (rule.code, rule.name):
                    if key in seen:
                        raise PolicyError(f"{source}: rule {key} is already defined in {seen[key]}")
                    seen[key] = source
                rules.append(CompiledRule(rule, source, builtin, document.metadata.area))
    return Policies(tuple(sorted(rules, key=lambda r: r.code)), data)


def explain(err: Any) -> str:
    """One line for a pydantic ValidationError: where, and what an admin should change."""
    first = err.errors()[0]
    location = [str(p) for p in first["loc"]]
    kind = first["type"]
    if kind in {"unexpected_keyword_argument", "extra_forbidden"}:
        return f"unknown key {location[-1]!r} in {'.'.join(location[:-1]) or 'the document'}"
    if kind in {"missing_argument", "missing"}:
        return (
            f"missing required key {location[-1]!r} in {'.'.join(location[:-1]) or 'the document'}"
        )
    where = ".".join(location)
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


@functools.cache
def _adapter(data: bool) -> Any:
    """One validator per model for the whole run: building one costs ~70 ms (pydantic generates
    the schema of every nested model), and a run on a cold cache validates every pack file."""
    from pydantic import TypeAdapter

    return TypeAdapter(PolicyData if data else PolicyPack)


def validate_pack(path: Path, raw: bytes) -> tuple[PolicyPack | PolicyData, ...]:
    from pydantic import ValidationError  # only when a pack changed

    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: not UTF-8") from None
    loaded = load_text(text, str(path), is_json=False)
    if loaded.findings:
        problem = loaded.findings[0]
        raise PolicyError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
    documents: list[PolicyPack | PolicyData] = []
    for document in loaded.documents:
        kind = document.data.get("kind") if isinstance(document.data, dict) else None
        try:
            documents.append(_adapter(kind == "PolicyData").validate_python(document.data))
        except ValidationError as err:
            raise PolicyError(f"{path}: not a valid policy pack: {explain(err)}") from None
    return tuple(documents)
