"""What each document is: a native resource (envelope), a raw export an adapter reads, or neither.

Documents that are neither (a CI workflow, a Kubernetes manifest in the same repo) are not
faqlint's to judge; the run counts them and the summary says how many files held none. A document
that looks like an export but yields nothing is never one of those: the adapter that recognised it
says why (FL010), and a file `kinds:` maps that no adapter could read is FL010 here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from faqlint.codes import ANNOTATION_PREFIX, engine_finding
from faqlint.findings import Finding
from faqlint.loaded import Document, LoadedFile

API_VERSION = "faqlint/v1"


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource, wherever it came from.

    `root` is the JSON pointer of the resource inside its document and `spec_pointer` that of its
    spec: `""` and `/spec` for a native document, `/value/3` and `/value/3` for the fourth item of
    a Graph list export. Rules report at `/spec/...`; `pointer()` turns that into the document's
    own pointer so that the finding lands on the line of the file that holds the value.
    """

    kind: str
    name: str
    file: str
    document: int
    spec: Any
    metadata: Mapping[str, Any] = field(default_factory=dict)
    root: str = ""
    spec_pointer: str = "/spec"
    native: bool = True
    source: str = "native"  # adapter name for raw exports
    # Where a setting an adapter rebuilt lies in the export: (spec pointer prefix, document
    # pointer prefix relative to `spec_pointer`), e.g. ("/customSettings/0/name",
    # "/settings/0/appConfigKey") for an iOS device app configuration.
    aliases: tuple[tuple[str, str], ...] = ()
    # The run an export belongs to (ScubaGear writes one folder per run), for picking the newest.
    run: ExportRun | None = None

    @property
    def explicit_tenant(self) -> str | None:
        tenant = self.metadata.get("tenant")
        return tenant if isinstance(tenant, str) and tenant else None

    @property
    def own_annotations(self) -> dict[str, Any]:
        """faqlint's own keys (`faqlint.io/...`) of `metadata.annotations`: its waivers."""
        annotations = self.metadata.get("annotations")
        if not isinstance(annotations, dict):
            return {}
        return {str(k): v for k, v in annotations.items() if str(k).startswith(ANNOTATION_PREFIX)}

    @property
    def name_pointer(self) -> str:
        """Where the resource is named: a duplicate (FL005) is reported there."""
        return self.pointer("/metadata/name") if self.native else self.root

    def head(self, index: int) -> ResourceHead:
        """What grouping needs of this resource, the `index`-th of its file."""
        return ResourceHead(
            kind=self.kind,
            name=self.name,
            file=self.file,
            document=self.document,
            root=self.root,
            native=self.native,
            explicit_tenant=self.explicit_tenant,
            name_pointer=self.name_pointer,
            run=self.run,
            annotated=bool(self.own_annotations),
            index=index,
        )

    def pointer(self, at: str) -> str:
        """Map a rule's `/spec/...` (or `/metadata/...`) pointer into the source document."""
        if at == "/spec" or at.startswith("/spec/"):
            return self.spec_pointer + self._alias(at[len("/spec") :])
        return self.root + at

    def _alias(self, inner: str) -> str:
        best = ""
        for prefix, _ in self.aliases:
            if len(prefix) > len(best) and (inner == prefix or inner.startswith(prefix + "/")):
                best = prefix
        if not best:
            return inner
        target = dict(self.aliases)[best]
        return target + inner[len(best) :]


@dataclass(frozen=True, slots=True)
class ExportRun:
    """One run of an export tool over one tenant: `tenant` identifies the tenant across runs
    (its id where the export says it), `taken` orders runs (ISO 8601, UTC), `label` names the
    tenant for messages."""

    tenant: str
    taken: str
    label: str


@dataclass(frozen=True, slots=True)
class ResourceHead:
    """A resource without its settings: all that grouping it into its tenant, finding its
    duplicates and picking the newest export run read. A run over a cached repository groups
    every file's heads and decodes the settings only of the tenants it evaluates. `index` is the
    resource's place among its file's resources."""

    kind: str
    name: str
    file: str
    document: int
    root: str
    native: bool
    explicit_tenant: str | None
    name_pointer: str
    run: ExportRun | None
    annotated: bool
    index: int


@dataclass(frozen=True, slots=True)
class Reading:
    """What an adapter made of a document it recognised: its resources, and findings about
    what it could not read (FL010, FL012)."""

    resources: tuple[Resource, ...] = ()
    findings: tuple[Finding, ...] = ()


