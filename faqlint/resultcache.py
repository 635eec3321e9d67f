"""The result cache: work of earlier runs whose inputs did not change, reused.

Per file, what reading it produced (resources, findings, waiver lines), keyed by the file's
bytes (a SHA-256), with its size and modification time kept so that an unchanged file is only
stat-ed; per tenant, the rules' findings, keyed by the tenant's resources (each file's bytes,
document and place). Everything is keyed also by faqlint's code and version, the rules, schemas
and data tables, the configuration and the selection: any of those changing is another cache.
A one-file commit then reads one file, evaluates one tenant and stats the rest.

Where: `<cache folder>/results/<project>/<run key>.json`, the cache folder being faqlint's
(`faqlint.cache.cache_dir`: `$FAQLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/faqlint`, else
`~/.cache/faqlint`) and `<project>` a hash of the project root's absolute path. It is kept outside
the repository on purpose: a repository cannot plant results that say its files are clean. A CI
pipeline keeps it between runs by caching that folder (`FAQLINT_CACHE_DIR=$CI_PROJECT_DIR/
.faqlint-cache` and the CI's cache of that path; discovery never lints it). `--no-cache` or
`FAQLINT_NO_CACHE=1` turn it off; `faqlint clean` removes the project's results.

Never a way to run code: one JSON document per run key, every value checked against the shape
it must have when read back (anything else: the whole document is ignored and rebuilt), never
pickle. A modification time within two seconds of the write is not trusted (an edit in the same
clock tick would keep it): such a file is hashed again next time. Writes are atomic
(`faqlint.fsio`): concurrent runs each write a whole, valid document, and the last one stays.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from faqlint import __version__
from faqlint.discover import SourceFile
from faqlint.findings import Finding, Position, Severity
from faqlint.identify import ExportRun, Resource
from faqlint.load import WaiverLine
from faqlint.options import RunOptions

FORMAT = "faqlint-results"
VERSION = 1
UNSETTLED = "FL009"  # evaluation error or budget: never cached
RACY_NS = 2_000_000_000  # a file modified this close to the write is hashed again
MAX_BYTES = 1 << 30  # a bound on a planted file


class Invalid(Exception):
    """A cached value that is not what faqlint wrote: the document is not trusted."""


@dataclass(frozen=True)
class FileResult:
    """What reading one file yields, as plain values (also across worker processes)."""

    display: str
    resources: list[Resource]
    findings: list[Finding]
    relevant: bool
    waiver_lines: tuple[WaiverLine, ...]
    documents: dict[int, Any]  # only when baselining needs the values behind findings


# --- where -----------------------------------------------------------------------------------


def project_folder(root: Path) -> Path | None:
    from faqlint.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    digest = hashlib.sha256(str(root.absolute()).encode("utf-8", "surrogateescape")).hexdigest()
    return base / "results" / digest[:24]


def clean(root: Path) -> Path | None:
    """Remove the project's results; the folder removed, or None when there was none."""
    folder = project_folder(root)
    if folder is None or not folder.is_dir() or folder.is_symlink():
        return None
    shutil.rmtree(folder)
    return folder


