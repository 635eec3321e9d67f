"""Every built-in rule's examples are tests: failing examples fail, passing examples pass."""

from __future__ import annotations

import pytest

from faqlint.run import Catalogue, load_catalogue
from faqlint.selftest import check_examples

_RULES = load_catalogue().policies.rules


@pytest.mark.parametrize("rule", _RULES, ids=[r.code for r in _RULES])
def test_rule_examples(rule, catalogue: Catalogue) -> None:
    failures = [
        f"{o.verdict} example {o.number}: {o.problem}"
        for o in check_examples(catalogue.policies.by_code()[rule.code], catalogue)
        if o.problem
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("rule", _RULES, ids=[r.code for r in _RULES])
def test_rule_has_enough_examples(rule) -> None:
    assert len(rule.rule.examples.fail) >= 2, "at least two failing examples (different triggers)"
    assert len(rule.rule.examples.pass_) >= 1
