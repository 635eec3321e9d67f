"""The built-in policy packs, validated once: `faqlint/builtin_packs.json`.

`python -m faqlint.packs_gen` validates every file of the built-in pack folder with pydantic, as
a pack from `policy-paths` is validated, and writes the result as plain JSON data (never code),
with each file's name and SHA-256, so that a run reads the shipped packs without pydantic (see
`faqlint.policy`). `--check` only compares, for CI; a test fails when the committed file drifts
from the packs or from the models.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from faqlint import cache
from faqlint.policy import (
    SHIPPED_FORM,
    SHIPPED_FORMAT,
    SHIPPED_VERSION,
    models_digest,
    pack_files,
    pack_names,
    validate_pack,
)
from faqlint.resources import builtin_policies


def generated() -> str:
    """The text `SHIPPED_FORM` must hold for the packs in the built-in folder."""
    folder = builtin_policies()
    files = [(path, data) for path, _, data in pack_files([folder], 1)]
    entries = [
        {"name": name, "sha256": sha256, "documents": cache.encode(validate_pack(path, data))}
        for (name, sha256), (path, data) in zip(pack_names([folder], files), files, strict=True)
    ]
    form = {
        "format": SHIPPED_FORMAT,
        "version": SHIPPED_VERSION,
        "models": models_digest(),
        "files": entries,
    }
    return json.dumps(form, ensure_ascii=False, indent=1) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m faqlint.packs_gen",
        description="Write the built-in policy packs, validated, as faqlint/builtin_packs.json.",
    )
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed file, exit 1 if stale"
    )
    args = parser.parse_args(argv)
    text = generated()
    current = SHIPPED_FORM.read_text(encoding="utf-8") if SHIPPED_FORM.is_file() else None
    if current == text:
        return 0
    if args.check:
        print(f"{SHIPPED_FORM}: out of date (python -m faqlint.packs_gen)", file=sys.stderr)
        return 1
    SHIPPED_FORM.write_text(text, encoding="utf-8")
    print(f"{SHIPPED_FORM}: written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
