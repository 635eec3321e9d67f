"""One large tenant: a `Get-CASMailbox | ConvertTo-Json` export of N mailboxes (78,000 by default,
a size real tenants have), mapped to its kind through the config's `kinds:`, beside the tenant's
organization config and a few hand-written files.

    python bench/mailboxes.py OUT [--mailboxes 78000] [--seed 1]

The export is one JSON array, written as Windows PowerShell 5.1 writes it (four-space indent, two
spaces after each colon, a byte order mark), every mailbox with the properties Get-CASMailbox
returns. Most mailboxes keep the defaults; one in fifty has its own EWS settings (an allow list
or block list, EWS off) and one in a hundred a violation an Outlook-mobile rule reports, so the
per-mailbox rules and the rules that join the tenant's mailboxes both have work to do.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from pathlib import Path
from typing import Any

FIRST = (
    "Adele",
    "Alex",
    "Diego",
    "Grady",
    "Henrietta",
    "Isaiah",
    "Johanna",
    "Lee",
    "Lidia",
    "Lynne",
    "Megan",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Debra",
    "Joni",
    "Irvin",
)
LAST = (
    "Vance",
    "Wilber",
    "Siciliani",
    "Archie",
    "Mueller",
    "Langer",
    "Lauridsen",
    "Gu",
    "Holloway",
    "Robbins",
    "Bowen",
    "Graham",
    "Wilke",
    "Fernandez",
    "Gupta",
    "Berger",
)
DOMAIN = "contoso.com"

CONFIG = """\
# 78,000 mailboxes make a ~140 MB export, above the 64 MiB a file may have by default.
max-file-size: 1GiB
# Exchange Online PowerShell output does not say what it is: map each file to its kind.
kinds:
  "exchange/Get-CASMailbox.json": CASMailbox
  "exchange/Get-OrganizationConfig.json": ExchangeOrganizationConfig
"""

TENANT = """\
apiVersion: faqlint/v1
kind: Tenant
metadata:
  name: contoso
spec:
  cloud: Commercial
  mailboxRegions: [NAM]
  hybrid:
    enabled: false
"""


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def mailbox(rng: random.Random, number: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    alias = f"{first}.{last}{number}"
    smtp = f"{alias}@{DOMAIN}"
    custom = rng.random() < 0.02
    violation = rng.random() < 0.01
    policy = None
    allow: list[str] | None = None
    block: list[str] | None = None
    if custom:
        choice = rng.randrange(3)
        if choice == 0:
            policy, allow = (
                "EnforceAllowList",
                ["Outlook-iOS/*", "Outlook-Android/*", "MacOutlook/*"],
            )
        elif choice == 1:
            policy, block = "EnforceBlockList", ["ThirdPartySync/*"]
        else:
            allow = ["Outlook-iOS/*"]
    if violation:
        policy, allow = "EnforceAllowList", ["Outlook-iOS/*", "MacOutlook/*"]  # no Android
    stamp = f"/Date({1_600_000_000_000 + rng.randrange(10**11)})/"
    return {
        "Name": alias,
        "DisplayName": f"{first} {last}",
        "PrimarySmtpAddress": smtp,
        "EmailAddresses": [f"SMTP:{smtp}", f"smtp:{alias}@contoso.onmicrosoft.com"],
        "ServerLegacyDN": "/o=ExchangeLabs/ou=Exchange Administrative Group "
        f"(FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=BN8PR01MB{rng.randrange(10000):04d}",
        "ServerName": f"bn8pr01mb{rng.randrange(10000):04d}",
        "SamAccountName": f"${alias[:12].upper()}",
        "ActiveSyncAllowedDeviceIDs": [],
        "ActiveSyncBlockedDeviceIDs": [],
        "ActiveSyncMailboxPolicy": "Default",
        "ActiveSyncMailboxPolicyIsDefaulted": True,
        "ActiveSyncDebugLogging": False,
        "ActiveSyncEnabled": True,
        "HasActiveSyncDevicePartnership": rng.random() < 0.6,
        "OwaMailboxPolicy": "OwaMailboxPolicy-Default",
        "OWAforDevicesEnabled": True,
        "OWAEnabled": True,
        "ECPEnabled": True,
        "PopEnabled": False,
        "ImapEnabled": False,
        "MAPIEnabled": True,
        "MapiHttpEnabled": None,
        "UniversalOutlookEnabled": True,
        "OutlookMobileEnabled": True,
        "MacOutlookEnabled": True,
        "EwsEnabled": False if custom and rng.random() < 0.2 else None,
        "EwsAllowOutlook": None,
        "EwsAllowMacOutlook": None,
        "EwsAllowEntourage": None,
        "EwsApplicationAccessPolicy": policy,
        "EwsAllowList": allow,
        "EwsBlockList": block,
        "ShowGalAsDefaultView": True,
        "SmtpClientAuthenticationDisabled": None,
        "Identity": alias,
        "Guid": _guid(rng),
        "WhenChanged": stamp,
        "WhenCreated": stamp,
        "IsValid": True,
        "ObjectState": "Unchanged",
    }


def _powershell_json(value: Any) -> str:
    """`ConvertTo-Json` of Windows PowerShell 5.1: four spaces, two after each colon."""
    text = json.dumps(value, indent=4, ensure_ascii=False)
    return text.replace('": ', '":  ')


def generate(out: Path, mailboxes: int = 78_000, seed: int = 1) -> Path:
    """Write the tenant below `out`; returns the export's path."""
    rng = random.Random(seed)
    (out / "exchange").mkdir(parents=True, exist_ok=True)
    (out / ".faqlint.yaml").write_text(CONFIG, encoding="utf-8")
    (out / "tenant.yaml").write_text(TENANT, encoding="utf-8")
    organization = {
        "Name": "contoso",
        "OAuth2ClientProfileEnabled": True,
        "EwsEnabled": True,
        "EwsApplicationAccessPolicy": None,
        "EwsAllowList": None,
        "EwsBlockList": None,
        "IsValid": True,
    }
    (out / "exchange" / "Get-OrganizationConfig.json").write_text(
        "\ufeff" + _powershell_json(organization), encoding="utf-8"
    )
    export = out / "exchange" / "Get-CASMailbox.json"
    items = [mailbox(rng, n) for n in range(mailboxes)]
    export.write_text("\ufeff" + _powershell_json(items), encoding="utf-8")
    return export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--mailboxes", type=int, default=78_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    export = generate(args.out, args.mailboxes, args.seed)
    print(f"wrote {export} ({export.stat().st_size / 1e6:.1f} MB, {args.mailboxes} mailboxes)")
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
