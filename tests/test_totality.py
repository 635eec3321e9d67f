"""Built-in rules are total: on schema-valid input no built-in rule fails to evaluate (FL009).

A custom rule may trip over input its author did not foresee, and FL009 says so; for a built-in
rule that would be a bug. Hypothesis draws documents valid against each kind's whole schema,
alone and mixed into tenants (rules that join kinds read `tenant`), and every built-in rule runs
on them. Graph keeps some JSON documents inside strings (a token lifetime policy's
`definition`); any string is schema-valid there, so those strings are also drawn as JSON text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from kind_strategies import documents

from faqlint.codes import EVALUATION_ERROR
from faqlint.engine import evaluate
from faqlint.identify import identify
from faqlint.loaded import Document, LoadedFile
from faqlint.policy import CompiledRule, load_policies
from faqlint.run import load_catalogue
from faqlint.tenants import group

pytestmark = pytest.mark.slow

_CATALOGUE = load_catalogue()
BUILTIN = tuple(r for r in _CATALOGUE.policies.rules if r.builtin)
KINDS = sorted(_CATALOGUE.kinds)
_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@functools.cache
def _kind_documents(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    return documents(_CATALOGUE.schemas[kind].schema)


def evaluation_errors(
    docs: Sequence[dict[str, Any]], rules: Iterable[CompiledRule] = BUILTIN
) -> list[str]:
    """FL009 messages of `rules` on these documents, read as one file of a tenant folder."""
    for doc in docs:
        strict = _CATALOGUE.schemas[doc["kind"]].strict
        assert strict.is_valid(doc), f"the generator drew a schema-invalid {doc['kind']}: {doc}"
    loaded = LoadedFile(
        "tenant/resources.yaml", tuple(Document(i, d) for i, d in enumerate(docs, 1)), (), False
    )
    identified = identify(loaded, _CATALOGUE.kinds)
    assert not identified.findings, identified.findings
    tenants, _ = group(identified.resources)
    return [
        finding.message
        for tenant in tenants
        for finding in evaluate(tenant, _CATALOGUE.policies, _CATALOGUE.kinds, rules)
        if finding.code == EVALUATION_ERROR
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_builtin_rules_evaluate_on_every_valid_resource(kind: str) -> None:
    @_SETTINGS
    @given(_kind_documents(kind))
    def check(document: dict[str, Any]) -> None:
        assert evaluation_errors([document]) == []

    check()


def _same_tenant(document: dict[str, Any]) -> dict[str, Any]:
    """Without metadata.tenant, every resource of the file joins the folder's tenant (that of
    the first Tenant resource, else the default one), so rules that join kinds meet."""
    metadata = {k: v for k, v in document["metadata"].items() if k != "tenant"}
    return {**document, "metadata": metadata}


@_SETTINGS
@given(
    st.lists(
        st.sampled_from(KINDS).flatmap(_kind_documents).map(_same_tenant), min_size=2, max_size=6
    )
)
def test_builtin_rules_evaluate_on_whole_tenants(docs: list[dict[str, Any]]) -> None:
    assert evaluation_errors(docs) == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_TOKEN_KEYS = st.sampled_from(
    [
        "Version",
        "AccessTokenLifetime",
        "MaxInactiveTime",
        "MaxAgeSingleFactor",
        "MaxAgeMultiFactor",
        "MaxAgeSessionSingleFactor",
        "MaxAgeSessionMultiFactor",
    ]
)
_TIMESPANS = st.from_regex(r"\A([0-9]{1,2}\.)?[0-9]{1,2}:[0-9]{2}:[0-9]{2}\Z")
# JSON text: anything at all, or a TokenLifetimePolicy object whose values have any JSON type.
_DEFINITION_TEXT = st.one_of(
    _JSON.map(json.dumps),
    st.fixed_dictionaries(
        {
            "TokenLifetimePolicy": st.one_of(
                _JSON,
                st.dictionaries(_TOKEN_KEYS, _JSON | _TIMESPANS | st.integers(0, 3), max_size=4),
            )
        }
    ).map(json.dumps),
)


@_SETTINGS
@given(st.lists(_DEFINITION_TEXT, min_size=1, max_size=3))
def test_builtin_rules_evaluate_on_json_text_definitions(definition: list[str]) -> None:
    document = {
        "apiVersion": "faqlint/v1",
        "kind": "TokenLifetimePolicy",
        "metadata": {"name": "drawn"},
        "spec": {"displayName": "Drawn", "definition": definition},
    }
    assert evaluation_errors([document]) == []


_FRAGILE_RULE = """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {name: fragile}
rules:
  - code: XX001
    name: assumes-a-second-definition
    severity: error
    summary: Reads a second definition entry without checking that there is one.
    faq: none
    rationale: none
    fix: none
    given: {kinds: [TokenLifetimePolicy]}
    validations:
      - assert: spec.definition[1] != ''
        message: never shown
    examples:
      fail: [{resources: [{kind: TokenLifetimePolicy}]}]
      pass: [{resources: [{kind: TokenLifetimePolicy}]}]
"""


def test_the_search_finds_a_rule_that_is_not_total(tmp_path: Path) -> None:
    """The harness above can fail: a rule that indexes past the end is caught on a drawn policy."""
    (tmp_path / "fragile.yaml").write_text(_FRAGILE_RULE, encoding="utf-8")
    fragile = load_policies([tmp_path], builtin_count=0).rules
    found = find(
        _kind_documents("TokenLifetimePolicy"),
        lambda document: bool(evaluation_errors([document], fragile)),
        settings=settings(database=None, max_examples=200, deadline=None),
    )
    assert len(found["spec"]["definition"]) == 1
