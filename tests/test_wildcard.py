"""`wildcardMatch` is linear whatever the pattern, and means what the regular expression meant."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from faqlint.cel import wildcard_match


def _reference(pattern: str, text: str) -> bool:
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, text, flags=re.IGNORECASE | re.DOTALL) is not None


@given(st.text("aAb*\n", max_size=12), st.text("aAb\n", max_size=16))
def test_same_answers_as_a_regular_expression(pattern: str, text: str) -> None:
    assert wildcard_match(pattern, text) is _reference(pattern, text)


def test_exchange_examples() -> None:
    assert wildcard_match("Outlook-iOS/*", "Outlook-iOS/2.0")
    assert wildcard_match("outlook-*", "Outlook-Android/2.0")
    assert wildcard_match("*", "")
    assert wildcard_match("**", "anything")
    assert not wildcard_match("Outlook-iOS/*", "Outlook-Android/2.0")
    assert not wildcard_match("a*a", "a")  # the two ends may not overlap
    assert not wildcard_match(None, "x") and not wildcard_match("x", 1)


def test_a_pattern_that_makes_a_regular_expression_backtrack_is_answered_at_once() -> None:
    # As a regular expression, `(a.*){40}b` against 20,000 a's takes longer than a run may.
    assert not wildcard_match("a*" * 40 + "b", "a" * 20_000)
    assert wildcard_match("*a" * 40 + "*", "a" * 20_000)
    assert not wildcard_match("*" * 10_000 + "b", "a" * 100_000)
