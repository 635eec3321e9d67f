"""Stand-in kind schemas for the benchmark tests, until the real `schemas/` land.

Written from the kinds the README lists, strict like the real ones will be (`additionalProperties: false` on
every modelled object, enums, required keys), and sharing one `metadata` definition through a
relative `$ref`, so the bundling in bench/schemas.py is exercised too. Not the project's schemas:
never copy them into `schemas/`.

    python tests/bench/stub_schemas.py DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

S: dict[str, Any] = {"type": "string"}
B: dict[str, Any] = {"type": "boolean"}
BN: dict[str, Any] = {"type": ["boolean", "null"]}
INT: dict[str, Any] = {"type": "integer"}
SL: dict[str, Any] = {"type": "array", "items": S}


def obj(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def enum(*values: Any) -> dict[str, Any]:
    return {"enum": list(values)}


def enum_list(*values: str) -> dict[str, Any]:
    return {"type": "array", "items": enum(*values)}


APPS = {
    "type": "array",
    "items": obj(
        {"mobileAppIdentifier": obj({"bundleId": S, "packageId": S})}, ("mobileAppIdentifier",)
    ),
}
EWS = {
    "EwsEnabled": BN,
    "EwsApplicationAccessPolicy": enum("EnforceAllowList", "EnforceBlockList", None),
    "EwsAllowList": {"type": ["array", "null"], "items": S},
    "EwsBlockList": {"type": ["array", "null"], "items": S},
    "EwsAllowOutlook": BN,
}
SPECS: dict[str, dict[str, Any]] = {
    "Tenant": obj(
        {
            "cloud": enum("Commercial", "GCC", "GCCHigh", "DoD", "Germany", "China21Vianet"),
            "mailboxRegions": SL,
            "hybrid": obj(
                {
                    "enabled": B,
                    "onPremisesMailboxes": B,
                    "hybridModernAuth": B,
                    "topology": enum("Classic", "HybridAgent"),
                    "sslOffloading": B,
                    "preAuthentication": B,
                    "directorySync": B,
                    "exchangeServerVersion": S,
                }
            ),
            "outlookMobile": obj(
                {"syncTechnology": enum("REST", "Native"), "certificateBasedAuth": B}
            ),
            "directory": obj({"orgChartAttributes": SL}),
        },
        ("cloud",),
    ),
    "ExchangeOrganizationConfig": obj(
        {
            "OAuth2ClientProfileEnabled": B,
            **EWS,
            "EwsAllowMacOutlook": BN,
            "EwsAllowEntourage": BN,
            "OutlookMobileGCCRestrictionsEnabled": B,
            "FocusedInboxOn": BN,
        }
    ),
    "CASMailbox": obj(
        {"Identity": S, **EWS, "OutlookMobileEnabled": B, "ActiveSyncEnabled": B}, ("Identity",)
    ),
    "ActiveSyncOrganizationSettings": obj(
        {"DefaultAccessLevel": enum("Allow", "Block", "Quarantine")}
    ),
    "ActiveSyncDeviceAccessRule": obj(
        {
            "Characteristic": enum(
                "DeviceType", "DeviceModel", "DeviceOS", "UserAgent", "XMSWLHeader"
            ),
            "QueryString": S,
            "AccessLevel": enum("Allow", "Block", "Quarantine"),
        },
        ("Characteristic", "QueryString", "AccessLevel"),
    ),
    "IRMConfiguration": obj(
        {
            "AzureRMSLicensingEnabled": B,
            "InternalLicensingEnabled": B,
            "ClientAccessServerEnabled": B,
        }
    ),
    "TokenLifetimePolicy": obj(
        {
            "displayName": S,
            "description": S,
            "isOrganizationDefault": B,
            "definition": {"type": "array", "items": {"type": ["string", "object"]}, "minItems": 1},
        },
        ("displayName", "definition"),
    ),
    "ConditionalAccessPolicy": obj(
        {
            "displayName": S,
            "state": enum("enabled", "disabled", "enabledForReportingButNotEnforced"),
            "conditions": obj(
                {
                    "users": obj(
                        {
                            "includeUsers": SL,
                            "excludeUsers": SL,
                            "includeGroups": SL,
                            "excludeGroups": SL,
                        }
                    ),
                    "applications": obj({"includeApplications": SL, "excludeApplications": SL}),
                    "clientAppTypes": enum_list(
                        "all",
                        "browser",
                        "mobileAppsAndDesktopClients",
                        "exchangeActiveSync",
                        "other",
                    ),
                    "platforms": obj(
                        {
                            "includePlatforms": enum_list(
                                "android", "iOS", "windows", "macOS", "linux", "all"
                            ),
                            "excludePlatforms": enum_list(
                                "android", "iOS", "windows", "macOS", "linux", "all"
                            ),
                        }
                    ),
                }
            ),
            "grantControls": obj(
                {
                    "operator": enum("AND", "OR"),
                    "builtInControls": enum_list(
                        "block",
                        "mfa",
                        "compliantDevice",
                        "domainJoinedDevice",
                        "approvedApplication",
                        "compliantApplication",
                        "passwordChange",
                    ),
                }
            ),
            "sessionControls": obj(
                {
                    "signInFrequency": obj(
                        {
                            "isEnabled": B,
                            "type": enum("days", "hours"),
                            "value": INT,
                            "authenticationType": S,
                            "frequencyInterval": S,
                        }
                    )
                }
            ),
        },
        ("displayName",),
    ),
    "AppProtectionPolicy": obj(
        {
            "displayName": S,
            "platform": enum("iOS", "android"),
            "apps": APPS,
            "minimumRequiredAppVersion": S,
            "minimumWarningAppVersion": S,
            "minimumRequiredOsVersion": S,
            "contactSyncBlocked": B,
            "saveAsBlocked": B,
            "pinRequired": B,
        },
        ("displayName", "platform"),
    ),
    "AppConfigurationPolicy": obj(
        {
            "displayName": S,
            "platform": enum("iOS", "android"),
            "apps": APPS,
            "customSettings": {
                "type": "array",
                "items": obj({"name": S, "value": S}, ("name", "value")),
            },
        },
        ("displayName",),
    ),
    "SubscribedSku": obj(
        {
            "skuPartNumber": S,
            "skuId": S,
            "servicePlans": {
                "type": "array",
                "items": obj({"servicePlanId": S, "servicePlanName": S}),
            },
        },
        ("skuPartNumber",),
    ),
    "LicenseAssignment": obj(
        {
            "assignedTo": S,
            "skuPartNumbers": SL,
            "disabledPlans": SL,
            "onPremisesLicenses": SL,
            "usage": enum("commercial", "consumer"),
            "devices": obj({"platforms": SL, "maxScreenSizeInches": {"type": "number"}}),
        },
        ("assignedTo",),
    ),
    "NetworkConfiguration": obj(
        {
            "outboundTcpPorts": {"type": "array", "items": INT},
            "proxy": obj(
                {
                    "enabled": B,
                    "protocol": enum("http", "https"),
                    "tlsInspection": B,
                    "authentication": enum("none", "basic", "ntlm", "kerberos", "negotiate"),
                    "pac": obj(
                        {"url": S, "matchBy": enum("hostname", "protocol"), "customSettings": B}
                    ),
                    "socks": obj({"enabled": B}),
                }
            ),
        }
    ),
    "OutlookMobileDeployment": obj(
        {
            "platforms": SL,
            "minimumAppVersion": obj({"iOS": S, "android": S}),
            "nativeSyncMigration": obj({"scope": enum("tenant", "perUser")}),
            "singleSignOn": obj({"broker": enum_list("MicrosoftAuthenticator", "CompanyPortal")}),
            "backgroundSync": obj({"required": B}),
            "android": obj(
                {
                    "batteryOptimizationExempt": enum_list(
                        "Outlook", "MicrosoftAuthenticator", "CompanyPortal"
                    ),
                    "officeAppsInstalled": B,
                }
            ),
            "expectations": obj(
                {
                    "itemsPerFolder": INT,
                    "attachments": obj(
                        {
                            "autoDownload": B,
                            "offlineRetentionDays": INT,
                            "rightsProtectedPreviewOnIOS": B,
                        }
                    ),
                    "tasks": B,
                    "notes": B,
                    "orgChart": B,
                    "contactsExportInBackground": B,
                }
            ),
            "support": obj({"channel": enum("inApp", "premier", "other")}),
            "emm": obj({"vendor": S}),
        }
    ),
}

METADATA = obj(
    {
        "name": {"type": "string", "pattern": "^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$"},
        "tenant": S,
        "annotations": {"type": "object", "additionalProperties": S},
    },
    ("name",),
)


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "metadata.json"]
    paths[0].write_text(
        json.dumps(
            {"$schema": "https://json-schema.org/draft/2020-12/schema", **METADATA}, indent=1
        )
    )
    for kind, spec in SPECS.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": kind,
            **obj(
                {
                    "apiVersion": {"const": "faqlint/v1"},
                    "kind": {"const": kind},
                    "metadata": {"$ref": "metadata.json"},
                    "spec": spec,
                },
                ("apiVersion", "kind", "metadata", "spec"),
            ),
        }
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, indent=1))
        paths.append(path)
    return paths


if __name__ == "__main__":
    write(Path(sys.argv[1]))
