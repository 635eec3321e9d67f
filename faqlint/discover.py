"""Which files a run reads: folders walked, `.gitignore` and `exclude` honoured everywhere.

Excludes apply to files named on the command line too, because pre-commit passes every staged
file by name and an excluded file must stay excluded there as well.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


from faqlint.errors import FaqlintError

SUFFIXES = frozenset({".yaml", ".yml", ".json"})
ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv"})


class DiscoveryError(FaqlintError):
    """A path that does not exist: exit 2."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path  # absolute
    display: str  # as reported: relative to the working folder where possible


class _Ignores:
    """`.gitignore` files from the project root down to each folder, each read once.

    Works on plain path strings: discovery runs on every commit, and pathlib's per-call parsing
    cost more than the matching itself.
    """

    def __init__(self, root: Path, exclude: Iterable[str]) -> None:
        self.root = str(root)
        patterns = list(exclude)
        self.exclude = _spec(patterns) if patterns else None
        self._chains: dict[str, tuple[tuple[str, GitIgnoreSpec], ...]] = {}

    def _inside(self, path: str) -> bool:
        return path == self.root or path.startswith(self.root + os.sep)

    def _chain(self, folder: str) -> tuple[tuple[str, GitIgnoreSpec], ...]:
        """(folder, its .gitignore) for every folder from the root down to `folder`."""
        if folder not in self._chains:
            parent = os.path.dirname(folder)
            chain = () if folder == self.root or parent == folder else self._chain(parent)
            own = _read_gitignore(os.path.join(folder, ".gitignore"))
            self._chains[folder] = (*chain, (folder, own)) if own is not None else chain
        return self._chains[folder]

    def ignored(self, path: str, is_dir: bool) -> bool:
        if is_dir and os.path.basename(path) in ALWAYS_SKIPPED:
            return True
        if not self._inside(path):
            return False  # outside the project: only explicit paths get here, and we read them
        slash = "/" if is_dir else ""
        if self.exclude is not None and self.exclude.match_file(_below(path, self.root) + slash):
            return True
        return any(
            spec.match_file(_below(path, folder) + slash)
            for folder, spec in self._chain(os.path.dirname(path))
        )

    def any_parent_ignored(self, path: str) -> bool:
        folder = os.path.dirname(path)
        while self._inside(folder) and folder != self.root:
            if self.ignored(folder, is_dir=True):
                return True
            folder = os.path.dirname(folder)
        return False


def _below(path: str, folder: str) -> str:
    """`path` relative to `folder`, which contains it, with forward slashes."""
    return path[len(folder) :].lstrip(os.sep).replace(os.sep, "/")


def _spec(lines: list[str]) -> GitIgnoreSpec:
    import pathspec  # only runs with patterns to match pay for it

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _read_gitignore(path: str) -> GitIgnoreSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return _spec(handle.read().splitlines())
    except OSError:  # none there (the usual case), or unreadable: nothing to ignore
        return None


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def discover(
    paths: Iterable[str], root: Path, exclude: Iterable[str], cwd: Path
) -> list[SourceFile]:
    """Files to read, sorted and without repeats. Raises DiscoveryError for a missing path."""
    ignores = _Ignores(root, exclude)
    found: dict[str, None] = {}
    for raw in paths:
        path = os.path.abspath(os.path.join(cwd, raw))
        if os.path.isdir(path):
            for file in _walk(path, ignores):
                found.setdefault(file)
        elif os.path.isfile(path):
            if not (ignores.ignored(path, is_dir=False) or ignores.any_parent_ignored(path)):
                found.setdefault(path)
        else:
            raise DiscoveryError(f"{raw}: no such file or folder")
    return [SourceFile(Path(p), display_path(Path(p), cwd)) for p in sorted(found)]


def _walk(top: str, ignores: _Ignores) -> Iterator[str]:
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not ignores.ignored(os.path.join(folder, d), is_dir=True)
        )
        for name in sorted(files):
            if name.startswith("."):  # .faqlint.yaml, .pre-commit-config.yaml: tool files
                continue
            path = os.path.join(folder, name)
            if os.path.splitext(name)[1].lower() in SUFFIXES and not ignores.ignored(path, False):
                yield path
