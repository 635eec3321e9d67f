"""The project's configuration: `.faqlint.yaml`, or `[tool.faqlint]` in `pyproject.toml`.

The nearest file upward from the working folder wins (`--config FILE` overrides). Strict: an
unknown key is an error with a "did you mean"; unknown rule codes are checked once the policies
are loaded (`check_codes`). The JSON Schema of this file is generated from `Config` into
`schemas/config.schema.json`.
"""

from __future__ import annotations

from faqlint.errors import FaqlintError

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from faqlint.identify import suggest
from faqlint.load import load_text

CONFIG_FILES = (".faqlint.yaml", ".faqlint.yml", "pyproject.toml")
SeverityName = Literal["error", "warning", "info"]


class PerFileIgnore(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[str] = Field(min_length=1, description="Codes, names or prefixes to ignore.")
    reason: str | None = Field(default=None, description="Why: shown in reports and audits.")
    until: str | None = Field(default=None, description="Expiry date, YYYY-MM-DD.")


class Config(BaseModel):
    """faqlint configuration (`.faqlint.yaml` or `[tool.faqlint]` in pyproject.toml)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, title="FaqlintConfig"
    )

    select: list[str] | None = Field(
        default=None, description="Rules to run: codes (OM202), names, or prefixes (OM2). "
        "Default: all."
    )
    ignore: list[str] = Field(default_factory=list, description="Rules not to run.")
    severity: dict[str, SeverityName] = Field(
        default_factory=dict, description="Per-rule severity overrides: {OM111: error}."
    )
    per_file_ignores: dict[str, PerFileIgnore | list[str]] = Field(
        default_factory=dict,
        alias="per-file-ignores",
        description="Glob -> rules to ignore in matching files (with a reason and expiry).",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Gitignore-style patterns of paths never read."
    )
    policy_paths: list[str] = Field(
        default_factory=list, alias="policy-paths", description="Folders of extra policy packs."
    )
    kinds: dict[str, str] = Field(
        default_factory=dict,
        description="Raw export files (globs) -> kind, for PowerShell ConvertTo-Json output.",
    )
    fail_on: SeverityName = Field(
        default="error", alias="fail-on", description="Lowest severity that fails the run."
    )
    require_suppression_reason: bool = Field(
        default=False,
        alias="require-suppression-reason",
        description="Every waiver must give a reason.",
    )
    allow_inline_suppressions: bool = Field(
        default=True,
        alias="allow-inline-suppressions",
        description="Allow `# faqlint: ignore[...]` comments and resource annotations.",
    )


class ConfigError(FaqlintError):
    """An invalid configuration: exit 2 with this one-line message."""


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    path: Path | None  # None: defaults, no file found
    root: Path  # the project root: the config file's folder, or the working folder


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and "faqlint" not in _pyproject_tool(candidate):
                    continue
                return candidate
    return None


def _pyproject_tool(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None
    tool = data.get("tool", {})
    return tool if isinstance(tool, dict) else {}


def load_config(explicit: Path | None, cwd: Path) -> LoadedConfig:
    path = explicit if explicit is not None else find_config(cwd)
    if path is None:
        return LoadedConfig(Config(), None, cwd)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    if path.name == "pyproject.toml":
        raw = _pyproject_tool(path).get("faqlint", {})
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"{path}: cannot read: {err}") from None
        loaded = load_text(text, str(path), is_json=False)
        if loaded.findings:
            problem = loaded.findings[0]
            raise ConfigError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
        raw = loaded.documents[0].data if loaded.documents else {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys")
    return LoadedConfig(parse_config(raw, path), path, path.parent.resolve())


def parse_config(raw: dict[str, Any], path: Path) -> Config:
    try:
        return Config.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "extra_forbidden":
            known = [f.alias or name for name, f in Config.model_fields.items()]
            hint = suggest(str(first["loc"][-1]), known)
            raise ConfigError(f"{path}: unknown key {where!r}{hint}") from None
        raise ConfigError(f"{path}: {where}: {first['msg']}") from None


def check_codes(config: Config, codes: dict[str, str], path: Path | None) -> None:
    """Every code, name or prefix in the config must name a rule (`codes`: code -> name)."""
    where = str(path) if path else "configuration"
    known = set(codes) | set(codes.values())
    entries: list[tuple[str, str]] = [("select", s) for s in config.select or []]
    entries += [("ignore", s) for s in config.ignore]
    entries += [("severity", s) for s in config.severity]
    for glob, value in config.per_file_ignores.items():
        rules = value.rules if isinstance(value, PerFileIgnore) else value
        entries += [(f"per-file-ignores.{glob}", s) for s in rules]
    for key, entry in entries:
        if entry in known or any(code.startswith(entry) for code in codes) or entry == "ALL":
            continue
        raise ConfigError(f"{where}: {key}: unknown rule {entry!r}{suggest(entry, known)}")


def matches(selector: str, code: str, name: str) -> bool:
    return selector in {code, name, "ALL"} or code.startswith(selector)
