"""Builders of realistic resources, one per kind, each clean unless asked for a violation.

A builder returns the documents of one file and the name of the violation it planted (or None).
Clean documents are compliant with every built-in rule *as a tenant*: the builders share a
`TenantPlan` so that cross-resource rules (token lifetime x sign-in frequency, REST sync x SOCKS,
brokers x Conditional Access, licences x screen size) stay quiet unless a violation is planted.
Violations are rule violations, never schema violations: only values and known keys change.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import catalog as c
from bench.emit import Flow, Note, Trail

Doc = dict[Any, Any]
Built = tuple[list[Doc], "str | None"]


@dataclass(frozen=True)
class TenantPlan:
    name: str
    domain: str
    cloud: str
    regions: tuple[str, ...]
    hybrid: bool
    sync: str
    token_lifetime: bool  # the tenant uses token lifetime policies, so no sign-in frequency
    android: bool
    explicit: bool  # its files name the tenant in metadata.tenant


def plan_tenant(rng: random.Random, name: str) -> TenantPlan:
    cloud = rng.choices(("Commercial", "GCC", "GCCHigh"), (85, 12, 3))[0]
    gov = cloud != "Commercial"
    count = 1 if gov else rng.randint(1, 3)
    regions = tuple(rng.sample(c.REGIONS[:3] if gov else c.REGIONS, count))
    return TenantPlan(
        name=name,
        domain=f"{name}.onmicrosoft.com",
        cloud=cloud,
        regions=regions,
        hybrid=not gov and rng.random() < 0.35,
        sync=rng.choice(("Native", "Native", "Native", "REST")),
        token_lifetime=rng.random() < 0.6,
        android=rng.random() < 0.85,
        explicit=rng.random() < 0.3,
    )


def guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def upn(rng: random.Random, t: TenantPlan) -> str:
    return f"{rng.choice(c.FIRST)}.{rng.choice(c.LAST)}@{t.domain}"


def ticket(rng: random.Random) -> str:
    return f"CHG{rng.randint(10000, 99999):07d}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def envelope(rng: random.Random, t: TenantPlan, kind: str, name: str, spec: Doc) -> Doc:
    meta: Doc = {"name": slug(name)}
    if t.explicit:
        meta["tenant"] = t.name
    if rng.random() < 0.6:
        notes = {
            "owner": rng.choice(c.ENGINEERS),
            "msp.example.com/change-ticket": ticket(rng),
            "msp.example.com/reviewed": f"20{rng.randint(23, 25)}-{rng.randint(1, 12):02d}-01",
            "msp.example.com/source": rng.choice(
                ("hand-written", "Get-OrganizationConfig", "Graph export", "Microsoft365DSC")
            ),
            "description": f"{kind} baseline for {t.name}, see the MSP runbook",
        }
        meta["annotations"] = dict(list(notes.items())[: rng.randint(2, 5)])
    return {"apiVersion": "faqlint/v1", "kind": kind, "metadata": meta, "spec": spec}


def tenant(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    hybrid: Doc = {"enabled": t.hybrid}
    if t.hybrid:
        hybrid.update(
            {
                Note("Exchange 2019 servers stay for relay and recipient management"): None,
                "onPremisesMailboxes": rng.random() < 0.6,
                "hybridModernAuth": True,
                "topology": "Classic",
                "sslOffloading": False,
                "preAuthentication": False,
                "directorySync": True,
                "exchangeServerVersion": rng.choice(c.EXCHANGE_VERSIONS),
            }
        )
    spec: Doc = {
        "cloud": t.cloud,
        "mailboxRegions": Flow(t.regions),
        Note("Hybrid deployment: see the runbook in the MSP wiki"): None,
        "hybrid": hybrid,
        "outlookMobile": {
            "syncTechnology": Trail(t.sync, "migration to native sync is per tenant"),
            "certificateBasedAuth": rng.random() < 0.2,
        },
        "directory": {
            "orgChartAttributes": ["manager", "department", "jobTitle", "officeLocation"][
                : rng.randint(1, 4)
            ],
        },
    }
    label = None
    if violate:
        label = rng.choice(("government-multiple-regions", "on-premises-without-hma"))
        if label == "government-multiple-regions":
            spec["cloud"] = "GCC"
            spec["mailboxRegions"] = Flow(["NAM", "EUR"])
            spec["hybrid"] = {"enabled": False}
        else:
            spec["cloud"] = "Commercial"
            spec["hybrid"] = {
                "enabled": True,
                "onPremisesMailboxes": True,
                "hybridModernAuth": False,
                "topology": "Classic",
                "directorySync": True,
                "exchangeServerVersion": "2016 CU23",
            }
    return [envelope(rng, t, "Tenant", t.name, spec)], label


def exchange_org(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    mode = rng.choice(("allow", "allow", "block", "none"))
    spec: Doc = {
        Note("Outlook for iOS and Android signs in with OAuth only"): None,
        "OAuth2ClientProfileEnabled": True,
        "EwsEnabled": rng.choice((True, None)),
    }
    if mode == "allow":
        allow = list(c.OUTLOOK_AGENTS) + rng.sample(c.OTHER_EWS_AGENTS, rng.randint(1, 6))
        rng.shuffle(allow)
        spec["EwsApplicationAccessPolicy"] = "EnforceAllowList"
        spec[Note("Keep Outlook-iOS/* and Outlook-Android/* here (FAQ: I can't log in)")] = 0
        spec["EwsAllowList"] = allow
    elif mode == "block":
        spec["EwsApplicationAccessPolicy"] = "EnforceBlockList"
        spec["EwsBlockList"] = rng.sample(c.BLOCKED_EWS_AGENTS, rng.randint(1, 4))
    else:
        spec["EwsApplicationAccessPolicy"] = None
    spec["EwsAllowOutlook"] = rng.choice((True, None))
    spec["EwsAllowMacOutlook"] = rng.choice((True, None))
    spec["EwsAllowEntourage"] = rng.choice((False, None))
    if t.cloud != "Commercial":
        spec["OutlookMobileGCCRestrictionsEnabled"] = Trail(True, "FedRAMP")
    spec["FocusedInboxOn"] = rng.choice((True, False, None))
    label = None
    if violate:
        label = rng.choice(("ews-allowlist-missing-android", "modern-auth-disabled"))
        if label == "ews-allowlist-missing-android":
            spec["EwsApplicationAccessPolicy"] = "EnforceAllowList"
            spec.pop("EwsBlockList", None)
            spec["EwsAllowList"] = ["Outlook-iOS/*", "MacOutlook/*", "Microsoft Office/*"]
        else:
            spec["OAuth2ClientProfileEnabled"] = False
    return [envelope(rng, t, "ExchangeOrganizationConfig", f"{t.name}-org", spec)], label


def cas_mailboxes(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    docs: list[Doc] = []
    for i in range(rng.randint(3, 7)):
        who = upn(rng, t)
        spec: Doc = {
            "Identity": who,
            "ActiveSyncEnabled": True,
            "OutlookMobileEnabled": True,
        }
        if rng.random() < 0.5:
            spec["EwsEnabled"] = True
            spec["EwsApplicationAccessPolicy"] = "EnforceAllowList"
            spec["EwsAllowList"] = Flow([*list(c.OUTLOOK_AGENTS), "MacOutlook/*"])
            spec["EwsAllowOutlook"] = True
        docs.append(envelope(rng, t, "CASMailbox", f"cas-{n}-{i}-{who.split('@')[0]}", spec))
    label = None
    if violate:
        label = "ews-disabled-for-mailbox"
        docs[-1]["spec"]["EwsEnabled"] = False
    return docs, label


def activesync(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    level = rng.choice(("Allow", "Allow", "Quarantine", "Block"))
    docs = [
        envelope(
            rng,
            t,
            "ActiveSyncOrganizationSettings",
            f"{t.name}-activesync",
            {"DefaultAccessLevel": level},
        )
    ]
    rules = [("DeviceModel", "Outlook for iOS and Android", "Allow")]
    rules += rng.sample(c.ACTIVESYNC_OTHER_RULES, rng.randint(3, 7))
    label = None
    if violate:
        label = rng.choice(("activesync-wildcard", "activesync-blocks-outlook"))
        if label == "activesync-wildcard":
            rules.append(("UserAgent", "Outlook-*", "Allow"))
        else:
            rules.append((*rng.choice(c.OUTLOOK_ACTIVESYNC), "Block"))
    for i, (characteristic, query, access) in enumerate(rules):
        docs.append(
            envelope(
                rng,
                t,
                "ActiveSyncDeviceAccessRule",
                f"{query} ({characteristic})" if i else "Outlook for iOS and Android",
                {"Characteristic": characteristic, "QueryString": query, "AccessLevel": access},
            )
        )
    return docs, label


def irm(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    spec: Doc = {
        Note("Exchange decrypts protected mail for Outlook mobile: keep both on"): None,
        "AzureRMSLicensingEnabled": True,
        "InternalLicensingEnabled": True,
        "ClientAccessServerEnabled": t.hybrid,
    }
    label = None
    if violate:
        label = "irm-licensing-off"
        spec["AzureRMSLicensingEnabled"] = False
    return [envelope(rng, t, "IRMConfiguration", f"{t.name}-irm", spec)], label


def lifetime_definition(lifetime: str, retired: bool = False) -> str:
    body: dict[str, Any] = {"Version": 1, "AccessTokenLifetime": lifetime}
    if retired:
        body["MaxInactiveTime"] = "90.00:00:00"
    return json.dumps({"TokenLifetimePolicy": body}, separators=(",", ":"))


def token_lifetime_item(rng: random.Random, i: int, violate: bool) -> tuple[Doc, str | None]:
    lifetime, retired, label = rng.choice(c.CLEAN_LIFETIMES), False, None
    if violate:
        label = rng.choice(("access-token-lifetime-too-short", "retired-token-property"))
        if label == "access-token-lifetime-too-short":
            lifetime = "00:05:00"
        else:
            retired = True
    spec: Doc = {
        "displayName": f"Outlook mobile access tokens {lifetime} ({i})",
        "description": "Access token lifetime for mobile clients; sign-in frequency is not used",
        "isOrganizationDefault": i == 0 and rng.random() < 0.3,
        "definition": [lifetime_definition(lifetime, retired)],
    }
    return spec, label


def token_lifetime(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    docs, labels = [], []
    for i in range(rng.randint(1, 2)):
        spec, label = token_lifetime_item(rng, n * 10 + i, violate and i == 0)
        docs.append(envelope(rng, t, "TokenLifetimePolicy", f"tlp-{n}-{i}", spec))
        labels.append(label)
    return docs, labels[0]


def ca_policy_spec(
    rng: random.Random, t: TenantPlan, n: int, violate: bool
) -> tuple[Doc, str | None]:
    variant = rng.choice(("app", "mfa", "device", "legacy"))
    platforms = ["iOS", "android"] if t.android else ["iOS"]
    users: Doc = {
        "includeUsers": Flow(["All"]) if rng.random() < 0.5 else Flow([]),
        "excludeUsers": [guid(rng) for _ in range(rng.randint(0, 3))],
        "includeGroups": rng.sample(c.GROUPS, rng.randint(0, 3)),
        "excludeGroups": Flow(["SG-Break-Glass"]),
    }
    grant: Doc
    if variant == "app":
        grant = {
            "operator": "OR",
            "builtInControls": rng.choice(
                (["compliantApplication"], ["approvedApplication", "compliantApplication"])
            ),
        }
        apps, client_types = [c.EXCHANGE_APP], ["mobileAppsAndDesktopClients"]
    elif variant == "mfa":
        grant = {"operator": "AND", "builtInControls": ["mfa"]}
        apps, client_types = ["All"], ["all"]
    elif variant == "device":
        grant = {"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"]}
        apps, client_types = ["Office365"], ["mobileAppsAndDesktopClients", "browser"]
    else:
        grant = {"operator": "OR", "builtInControls": ["block"]}
        apps, client_types = ["All"], ["exchangeActiveSync", "other"]
    spec: Doc = {
        "displayName": f"CA{n:03d} - {variant.title()} - Outlook mobile",
        "state": rng.choice(
            ("enabled", "enabled", "enabledForReportingButNotEnforced", "disabled")
        ),
        "conditions": {
            Note("Break-glass accounts are always excluded"): None,
            "users": users,
            "applications": {"includeApplications": apps, "excludeApplications": []},
            "clientAppTypes": client_types,
            "platforms": {"includePlatforms": platforms, "excludePlatforms": Flow([])},
        },
        "grantControls": grant,
    }
    if not t.token_lifetime and rng.random() < 0.5:
        spec["sessionControls"] = {
            "signInFrequency": {
                "isEnabled": True,
                "type": "hours",
                "value": rng.choice((4, 8, 12, 24)),
                "authenticationType": "primaryAndSecondaryAuthentication",
                "frequencyInterval": "timeBased",
            }
        }
    label = None
    if violate:
        label = "approved-application-only"
        spec["state"] = "enabled"
        spec["grantControls"] = {"operator": "OR", "builtInControls": ["approvedApplication"]}
        spec["conditions"]["applications"]["includeApplications"] = [c.EXCHANGE_APP]
    return spec, label


def conditional_access(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    spec, label = ca_policy_spec(rng, t, n, violate)
    return [envelope(rng, t, "ConditionalAccessPolicy", f"ca-{n:03d}", spec)], label


def _apps(rng: random.Random, platform: str, outlook_only: bool) -> list[Doc]:
    key = "bundleId" if platform == "iOS" else "packageId"
    outlook = c.OUTLOOK_IOS if platform == "iOS" else c.OUTLOOK_ANDROID
    others = c.OTHER_IOS_APPS if platform == "iOS" else c.OTHER_ANDROID_APPS
    ids = [outlook] + ([] if outlook_only else rng.sample(others, rng.randint(1, 4)))
    return [{"mobileAppIdentifier": {key: i}} for i in ids]


def app_protection(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    platform = "android" if (t.android and n % 2) else "iOS"
    versions = c.IOS_VERSIONS if platform == "iOS" else c.ANDROID_VERSIONS
    spec: Doc = {
        "displayName": f"APP-{platform}-{n:02d} Outlook and Office",
        "platform": platform,
        Note("Outlook first: OM401 looks at policies that target Outlook only"): None,
        "apps": _apps(rng, platform, rng.random() < 0.5),
        "minimumRequiredAppVersion": rng.choice(versions),
        "minimumWarningAppVersion": rng.choice(versions[:-1]),
        "minimumRequiredOsVersion": rng.choice(("16.0", "17.0", "17.4"))
        if platform == "iOS"
        else rng.choice(("10.0", "11.0", "12.0")),
        "contactSyncBlocked": rng.random() < 0.3,
        "saveAsBlocked": True,
        "pinRequired": rng.random() < 0.8,
    }
    label = None
    if violate:
        label = "app-version-below-native-sync"
        spec["apps"] = _apps(rng, platform, True)
        spec["minimumRequiredAppVersion"] = "3.9.0" if platform == "iOS" else "2.2.138"
    return [envelope(rng, t, "AppProtectionPolicy", f"app-{platform.lower()}-{n}", spec)], label


def app_configuration(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    platform = "android" if (t.android and n % 2) else "iOS"
    settings: list[Doc] = [
        {"name": "IntuneMAMAllowedAccountsOnly", "value": "Enabled"},
        {"name": "IntuneMAMUPN", "value": "{{userprincipalname}}"},
        {"name": "com.microsoft.outlook.Contacts.LocalSyncEnabled", "value": "false"},
    ]
    for key, values in rng.sample(c.APP_CONFIG_KEYS, rng.randint(2, 6)):
        settings.append({"name": key, "value": rng.choice(values)})
    label = None
    if violate:
        label = "soft-reset-setting-managed"
        settings.append({"name": rng.choice(c.SOFT_RESET_KEYS), "value": "false"})
    spec: Doc = {
        "displayName": f"Outlook {platform} app configuration {n:02d}",
        "platform": platform,
        "apps": _apps(rng, platform, True),
        Note("Keys are case-sensitive; Graph returns every value as a string"): None,
        "customSettings": settings,
    }
    return [envelope(rng, t, "AppConfigurationPolicy", f"appconfig-{n}", spec)], label


def sku_spec(rng: random.Random, part: str) -> Doc:
    sku_id, _, plans = c.SKUS.get(part, (None, False, ("EXCHANGE_S_STANDARD",)))
    return {
        "skuPartNumber": part,
        "skuId": sku_id or guid(rng),
        "servicePlans": [{"servicePlanId": c.PLANS[p], "servicePlanName": p} for p in plans],
    }


def subscribed_skus(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    parts = rng.sample(list(c.SKUS), rng.randint(2, 4))
    label = None
    if violate:
        label = "unknown-sku"
        parts.append(rng.choice(c.UNKNOWN_SKUS))
    return [
        envelope(rng, t, "SubscribedSku", f"{p.lower()}-{n}", sku_spec(rng, p)) for p in parts
    ], label


def license_assignment(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    frontline = rng.random() < 0.3
    spec: Doc = {
        "assignedTo": rng.choice(c.GROUPS) if not frontline else "SG-Frontline-Workers",
        "skuPartNumbers": rng.sample(c.SMALL_SCREEN_SKUS, 1)
        if frontline
        else rng.sample(c.DESKTOP_SKUS, rng.randint(1, 2)),
        "disabledPlans": rng.sample(
            ("YAMMER_ENTERPRISE", "SWAY", "FORMS_PLAN_E3"), rng.randint(0, 2)
        ),
        "usage": "commercial",
        "devices": {
            "platforms": Flow(["iOS", "android"] if t.android else ["iOS"]),
            "maxScreenSizeInches": Trail(8.0, "shared store handhelds")
            if frontline
            else rng.choice((6.7, 10.1, 12.9)),
        },
    }
    if t.hybrid and rng.random() < 0.5:
        spec["onPremisesLicenses"] = ["ExchangeServerStandardCAL"]
    label = None
    if violate:
        label = rng.choice(("license-small-screen", "exchange-server-license-only"))
        if label == "license-small-screen":
            spec["skuPartNumbers"] = ["STANDARDPACK"]
            spec["devices"]["maxScreenSizeInches"] = 12.9
        else:
            del spec["skuPartNumbers"]
            spec["onPremisesLicenses"] = ["ExchangeServerEnterpriseCAL"]
    return [envelope(rng, t, "LicenseAssignment", f"licences-{n}", spec)], label


def network(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    site = rng.choice(("hq", "dc1", "branch", "stores", "warehouse", "lab"))
    proxy: Doc = {
        "enabled": rng.random() < 0.7,
        "protocol": rng.choice(("http", "https")),
        Note("Outlook mobile traffic must not be decrypted or authenticated by the proxy"): None,
        "tlsInspection": False,
        "authentication": "none",
        "pac": {
            "url": f"http://wpad.{t.domain}/proxy-{site}.pac",
            "matchBy": "hostname",
            "customSettings": False,
        },
        "socks": {"enabled": True},
    }
    spec: Doc = {
        "outboundTcpPorts": Flow(sorted([*rng.sample((25, 80, 587, 993), 1), 443])),
        "proxy": proxy,
    }
    label = None
    if violate:
        label = rng.choice(("proxy-tls-inspection", "pac-matches-protocol", "tcp-443-blocked"))
        if label == "proxy-tls-inspection":
            proxy["tlsInspection"] = True
        elif label == "pac-matches-protocol":
            proxy["pac"]["matchBy"] = "protocol"
        else:
            spec["outboundTcpPorts"] = Flow([80, 8080])
    return [envelope(rng, t, "NetworkConfiguration", f"network-{site}-{n}", spec)], label


def deployment(rng: random.Random, t: TenantPlan, n: int, violate: bool) -> Built:
    platforms = ["iOS", "android"] if t.android else ["iOS"]
    spec: Doc = {
        "platforms": Flow(platforms),
        "minimumAppVersion": {
            "iOS": rng.choice(c.IOS_VERSIONS),
            "android": rng.choice(c.ANDROID_VERSIONS),
        },
        Note("Native sync migration is per tenant (FAQ)"): None,
        "nativeSyncMigration": {"scope": "tenant"},
        "singleSignOn": {"broker": ["MicrosoftAuthenticator", "CompanyPortal"]},
        "backgroundSync": {"required": True},
        "android": {
            "batteryOptimizationExempt": ["Outlook", "MicrosoftAuthenticator", "CompanyPortal"],
            "officeAppsInstalled": True,
        },
        "expectations": {
            "itemsPerFolder": rng.choice((200, 300, 500)),
            "attachments": {
                "autoDownload": False,
                "offlineRetentionDays": rng.randint(1, 7),
                "rightsProtectedPreviewOnIOS": False,
            },
            "tasks": False,
            "notes": False,
            "orgChart": True,
            "contactsExportInBackground": False,
        },
        "support": {"channel": rng.choice(("inApp", "premier"))},
        "emm": {"vendor": rng.choice(c.EMM_VENDORS)},
    }
    label = None
    if violate:
        label = rng.choice(
            ("per-user-native-sync-migration", "items-per-folder-over-limit", "tasks-promised")
        )
        if label == "per-user-native-sync-migration":
            spec["nativeSyncMigration"] = {"scope": "perUser"}
        elif label == "items-per-folder-over-limit":
            spec["expectations"]["itemsPerFolder"] = 5000
        else:
            spec["expectations"]["tasks"] = True
    ring = ("pilot", "broad", "frontline", "executives")[n % 4]
    return [envelope(rng, t, "OutlookMobileDeployment", f"rollout-{ring}-{n}", spec)], label


Builder = Callable[[random.Random, TenantPlan, int, bool], Built]
