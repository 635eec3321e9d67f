from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqlint.cli import main
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


# A token lifetime policy's `definition` entry is a JSON document inside a string; the member a
# finding names is found inside it, on the line and column where the file spells its value.
LIFETIME = "AccessTokenLifetime"
POINTER = f"/spec/definition/0/TokenLifetimePolicy/{LIFETIME}"


@pytest.mark.parametrize(
    "entry",
    [
        """'{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"24:00:00"}}'""",
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"24:00:00\\"}}"',
        """'{"TokenLifetimePolicy": {"Note": "it''s", "AccessTokenLifetime": "24:00:00"}}'""",
    ],
    ids=["single-quoted", "double-quoted", "quote-escape"],
)
def test_a_pointer_goes_into_a_json_string_on_one_line(entry: str) -> None:
    text = f"spec:\n  definition:\n    - {entry}\n"
    line = text.splitlines()[2]
    found = index_yaml(text)[1].find(POINTER, prefer_value=True)
    assert found.line == 3
    assert line[found.column - 1 :].lstrip('\\"').startswith("24:00:00")


def test_a_pointer_goes_into_a_block_scalar_across_lines() -> None:
    text = (
        "spec:\n  definition:\n    - |\n"
        '      {"TokenLifetimePolicy": {\n'
        '         "Version": 1,\n'
        '         "AccessTokenLifetime": "24:00:00"}}\n'
    )
    index = index_yaml(text)[1]
    assert index.find(POINTER, prefer_value=True) == Position(6, 33)
    assert index.find("/spec/definition/0/TokenLifetimePolicy/Version") == Position(5, 10)
    # a member the document lacks: its nearest ancestor inside the string
    assert index.find("/spec/definition/0/TokenLifetimePolicy/Missing") == Position(4, 8)


def test_a_pointer_goes_into_a_folded_plain_scalar() -> None:
    text = (
        "spec:\n  definition:\n"
        '    - {"TokenLifetimePolicy":\n'
        '        {"Version": 1, "AccessTokenLifetime": "24:00:00"}}\n'
    )
    # a flow mapping, not a string: the mapping's own value position
    assert index_yaml(text)[1].find(POINTER, prefer_value=True) == Position(4, 47)
    text = (
        "spec:\n  definition:\n"
        '    - \'{"TokenLifetimePolicy":\n'
        '        {"Version": 1, "AccessTokenLifetime": "24:00:00"}}\'\n'
    )
    assert index_yaml(text)[1].find(POINTER, prefer_value=True) == Position(4, 47)


def test_a_pointer_goes_into_an_escaped_string_of_a_graph_export() -> None:
    text = (
        '{"value": [{"definition": [\n'
        '  "{\\"TokenLifetimePolicy\\":{\\"Version\\":1,'
        '\\"AccessTokenLifetime\\":\\"00:05:00\\"}}"\n'
        "]}]}"
    )
    index = index_json(text)[1]
    found = index.find("/value/0/definition/0/TokenLifetimePolicy/AccessTokenLifetime", True)
    line = text.splitlines()[1]
    assert found.line == 2
    assert line[found.column - 1 :].startswith('\\"00:05:00')  # at the escaped quote


def test_unicode_escapes_keep_columns_in_step() -> None:
    text = '{"d": ["{\\"A\\u00e9\\ud83d\\ude00\\":1,\\"AccessTokenLifetime\\":\\"24:00:00\\"}"]}'
    found = index_json(text)[1].find("/d/0/AccessTokenLifetime", prefer_value=True)
    assert text[found.column - 1 :].startswith('\\"24:00:00')


def test_a_string_that_is_not_json_or_does_not_match_stops_at_the_string() -> None:
    broken = "spec:\n  definition:\n    - '{\"TokenLifetimePolicy\": '\n"
    assert index_yaml(broken)[1].find(POINTER) == Position(3, 7)
    # a YAML escape that spells a character differently: positions cannot be matched
    escaped = 'spec:\n  definition:\n    - "{\\u0022TokenLifetimePolicy\\u0022: {}}"\n'
    assert index_yaml(escaped)[1].find(POINTER) == Position(3, 7)


def test_token_findings_point_at_the_value_the_admin_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through a whole run: the definition as a JSON string, as a mapping, in a Graph export."""
    (tmp_path / "policy.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: TokenLifetimePolicy\nmetadata: {name: p}\nspec:\n"
        "  displayName: P\n  definition:\n"
        """    - '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"24:00:00"}}'\n"""
        "    - TokenLifetimePolicy:\n        Version: 1\n"
        '        AccessTokenLifetime: "00:05:00"\n',
        encoding="utf-8",
    )
    (tmp_path / "export.json").write_text(
        '{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/'
        'tokenLifetimePolicies", "value": [{"displayName": "E", "definition": [\n'
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"2\\"}}"]}]}',
        encoding="utf-8",
    )
    main(["check", str(tmp_path), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    where = {
        (Path(f["file"]).name, f["line"], f["column"]) for f in findings if f["code"] == "OM110"
    }
    assert where == {("policy.yaml", 7, 66), ("policy.yaml", 10, 30), ("export.json", 2, 66)}


def test_faqlint_own_findings_inside_a_definition_keep_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown key in a definition written as a mapping is shown at the key, as elsewhere."""
    (tmp_path / "policy.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: TokenLifetimePolicy\nmetadata: {name: p}\nspec:\n"
        "  displayName: P\n  definition:\n    - TokenLifetimePolicy:\n        Version: 1\n"
        '        AccessTokenLifetym: "02:00:00"\n',
        encoding="utf-8",
    )
    main(["check", str(tmp_path), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {(f["code"], f["line"], f["column"]) for f in findings} == {("FL002", 9, 9)}
