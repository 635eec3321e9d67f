"""The resource schemas in schemas/ are well-formed, self-describing, and behave on examples.

- every kind's schema passes the draft 2020-12 metaschema, is named after its kind, and carries a
  `description` on every property (editors show them as tooltips);
- `$defs/metadata` is the same in every file (each file is self-contained, so it is repeated);
- every document of tests/schemas/valid/<Kind>.yaml validates;
- every tests/schemas/invalid/<Kind>-<what>.yaml fails, with an error at the JSON pointer named by
  its first line, `# expect: <pointer>`. For an unknown key the pointer names the key itself (or
  the mapping holding it); for a missing key, the mapping that lacks it.

Files in schemas/ whose title is not a resource kind (policy-pack, config) are not checked here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tests.conftest import KINDS

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
EXAMPLES = Path(__file__).resolve().parent / "schemas"


def _kind_schemas() -> dict[str, tuple[Path, dict[str, Any]]]:
    found = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if schema.get("title") in KINDS:
            found[schema["title"]] = (path, schema)
    return found


KIND_SCHEMAS = _kind_schemas()
VALID = sorted((EXAMPLES / "valid").glob("*.yaml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))


def _schema_for_example(path: Path) -> dict[str, Any]:
    kind = path.stem.split("-", 1)[0]
    assert kind in KIND_SCHEMAS, f"{path.name}: file name does not start with a kind"
    return KIND_SCHEMAS[kind][1]


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object reachable from `schema` through the applicator keywords."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
        for sub in schema.get(key, {}).values():
            yield from _subschemas(sub)
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for sub in schema.get(key, []):
            yield from _subschemas(sub)
    for key in (
        "items",
        "additionalProperties",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "not",
        "if",
        "then",
        "else",
        "propertyNames",
    ):
        yield from _subschemas(schema.get(key))


def _error_pointers(error: ValidationError) -> Iterator[str]:
    """Pointers an error may be reported at, including the errors of its oneOf/anyOf branches."""
    here = _pointer(error.absolute_path)
    yield here
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
        error.instance, dict
    ):
        known = error.schema.get("properties", {})
        for key in error.instance:
            if key not in known:
                yield _pointer([*error.absolute_path, key])
    for sub in error.context or ():
        yield from _error_pointers(sub)


def test_every_kind_has_a_schema() -> None:
    assert sorted(KIND_SCHEMAS) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_well_formed(kind: str) -> None:
    path, schema = KIND_SCHEMAS[kind]
    Draft202012Validator.check_schema(schema)
    jsonschema_rs.validator_for(schema)  # the engine's fast validator accepts it too
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert path.name == f"{kind}.schema.json"
    assert schema["$id"] == f"https://faqlint.io/schemas/v1/{path.name}"
    assert schema["properties"]["kind"]["const"] == kind
    assert schema["properties"]["apiVersion"]["const"] == "faqlint/v1"
    assert schema["required"] == ["apiVersion", "kind", "metadata", "spec"]
    assert schema["additionalProperties"] is False
    assert schema["description"]
    assert schema["$defs"]["spec"]["additionalProperties"] is False


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_description(kind: str) -> None:
    _, schema = KIND_SCHEMAS[kind]
    missing = [
        name
        for sub in _subschemas(schema)
        for name, prop in sub.get("properties", {}).items()
        if not (isinstance(prop, dict) and prop.get("description"))
    ]
    assert not missing, f"{kind}: properties without a description: {missing}"


def test_metadata_is_identical_everywhere() -> None:
    reference = KIND_SCHEMAS["Tenant"][1]["$defs"]["metadata"]
    differing = [k for k, (_, s) in KIND_SCHEMAS.items() if s["$defs"]["metadata"] != reference]
    assert not differing


def test_every_kind_has_examples() -> None:
    assert sorted(p.stem for p in VALID) == sorted(KINDS)
    assert {p.stem.split("-", 1)[0] for p in INVALID} == set(KINDS)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example(path: Path) -> None:
    schema = _schema_for_example(path)
    documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    assert documents
    validator = Draft202012Validator(schema)
    fast = jsonschema_rs.validator_for(schema)
    for index, document in enumerate(documents, 1):
        errors = [
            f"{_pointer(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)
        ]
        assert not errors, f"document {index}: {errors}"
        assert fast.is_valid(document)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name}: first line must be '# expect: <pointer>'"
    expected = first.removeprefix("# expect:").strip()
    schema = _schema_for_example(path)
    document = yaml.safe_load(text)
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert errors, f"{path.name} is valid"
    assert not jsonschema_rs.validator_for(schema).is_valid(document)
    pointers = {p for e in errors for p in _error_pointers(e)}
    assert expected in pointers, f"expected an error at {expected!r}, got {sorted(pointers)}"
