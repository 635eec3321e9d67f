"""Which files a run reads: folders walked, git's ignore files and `exclude` honoured everywhere.

git's ignore files are `.gitignore`, the repository's `info/exclude` and the user's
`core.excludesFile`, read as git reads them and with git's precedence (`_Ignores`,
`faqlint.gitrepo`); git itself is never run.

Excludes apply to files named on the command line too, because pre-commit passes every staged
file by name and an excluded file must stay excluded there as well.

A repository may be hostile, so discovery looks before anything is opened: only regular files
are read; a FIFO, socket or device, a link that leaves the project (its target is never
printed) and a folder that cannot be listed come back as a `SourceFile` with a `problem`, which
the run reports as FL011 at that path, and the run goes on. Links inside the project are read
once: a linked file that is also found under its own name is read under that name only, and a
linked folder is walked only when its target is not walked anyway (so no link loop is followed).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from faqlint.errors import FaqlintError
from faqlint.filetext import DEFAULT_MAX_FILE_SIZE, NotRead, not_regular, read_bytes
from faqlint.gitrepo import config_files, find_repository, ignore_files, read_ignore_file
from faqlint.wildmatch import Pattern, PatternError, compile_lines, compile_pattern, decision

SUFFIXES = frozenset({".yaml", ".yml", ".json"})
# `.faqlint` holds faqlint's own files (the schemas `faqlint init` writes for editors): never
# linted, even when pre-commit names them.
ALWAYS_SKIPPED = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".faqlint"}
)
GITIGNORE_MAX_SIZE = 1024 * 1024  # far beyond any real .gitignore; a bigger one is not read
LEAVES_PROJECT = "a link that leaves the project: faqlint does not follow it"


class DiscoveryError(FaqlintError):
    """A path that does not exist, or an invalid `exclude` pattern: exit 2."""


class SourceFile(NamedTuple):
    """A file to read (a tuple: a commit's run makes one per file of the project)."""

    location: str  # absolute path
    display: str  # as reported: relative to the working folder where possible
    problem: str | None = None  # why it is not read (FL011), found before opening it
    max_size: int = DEFAULT_MAX_FILE_SIZE
    is_link: bool = False  # a link inside the project, read through; others are never followed

    @property
    def path(self) -> Path:
        return Path(self.location)


Stamp = tuple[int, int, int]  # a path's modification time, size and inode
RACY_NS = 2_000_000_000  # a folder changed this recently may change again in the same tick


@dataclass
class WalkRecord:
    """What a walk's result depends on, so that the next run can tell, by a `stat` of each
    path, that walking again would find the same files (the result cache keeps it; git's
    untracked cache works alike): every folder listed or consulted for a `.gitignore`, and every
    ignore and git config file read, with its stamp (None: it did not exist). A folder's time
    changes whenever an entry is added, removed or renamed in it; a file's own changes are the
    result cache's to see. A walk that met a link or a path it could not read, or a folder
    changed too recently to trust its time, is not `reusable`."""

    stamps: dict[str, Stamp | None]
    reusable: bool = True

    def note(self, path: str) -> None:
        if path not in self.stamps:
            self.stamps[path] = stamp(path)
            if (found := self.stamps[path]) is not None and time.time_ns() - found[0] < RACY_NS:
                self.reusable = False


def stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class _Ignores:
    """What git ignores, and the config's `exclude`, each file read once.

    Works on plain path strings: discovery runs on every commit, and pathlib's per-call parsing
    cost more than the matching itself. The first source with a matching pattern decides, in
    this order: the config's `exclude`; `.gitignore` files, from the folder of the path up to the
    top of the git work tree (or the project root outside git), a deeper one overriding a
    shallower one; the repository's `info/exclude`; the user's `core.excludesFile` (see
    `faqlint.gitrepo`). Within a source the last matching line decides, as in git.
    """

    def __init__(self, root: Path, exclude: Iterable[str], record: WalkRecord | None) -> None:
        self.root = str(root)
        self.exclude = _exclude_patterns(exclude)
        self.record = record
        self._chains: dict[str, tuple[tuple[str, tuple[Pattern, ...]], ...]] = {}
        repository = find_repository(self.root)
        self.top = repository.top if repository else self.root  # where .gitignore files start
        files = ignore_files(repository) if repository else ()
        if record is not None and repository is not None:
            for path in (*config_files(repository), *files):
                record.note(path)
        self.repository_wide = tuple(
            patterns for f in files if (patterns := tuple(compile_lines(read_ignore_file(f))))
        )
        self._without_gitignore: set[str] = set()  # folders whose listing has no .gitignore

    def listed(self, folder: str, names: Iterable[str]) -> None:
        """The walk lists every folder anyway: one without a .gitignore is not looked up."""
        if ".gitignore" not in names:
            self._without_gitignore.add(folder)

    def inside(self, path: str) -> bool:
        return path == self.root or path.startswith(self.root + os.sep)

    def _chain(self, folder: str) -> tuple[tuple[str, tuple[Pattern, ...]], ...]:
        """(folder, its .gitignore) for every folder from the work tree's top down to `folder`."""
        if folder not in self._chains:
            parent = os.path.dirname(folder)
            chain = () if folder == self.top or parent == folder else self._chain(parent)
            own: tuple[Pattern, ...] = ()
            if folder not in self._without_gitignore:
                path = os.path.join(folder, ".gitignore")
                if self.record is not None:  # one added later changes its stamp from None
                    self.record.note(path)
                own = _read_gitignore(path)
            self._chains[folder] = (*chain, (folder, own)) if own else chain
        return self._chains[folder]

    def ignored(self, path: str, is_dir: bool) -> bool:
        if is_dir and os.path.basename(path) in ALWAYS_SKIPPED:
            return True
        if not self.inside(path):
            return False  # outside the project: only explicit paths get here, and we read them
        if self.exclude and decision(self.exclude, _below(path, self.root), is_dir):
            return True
        verdict = None
        for folder, patterns in self._chain(os.path.dirname(path)):
            found = decision(patterns, _below(path, folder), is_dir)
            verdict = found if found is not None else verdict
        for patterns in self.repository_wide if verdict is None else ():
            verdict = decision(patterns, _below(path, self.top), is_dir)
            if verdict is not None:
                break
        return bool(verdict)

    def any_parent_ignored(self, path: str) -> bool:
        folder = os.path.dirname(path)
        while self.inside(folder) and folder != self.root:
            if self.ignored(folder, is_dir=True):
                return True
            folder = os.path.dirname(folder)
        return False


def _exclude_patterns(exclude: Iterable[str]) -> tuple[Pattern, ...]:
    """The config's `exclude`, strictly: a pattern git would drop is a mistake to say, not to
    ignore."""
    patterns: list[Pattern] = []
    for text in exclude:
        try:
            pattern = compile_pattern(text, strict=True)
        except PatternError as err:
            raise DiscoveryError(f"exclude: invalid pattern {text!r}: {err}") from None
        if pattern is None:
            raise DiscoveryError(f"exclude: invalid pattern {text!r}: it matches nothing")
        patterns.append(pattern)
    return tuple(patterns)


def _below(path: str, folder: str) -> str:
    """`path` relative to `folder`, which contains it, with forward slashes."""
    return path[len(folder) :].lstrip(os.sep).replace(os.sep, "/")


def _read_gitignore(path: str) -> tuple[Pattern, ...]:
    """A `.gitignore`'s usable lines. git strips a UTF-8 byte-order mark and, since 2.32, does
    not follow a `.gitignore` that is a link; one that is missing, a link, not a regular file,
    too large or unreadable ignores nothing."""
    try:
        raw = read_bytes(path, GITIGNORE_MAX_SIZE, follow=False)
    except NotRead:
        return ()
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return compile_lines(text.splitlines())


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Found:
    """The files of a run, each real file once, and the paths not to read with their reason."""

    def __init__(self) -> None:
        # path -> (problem, reached through a link); a file's own name wins over a link's
        self.files: dict[str, tuple[str | None, bool]] = {}
        self._by_real: dict[str, str] = {}

    def add(self, path: str, real: str | None, is_link: bool, problem: str | None) -> None:
        if path in self.files:
            return
        if real is not None and problem is None:
            known = self._by_real.get(real)
            if known is not None:
                if not (self.files[known][1] and not is_link):
                    return  # read under the name already found
                del self.files[known]  # the file's own name rather than a link to it
            self._by_real[real] = path
        self.files[path] = (problem, is_link)


def discover(
    paths: Iterable[str],
    root: Path,
    exclude: Iterable[str],
    cwd: Path,
    *,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
    skip: Iterable[Path] = (),
    record: WalkRecord | None = None,
) -> list[SourceFile]:
    """Files to read, sorted and without repeats, and the paths found but not to be read (with
    their `problem`). Raises DiscoveryError for a missing path or an invalid `exclude` pattern.
    `skip` names faqlint's own files and folders (policy packs, the config file, the cache):
    never read, never reported. `record`, when given, notes what the result depends on."""
    ignores = _Ignores(root, exclude, record)
    skipped = frozenset(form for p in skip for form in (os.path.abspath(p), os.path.realpath(p)))
    found = _Found()
    root_real = os.path.realpath(root)
    for raw in paths:
        path = os.path.abspath(os.path.join(cwd, raw))
        if record is not None:
            record.note(path)  # a named file removed, replaced or edited: walk again
        if _is_skipped(path, skipped):
            continue
        boundary = root_real if ignores.inside(path) else os.path.realpath(_folder_of(path))
        if os.path.isdir(path) and not os.path.islink(path):
            _walk(path, ignores, boundary, found, skipped)
        elif os.path.lexists(path):
            if not (ignores.ignored(path, is_dir=False) or ignores.any_parent_ignored(path)):
                real, is_link, problem = _examine(path, boundary)
                if problem is None and os.path.isdir(path):  # a link to a folder in the project
                    _walk(path, ignores, boundary, found, skipped)
                else:
                    found.add(path, real, is_link, problem)
        else:
            raise DiscoveryError(f"{raw}: no such file or folder")
    if record is not None and any(
        problem is not None or is_link for problem, is_link in found.files.values()
    ):
        record.reusable = False
    inside = str(cwd).rstrip(os.sep) + os.sep
    return [
        SourceFile(p, _shown(p, inside), problem, max_size, is_link)
        for p, (problem, is_link) in sorted(found.files.items())
    ]


def _shown(path: str, inside: str) -> str:
    """`display_path` on strings (pathlib's per-path parsing costs more than the walk itself):
    relative to the working folder `inside` (ending in a separator) where possible."""
    return (path[len(inside) :] if path.startswith(inside) else path).replace(os.sep, "/")


def _folder_of(path: str) -> str:
    return path if os.path.isdir(path) and not os.path.islink(path) else os.path.dirname(path)


def _is_skipped(path: str, skipped: frozenset[str]) -> bool:
    return any(_within(path, s) for s in skipped)


def _examine(
    path: str, boundary: str, real_folder: str | None = None
) -> tuple[str | None, bool, str | None]:
    """(real path, is a link, why it is not read) for one path, looking without opening it.
    `real_folder`, the real path of its folder when known, spares resolving it per file."""
    try:
        info = os.lstat(path)
    except OSError as err:
        return None, False, f"cannot read file: {err.strerror or err}"
    is_link = stat.S_ISLNK(info.st_mode)
    if is_link or real_folder is None:
        real = os.path.realpath(path)
    else:
        real = os.path.join(real_folder, os.path.basename(path))
    if is_link:
        if not _within(real, boundary):
            return None, True, LEAVES_PROJECT
        try:
            info = os.stat(path)
        except OSError:
            return None, True, "a link to nothing (its target is missing): faqlint did not read it"
    if stat.S_ISDIR(info.st_mode) and is_link:
        return real, True, None
    if not stat.S_ISREG(info.st_mode):
        return None, is_link, not_regular(info.st_mode)
    return real, is_link, None


def _walk(
    top: str, ignores: _Ignores, boundary: str, found: _Found, skipped: frozenset[str]
) -> None:
    """Walk `top` and, once each, the linked folders inside the project that it reaches."""
    walked: list[str] = []  # real paths of the folders walked so far
    pending = [top]
    while pending:
        start = pending.pop(0)
        start_real = os.path.realpath(start)
        if any(_within(start_real, w) for w in walked):
            continue  # already read under its own name (or this is a link loop)
        walked.append(start_real)
        through_link = start is not top
        for folder_link in _walk_one(start, ignores, boundary, found, skipped, through_link):
            pending.append(folder_link)


def _walk_one(
    top: str,
    ignores: _Ignores,
    boundary: str,
    found: _Found,
    skipped: frozenset[str],
    through_link: bool,
) -> Iterator[str]:
    """Add the files under `top` to `found`; yield the links to folders inside the project.
    `through_link`: `top` is a linked folder, so its files are found under a borrowed name.

    One `scandir` per folder: the kind of each entry comes with the listing, so a regular file
    is added without a system call of its own (this walk runs on every commit)."""
    pending: list[tuple[str, str]] = [(top, os.path.realpath(top))]  # (folder, its real path)
    while pending:
        folder, real_folder = pending.pop()
        if ignores.record is not None:
            ignores.record.note(folder)  # before listing it: a change meanwhile is seen next time
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            found.add(folder, None, False, f"cannot list folder: {err.strerror or err}")
            continue
        ignores.listed(folder, (e.name for e in entries))
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):  # .git, .faqlint.yaml, .pre-commit-config.yaml: tool files
                continue
            path = entry.path
            if _is_folder(entry):
                if ignores.ignored(path, is_dir=True) or _is_skipped(path, skipped):
                    continue
                if not entry.is_symlink():
                    subfolders.append((path, os.path.join(real_folder, name)))
                elif _within(os.path.realpath(path), boundary):
                    if ignores.record is not None:
                        ignores.record.reusable = False  # its target's changes are not seen
                    yield path
                else:
                    found.add(path, None, True, LEAVES_PROJECT)
                continue
            if os.path.splitext(name)[1].lower() not in SUFFIXES:
                continue
            if ignores.ignored(path, False) or _is_skipped(path, skipped):
                continue
            if _is_regular(entry):
                found.add(path, os.path.join(real_folder, name), through_link, None)
                continue
            real, is_link, problem = _examine(path, boundary, real_folder)
            if problem is None and is_link and real is not None and os.path.isdir(real):
                yield path  # a link named like a file that points to a folder
                continue
            found.add(path, real, is_link or through_link, problem)
        pending.extend(reversed(subfolders))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A folder, or a link to one (as `os.walk` lists them)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_regular(entry: os.DirEntry[str]) -> bool:
    """A regular file that is not a link, told by the listing alone where the file system says."""
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False
