"""Locating findings in a large JSON export walks only the findings' paths, to the same places."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from faqlint.loaded import escape
from faqlint.positions import index_json

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "A", "b", "~x", "c/d", "é"]), children, max_size=4)
    ),
    max_leaves=20,
)


def _pointers(value: Any, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, f"{pointer}/{escape(key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, f"{pointer}/{index}")
    return found


@settings(max_examples=100, deadline=None)
@given(_json, st.integers(0, 4), st.data())
def test_a_walk_along_the_wanted_paths_finds_what_the_full_index_finds(
    value: Any, indent: int, data: st.DataObject
) -> None:
    text = json.dumps(value, indent=indent or None, ensure_ascii=False)
    pointers = _pointers(value)
    wanted = data.draw(st.sets(st.sampled_from([*pointers, "/missing", "/0/zz"])))
    full = index_json(text)[1]
    some = index_json(text, wanted)[1]
    for pointer in wanted:
        for prefer_value in (False, True):
            assert some.find(pointer, prefer_value) == full.find(pointer, prefer_value), pointer


def test_a_broken_file_is_indexed_up_to_where_it_breaks() -> None:
    text = '[{"a": 1}, {"a": 2}, {"a": '
    assert index_json(text, {"/1/a"})[1].find("/1/a").line == 1
    assert index_json(text, {"/2/a"})[1].find("/2/a") == index_json(text)[1].find("/2/a")
