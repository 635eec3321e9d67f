"""Edits at a node's own span: every character outside the edited node stays as it was."""

from __future__ import annotations

import json

import pytest
import yaml

from faqlint.edit import Edit, EditError, apply


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """Pairs of (old, new) lines that differ, for files whose line count is kept."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


BLOCK = """\
# A comment at the top
apiVersion: faqlint/v1   # trailing comment
kind: ExchangeOrganizationConfig
metadata: {name: org}
spec:
  EwsApplicationAccessPolicy: 'EnforceAllowList'
  EwsAllowList:
    # the agents we admit
    - "Outlook-iOS/*"   # iOS
    - "MacOutlook/*"
  EwsEnabled: true
"""


def test_block_list_append_writes_one_line_in_the_items_style() -> None:
    after = apply(BLOCK, 1, Edit("add", "/spec/EwsAllowList/-", "Outlook-Android/*"), False)
    assert after == BLOCK.replace(
        '    - "MacOutlook/*"\n', '    - "MacOutlook/*"\n    - "Outlook-Android/*"\n'
    )
    assert yaml.safe_load(after)["spec"]["EwsAllowList"][-1] == "Outlook-Android/*"


def test_indentless_block_list_keeps_its_indentation() -> None:
    text = "spec:\n  ports:\n  - 80\n  -   8443\nother: 1\n"
    after = apply(text, 1, Edit("add", "/spec/ports/-", 443), False)
    assert after == "spec:\n  ports:\n  - 80\n  -   8443\n  - 443\nother: 1\n"


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        ("[Foo/*, Bar/*]", "[Foo/*, Bar/*, Outlook-Android/*]"),
        ("['Foo/*','Bar/*']", "['Foo/*','Bar/*','Outlook-Android/*']"),
        ('["Foo/*"]', '["Foo/*", "Outlook-Android/*"]'),
        ("[ ]", "[Outlook-Android/* ]"),
        ("[\n    Foo/*,\n    Bar/*\n  ]", "[\n    Foo/*,\n    Bar/*,\n    Outlook-Android/*\n  ]"),
    ],
)
def test_flow_list_append_keeps_the_lists_own_style(flow: str, expected: str) -> None:
    text = f"spec:\n  EwsAllowList: {flow}  # keep me\n"
    after = apply(text, 1, Edit("add", "/spec/EwsAllowList/-", "Outlook-Android/*"), False)
    assert after == f"spec:\n  EwsAllowList: {expected}  # keep me\n"


def test_replace_keeps_quoting_and_comment() -> None:
    text = "spec:\n  minimumAppVersion:\n    iOS: \"3.9.0\"   # old\n    android: '3.0.1'\n"
    after = apply(text, 1, Edit("replace", "/spec/minimumAppVersion/iOS", "3.10.1"), False)
    after = apply(after, 1, Edit("replace", "/spec/minimumAppVersion/android", "3.0.14"), False)
    assert _changed_lines(text, after) == [
        ('    iOS: "3.9.0"   # old\n', '    iOS: "3.10.1"   # old\n'),
        ("    android: '3.0.1'\n", "    android: '3.0.14'\n"),
    ]


def test_plain_scalar_that_would_change_type_is_quoted() -> None:
    text = "spec:\n  version: abc\n"
    assert apply(text, 1, Edit("replace", "/spec/version", "1.0"), False) == (
        'spec:\n  version: "1.0"\n'
    )
    assert apply(text, 1, Edit("replace", "/spec/version", "on"), False) == (
        'spec:\n  version: "on"\n'
    )


def test_crlf_and_bom_are_kept() -> None:
    text = "\ufeffspec:\r\n  ports:\r\n    - 80\r\n  proxy: {tlsInspection: true}\r\n"
    after = apply(text, 1, Edit("add", "/spec/ports/-", 443), False)
    after = apply(after, 1, Edit("replace", "/spec/proxy/tlsInspection", False), False)
    assert after == (
        "\ufeffspec:\r\n  ports:\r\n    - 80\r\n    - 443\r\n  proxy: {tlsInspection: false}\r\n"
    )


def test_only_the_named_document_of_a_stream_changes() -> None:
    first = "# one\nkind: A\nspec: {ports: [80]}\n"
    second = "kind: B\nspec: {ports: [80]}  # two\n"
    text = f"{first}---\n{second}...\n"
    after = apply(text, 2, Edit("add", "/spec/ports/-", 443), False)
    assert after == f"{first}---\n{second.replace('[80]', '[80, 443]')}...\n"


def test_file_without_final_newline() -> None:
    text = "spec:\n  ports:\n    - 80"
    assert apply(text, 1, Edit("add", "/spec/ports/-", 443), False) == (
        "spec:\n  ports:\n    - 80\n    - 443\n"
    )


def test_missing_list_is_created() -> None:
    text = "spec:\n  EwsApplicationAccessPolicy: EnforceAllowList  # note\n"
    after = apply(text, 1, Edit("add", "/spec/EwsAllowList/-", "Outlook-iOS/*"), False)
    assert after == text + '  EwsAllowList: ["Outlook-iOS/*"]\n'
    assert yaml.safe_load(after)["spec"]["EwsAllowList"] == ["Outlook-iOS/*"]


@pytest.mark.parametrize(
    ("before", "index", "after"),
    [
        ("[a, b, c]", 1, "[a, c]"),
        ("[a, b, c]", 0, "[b, c]"),
        ("[a, b, c]", 2, "[a, b]"),
        ("[a]", 0, "[]"),
    ],
)
def test_remove_from_flow_list(before: str, index: int, after: str) -> None:
    text = f"spec:\n  EwsBlockList: {before}\n"
    result = apply(text, 1, Edit("remove", f"/spec/EwsBlockList/{index}"), False)
    assert result == f"spec:\n  EwsBlockList: {after}\n"


def test_remove_from_block_list_removes_the_items_lines_only() -> None:
    text = "spec:\n  EwsBlockList:\n    - Outlook*   # too wide\n    - Other/*\n  x: 1\n"
    after = apply(text, 1, Edit("remove", "/spec/EwsBlockList/0"), False)
    assert after == "spec:\n  EwsBlockList:\n    - Other/*\n  x: 1\n"


def test_removing_the_last_block_item_leaves_an_empty_list_not_null() -> None:
    text = "spec:\n  EwsBlockList:\n    - Outlook*\n  x: 1\n"
    after = apply(text, 1, Edit("remove", "/spec/EwsBlockList/0"), False)
    assert after == "spec:\n  EwsBlockList: []\n  x: 1\n"
    assert yaml.safe_load(after)["spec"]["EwsBlockList"] == []


PRETTY_JSON = (
    '{\n  "kind": "NetworkConfiguration",\n  "spec": {\n    "outboundTcpPorts": [\n'
    '      80\n    ],\n    "proxy": {"tlsInspection": true}\n  }\n}\n'
)


def test_json_edits_keep_layout() -> None:
    after = apply(PRETTY_JSON, 1, Edit("add", "/spec/outboundTcpPorts/-", 443), True)
    assert after == PRETTY_JSON.replace("      80\n", "      80,\n      443\n")
    after = apply(after, 1, Edit("replace", "/spec/proxy/tlsInspection", False), True)
    assert json.loads(after)["spec"] == {
        "outboundTcpPorts": [80, 443],
        "proxy": {"tlsInspection": False},
    }
    after = apply(after, 1, Edit("add", "/spec/proxy/authentication", "none"), True)
    assert '{"tlsInspection": false, "authentication": "none"}' in after


def test_json_with_crlf_and_bom() -> None:
    text = '\ufeff{\r\n  "spec": {\r\n    "list": ["a", "b"]\r\n  }\r\n}'
    after = apply(text, 1, Edit("remove", "/spec/list/0"), True)
    assert after == '\ufeff{\r\n  "spec": {\r\n    "list": ["b"]\r\n  }\r\n}'


def test_values_are_written_as_data() -> None:
    hostile = "x\n  injected: true\n# "
    text = "spec:\n  name: old\n"
    after = apply(text, 1, Edit("replace", "/spec/name", hostile), False)
    assert yaml.safe_load(after) == {"spec": {"name": hostile}}
    after = apply(text, 1, Edit("replace", "/spec/name", "it's"), False)
    assert yaml.safe_load(after) == {"spec": {"name": "it's"}}


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        ("a: &x [1]\nb: *x\n", Edit("add", "/b/-", 2)),  # through an alias
        ("a: &x [1]\nb: *x\n", Edit("add", "/a/-", 2)),  # an anchored node
        ("a: !!str 1\n", Edit("replace", "/a", "2")),  # a tag
        ("a: [1]\n", Edit("add", "/a/0", 2)),  # insert before an index
        ("a: [1]\n", Edit("replace", "/b", 2)),  # nothing to replace
        ("a: [1]\n", Edit("remove", "/a/3")),  # nothing to remove
    ],
)
def test_what_cannot_be_edited_safely_is_refused(text: str, edit: Edit) -> None:
    with pytest.raises(EditError):
        apply(text, 1, edit, False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ' ["Outlook-iOS/*"]'),
        ("   # none yet", ' ["Outlook-iOS/*"]   # none yet'),
        (" ~", ' ["Outlook-iOS/*"]'),
    ],
)
def test_a_null_list_becomes_a_list(value: str, expected: str) -> None:
    text = f"spec:\n  EwsAllowList:{value}\n  x: 1\n"
    after = apply(text, 1, Edit("add", "/spec/EwsAllowList/-", "Outlook-iOS/*"), False)
    assert after == f"spec:\n  EwsAllowList:{expected}\n  x: 1\n"


def test_a_key_in_another_case_is_the_same_setting() -> None:
    text = "spec:\n  ewsallowlist: [Outlook-iOS/*]\n"
    after = apply(text, 1, Edit("add", "/spec/EwsAllowList/-", "Outlook-Android/*"), False)
    assert after == "spec:\n  ewsallowlist: [Outlook-iOS/*, Outlook-Android/*]\n"


def test_many_documents_are_not_taken_for_aliases() -> None:
    """Nodes of earlier documents are freed; their identities must not pass for an alias."""
    document = "kind: A\nspec:\n  list:\n    - a\n    - b\n"
    text = "---\n".join([document] * 30)
    after = apply(text, 30, Edit("remove", "/spec/list/1"), False)
    assert after == "---\n".join([document] * 29 + [document.replace("    - b\n", "")])
