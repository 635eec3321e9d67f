"""The project's configuration: `.faqlint.yaml`, or `[tool.faqlint]` in `pyproject.toml`.

The nearest file upward from the working folder wins (`--config FILE` overrides). Strict: an
unknown key is an error with a "did you mean"; unknown rule codes and kinds are checked once the
policies and schemas are loaded (`check_codes`, `check_kinds`). The JSON Schema of this file is
generated from `Config` into `schemas/config.schema.json` (`python -m faqlint.schemas_gen`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from faqlint import cache
from faqlint.errors import FaqlintError
from faqlint.formats import NonEmpty, model_config
from faqlint.identify import suggest
from faqlint.load import load_text
from faqlint.wildmatch import PatternError, compile_glob

CONFIG_FILES = (".faqlint.yaml", ".faqlint.yml", "pyproject.toml")
SeverityName = Literal["error", "warning", "info"]


def _alias(field: str) -> str:
    return field.replace("_", "-")  # `per_file_ignores` is written `per-file-ignores`


# Plain dataclasses that pydantic validates (on a cache miss only) and turns into the published
# schema: see `faqlint.packs` for why. Each field's docstring is its description.
_MODEL_CONFIG = model_config(_alias)


@dataclass(frozen=True)
class PerFileIgnore:
    """A waiver for every file a pattern matches: which rules, why, until when."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _MODEL_CONFIG

    rules: Annotated[tuple[str, ...], NonEmpty()]
    """Codes, names or prefixes to ignore."""
    reason: str | None = None
    """Why: shown in reports and audits."""
    until: date | None = None
    """Last day the waiver applies (YYYY-MM-DD); after it the findings come back and the waiver
    is reported as expired (FL007)."""


@dataclass(frozen=True)
class Config:
    """faqlint configuration (`.faqlint.yaml` or `[tool.faqlint]` in pyproject.toml)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = model_config(_alias, title="FaqlintConfig")

    select: tuple[str, ...] | None = None
    """Rules to run: codes (OM202), names, or prefixes (OM2). Default: all."""
    ignore: tuple[str, ...] = ()
    """Rules not to run."""
    severity: dict[str, SeverityName] = field(default_factory=dict)
    """Per-rule severity overrides by code or name: {OM111: error}."""
    per_file_ignores: dict[str, PerFileIgnore | tuple[str, ...]] = field(default_factory=dict)
    """Gitignore-style pattern (relative to this file's folder) -> rules to ignore in matching
    files: a list of rules, or {rules, reason, until}."""
    exclude: tuple[str, ...] = ()
    """Gitignore-style patterns of paths never read."""
    max_file_size: Annotated[int | str, FileSize()] = "64MiB"
    """Largest file read, in bytes (`67108864`) or with a unit (`"64MiB"`, `"500KB"`; KB, MB,
    GB count in 1000s, KiB, MiB, GiB in 1024s). A larger file is reported (FL011), not read."""
    policy_paths: tuple[str, ...] = ()
    """Folders of extra policy packs, relative to this file's folder."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Raw export files (gitignore-style patterns, relative to this file's folder, as for
    `exclude`) -> kind, for PowerShell ConvertTo-Json output. The first that matches wins."""
    fail_on: SeverityName = "error"
    """Lowest severity that fails the run."""
    require_suppression_reason: bool = False
    """Every waiver must give a reason; one without is reported (FL008)."""
    allow_inline_suppressions: bool = True
    """Allow `# faqlint: ignore[...]` comments and `faqlint.io/ignore` annotations; when false,
    each one is reported (FL008) and suppresses nothing."""
    rule_url: Annotated[str | None, RuleUrl()] = None
    """Your own documentation page of each rule, linked from every report:
    `https://wiki.example.com/faqlint/{code}` (`{code}` and `{name}` are filled in). Default:
    no links; reports carry each rule's help inline (`faqlint rule CODE` prints its page)."""
    output_format: Literal["full", "concise", "grouped"] = "full"
    """How the text report looks (as ruff's `output-format`): full (each finding with its
    source line), concise (one line a finding) or grouped (findings under their file). Machine
    formats are chosen per run, with `--format`."""


_UNITS = {
    "": 1,
    "B": 1,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "KIB": 1024,
    "MIB": 1024**2,
    "GIB": 1024**3,
}


