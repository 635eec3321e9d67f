"""The published JSON Schemas: faqlint's own file formats generated from their pydantic models,
and `faqlint schema [KIND]`, which prints any schema exactly as `schemas/` holds it.

`python -m faqlint.schemas_gen` rewrites `schemas/config.schema.json` (the `.faqlint.yaml` format)
and `schemas/policy-pack.schema.json` (a policy pack file: a PolicyPack or a PolicyData document);
`--check` only compares, for CI. A test fails when the committed files drift from the models.
"""

from __future__ import annotations

import argparse
import json
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


def _schema_files() -> dict[str, Path]:
    folder = builtin_schemas()
    return {p.name.removesuffix(".schema.json"): p for p in sorted(folder.glob("*.schema.json"))}


def schema_names() -> list[str]:
    """The resource kinds, then faqlint's own formats (`config`, `policy-pack`)."""
    own = {CONFIG_SCHEMA, POLICY_SCHEMA}
    names = list(_schema_files())
    return [n for n in names if n not in own] + [n for n in names if n in own]


def schema_id(name: str) -> str:
    return f"{ID_BASE}{name}.schema.json"


def schema_text(name: str) -> str:
    """The schema file's text, byte for byte; the name is matched without regard to case."""
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
    stale = []
    for name, text in generated().items():
        path = args.output / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{path}: {verb}", file=sys.stderr)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
