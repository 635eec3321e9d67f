"""What the models of faqlint's own file formats (the config, policy packs) share.

Those models are plain dataclasses that pydantic validates only when a file changed (see
`faqlint.packs`), so nothing here may import pydantic, or anything else slow, at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def model_config(alias: Callable[[str], str], **extra: Any) -> dict[str, Any]:
    """The pydantic settings every model of faqlint's files shares: strict about unknown keys,
    keys written as `alias` spells them, each field described by its docstring."""
    return {
        "extra": "forbid",
        "alias_generator": alias,
        "populate_by_name": True,
        "use_attribute_docstrings": True,
        **extra,
    }


class NonEmpty:
    """Annotation metadata: the list or mapping must not be empty (`minItems: 1` in the schema).

    pydantic reads it through `__get_pydantic_core_schema__` when it validates or writes a
    schema; at start-up it is a plain object, so the models need no import of annotated_types.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["min_length"] = 1
        return schema

    def __repr__(self) -> str:
        return "NonEmpty()"