def parse_size(value: int | str) -> int:
    """Bytes from `max-file-size`: an integer, or a number and a unit (`64MiB`, `1.5 GB`)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number: float = value
    else:
        text = str(value).strip()
        digits = text.rstrip("BbIiKkMmGg ")
        unit = text[len(digits) :].strip().upper()
        try:
            number = float(digits) * _UNITS[unit]
        except (ValueError, KeyError):
            raise ValueError(
                f"{value!r} is not a size: write bytes (67108864) or a number and a unit "
                "(64MiB, 500KB; units B, KB, MB, GB, KiB, MiB, GiB)"
            ) from None
    if not 1 <= number < 2**63:
        raise ValueError(f"{value!r}: the size must be at least 1 byte")
    return int(number)


class FileSize:
    """Annotation metadata: the value is read by `parse_size` and kept as bytes. pydantic reads
    it only when it validates or writes a schema (no import at start-up)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(parse_size, handler(source))

    def __repr__(self) -> str:
        return "FileSize()"


RULE_URL_PLACEHOLDERS = ("{code}", "{name}")


def parse_rule_url(value: str) -> str:
    """A `rule-url` template: an absolute http(s) URL naming the rule by `{code}` or `{name}`,
    and no other `{...}` (a typo such as `{rule}` would otherwise link every rule to one page)."""
    from urllib.parse import urlsplit

    text = value.strip()
    scheme = urlsplit(text).scheme.lower()
    if scheme not in {"http", "https"} or not urlsplit(text).netloc:
        raise ValueError(f"{value!r} is not an http(s) URL, e.g. https://wiki.example.com/{{code}}")
    rest = text
    for placeholder in RULE_URL_PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    if "{" in rest or "}" in rest or any(c.isspace() for c in text):
        raise ValueError(f"{value!r}: only {{code}} and {{name}} may be filled in")
    if rest == text:
        raise ValueError(f"{value!r} names no rule: put {{code}} or {{name}} where it goes")
    return text


