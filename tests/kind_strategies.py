"""Hypothesis strategies for schema-valid resources, from each kind's whole JSON Schema.

hypothesis-jsonschema does the work; three adjustments keep it working and fast:

- Compatibility: hypothesis-jsonschema 0.23 drives objects with `many(...).more()`, a private
  Hypothesis helper that newer Hypothesis releases replaced by `with many(...) as e: for _ in e`.
  `_LegacyMany` offers the old calls on top of the new helper when `.more` is missing.
- Speed: it rebuilds (and re-canonicalises) the strategy of every property each time it draws
  one, which for a kind with a hundred properties is most of the run time. Built strategies are
  immutable, so `_memoised` keeps them per (sub-schema, alphabet, formats).
- Size: annotations (descriptions, titles) are dropped and arrays capped at a few items. Neither
  changes which documents are valid, only how long each one takes to draw.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis_jsonschema._from_schema as _generator
from hypothesis import strategies as st
from hypothesis.internal.conjecture import utils as _conjecture
from hypothesis_jsonschema import from_schema
from hypothesis_jsonschema._encode import encode_canonical_json

MAX_ITEMS = 3
_ANNOTATIONS = frozenset(
    {
        "$id",
        "$schema",
        "$comment",
        "title",
        "description",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_NAMED_SUBSCHEMAS = frozenset({"properties", "patternProperties", "$defs", "definitions"})
_END = object()


class _LegacyMany:
    """`many(data, ...).more()` / `.reject()` on top of the context-manager form."""

    def __init__(self, data: Any, **sizes: Any) -> None:
        self._many = _conjecture.many(data, **sizes)
        self._many.__enter__()
        self._elements: Iterator[None] = iter(self._many)

    def more(self) -> bool:
        if next(self._elements, _END) is _END:
            self._many.__exit__(None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


class _ConjectureUtils:
    """The `utils` module as hypothesis-jsonschema sees it, with the legacy `many`."""

    many = _LegacyMany

    def __getattr__(self, name: str) -> Any:
        return getattr(_conjecture, name)


def _install() -> None:
    if not hasattr(_conjecture.many, "more"):
        _generator.cu = _ConjectureUtils()  # type: ignore[assignment]
    build = _generator.__dict__["__from_schema"]
    if getattr(build, "memoised", False):
        return
    cache: dict[tuple[str, int, int], tuple[Any, ...]] = {}

    def _memoised(schema: Any, *, alphabet: Any, custom_formats: Any) -> Any:
        key = (encode_canonical_json(schema), id(alphabet), id(custom_formats))
        if key not in cache:
            built = build(schema, alphabet=alphabet, custom_formats=custom_formats)
            cache[key] = (built, alphabet, custom_formats)  # keeps the ids in the key alive
        return cache[key][0]

    _memoised.memoised = True  # type: ignore[attr-defined]
    _generator.__dict__["__from_schema"] = _memoised


def lean(node: Any, names: bool = False) -> Any:
    """The schema without annotations and with arrays capped at MAX_ITEMS (never below minItems).
    `names` is true for a mapping of names to sub-schemas (`properties`), whose keys may be
    anything, "description" included."""
    if isinstance(node, list):
        return [lean(v) for v in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {k: lean(v) for k, v in node.items()}
    out = {k: lean(v, k in _NAMED_SUBSCHEMAS) for k, v in node.items() if k not in _ANNOTATIONS}
    types = out.get("type")
    if "items" in out or types == "array" or (isinstance(types, list) and "array" in types):
        cap = min(out.get("maxItems", MAX_ITEMS), MAX_ITEMS)
        out["maxItems"] = max(out.get("minItems", 0), cap)
    return out


def documents(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Documents valid against `schema` (a kind's whole document schema)."""
    _install()
    return from_schema(lean(schema))
