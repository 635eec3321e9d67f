"""The result cache: work of earlier runs whose inputs did not change, reused.

Per file, what reading it produced, keyed by the file's bytes (a SHA-256), with its size and
modification time kept so that an unchanged file is only stat-ed: its findings, waiver lines and
resource heads (what grouping reads) apart from its resources' settings, which are decoded only
for the tenants a run evaluates. Per tenant, the rules' findings, keyed by the tenant's resources
(each file's bytes, document and place). Per walk, the files it found and what that depended on
(`faqlint.discover.WalkRecord`), so an unchanged tree is stat-ed, not walked. Everything is keyed
also by faqlint's code and version, the rules, schemas and data tables, the configuration and
the selection: any of those changing empties the cache. A one-file commit then reads one file,
evaluates one tenant and stats the rest.

Where: `<cache folder>/results/<project>/results.sqlite3`, the cache folder being faqlint's
(`faqlint.cache.cache_dir`: `$FAQLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/faqlint`, else
`~/.cache/faqlint`) and `<project>` a hash of the project root's absolute path. It is kept outside
the repository on purpose: a repository cannot plant results that say its files are clean. A CI
pipeline keeps it between runs by caching that folder (`FAQLINT_CACHE_DIR=$CI_PROJECT_DIR/
.faqlint-cache` and the CI's cache of that path; discovery never lints it). `--no-cache` or
`FAQLINT_NO_CACHE=1` turn it off; `faqlint clean` removes the project's results.

SQLite, because a commit's run reads a few rows of a large cache and writes fewer. Never a way
to run code: only plain tables are accepted (a database holding anything else, a view or a
trigger, is deleted before a query runs, and `trusted_schema` is off), every value read is
checked against the shape it must have (a row that is not is ignored and rewritten), and nothing
is unpickled. A database that is corrupt or not SQLite is deleted and rebuilt; a journal or
database path that is a link is removed, never written through. Writes are one transaction:
concurrent runs each see a whole cache, and one that finds it locked leaves it as it is. A
modification time within two seconds of the write is not trusted (an edit in the same clock tick
would keep it): such a file is hashed again next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from faqlint import __version__
from faqlint.discover import SourceFile, WalkRecord, stamp
from faqlint.findings import Finding, Position, Severity
from faqlint.identify import ExportRun, Resource, ResourceHead
from faqlint.load import WaiverLine
from faqlint.options import RunOptions
from faqlint.tenants import TENANT_KIND, tenant_of

FORMAT = "faqlint-results"
VERSION = 5
DATABASE = "results.sqlite3"
UNSETTLED = "FL009"  # evaluation error or budget: never cached
RACY_NS = 2_000_000_000  # a file modified this close to the write is hashed again
MAX_BYTES = 1 << 30  # a bound on a planted file
BUSY_MS = 2000  # how long a run waits for another's write before going on without the cache
KEPT_WALKS = 8  # walks of other paths kept (the whole project, a folder, a commit's context)

_TABLES = {
    "meta": "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "files": (
        "CREATE TABLE files (display TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER, "
        "digest TEXT NOT NULL, is_link INTEGER NOT NULL, resources INTEGER NOT NULL, "
        "flags INTEGER NOT NULL, claims TEXT, findings TEXT, waivers TEXT, heads TEXT NOT NULL, "
        "body TEXT NOT NULL, positions TEXT)"
    ),
    "tenants": (
        "CREATE TABLE tenants (key TEXT PRIMARY KEY, findings TEXT NOT NULL, used INTEGER NOT NULL)"
    ),
    "walks": (
        "CREATE TABLE walks (key TEXT PRIMARY KEY, stamps TEXT NOT NULL, sources TEXT NOT NULL)"
    ),
}


class Invalid(Exception):
    """A cached value that is not what faqlint wrote: it is not trusted."""


@dataclass(frozen=True)
class FileResult:
    """What reading one file yields, as plain values (also across worker processes)."""

    display: str
    resources: list[Resource]
    findings: list[Finding]
    relevant: bool
    waiver_lines: tuple[WaiverLine, ...]
    documents: dict[int, Any]  # only when baselining needs the values behind findings

    def heads(self) -> list[ResourceHead]:
        return [r.head(i) for i, r in enumerate(self.resources)]


# FileSummary.flags: what a file's resources are, told without decoding them
RELEVANT = 1  # faqlint read something in it
CLAIMS = 2  # a Tenant, or a resource that names its tenant (`metadata.tenant`)
EXPORTED = 4  # a resource read from an export
ANNOTATED = 8  # a resource with faqlint's annotations (waivers)
SETTLES = 16  # an export run's resource, or an export's own Tenant: see `adapters.runs`


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What every run needs of a file, cached or read: its own findings and waiver lines, and
    how its resources are grouped. A file whose resources neither name their tenant (`CLAIMS`)
    nor may be passed over as an older export run (`SETTLES`) belongs as a whole to its folder's
    tenant, so its heads are decoded only when that tenant is reported."""

    display: str
    resources: int
    flags: int
    # (index, tenant, is a Tenant) of each resource that names its tenant (`CLAIMS`)
    claims: tuple[tuple[int, str, bool], ...]
    findings: list[Finding]
    waiver_lines: tuple[WaiverLine, ...]

    @property
    def relevant(self) -> bool:
        return bool(self.flags & RELEVANT)

    @property
    def individual(self) -> bool:
        """Its resources are grouped one by one (see the class)."""
        return bool(self.flags & (CLAIMS | SETTLES))


