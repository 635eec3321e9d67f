"""One CEL program that evaluates a rule over every resource of a kind in a tenant at once.

Why: the CEL backend converts a Python value when it is given and copies a value each time an
expression reaches it, and it rebuilds its whole environment (every variable copied) whenever a
variable changes. Setting `spec` and `metadata` for each resource of a tenant therefore cost about
0.4 ms a resource, most of it copying `tenant` and `data` again. Instead, the rule's own
expressions are placed inside comprehensions over `tenant[kind]` that bind `resource`, `spec`,
`metadata`, `item` and `index` (those the rule reads) exactly as a per-resource evaluation would,
so the environment is built once per tenant. The per-resource path in `faqlint.engine` stays the
reference: a batch that fails is evaluated again resource by resource, which names the resource
that failed.

The program returns, per resource, a list with one entry per subject (one, or one per `forEach`
element): null where every validation holds, else `[k, message_holes, at_holes]` for the first
failing validation `k`, with the values of that validation's `{{ }}` holes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from faqlint.cel import INDEXES, Program, called_get
from faqlint.policy import CompiledRule, Template

_ENTRY = "faqlint_entry"  # the comprehension variable that carries `item` and `index`
_LIST = "faqlint_list"  # the comprehension variable that holds the `forEach` list


def _bind(name: str, value: str, body: str) -> str:
    """`body` with `name` bound to `value`: CEL has no `let`; a one-element map is one."""
    return f"[{value}].map({name}, {body})[0]"


def _holes(template: Template) -> str:
    """The values of a template's holes, computed only for a failing subject: their `get` calls
    are called rather than inlined (see `cel.called_get`)."""
    parts = (called_get(p.source) for p in template.parts if isinstance(p, Program))
    return "[" + ", ".join(f"({source})" for source in parts) + "]"


def _verdict(rule: CompiledRule) -> str:
    """null when every validation holds, else the first failing one with its holes' values."""
    verdict = "null"
    for k, validation in reversed(list(enumerate(rule.validations))):
        failure = f"[{k}, {_holes(validation.message)}, {_holes(validation.at)}]"
        verdict = f"(({validation.condition.source}) ? {verdict} : {failure})"
    return verdict


def _mentions(rule: CompiledRule, name: str) -> bool:
    """Whether any expression of the rule may read the variable `name` (a word match: a string
    that holds the word counts too, which only costs time)."""
    word = re.compile(rf"\b{name}\b")
    return any(word.search(text) for text in rule.texts())


# CEL values that a trip through Python does not give back as they were (a uint comes back an
# int; a type or a function does not convert at all). Elements of `forEach` are such a trip in
# the per-resource path (see `_items_as_they_are`); they can only be made by the expression.
_UNPLAIN = re.compile(r"\b(uint|bytes|timestamp|duration|type)\b|\d[uU]\b|\b[bBrR]{1,2}['\"]")


def _items_as_they_are(rule: CompiledRule) -> bool:
    """Whether `forEach`'s elements can be bound as they are, without `indexed` (a Python
    function: every element goes to Python and back as an `{index, item}` map, and two more
    bindings each): when they are plain data, which the trip leaves unchanged."""
    return not _UNPLAIN.search(rule.rule.given.forEach or "")


def _subjects(rule: CompiledRule) -> str:
    """The verdicts of the rule's subjects in `resource`, `when` aside."""
    verdict = _verdict(rule)
    if rule.for_each is None:
        return f"[{verdict}]"
    if _items_as_they_are(rule):
        if _mentions(rule, "index"):  # the indexes from Python, the elements read by index
            item = _bind("item", f"{_LIST}[index]", verdict)
            each = f"{INDEXES}(size({_LIST})).map(index, {item})"
        else:
            each = f"{_LIST}.map(item, {verdict})"
        # `indexed` refuses what is not a list, as the per-resource path does
        return _bind(
            _LIST, rule.for_each.source, f"type({_LIST}) == list ? {each} : indexed({_LIST})"
        )
    per_entry = _bind("item", f"{_ENTRY}.item", _bind("index", f"{_ENTRY}.index", verdict))
    return f"indexed({rule.for_each.source}).map({_ENTRY}, {per_entry})"


def _with_resource(rules: list[CompiledRule], body: str) -> str:
    """`body` with `spec` and `metadata` bound, each only where one of `rules` reads it: each
    binding copies the value, for every resource."""
    for name in ("metadata", "spec"):
        if any(_mentions(rule, name) for rule in rules):
            body = _bind(name, f"resource.{name}", body)
    return body


