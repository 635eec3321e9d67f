from __future__ import annotations

from pathlib import Path

import pytest

from faqlint.findings import Position
from faqlint.load import load, load_text
from faqlint.yamlread import resolve_plain


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


# --- encodings Windows writes -----------------------------------------------------------------

YAML_DOC = 'kind: X\nspec: {list: ["Zürich-€"], flag: false}\n'
JSON_DOC = '{"kind": "X",\n "spec": {"list": ["Zürich-€"], "flag": false}}\n'
BOMS = {
    "utf-8-sig": b"",  # Python's codec writes the mark itself
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-le": b"\xff\xfe\x00\x00",
    "utf-32-be": b"\x00\x00\xfe\xff",
}


@pytest.mark.parametrize("codec", sorted(BOMS))
@pytest.mark.parametrize(("suffix", "text"), [(".yaml", YAML_DOC), (".json", JSON_DOC)])
def test_every_byte_order_mark_is_read(tmp_path: Path, codec: str, suffix: str, text: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(BOMS[codec] + text.replace("\n", "\r\n").encode(codec))
    loaded = load(path, path.name)
    assert loaded.findings == ()
    assert loaded.documents[0].data == {"kind": "X", "spec": {"list": ["Zürich-€"], "flag": False}}


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_positions_in_utf16_count_characters_not_bytes(tmp_path: Path, suffix: str) -> None:
    """`flag` comes after non-ASCII characters on its line: its column is in characters."""
    from faqlint.codes import engine_finding
    from faqlint.locate import locate

    text = YAML_DOC if suffix == ".yaml" else JSON_DOC
    path = tmp_path / f"f{suffix}"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    line = text.splitlines()[1]
    expected = Position(2, line.index("flag") + 1 - (suffix == ".json"))
    finding = engine_finding("FL002", "x", file="f", pointer="/spec/flag")
    (located,) = locate([finding], {"f": path})
    assert located.position == expected


def test_utf32_le_is_told_from_utf16_le_by_its_longer_mark(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xff\xfe\x00\x00" + "a: ü\n".encode("utf-32-le"))
    assert load(path, "f.yaml").documents[0].data == {"a": "ü"}


@pytest.mark.parametrize(
    ("codec", "named", "how"),
    [
        ("utf-16-le", "UTF-16 LE without a byte-order mark", "-f UTF-16LE"),
        ("utf-16-be", "UTF-16 BE without a byte-order mark", "-Encoding BigEndianUnicode"),
        ("utf-32-le", "UTF-32 LE without a byte-order mark", "-f UTF-32LE"),
        ("cp1252", "looks like Windows-1252 (Latin-1)", "Set-Content -Encoding utf8"),
    ],
)
def test_an_encoding_not_read_is_named_with_how_to_convert(
    tmp_path: Path, codec: str, named: str, how: str
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("kind: Tenant\nname: café\n".encode(codec))
    (finding,) = load(path, "f.yaml").findings
    assert finding.code == "FL001"
    assert named in finding.message and how in finding.message and "iconv" in finding.message


def test_a_broken_utf16_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xff\xfe" + "a: 1\nb: ".encode("utf-16-le") + b"\x00\xdc")  # lone low half
    (finding,) = load(path, "f.yaml").findings
    assert finding.code == "FL001" and "not valid UTF-16 LE" in finding.message
    assert finding.position == Position(2, 4)


# --- values faqlint cannot hold ---------------------------------------------------------------


def _json(text: str):
    return load_text(text, "f.json", is_json=True)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(constant: str) -> None:
    loaded = _json('{"a": {"b": ' + constant + "}}")
    (finding,) = loaded.findings
    assert (finding.code, finding.pointer) == ("FL001", "/a/b")
    assert f"{constant} is not a JSON value" in finding.message
    assert loaded.documents == ()


def test_an_integer_past_the_digit_limit_is_a_finding_in_json_and_yaml() -> None:
    digits = "9" * 5000
    (finding,) = _json('{"ok": 1, "big": [' + digits + "]}").findings
    assert (finding.code, finding.pointer) == ("FL001", "/big/0")
    assert "a number of 5000 digits" in finding.message
    loaded = _yaml(f"ok: 1\nbig: {digits}\n")
    (finding,) = loaded.findings
    assert (finding.code, finding.position) == ("FL001", Position(2, 6))
    assert loaded.documents[0].data == {"ok": 1, "big": digits}


def test_a_lone_surrogate_is_a_finding_not_a_later_crash() -> None:
    (finding,) = _json('{"a": ["ok", "x\\ud800"]}').findings
    assert (finding.code, finding.pointer) == ("FL001", "/a/1")
    assert "lone surrogate \\ud800" in finding.message
    finding.message.encode("utf-8")  # the message itself is printable
    (in_key,) = _json('{"\\udc00": 1}').findings
    assert (in_key.code, in_key.pointer) == ("FL001", "")
    assert "lone surrogate \\udc00" in in_key.message
    assert _json('{"pair": "\\ud83d\\ude00", "escaped": "\\\\ud800"}').findings == ()


@pytest.mark.parametrize("depth", [101, 500])
def test_nesting_past_the_limit_is_a_finding_in_json_and_yaml(depth: int) -> None:
    (finding,) = _json('{"a": ' + "[" * depth + "]" * depth + "}").findings
    assert finding.code == "FL001" and "nested more than 100 levels" in finding.message
    (finding,) = _yaml("a: " + "[" * depth + "]" * depth + "\n").findings
    assert finding.code == "FL001" and "nested" in finding.message


def test_nesting_within_the_limit_is_read() -> None:
    assert _json('{"a": ' + "[" * 99 + "]" * 99 + "}").findings == ()
    assert _yaml("a: " + "[" * 99 + "]" * 99 + "\n").findings == ()


# --- only regular files, only up to the limit ---------------------------------------------------


def test_a_file_is_read_up_to_its_limit_and_no_further(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n")
    assert load(path, "f.yaml", max_size=5).documents[0].data == {"a": 1}
    (finding,) = load(path, "f.yaml", max_size=4).findings
    assert finding.code == "FL011"
    assert "5 bytes is over the limit of 4 bytes" in finding.message


def test_a_folder_or_a_refused_link_is_not_read(tmp_path: Path) -> None:
    (finding,) = load(tmp_path, "folder").findings
    assert finding.code == "FL011" and "a folder, not a regular file" in finding.message
    (tmp_path / "real.yaml").write_text("a: 1\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    (finding,) = load(tmp_path / "link.yaml", "link.yaml", follow=False).findings
    assert finding.code == "FL011" and "a link" in finding.message
    assert load(tmp_path / "link.yaml", "link.yaml").documents[0].data == {"a": 1}


def test_an_alias_inside_its_own_anchor_is_a_finding_not_a_cycle() -> None:
    loaded = _yaml("spec: &s\n  cloud: Commercial\n  me: *s\n")
    (finding,) = loaded.findings
    assert finding.code == "FL001" and "contains itself" in finding.message
    assert loaded.documents == ()


def test_a_chain_of_aliases_cannot_nest_past_the_limit() -> None:
    """Each anchor wraps the one before: the text is flat, the data 150 levels deep."""
    chain = "x0: &x0 [1]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}]\n" for i in range(1, 150))
    (finding,) = _yaml(chain).findings
    assert finding.code == "FL001" and "nested more than 100 levels" in finding.message
    shallow = "x0: &x0 [1]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}]\n" for i in range(1, 90))
    assert _yaml(shallow).findings == ()
