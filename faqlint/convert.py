"""`faqlint convert EXPORT... --out DIR`: raw exports written as native, commented YAML resources.

Each resource an export holds becomes one file, `DIR/<tenant>/<kind>/<name>.yaml`: one file per
resource so that a change to one policy is a one-file diff and review, and a finding names a file
named after its resource. The file holds the envelope and only the settings faqlint models (what
the adapter kept), so it lints exactly as the export did; a header comment names the export and
the place in it, and a `yaml-language-server` modeline points editors at the kind's schema.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from faqlint.adapters.common import modelled
from faqlint.config import Config
from faqlint.discover import discover
from faqlint.errors import FaqlintError
from faqlint.findings import Finding
from faqlint.identify import API_VERSION, Resource
from faqlint.load import value_at
from faqlint.loaded import LoadedFile
from faqlint.report.escape import inert
from faqlint.run import Catalogue, read_file
from faqlint.tenants import DEFAULT_TENANT, group

SOURCES = {
    "graph": "a Microsoft Graph response",
    "powershell": "Exchange Online PowerShell output",
    "scubagear": "a ScubaGear provider settings export",
}


class ConvertError(FaqlintError):
    """Nothing to convert, or a file in the way: one line, exit 2."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One file to write: where, what, and from which resource."""

    target: Path
    text: str
    resource: Resource


