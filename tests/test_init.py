"""`faqlint init` writes a starter repo that passes; `faqlint schema` prints the schema files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from faqlint.cli import main
from faqlint.init import STARTER
from faqlint.resources import builtin_schemas


def test_init_output_passes_check(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "repo"]) == 0
    assert "wrote repo/.faqlint.yaml" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path / "repo")
    assert main(["check", "--fail-on", "info"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "All checks passed: 3 files checked (0 with findings), 1 tenant, 3 resources"
    )


def test_every_native_file_names_its_schema_and_validates(tmp_path) -> None:
    from faqlint.init import write_starter

    write_starter(tmp_path)
    for name in STARTER:
        text = (tmp_path / name).read_text()
        data = yaml.safe_load(text)
        if not name.startswith("tenants/"):
            continue
        first = text.splitlines()[0]
        schema_file = builtin_schemas() / f"{data['kind']}.schema.json"
        schema = json.loads(schema_file.read_text())
        assert first == f"# yaml-language-server: $schema={schema['$id']}"
        jsonschema.Draft202012Validator(schema).validate(data)


def test_the_config_it_writes_validates_against_the_config_schema(tmp_path) -> None:
    from faqlint.init import write_starter

    write_starter(tmp_path)
    text = (tmp_path / ".faqlint.yaml").read_text()
    schema = json.loads((builtin_schemas() / "config.schema.json").read_text())
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={schema['$id']}"
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"][0]["id"] == "faqlint"


def test_init_refuses_to_overwrite_unless_forced(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".faqlint.yaml").write_text("fail-on: info\n")
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert err == "faqlint: .faqlint.yaml already exists; use --force to overwrite\n"
    assert (tmp_path / ".faqlint.yaml").read_text() == "fail-on: info\n"
    assert not (tmp_path / "tenants").exists()  # nothing written when it refuses
    assert main(["init", "--force"]) == 0
    assert (tmp_path / ".faqlint.yaml").read_text() == STARTER[".faqlint.yaml"]


def test_schema_prints_the_file_exactly(capsys) -> None:
    assert main(["schema", "TokenLifetimePolicy"]) == 0
    expected = (builtin_schemas() / "TokenLifetimePolicy.schema.json").read_text()
    assert capsys.readouterr().out == expected
    assert main(["schema", "config"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "FaqlintConfig"


def test_schema_lists_kinds_and_suggests(capsys) -> None:
    assert main(["schema"]) == 0
    names = capsys.readouterr().out.split()
    assert "Tenant" in names and names[-2:] == ["config", "policy-pack"]
    assert main(["schema", "TokenLifetimePolicies"]) == 2
    assert capsys.readouterr().err == (
        "faqlint: no schema for 'TokenLifetimePolicies'; did you mean 'TokenLifetimePolicy'?\n"
    )


@pytest.mark.parametrize("kind", ["tenant", "TENANT"])
def test_schema_names_ignore_case(kind: str, capsys) -> None:
    assert main(["schema", kind]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Tenant"


def test_init_into_a_path_that_is_a_file_is_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("x")
    assert main(["init", "taken"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
