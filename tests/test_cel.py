from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from faqlint.cel import (
    FUNCTIONS,
    CelError,
    Context,
    Program,
    called_get,
    index_selects,
    inline_get,
)
from faqlint.timespan import TimeSpanError, parse_timespan


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


# .NET's TimeSpan.Parse, case by case: (text, how .NET writes what it read, the form it matched).
# The forms and their order are those of TimeSpanParse.ProcessTerminalState: the invariant forms
# (days before "."), then the culture's full pattern d':'h':'mm':'ss'.'FFFFFFF (days before ":").
PARSED = [
    # one number: days
    ("1", "1.00:00:00", "d"),
    ("0", "00:00:00", "d"),
    ("30", "30.00:00:00", "d"),
    ("-1", "-1.00:00:00", "d"),
    ("10675199", "10675199.00:00:00", "d"),
    # two numbers: hours and minutes
    ("1:30", "01:30:00", "h:m"),
    ("23:59", "23:59:00", "h:m"),
    ("0001:00", "01:00:00", "h:m"),
    ("-0:10", "-00:10:00", "h:m"),
    # three numbers: h:m:s, then d.h:m, then h:m:.f, then d:h:m
    ("00:10:00", "00:10:00", "h:m:s"),
    ("01:00:00", "01:00:00", "h:m:s"),
    ("23:59:59", "23:59:59", "h:m:s"),
    ("1:24:00", "01:24:00", "h:m:s"),
    ("1.12:00", "1.12:00:00", "d.h:m"),
    ("00:10:.5", "00:10:00.5000000", "h:m:.f"),
    ("24:00:00", "24.00:00:00", "d:h:m"),
    ("25:00:00", "25.00:00:00", "d:h:m"),
    ("-24:00:00", "-24.00:00:00", "d:h:m"),
    # four numbers: h:m:s.f, then d.h:m:s, then d.h:m:.f, then d:h:m:s
    ("02:00:00.5000000", "02:00:00.5000000", "h:m:s.f"),
    ("00:59:59.9999999", "00:59:59.9999999", "h:m:s.f"),
    ("00:10:00.1", "00:10:00.1000000", "h:m:s.f"),
    ("1.00:00:00", "1.00:00:00", "d.h:m:s"),
    ("0.01:00:00", "01:00:00", "d.h:m:s"),
    ("1.00:00:.5", "1.00:00:00.5000000", "d.h:m:.f"),
    ("6:12:14:45", "6.12:14:45", "d:h:m:s"),
    ("1:00:00:00", "1.00:00:00", "d:h:m:s"),
    ("80:00:30:00", "80.00:30:00", "d:h:m:s"),  # Entra's documentation: 80 days and 30 minutes
    # five numbers
    ("1.02:03:04.5", "1.02:03:04.5000000", "d.h:m:s.f"),
    ("6:12:14:45.3448", "6.12:14:45.3448000", "d:h:m:s.f"),
    ("10675199.02:48:05.4775807", "10675199.02:48:05.4775807", "d.h:m:s.f"),
    ("-10675199.02:48:05.4775808", "-10675199.02:48:05.4775808", "d.h:m:s.f"),
    # fractions: more than seven digits only after leading zeros, rounded half away from zero
    ("0:0:0.012345678", "00:00:00.0123457", "h:m:s.f"),
    ("0:0:0.00000005", "00:00:00.0000001", "h:m:s.f"),
    ("0:0:0.00000004", "00:00:00", "h:m:s.f"),
    # white space around is ignored (char.IsWhiteSpace, including no-break and ideographic spaces)
    (" 01:00:00 ", "01:00:00", "h:m:s"),
    ("\t01:00:00\n", "01:00:00", "h:m:s"),
    ("\u00a001:00:00\u3000", "01:00:00", "h:m:s"),
]


@pytest.mark.parametrize(("text", "canonical", "form"), PARSED, ids=[p[0] for p in PARSED])
def test_timespans_as_dotnet_reads_them(text: str, canonical: str, form: str) -> None:
    span = parse_timespan(text)
    assert (span.text, span.form) == (canonical, form)
    assert run("isTimespan(t)", t=text) is True
    assert run("timespanText(t)", t=text) == canonical


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:10:00", 600),
        ("01:00:00", 3600),
        ("23:59:59", 86399),
        ("1.00:00:00", 86400),
        ("1", 86400),
        ("24:00:00", 24 * 86400),
        ("1:30", 5400),
        ("02:00:00.5000000", 7200.5),
        ("00:09:59.9999999", 599.9999999),
        ("-00:10:00", -600),
    ],
)
def test_timespan_seconds(text: str, seconds: float) -> None:
    assert run("timespanSeconds(t)", t=text) == seconds


