"""The published JSON Schemas: faqlint's own file formats generated from their pydantic models,
and `faqlint schema [KIND]`, which prints any schema exactly as `schemas/` holds it.

`faqlint schema --write DIR` (and `faqlint init`) copies every schema into the repository, plus
`resource.schema.json`, which accepts a document of any kind and validates it as its `kind` says,
so that editors validate offline: the `$id`s name faqlint.io, but they are identifiers only, and a
modeline or `yaml.schemas` entry that names the file by path is never fetched.

`python -m faqlint.schemas_gen` rewrites `schemas/config.schema.json` (the `.faqlint.yaml` format)
and `schemas/policy-pack.schema.json` (a policy pack file: a PolicyPack or a PolicyData document);
`--check` only compares, for CI. A test fails when the committed files drift from the models. In a
checkout it also refreshes `examples/.faqlint/schemas`, the copy examples/ carries for editors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from faqlint.config import Config
from faqlint.errors import FaqlintError
from faqlint.identify import suggest
from faqlint.policy import PolicyData, PolicyPack
from faqlint.resources import builtin_schemas

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://faqlint.io/schemas/v1/"
CONFIG_SCHEMA = "config"
POLICY_SCHEMA = "policy-pack"
RESOURCE_SCHEMA = "resource"  # any kind, dispatched on `kind` (`resource_schema`)
SCHEMA_FOLDER = ".faqlint/schemas"  # where `faqlint init` writes them, from the repository root


def _published(name: str, title: str, description: str, body: dict[str, Any]) -> dict[str, Any]:
    """`$schema`, `$id`, title and description first, so the file reads from the top."""
    body = {k: v for k, v in body.items() if k not in {"title", "description"}}
    return {
        "$schema": DIALECT,
        "$id": f"{ID_BASE}{name}.schema.json",
        "title": title,
        "description": description,
        **body,
    }


def config_schema() -> dict[str, Any]:
    return _published(
        CONFIG_SCHEMA,
        "FaqlintConfig",
        "faqlint configuration: `.faqlint.yaml`, or the `[tool.faqlint]` table of pyproject.toml.",
        TypeAdapter(Config).json_schema(by_alias=True, mode="validation"),
    )


def policy_pack_schema() -> dict[str, Any]:
    document = Annotated[PolicyPack | PolicyData, Field(discriminator="kind")]
    body = TypeAdapter(document).json_schema(by_alias=True, mode="validation")
    # `discriminator` is OpenAPI's keyword, not JSON Schema's: `kind`'s const already decides.
    body.pop("discriminator", None)
    return _published(
        POLICY_SCHEMA,
        "PolicyPack",
        "A faqlint policy pack file: rules (kind: PolicyPack) or a table the rules read as "
        "data.<metadata.name> (kind: PolicyData).",
        body,
    )


def generated() -> dict[str, str]:
    """File name -> text of every generated schema."""
    return {
        f"{CONFIG_SCHEMA}.schema.json": _text(config_schema()),
        f"{POLICY_SCHEMA}.schema.json": _text(policy_pack_schema()),
    }


def _text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


# --- `faqlint schema` -----------------------------------------------------------------------


class UnknownSchema(FaqlintError):
    """`faqlint schema X` for an X that has no schema: exit 2."""


def resource_schema() -> dict[str, Any]:
    """One schema for a document of any kind: `kind` must be a known kind, and the document is
    then validated against that kind's schema only.

    `if`/`then` on `kind`'s const rather than `oneOf`: a misspelt key in an
    ExchangeOrganizationConfig is then reported against that kind alone ("Property EwsAllowlist
    is not allowed"), where `oneOf` makes yaml-language-server weigh every kind and, for a
    document that fits none, report the closest one's errors, or "matches no schema". Each kind's
    schema is embedded under `$defs`, its own `#/$defs/...` references rewritten to point inside
    it, so the file needs no other file and no network."""
    kinds = {name: json.loads(text) for name, text in _kind_texts().items()}
    dispatch = [
        {
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"$ref": f"#/$defs/{name}"},
        }
        for name in kinds
    ]
    embedded = {name: _embedded(schema, f"#/$defs/{name}") for name, schema in kinds.items()}
    return _published(
        RESOURCE_SCHEMA,
        "FaqlintResource",
        "A faqlint resource of any kind, validated against the schema of the kind it names.",
        {
            "type": "object",
            "required": ["apiVersion", "kind", "metadata", "spec"],
            "properties": {
                "apiVersion": {
                    "const": "faqlint/v1",
                    "description": "Version of faqlint's resource format. Always faqlint/v1.",
                },
                "kind": {
                    "enum": list(kinds),
                    "description": "The kind of resource this document describes; "
                    "`faqlint schema` lists them.",
                },
            },
            "allOf": dispatch,
            "$defs": embedded,
        },
    )


def _embedded(schema: dict[str, Any], base: str) -> dict[str, Any]:
    """A kind's schema as a `$defs` entry: without `$schema` and `$id` (an embedded `$id` would
    make its references resolve against faqlint.io) and with `#/...` references pointing into
    it."""
    top = {k: v for k, v in schema.items() if k not in {"$schema", "$id"}}
    rebased: dict[str, Any] = _rebased(top, base)
    return rebased


def _rebased(node: Any, base: str) -> Any:
    if isinstance(node, dict):
        return {
            key: base + value[1:]
            if key == "$ref" and isinstance(value, str) and value.startswith("#/")
            else _rebased(value, base)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebased(item, base) for item in node]
    return node


def _kind_texts() -> dict[str, str]:
    own = {CONFIG_SCHEMA, POLICY_SCHEMA}
    files = _schema_files()
    return {n: p.read_text(encoding="utf-8") for n, p in files.items() if n not in own}


def editor_schemas() -> dict[str, str]:
    """File name -> text of every schema an editor needs: each kind's and faqlint's own formats
    exactly as `schemas/` holds them, and the combined `resource.schema.json`."""
    texts = {
        f"{name}.schema.json": path.read_text(encoding="utf-8")
        for name, path in _schema_files().items()
    }
    texts[f"{RESOURCE_SCHEMA}.schema.json"] = _text(resource_schema())
    return texts


def write_schemas(directory: Path, cwd: Path) -> list[Path]:
    """Write `editor_schemas()` into `directory` (all or none, atomically, never through a link:
    see `faqlint.fsio`). Returns the files written."""
    from faqlint.fsio import Planned, anchor_of, write_all

    anchor = anchor_of(directory, cwd)
    folder = Path(os.path.abspath(cwd / directory))
    planned = [Planned(anchor, folder / name, text) for name, text in editor_schemas().items()]
    write_all(planned)
    return [directory / name for name in editor_schemas()]


def _schema_files() -> dict[str, Path]:
    folder = builtin_schemas()
    return {p.name.removesuffix(".schema.json"): p for p in sorted(folder.glob("*.schema.json"))}


def schema_names() -> list[str]:
    """The resource kinds, then faqlint's own formats (`config`, `policy-pack`), then the
    combined `resource`."""
    own = {CONFIG_SCHEMA, POLICY_SCHEMA}
    names = list(_schema_files())
    kinds = [n for n in names if n not in own]
    return kinds + [n for n in names if n in own] + [RESOURCE_SCHEMA]


def schema_id(name: str) -> str:
    return f"{ID_BASE}{name}.schema.json"


def schema_text(name: str) -> str:
    """The schema file's text, byte for byte; the name is matched without regard to case."""
    if name.lower() == RESOURCE_SCHEMA:
        return _text(resource_schema())
    files = _schema_files()
    chosen = files.get(name) or next(
        (path for key, path in files.items() if key.lower() == name.lower()), None
    )
    if chosen is None:
        hint = suggest(name, files) or "; `faqlint schema` lists them"
        raise UnknownSchema(f"no schema for {name!r}{hint}")
    return chosen.read_text(encoding="utf-8")


# --- the generator --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m faqlint.schemas_gen", description="Generate faqlint's own JSON Schemas."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with the files in schemas/ and exit 1 on a difference",
    )
    parser.add_argument("--output", type=Path, default=builtin_schemas(), metavar="DIR")
    args = parser.parse_args(argv)
    stale = _refresh(args.output, generated(), args.check)
    examples = builtin_schemas().parent / "examples" / SCHEMA_FOLDER
    if args.output == builtin_schemas() and examples.is_dir():
        # the copy examples/ carries for editors, as `faqlint init` gives every repository
        stale += _refresh(examples, editor_schemas(), args.check)
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{path}: {verb}", file=sys.stderr)
    return 1 if stale and args.check else 0


def _refresh(folder: Path, texts: dict[str, str], check: bool) -> list[Path]:
    """The files of `folder` that differ from `texts`, rewritten unless `check`."""
    stale = []
    for name, text in texts.items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            path.write_text(text, encoding="utf-8")
    return stale


if __name__ == "__main__":
    sys.exit(main())
