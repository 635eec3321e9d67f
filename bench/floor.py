"""The floor: parse with marks + validate against the kind schemas, nothing else.

    python bench/floor.py PATH... --schemas DIR [--json] [--verbose]

YAML: libyaml (PyYAML's `CSafeLoader`) composes each document into nodes that carry line:col
marks, then constructs plain data from them, in one pass, every document of a file. JSON: orjson
(json when orjson is absent). Each native document (`apiVersion: faqlint/v1`) is validated with
jsonschema-rs against its kind's schema (`is_valid`: a decision, no messages). Raw exports (no
envelope) are parsed and counted, not validated: matching them to a kind is faqlint's work.

Prints the number of files, documents, native and raw documents, invalid documents, documents of
an unknown kind and parse errors; exits 1 when a file did not parse, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jsonschema_rs
import yaml  # type: ignore[import-untyped]

from bench import schemas as bundled

try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover
    _loads = json.loads  # type: ignore[assignment]

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Tally:
    files: int = 0
    documents: int = 0
    native: int = 0
    raw: int = 0
    invalid: int = 0
    unknown_kind: int = 0
    parse_errors: int = 0
    invalid_docs: list[str] = field(default_factory=list)


def walk(paths: Sequence[str]) -> Iterator[str]:
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(SUFFIXES):
                        yield os.path.join(root, name)
        else:
            yield path


def yaml_documents(text: str) -> Iterator[Any]:
    loader = yaml.CSafeLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()  # composed, with start_mark/end_mark on every node
            yield loader.construct_document(node)
    finally:
        loader.dispose()


def documents(path: str) -> list[Any]:
    with open(path, "rb") as handle:
        data = handle.read()
    if path.endswith(".json"):
        return [_loads(data.removeprefix(b"\xef\xbb\xbf"))]
    return list(yaml_documents(data.decode("utf-8-sig")))


def validators(folder: Path) -> dict[str, Any]:
    return {
        kind: jsonschema_rs.validator_for(schema)
        for kind, schema in bundled.kind_schemas(folder).items()
    }


def run(paths: Sequence[str], folder: Path) -> Tally:
    checks = validators(folder)
    tally = Tally()
    for path in walk(paths):
        tally.files += 1
        try:
            docs = documents(path)
        except (yaml.YAMLError, ValueError, UnicodeDecodeError):
            tally.parse_errors += 1
            continue
        for index, doc in enumerate(docs, 1):
            tally.documents += 1
            if not (isinstance(doc, dict) and doc.get("apiVersion") == "faqlint/v1"):
                tally.raw += 1
                continue
            tally.native += 1
            check = checks.get(doc.get("kind"))  # type: ignore[arg-type]
            if check is None:
                tally.unknown_kind += 1
            elif not check.is_valid(doc):
                tally.invalid += 1
                tally.invalid_docs.append(f"{path}#{index}")
    return tally


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument(
        "--schemas",
        type=Path,
        default=Path("schemas"),
        help="folder of <Kind>.schema.json (default: schemas)",
    )
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--verbose", action="store_true", help="list invalid documents")
    args = parser.parse_args(argv)
    if not bundled.kinds(args.schemas):
        print(f"floor: no kind schemas in {args.schemas}", file=sys.stderr)
        return 2
    tally = run(args.paths, args.schemas)
    if args.json:
        print(
            json.dumps(
                asdict(tally)
                if args.verbose
                else {k: v for k, v in asdict(tally).items() if k != "invalid_docs"}
            )
        )
    else:
        print(
            f"files={tally.files} documents={tally.documents} native={tally.native} "
            f"raw={tally.raw} invalid={tally.invalid} unknown_kind={tally.unknown_kind} "
            f"parse_errors={tally.parse_errors}"
        )
        if args.verbose:
            print("\n".join(tally.invalid_docs))
    return 1 if tally.parse_errors else 0


if __name__ == "__main__":
    sys.exit(main())
