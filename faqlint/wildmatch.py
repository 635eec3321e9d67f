"""`.gitignore` patterns as git reads them, matched in linear time.

A pattern is compiled into a small list of steps and matched by simulating every possible
position in the pattern at once (a Thompson NFA), never by a backtracking regular expression: a
hostile `*a*a*a*a*a*a*a*a*b` costs at most (pattern steps x path length) work, where a regex built
from it backtracks exponentially on a long name.

git's rules (gitignore(5)): blank lines and `#` comments are skipped; trailing spaces are dropped
unless escaped; `!` re-includes; a trailing `/` matches folders only; a pattern with a `/` at its
start or middle is anchored to the folder of its `.gitignore`, one without matches a name at any
depth; `*` and `?` never match `/`; `**/` matches any folders, `/**` everything inside, other
runs of `*` are one `*`. A line git cannot use (a lone `!`, a trailing unescaped `\\`, an unclosed
`[`, an unknown `[:class:]`) matches nothing, as in git; `compile_pattern(..., strict=True)`
instead names the problem, and also rejects a reversed range such as `[z-a]`, which git reads as
matching nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Step kinds. A step consumes one character, except STAR, ANY and DIRS, which loop.
_LITERAL, _ONE, _CLASS, _STAR, _ANY_ONE, _ANY, _DIRS = range(7)

_CLASSES: dict[str, Callable[[str], bool]] = {
    "alnum": str.isalnum,
    "alpha": str.isalpha,
    "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127,
    "digit": lambda c: "0" <= c <= "9",
    "graph": lambda c: c.isprintable() and not c.isspace(),
    "lower": str.islower,
    "print": str.isprintable,
    "punct": lambda c: c.isprintable() and not c.isalnum() and not c.isspace(),
    "space": str.isspace,
    "upper": str.isupper,
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class PatternError(ValueError):
    """A pattern git would not use; the message says why."""


@dataclass(frozen=True, slots=True)
class _CharClass:
    negated: bool
    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    named: tuple[Callable[[str], bool], ...]

    def __contains__(self, char: str) -> bool:
        found = (
            char in self.chars
            or any(low <= char <= high for low, high in self.ranges)
            or any(test(char) for test in self.named)
        )
        return found != self.negated


_Step = tuple[int, object]


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled line: `negated` re-includes, `folders_only` came from a trailing `/`,
    `anchored` patterns match the whole path below their folder, others any final name."""

    text: str
    negated: bool
    folders_only: bool
    anchored: bool
    steps: tuple[_Step, ...]
    fast: re.Pattern[str] | None  # the same pattern as a regex, where that is safe (`_regex`)
    # What any match must start with, end with and contain: most names fail these at C speed
    # before a step is simulated.
    prefix: str = ""
    suffix: str = ""
    pieces: tuple[str, ...] = ()

    def matches(self, path: str, is_dir: bool, work: list[int] | None = None) -> bool:
        """Whether `path` (relative, `/`-separated, no trailing slash) matches. `work`, when
        given, has the number of state visits added to its first item (tests bound it)."""
        if self.folders_only and not is_dir:
            return False
        subject = path if self.anchored else path.rsplit("/", 1)[-1]
        if self.fast is not None and work is None:
            return self.fast.fullmatch(subject) is not None
        if not (subject.startswith(self.prefix) and subject.endswith(self.suffix)):
            return False
        if any(piece not in subject for piece in self.pieces):
            return False
        return _simulate(self.steps, subject, work)


_LOOPS = (_STAR, _ANY, _DIRS)
_REGEX_OF = {_ONE: "[^/]", _STAR: "[^/]*", _ANY_ONE: ".", _ANY: ".*", _DIRS: "(?:[^/]*/)*"}


def _regex(steps: tuple[_Step, ...]) -> re.Pattern[str] | None:
    """A regular expression for a pattern with at most one loop and no `[...]`: the common case
    (`*.json`, `build/`, `/dist`), matched at C speed. One loop cannot backtrack more than once
    per character (each DIRS repetition ends at a `/` its body cannot match), so this stays
    linear; anything with more loops is simulated."""
    if sum(kind in _LOOPS for kind, _ in steps) > 1 or any(kind == _CLASS for kind, _ in steps):
        return None
    parts = [re.escape(str(arg)) if kind == _LITERAL else _REGEX_OF[kind] for kind, arg in steps]
    return re.compile("".join(parts), re.DOTALL)


