"""The values a `faqlint check` run is given and gives back, shared by its stages.

`RunOptions` is built once by the command line and read by every stage (the run, the suppress
stage, the result cache); `RunResult` is what the run hands to baselines and reports. They live
here, apart from `faqlint.run`, so that the stages can name them without importing the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from faqlint.config import Config, matches
from faqlint.findings import Finding, Severity


@dataclass(frozen=True)
class Selection:
    """Which rules run and at what severity, from config and command line."""

    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    severity: dict[str, str]

    @classmethod
    def from_config(cls, config: Config) -> Selection:
        return cls(
            tuple(config.select) if config.select is not None else None,
            tuple(config.ignore),
            dict(config.severity),
        )

    def enabled(self, code: str, name: str) -> bool:
        if self.select is not None and not any(matches(s, code, name) for s in self.select):
            return False
        return not any(matches(s, code, name) for s in self.ignore)

    def severity_of(self, code: str, name: str, default: Severity) -> Severity:
        for key, value in self.severity.items():
            if key in {code, name}:
                return Severity.parse(value)
        return default


@dataclass(frozen=True)
class RunOptions:
    """Everything a check run is told: what to read, with which configuration, from where.

    `root` is the config file's folder (else the working folder), `cwd` the working folder that
    relative `paths` and displayed names start from; `config_file` lets waiver findings point
    into the config; `today` judges waiver expiry (default: `waivers.today()`); `fingerprints`
    adds each finding's value hash for baselines; `jobs` caps the worker processes (default: one
    per CPU, for large runs only); `cache` lets the run reuse the results of earlier runs whose
    inputs did not change (`faqlint.resultcache`); `policy_paths` are the extra policy packs the
    catalogue was loaded from (part of what the cache is keyed by).
    """

    paths: tuple[str, ...]
    config: Config
    root: Path
    cwd: Path
    selection: Selection
    config_file: Path | None = None
    today: date | None = None
    fingerprints: bool = False
    jobs: int | None = None
    cache: bool = False
    policy_paths: tuple[Path, ...] = ()  # the extra policy packs the catalogue was loaded from

    @classmethod
    def of(
        cls, paths: list[str] | tuple[str, ...], config: Config, root: Path, cwd: Path | None = None
    ) -> RunOptions:
        """The options of a plain run with `config` (tests, tools): its own selection, no cache."""
        return cls(tuple(paths), config, root, cwd or root, Selection.from_config(config))


@dataclass(frozen=True)
class RunResult:
    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    tenants: tuple[str, ...]
    resources: int
    files_without_resources: tuple[str, ...]
    suppressed: tuple[Finding, ...] = field(default=())
    baselined: tuple[Finding, ...] = field(default=())
    baseline_applied: bool = False  # reports then say "N new, M baselined"
    # tenant -> codes of the rules that ran and read a kind the tenant holds: what a posture
    # report counts as checked (passed when no finding of that rule is left)
    checked: dict[str, tuple[str, ...]] = field(default_factory=dict)