NOT_TIMESPANS = [
    # not the form at all
    ("90m", False),
    ("PT1H", False),
    ("", False),
    ("   ", False),
    ("1.5", False),
    ("+01:00:00", False),
    ("- 01:00:00", False),
    ("01:00:00Z", False),
    ("1:2:3:4:5", False),
    ("1:2:3:4:5:6", False),
    ("1.2.3", False),
    ("01 :00", False),
    ("01:00:", False),
    ("\u0661:00", False),  # an Arabic-Indic digit is not a digit to .NET
    # the form, but a part out of range (OverflowException)
    ("01:60:00", True),
    ("00:00:60", True),
    ("24:00", True),
    ("24:30:00", True),
    ("1.24:00", True),
    ("1.24:00:00", True),
    ("24:00:00.0", True),
    ("6:34:14:45", True),
    ("0:0:0.12345678", True),
    ("10675200", True),
    ("10675199.02:48:05.4775808", True),
    ("99999999999", True),
]


@pytest.mark.parametrize(("text", "overflow"), NOT_TIMESPANS, ids=[t for t, _ in NOT_TIMESPANS])
def test_not_timespans(text: str, overflow: bool) -> None:
    assert run("isTimespan(t)", t=text) is False
    assert run("timespanProblem(t)", t=text) != ""
    with pytest.raises(TimeSpanError) as caught:
        parse_timespan(text)
    assert caught.value.overflow is overflow
    with pytest.raises(CelError):
        run("timespanSeconds(t)", t=text)


@pytest.mark.parametrize("value", [3600, 1.5, True, None, ["01:00:00"]])
def test_only_strings_are_timespans(value: object) -> None:
    assert run("isTimespan(t)", t=value) is False
    assert run("timespanProblem(t)", t=value) == "not a string"


def test_the_problem_names_the_part_out_of_range() -> None:
    assert run("timespanProblem('24:30:00')") == (
        "as hh:mm:ss, 24 is not an hour (0-23); as d:hh:mm, 30 is not an hour (0-23)"
    )
    assert run("timespanProblem('00:60:00')").startswith("as hh:mm:ss, 60 is not a minute")
    assert run("timespanProblem('01:00:00')") == ""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1.00:00:00", "1 day"),
        ("24:00:00", "24 days"),
        ("01:30:00", "1 hour 30 minutes"),
        ("00:10:00", "10 minutes"),
        ("00:00:01", "1 second"),
        ("00:00:00.5", "0.5 seconds"),
        ("0", "0 seconds"),
        ("-01:00:00", "minus 1 hour"),
    ],
)
def test_timespan_words(text: str, words: str) -> None:
    assert run("timespanWords(t)", t=text) == words


def test_reading_is_said_only_where_it_is_not_what_it_looks_like() -> None:
    assert run("timespanReading('24:00:00')") == (
        '"24:00:00" is read by .NET as 24 days (24.00:00:00), not 24 hours: '
        "a first part above 23 counts days"
    )
    assert run("timespanReading('1')") == (
        '"1" is read by .NET as 1 day (1.00:00:00): a number alone counts days'
    )
    assert "first counts days" in run("timespanReading('6:12:14:45')")
    for plain in ("01:00:00", "1.00:00:00", "1:30", "00:10:00.5", "not a timespan"):
        assert run("timespanReading(t)", t=plain) == ""


def test_json_in_strings() -> None:
    definition = '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":null}}'
    assert run("jsonValue(d).TokenLifetimePolicy", d=definition) == {"Version": 1}
    assert run("jsonValue(d)", d="{not json") is None
    assert run("jsonValue(d).a", d={"a": 1}) == 1
    assert run("isJson(d)", d="[1]") is True


