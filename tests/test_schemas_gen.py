"""The committed schemas of faqlint's own formats are what the models generate, and they accept
the files faqlint itself ships."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from faqlint.cli import main as cli
from faqlint.resources import builtin_policies, builtin_schemas
from faqlint.schemas_gen import editor_schemas, generated, main, resource_schema


def test_committed_schemas_match_the_models() -> None:
    for name, text in generated().items():
        committed = (builtin_schemas() / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} drifted: run python -m faqlint.schemas_gen"


def test_check_mode_reports_drift(tmp_path, capsys) -> None:
    assert main(["--check", "--output", str(tmp_path)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["--output", str(tmp_path)]) == 0
    assert main(["--check", "--output", str(tmp_path)]) == 0


def test_titles_are_the_ones_kind_loading_skips() -> None:
    from faqlint.schema import OWN_FORMATS

    titles = {json.loads(text)["title"] for text in generated().values()}
    assert titles == set(OWN_FORMATS)


def test_policy_pack_schema_accepts_the_builtin_packs_and_tables() -> None:
    schema = json.loads(generated()["policy-pack.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(builtin_policies().rglob("*.yaml"))
    assert files
    for path in files:
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            validator.validate(document)
    assert not validator.is_valid(
        {"apiVersion": "faqlint/v1", "kind": "PolicyPak", "metadata": {"name": "x"}, "data": {}}
    )


def test_config_schema_rejects_unknown_keys() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(generated()["config.schema.json"]))
    assert validator.is_valid({"select": ["OM2"], "per-file-ignores": {"a/**": ["OM202"]}})
    assert not validator.is_valid({"selct": ["OM2"]})


# --- the schemas editors use: `faqlint schema --write DIR` -----------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _documents(path: Path) -> list[dict[str, object]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def test_write_puts_every_schema_and_the_combined_one_in_the_folder(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(["schema", "--write", ".faqlint/schemas"]) == 0
    assert capsys.readouterr().out == "wrote 17 schemas to .faqlint/schemas\n"
    folder = tmp_path / ".faqlint" / "schemas"
    shipped = sorted(p.name for p in builtin_schemas().glob("*.schema.json"))
    assert sorted(p.name for p in folder.iterdir()) == sorted([*shipped, "resource.schema.json"])
    for name in shipped:  # byte for byte what faqlint validates with
        assert (folder / name).read_bytes() == (builtin_schemas() / name).read_bytes()
    assert cli(["schema", "--write", ".faqlint/schemas"]) == 0  # again: the same files
    assert (folder / "resource.schema.json").read_text() == editor_schemas()["resource.schema.json"]


def test_write_with_a_kind_is_a_usage_error(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(["schema", "Tenant", "--write", "out"]) == 2
    assert "leave out KIND" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_write_refuses_a_folder_that_is_a_link(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "target"
    target.mkdir()
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "schemas").symlink_to(target)
    assert cli(["schema", "--write", "repo/schemas"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(target.iterdir()) == []


def test_schema_resource_prints_the_combined_schema(capsys) -> None:
    assert cli(["schema", "resource"]) == 0
    assert capsys.readouterr().out == editor_schemas()["resource.schema.json"]


def test_the_combined_schema_judges_each_document_by_its_kind_alone() -> None:
    schema = resource_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((EXAMPLES / "tenants").rglob("*.yaml")) + sorted(
        (EXAMPLES / "msp").rglob("*.yaml")
    )
    documents = [d for f in files for d in _documents(f) if d.get("apiVersion") == "faqlint/v1"]
    assert len({d["kind"] for d in documents}) >= 10
    for document in documents:  # every example document is a valid resource of its kind
        kind_schema = json.loads(
            (builtin_schemas() / f"{document['kind']}.schema.json").read_text()
        )
        assert validator.is_valid(document) == jsonschema.Draft202012Validator(
            kind_schema
        ).is_valid(document), document["kind"]
    exchange = next(d for d in documents if d["kind"] == "ExchangeOrganizationConfig")
    misspelt = {**exchange, "spec": {**exchange["spec"], "EwsAllowlist": []}}  # type: ignore[dict-item]
    errors = list(validator.iter_errors(misspelt))
    assert [e.message for e in errors] == [
        "Additional properties are not allowed ('EwsAllowlist' was unexpected)"
    ]
    unknown = {**exchange, "kind": "ExchangeOrgConfig"}
    assert [e.validator for e in validator.iter_errors(unknown)] == ["enum"]


def test_examples_carry_the_schemas_as_written_and_a_modeline_for_each_document() -> None:
    """examples/ is laid out as `faqlint init` lays out a repository: its `.faqlint/schemas` are
    what `faqlint schema --write` writes (`python -m faqlint.schemas_gen` refreshes them), and
    each document of a file that has a modeline starts with its own (yaml-language-server reads
    a modeline for the document whose header holds it, not for the file), naming by a relative
    path a schema that accepts the document."""
    folder = EXAMPLES / ".faqlint" / "schemas"
    for name, text in editor_schemas().items():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"examples/.faqlint/schemas/{name} drifted: run python -m faqlint.schemas_gen"
        )
    checked = 0
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "faqlint.io/schemas" not in text
        if not text.startswith("# yaml-language-server: $schema="):
            continue
        chunks = text.split("\n---\n")
        documents = _documents(path)
        assert len(chunks) == len(documents), path
        for chunk, document in zip(chunks, documents, strict=True):
            first = chunk.splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), (path, document["kind"])
            target = (path.parent / first.split("=", 1)[1]).resolve()
            assert target.parent == folder.resolve(), path
            validator = jsonschema.Draft202012Validator(json.loads(target.read_text()))
            assert validator.is_valid(document), (path, document.get("kind"))
            checked += 1
    assert checked >= 15