def _closure(steps: tuple[_Step, ...], states: Iterable[int]) -> set[int]:
    """States reachable without consuming a character. A state is 2*i for "at step i" and
    2*i+1 for "inside the DIRS loop of step i" (mid-name, which cannot skip ahead)."""
    out: set[int] = set()
    todo = list(states)
    while todo:
        state = todo.pop()
        if state in out:
            continue
        out.add(state)
        index, inside = divmod(state, 2)
        if inside or index >= len(steps):
            continue
        kind = steps[index][0]
        if kind in (_STAR, _ANY, _DIRS):  # zero repetitions
            todo.append(2 * (index + 1))
    return out


def _simulate(steps: tuple[_Step, ...], subject: str, work: list[int] | None) -> bool:
    states = _closure(steps, [0])
    end = 2 * len(steps)
    for char in subject:
        following: list[int] = []
        for state in states:
            index = state // 2  # both halves of a DIRS step move alike
            if index >= len(steps):
                continue
            kind, arg = steps[index]
            if kind == _LITERAL:
                if char == arg:
                    following.append(2 * (index + 1))
            elif kind == _ONE:
                if char != "/":
                    following.append(2 * (index + 1))
            elif kind == _CLASS:
                if char != "/" and char in arg:  # type: ignore[operator]
                    following.append(2 * (index + 1))
            elif kind == _STAR:
                if char != "/":
                    following.append(state)
            elif kind == _ANY_ONE:
                following.append(2 * (index + 1))
            elif kind == _ANY:
                following.append(state)
            elif kind == _DIRS:  # one folder name and its slash, any number of times
                following.append(2 * (index + 1) if char == "/" else 2 * index + 1)
                if char == "/":
                    following.append(2 * index)
        if work is not None:
            work[0] += len(states)
        states = _closure(steps, following)
        if not states:
            return False
    return end in states


def compile_pattern(line: str, strict: bool = False) -> Pattern | None:
    """A `.gitignore` line as a Pattern; None for a blank line or a comment. Raises
    PatternError for a line git cannot use (see the module's docstring)."""
    line = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    if not line:
        raise PatternError("'!' alone negates nothing")
    folders_only = line.endswith("/") and not line.endswith("\\/")
    if folders_only:
        line = line.rstrip("/")
        if not line:
            raise PatternError("'/' alone matches nothing")
    anchored = "/" in line
    line = line.removeprefix("/")
    steps = _steps(line, strict)
    pieces = _literal_runs(steps)
    prefix = pieces[0] if steps and steps[0][0] == _LITERAL else ""
    suffix = pieces[-1] if steps and steps[-1][0] == _LITERAL else ""
    return Pattern(
        line, negated, folders_only, anchored, steps, _regex(steps), prefix, suffix, pieces
    )


def _literal_runs(steps: tuple[_Step, ...]) -> tuple[str, ...]:
    runs: list[str] = []
    current = ""
    for kind, arg in steps:
        if kind == _LITERAL:
            current += str(arg)
        elif current:
            runs.append(current)
            current = ""
    return (*runs, current) if current else tuple(runs)


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if stripped != line and stripped.endswith("\\"):
        # "a\ " keeps one escaped space (the backslash itself stays for _steps to unescape)
        backslashes = len(stripped) - len(stripped.rstrip("\\"))
        if backslashes % 2 == 1:
            return stripped + " "
    return stripped


def _steps(text: str, strict: bool) -> tuple[_Step, ...]:
    steps: list[_Step] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "*":
            j = i
            while j < n and text[j] == "*":
                j += 1
            double = j - i >= 2
            at_start = i == 0 or text[i - 1] == "/"
            if double and at_start and j < n and text[j] == "/":
                steps.append((_DIRS, None))  # `**/`: any folders, or none
                i = j + 1
            elif double and at_start and j == n and i > 0:
                steps.append((_ANY_ONE, None))  # `/**`: everything inside (one char at least)
                steps.append((_ANY, None))
                i = j
            elif double and i == 0 and j == n:
                steps.append((_ANY, None))  # `**` alone: everything
                i = j
            else:
                if not steps or steps[-1][0] != _STAR:  # a run of stars is one star
                    steps.append((_STAR, None))
                i = j
        elif char == "?":
            steps.append((_ONE, None))
            i += 1
        elif char == "[":
            cls, i = _bracket(text, i, strict)
            steps.append((_CLASS, cls))
        elif char == "\\":
            if i + 1 >= n:
                raise PatternError("it ends with an unescaped '\\'")
            steps.append((_LITERAL, text[i + 1]))
            i += 2
        else:
            steps.append((_LITERAL, char))
            i += 1
    return tuple(steps)


