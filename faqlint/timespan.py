"""A .NET TimeSpan, read exactly as `TimeSpan.Parse` reads it (how Microsoft Entra ID reads a
token lifetime policy's `AccessTokenLifetime`). The CEL functions `timespanSeconds`,
`timespanText`, `timespanReading`, ... in `cel.py` are built on `parse_timespan`.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from typing import Any

# --- .NET TimeSpan, read as TimeSpan.Parse reads it -------------------------------------------
#
# Microsoft Entra ID reads AccessTokenLifetime with .NET's TimeSpan.Parse, whose rules are
# stricter and odder than the documented `[ws][-]{ d | [d.]hh:mm[:ss[.ff]] }[ws]` suggests. The
# input is cut into numbers (ASCII digits) and the separators between them; the count of numbers
# picks the candidate forms, tried in .NET's order: the invariant forms (days before `.`), then the
# forms of the culture's full pattern `d':'h':'mm':'ss'.'FFFFFFF` (days before `:`), each signless
# then with a leading `-`. A form whose separators match but whose numbers are out of range (hours
# 0-23, minutes and seconds 0-59, days up to 10675199, at most seven fraction digits without
# leading zeros) is skipped, so "24:00:00" fails as hh:mm:ss and is read as d:hh:mm: 24 days.
#   1 number:  d
#   2 numbers: h:m
#   3 numbers: h:m:s | d.h:m | h:m:.f                  (and d:h:m)
#   4 numbers: h:m:s.f | d.h:m:s | d.h:m:.f            (and d:h:m:s, d:h:m:.f)
#   5 numbers: d.h:m:s.f                               (and d:h:m:s.f)

_TICKS_PER_SECOND = 10_000_000
_TICKS_PER_DAY = 86_400 * _TICKS_PER_SECOND
_MAX_DAYS = 10_675_199
_MAX_FRACTION = 9_999_999
_LONG_MAX = 2**63 - 1
_MAX_MILLISECONDS = _LONG_MAX // 10_000
_MAX_TOKEN = 0xFFFFFFF  # the tokenizer's own limit for one number


@dataclass(frozen=True, slots=True)
class _Number:
    value: int
    zeroes: int  # leading zeros, which matter only for a fraction


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A parsed TimeSpan: its ticks (100 ns) and the form .NET matched (`d:h:m`, `h:m:s`...)."""

    ticks: int
    form: str

    @property
    def seconds(self) -> int | float:
        whole, rest = divmod(abs(self.ticks), _TICKS_PER_SECOND)
        value = whole if rest == 0 else abs(self.ticks) / _TICKS_PER_SECOND
        return -value if self.ticks < 0 else value

    @property
    def text(self) -> str:
        """.NET's constant ("c") format: `[-][d.]hh:mm:ss[.fffffff]`."""
        sign = "-" if self.ticks < 0 else ""
        days, rest = divmod(abs(self.ticks), _TICKS_PER_DAY)
        seconds, fraction = divmod(rest, _TICKS_PER_SECOND)
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        text = f"{sign}{f'{days}.' if days else ''}{hours:02}:{minutes:02}:{seconds:02}"
        return text + (f".{fraction:07}" if fraction else "")

    @property
    def words(self) -> str:
        """`24 days`, `1 hour 30 minutes`, `0.5 seconds`."""
        days, rest = divmod(abs(self.ticks), _TICKS_PER_DAY)
        seconds, fraction = divmod(rest, _TICKS_PER_SECOND)
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        second_text = str(seconds) if not fraction else f"{seconds}.{fraction:07}".rstrip("0")
        parts = [
            f"{value} {unit}{'' if value == 1 else 's'}"
            for value, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
            if value
        ]
        if seconds or fraction:
            parts.append(f"{second_text} second{'' if second_text == '1' else 's'}")
        text = " ".join(parts) or "0 seconds"
        return f"minus {text}" if self.ticks < 0 else text

    @property
    def surprising(self) -> bool:
        """True where .NET reads days an admin would not see: a bare number, or days before `:`."""
        return self.form == "d" or self.form.startswith("d:")


