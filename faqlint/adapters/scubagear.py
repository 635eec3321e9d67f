"""ScubaGear's `ProviderSettingsExport.json`: one object whose sections hold what its providers
collected (`org_config` from Get-OrganizationConfig, `conditional_access_policies` and
`license_information` from the Graph PowerShell SDK, ...).

The sections faqlint models are read as their kinds; the rest (`service_plans`, DNS records,
privileged users, ...) are not faqlint's. Graph sections come in PascalCase (`DisplayName`,
`GrantControls.BuiltInControls`); their keys are put back in Graph's camelCase at every depth.
Each resource's pointer is its place in the export (`/conditional_access_policies/3`), so a
finding lands on the export's line.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from faqlint.adapters.common import (
    camel_keys,
    export_resource,
    fallback_name,
    first_text,
    fit_spec,
    item_pointer,
    unique_names,
)
from faqlint.identify import Resource
from faqlint.load import Document

SOURCE = "scubagear"
FILE_NAME = "providersettingsexport.json"

# section -> (kind, whether its objects come from Graph in PascalCase, keys that name an object)
SECTIONS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "org_config": (
        "ExchangeOrganizationConfig",
        False,
        ("Identity", "Name", "DisplayName", "Guid"),
    ),
    "conditional_access_policies": ("ConditionalAccessPolicy", True, ("DisplayName", "Id")),
    "license_information": ("SubscribedSku", True, ("SkuPartNumber", "SkuId")),
}
# Keys only a ScubaGear export has: with one of them, a file of another name is recognised too.
MARKERS = frozenset(
    {
        "baseline_version",
        "module_version",
        "tenant_details",
        "timestamp_zulu",
        "report_uuid",
        "aad_successful_commands",
        "exo_successful_commands",
        "cap_table_data",
        "service_plans",
    }
)


def _is_scubagear(data: dict[str, Any], path: str) -> bool:
    if not any(section in data for section in SECTIONS):
        return False
    return PurePosixPath(path).name.lower() == FILE_NAME or any(key in data for key in MARKERS)


def _objects(section: Any) -> list[tuple[str, dict[str, Any]]]:
    """(pointer suffix, object): ConvertTo-Json writes one object bare and several as an array."""
    if isinstance(section, dict):
        return [("", section)]
    if isinstance(section, list):
        return [(item_pointer(i), item) for i, item in enumerate(section) if isinstance(item, dict)]
    return []


def read_scubagear(document: Document, path: str, forced_kind: str | None) -> list[Resource] | None:
    data = document.data
    if not isinstance(data, dict) or not _is_scubagear(data, path):
        return None
    found: list[Resource] = []
    for section, (kind, from_graph, name_keys) in SECTIONS.items():
        for suffix, item in _objects(data.get(section)):
            pointer = item_pointer(section) + suffix
            name = first_text(item, name_keys) or fallback_name(path, pointer)
            spec = fit_spec(camel_keys(item) if from_graph else item, kind)
            found.append(export_resource(kind, name, path, document.index, spec, pointer, SOURCE))
    return unique_names(found)
