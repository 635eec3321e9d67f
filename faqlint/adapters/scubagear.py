"""ScubaGear's `ProviderSettingsExport.json`: one object whose sections hold what its providers
collected (`org_config` from Get-OrganizationConfig, `conditional_access_policies` and
`license_information` from the Graph PowerShell SDK, ...).

The sections faqlint models are read as their kinds; the rest (`service_plans`, DNS records,
privileged users, ...) are not faqlint's. Graph sections come in PascalCase (`DisplayName`,
`GrantControls.BuiltInControls`); their keys are put back in Graph's camelCase at every depth.
ScubaGear 1.4 and later merge the export into `ScubaResults_<id>.json` by default, as its `Raw`
member: that is read the same, at `/Raw/...`. A section Windows PowerShell 5.1 wrote as
`{"value": [...], "Count": n}` is the list inside it.
Each resource's pointer is its place in the export (`/conditional_access_policies/3`), so a
finding lands on the export's line.

`M365Environment` (top level, in `scuba_config` or in `tenant_details`) gives the tenant's cloud:
the export then also yields a `Tenant` resource named after `tenant_details` (DisplayName,
DomainName or TenantId), so the rules about Government clouds apply. Every resource carries the
run it came from (the tenant's id and `timestamp_zulu`, or the timestamp in the run folder's
name), so that of several runs of one tenant only the newest is checked (`runs.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace
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
    unwrap,
    unwrapped_object,
)
from faqlint.adapters.powershell import first_truncated, merged_extras
from faqlint.codes import engine_finding
from faqlint.findings import Finding
from faqlint.identify import ExportRun, Reading, Resource
from faqlint.loaded import Document

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


CLOUDS = {"commercial": "Commercial", "gcc": "GCC", "gcchigh": "GCCHigh", "dod": "DoD"}
_RUN_FOLDER = re.compile(r"_(\d{4})_(\d{2})_(\d{2})_(\d{2})_(\d{2})_(\d{2})$")


def _is_scubagear(data: dict[str, Any], path: str) -> bool:
    """A section faqlint reads, or ScubaGear's own keys, beside its file name or another of its
    own keys: one key alone (`service_plans`) could be any tool's."""
    markers = sum(1 for key in MARKERS if key in data)
    named = PurePosixPath(path).name.lower() == FILE_NAME
    sections = any(section in data for section in SECTIONS)
    return markers >= 2 or (named and (markers > 0 or sections)) or (sections and markers > 0)


def _objects(section: Any) -> list[tuple[str, dict[str, Any]]]:
    """(pointer suffix, object): ConvertTo-Json writes one object bare and several as an array."""
    section, base = unwrap(section)
    if isinstance(section, dict):
        return [(base, section)]
    if isinstance(section, list):
        return [
            (base + item_pointer(i), item)
            for i, item in enumerate(section)
            if isinstance(item, dict)
        ]
    return []


def _get(data: Any, key: str) -> Any:
    if not isinstance(data, dict):
        return None
    folded = {str(k).casefold(): (k, v) for k, v in data.items()}
    return folded.get(key.casefold(), (None, None))[1]