def slug(text: str, fallback: str = "resource") -> str:
    """A file-name-safe form of a name: `Kiosk short tokens` -> `kiosk-short-tokens`."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:80].rstrip("-") or fallback


@dataclass(frozen=True, slots=True)
class Unconverted:
    """An input that yields no file: why, and whether that is a failure (the file was not read
    or not recognised) or expected (a native file, an empty list, an older run)."""

    file: str
    reason: str
    failed: bool


@dataclass(frozen=True, slots=True)
class Conversion:
    planned: list[Planned]
    unconverted: list[Unconverted]
    notes: list[str]  # what was read but left out (items of other types, settings not decoded)


_NOT_READ = frozenset({"FL001", "FL010", "FL011"})


def plan(
    paths: Sequence[str],
    out: Path,
    tenant: str | None,
    config: Config,
    root: Path,
    cwd: Path,
    catalogue: Catalogue,
) -> Conversion:
    """The files a conversion writes, in the order of the exports, and every input that yields
    none, with its reason (raises ConvertError when no input holds an export resource)."""
    from faqlint.adapters.runs import newest_runs

    resources: list[Resource] = []
    originals: dict[tuple[str, int], Any] = {}
    outcome: dict[str, tuple[list[Resource], list[Finding], bool]] = {}
    from faqlint.config import parse_size

    limit = parse_size(config.max_file_size)
    for source in discover(paths, root, config.exclude, cwd, max_size=limit):
        loaded, found, problems, relevant = read_file(source, catalogue, config.kinds, root)
        resources += found
        outcome[loaded.path] = (found, problems, relevant)
        _remember_documents(loaded, originals)
    resources, older = newest_runs(resources)
    older_files = {f.file: f.message for f in older}
    exports = [r for r in resources if not r.native]
    converted = {r.file for r in exports}
    unconverted: list[Unconverted] = []
    notes: list[str] = []
    for file, (found, problems, relevant) in outcome.items():
        notes += [f"{file}: {f.message}" for f in problems if f.code == "FL012"]
        if file in converted:
            continue
        unconverted.append(_why(file, found, problems, relevant, older_files.get(file)))
    if not exports:
        raise ConvertError(
            f"nothing to convert in {' '.join(paths)}: no Graph response, ScubaGear export, or "
            f"PowerShell output mapped in the config's `kinds:` holds a resource",
            tuple(f"{u.file}: {u.reason}" for u in unconverted),
        )
    tenant_of = _tenants(resources) if tenant is None else {}
    planned: list[Planned] = []
    taken: set[Path] = set()
    for resource in exports:
        name = tenant or tenant_of.get(id(resource), DEFAULT_TENANT)
        folder = out / slug(name, DEFAULT_TENANT) / resource.kind.lower()
        target = _free(folder, slug(resource.name), taken)
        _, original = value_at(originals.get((resource.file, resource.document)), resource.root)
        schema = _schema_for(resource.kind, root, cwd / target)
        planned.append(Planned(target, render(resource, name, original, schema), resource))
    return Conversion(planned, unconverted, notes)


def _why(
    file: str,
    found: list[Resource],
    problems: list[Finding],
    relevant: bool,
    older: str | None,
) -> Unconverted:
    if older is not None:
        return Unconverted(file, older, False)
    stopped = [f for f in problems if f.code in _NOT_READ]
    if stopped:
        return Unconverted(file, f"not read: {stopped[0].code} {stopped[0].message}", True)
    if found:
        return Unconverted(file, "a native faqlint file: left as it is", False)
    if relevant:
        return Unconverted(file, "read: holds no resource (an empty list)", False)
    return Unconverted(
        file,
        "not recognised: no Graph `@odata` keys, no ScubaGear shape, and no `kinds:` entry "
        "maps it (add one for PowerShell output, or leave the file out)",
        True,
    )


def _remember_documents(loaded: LoadedFile, originals: dict[tuple[str, int], Any]) -> None:
    for document in loaded.documents:
        originals[(loaded.path, document.index)] = document.data


def _tenants(resources: list[Resource]) -> dict[int, str]:
    """The tenant `faqlint check` gives each resource (nearest Tenant folder, else default)."""
    tenants, _ = group(resources)
    return {id(r): t.name for t in tenants for r in t.resources}


def _free(folder: Path, stem: str, taken: set[Path]) -> Path:
    target = folder / f"{stem}.yaml"
    number = 2
    while target in taken:
        target = folder / f"{stem}-{number}.yaml"
        number += 1
    taken.add(target)
    return target


def _schema_for(kind: str, root: Path, target: Path) -> str | None:
    """The kind's schema in the repository (`faqlint schema --write .faqlint/schemas`, which
    `faqlint init` runs), relative to the converted file, for its modeline; None when the
    repository holds none: a modeline naming a file that is not there only makes the editor
    say it cannot load the schema."""
    from faqlint.schemas_gen import SCHEMA_FOLDER

    schema = root / SCHEMA_FOLDER / f"{kind}.schema.json"
    if not schema.is_file():
        return None
    return Path(os.path.relpath(schema, target.parent)).as_posix()


def render(resource: Resource, tenant: str, original: Any = None, schema: str | None = None) -> str:
    """The native YAML of one export resource, with its header comments; `schema` is the path
    its modeline names."""
    metadata = CommentedMap(name=resource.name)
    if tenant != DEFAULT_TENANT:
        metadata["tenant"] = tenant  # so the file keeps its tenant wherever it is moved
    document = CommentedMap(apiVersion=API_VERSION, kind=resource.kind)
    document["metadata"] = metadata
    spec = _commented(_in_schema_order(resource.spec, resource.kind))
    document["spec"] = spec
    if isinstance(spec, CommentedMap) and isinstance(original, dict):
        folded = {k.casefold() for k in original}
        for key in spec:
            if key.casefold() not in folded:
                spec.yaml_add_eol_comment(
                    f"not in the export: taken from {_implied_by(resource, key)}", key
                )
    # The header names the export's file and place: inert, so a name cannot end the comment.
    header = _header(resource, original, schema)
    document.yaml_set_start_comment("\n".join(inert(line) for line in header))
    stream = StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def _in_schema_order(spec: Any, kind: str) -> Any:
    """Top-level keys in the order the kind's schema lists them (Identity first, ...)."""
    if not isinstance(spec, dict):
        return spec
    order = {key: index for index, key in enumerate(modelled(kind))}
    return dict(sorted(spec.items(), key=lambda item: order.get(item[0], len(order))))


def _implied_by(resource: Resource, key: str) -> str:
    """Where a setting the adapter rebuilt comes from (`customSettings` from an iOS device
    configuration's `settings`, an Android one's decoded `payloadJson`)."""
    source = dict(resource.aliases).get(f"/{key}")
    if source:
        decoded = " (decoded)" if source in {"/payloadJson", "/encodedSettingXml"} else ""
        return f"{source.lstrip('/')}{decoded}"
    return "@odata.type" if key == "platform" else "the export's type"