def _code_digest() -> bytes:
    """faqlint's version and the bytes of its own modules: a development checkout whose version
    number did not move still gets a fresh cache when its code changes."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.digest()


def _tree_digest(digest: Any, folder: Path) -> None:
    if folder.is_file():
        digest.update(str(folder).encode("utf-8", "surrogateescape") + folder.read_bytes())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path).encode("utf-8", "surrogateescape"))
        digest.update(path.read_bytes())


def run_key(options: RunOptions, policy_paths: Iterable[Path]) -> str:
    """One cache per faqlint code, rules, schemas, tables, configuration and selection."""
    from faqlint.resources import builtin_policies, builtin_schemas

    digest = hashlib.sha256(_code_digest())
    for folder in (builtin_policies(), builtin_schemas(), *policy_paths):
        if folder.exists():
            _tree_digest(digest, folder)
    selection = options.selection
    digest.update(
        repr(
            (
                options.config,
                str(options.root),
                str(options.cwd),
                selection.select,
                selection.ignore,
                sorted(selection.severity.items()),
                options.fingerprints,
            )
        ).encode("utf-8", "surrogateescape")
    )
    return digest.hexdigest()[:32]


# --- the store ---------------------------------------------------------------------------------


@dataclass
class _Entry:
    size: int
    mtime_ns: int | None  # None: too recent to trust, hash the bytes again
    digest: str
    is_link: bool
    result: FileResult


class ResultCache:
    """One run's view of the cache: look up, then record what was computed, then `save`."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.path = folder / f"{key}.json"
        self.key = key
        self._files: dict[str, _Entry] = {}
        self._raw_files: dict[str, Any] = {}
        self._tenants: dict[str, list[Finding]] = {}
        self._raw_tenants: dict[str, Any] = {}
        self._digests: dict[str, tuple[str, int, int]] = {}  # display -> digest, size, mtime
        self._used_tenants: set[str] = set()
        self._changed: set[str] = set()  # files whose entry must be encoded again
        self._new_tenants: set[str] = set()
        self._dirty = False
        self._load()

    @classmethod
    def open(cls, options: RunOptions, policy_paths: Iterable[Path]) -> ResultCache | None:
        folder = project_folder(options.root)
        if folder is None:
            return None
        try:
            return cls(folder, run_key(options, policy_paths))
        except OSError:
            return None

    # reading the document: raw JSON, each entry decoded when it is asked for
    def _load(self) -> None:
        raw = _read(self.path)
        if raw is None:
            return
        try:
            document = json.loads(raw)
        except (ValueError, RecursionError):
            return
        if not (
            isinstance(document, dict)
            and document.get("format") == FORMAT
            and document.get("version") == VERSION
            and document.get("key") == self.key
            and isinstance(document.get("files"), dict)
            and isinstance(document.get("tenants"), dict)
        ):
            return
        self._raw_files = document["files"]
        self._raw_tenants = document["tenants"]

    def _entry(self, display: str) -> _Entry | None:
        if display in self._files:
            return self._files[display]
        raw = self._raw_files.get(display)
        if raw is None:
            return None
        try:
            entry = _decode_entry(raw, display)
        except (Invalid, KeyError, TypeError, ValueError, RecursionError):
            self._raw_files.pop(display, None)
            self._dirty = True
            return None
        self._files[display] = entry
        return entry

    def file(self, source: SourceFile) -> FileResult | None:
        """The cached result of reading `source`, when its bytes are those it was read from."""
        if source.problem is not None:
            return None
        entry = self._entry(source.display)
        try:
            info = os.stat(source.path)
        except OSError:
            return None
        if (
            entry is not None
            and entry.is_link == source.is_link
            and entry.size == info.st_size
            and entry.mtime_ns is not None
            and entry.mtime_ns == info.st_mtime_ns
        ):
            self._digests[source.display] = (entry.digest, info.st_size, info.st_mtime_ns)
            return entry.result
        digest = _hash(source.path, source.max_size)
        if digest is None:
            return None
        self._digests[source.display] = (digest, info.st_size, info.st_mtime_ns)
        if entry is not None and entry.digest == digest and entry.is_link == source.is_link:
            entry.mtime_ns = _trusted(info.st_mtime_ns)
            entry.size = info.st_size
            self._changed.add(source.display)
            self._dirty = True
            return entry.result
        return None

    def put_file(self, source: SourceFile, result: FileResult) -> None:
        known = self._digests.get(source.display)
        if known is None or source.problem is not None:
            return
        digest, size, mtime_ns = known
        try:
            info = os.stat(source.path)
        except OSError:
            return
        if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
            return  # changed while it was read: what was read may not be these bytes
        if not round_trips(result):
            return
        entry = _Entry(size, _trusted(mtime_ns), digest, source.is_link, result)
        self._files[source.display] = entry
        self._changed.add(source.display)
        self._dirty = True

    def tenant_key(self, name: str, resources: Iterable[Resource]) -> str | None:
        """The tenant's resources as the bytes of their files; None when a file has no digest."""
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape"))
        for resource in resources:
            known = self._digests.get(resource.file)
            if known is None:
                return None
            digest.update(
                json.dumps(
                    [resource.file, known[0], resource.document, resource.root, resource.kind]
                ).encode("utf-8", "surrogateescape")
            )
        return digest.hexdigest()

    def tenant(self, key: str | None) -> list[Finding] | None:
        if key is None:
            return None
        if key in self._tenants:
            self._used_tenants.add(key)
            return self._tenants[key]
        raw = self._raw_tenants.get(key)
        if raw is None:
            return None
        try:
            findings = [_decode_finding(f) for f in _list(raw)]
        except (Invalid, KeyError, TypeError, ValueError, RecursionError):
            self._raw_tenants.pop(key, None)
            return None
        self._tenants[key] = findings
        self._used_tenants.add(key)
        return findings

    def put_tenant(self, key: str | None, findings: list[Finding]) -> None:
        """Record a tenant's findings; not when a rule failed or ran out of its time budget
        (FL009): that depends on the machine and the moment, not only on the inputs."""
        if key is None or any(f.code == UNSETTLED for f in findings):
            return
        if not findings_round_trip(findings):
            return
        self._tenants[key] = findings
        self._used_tenants.add(key)
        self._new_tenants.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write the document when anything changed; a cache that cannot be written is not
        used, never an error."""
        if not self._dirty:
            return
        from faqlint.errors import FaqlintError
        from faqlint.fsio import write_text

        try:
            files = dict(self._raw_files)
            for display in self._changed:  # the others are written as they were read
                files[display] = _encode_entry(self._files[display])
            tenants = {
                key: value
                for key, value in self._raw_tenants.items()
                if len(self._raw_tenants) < 4 * max(len(self._used_tenants), 64)
            }
            for key in self._used_tenants - self._new_tenants:
                if key in self._raw_tenants:  # kept even when the rest is dropped
                    tenants[key] = self._raw_tenants[key]
            for key in self._new_tenants:
                tenants[key] = [_encode_finding(f) for f in self._tenants[key]]
            document = {
                "format": FORMAT,
                "version": VERSION,
                "key": self.key,
                "files": files,
                "tenants": tenants,
            }
            text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            self.folder.mkdir(parents=True, exist_ok=True)
            _mark(self.folder.parent.parent)
            write_text(self.folder, self.path, text)
            for old in self.folder.glob("*.json"):  # one run key per project is kept
                if old != self.path:
                    old.unlink(missing_ok=True)
        except (OSError, TypeError, ValueError, RecursionError, FaqlintError):
            pass


def _mark(base: Path) -> None:
    """Tag the cache folder as backup tools and git expect (as `.ruff_cache` does)."""
    from faqlint.fsio import write_text

    tag = base / "CACHEDIR.TAG"
    if not tag.exists():
        write_text(
            base,
            tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by faqlint.\n",
        )
    ignore = base / ".gitignore"
    if not ignore.exists():
        write_text(base, ignore, "# Automatically created by faqlint.\n*\n")


def _trusted(mtime_ns: int) -> int | None:
    return mtime_ns if time.time_ns() - mtime_ns > RACY_NS else None


def _hash(path: Path, max_size: int) -> str | None:
    raw = _read(path, max_size)
    return None if raw is None else hashlib.sha256(raw).hexdigest()


def _read(path: Path, limit: int = MAX_BYTES) -> bytes | None:
    """A regular file's bytes (a link is read through only where discovery allowed it)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        try:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            data = file.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