def _bracket(text: str, start: int, strict: bool) -> tuple[_CharClass, int]:
    """Parse `[...]` starting at `start`; returns the class and the index after `]`."""
    i, n = start + 1, len(text)
    negated = i < n and text[i] in "!^"
    if negated:
        i += 1
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    named: list[Callable[[str], bool]] = []
    first = True
    while True:
        if i >= n:
            raise PatternError(f"'[' at column {start + 1} is never closed")
        char = text[i]
        if char == "]" and not first:
            return _CharClass(negated, frozenset(chars), tuple(ranges), tuple(named)), i + 1
        first = False
        if char == "[" and text.startswith("[:", i):
            close = text.find(":]", i + 2)
            if close < 0:
                raise PatternError(f"'[' at column {start + 1} is never closed")
            name = text[i + 2 : close]
            if name not in _CLASSES:
                raise PatternError(f"unknown character class [:{name}:]")
            named.append(_CLASSES[name])
            i = close + 2
            continue
        if char == "\\":
            if i + 1 >= n:
                raise PatternError("it ends with an unescaped '\\'")
            i += 1
            char = text[i]
        if i + 2 < n and text[i + 1] == "-" and text[i + 2] != "]":
            high_at = i + 2
            if text[high_at] == "\\":
                if high_at + 1 >= n:
                    raise PatternError("it ends with an unescaped '\\'")
                high_at += 1
            high = text[high_at]
            if high < char and strict:
                raise PatternError(f"range {char}-{high} is reversed: write {high}-{char}")
            ranges.append((char, high))  # git: a reversed range matches nothing
            i = high_at + 1
            continue
        chars.add(char)
        i += 1


def escape(name: str) -> str:
    """A pattern that matches `name` literally (a path a user named, such as a baseline)."""
    escaped = "".join("\\" + c if c in "*?[]\\!# " else c for c in name)
    return escaped


def compile_lines(lines: Iterable[str]) -> tuple[Pattern, ...]:
    """The usable patterns of a `.gitignore`, in order; lines git cannot use are dropped as git
    drops them (they match nothing there either)."""
    patterns: list[Pattern] = []
    for line in lines:
        try:
            pattern = compile_pattern(line)
        except PatternError:
            continue
        if pattern is not None:
            patterns.append(pattern)
    return tuple(patterns)


def decision(patterns: Iterable[Pattern], path: str, is_dir: bool) -> bool | None:
    """True (ignored), False (re-included by `!`) or None (no pattern matches): the last
    matching pattern decides, as in git."""
    for pattern in reversed(tuple(patterns)):
        if pattern.matches(path, is_dir):
            return not pattern.negated
    return None


def covers(pattern: Pattern, path: str) -> bool:
    """`path` (relative, `/`-separated, a file) or a folder above it matches, as a `.gitignore`
    line that names a folder excludes everything in it."""
    parts = path.split("/")
    folders = ("/".join(parts[:end]) for end in range(1, len(parts)))
    return any(pattern.matches(f, is_dir=True) for f in folders) or pattern.matches(path, False)


def compile_glob(text: str) -> Pattern:
    """A path glob of the configuration (`kinds:`), read as a `.gitignore` line but strictly:
    raises PatternError, saying why, for one that cannot match a file (a line git cannot use, a
    blank or `#` line, a `!` pattern, a `.` or `..` segment: paths are taken below the config's
    folder)."""
    pattern = compile_pattern(text, strict=True)
    if pattern is None:
        raise PatternError("a blank or '#' pattern matches nothing")
    if pattern.negated:
        raise PatternError("'!' re-includes in .gitignore, but here there is nothing to re-include")
    if any(part in {".", ".."} for part in pattern.text.split("/")):
        raise PatternError("paths are matched below the config's folder: no '.' or '..' part")
    return pattern


@functools.lru_cache(maxsize=512)
def _glob(text: str) -> Pattern:
    return compile_glob(text)


def glob_matches(text: str, path: str) -> bool:
    """Whether the config glob `text` covers the file `path` (relative to the config's folder):
    gitignore semantics, as for `exclude` and `per-file-ignores`."""
    return covers(_glob(text), path)
