"""Human output, in the variants ruff users know (`--output-format`):

- `full` (the default): `file:line:col: CODE [severity] message (name)`, the source line with a
  caret under the finding, and a summary;
- `concise`: the first line of each finding alone, and the summary;
- `grouped`: findings under their file's name, `line:col CODE [severity] message (name)`.

`--statistics` shows counts by rule instead of the findings, and `--quiet` leaves the summary out
(only findings, or only counts). Whether colour is used is decided by the command line
(`faqlint.cli`): `--color`, `NO_COLOR`, `FORCE_COLOR`, `TERM=dumb`, a terminal or not.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from faqlint.filetext import read_text
from faqlint.findings import Finding, Severity
from faqlint.report.escape import inert, inert_result, line_start
from faqlint.run import RunResult

SOURCE_WIDTH = 200  # characters of a source line shown around the finding's column
STYLES = ("full", "concise", "grouped")  # the text variants, `full` first: the default

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def wants_colour(choice: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """`--color always|never` decide; `auto` follows the conventions in CPython's own order:
    `NO_COLOR` (no-color.org) turns colour off, then `FORCE_COLOR` (force-color.org) turns it
    on even in a pipe or a CI log, then `TERM=dumb` turns it off, and otherwise colour is used
    on a terminal only. Each variable counts when set to anything but the empty string."""
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: no terminal
        return False


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


class _Sources:
    """Source lines, read once per file and only for files that have findings."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self._lines: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._lines:
            # Decoded as the loader decoded it; regular files only, and no link is followed
            # (a link out of the project is reported, and what it points at never shown).
            raw = read_text(self.cwd / file, follow=False) or ""
            self._lines[file] = raw.splitlines()
        lines = self._lines[file]
        return lines[number - 1] if 0 < number <= len(lines) else None


def render(
    result: RunResult,
    cwd: Path,
    colour: bool,
    show_source: bool = True,
    style: str = "full",
    quiet: bool = False,
    statistics: bool = False,
) -> str:
    """Every value from a scanned file is shown inert (`faqlint.report.escape`): the findings,
    file names and source lines; sources are read by the file's real name."""
    shown = inert_result(result)
    if statistics:
        out = _statistics(shown.findings, colour)
    elif style == "grouped":
        out = _grouped(shown.findings, colour)
    else:
        out = []
        sources = _Sources(cwd)
        with_source = show_source and style == "full"
        for finding, inert_finding in zip(result.findings, shown.findings, strict=True):
            out.append(_headline(inert_finding, colour))
            if with_source:
                out.extend(_snippet(finding, sources, colour))
    if not quiet:
        out.append(summary(shown, colour))
    return "".join(f"{line}\n" for line in out)


def _grouped(findings: tuple[Finding, ...], colour: bool) -> list[str]:
    """ruff's `grouped`: the file's name, then each finding indented, a blank line after each
    file, files in the order of their first finding."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    out: list[str] = []
    for file, group in by_file.items():
        out.append(_paint(f"{line_start(file)}:", "1", colour))
        for finding in group:
            code = _paint(finding.code, _COLOURS[finding.severity] + ";1", colour)
            document = f" (document {finding.document})" if finding.document > 1 else ""
            out.append(
                f"  {finding.line}:{finding.column} {code} [{finding.severity}] "
                f"{finding.message} ({finding.name}){document}"
            )
        out.append("")
    return out


def _statistics(findings: tuple[Finding, ...], colour: bool) -> list[str]:
    """Counts by rule, most frequent first (as `ruff --statistics`): count, code, severity, name."""
    counts = Counter((f.code, f.severity, f.name) for f in findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = max((len(str(n)) for n in counts.values()), default=1)
    code_width = max((len(code) for code, _, _ in counts), default=0)
    out = []
    for (code, severity, name), count in rows:
        painted = _paint(code.ljust(code_width), _COLOURS[severity] + ";1", colour)
        out.append(f"{count:>{width}}  {painted}  {f'[{severity}]':<9}  {name}")
    return out


def _headline(finding: Finding, colour: bool) -> str:
    file = line_start(finding.file)
    where = _paint(f"{file}:{finding.line}:{finding.column}:", "1", colour)
    code = _paint(finding.code, _COLOURS[finding.severity] + ";1", colour)
    document = f" (document {finding.document})" if finding.document > 1 else ""
    return f"{where} {code} [{finding.severity}] {finding.message} ({finding.name}){document}"


def _snippet(finding: Finding, sources: _Sources, colour: bool) -> list[str]:
    text = sources.line(finding.file, finding.line)
    if text is None:
        return []
    gutter = " " * len(str(finding.line))
    before, after = text[: finding.column - 1], text[finding.column - 1 :]
    if len(before) > SOURCE_WIDTH // 2:  # a long line (a compact JSON export): a window
        before = "..." + before[-(SOURCE_WIDTH // 2) :]
    if len(after) > SOURCE_WIDTH // 2:
        after = after[: SOURCE_WIDTH // 2] + "..."
    before, after = inert(before.replace("\t", " ")), inert(after.replace("\t", " "))
    shown = before + after
    caret = " " * len(before) + "^"
    return [
        f"{gutter} |",
        f"{finding.line} | {shown}",
        f"{gutter} | {_paint(caret, _COLOURS[finding.severity], colour)}",
    ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(result: RunResult, colour: bool = False) -> str:
    counts = Counter(f.severity for f in result.findings)
    files_with = len({f.file for f in result.findings} & set(result.files))  # not the config
    parts = [
        _plural(counts[Severity.ERROR], "error"),
        _plural(counts[Severity.WARNING], "warning"),
        f"{counts[Severity.INFO]} info",
    ]
    head = "Found " + ", ".join(parts) if result.findings else "All checks passed"
    detail = (
        f"{_plural(len(result.files), 'file')} checked"
        f" ({files_with} with findings), {_plural(len(result.tenants), 'tenant')},"
        f" {_plural(result.resources, 'resource')}"
    )
    extra = []
    not_read = sum(1 for f in result.findings if f.code == "FL010")
    if not_read:
        extra.append(f"{_plural(not_read, 'export')} not read (FL010)")
    if result.suppressed:
        extra.append(f"{len(result.suppressed)} suppressed")
    if result.files_without_resources:
        extra.append(
            f"{_plural(len(result.files_without_resources), 'file')} without faqlint resources "
            "(not checked)"
        )
    line = f"{head}: {detail}" + (f"; {'; '.join(extra)}" if extra else "") + "."
    if result.baseline_applied:
        line += f"\n{len(result.findings)} new, {len(result.baselined)} baselined."
    return _paint(line, "1", colour)
