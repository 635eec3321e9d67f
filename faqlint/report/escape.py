"""Values from scanned files, made inert for the place they are written to.

A repository under check may name a file `::error file=x::All checks passed` or put an escape
sequence, a carriage return or a Unicode line separator in a value that lands in a message. A
CI log reads a line that starts with `::` (GitHub), `##vso[` or `##[` (Azure DevOps) as a
command, and a terminal obeys ESC and OSC sequences. So every value a report takes from a file
passes through one function per kind of output:

- `inert` (text, github, junit and every line faqlint prints): control characters (C0 but tab,
  DEL, C1 with NEL), CR and LF, U+2028/U+2029, bidi controls (which reorder what a reviewer
  sees), lone surrogates (file names that are not UTF-8) and U+FFFE/U+FFFF are written as
  Python-style escapes (`\\x1b`, `\\u2028`); an undecodable byte of a file name as `\\xNN`.
  What is left is printable, one line, and still reads as the original. A rule's fix keeps
  the line breaks its author wrote (`inert_lines`), which the formats that show it encode.
  `##vso[` and `##[` are broken up (`\\x23#vso[`) wherever they are: Azure Pipelines' agent
  and the GitHub runner's older syntax look for them anywhere in a line.
- `line_start`: a file name that starts a line of text output and begins with `:`, `#` or white
  space gets `./` in front (the same file), so no line faqlint prints can start with a CI
  command.
- `json_text` (json, sarif, gitlab): after encoding, the characters above that JSON allows raw
  inside a string are written as `\\uXXXX` escapes (same data, inert stream), as is the first
  `#` of `##vso[` and `##[`, and lone surrogates, which no UTF-8 file can hold, become U+FFFD.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from faqlint.findings import Finding

if TYPE_CHECKING:
    from faqlint.run import RunResult

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{_BIDI}\ud800-\udfff\ufffe\uffff]")
_JSON_RAW = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


_SHORT = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


# Azure Pipelines' agent and the GitHub runner's older syntax look for `##vso[` and `##[` anywhere
# in a line, not only at its start: the first `#` of such a run is written as an escape.
_COMMAND = re.compile(r"#(?=#(?:vso)?\[)", re.IGNORECASE)


def inert(text: str) -> str:
    """`text` with every character that could end a line, steer a terminal or a CI log, or
    reorder what is shown written as an escape, and no `##vso[` or `##[` left in it."""
    if _UNSAFE.search(text) is not None:
        text = _UNSAFE.sub(_escape, text)
    return text if "##" not in text else _COMMAND.sub(r"\\x23", text)


def inert_lines(text: str) -> str:
    """`inert` line by line, keeping the line breaks: for a rule's fix, which its author wraps,
    and for rule pages. Formats that show it encode the breaks themselves (`%0A` on GitHub, XML
    text in JUnit). A line that would start with `::` once the runner strips its white space
    has that first colon escaped: the breaks are kept, so no line may read as a command."""
    return "\n".join(_no_command_start(inert(line)) for line in text.splitlines())


def _no_command_start(line: str) -> str:
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    return line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]


def line_start(file: str) -> str:
    """An (inert) file name that may begin a line: never with `:`, `#` or white space (the
    GitHub runner strips leading white space before it looks for `::`)."""
    return f"./{file}" if file[:1] in {":", "#"} or file[:1].isspace() else file


def _optional(text: str | None) -> str | None:
    return None if text is None else inert(text)


def inert_finding(finding: Finding) -> Finding:
    """Every text of a finding that may come from a scanned file (or a policy pack), inert."""
    return replace(
        finding,
        name=inert(finding.name),
        message=inert(finding.message),
        file=inert(finding.file),
        pointer=inert(finding.pointer),
        tenant=_optional(finding.tenant),
        kind=_optional(finding.kind),
        resource=_optional(finding.resource),
        fix=None if finding.fix is None else inert_lines(finding.fix),
    )


def inert_result(result: RunResult) -> RunResult:
    """The run with every finding and file name inert: what a human format renders."""
    return replace(
        result,
        findings=tuple(inert_finding(f) for f in result.findings),
        files=tuple(inert(f) for f in result.files),
        tenants=tuple(inert(t) for t in result.tenants),
        files_without_resources=tuple(inert(f) for f in result.files_without_resources),
    )


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def valid_utf8(text: str) -> str:
    """`text` that a UTF-8 file can hold: lone surrogates (file names that are not UTF-8)
    become U+FFFD. For formats whose own escaping already makes values inert (HTML)."""
    return _SURROGATE.sub("\ufffd", text)


def json_text(text: str) -> str:
    """Encoded JSON made inert and valid UTF-8 (see the module's notes)."""
    text = valid_utf8(text)
    if _JSON_RAW.search(text) is not None:
        text = _JSON_RAW.sub(_json_escape, text)
    # '#' occurs only inside strings in JSON: `\u0023` keeps the data and breaks `##vso[`.
    return text if "##" not in text else _COMMAND.sub(r"\\u0023", text)
