"""Raw Microsoft Graph exports (no envelope), as admins keep them next to hand-written files.

Each is a Graph list response: `@odata.context` plus `value`, with the properties Graph returns
that faqlint does not model (ids, timestamps, risk levels, ...), as Graph Explorer saves them.
"""

from __future__ import annotations

import random
from typing import Any

from bench import resources as r
from bench.emit import plain

GRAPH = "https://graph.microsoft.com/v1.0/$metadata#"


def _stamp(rng: random.Random) -> str:
    return (
        f"20{rng.randint(21, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}."
        f"{rng.randint(0, 9999999):07d}Z"
    )


def conditional_access(
    rng: random.Random, t: r.TenantPlan, n: int, violate: bool
) -> tuple[dict[str, Any], str | None]:
    items, first_label = [], None
    for i in range(rng.randint(2, 3)):
        spec, label = r.ca_policy_spec(rng, t, 900 + n * 10 + i, violate and i == 0)
        first_label = first_label or label
        spec = plain(spec)
        cond = spec["conditions"]
        cond["users"].update(
            {"includeRoles": [], "excludeRoles": [], "includeGuestsOrExternalUsers": None}
        )
        cond["applications"].update(
            {"includeUserActions": [], "includeAuthenticationContextClassReferences": []}
        )
        cond.update(
            {
                "userRiskLevels": [],
                "signInRiskLevels": [],
                "servicePrincipalRiskLevels": [],
                "locations": None,
                "devices": None,
                "clientApplications": None,
            }
        )
        spec["grantControls"].update(
            {"customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": None}
        )
        items.append(
            {
                "id": r.guid(rng),
                "templateId": None,
                "displayName": spec.pop("displayName"),
                "createdDateTime": _stamp(rng),
                "modifiedDateTime": _stamp(rng) if rng.random() < 0.7 else None,
                "state": spec.pop("state"),
                "sessionControls": spec.pop("sessionControls", None),
                **spec,
            }
        )
    return {
        "@odata.context": GRAPH + "identity/conditionalAccess/policies",
        "value": items,
    }, first_label


def token_lifetime(
    rng: random.Random, t: r.TenantPlan, n: int, violate: bool
) -> tuple[dict[str, Any], str | None]:
    items, first_label = [], None
    for i in range(rng.randint(1, 3)):
        spec, label = r.token_lifetime_item(rng, 900 + n * 10 + i, violate and i == 0)
        first_label = first_label or label
        spec = plain(spec)
        items.append(
            {
                "id": r.guid(rng),
                "deletedDateTime": None,
                "definition": spec["definition"],
                "displayName": spec["displayName"] + " (exported)",
                "isOrganizationDefault": False,
            }
        )
    return {"@odata.context": GRAPH + "policies/tokenLifetimePolicies", "value": items}, first_label
