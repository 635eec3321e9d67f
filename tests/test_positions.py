from __future__ import annotations

from faqlint.findings import Position
from faqlint.positions import index_json, index_yaml, json_duplicate_keys

YAML = """\
apiVersion: faqlint/v1
kind: X
spec:
  list:
    - first
    - {k: v}
  nested:
    key: 1
---
other: true
"""


def test_yaml_pointers_map_to_keys_and_values() -> None:
    index = index_yaml(YAML)
    first = index[1]
    assert first.find("/spec") == Position(3, 1)
    assert first.find("/spec/list/0") == Position(5, 7)
    assert first.find("/spec/list/1/k") == Position(6, 8)
    assert first.find("/spec/nested/key") == Position(8, 5)
    assert first.find("/spec/nested/key", prefer_value=True) == Position(8, 10)
    assert index[2].find("/other") == Position(10, 1)


def test_missing_node_points_at_the_nearest_ancestor() -> None:
    assert index_yaml(YAML)[1].find("/spec/nested/absent") == Position(7, 3)
    assert index_yaml(YAML)[1].find("/nowhere/at/all") == Position(1, 1)


def test_lookup_falls_back_to_case_insensitive_keys() -> None:
    index = index_json('{"value": [{"DisplayName": "x", "Conditions": {"Users": {}}}]}')[1]
    assert index.find("/value/0/conditions/users") == Position(1, 48)


def test_json_positions_for_members_and_items() -> None:
    text = '{\n  "a": [1, {"b": "c"}],\n  "d": "\\"quoted\\""\n}'
    index = index_json(text)[1]
    assert index.find("/a") == Position(2, 3)
    assert index.find("/a", prefer_value=True) == Position(2, 8)
    assert index.find("/a/1/b") == Position(2, 13)
    assert index.find("/d") == Position(3, 3)


def test_json_duplicate_keys() -> None:
    assert json_duplicate_keys('{"a": 1, "b": 2,\n "a": 3}') == [("a", "/a", Position(2, 2))]
