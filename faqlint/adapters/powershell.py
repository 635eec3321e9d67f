"""Exchange Online PowerShell output saved with `ConvertTo-Json`, for files the config maps to a
kind (`kinds: {"exports/org-config.json": ExchangeOrganizationConfig}`).

Such a file does not say what it is, so it is read only when the config names its kind. It holds
one object (`Get-OrganizationConfig`) or an array of them (`Get-CASMailbox -ResultSize
Unlimited`), in PascalCase, with hundreds of properties faqlint does not model, `null` for "not
configured" and `/Date(1700000000000)/` timestamps. Only the properties the kind models are kept
(matched case-insensitively, as PowerShell matches parameter names); those are checked as in a
native file. Each object's name is its Identity, Name, DisplayName or Guid, whichever it has.
"""

from __future__ import annotations

from typing import Any

from faqlint.adapters.common import (
    export_resource,
    fallback_name,
    first_text,
    fit_spec,
    item_pointer,
    kind_schema,
    unique_names,
)
from faqlint.identify import Resource
from faqlint.load import Document

SOURCE = "powershell"
NAME_KEYS = ("Identity", "Name", "DisplayName", "Guid", "displayName", "id")


def _resource(
    item: dict[str, Any], kind: str, path: str, document: Document, pointer: str
) -> Resource:
    name = first_text(item, NAME_KEYS) or fallback_name(path, pointer)
    return export_resource(kind, name, path, document.index, fit_spec(item, kind), pointer, SOURCE)


def read_powershell(
    document: Document, path: str, forced_kind: str | None
) -> list[Resource] | None:
    if forced_kind is None or kind_schema(forced_kind) is None:
        return None
    data = document.data
    if isinstance(data, dict):
        return [_resource(data, forced_kind, path, document, "")]
    if isinstance(data, list):
        found = [
            _resource(item, forced_kind, path, document, item_pointer(index))
            for index, item in enumerate(data)
            if isinstance(item, dict)
        ]
        return unique_names(found)
    return None
