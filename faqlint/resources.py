"""Where the built-in policies and schemas are: inside the wheel, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`policies` or `schemas`: `faqlint/_data/<name>` when installed, `<repo>/<name>` otherwise."""
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def builtin_policies() -> Path:
    return data_dir("policies")


def builtin_schemas() -> Path:
    return data_dir("schemas")
