"""`faqlint init [DIR]`: a starter config repo that passes `faqlint check` and teaches by comment.

The files are templates rather than dumped data, because their comments are the point: they say
what each setting is for and which rule guards it. Nothing is overwritten unless asked (`--force`).

Editors validate offline: the JSON Schemas are written into the repository (`.faqlint/schemas/`,
as `faqlint schema --write` does; being faqlint's own generated files they are refreshed without
`--force`), and every faqlint file starts with a `yaml-language-server` modeline naming its
kind's schema by a path relative to the file. A relative path works in every editor that runs
yaml-language-server (VS Code, Neovim, Helix, ...) with no workspace setting, is never fetched,
and moves with the repository.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from faqlint.errors import FaqlintError
from faqlint.fsio import Planned, anchor_of, write_all
from faqlint.schemas_gen import CONFIG_SCHEMA, SCHEMA_FOLDER, editor_schemas


class InitError(FaqlintError):
    """`faqlint init` would overwrite a file: exit 2."""


def modeline(file: str, schema: str) -> str:
    """The `yaml-language-server` line for `file` (relative to the repository root, `/`-separated)
    naming `schema` in the repository's schema folder by a path relative to the file's folder."""
    target = f"{SCHEMA_FOLDER}/{schema}.schema.json"
    relative = posixpath.relpath(target, posixpath.dirname(file) or ".")
    return f"# yaml-language-server: $schema={relative}\n"


CONFIG = """\
# faqlint configuration. `faqlint schema config` prints every key this file may hold.
# Editors check this file and the tenants' files against the schemas in .faqlint/schemas, named
# by the first line of each; after upgrading faqlint, refresh them with
# `faqlint schema --write .faqlint/schemas`.

# Rules to run: codes (OM202), names (ews-disabled) or prefixes (OM2). Every rule runs by default;
# `faqlint rules` lists them and `faqlint rule OM202` explains one.
# select: [OM1, OM2]
# ignore: [OM205]

# A run fails (exit 1) on findings at or above this severity: error, warning or info.
fail-on: error

# Waivers must say why. Waive a finding on its line, or on the line above it:
#   EwsEnabled: false  # faqlint: ignore[OM201] reason="pilot tenant" until=2027-03-31
# or for a whole resource, in metadata.annotations (the only way in JSON files):
#   faqlint.io/ignore: "OM201"
#   faqlint.io/reason: "pilot tenant"
#   faqlint.io/until: "2027-03-31"
# After its `until` date a waiver stops waiving and is itself reported (FL007).
require-suppression-reason: true

# Waive rules for every file a pattern matches (gitignore-style, from this folder):
# per-file-ignores:
#   "tenants/legacy/**":
#     rules: [OM204]
#     reason: "Decommissioned with the legacy tenant"
#     until: 2027-03-31

# Paths faqlint never reads, as gitignore patterns (.gitignore is honoured as well).
exclude: []
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com) runs faqlint on the YAML and JSON files of every commit.
# Start with `pre-commit install`. This hook runs the faqlint installed beside pre-commit; to pin
# a version instead, point `repo:` at faqlint's git repository, set `rev:` to its release tag
# and keep `hooks: [{id: faqlint}]`.
repos:
  - repo: local
    hooks:
      - id: faqlint
        name: faqlint
        # `--` ends the options: a committed file named like an option is still a file.
        entry: faqlint check --
        language: system
        types_or: [yaml, json]
        require_serial: true
"""

TENANT = """\
# One folder per tenant: every resource in this folder and below belongs to the tenant this file
# describes, unless its metadata.tenant names another.
apiVersion: faqlint/v1
kind: Tenant
metadata:
  name: contoso
spec:
  # Commercial, GCC, GCCHigh, DoD, Germany or China21Vianet. Some Outlook for iOS and Android
  # features and hybrid options differ by cloud, and rules check them against this value.
  cloud: Commercial
  # Regions whose accounts users add to the app (NAM, EUR, APC, GBR, ...).
  mailboxRegions: [NAM]
  hybrid:
    # true when Exchange hybrid is configured; add onPremisesMailboxes, hybridModernAuth, ...
    enabled: false
"""

EXCHANGE = """\
# What `Get-OrganizationConfig` shows and `Set-OrganizationConfig` changes, with the same
# PascalCase names; pasting `Get-OrganizationConfig | ConvertTo-Json` output works too.
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata:
  name: contoso-org
spec:
  # Outlook for iOS and Android signs in with OAuth only: keep modern authentication on.
  OAuth2ClientProfileEnabled: true
  # The app reaches mailboxes through EWS; false locks every user out (OM201).
  EwsEnabled: true
  # With EnforceAllowList only clients whose user agent matches an entry may use EWS: Outlook for
  # iOS and Android connect as Outlook-iOS/2.0 and Outlook-Android/2.0, so both entries below
  # must stay (OM202; run `faqlint rule OM202`).
  EwsApplicationAccessPolicy: EnforceAllowList
  EwsAllowList:
    - Outlook-iOS/*
    - Outlook-Android/*
"""

TOKENS = """\
# A Microsoft Graph tokenLifetimePolicy, as `GET /policies/tokenLifetimePolicies` returns it.
apiVersion: faqlint/v1
kind: TokenLifetimePolicy
metadata:
  name: access-token-lifetime
spec:
  displayName: Access token lifetime
  isOrganizationDefault: true
  # Graph keeps the definition as a JSON string. Microsoft Entra ID accepts an AccessTokenLifetime
  # from 00:10:00 to 1.00:00:00 (OM110); below the one-hour default Outlook fetches tokens more
  # often and syncs slower (OM111).
  definition:
    - '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"02:00:00"}}'
"""

# file -> (the schema its modeline names, or None for a file that is not faqlint's, its text)
_TEMPLATES: dict[str, tuple[str | None, str]] = {
    ".faqlint.yaml": (CONFIG_SCHEMA, CONFIG),
    ".pre-commit-config.yaml": (None, PRE_COMMIT),
    "tenants/contoso/tenant.yaml": ("Tenant", TENANT),
    "tenants/contoso/exchange.yaml": ("ExchangeOrganizationConfig", EXCHANGE),
    "tenants/contoso/token-lifetime.yaml": ("TokenLifetimePolicy", TOKENS),
}

STARTER: dict[str, str] = {
    name: (modeline(name, schema) if schema else "") + text
    for name, (schema, text) in _TEMPLATES.items()
}


def write_starter(directory: Path, force: bool = False) -> list[Path]:
    """Write the starter files and the schemas below `directory`; refuse (before writing
    anything) when a starter file exists and `force` is false. Returns the files written."""
    files = dict(STARTER)
    files.update({f"{SCHEMA_FOLDER}/{name}": text for name, text in editor_schemas().items()})
    targets = [directory / name for name in files]
    existing = [directory / name for name in STARTER if (directory / name).exists()]
    if existing and not force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise InitError(f"{existing[0]} already exists{more}; use --force to overwrite")
    for path in targets:
        if path.is_dir():
            raise InitError(f"{path} is a folder; remove it or choose another DIR")
    # All files or none, never through a link planted in DIR (see `faqlint.fsio`).
    cwd = Path.cwd()
    anchor = anchor_of(directory, cwd)
    write_all(
        [
            Planned(anchor, Path(os.path.abspath(cwd / path)), text)
            for path, text in zip(targets, files.values(), strict=True)
        ]
    )
    return targets