class RuleUrl:
    """Annotation metadata: the value is checked by `parse_rule_url` (see `FileSize`)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_rule_url_or_none, handler(source))

    def __repr__(self) -> str:
        return "RuleUrl()"


def _rule_url_or_none(value: str | None) -> str | None:
    return None if value is None else parse_rule_url(value)


class ConfigError(FaqlintError):
    """An invalid configuration: exit 2 with this one-line message."""


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    path: Path | None  # None: defaults, no file found
    root: Path  # the project root: the config file's folder, or the working folder
    text: str = ""  # the config file's text, to point waiver findings at their line


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and "faqlint" not in _pyproject_tool(candidate):
                    continue
                return candidate
    return None


def _read(path: Path) -> str:
    """The config file is part of the repository, so it is read as untrusted: a regular file of
    bounded size (a FIFO planted as `.faqlint.yaml` cannot hang the run)."""
    from faqlint.filetext import DEFAULT_MAX_FILE_SIZE, NotRead, read_bytes

    try:
        return read_bytes(path, DEFAULT_MAX_FILE_SIZE).decode("utf-8-sig")
    except (NotRead, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None


def _pyproject_tool(path: Path, text: str | None = None) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport, when installed
        try:
            import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            raise ConfigError(
                f"{path}: reading pyproject.toml on Python 3.10 needs the tomli "
                "package (pip install tomli), or use .faqlint.yaml"
            ) from None
    try:
        data = tomllib.loads(_read(path) if text is None else text)
    except ValueError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None
    tool = data.get("tool", {})
    return tool if isinstance(tool, dict) else {}


def load_config(explicit: Path | None, cwd: Path) -> LoadedConfig:
    path = explicit if explicit is not None else find_config(cwd)
    if path is None:
        return LoadedConfig(Config(), None, cwd)
    shown = Path(os.path.relpath(cwd / path, cwd))  # messages name it as the user would
    if not path.is_file():
        raise ConfigError(f"{shown}: no such config file")
    text = _read(path)
    if path.suffix == ".toml":
        raw = _pyproject_tool(shown, text).get("faqlint", {})
    else:
        loaded = load_text(text, str(shown), is_json=False)
        if loaded.findings:
            problem = loaded.findings[0]
            raise ConfigError(f"{shown}:{problem.line}:{problem.column}: {problem.message}")
        if len(loaded.documents) > 1:
            raise ConfigError(f"{shown}: holds {len(loaded.documents)} documents; write one")
        raw = loaded.documents[0].data if loaded.documents else {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{shown}: the configuration must be a mapping of keys")
    return LoadedConfig(parse_config(raw, shown, text), path, path.parent.resolve(), text)


def _keys(model: type[Any]) -> list[str]:
    return [_alias(f.name) for f in fields(model)]


def parse_config(raw: dict[str, Any], path: Path, text: str = "") -> Config:
    """Validate a configuration; the result is cached by the file's text, so an unchanged
    configuration is read without importing pydantic."""
    cache_key = cache.key("config", [(str(path), repr(raw).encode())])
    cached = cache.load(cache_key, Config)
    if isinstance(cached, Config):
        return cached
    config = _validate(raw, path, text)
    cache.store(cache_key, config, Config)
    return config


def _validate(raw: dict[str, Any], path: Path, text: str) -> Config:
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(Config).validate_python(raw)
    except ValidationError as err:
        first = err.errors()[0]
        loc = [str(p) for p in first["loc"]]
        # A union (list or mapping) adds the member's type name to the location: drop it.
        loc = [p for p in loc if p not in {"PerFileIgnore", "tuple[str, ...]"}]
        where = f"{path}{config_position(path, text, loc)}"
        if first["type"] in {"extra_forbidden", "unexpected_keyword_argument"}:
            model = PerFileIgnore if loc[0] == "per-file-ignores" else Config
            hint = suggest(loc[-1], _keys(model))
            raise ConfigError(f"{where}: unknown key {'.'.join(loc)!r}{hint}") from None
        raise ConfigError(f"{where}: {'.'.join(loc)}: {first['msg']}") from None


def config_position(path: Path | None, text: str, loc: Iterable[str]) -> str:
    """`:line:column` of a key of the config file, or nothing when it cannot be found."""
    if path is None or not text:
        return ""
    if path.suffix == ".toml":
        return _toml_position(text, list(loc)[-1:])
    from faqlint.loaded import escape
    from faqlint.positions import index_yaml

    index = index_yaml(text).get(1)
    if index is None:
        return ""
    position = index.find("".join(f"/{escape(p)}" for p in loc))
    return f":{position.line}:{position.column}"


def _toml_position(text: str, last: list[str]) -> str:
    """tomllib keeps no positions: the line where the last key of the location is written (as
    `key = ...`, else anywhere, as in a `[table."key"]` header) will do."""
    if not last:
        return ""
    lines = text.splitlines()
    for starts in (True, False):
        for number, line in enumerate(lines, start=1):
            stripped = line.strip().lstrip("'\"")
            if stripped.startswith(last[0]) if starts else last[0] in line:
                return f":{number}:{line.index(stripped if starts else last[0]) + 1}"
    return ""


def _rules_of(value: PerFileIgnore | tuple[str, ...]) -> tuple[str, ...]:
    return value.rules if isinstance(value, PerFileIgnore) else value


def check_codes(config: Config, codes: dict[str, str], path: Path | None) -> None:
    """Every code, name or prefix in the config must name a rule (`codes`: code -> name).
    Severity overrides take codes or names only: a prefix there would silently do nothing."""
    where = f"{path}: " if path else ""
    entries: list[tuple[str, str, bool]] = [("select", s, True) for s in config.select or []]
    entries += [("ignore", s, True) for s in config.ignore]
    entries += [("severity", s, False) for s in config.severity]
    for glob, value in config.per_file_ignores.items():
        entries += [(f"per-file-ignores.{glob}", s, True) for s in _rules_of(value)]
    for key, entry, prefixes in entries:
        check_selector(entry, codes, f"{where}{key}: ", prefixes)


def check_selector(selector: str, codes: dict[str, str], where: str, prefixes: bool = True) -> None:
    """`selector` must be a code, a name, `ALL` or (where `prefixes`) a code prefix such as OM2;
    otherwise ConfigError, `where` first, with a "did you mean"."""
    known = set(codes) | set(codes.values())
    if selector in known:
        return
    if prefixes and (selector == "ALL" or any(code.startswith(selector) for code in codes)):
        return
    raise ConfigError(f"{where}unknown rule {selector!r}{suggest(selector, known)}")


def check_kinds(config: Config, kinds: Iterable[str], path: Path | None) -> None:
    """Every glob under `kinds:` must be able to match, and name a known kind."""
    where = str(path) if path else "configuration"
    known = sorted(kinds)
    for glob, kind in config.kinds.items():
        try:
            compile_glob(glob)  # gitignore semantics, as `exclude`: see `faqlint.wildmatch`
        except PatternError as err:
            raise ConfigError(f"{where}: kinds: glob {glob!r} can never match: {err}") from None
        if kind not in known:
            hint = suggest(kind, known) or f"; known kinds: {', '.join(known)}"
            raise ConfigError(f"{where}: kinds.{glob}: unknown kind {kind!r}{hint}")


def matches(selector: str, code: str, name: str) -> bool:
    return selector in {code, name, "ALL"} or code.startswith(selector)


def check_config(
    loaded: LoadedConfig, codes: dict[str, str], kinds: Iterable[str], cwd: Path
) -> None:
    """The checks that need the loaded rules and kinds, naming the file as the user knows it."""
    shown = Path(os.path.relpath(loaded.path, cwd)) if loaded.path else None
    check_codes(loaded.config, codes, shown)
    check_kinds(loaded.config, kinds, shown)