def _tenant_details(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The tenant_details object (ScubaGear writes a list of one), and its pointer."""
    details, base = unwrap(data.get("tenant_details"))
    if isinstance(details, list) and details and isinstance(details[0], dict):
        return details[0], item_pointer("tenant_details") + base + "/0"
    if isinstance(details, dict):
        return details, item_pointer("tenant_details") + base
    return {}, ""


def _environment(data: dict[str, Any], details: dict[str, Any], at: str) -> tuple[str, str] | None:
    """(value, pointer) of M365Environment, wherever this ScubaGear version writes it."""
    for holder, pointer in (
        (data, ""),
        (_get(data, "scuba_config"), item_pointer("scuba_config")),
        (details, at),
    ):
        if isinstance(holder, dict):
            for key, value in holder.items():
                if str(key).casefold() == "m365environment" and isinstance(value, str):
                    return value, pointer + item_pointer(key)
    return None


def _run(data: dict[str, Any], details: dict[str, Any], path: str, label: str) -> ExportRun:
    tenant = first_text(details, ("TenantId", "DomainName", "DisplayName"))
    folder = PurePosixPath(path).parent
    taken = data.get("timestamp_zulu")
    if not isinstance(taken, str) or not taken.strip():
        stamp = _RUN_FOLDER.search(folder.name)
        taken = "{}-{}-{}T{}:{}:{}".format(*stamp.groups()) if stamp else ""
    # Without a tenant id, runs of one tenant are the run folders side by side in one folder.
    return ExportRun(tenant or f"folder:{folder.parent}", taken.strip(), label)


def _tenant(
    data: dict[str, Any], details: dict[str, Any], at: str, path: str, document: Document
) -> Resource | None:
    found = _environment(data, details, at)
    if found is None:
        return None
    value, pointer = found
    name = first_text(details, ("DisplayName", "DomainName", "TenantId"))
    if name is None:
        return None  # a Tenant without a name would name the tenant after the file
    spec = {"cloud": CLOUDS.get(value.strip().casefold(), value)}
    resource = export_resource("Tenant", name, path, document.index, spec, "", SOURCE)
    return replace(resource, aliases=(("/cloud", pointer),))


def _merged(data: Any) -> tuple[Any, str]:
    """ScubaGear 1.4 and later write one `ScubaResults_<id>.json` by default, holding the
    provider export as its `Raw` (beside `MetaData`, `Summary` and `Results`): (the export, the
    pointer of the export in the file)."""
    if (
        isinstance(data, dict)
        and isinstance(data.get("Raw"), dict)
        and ("MetaData" in data or "Results" in data)
    ):
        return data["Raw"], "/Raw"
    return data, ""


def read_scubagear(document: Document, path: str, forced_kind: str | None) -> Reading | None:
    data, prefix = _merged(document.data)
    if not isinstance(data, dict) or not _is_scubagear(data, path):
        return None
    details, details_at = _tenant_details(data)
    label = first_text(details, ("DisplayName", "DomainName", "TenantId")) or "unnamed tenant"
    run = _run(data, details, path, label)
    found: list[Resource] = []
    for section, (kind, from_graph, name_keys) in SECTIONS.items():
        for suffix, item in _objects(data.get(section)):
            pointer = item_pointer(section) + suffix
            name = first_text(item, name_keys) or fallback_name(path, pointer)
            item, aliases = unwrapped_object(item)
            spec = fit_spec(merged_extras(camel_keys(item)) if from_graph else item, kind)
            resource = export_resource(kind, name, path, document.index, spec, pointer, SOURCE)
            found.append(replace(resource, aliases=tuple(aliases)))
    if not found:
        return Reading((), (_not_read(data, path, document),))
    cut = first_truncated(found)
    if cut is not None:
        return Reading((), (replace(cut, pointer=prefix + cut.pointer),))
    tenant = _tenant(data, details, details_at, path, document)
    resources = unique_names(found) + ([tenant] if tenant is not None else [])
    return Reading(
        tuple(
            replace(r, run=run, root=prefix + r.root, spec_pointer=prefix + r.spec_pointer)
            for r in resources
        )
    )


def _not_read(data: dict[str, Any], path: str, document: Document) -> Finding:
    version = data.get("module_version")
    what = f"ScubaGear {version} export" if isinstance(version, str) else "ScubaGear export"
    sections = ", ".join(SECTIONS)
    return engine_finding(
        "FL010",
        f"this {what} holds none of the sections faqlint reads ({sections}) or they are empty, "
        "so nothing in it was checked; run ScubaGear with the products that collect them "
        "(-ProductNames aad, exo), or exclude the file",
        file=path,
        document=document.index,
        pointer="",
    )