def _header(resource: Resource, original: Any, schema: str | None) -> list[str]:
    lines = []
    if schema:
        lines.append(f"yaml-language-server: $schema={schema}")
    document = f" (document {resource.document})" if resource.document > 1 else ""
    where = f" at {resource.root}" if resource.root else ""
    lines.append(f"Converted by `faqlint convert` from {resource.file}{document}{where}")
    lines.append(f"({SOURCES.get(resource.source, resource.source)}).")
    if isinstance(original, dict) and isinstance(resource.spec, dict):
        kept = {k.casefold() for k in resource.spec}
        left_out = sum(1 for k in original if k.casefold() not in kept)
        if left_out:
            lines.append(
                f"Only the settings faqlint models are kept: {left_out} other "
                f"propert{'y was' if left_out == 1 else 'ies were'} left out."
            )
    return lines


def _yaml() -> YAML:
    dumper = YAML()  # round-trip: keeps the comments and the key order given
    dumper.width = 4096  # long values (a Graph definition string) stay on their key's line
    dumper.indent(mapping=2, sequence=4, offset=2)
    dumper.allow_unicode = True
    dumper.representer.add_representer(type(None), _null)
    return dumper


def _null(representer: Any, _: None) -> Any:
    # `EwsAllowList: null` says "not configured" as the export did; an empty value hides it.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


_YAML11 = yaml.resolver.Resolver()


def _commented(value: Any) -> Any:
    """Plain data as ruamel nodes; strings another YAML reader could take for something else
    (`01:00:00` is 3600 to a YAML 1.1 reader, `on` is true) are double-quoted."""
    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    if isinstance(value, str):
        tag = _YAML11.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if tag != "tag:yaml.org,2002:str":
            return DoubleQuotedScalarString(value)
    return value


def write(planned: list[Planned], force: bool, out: Path) -> None:
    """Write every file, or none: a file in the way stops the run before anything is written,
    and a failure while writing removes what this run wrote (see `faqlint.fsio`)."""
    from faqlint.fsio import Planned as Write
    from faqlint.fsio import anchor_of, write_all

    if not force:
        for item in planned:
            if os.path.lexists(item.target):
                raise ConvertError(f"{item.target} exists; pass --force to overwrite it")
    cwd = Path.cwd()
    anchor = anchor_of(out, cwd)
    write_all([Write(anchor, Path(os.path.abspath(cwd / i.target)), i.text) for i in planned])


def dry_run(planned: list[Planned]) -> str:
    """The files as one YAML stream, each document headed by the path it would be written to."""
    return "".join(f"--- # {item.target.as_posix()}\n{item.text}" for item in planned)


def run(
    paths: Sequence[str],
    out: str,
    tenant: str | None,
    dry: bool,
    force: bool,
    config_file: str | None,
) -> int:
    from faqlint.config import check_config, load_config
    from faqlint.run import load_catalogue

    cwd = Path.cwd()
    loaded = load_config(Path(config_file) if config_file else None, cwd)
    policy_paths = [loaded.root / p for p in loaded.config.policy_paths]
    catalogue = load_catalogue(policy_paths)
    check_config(loaded, catalogue.codes(), catalogue.kinds, cwd)  # a mistyped kind: say so
    conversion = plan(paths, Path(out), tenant, loaded.config, loaded.root, cwd, catalogue)
    planned = conversion.planned
    if dry:
        sys.stdout.write(dry_run(planned))
        return _account(conversion)
    write(planned, force, Path(out))
    for item in planned:
        where = item.resource.root or "/"
        print(inert(f"{item.target.as_posix()}  <- {item.resource.file} {where}"))
    files = len({item.resource.file for item in planned})
    print(
        f"Converted {len(planned)} resource{'s' if len(planned) != 1 else ''} from {files} "
        f"export file{'s' if files != 1 else ''} into {out}."
    )
    return _account(conversion)


def _account(conversion: Conversion) -> int:
    """Every input that yields no file, and every part of one left out, on stderr; exit 1 when
    an input was not read or not recognised."""
    for item in conversion.unconverted:
        label = "not converted" if item.failed else "skipped"
        print(inert(f"{item.file}: {label}: {item.reason}"), file=sys.stderr)
    for note in conversion.notes:
        print(inert(note), file=sys.stderr)
    failed = sum(1 for item in conversion.unconverted if item.failed)
    if failed:
        print(f"{failed} input file{'s' if failed != 1 else ''} not converted.", file=sys.stderr)
    return 1 if failed else 0