# An adapter reads one document and yields resources, or returns None when it is not its format.
Adapter = Callable[[Document, str, "str | None"], "Reading | None"]


@dataclass(frozen=True, slots=True)
class Identified:
    resources: tuple[Resource, ...]
    findings: tuple[Finding, ...]
    # Documents faqlint read: native ones and exports an adapter recognised. An export can be read
    # and hold no resource (a Graph list with an empty `value`); its file still counts as read.
    read: int = 0


_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "i": "1", "_": "-"})


def suggest(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'X'?` or nothing. Letters typed for look-alike digits (`OM2O1`) and a
    different case count as the same spelling before any closer-match guess."""
    choices = list(choices)
    folded = {c.lower().translate(_LOOKALIKES): c for c in choices}
    exact = folded.get(word.lower().translate(_LOOKALIKES))
    close = [exact] if exact else difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _is_native(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    api = data.get("apiVersion")
    return isinstance(api, str) and api.split("/")[0] == "faqlint"


# The kinds of faqlint's own policy-pack files: read by `policy-paths`, never linted as
# configuration (an FL003 on a house-rules pack kept in the repository would be noise).
OWN_KINDS = frozenset({"PolicyPack", "PolicyData"})


def _is_own_file(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("apiVersion") == API_VERSION
        and (data.get("kind") in OWN_KINDS)
    )


def identify(
    loaded: LoadedFile,
    known_kinds: frozenset[str],
    adapters: tuple[Adapter, ...] = (),
    forced_kind: str | None = None,
) -> Identified:
    resources: list[Resource] = []
    findings: list[Finding] = []
    read = 0
    for document in loaded.documents:
        data = document.data
        if _is_own_file(data):
            continue
        if _is_native(data) or (
            isinstance(data, dict) and data.get("kind") in known_kinds and "spec" in data
        ):
            kind = data.get("kind")
            if not isinstance(kind, str) or kind not in known_kinds:
                findings.append(_unknown_kind(loaded.path, document, kind, known_kinds))
                continue
            resources.append(_native(loaded.path, document, kind))
            read += 1
            continue
        for adapter in adapters:
            found = adapter(document, loaded.path, forced_kind)
            if found is not None:
                resources.extend(found.resources)
                findings.extend(found.findings)
                if not any(f.code == "FL010" for f in found.findings):
                    read += 1
                break
        else:
            if forced_kind is not None and adapters:
                findings.append(_not_read(loaded.path, document, forced_kind))
    if forced_kind is not None and adapters and not loaded.documents and not loaded.findings:
        findings.append(_not_read(loaded.path, None, forced_kind))
    return Identified(tuple(resources), tuple(findings), read)


def _not_read(path: str, document: Document | None, kind: str) -> Finding:
    """FL010 for a file `kinds:` maps that holds no object to read as that kind."""
    what = "is empty" if document is None else f"holds {_shape(document.data)}, not an object"
    return engine_finding(
        "FL010",
        f"`kinds:` maps this file to {kind}, but it {what}, so no {kind} was read; export the "
        f"objects with `ConvertTo-Json -Depth 10`, or drop the mapping if the file is not an "
        "export",
        file=path,
        document=document.index if document is not None else 1,
        pointer="",
        kind=kind,
    )


def _shape(data: Any) -> str:
    if isinstance(data, list):
        return "a list without objects"
    names = {bool: "a boolean", str: "a string", int: "a number", float: "a number"}
    return names.get(type(data), "nothing") if data is not None else "nothing"


def _native(path: str, document: Document, kind: str) -> Resource:
    data = document.data
    metadata = data.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name = metadata.get("name")
    spec = data.get("spec")
    return Resource(
        kind=kind,
        name=name
        if isinstance(name, str) and name
        else f"{PurePosixPath(path).stem}#{document.index}",
        file=path,
        document=document.index,
        spec=spec if isinstance(spec, dict) else {},
        metadata=metadata,
    )


def _unknown_kind(path: str, document: Document, kind: Any, known: frozenset[str]) -> Finding:
    if kind is None:
        message = (
            f"no 'kind': say which kind of resource this is (one of {', '.join(sorted(known))})"
        )
        pointer = ""
    else:
        hint = suggest(str(kind), known) or f"; known kinds: {', '.join(sorted(known))}"
        message = f"unknown kind {kind!r}{hint}"
        pointer = "/kind"
    return engine_finding("FL003", message, file=path, document=document.index, pointer=pointer)