def summary_of(result: FileResult, heads: Sequence[ResourceHead]) -> FileSummary:
    count, flags, claims = _shape(heads)
    flags |= RELEVANT if result.relevant else 0
    return FileSummary(result.display, count, flags, claims, result.findings, result.waiver_lines)


def _shape(heads: Sequence[ResourceHead]) -> tuple[int, int, tuple[tuple[int, str, bool], ...]]:
    """How many resources, the flags their heads give (all but RELEVANT), and their claims."""
    flags = 0
    claims = tuple(
        (h.index, tenant_of(h, {}), h.kind == TENANT_KIND)
        for h in heads
        if h.kind == TENANT_KIND or h.explicit_tenant
    )
    if claims:
        flags |= CLAIMS
    if any(not h.native for h in heads):
        flags |= EXPORTED
    if any(h.run is not None or (h.kind == TENANT_KIND and not h.native) for h in heads):
        flags |= SETTLES
    if any(h.annotated for h in heads):
        flags |= ANNOTATED
    return len(heads), flags, claims


@dataclass(frozen=True)
class Verdict:
    """What a run says of a tenant: its rules' findings, its duplicates (FL005) and the kinds of
    its resources (which rules it was checked against)."""

    findings: list[Finding]
    duplicates: list[Finding]
    kinds: frozenset[str]


def _encode_verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "findings": [_encode_finding(f) for f in verdict.findings],
        "duplicates": [_encode_finding(f) for f in verdict.duplicates],
        "kinds": sorted(verdict.kinds),
    }


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


def walk_key(*parts: Any) -> str:
    """A walk's arguments (paths, root, working folder, exclude, size limit, own files)."""
    text = repr(parts).encode("utf-8", "surrogateescape")
    return hashlib.sha256(text).hexdigest()[:32]


# --- the database ------------------------------------------------------------------------------


def _connect(folder: Path, key: str) -> sqlite3.Connection | None:
    """The project's database for `key`, emptied when it was another key's; a folder that is a
    link, or a database that cannot be made trustworthy, is no cache (None)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _mark(folder.parent.parent)
    except OSError:
        return None
    path = folder / DATABASE
    for _attempt in range(2):
        _remove_non_files(path)
        try:
            connection = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
        except sqlite3.Error:
            return None
        try:
            if _prepared(connection, key):
                return connection
        except sqlite3.DatabaseError:
            pass  # not a database, or a corrupt one
        connection.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return None


def _remove_non_files(path: Path) -> None:
    """The database and its journals are regular files; a link or anything else planted under
    their names is removed, so SQLite never writes through it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        candidate = f"{path}{suffix}"
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            try:
                os.unlink(candidate)
            except OSError:
                shutil.rmtree(candidate, ignore_errors=True)


