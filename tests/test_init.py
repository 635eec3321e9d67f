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
    out = capsys.readouterr().out
    assert "wrote repo/.faqlint.yaml" in out
    assert "wrote 17 schemas to repo/.faqlint/schemas (for editors, offline)" in out
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
        # the modeline names the kind's schema in the repository, relative to the file
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix)
        relative = first.removeprefix(prefix)
        assert relative == f"../../.faqlint/schemas/{data['kind']}.schema.json"
        written = (tmp_path / name).parent / relative
        shipped = builtin_schemas() / f"{data['kind']}.schema.json"
        assert written.read_text() == shipped.read_text()
        jsonschema.Draft202012Validator(json.loads(written.read_text())).validate(data)


def test_the_config_it_writes_validates_against_the_config_schema(tmp_path) -> None:
    from faqlint.init import write_starter

    write_starter(tmp_path)
    text = (tmp_path / ".faqlint.yaml").read_text()
    schema = json.loads((tmp_path / ".faqlint/schemas/config.schema.json").read_text())
    assert (
        text.splitlines()[0]
        == "# yaml-language-server: $schema=.faqlint/schemas/config.schema.json"
    )
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


def test_init_refreshes_the_schemas_it_finds_without_force(tmp_path, monkeypatch) -> None:
    """The schemas are faqlint's generated files, not the user's: an older copy (from
    `faqlint schema --write`, or an earlier faqlint) does not make init refuse."""
    monkeypatch.chdir(tmp_path)
    stale = tmp_path / ".faqlint/schemas/Tenant.schema.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    assert main(["init"]) == 0
    assert stale.read_text() == (builtin_schemas() / "Tenant.schema.json").read_text()


def test_init_refuses_a_schema_folder_that_is_a_link(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "repo" / ".faqlint").mkdir(parents=True)
    (tmp_path / "repo" / ".faqlint" / "schemas").symlink_to(elsewhere)
    assert main(["init", "repo"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
    assert not (tmp_path / "repo" / ".faqlint.yaml").exists()  # all or nothing


def test_schema_prints_the_file_exactly(capsys) -> None:
    assert main(["schema", "TokenLifetimePolicy"]) == 0
    expected = (builtin_schemas() / "TokenLifetimePolicy.schema.json").read_text()
    assert capsys.readouterr().out == expected
    assert main(["schema", "config"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "FaqlintConfig"


def test_schema_lists_kinds_and_suggests(capsys) -> None:
    assert main(["schema"]) == 0
    names = capsys.readouterr().out.split()
    assert "Tenant" in names and names[-3:] == ["config", "policy-pack", "resource"]
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
