"""The result cache's database: opened only when it can be trusted to be faqlint's.

SQLite, because a commit's run reads a few rows of a large cache and writes fewer. Only plain
tables are accepted: a database holding anything else (a view, a trigger, an index) is deleted
before a query runs, and `trusted_schema` is off. A database that is corrupt or not SQLite is
deleted and rebuilt; a database or journal path that is a link (or anything but a regular file)
is removed first, so SQLite never writes through it; a cache folder that is a link is not used.
Another faqlint version's, or another configuration's, cache is emptied. Writes are
transactions: concurrent runs each see a whole cache, and one that finds it locked waits
`BUSY_MS`, then goes on without writing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

FORMAT = "faqlint-results"
VERSION = 6
DATABASE = "results.sqlite3"
BUSY_MS = 2000  # how long a run waits for another's write before going on without the cache

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


def connect(folder: Path, key: str) -> sqlite3.Connection | None:
    """The project's database for `key` (`folder` is `<cache folder>/results/<project>`),
    emptied when it was another key's; a folder below the cache folder that is a link (planted in
    a cache folder someone committed), or a database that cannot be made trustworthy, is no cache
    (None)."""
    try:
        for below in (folder.parent, folder):
            if below.is_symlink() or (below.exists() and not below.is_dir()):
                return None
            below.mkdir(exist_ok=True, parents=below == folder.parent)
        _mark(folder.parent.parent)
    except OSError:
        return None
    if folder.is_symlink() or folder.parent.is_symlink():  # made a link meanwhile
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
