"""Generate a realistic faqlint config repo, deterministically from a seed.

    python bench/generate.py OUT --tenants N --seed S [--files-per-tenant K]
    python bench/generate.py OUT --files 1000 [--tenants 50] --seed S

Layout, per tenant: `tenants/<name>/tenant.yaml` (kind Tenant, so everything below belongs to it),
then Exchange, identity, Intune, licensing, network and rollout files of every kind
faqlint reads, 36-200 lines each, with comments, nested maps and multi-document files (CAS
mailboxes, ActiveSync settings + device access rules, subscribed SKUs, token lifetime policies).
One tenant in three also has `exports/`: Graph list responses (`@odata.context` + `value`) of its
Conditional Access and token lifetime policies, as raw JSON.

`--files N` counts YAML files (the spec's "1,000 YAML files"); raw JSON exports come on top and
are reported. About `--violation-rate` (default 5%) of the files carry one planted violation of an
Outlook-mobile FAQ rule; every other document is compliant and schema-valid. Every file's content
depends only on the seed, its tenant and its path, so the same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import catalog as c
from bench import exports
from bench import resources as r
from bench.emit import document

MIN_LINES = 36
MAX_LINES = 200

# (path template, builder): the first slots give every kind; extras repeat the kinds a tenant
# has many of. `{n}` is the file's slot number in its tenant, which keeps names unique.
BASE: tuple[tuple[str, r.Builder], ...] = (
    ("tenant.yaml", r.tenant),
    ("exchange/organization-config.yaml", r.exchange_org),
    ("exchange/activesync.yaml", r.activesync),
    ("identity/conditional-access/ca-{n:03d}.yaml", r.conditional_access),
    ("intune/app-protection/outlook-{n:02d}.yaml", r.app_protection),
    ("outlook-mobile/rollout-{n:02d}.yaml", r.deployment),
    ("network/site-{n:02d}.yaml", r.network),
    ("licensing/subscribed-skus.yaml", r.subscribed_skus),
    ("licensing/assignments/assignment-{n:02d}.yaml", r.license_assignment),
    ("exchange/irm.yaml", r.irm),
    ("identity/token-lifetime/policies-{n:02d}.yaml", r.token_lifetime),
    ("intune/app-configuration/outlook-{n:02d}.yaml", r.app_configuration),
    ("exchange/cas-mailboxes/batch-{n:02d}.yaml", r.cas_mailboxes),
)
EXTRAS: tuple[tuple[str, r.Builder], ...] = (
    ("identity/conditional-access/ca-{n:03d}.yaml", r.conditional_access),
    ("intune/app-protection/outlook-{n:02d}.yaml", r.app_protection),
    ("exchange/cas-mailboxes/batch-{n:02d}.yaml", r.cas_mailboxes),
    ("licensing/assignments/assignment-{n:02d}.yaml", r.license_assignment),
    ("intune/app-configuration/outlook-{n:02d}.yaml", r.app_configuration),
    ("identity/conditional-access/ca-{n:03d}.yaml", r.conditional_access),
    ("network/site-{n:02d}.yaml", r.network),
    ("outlook-mobile/rollout-{n:02d}.yaml", r.deployment),
)
HISTORY = (
    "raised the minimum Outlook version after the monthly review",
    "added the pilot group",
    "removed a leaver from the exclusions",
    "aligned with the MSP baseline v{v}",
    "documented the break-glass exclusion",
    "moved to the new change process",
    "review by the security office, no change",
    "imported from the tenant export and cleaned up",
)


@dataclass
class Corpus:
    yaml_files: int = 0
    json_files: int = 0
    documents: int = 0
    tenants: int = 0
    violations: list[tuple[str, str]] = field(default_factory=list)


def tenant_names(seed: int, count: int) -> list[str]:
    rng = random.Random(f"{seed}:names")
    words = list(c.TENANT_WORDS)
    rng.shuffle(words)
    return [f"{words[i % len(words)]}-{i + 1:03d}" for i in range(count)]


def slots(plan: r.TenantPlan, count: int) -> Iterator[tuple[str, r.Builder]]:
    base = [s for s in BASE if plan.token_lifetime or s[1] is not r.token_lifetime]
    extras = list(EXTRAS) + ([EXTRAS[0]] if plan.token_lifetime else [])
    for i in range(count):
        yield base[i] if i < len(base) else extras[(i - len(base)) % len(extras)]


def header(rng: random.Random, kind: str, tenant: str, depth: int) -> list[str]:
    lines = []
    if rng.random() < 0.3:
        lines.append(f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json")
    lines += [
        f"# {kind} for tenant {tenant}",
        "# Managed in git: change by pull request, the pipeline runs faqlint on every commit.",
        "# Change history:",
    ]
    return lines


def history(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        text = rng.choice(HISTORY).format(v=rng.randint(2, 9))
        out.append(
            f"#   20{rng.randint(21, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f" {r.ticket(rng)} {rng.choice(c.ENGINEERS)}: {text}"
        )
    return out


def render_yaml(rng: random.Random, docs: list[r.Doc], tenant: str, depth: int) -> str:
    body: list[str] = []
    for i, doc in enumerate(docs):
        if i or rng.random() < 0.2:
            body.append("---")
        if len(docs) > 1:
            body.append(f"# {doc['kind']} {doc['metadata']['name']}")
        body += document(doc)
    top = header(rng, docs[0]["kind"], tenant, depth)
    wanted = max(MIN_LINES - len(top) - len(body), rng.randint(1, 12))
    wanted = min(wanted, MAX_LINES - len(top) - len(body))
    lines = top + history(rng, max(wanted, 1)) + [""] + body
    return "\n".join(lines) + "\n"


def write_tenant(
    out: Path, seed: int, index: int, name: str, files: int, rate: float, corpus: Corpus
) -> None:
    plan = r.plan_tenant(random.Random(f"{seed}:tenant:{name}"), name)
    if index == 0 and not plan.token_lifetime:  # the first tenant shows every kind
        plan = dataclasses.replace(plan, token_lifetime=True)
    root = out / "tenants" / name
    for n, (template, build) in enumerate(slots(plan, files)):
        rel = template.format(n=n)
        rng = random.Random(f"{seed}:{name}:{rel}")
        docs, label = build(rng, plan, n, rng.random() < rate)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = render_yaml(rng, docs, name, rel.count("/") + 2)
        path.write_text(text, encoding="utf-8", newline="\n")
        corpus.yaml_files += 1
        corpus.documents += len(docs)
        if label:
            corpus.violations.append((path.relative_to(out).as_posix(), label))
    if index % 3:
        return
    raw = [("exports/conditional-access-policies.json", exports.conditional_access)]
    if plan.token_lifetime:
        raw.append(("exports/token-lifetime-policies.json", exports.token_lifetime))
    for n, (rel, export) in enumerate(raw):
        rng = random.Random(f"{seed}:{name}:{rel}")
        data, label = export(rng, plan, n, rng.random() < rate)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(data, indent=rng.choice((2, 4))) + "\n", encoding="utf-8", newline="\n"
        )
        corpus.json_files += 1
        corpus.documents += 1
        if label:
            corpus.violations.append((path.relative_to(out).as_posix(), label))


def generate(
    out: Path,
    tenants: int,
    seed: int,
    files_per_tenant: int = 20,
    total_files: int | None = None,
    violation_rate: float = 0.05,
) -> Corpus:
    """Write the corpus under `out`; returns what was written."""
    names = tenant_names(seed, tenants)
    corpus = Corpus(tenants=tenants)
    for i, name in enumerate(names):
        if total_files is None:
            count = files_per_tenant
        else:
            count = total_files // tenants + (1 if i < total_files % tenants else 0)
        write_tenant(out, seed, i, name, count, violation_rate, corpus)
    return corpus


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output folder (created)")
    parser.add_argument("--tenants", type=int, help="tenants (default 10, or files/20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--files-per-tenant", type=int, default=20)
    parser.add_argument("--files", type=int, help="total YAML files, spread over the tenants")
    parser.add_argument("--violation-rate", type=float, default=0.05)
    parser.add_argument("--manifest", type=Path, help="write planted violations here (JSON)")
    args = parser.parse_args(argv)
    tenants = args.tenants or (max(1, round(args.files / 20)) if args.files else 10)
    if tenants < 1 or (args.files is not None and args.files < tenants):
        parser.error("need at least one tenant and one file per tenant")
    corpus = generate(
        args.out, tenants, args.seed, args.files_per_tenant, args.files, args.violation_rate
    )
    if args.manifest:
        args.manifest.write_text(
            json.dumps([{"file": f, "violation": v} for f, v in corpus.violations], indent=1) + "\n"
        )
    print(
        f"wrote {corpus.yaml_files} YAML + {corpus.json_files} JSON files, "
        f"{corpus.documents} documents, {len(corpus.violations)} planted violations, "
        f"{corpus.tenants} tenants into {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
