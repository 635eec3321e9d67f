"""The result cache: work of earlier runs whose inputs did not change, reused.

- Per file, keyed by its bytes (a SHA-256), with its size and modification time kept so that an
  unchanged file is only stat-ed: its summary (own findings, waiver lines, how its resources are
  grouped: `faqlint.results.FileSummary`), its resource heads, its resources' settings and the
  positions of findings' pointers in it, each decoded only when a stage asks for it.
- Per tenant, its verdict (`faqlint.judge`), keyed by its files' bytes; and per group of rules
  that read the same kinds, their findings, keyed by the resources of those kinds.
- Per walk, the files it found and what that depended on (`faqlint.discover.WalkRecord`), so an
  unchanged tree is stat-ed, not walked.

Everything is keyed also by faqlint's code and version, the rules, schemas and data tables, the
configuration and the selection: any of those changing empties the cache. A one-file commit
then reads one file, evaluates the rules that see what changed in one tenant and stats the rest.

Where: `<cache folder>/results/<project>/results.sqlite3`, the cache folder being faqlint's
(`faqlint.cache.cache_dir`: `$FAQLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/faqlint`, else
`~/.cache/faqlint`) and `<project>` a hash of the project root's absolute path. It is kept outside
the repository on purpose: a repository cannot plant results that say its files are clean. A CI
pipeline keeps it between runs by caching that folder (`FAQLINT_CACHE_DIR=$CI_PROJECT_DIR/
.faqlint-cache` and the CI's cache of that path; discovery never lints it). `--no-cache` or
`FAQLINT_NO_CACHE=1` turn it off; `faqlint clean` removes the project's results.

Never a way to run code: the database is opened only when it holds faqlint's plain tables
(`faqlint.resultdb`), every value read is checked against the shape it must have
(`faqlint.resultcodec`; a row that is not is ignored and rewritten), and nothing is unpickled. A
value of the right shape is trusted while its file's stat holds: the cache is only as good as
its folder is private. A modification time within two seconds of the write is not trusted (an
edit in the same clock tick would keep it): such a file is hashed again next time.
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
from pathlib import Path
from typing import Any

from faqlint import __version__
from faqlint.codes import EVALUATION_ERROR
from faqlint.discover import SourceFile, WalkRecord
from faqlint.findings import Finding, Position
from faqlint.identify import Resource, ResourceHead
from faqlint.options import RunOptions
from faqlint.resultcodec import (
    Invalid,
    PositionKey,
    as_dict,
    as_int,
    as_list,
    as_str,
    decode_body,
    decode_claims,
    decode_findings,
    decode_head,
    decode_positions,
    decode_waivers,
    encode_body,
    encode_finding,
    encode_head,
    encode_verdict,
    findings_round_trip,
    round_trips,
    to_json,
)
from faqlint.resultdb import connect
from faqlint.results import RELEVANT, FileResult, FileSummary, Verdict, shape_of, summary_of

RACY_NS = 2_000_000_000  # a file modified this close to the write is hashed again
MAX_BYTES = 1 << 30  # a bound on a planted file
KEPT_WALKS = 8  # walks of other paths kept (the whole project, a folder, a commit's context)

# --- where -----------------------------------------------------------------------------------


def project_folder(root: Path) -> Path | None:
    from faqlint.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    digest = hashlib.sha256(str(root.absolute()).encode("utf-8", "surrogateescape")).hexdigest()
    return base / "results" / digest[:24]


def clean(root: Path) -> Path | None:
    """Remove the project's results; the folder removed, or None when there was none (or it is
    reached through a link: what is removed is never outside the cache folder)."""
    folder = project_folder(root)
    if folder is None or not folder.is_dir() or folder.is_symlink() or folder.parent.is_symlink():
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
        self._claims_seen: dict[str, tuple[tuple[int, str, bool], ...]] = {}
        self._plain: dict[tuple[Any, ...], FileSummary] = {}  # summaries without findings
        self._broken: set[str] = set()  # rows that did not read back: rewritten or deleted

    @classmethod
    def open(cls, options: RunOptions, policy_paths: Iterable[Path]) -> ResultCache | None:
        folder = project_folder(options.root)
        if folder is None:
            return None
        try:
            connection = connect(folder, run_key(options, policy_paths))
        except OSError:
            return None
        return None if connection is None else cls(connection)

    def close(self) -> None:
        self._db.close()

    # --- walks ---------------------------------------------------------------------------------
    def walk(self, key: str) -> list[SourceFile] | None:
        """The files an earlier walk with these arguments found, when nothing it depended on
        changed since. Each file must lie in a folder (or be a path) the walk noted, and those
        stamps hold inodes and times of this machine: a walk planted in a committed cache
        folder cannot point a run at a file it would not have found."""
        try:
            row = self._db.execute(
                "SELECT stamps, sources FROM walks WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            noted = as_list(json.loads(as_str(row[0])))
            if not _still(noted):
                return None
            locations, displays, size = as_list(json.loads(as_str(row[1])))
            strings = (*as_list(locations), *as_list(displays))
            if len(locations) != len(displays) or not all(type(x) is str for x in strings):
                return None
            places = {path for path, _ in noted}
            if not all(p in places or p[: p.rfind(os.sep)] in places for p in locations):
                return None
            max_size = as_int(size)
            return [
                SourceFile(p, d, None, max_size) for p, d in zip(locations, displays, strict=True)
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

    def files(self, sources: Iterable[SourceFile]) -> list[FileSummary | None]:
        """The cached reading of each source, when its bytes are those it was read from (None:
        read it). A commit's run asks this for every file of the project: an unchanged file
        without findings takes one stat and two lookups."""
        rows, plain = self._all_rows(), self._plain
        found: list[FileSummary | None] = []
        for source in sources:
            if source.problem is not None:
                found.append(None)
                continue
            try:
                info = os.stat(source.location)
            except OSError:
                found.append(None)
                continue
            row = rows.get(source.display)
            if (
                row is not None
                and row[0] == info.st_size
                and row[1] == info.st_mtime_ns
                and row[3] == int(source.is_link)
                and row[7] is None
                and row[8] is None
                and type(row[2]) is str
                and len(row[2]) == 64
            ):
                summary = plain.get(row[4:7])
                if summary is not None:
                    self._digests[source.display] = (row[2], info.st_size, info.st_mtime_ns)
                    found.append(summary)
                    continue
            found.append(self._file(source, row, info))
        return found

    def _file(
        self, source: SourceFile, row: _Row | None, info: os.stat_result
    ) -> FileSummary | None:
        display = source.display
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
        if findings is None and waivers is None:  # most files: one summary for all alike
            plain = self._plain.get((count, flags, claims))
            if plain is not None:
                return plain
        try:
            if type(count) is not int or type(flags) is not int:
                raise Invalid("not a summary")
            summary = FileSummary(
                count,
                flags,
                () if claims is None else self._claims(claims),
                [] if findings is None else decode_findings(json.loads(as_str(findings))),
                () if waivers is None else decode_waivers(json.loads(as_str(waivers))),
            )
        except (Invalid, KeyError, TypeError, ValueError, RecursionError):
            self._broken.add(display)
            return None
        if findings is None and waivers is None:
            self._plain[(count, flags, claims)] = summary
        return summary

    def _claims(self, raw: Any) -> tuple[tuple[int, str, bool], ...]:
        """Decoded once per distinct text: a tenant's files mostly claim it alike."""
        key = as_str(raw)
        if key not in self._claims_seen:
            self._claims_seen[key] = decode_claims(json.loads(key))
        return self._claims_seen[key]

    def heads(self, displays: Iterable[str]) -> dict[str, list[ResourceHead]]:
        """The resource heads of cached files; a file whose heads do not read back, or do not
        agree with its summary, is missing from the answer (the caller reads it again)."""
        found: dict[str, list[ResourceHead]] = {}
        for display, raw in self._select("heads", displays):
            try:
                heads = [
                    decode_head(item, display, i)
                    for i, item in enumerate(as_list(json.loads(as_str(raw))))
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
            if shape != shape_of(heads):
                self._broken.add(display)  # the heads do not agree with the summary
                continue
            found[display] = heads
        return found

    def _select(self, column: str, displays: Iterable[str]) -> list[tuple[str, Any]]:
        return self._rows_of("files", "display", column, set(displays))

    def _rows_of(self, table: str, key: str, column: str, wanted: set[str]) -> list[Any]:
        """(key, column) of the rows whose key is wanted, asked for 500 at a time (SQLite's
        bound on a statement's parameters); what a failing read did not give is missing."""
        ordered = sorted(wanted)
        rows: list[Any] = []
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT {key}, {column} FROM {table} WHERE {key} IN ({marks})"
            try:
                rows += self._db.execute(query, chunk).fetchall()
            except sqlite3.Error:
                return rows
        return rows

    def resources(self, displays: Iterable[str]) -> dict[str, tuple[list[Resource], Any]]:
        """The resources (with their settings) and documents of cached files; a file whose body
        does not read back is missing from the answer (the caller reads the file again)."""
        found: dict[str, tuple[list[Resource], Any]] = {}
        for display, body in self._select("body", displays):
            try:
                found[display] = decode_body(json.loads(as_str(body)), display)
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
                found[display] = decode_positions(json.loads(as_str(raw)))
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                continue
        return found

    def put_positions(self, display: str, positions: dict[PositionKey, Position]) -> None:
        if display in self._digests:
            self._positions[display] = positions

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
                values = as_dict(json.loads(as_str(raw)))
                found[key] = Verdict(
                    decode_findings(values["findings"]),
                    decode_findings(values["duplicates"]),
                    frozenset(as_str(k) for k in as_list(values["kinds"])),
                )
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                continue
            self._used.add(key)
        return found

    def put_verdict(self, key: str | None, verdict: Verdict) -> None:
        """Record a tenant's verdict; not when a rule failed or ran out of its time budget."""
        found = [*verdict.findings, *verdict.duplicates]
        if key is None or any(f.code == EVALUATION_ERROR for f in found):
            return
        if findings_round_trip(found):
            self._verdicts[key] = verdict
            self._used.add(key)

    def _resources_key(self, name: str, members: Iterable[ResourceHead | Resource]) -> str | None:
        """Resources as the bytes of their files and their places; None when a file has no
        digest."""
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
        return self._resources_key("\x02".join([name, *sorted(codes)]), seen)

    def tenants(self, keys: Sequence[str | None]) -> dict[str, list[Finding]]:
        """The cached findings of every `rules_key` known."""
        found: dict[str, list[Finding]] = {}
        for key, raw in self._select_tenants(keys):
            try:
                found[key] = decode_findings(json.loads(as_str(raw)))
            except (Invalid, KeyError, TypeError, ValueError, RecursionError):
                continue
            self._used.add(key)
        return found

    def _select_tenants(self, keys: Sequence[str | None]) -> list[tuple[str, Any]]:
        return self._rows_of("tenants", "key", "findings", {k for k in keys if k is not None})

    def put_tenant(self, key: str | None, findings: list[Finding]) -> None:
        """Record a tenant's findings; not when a rule failed or ran out of its time budget
        (FL009): that depends on the machine and the moment, not only on the inputs."""
        if key is None or any(f.code == EVALUATION_ERROR for f in findings):
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
            findings = [encode_finding(f) for f in result.findings]
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
                    to_json([list(c) for c in summary.claims]) if summary.claims else None,
                    to_json(findings) if findings else None,
                    to_json(waivers) if waivers else None,
                    to_json([encode_head(h) for h in heads]),
                    to_json(encode_body(result)),
                ),
            )
        db.executemany(
            "UPDATE files SET positions = ? WHERE display = ? AND digest = ?",
            [
                (
                    to_json([[d, p, a, at.line, at.column] for (d, p, a), at in known.items()]),
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
            [(k, to_json([encode_finding(f) for f in fs])) for k, fs in self._tenants.items()]
            + [(k, to_json(encode_verdict(v))) for k, v in self._verdicts.items()],
        )
        for key, (record, sources) in self._walks.items():
            sizes = {s.max_size for s in sources}
            if len(sizes) > 1:
                continue  # one size limit per walk: anything else is not a walk's result
            size = sizes.pop() if sizes else 0
            encoded = [[s.location for s in sources], [s.display for s in sources], size]
            db.execute(
                "INSERT OR REPLACE INTO walks VALUES (?, ?, ?)",
                (key, to_json(list(record.stamps.items())), to_json(encoded)),
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
    """Every path a walk noted still has its stamp (a value of another shape never matches;
    `discover.stamp` inline, because a commit's run checks every folder of the project)."""
    status = os.stat
    for item in noted:
        path, known = as_list(item)
        try:
            info = status(as_str(path))
        except OSError:
            if known is None:
                continue
            return False
        if known != [info.st_mtime_ns, info.st_size, info.st_ino]:
            return False
    return True