def _per_resource(rule: CompiledRule) -> str:
    """The verdicts for `resource` (bound by the caller)."""
    subjects = _subjects(rule)
    if rule.when is not None:
        subjects = f"(({rule.when.source}) ? {subjects} : [])"
    return _with_resource([rule], subjects)


def source(rule: CompiledRule, kind: str) -> str:
    """One program over every resource of `kind`: for the few resources of most kinds."""
    return f"tenant[{json.dumps(kind)}].map(resource, {_per_resource(rule)})"


def kinds_source(rule: CompiledRule, kinds: tuple[str, ...]) -> str:
    """One program over every resource of several kinds, kind after kind: a rule over two kinds
    is compiled once, not once a kind."""
    resources = " + ".join(f"tenant[{json.dumps(kind)}]" for kind in kinds)
    return f"({resources}).map(resource, {_per_resource(rule)})"


def shared_when_source(rules: list[CompiledRule], kind: str) -> str:
    """One program for rules of `kind` that have the same `when`, which it tests once per
    resource: per resource, the list of each rule's verdicts, as `source` gives them."""
    when = rules[0].rule.given.when
    if not when or any(rule.rule.given.when != when for rule in rules):
        raise ValueError("rules evaluated together must have the same `when`")
    verdicts = ", ".join(_subjects(rule) for rule in rules)
    nothing = ", ".join("[]" for _ in rules)
    body = _with_resource(rules, f"(({when}) ? [{verdicts}] : [{nothing}])")
    return f"tenant[{json.dumps(kind)}].map(resource, {body})"


def shared_when(rules: list[CompiledRule]) -> list[tuple[str, list[CompiledRule]]]:
    """Each kind with the rules of it that share their `when` with another, in `rules` order:
    several rules can test the same condition (OM502 and OM503, the licence they judge)."""
    groups: dict[tuple[str, str], list[CompiledRule]] = {}
    for rule in rules:
        when = rule.rule.given.when
        if not when:
            continue
        for kind in dict.fromkeys(rule.rule.given.kinds):
            groups.setdefault((kind, when), []).append(rule)
    return [(kind, members) for (kind, _), members in groups.items() if len(members) > 1]


def program(rule: CompiledRule, kind: str) -> Program:
    return Program(source(rule, kind))


def kinds_program(rule: CompiledRule, kinds: tuple[str, ...]) -> Program:
    return Program(kinds_source(rule, kinds))


def shared_when_program(rules: list[CompiledRule], kind: str) -> Program:
    return Program(shared_when_source(rules, kind))


# --- many resources ---------------------------------------------------------------------------
#
# The backend builds the list a comprehension returns by copying it whole for each element, so
# `list.map(x, ...)` costs time quadratic in the list's length: 8,000 mailboxes take a second
# and 78,000 minutes. A range of resources is therefore walked as a tree of small comprehensions,
# WIDTH wide and as deep as the range needs, that index `tenant[kind]` (indexing copies nothing):
# the work is about WIDTH times the number of resources, whatever their number.

WIDTH = 16
FLAT = 64  # up to this many resources one flat comprehension is as fast, and one program serves


def _depth(count: int) -> int:
    depth = 1
    while WIDTH**depth < count:
        depth += 1
    return depth


def range_source(rule: CompiledRule, kind: str, start: int, count: int) -> str:
    """A program over `tenant[kind][start:start + count]`, returning nested lists (see
    `flatten`): null where an index lies past the range."""
    depth = _depth(count)
    end = start + count
    steps = [WIDTH ** (depth - level) for level in range(1, depth + 1)]
    names = [f"faqlint_o{level}" for level in range(1, depth + 1)]
    index = " + ".join([str(start), *names])
    body = _bind("resource", f"tenant[{json.dumps(kind)}][{index}]", _per_resource(rule))
    for level in range(depth, 0, -1):
        offsets = "[" + ", ".join(str(i * steps[level - 1]) for i in range(WIDTH)) + "]"
        lowest = " + ".join([str(start), *names[:level]])
        body = f"{offsets}.map({names[level - 1]}, {lowest} < {end} ? {body} : null)"
    return body


def range_program(rule: CompiledRule, kind: str, start: int, count: int) -> Program:
    return Program(range_source(rule, kind, start, count))


def flatten(nested: Any, count: int) -> list[Any]:
    """The per-resource results of a `range_source` program, in order."""
    depth = _depth(count)
    level = [nested]
    for _ in range(depth):
        level = [entry for group in level if group is not None for entry in group]
    results = [entry for entry in level if entry is not None]
    if len(results) != count:
        raise ValueError(f"a range of {count} resources returned {len(results)} results")
    return results
