"""Microsoft Graph responses saved as they came: one object that names its type (`@odata.type`, or
an `@odata.context` ending `/$entity`), or a list response (`@odata.context` + `value`).

Each object of a kind faqlint models becomes a resource whose pointer is its place in the file
(`/value/3` for the fourth item), so a finding lands on the line of the export. Objects of other
types (a `windowsManagedAppProtection` in a mixed `managedAppPolicies` list) are not faqlint's and
are passed over. A list with an empty `value` is a read export that holds no resource.
"""

from __future__ import annotations

import re
from typing import Any

from faqlint.adapters.common import (
    export_resource,
    fallback_name,
    first_text,
    fit_spec,
    item_pointer,
    unique_names,
)
from faqlint.identify import Resource
from faqlint.load import Document

SOURCE = "graph"

# @odata.type -> kind, and the platform an app protection type implies.
TYPES: dict[str, str] = {
    "#microsoft.graph.conditionalAccessPolicy": "ConditionalAccessPolicy",
    "#microsoft.graph.tokenLifetimePolicy": "TokenLifetimePolicy",
    "#microsoft.graph.iosManagedAppProtection": "AppProtectionPolicy",
    "#microsoft.graph.androidManagedAppProtection": "AppProtectionPolicy",
    "#microsoft.graph.targetedManagedAppConfiguration": "AppConfigurationPolicy",
    "#microsoft.graph.subscribedSku": "SubscribedSku",
}
PLATFORMS: dict[str, str] = {
    "#microsoft.graph.iosManagedAppProtection": "iOS",
    "#microsoft.graph.androidManagedAppProtection": "android",
}

# The entity set an @odata.context names -> the @odata.type of its items. A set whose items carry
# their own @odata.type (managedAppPolicies mixes platforms) maps to None: each item says.
COLLECTIONS: dict[str, str | None] = {
    "policies/tokenlifetimepolicies": "#microsoft.graph.tokenLifetimePolicy",
    "identity/conditionalaccess/policies": "#microsoft.graph.conditionalAccessPolicy",
    "subscribedskus": "#microsoft.graph.subscribedSku",
    "deviceappmanagement/iosmanagedappprotections": "#microsoft.graph.iosManagedAppProtection",
    "deviceappmanagement/androidmanagedappprotections": (
        "#microsoft.graph.androidManagedAppProtection"
    ),
    "deviceappmanagement/targetedmanagedappconfigurations": (
        "#microsoft.graph.targetedManagedAppConfiguration"
    ),
    "deviceappmanagement/managedapppolicies": None,
}

_SELECT = re.compile(r"\([^()]*\)")  # `subscribedSkus(skuId,skuPartNumber)`: $select, $expand
_COLLECTION_OF = re.compile(r"collection\((?:microsoft\.graph\.)?(\w+)\)", re.IGNORECASE)


def _entity_set(context: str) -> tuple[str, bool] | None:
    """(`policies/tokenlifetimepolicies`, is_single_entity) from an @odata.context URL."""
    if "#" not in context:
        return None
    fragment = context.split("#", 1)[1]
    of_type = _COLLECTION_OF.fullmatch(fragment)
    if of_type:  # `#Collection(microsoft.graph.subscribedSku)`
        return f"#type:{of_type.group(1).lower()}", False
    single = fragment.endswith("$entity")
    fragment = fragment.removesuffix("$entity")
    while _SELECT.search(fragment):  # nested: `iosManagedAppProtections(apps())` after $expand
        fragment = _SELECT.sub("", fragment)
    return fragment.strip("/").lower(), single


def _collection_type(entity_set: str) -> tuple[bool, str | None]:
    """(known, item type) for an entity set named by an @odata.context."""
    if entity_set.startswith("#type:"):
        wanted = entity_set.removeprefix("#type:")
        for odata_type in TYPES:
            if odata_type.lower().endswith("." + wanted):
                return True, odata_type
        return False, None
    if entity_set in COLLECTIONS:
        return True, COLLECTIONS[entity_set]
    return False, None


def _type_of(item: dict[str, Any], default: str | None) -> str | None:
    declared = item.get("@odata.type")
    if isinstance(declared, str):
        for odata_type in TYPES:
            if odata_type.lower() == declared.lower():
                return odata_type
        return None
    return default


def _resource(
    item: dict[str, Any], odata_type: str, path: str, document: Document, pointer: str
) -> Resource:
    kind = TYPES[odata_type]
    spec = fit_spec(item, kind)
    if odata_type in PLATFORMS and "platform" not in spec:
        spec = {**spec, "platform": PLATFORMS[odata_type]}
    names = ("skuPartNumber", "id") if kind == "SubscribedSku" else ("displayName", "id")
    name = first_text(item, names) or fallback_name(path, pointer)
    return export_resource(kind, name, path, document.index, spec, pointer, SOURCE)


def read_graph(document: Document, path: str, forced_kind: str | None) -> list[Resource] | None:
    data = document.data
    if not isinstance(data, dict):
        return None
    context = data.get("@odata.context")
    entity = _entity_set(context) if isinstance(context, str) else None
    known, collection_type = _collection_type(entity[0]) if entity else (False, None)
    single = entity is not None and entity[1]
    if known and not single:
        values = data.get("value")
        if not isinstance(values, list):
            return []  # a list response without its list: read, and nothing in it
        found: list[Resource] = []
        for index, item in enumerate(values):
            if not isinstance(item, dict):
                continue  # not an object: nothing a kind could model (Graph never sends this)
            odata_type = _type_of(item, collection_type)
            if odata_type is not None:
                pointer = item_pointer("value", index)
                found.append(_resource(item, odata_type, path, document, pointer))
        return unique_names(found)
    odata_type = _type_of(data, collection_type if known else None)
    if odata_type is None:
        return None
    return [_resource(data, odata_type, path, document, "")]
