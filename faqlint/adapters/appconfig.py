"""Managed-device app configuration (Intune `deviceAppManagement/mobileAppConfigurations`) read as
an `AppConfigurationPolicy`: the settings Graph stores in its own shapes become `customSettings`
of `{name, value}`, as a managed-app configuration (`targetedManagedAppConfiguration`) holds them,
so that the same rules judge both.

- `iosMobileAppConfiguration`: `settings` is a list of `{appConfigKey, appConfigKeyType,
  appConfigKeyValue}`; `encodedSettingXml` is the base64 of the plist `<dict>` an admin may enter
  instead. Its `targetedMobileApps` are mobileApp ids (GUIDs): which app each is cannot be known
  from the policy, so no `apps` are set and the rules treat the policy as one for every app.
- `androidManagedStoreAppConfiguration`: `payloadJson` is the base64 of a managed configuration
  whose `managedProperty` list holds `{key, valueBool | valueString | valueInteger | ...}`;
  `packageId` names the app, so `apps` is known.

Each conversion also says where a rebuilt setting lies in the export (aliases), so a finding on
`customSettings/0/value` lands on `settings/0/appConfigKeyValue`, or on `payloadJson` for a value
inside the encoded payload; and what it could not decode, for an FL012 finding.
"""

from __future__ import annotations

import base64
import binascii
import json
import plistlib
from dataclasses import dataclass, field
from typing import Any
from xml.parsers.expat import ExpatError

# The keys every managedDeviceMobileAppConfiguration has that the kind models as they are.
_COMMON = (
    "@odata.type",
    "id",
    "version",
    "createdDateTime",
    "lastModifiedDateTime",
    "roleScopeTagIds",
    "displayName",
    "description",
    "targetedMobileApps",
    "assignments",
)
# managedProperty values a customSetting can hold (a string, boolean or number).
_SCALAR_VALUES = ("valueBool", "valueString", "valueInteger", "valueFloat")
_PLIST_DOCTYPE = b'<?xml version="1.0" encoding="UTF-8"?><plist version="1.0">'


@dataclass
class Converted:
    spec: dict[str, Any]
    aliases: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _common(item: dict[str, Any]) -> Converted:
    return Converted({k: item[k] for k in _COMMON if k in item})


def _decode(text: Any, what: str, problems: list[str]) -> bytes | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        problems.append(f"{what} is not base64")
        return None


def ios_settings(item: dict[str, Any]) -> Converted:
    converted = _common(item)
    settings: list[dict[str, Any]] = []
    for index, setting in enumerate(_list(item.get("settings"))):
        if not isinstance(setting, dict) or not isinstance(setting.get("appConfigKey"), str):
            continue
        place = len(settings)
        settings.append(
            {"name": setting["appConfigKey"], "value": setting.get("appConfigKeyValue")}
        )
        converted.aliases += [
            (f"/customSettings/{place}", f"/settings/{index}"),
            (f"/customSettings/{place}/name", f"/settings/{index}/appConfigKey"),
            (f"/customSettings/{place}/value", f"/settings/{index}/appConfigKeyValue"),
        ]
    raw = _decode(item.get("encodedSettingXml"), "encodedSettingXml", converted.problems)
    if raw is not None:
        for name, value in _plist_dict(raw, converted.problems):
            converted.aliases.append((f"/customSettings/{len(settings)}", "/encodedSettingXml"))
            settings.append({"name": name, "value": value})
    if settings or "settings" in item or "encodedSettingXml" in item:
        converted.spec["customSettings"] = settings
        whole = "/settings" if item.get("settings") or raw is None else "/encodedSettingXml"
        converted.aliases.append(("/customSettings", whole))
    converted.aliases.append(("/platform", "/@odata.type"))
    return converted


def _plist_dict(raw: bytes, problems: list[str]) -> list[tuple[str, Any]]:
    """The keys of the plist `<dict>` Intune stores: a whole plist, or the bare `<dict>` an admin
    types into the portal. Only XML is read (expat refuses entity declarations in plistlib)."""
    text = raw.strip()
    if not text.startswith(b"<?xml") and not text.startswith(b"<plist"):
        text = _PLIST_DOCTYPE + text + b"</plist>"
    try:
        data = plistlib.loads(text, fmt=plistlib.FMT_XML)
    except (plistlib.InvalidFileException, ExpatError, ValueError, TypeError, KeyError):
        problems.append("encodedSettingXml is not a plist <dict>")
        return []
    if not isinstance(data, dict):
        problems.append("encodedSettingXml is not a plist <dict>")
        return []
    return [(str(k), v) for k, v in data.items() if isinstance(v, (str, bool, int, float))]


def android_settings(item: dict[str, Any]) -> Converted:
    converted = _common(item)
    raw = _decode(item.get("payloadJson"), "payloadJson", converted.problems)
    payload: Any = None
    if raw is not None:
        try:
            payload = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            converted.problems.append("payloadJson does not decode to JSON")
    if raw is not None and payload is not None and not isinstance(payload, dict):
        converted.problems.append("payloadJson is not a managed configuration object")
        payload = None
    if isinstance(payload, dict):
        settings = []
        for prop in _list(payload.get("managedProperty")):
            if not isinstance(prop, dict) or not isinstance(prop.get("key"), str):
                continue
            value = next((prop[k] for k in _SCALAR_VALUES if prop.get(k) is not None), None)
            if value is not None:
                settings.append({"name": prop["key"], "value": value})
        converted.spec["customSettings"] = settings
        converted.aliases.append(("/customSettings", "/payloadJson"))
    package = item.get("packageId")
    if not isinstance(package, str) and isinstance(payload, dict):
        product = payload.get("productId")
        package = product.removeprefix("app:") if isinstance(product, str) else None
    if isinstance(package, str) and package.strip():
        identifier = {"@odata.type": "#microsoft.graph.androidMobileAppIdentifier"}
        package = package.strip().removeprefix("app:")
        converted.spec["apps"] = [{"mobileAppIdentifier": {**identifier, "packageId": package}}]
        converted.aliases.append(("/apps", "/packageId"))
    converted.aliases.append(("/platform", "/@odata.type"))
    return converted


READERS = {
    "iosMobileAppConfiguration": ios_settings,
    "androidManagedStoreAppConfiguration": android_settings,
}
