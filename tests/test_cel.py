from __future__ import annotations

import pytest

from faqlint.cel import FUNCTIONS, CelError, Context, Program, inline_get


def run(expression: str, **variables: object) -> object:
    return Program(expression).run(Context(dict(variables)))


# `get_called` is `get` under a name the inliner does not know: the Python function itself.
FUNCTIONS.setdefault("get_called", FUNCTIONS["get"])


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [("3.9.0", "3.10.1", -1), ("3.10.1", "3.10.1", 0), ("3.1", "3.1.0", 0), ("4.0", "3.99.99", 1)],
)
def test_version_compare_is_numeric(left: str, right: str, expected: int) -> None:
    assert run(f"versionCompare('{left}', '{right}')") == expected


def test_version_compare_refuses_what_is_not_a_version() -> None:
    assert run("isVersion('Minimum Required App Version value')") is False
    with pytest.raises(CelError):
        run("versionCompare('latest', '3.0')")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:10:00", 600),
        ("01:00:00", 3600),
        ("23:59:59", 86399),
        ("1.00:00:00", 86400),
        ("02:00:00.5000000", 7200),
    ],
)
def test_timespans(text: str, seconds: int) -> None:
    assert run(f"timespanSeconds('{text}')") == seconds


@pytest.mark.parametrize("text", ["90m", "-00:10:00", "PT1H", "01:60:00", ""])
def test_not_timespans(text: str) -> None:
    assert run(f"isTimespan('{text}')") is False


def test_json_in_strings() -> None:
    definition = '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":null}}'
    assert run("jsonValue(d).TokenLifetimePolicy", d=definition) == {"Version": 1}
    assert run("jsonValue(d)", d="{not json") is None
    assert run("jsonValue(d).a", d={"a": 1}) == 1
    assert run("isJson(d)", d="[1]") is True


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("Outlook-iOS/*", "Outlook-iOS/2.0", True),
        ("outlook-*", "Outlook-Android/2.0", True),
        ("Outlook*", "MacOutlook/16", False),
        ("*", "anything", True),
        ("Outlook-iOS/2.0", "Outlook-iOS/2.0", True),
        ("Out.ook*", "Outlook", False),
    ],
)
def test_wildcards(pattern: str, text: str, matches: bool) -> None:
    assert run("wildcardMatch(p, t)", p=pattern, t=text) is matches


def test_case_insensitive_helpers() -> None:
    assert run("equalsIgnoreCase('com.microsoft.Office.Outlook', 'COM.MICROSOFT.OFFICE.OUTLOOK')")
    assert run("inIgnoreCase('Outlook', ['x', 'OUTLOOK'])")
    assert run("lower('ABC')") == "abc"


def test_matching_ignore_case_looks_a_table_up() -> None:
    rows = [
        {"skuPartNumber": "SPE_E3", "skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965"},
        {"skuPartNumber": "M365_G3_GOV"},
        "not a row",
    ]
    keys = ["skuPartNumber", "skuId"]
    assert run("matchingIgnoreCase(rows, keys, ['spe_e3'])", rows=rows, keys=keys) == rows[:1]
    by_id = run(
        "matchingIgnoreCase(rows, keys, ['05E9A617-0261-4CEE-BB44-138D3EF5D965'])",
        rows=rows,
        keys=keys,
    )
    assert by_id == rows[:1]
    # nested lists of values count; empty strings never pair two rows that both lack a key
    assert run("matchingIgnoreCase(rows, keys, [['x', 'm365_g3_gov']])", rows=rows, keys=keys) == [
        rows[1]
    ]
    assert run("matchingIgnoreCase(rows, keys, [''])", rows=rows, keys=keys) == []
    with pytest.raises(CelError):
        run("matchingIgnoreCase('SPE_E3', keys, ['x'])", keys=keys)


def test_get_reads_nested_keys_with_a_default() -> None:
    spec = {"hybrid": {"enabled": True}, "list": [{"a": 1}]}
    assert run("spec.get('hybrid.enabled', false)", spec=spec) is True
    assert run("spec.get('hybrid.topology', 'Classic')", spec=spec) == "Classic"
    assert run("spec.get('list.0.a', 0)", spec=spec) == 1


def test_is_true_reads_graph_strings() -> None:
    assert run("isTrue('True') && isTrue(true) && !isTrue('false') && !isTrue(1)")


def test_compile_errors_and_runtime_errors_are_cel_errors() -> None:
    with pytest.raises(CelError):
        Program("spec.(")
    with pytest.raises(CelError):
        run("spec.missing", spec={})
    with pytest.raises(CelError):
        run("undefinedFunction(1)")


@pytest.mark.parametrize(
    ("expression", "spec", "expected"),
    [
        ("spec.get('hybrid.enabled', false)", {"hybrid": {"enabled": True}}, True),
        ("spec.get('hybrid.enabled', false)", {"hybrid": {}}, False),
        ("spec.get('hybrid.enabled', false)", {"hybrid": "not a map"}, False),
        ("spec.get('hybrid.enabled', false)", {"hybrid": {"enabled": None}}, False),
        ("get(spec, 'list', ['x'])", {"list": []}, []),
        ("get(spec, 'a', spec.get('b', 7))", {"b": 3}, 3),
        ("spec.get('a' + 'b', 1)", {"ab": 2}, 2),  # a computed path: the Python function
        ("\"spec.get('a', 1)\"", {}, "spec.get('a', 1)"),  # inside a string: untouched
    ],
)
def test_get_with_a_literal_path_means_the_same_compiled_or_called(
    expression: str, spec: dict[str, object], expected: object
) -> None:
    assert run(expression, spec=spec) == expected
    if not expression.startswith('"'):
        assert run(expression.replace("get(", "get_called("), spec=spec) == expected


def test_inline_get_leaves_what_it_cannot_prove_alone() -> None:
    assert inline_get("get(jsonValue(item), 'a.b', 1)") == "get(jsonValue(item), 'a.b', 1)"
    assert inline_get("spec.get('in', 1)") == "spec.get('in', 1)"  # a reserved word
    assert "has(spec.a)" in inline_get("spec.get('a', 1)")
