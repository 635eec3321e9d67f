from __future__ import annotations

from pathlib import Path

import pytest

from faqlint.findings import Position
from faqlint.load import load, load_text, resolve_plain


def _yaml(text: str):
    return load_text(text, "f.yaml", is_json=False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("01:00:00", "01:00:00"),  # YAML 1.1 would read 3600
        ("on", "on"),
        ("yes", "yes"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("0x1f", 31),
        ("0o17", 15),
        ("3.5", 3.5),
        ("1e3", 1000.0),
        ("3.10.1", "3.10.1"),
        ("2021-01-30", "2021-01-30"),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    assert resolve_plain(text) == value


def test_every_document_of_a_stream_is_read_and_empty_ones_are_skipped() -> None:
    loaded = _yaml("a: 1\n---\n# only a comment\n---\nb: [x, 'y']\n")
    assert [(d.index, d.data) for d in loaded.documents] == [(1, {"a": 1}), (3, {"b": ["x", "y"]})]
    assert loaded.findings == ()


def test_quoted_and_tagged_scalars_keep_their_type() -> None:
    loaded = _yaml("a: '1'\nb: !!str 2\nc: !!int '3'\n")
    assert loaded.documents[0].data == {"a": "1", "b": "2", "c": 3}


def test_duplicate_key_is_located_at_the_repeated_key() -> None:
    loaded = _yaml("spec:\n  a: 1\n  b: 2\n  a: 3\n")
    (finding,) = loaded.findings
    assert finding.code == "FL004"
    assert finding.position == Position(4, 3)
    assert finding.pointer == "/spec/a"


def test_parse_error_keeps_documents_before_it() -> None:
    loaded = _yaml("a: 1\n---\nb: [1\nc: 2\n")
    assert [d.data for d in loaded.documents] == [{"a": 1}]
    (finding,) = loaded.findings
    assert finding.code == "FL001"
    assert finding.document == 2
    assert finding.position is not None and finding.position.line == 4


def test_aliases_share_values_without_expanding() -> None:
    bomb = "a: &a [x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    loaded = _yaml(bomb)
    assert loaded.findings == ()


def test_deep_nesting_is_a_finding_not_a_crash() -> None:
    loaded = _yaml("[" * 5000 + "]" * 5000)
    assert [f.code for f in loaded.findings] == ["FL001"]


def test_json_duplicate_keys_are_located() -> None:
    loaded = load_text('{\n  "a": 1,\n  "b": {"c": 1},\n  "a": 2\n}', "f.json", is_json=True)
    assert loaded.documents[0].data == {"a": 2, "b": {"c": 1}}
    (finding,) = loaded.findings
    assert (finding.code, finding.pointer, finding.position) == ("FL004", "/a", Position(4, 3))


def test_json_syntax_error_has_its_position() -> None:
    loaded = load_text('{\n  "a": 1,\n  "b": \n}', "f.json", is_json=True)
    (finding,) = loaded.findings
    assert finding.code == "FL001"
    assert finding.position == Position(4, 1)


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeffa: 1\r\nb: two\r\n".encode())
    loaded = load(path, "f.yaml")
    assert loaded.documents[0].data == {"a": 1, "b": "two"}


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    (finding,) = load(path, "f.yaml").findings
    assert finding.code == "FL001"
    assert finding.position == Position(2, 7)
    assert "UTF-8" in finding.message


def test_control_characters_are_a_finding() -> None:
    loaded = _yaml("a: b\x07c\n")
    assert [f.code for f in loaded.findings] == ["FL001"]


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    (finding,) = load(tmp_path / "missing.yaml", "missing.yaml").findings
    assert finding.code == "FL011"
