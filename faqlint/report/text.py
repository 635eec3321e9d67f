"""Human output: `file:line:col: CODE [severity] message`, the source line with a caret, a summary.

Colour only on a terminal, and never when NO_COLOR is set.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from faqlint.filetext import read_text
from faqlint.findings import Finding, Severity
from faqlint.report.escape import inert, inert_result, line_start
from faqlint.run import RunResult

SOURCE_WIDTH = 200  # characters of a source line shown around the finding's column

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


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


def render(result: RunResult, cwd: Path, colour: bool, show_source: bool = True) -> str:
    """Every value from a scanned file is shown inert (`faqlint.report.escape`): the findings,
    file names and source lines; sources are read by the file's real name."""
    sources = _Sources(cwd)
    shown = inert_result(result)
    out: list[str] = []
    for finding, inert_finding in zip(result.findings, shown.findings, strict=True):
        out.append(_headline(inert_finding, colour))
        if show_source:
            out.extend(_snippet(finding, sources, colour))
    out.append(summary(shown, colour))
    return "\n".join(out) + "\n"


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