def test_json_with_sets_one_member_and_keeps_the_order() -> None:
    definition = (
        '{"TokenLifetimePolicy": {"Version": 1, "AccessTokenLifetime": "00:05:00", "x": "é"}}'
    )
    path = "TokenLifetimePolicy.AccessTokenLifetime"
    assert run("jsonWith(d, p, '01:00:00')", d=definition, p=path) == (
        '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"01:00:00","x":"é"}}'
    )
    assert run("jsonWith(d, 'a.b', 2)", d='{"a":{"c":1}}') == '{"a":{"c":1,"b":2}}'
    for bad in ("{not json", '{"a":[1]}', '{"a":1}'):
        with pytest.raises(Exception, match=r"jsonWith|JSON|object"):
            run("jsonWith(d, 'a.b', 2)", d=bad)


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


ROWS = [
    {"skuPartNumber": "SPE_E3", "skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965"},
    {"skuPartNumber": "M365_G3_GOV"},
    "not a row",
    {"skuPartNumber": "spe_e3", "skuId": ""},  # the same name in other case: both rows match
    {"skuPartNumber": 3},
]


def test_lookup_ignore_case_looks_a_data_table_up_by_its_path() -> None:
    data = {"licensing": {"skus": ROWS}}
    keys = ["skuPartNumber", "skuId"]
    assert run("lookupIgnoreCase('licensing.skus', keys, ['Spe_E3'])", data=data, keys=keys) == [
        ROWS[0],
        ROWS[3],
    ]
    by_id = "lookupIgnoreCase('licensing.skus', keys, ['05E9A617-0261-4CEE-BB44-138D3EF5D965'])"
    assert run(by_id, data=data, keys=keys) == [ROWS[0]]
    assert run("lookupIgnoreCase('licensing.skus', keys, [''])", data=data, keys=keys) == []
    for wrong in ("'licensing.nothing'", "'licensing'", "'licensing.skus.more'", "3"):
        with pytest.raises(CelError):
            run(f"lookupIgnoreCase({wrong}, keys, ['x'])", data=data, keys=keys)


@given(
    names=st.lists(st.sampled_from(["SPE_E3", "spe_e3", "M365_G3_GOV", "", "x", 3]), max_size=4),
    nested=st.booleans(),
    keys=st.sampled_from([["skuPartNumber"], ["skuId"], ["skuPartNumber", "skuId"], []]),
)
@settings(max_examples=60, deadline=None)
def test_lookup_ignore_case_finds_what_matching_ignore_case_finds(
    names: list[object], nested: bool, keys: list[str]
) -> None:
    values = [names] if nested else names
    data = {"t": {"rows": ROWS}}
    looked_up = run("lookupIgnoreCase('t.rows', keys, values)", data=data, keys=keys, values=values)
    matched = run("matchingIgnoreCase(rows, keys, values)", rows=ROWS, keys=keys, values=values)
    assert looked_up == matched


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
        # a member as receiver, bound once: as it is, not a map, null, with a get as default
        (
            "[{'s': spec}].map(p, get(p.s, 'hybrid.enabled', false))[0]",
            {"hybrid": {"enabled": True}},
            True,
        ),
        ("[{'s': spec}].map(p, get(p.s, 'hybrid.enabled', false))[0]", {"hybrid": "x"}, False),
        ("[{'s': null}].map(p, get(p.s, 'hybrid', 5))[0]", {}, 5),
        ("[{'s': spec}].map(p, p.s.get('a', p.s.get('b', 7)))[0]", {"b": 3}, 3),
        # a computed receiver, bound once: a map, a value that is not one, with a get as default
        ("get([spec][0], 'hybrid.enabled', false)", {"hybrid": {"enabled": True}}, True),
        ("get({'a': spec}, 'a.hybrid', 5)", {"hybrid": None}, 5),
        ("get(size(spec), 'a', 7)", {}, 7),
        ("get([spec][0], 'a', get({'b': 3}, 'b', 0))", {}, 3),
        ("get(spec.get('a', {}), 'b', 1)", {"a": {"b": 2}}, 2),
    ],
)
def test_get_with_a_literal_path_means_the_same_compiled_or_called(
    expression: str, spec: dict[str, object], expected: object
) -> None:
    assert run(expression, spec=spec) == expected
    if not expression.startswith('"'):
        assert run(expression.replace("get(", "get_called("), spec=spec) == expected