# --- plain data out and back in, every value checked -----------------------------------------


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid("not a list")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("not a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise Invalid("not an integer")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Invalid("not a boolean")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("not a mapping")
    return value


def _encode_finding(finding: Finding) -> list[Any]:
    position = finding.position
    return [
        finding.code,
        finding.name,
        int(finding.severity),
        finding.message,
        finding.file,
        finding.document,
        finding.pointer,
        None if position is None else [position.line, position.column],
        finding.at_value,
        finding.tenant,
        finding.kind,
        finding.resource,
        finding.fix,
        finding.extra,
    ]


def _decode_finding(raw: Any) -> Finding:
    values = _list(raw)
    if len(values) != 14:
        raise Invalid("not a finding")
    position = None
    if values[7] is not None:
        line, column = _list(values[7])
        position = Position(_int(line), _int(column))
    return Finding(
        code=_str(values[0]),
        name=_str(values[1]),
        severity=Severity(_int(values[2])),
        message=_str(values[3]),
        file=_str(values[4]),
        document=_int(values[5]),
        pointer=_str(values[6]),
        position=position,
        at_value=_bool(values[8]),
        tenant=_optional_str(values[9]),
        kind=_optional_str(values[10]),
        resource=_optional_str(values[11]),
        fix=_optional_str(values[12]),
        extra=_dict(values[13]),
    )


_RESOURCE_FIELDS = tuple(f.name for f in fields(Resource))


def _encode_resource(resource: Resource) -> dict[str, Any]:
    out = {name: getattr(resource, name) for name in _RESOURCE_FIELDS}
    out["aliases"] = [list(a) for a in resource.aliases]
    run = resource.run
    out["run"] = None if run is None else [run.tenant, run.taken, run.label]
    out["metadata"] = dict(resource.metadata)
    return out


def _decode_resource(raw: Any) -> Resource:
    values = _dict(raw)
    if values.keys() != set(_RESOURCE_FIELDS):
        raise Invalid("not a resource")
    run = None
    if values["run"] is not None:
        tenant, taken, label = _list(values["run"])
        run = ExportRun(_str(tenant), _str(taken), _str(label))
    aliases = []
    for alias in _list(values["aliases"]):
        first, second = _list(alias)
        aliases.append((_str(first), _str(second)))
    return Resource(
        kind=_str(values["kind"]),
        name=_str(values["name"]),
        file=_str(values["file"]),
        document=_int(values["document"]),
        spec=values["spec"],
        metadata=_dict(values["metadata"]),
        root=_str(values["root"]),
        spec_pointer=_str(values["spec_pointer"]),
        native=_bool(values["native"]),
        source=_str(values["source"]),
        aliases=tuple(aliases),
        run=run,
    )


def _encode_entry(entry: _Entry) -> dict[str, Any]:
    result = entry.result
    return {
        "size": entry.size,
        "mtime_ns": entry.mtime_ns,
        "digest": entry.digest,
        "is_link": entry.is_link,
        "resources": [_encode_resource(r) for r in result.resources],
        "findings": [_encode_finding(f) for f in result.findings],
        "relevant": result.relevant,
        "waiver_lines": [list(w) for w in result.waiver_lines],
        "documents": [[k, v] for k, v in result.documents.items()],
    }


def _decode_entry(raw: Any, display: str) -> _Entry:
    values = _dict(raw)
    waiver_lines = []
    for item in _list(values["waiver_lines"]):
        line, text, document = _list(item)
        waiver_lines.append(WaiverLine(_int(line), _str(text), _int(document)))
    documents: dict[int, Any] = {}
    for item in _list(values["documents"]):
        index, data = _list(item)
        documents[_int(index)] = data
    resources = [_decode_resource(r) for r in _list(values["resources"])]
    findings = [_decode_finding(f) for f in _list(values["findings"])]
    if any(r.file != display for r in resources):
        raise Invalid("a resource of another file")
    mtime = values["mtime_ns"]
    digest = _str(values["digest"])
    if len(digest) != 64:
        raise Invalid("not a digest")
    return _Entry(
        size=_int(values["size"]),
        mtime_ns=None if mtime is None else _int(mtime),
        digest=digest,
        is_link=_bool(values["is_link"]),
        result=FileResult(
            display,
            resources,
            findings,
            _bool(values["relevant"]),
            tuple(waiver_lines),
            documents,
        ),
    )


def round_trips(result: FileResult) -> bool:
    """Whether `result` reads back from JSON as itself (data a YAML file holds may not: dates,
    tuples, keys that are not strings); only such results are cached."""
    try:
        text = json.dumps(
            _encode_entry(_Entry(0, None, "0" * 64, False, result)),
            ensure_ascii=False,
            allow_nan=False,
        )
        back = _decode_entry(json.loads(text), result.display).result
    except (TypeError, ValueError, RecursionError, Invalid, KeyError):
        return False
    return back == result and findings_round_trip(result.findings)


def findings_round_trip(findings: Iterable[Finding]) -> bool:
    """`extra` is not compared with the finding: check it reads back as itself too."""
    try:
        return all(
            json.loads(json.dumps(f.extra, allow_nan=False)) == f.extra
            and _decode_finding(json.loads(json.dumps(_encode_finding(f)))) == f
            for f in findings
        )
    except (TypeError, ValueError, RecursionError, Invalid):
        return False
