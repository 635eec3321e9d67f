"""The committed schemas of faqlint's own formats are what the models generate, and they accept
the files faqlint itself ships."""

from __future__ import annotations

import json

import jsonschema
import yaml

from faqlint.resources import builtin_policies, builtin_schemas
from faqlint.schemas_gen import generated, main


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