def test_called_get_leaves_every_get_call_to_the_python_function() -> None:
    source = "spec.get('a.b', 1) + get(spec, 'c', 2) + size('get(x)') + budget(3)"
    called = called_get(source)
    assert called == (
        "spec.faqlint_get('a.b', 1) + faqlint_get(spec, 'c', 2) + size('get(x)') + budget(3)"
    )
    assert inline_get(called) == called  # the inliner passes them by
    spec = {"a": {"b": 5}}
    expression = "spec.get('a.b', 1) + get(spec, 'c', 2)"
    assert run(called_get(expression), spec=spec) == run(expression, spec=spec) == 7


def test_inline_get_leaves_what_it_cannot_prove_alone() -> None:
    assert inline_get("get(jsonValue(item), 'a' + b, 1)") == "get(jsonValue(item), 'a' + b, 1)"
    assert inline_get("get(jsonValue(item), 'a.b', 1)").startswith("[jsonValue(item)].map(")
    assert '"a" in spec' in inline_get("spec.get('a', 1)")
    assert inline_get("get(p.s, 'a', 1)").startswith('((type(p["s"]) == map && "a" in p["s"]')
    # a reserved word is a key like any other once it is read by index
    spec = {"in": 2}
    assert run("spec.get('in', 1)", spec=spec) == run("spec.get_called('in', 1)", spec=spec) == 2


def test_match_groups_reads_captures_of_a_whole_match() -> None:
    pattern = r"(?i)\s*(?:exchange\s+)?(2013|2016|2019)\s+(?:CU\s*(\d+)|RTM)\s*"
    assert run("matchGroups('Exchange 2016 CU23', p)", p=pattern) == [
        "Exchange 2016 CU23",
        "2016",
        "23",
    ]
    assert run("matchGroups('2019 RTM', p)", p=pattern) == ["2019 RTM", "2019", ""]
    assert run("matchGroups('2019 CU12 and more', p)", p=pattern) == []
    assert run("matchGroups(5, p)", p=pattern) == []
    assert run("matchGroups(t, p)", t="2019 CU1" + " " * 2000, p=pattern) == []
    with pytest.raises(CelError):
        run("matchGroups('x', '(')")


@pytest.mark.parametrize(
    ("source", "indexed"),
    [
        ("spec.a.b", 'spec["a"]["b"]'),
        ("has(spec.a.b)", 'has(spec["a"].b)'),  # the field has() tests stays a selection
        ("has( spec.a )", "has( spec.a )"),
        ("spec.a.map(x, x.b)", 'spec["a"].map(x, x["b"])'),  # calls stay calls
        ("'spec.a' + x.y", "'spec.a' + x[\"y\"]"),  # strings stay as they are
        ("1.5 + x.y", '1.5 + x["y"]'),  # numbers too
        ("f(x).y + l[0].y + {'a': 1}.a", 'f(x)["y"] + l[0]["y"] + {\'a\': 1}["a"]'),
        ("math.greatest(x.a)", 'math.greatest(x["a"])'),
        ("google.protobuf.Value{}", "google.protobuf.Value{}"),  # a message's type name
    ],
)
def test_selections_are_compiled_as_indexes(source: str, indexed: str) -> None:
    assert index_selects(source) == indexed


@pytest.mark.parametrize(
    "source",
    [
        "spec.a.b",
        "spec.a.missing",
        "spec.s.x",  # a string has no fields
        "spec.n.x",  # null neither
        "has(spec.a.b) && !has(spec.a.missing) && has(spec.l)",
        "spec.l.map(i, i.k).exists(k, k == 2)",
        "data.t.rows.filter(r, r > 1).size() + size(data)",
        "[1].map(data, data + 1)",  # a program's own variable named like a table
        "spec.a.b == spec['a']['b'] && 'spec.a' == 'spec.a'",
    ],
)
def test_a_selection_read_by_index_means_the_same(source: str) -> None:
    from faqlint.cel import _backend

    spec = {"a": {"b": 1}, "s": "text", "n": None, "l": [{"k": 1}, {"k": 2}]}
    variables = {"spec": spec, "data": {"t": {"rows": [1, 2, 3]}}}
    native = _backend.Context(variables=variables, functions={})

    def outcome(program: Callable[[], object]) -> object:
        try:
            return program()
        except Exception as err:  # the same kind of error with the same first line
            return (type(err).__name__, str(err).splitlines()[0])

    selected = outcome(lambda: _backend.compile(source).execute(native))
    indexed = outcome(lambda: _backend.compile(index_selects(source)).execute(native))
    assert indexed == selected