class TimeSpanError(ValueError):
    """Not a TimeSpan; `overflow` when a form matched but a number was out of range."""

    def __init__(self, text: str, reason: str, overflow: bool) -> None:
        super().__init__(f"not a .NET TimeSpan: {text!r}: {reason}")
        self.reason = reason
        self.overflow = overflow


def _is_dotnet_space(char: str) -> bool:
    """char.IsWhiteSpace: the Unicode separators and U+0009-U+000D, U+0085, U+00A0."""
    return char in "\t\n\v\f\r\x85\xa0" or unicodedata.category(char) in {"Zs", "Zl", "Zp"}


def _tokens(text: str) -> tuple[list[str], list[_Number]] | None:
    """Separators and numbers, alternating and starting and ending with a separator (empty where
    the text starts or ends with a digit); None where .NET gives up while reading."""
    separators: list[str] = []
    numbers: list[_Number] = []
    i = 0
    if text and text[0] in "0123456789":
        separators.append("")
    while i < len(text):
        j = i
        if text[i] in "0123456789":
            while j < len(text) and text[j] in "0123456789":
                j += 1
            digits = text[i:j]
            stripped = digits.lstrip("0")
            zeroes = len(digits) - len(stripped)
            if stripped and int(stripped) > _MAX_TOKEN:
                raise TimeSpanError(text, "a number is too large", overflow=True)
            numbers.append(_Number(int(stripped or "0"), zeroes))
        else:
            while j < len(text) and text[j] not in "0123456789":
                j += 1
            separators.append(text[i:j])
        i = j
        if len(numbers) > 5 or len(separators) > 6:
            return None
    if text and text[-1] in "0123456789":
        separators.append("")
    if len(separators) > 6:
        return None
    return separators, numbers


def _fraction_ticks(number: _Number) -> int | None:
    """TimeSpanToken.NormalizeAndValidateFraction: the fraction in ticks (seven digits)."""
    if number.value == 0:
        return 0
    if number.zeroes == 0 and number.value > _MAX_FRACTION:
        return None
    digits = len(str(number.value)) + number.zeroes
    if digits <= 7:
        up: int = 10 ** (7 - digits)
        return number.value * up
    # more than seven digits after leading zeros: rounded half away from zero to seven, in
    # double precision as Math.Round does
    down: int = 10 ** (digits - 7)
    scaled = number.value / down
    whole = math.floor(scaled)
    return whole + 1 if scaled - whole >= 0.5 else whole


def _wrap(value: int) -> int:
    value &= 2**64 - 1
    return value - 2**64 if value >= 2**63 else value


def _ticks(negative: bool, d: int, h: int, m: int, s: int, f: _Number | None) -> int | None:
    """TryTimeToTicks, with C#'s 64-bit arithmetic; None where .NET reports an overflow."""
    fraction = 0 if f is None else _fraction_ticks(f)
    if d > _MAX_DAYS or h > 23 or m > 59 or s > 59 or fraction is None:
        return None
    milliseconds = (d * 86_400 + h * 3_600 + m * 60 + s) * 1_000
    if milliseconds > _MAX_MILLISECONDS:
        return None
    ticks = _wrap(milliseconds * 10_000 + fraction)
    if not negative:
        return None if ticks < 0 else ticks
    ticks = _wrap(-ticks)
    return None if ticks > 0 else ticks


