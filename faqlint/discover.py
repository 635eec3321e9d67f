"""Which files a run reads: folders walked, `.gitignore` and `exclude` honoured everywhere.

Excludes apply to files named on the command line too, because pre-commit passes every staged
file by name and an excluded file must stay excluded there as well.
"""

from __future__ import annotations

from faqlint.errors import FaqlintError

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

SUFFIXES = frozenset({".yaml", ".yml", ".json"})
ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv"})


class DiscoveryError(FaqlintError):
    """A path that does not exist: exit 2."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path  # absolute
    display: str  # as reported: relative to the working folder where possible


class _Ignores:
    """`.gitignore` files from the project root down to each folder, read once per folder."""

    def __init__(self, root: Path, exclude: Iterable[str]) -> None:
        self.root = root
        self.exclude = pathspec.GitIgnoreSpec.from_lines(list(exclude))
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _spec(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._specs:
            ignore_file = folder / ".gitignore"
            spec = None
            if ignore_file.is_file():
                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    lines = []
                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        if path.name in ALWAYS_SKIPPED and is_dir:
            return True
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            return False  # outside the project: only explicit paths get here, and we read them
        text = relative.as_posix() + ("/" if is_dir else "")
        if self.exclude.match_file(text):
            return True
        for folder in (path.parent, *path.parent.parents):
            spec = self._spec(folder)
            if spec is not None:
                inner = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
                if spec.match_file(inner):
                    return True
            if folder == self.root:
                break
        return False

    def any_parent_ignored(self, path: Path) -> bool:
        for folder in path.parents:
            if folder == self.root or self.root not in folder.parents:
                return False
            if self.ignored(folder, is_dir=True):
                return True
        return False


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: Iterable[str], root: Path, exclude: Iterable[str], cwd: Path) -> list[SourceFile]:
    """Files to read, sorted and without repeats. Raises DiscoveryError for a missing path."""
    ignores = _Ignores(root, exclude)
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(os.path.abspath(cwd / raw))
        if path.is_dir():
            for file in _walk(path, ignores):
                found.setdefault(file)
        elif path.is_file():
            if not (ignores.ignored(path, is_dir=False) or ignores.any_parent_ignored(path)):
                found.setdefault(path)
        else:
            raise DiscoveryError(f"{raw}: no such file or folder")
    return [SourceFile(p, display_path(p, cwd)) for p in sorted(found)]


def _walk(top: Path, ignores: _Ignores) -> Iterator[Path]:
    for folder, dirs, files in os.walk(top):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not ignores.ignored(here / d, is_dir=True)
        )
        for name in sorted(files):
            if name.startswith("."):  # .faqlint.yaml, .pre-commit-config.yaml: tool files
                continue
            path = here / name
            if path.suffix.lower() in SUFFIXES and not ignores.ignored(path, is_dir=False):
                yield path