def test_a_context_set_again_reads_the_new_tables() -> None:
    from faqlint.cel import Context, Program

    context = Context({"data": {"t": {"v": 1}}})
    context.set("data", {"t": {"v": 2}})
    assert Program("data.t.v + data.t.v").run(context) == 4


# Random data and expressions over it: every rewriting of `Program` (gets inlined, selections
# read by index) must give what the unrewritten source gives, errors included.
_KEYS = ("a", "b", "in")
_scalars = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["x", "a.b", ""])
_data = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner),
    max_leaves=12,
)
_path = st.lists(st.sampled_from(("a", "b")), min_size=1, max_size=3).map(".".join)
_maps = st.dictionaries(st.sampled_from(_KEYS), _data, min_size=1)  # mostly what rules read


@st.composite
def _expressions(draw: st.DrawFn) -> str:
    path = draw(_path)
    default = draw(st.sampled_from(["null", "0", "'d'", "[]", "v.get('b', 1)"]))
    return draw(
        st.sampled_from(
            [
                f"v.{path}",
                f"has(v.{path})",
                f"v.get('{path}', {default})",
                f"get(v, '{path}', {default})",
                f"get([v][0], '{path}', {default})",
                f"get(v.a, '{path}', {default})",
                f"[v].map(w, w.get('{path}', {default}))[0]",
                f"type(v) == list ? v.map(w, type(w) == map && has(w.a) ? w.a : 0) : 'v.{path}'",
                f"type(v) == map ? v.exists(k, k == 'a.{path}') : 1.5",
            ]
        )
    )


@given(data=_maps | _data, expression=_expressions())
@example(data={"a": None}, expression="v.get('a', 5)")  # null counts as absent
@example(data={"a": {"b": "x"}}, expression="get(v.a, 'b.a', 0)")  # a string is not a map
@settings(max_examples=400, deadline=None)
def test_rewritten_programs_mean_what_their_source_means(data: object, expression: str) -> None:
    from faqlint.cel import _backend

    native = _backend.Context(
        variables={"v": data}, functions={"get": FUNCTIONS["get"], "faqlint_get": FUNCTIONS["get"]}
    )

    def outcome(program: Callable[[], object]) -> object:
        try:
            return ("value", program())
        except Exception as err:
            return ("error", type(err).__name__)

    reference = outcome(lambda: _backend.compile(expression).execute(native))
    compiled = outcome(lambda: Program(expression).run(Context({"v": data})))
    if reference[0] == "error":  # Program raises CelError for every backend error
        assert compiled[0] == "error", (expression, data, compiled)
    else:
        assert compiled == reference, (expression, data)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("a" + ".b" * 100_000, "operators"),  # the backend's compiler would overflow the stack
        ("1" + " + 1" * 30_000, "operators"),
        (" + ".join(["spec.get('a.b.c', 1)"] * 1500), "operators once its get calls are written"),
        ("has(" * 3000 + "a.b" + ")" * 3000, "nested more than 96"),
        ("get(" * 2000 + "x" + ", 'a', 1)" * 2000, "nested more than 96"),
    ],
)
def test_an_expression_too_large_to_compile_is_refused_in_time(source: str, problem: str) -> None:
    """A policy pack may come from the repository: an expression that would crash the backend or
    keep the rewriting busy for long is refused before either sees it."""
    with pytest.raises(CelError, match=problem):
        Program(source)


def test_the_largest_shipped_program_is_far_from_the_limits() -> None:
    from faqlint import batch
    from faqlint.cel import MAX_NESTING, MAX_OPERATORS, _nesting, _operators
    from faqlint.run import load_catalogue

    rules = list(load_catalogue().policies.rules)
    sources = [batch.source(rule, kind) for rule in rules for kind in rule.rule.given.kinds]
    sources += [batch.kinds_source(rule, tuple(rule.rule.given.kinds)) for rule in rules]
    sources += [batch.shared_when_source(group, kind) for kind, group in batch.shared_when(rules)]
    assert max(_operators(s) for s in sources) < MAX_OPERATORS // 4
    assert max(_nesting(s) for s in sources) < MAX_NESTING // 2