def _prepared(connection: sqlite3.Connection, key: str) -> bool:
    """Set the database up for `key`; False when it holds anything but faqlint's tables."""
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA cell_size_check = ON")
    connection.execute("PRAGMA synchronous = OFF")  # a cache: a crash may cost it, never a run
    connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    objects = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    tables = {name: sql for kind, name, sql in objects if kind == "table"}
    others = [name for kind, name, _ in objects if kind != "table"]
    if not objects:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for sql in _TABLES.values():
                connection.execute(sql)
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("format", FORMAT), ("version", str(VERSION)), ("key", key)],
            )
            connection.execute("COMMIT")
        except sqlite3.OperationalError:
            connection.execute("ROLLBACK")
            return _prepared(connection, key)  # another run made it meanwhile
        return True
    if tables != _TABLES or any(not name.startswith("sqlite_autoindex_") for name in others):
        return False
    meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
    if meta.get("format") != FORMAT or meta.get("version") != str(VERSION):
        return False
    if meta.get("key") != key:
        connection.execute("BEGIN IMMEDIATE")
        for table in ("files", "tenants", "walks"):
            connection.execute(f"DELETE FROM {table}")
        connection.execute("UPDATE meta SET value = ? WHERE name = 'key'", (key,))
        connection.execute("COMMIT")
    return True


PositionKey = tuple[int, str, bool]  # document, pointer, at the value rather than the key

# A file's row as read: (size, trusted modification time or None, digest, is a link, resources,
# flags, claims, findings, waivers), each checked when the row is used.
_Row = tuple[Any, ...]