# Per count of numbers, the forms in .NET's order: (name, separators between the numbers, and
# which number is days, hours, minutes, seconds, fraction). `D` stands for the day separator:
# `.` in the invariant forms, `:` in the culture's.
_FORMS: dict[int, tuple[tuple[str, tuple[str, ...], tuple[int | None, ...]], ...]] = {
    1: (("d", (), (0, None, None, None, None)),),
    2: (("h:m", (":",), (None, 0, 1, None, None)),),
    3: (
        ("h:m:s", (":", ":"), (None, 0, 1, 2, None)),
        ("dDh:m", ("D", ":"), (0, 1, 2, None, None)),
        ("h:m:.f", (":", ":."), (None, 0, 1, None, 2)),
    ),
    4: (
        ("h:m:s.f", (":", ":", "."), (None, 0, 1, 2, 3)),
        ("dDh:m:s", ("D", ":", ":"), (0, 1, 2, 3, None)),
        ("dDh:m:.f", ("D", ":", ":."), (0, 1, 2, None, 3)),
    ),
    5: (("dDh:m:s.f", ("D", ":", ":", "."), (0, 1, 2, 3, 4)),),
}


def parse_timespan(value: Any) -> TimeSpan:
    """`TimeSpan.Parse(value)` for a culture whose decimal separator is `.`; raises
    TimeSpanError (a ValueError) where .NET throws a FormatException or OverflowException."""
    if not isinstance(value, str):
        raise TimeSpanError(str(value), "not a string", overflow=False)
    # Rules read the same few lifetimes again and again: a short text is parsed once.
    parsed = _parse(value) if len(value) > _REMEMBERED_TEXT else _remembered_parse(value)
    if isinstance(parsed, TimeSpan):
        return parsed
    reason, overflow = parsed
    raise TimeSpanError(value, reason, overflow)


_REMEMBERED_TEXT = 64  # characters


def _parse(value: str) -> TimeSpan | tuple[str, bool]:
    """The TimeSpan, or why not and whether for an overflow."""
    start, end = 0, len(value)
    while start < end and _is_dotnet_space(value[start]):
        start += 1
    while end > start and _is_dotnet_space(value[end - 1]):
        end -= 1
    text = value[start:end]
    tokens = _tokens(text) if text else None
    if tokens is None or not tokens[1]:
        return "not in the form [d.]hh:mm[:ss[.fffffff]]", False
    separators, numbers = tokens
    problems: list[str] = []  # for each form that matched but did not fit: why
    for day_separator in (".", ":"):  # invariant, then the culture's pattern
        for sign in ("", "-"):
            for name, between, slots in _FORMS[len(numbers)]:
                wanted = [sign, *(day_separator if s == "D" else s for s in between), ""]
                if separators != wanted:
                    continue
                parts = [None if k is None else numbers[k] for k in slots]
                d, h, m, s = (0 if p is None else p.value for p in parts[:4])
                ticks = _ticks(sign == "-", d, h, m, s, parts[4])
                form = name.replace("D", day_separator)
                if ticks is not None:
                    return TimeSpan(ticks, form)
                problems.append(f"as {_pretty(form)}, {_out_of_range(d, h, m, s, parts[4])}")
                if len(numbers) in (1, 2, 5):  # .NET stops at the first form that matches
                    break
            if problems and len(numbers) in (1, 2, 5):
                break
        if problems and len(numbers) in (1, 2, 5):
            break
    if problems:
        return "; ".join(dict.fromkeys(problems)), True
    return "not in the form [d.]hh:mm[:ss[.fffffff]]", False


_remembered_parse = functools.lru_cache(maxsize=1024)(_parse)


def _pretty(form: str) -> str:
    names = {"d": "d", "h": "hh", "m": "mm", "s": "ss", "f": "fffffff"}
    return "".join(names.get(c, c) for c in form)


def _out_of_range(d: int, h: int, m: int, s: int, f: _Number | None) -> str:
    if d > _MAX_DAYS:
        return f"{d} days is more than {_MAX_DAYS}"
    if h > 23:
        return f"{h} is not an hour (0-23)"
    if m > 59:
        return f"{m} is not a minute (0-59)"
    if s > 59:
        return f"{s} is not a second (0-59)"
    if f is not None and _fraction_ticks(f) is None:
        return "the fraction has more than seven digits"
    return "the total is beyond what a TimeSpan holds"
