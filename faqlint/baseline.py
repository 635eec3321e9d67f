"""Baselines: adopt faqlint on a repo with findings, and fail only on new ones.

`--write-baseline FILE` records the run's findings; `--baseline FILE` reports only findings the
file does not hold. A finding is known by its rule code, its file (from the project root), the
JSON pointer of the offending node and a hash of the value there: not by line numbers, so edits
elsewhere in a file do not churn the baseline, while a change to the offending value itself makes
the finding new again. Identical keys are counted, so a second copy of a known problem is new.

Findings about waivers (FL006-FL008) are never baselined: a waiver is a deliberate, dated choice,
and an expired one must not be silenced by a file written the day before.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faqlint import __version__
from faqlint.codes import WAIVER_CODES
from faqlint.errors import FaqlintError
from faqlint.findings import Finding
from faqlint.load import value_at
from faqlint.wildmatch import escape

if TYPE_CHECKING:
    from faqlint.options import RunResult

FORMAT_VERSION = 1
VALUE_HASH = "value_hash"  # key of Finding.extra that the run fills in when asked to
_NO_VALUE = "-"

Key = tuple[str, str, str, str]  # code, project file, pointer, value hash


class BaselineError(FaqlintError):
    """A baseline file that cannot be read or written: exit 2."""


def value_hash(data: Any, pointer: str) -> str:
    """A short stable hash of the value at `pointer` (`-` when there is none: a missing key)."""
    found, value = value_at(data, pointer)
    if not found:
        return _NO_VALUE
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def project_file(file: str, cwd: Path, root: Path) -> str:
    """A finding's file as a path from the project root, so baselines do not depend on where
    faqlint was started."""
    absolute = Path(os.path.abspath(cwd / file))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return file


def key_of(finding: Finding, cwd: Path, root: Path) -> Key:
    return (
        finding.code,
        project_file(finding.file, cwd, root),
        finding.pointer,
        str(finding.extra.get(VALUE_HASH, _NO_VALUE)),
    )


@dataclass(frozen=True)
class Baseline:
    counts: Counter[Key]

    @classmethod
    def of(cls, findings: Iterable[Finding], cwd: Path, root: Path) -> Baseline:
        return cls(Counter(key_of(f, cwd, root) for f in findings if f.code not in WAIVER_CODES))

    def split(
        self, findings: Sequence[Finding], cwd: Path, root: Path
    ) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
        """(new, baselined): each recorded key absorbs as many findings as it was counted."""
        left = Counter(self.counts)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            key = key_of(finding, cwd, root)
            if finding.code not in WAIVER_CODES and left[key] > 0:
                left[key] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return tuple(new), tuple(known)

    def to_text(self, names: dict[str, str]) -> str:
        entries = [
            {
                "code": code,
                "name": names.get(code, ""),
                "file": file,
                "pointer": pointer,
                "hash": digest,
                "count": count,
            }
            for (code, file, pointer, digest), count in sorted(self.counts.items())
        ]
        document = {
            "version": FORMAT_VERSION,
            "tool": f"faqlint {__version__}",
            "findings": entries,
        }
        # `tool` records who wrote it; it is not compared on reading.
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_text(cls, text: str, where: str) -> Baseline:
        try:
            document = json.loads(text)
        except ValueError as err:
            raise BaselineError(f"{where}: not a faqlint baseline: invalid JSON: {err}") from None
        if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
            raise BaselineError(
                f"{where}: not a faqlint baseline (version {FORMAT_VERSION} expected); "
                "write a new one with --write-baseline"
            )
        entries = document.get("findings")
        if not isinstance(entries, list):
            raise BaselineError(f"{where}: not a faqlint baseline: 'findings' must be a list")
        counts: Counter[Key] = Counter()
        for number, entry in enumerate(entries):
            fields = ("code", "file", "pointer", "hash")
            if not (
                isinstance(entry, dict)
                and all(isinstance(entry.get(f), str) for f in fields)
                and isinstance(entry.get("count", 1), int)
                and entry.get("count", 1) > 0
            ):
                raise BaselineError(
                    f"{where}: findings[{number}] needs string code, file, pointer, hash "
                    "and a positive count"
                )
            counts[(entry["code"], entry["file"], entry["pointer"], entry["hash"])] += int(
                entry.get("count", 1)
            )
        return cls(counts)


def read_baseline(path: Path, shown: str | None = None) -> Baseline:
    where = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"{where}: no such baseline file (write one with --write-baseline)"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise BaselineError(f"{where}: cannot read baseline: {err}") from None
    return Baseline.from_text(text, where)


def write_baseline(
    path: Path, baseline: Baseline, names: dict[str, str], shown: str | None = None
) -> None:
    """Write atomically, never through a link (see `faqlint.fsio`)."""
    from faqlint.fsio import anchor_of, write_text

    try:
        write_text(anchor_of(path.parent, Path.cwd()), path, baseline.to_text(names))
    except OSError as err:
        raise BaselineError(
            f"{shown or path}: cannot write baseline: {err.strerror or err}"
        ) from None


def excluding_baseline(
    exclude: Sequence[str], files: Iterable[str | None], cwd: Path, root: Path
) -> list[str]:
    """`exclude` plus the baseline files themselves: a baseline kept in the repo is not a file
    to lint."""
    extra = []
    for file in files:
        if file is not None:
            relative = project_file(file, cwd, root)
            if not Path(relative).is_absolute():
                extra.append("/" + escape(relative))  # `[`, `*` in a name are literal
    return [*exclude, *extra]


def apply_baseline(
    result: RunResult,
    read: str | None,
    write: str | None,
    cwd: Path,
    root: Path,
    names: dict[str, str],
) -> RunResult:
    """Write the run's findings as a baseline (`write`) and/or keep only the findings a baseline
    does not record. Writing then reading the same run leaves no new finding."""
    if write is not None:
        baseline = Baseline.of(result.findings, cwd, root)
        write_baseline(Path(os.path.abspath(cwd / write)), baseline, names, write)
    else:
        assert read is not None
        baseline = read_baseline(cwd / read, read)
    new, known = baseline.split(result.findings, cwd, root)
    return replace(result, findings=new, baselined=known, baseline_applied=True)