class ResultCache:
    """One run's view of the cache: look up, then record what was computed, then `save`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._rows: dict[str, _Row] | None = None  # every file's row, read at the first lookup
        self._digests: dict[str, tuple[str, int, int]] = {}  # display -> digest, size, mtime
        # rows to write: (size, trusted time, digest, is a link), and the reading (None: the
        # same bytes, only the stat changed)
        self._files: dict[str, tuple[tuple[int, int | None, str, bool], FileResult | None]] = {}
        self._tenants: dict[str, list[Finding]] = {}  # rules' findings to write
        self._verdicts: dict[str, Verdict] = {}  # tenants' verdicts to write
        self._used: set[str] = set()
        self._walks: dict[str, tuple[WalkRecord, list[SourceFile]]] = {}
        self._positions: dict[str, dict[PositionKey, Position]] = {}
        self._broken: set[str] = set()  # rows that did not read back: rewritten or deleted

    @classmethod
    def open(cls, options: RunOptions, policy_paths: Iterable[Path]) -> ResultCache | None:
        folder = project_folder(options.root)
        if folder is None:
            return None
        try:
            connection = _connect(folder, run_key(options, policy_paths))
        except OSError:
            return None
        return None if connection is None else cls(connection)

    def close(self) -> None:
        self._db.close()

    # --- walks ---------------------------------------------------------------------------------
    def walk(self, key: str) -> list[SourceFile] | None:
        """The files an earlier walk with these arguments found, when nothing it depended on
        changed since."""
        try:
            row = self._db.execute(
                "SELECT stamps, sources FROM walks WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            if not _still(_list(json.loads(_str(row[0])))):
                return None
            return [
                SourceFile(_str(location), _str(display), None, _int(size), False)
                for location, display, size in (_list(s) for s in _list(json.loads(row[1])))
            ]
        except (Invalid, TypeError, ValueError, RecursionError):
            return None

    def put_walk(self, key: str, record: WalkRecord, sources: list[SourceFile]) -> None:
        if record.reusable:
            self._walks[key] = (record, sources)

    # --- files ---------------------------------------------------------------------------------
    def _all_rows(self) -> dict[str, _Row]:
        if self._rows is None:
            try:
                rows = self._db.execute(
                    "SELECT display, size, mtime_ns, digest, is_link, resources, flags, "
                    "claims, findings, waivers FROM files"
                ).fetchall()
            except sqlite3.Error:
                rows = []
            self._rows = {row[0]: row[1:] for row in rows}
        return self._rows

    def file(self, source: SourceFile) -> FileSummary | None:
        """The cached reading of `source`, when its bytes are those it was read from."""
        if source.problem is not None:
            return None
        display = source.display
        row = self._all_rows().get(display)
        try:
            info = os.stat(source.location)
        except OSError:
            return None
        if row is not None and row[:2] == (info.st_size, info.st_mtime_ns):
            size, mtime, digest, is_link = row[:4]
            if _row_shaped(size, mtime, digest, is_link) and bool(is_link) == source.is_link:
                self._digests[display] = (digest, info.st_size, info.st_mtime_ns)
                return self._cached(display, row)
        digest = _hash(source.location, source.max_size)
        if digest is None:
            return None
        self._digests[display] = (digest, info.st_size, info.st_mtime_ns)
        if row is not None and row[2] == digest and row[3] == int(source.is_link):
            cached = self._cached(display, row)
            if cached is not None:  # the same bytes: only the time is new
                mtime = _trusted(info.st_mtime_ns)
                self._files[display] = ((info.st_size, mtime, digest, source.is_link), None)
            return cached
        return None

    def _cached(self, display: str, row: _Row) -> FileSummary | None:
        count, flags, claims, findings, waivers = row[4:]
        try:
            if type(count) is not int or type(flags) is not int:
                raise Invalid("not a summary")
            return FileSummary(
                display,
                count,
                flags,
                () if claims is None else _claims(json.loads(_str(claims))),
                [] if findings is None else _findings(json.loads(_str(findings))),
                () if waivers is None else _waivers(json.loads(_str(waivers))),
            )
        except (Invalid, KeyError, TypeError, ValueError, RecursionError):
            self._broken.add(display)
            return None

    def heads(self, displays: Iterable[str]) -> dict[str, list[ResourceHead]]:
        """The resource heads of cached files; a file whose heads do not read back, or do not
        agree with its summary, is missing from the answer (the caller reads it again)."""
        found: dict[str, list[ResourceHead]] = {}
        for display, raw in self._select("heads", displays):
            try:
                heads = [
                    _decode_resource_head(item, display, i)
                    for i, item in enumerate(_list(json.loads(_str(raw))))
                ]
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                self._broken.add(display)
                continue
            row = self._all_rows().get(display)
            summary = None if row is None else self._cached(display, row)
            shape = (
                None
                if summary is None
                else (summary.resources, summary.flags & ~RELEVANT, summary.claims)
            )
            if shape != _shape(heads):
                self._broken.add(display)  # the heads do not agree with the summary
                continue
            found[display] = heads
        return found

    def _select(self, column: str, displays: Iterable[str]) -> list[tuple[str, Any]]:
        wanted = sorted(set(displays))
        rows: list[tuple[str, Any]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows += self._db.execute(
                    f"SELECT display, {column} FROM files WHERE display IN ({marks})", chunk
                ).fetchall()
            except sqlite3.Error:
                return rows
        return rows

    def resources(self, displays: Iterable[str]) -> dict[str, tuple[list[Resource], Any]]:
        """The resources (with their settings) and documents of cached files; a file whose body
        does not read back is missing from the answer (the caller reads the file again)."""
        found: dict[str, tuple[list[Resource], Any]] = {}
        for display, body in self._select("body", displays):
            try:
                found[display] = _decode_body(json.loads(_str(body)), display)
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                self._broken.add(display)
        return found

    def put_file(self, source: SourceFile, result: FileResult) -> None:
        known = self._digests.get(source.display)
        if known is None or source.problem is not None:
            return
        digest, size, mtime_ns = known
        try:
            info = os.stat(source.location)
        except OSError:
            return
        if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
            return  # changed while it was read: what was read may not be these bytes
        if not round_trips(result):
            return
        stamp = (size, _trusted(mtime_ns), digest, source.is_link)
        self._files[source.display] = (stamp, result)

    # --- positions -----------------------------------------------------------------------------
    def positions(self, displays: Iterable[str]) -> dict[str, dict[PositionKey, Position]]:
        """Where earlier runs found findings' pointers in files whose bytes did not change:
        finding a position means parsing the file again."""
        unchanged = [
            d
            for d in displays
            if d in self._digests and self._files.get(d, (None, None))[1] is None
        ]
        found: dict[str, dict[PositionKey, Position]] = {}
        for display, raw in self._select("positions", unchanged):
            if raw is None:
                continue
            try:
                found[display] = _positions(json.loads(_str(raw)))
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                continue
        return found

    def put_positions(self, display: str, positions: dict[PositionKey, Position]) -> None:
        if display in self._digests:
            self._positions[display] = positions

    def digest(self, display: str) -> str | None:
        known = self._digests.get(display)
        return None if known is None else known[0]

    # --- tenants -------------------------------------------------------------------------------
    def parts_key(self, name: str, parts: Iterable[tuple[str, int | None]]) -> str | None:
        """A tenant by its files' bytes and which of their resources it holds (a file's
        resources are a function of its bytes): known without decoding a resource."""
        keyed = [name]
        for display, index in parts:
            known = self._digests.get(display)
            if known is None:
                return None
            keyed.append(f"{display}\0{known[0]}\0{'' if index is None else index}")
        text = "\x03".join(keyed)
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def verdicts(self, keys: Sequence[str | None]) -> dict[str, Verdict]:
        """The cached verdicts on whole tenants (`parts_key`)."""
        found: dict[str, Verdict] = {}
        for key, raw in self._select_tenants(keys):
            try:
                values = _dict(json.loads(_str(raw)))
                found[key] = Verdict(
                    _findings(values["findings"]),
                    _findings(values["duplicates"]),
                    frozenset(_str(k) for k in _list(values["kinds"])),
                )
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                continue
            self._used.add(key)
        return found

    def put_verdict(self, key: str | None, verdict: Verdict) -> None:
        """Record a tenant's verdict; not when a rule failed or ran out of its time budget."""
        found = [*verdict.findings, *verdict.duplicates]
        if key is None or any(f.code == UNSETTLED for f in found):
            return
        if findings_round_trip(found):
            self._verdicts[key] = verdict
            self._used.add(key)

    def tenant_key(self, name: str, members: Iterable[ResourceHead | Resource]) -> str | None:
        """The tenant's resources as the bytes of their files; None when a file has no digest."""
        parts = [name]
        for member in members:
            known = self._digests.get(member.file)
            if known is None:
                return None
            parts.append(
                f"{member.file}\0{known[0]}\0{member.document}\0{member.root}\0{member.kind}"
            )
        return hashlib.sha256("\x01".join(parts).encode("utf-8", "surrogateescape")).hexdigest()

    def rules_key(
        self,
        name: str,
        members: Iterable[ResourceHead | Resource],
        kinds: frozenset[str] | None,
        codes: Iterable[str],
    ) -> str | None:
        """Some rules' findings on a tenant, keyed by the resources of the `kinds` they can read
        (None: every kind; see `faqlint.sight`): an edit elsewhere in the tenant keeps them."""
        seen = [m for m in members if kinds is None or m.kind in kinds]
        return self.tenant_key("\x02".join([name, *sorted(codes)]), seen)

    def tenants(self, keys: Sequence[str | None]) -> dict[str, list[Finding]]:
        """The cached findings of every key known (`tenant_key` or `rules_key`)."""
        found: dict[str, list[Finding]] = {}
        for key, raw in self._select_tenants(keys):
            try:
                found[key] = _findings(json.loads(_str(raw)))
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                continue
            self._used.add(key)
        return found

    def _select_tenants(self, keys: Sequence[str | None]) -> list[tuple[str, Any]]:
        wanted = sorted({k for k in keys if k is not None})
        rows: list[tuple[str, Any]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows += self._db.execute(
                    f"SELECT key, findings FROM tenants WHERE key IN ({marks})", chunk
                ).fetchall()
            except sqlite3.Error:
                return rows
        return rows

    def put_tenant(self, key: str | None, findings: list[Finding]) -> None:
        """Record a tenant's findings; not when a rule failed or ran out of its time budget
        (FL009): that depends on the machine and the moment, not only on the inputs."""
        if key is None or any(f.code == UNSETTLED for f in findings):
            return
        if not findings_round_trip(findings):
            return
        self._tenants[key] = findings
        self._used.add(key)

    # --- writing -------------------------------------------------------------------------------
    def save(self, present: Iterable[str] | None = None, tenants_in_run: int = 0) -> None:
        """Write what changed in one transaction. `present`, when the run saw the whole
        project, names its files: rows of the others are dropped. A cache that cannot be
        written (locked by another run, a full disk) is left as it is, never an error."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error:
            self.close()
            return
        try:
            self._write(present, tenants_in_run)
            self._db.execute("COMMIT")
        except (sqlite3.Error, TypeError, ValueError, RecursionError):
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
        self.close()

    def _write(self, present: Iterable[str] | None, tenants_in_run: int) -> None:
        db = self._db
        for display, ((size, mtime, digest, is_link), result) in self._files.items():
            if result is None:
                db.execute(
                    "UPDATE files SET size = ?, mtime_ns = ? WHERE display = ?",
                    (size, mtime, display),
                )
                continue
            heads = result.heads()
            summary = summary_of(result, heads)
            findings = [_encode_finding(f) for f in result.findings]
            waivers = [list(w) for w in result.waiver_lines]
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (
                    display,
                    size,
                    mtime,
                    digest,
                    int(is_link),
                    summary.resources,
                    summary.flags,
                    _json([list(c) for c in summary.claims]) if summary.claims else None,
                    _json(findings) if findings else None,
                    _json(waivers) if waivers else None,
                    _json([_encode_head(h) for h in heads]),
                    _json(_encode_body(result)),
                ),
            )
        db.executemany(
            "UPDATE files SET positions = ? WHERE display = ? AND digest = ?",
            [
                (
                    _json([[d, p, a, at.line, at.column] for (d, p, a), at in known.items()]),
                    display,
                    self._digests[display][0],
                )
                for display, known in self._positions.items()
            ],
        )
        broken = self._broken - set(self._files)
        db.executemany("DELETE FROM files WHERE display = ?", [(d,) for d in broken])
        if present is not None:
            keep = set(present)
            gone = [(d,) for d in self._all_rows() if d not in keep and d not in self._files]
            db.executemany("DELETE FROM files WHERE display = ?", gone)
        (count,) = db.execute("SELECT count(*) FROM tenants").fetchone()
        if count + len(self._tenants) + len(self._verdicts) > 4 * max(tenants_in_run, 64):
            db.execute("UPDATE tenants SET used = 0")
            db.executemany("UPDATE tenants SET used = 1 WHERE key = ?", [(k,) for k in self._used])
            db.execute("DELETE FROM tenants WHERE used = 0")
        db.executemany(
            "INSERT OR REPLACE INTO tenants VALUES (?, ?, 1)",
            [(k, _json([_encode_finding(f) for f in fs])) for k, fs in self._tenants.items()]
            + [(k, _json(_encode_verdict(v))) for k, v in self._verdicts.items()],
        )
        for key, (record, sources) in self._walks.items():
            encoded = [[s.location, s.display, s.max_size] for s in sources]
            db.execute(
                "INSERT OR REPLACE INTO walks VALUES (?, ?, ?)",
                (key, _json(list(record.stamps.items())), _json(encoded)),
            )
        db.execute(
            "DELETE FROM walks WHERE rowid NOT IN "
            f"(SELECT rowid FROM walks ORDER BY rowid DESC LIMIT {KEPT_WALKS})"
        )


def _row_shaped(size: Any, mtime: Any, digest: Any, is_link: Any) -> bool:
    return (
        type(size) is int
        and (mtime is None or type(mtime) is int)
        and isinstance(digest, str)
        and len(digest) == 64
        and is_link in (0, 1)
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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


def _hash(path: str, max_size: int) -> str | None:
    raw = _read(path, max_size)
    return None if raw is None else hashlib.sha256(raw).hexdigest()


def _read(path: str, limit: int = MAX_BYTES) -> bytes | None:
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


def _still(noted: list[Any]) -> bool:
    """Every path a walk noted still has its stamp (a value of another shape never matches)."""
    for item in noted:
        path, known = _list(item)
        found = stamp(_str(path))
        if (None if found is None else list(found)) != known:
            return False
    return True


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


def _encode_run(run: ExportRun | None) -> list[str] | None:
    return None if run is None else [run.tenant, run.taken, run.label]


def _decode_run(raw: Any) -> ExportRun | None:
    if raw is None:
        return None
    tenant, taken, label = _list(raw)
    return ExportRun(_str(tenant), _str(taken), _str(label))


def _encode_resource(resource: Resource) -> dict[str, Any]:
    out = {name: getattr(resource, name) for name in _RESOURCE_FIELDS}
    out["aliases"] = [list(a) for a in resource.aliases]
    out["run"] = _encode_run(resource.run)
    out["metadata"] = dict(resource.metadata)
    return out


def _decode_resource(raw: Any) -> Resource:
    values = _dict(raw)
    if values.keys() != set(_RESOURCE_FIELDS):
        raise Invalid("not a resource")
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
        run=_decode_run(values["run"]),
    )


def _encode_head(head: ResourceHead) -> list[Any]:
    return [
        head.kind,
        head.name,
        head.document,
        head.root,
        head.native,
        head.explicit_tenant,
        head.name_pointer,
        _encode_run(head.run),
        head.annotated,
    ]


def _claims(raw: Any) -> tuple[tuple[int, str, bool], ...]:
    claims = []
    for item in _list(raw):
        index, tenant, is_tenant = _list(item)
        claims.append((_int(index), _str(tenant), _bool(is_tenant)))
    return tuple(claims)


def _positions(raw: Any) -> dict[PositionKey, Position]:
    positions: dict[PositionKey, Position] = {}
    for item in _list(raw):
        document, pointer, at_value, line, column = _list(item)
        key = (_int(document), _str(pointer), _bool(at_value))
        positions[key] = Position(_int(line), _int(column))
    return positions


def _findings(raw: Any) -> list[Finding]:
    return [_decode_finding(f) for f in _list(raw)]


def _waivers(raw: Any) -> tuple[WaiverLine, ...]:
    waiver_lines = []
    for item in _list(raw):
        line, text, document = _list(item)
        waiver_lines.append(WaiverLine(_int(line), _str(text), _int(document)))
    return tuple(waiver_lines)


def _decode_resource_head(raw: Any, display: str, index: int) -> ResourceHead:
    """One head, its shape checked inline: every run decodes every file's heads."""
    kind, name, document, root, native, tenant, name_pointer, run, annotated = _list(raw)
    if not (
        type(kind) is str
        and type(name) is str
        and type(document) is int
        and type(root) is str
        and type(native) is bool
        and (tenant is None or type(tenant) is str)
        and type(name_pointer) is str
        and type(annotated) is bool
    ):
        raise Invalid("not a resource head")
    return ResourceHead(
        kind,
        name,
        display,
        document,
        root,
        native,
        tenant,
        name_pointer,
        None if run is None else _decode_run(run),
        annotated,
        index,
    )


def _encode_body(result: FileResult) -> list[Any]:
    """What only an evaluated tenant needs: [resources, documents]."""
    return [
        [_encode_resource(r) for r in result.resources],
        [[k, v] for k, v in result.documents.items()],
    ]


def _decode_body(raw: Any, display: str) -> tuple[list[Resource], dict[int, Any]]:
    resources_raw, documents_raw = _list(raw)
    resources = [_decode_resource(r) for r in _list(resources_raw)]
    if any(r.file != display for r in resources):
        raise Invalid("a resource of another file")
    documents: dict[int, Any] = {}
    for item in _list(documents_raw):
        index, data = _list(item)
        documents[_int(index)] = data
    return resources, documents


def round_trips(result: FileResult) -> bool:
    """Whether `result` reads back from JSON as itself (data a YAML file holds may not: dates,
    tuples, keys that are not strings); only such results are cached."""
    heads = result.heads()
    try:
        back_heads = [
            _decode_resource_head(json.loads(_json(_encode_head(h))), result.display, i)
            for i, h in enumerate(heads)
        ]
        findings = _findings(json.loads(_json([_encode_finding(f) for f in result.findings])))
        waivers = _waivers(json.loads(_json([list(w) for w in result.waiver_lines])))
        resources, documents = _decode_body(json.loads(_json(_encode_body(result))), result.display)
    except (TypeError, ValueError, RecursionError, Invalid, KeyError):
        return False
    back = FileResult(result.display, resources, findings, result.relevant, waivers, documents)
    return back == result and back_heads == heads and findings_round_trip(result.findings)


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
