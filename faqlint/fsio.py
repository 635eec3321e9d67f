"""Every file faqlint writes goes through here: only where the user said, and atomically.

A repository may hold symbolic links planted to redirect a write (a `reports/` folder that points
at `~/.ssh`, a `faqlint.sarif` that points at a CI secret). So:

- The folder the user named (`--out DIR`, `init DIR`, the folder of `--output FILE`, the cache
  folder) is taken as given; every folder faqlint walks or creates below it, and the target
  itself, must not be a symbolic link: such a write is refused with one line (exit 2), never
  followed.
- Each file is written to a fresh temporary file in its target folder (`tempfile.mkstemp`) and
  moved into place with `os.replace`: a reader sees the old file or the new one, never half of
  one, and a target that is a hard link is replaced (its other names keep their content) rather
  than rewritten in place.
- `write_all` stages a set of files (every temporary written, every target checked) before it
  replaces any; when anything fails, the temporaries and the folders it created are removed, so a
  failed run leaves the folder as it was.
- An existing target that is a device or a pipe (`--output /dev/stdout`) is written into, not
  replaced: it is a stream the user named, not a file to swap.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from faqlint.errors import FaqlintError


class UnsafeWriteError(FaqlintError):
    """A write that would follow a link or land somewhere other than where the user said."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One file to write: `target`, below the user's folder `anchor`."""

    anchor: Path
    target: Path
    text: str


def anchor_of(named: Path, cwd: Path) -> Path:
    """The folder a write is checked from: the working folder when `named` lies inside it (the
    repository, where a planted link would be), else `named` itself, as the user gave it."""
    absolute = Path(os.path.abspath(cwd / named))
    here = Path(os.path.abspath(cwd))
    return here if absolute == here or here in absolute.parents else absolute


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _below(anchor: Path, target: Path) -> list[Path]:
    """The paths from just below `anchor` down to `target`'s folder (each folder once)."""
    try:
        parts = target.parent.relative_to(anchor).parts
    except ValueError:
        return []  # not below the anchor: only the target itself is checked
    folders: list[Path] = []
    current = anchor
    for part in parts:
        current = current / part
        folders.append(current)
    return folders


def _check_folder(folder: Path, shown: Path) -> bool:
    """True when `folder` exists (as a real folder); raise when it is a link or not a folder."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWriteError(f"refusing to write {shown}: {folder} is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeWriteError(f"cannot write {shown}: {folder} is not a folder")
    return True


def _target_kind(target: Path, shown: Path, streams: bool) -> str:
    """'missing', 'file' or 'stream' (a device or pipe to write into); raise for the rest."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return "missing"
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWriteError(f"refusing to write {shown}: it is a symbolic link")
    if stat.S_ISREG(info.st_mode):
        return "file"
    if stat.S_ISDIR(info.st_mode):
        raise UnsafeWriteError(f"cannot write {shown}: it is a folder")
    if streams and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        return "stream"
    raise UnsafeWriteError(f"refusing to write {shown}: it is not a regular file")


class _Stage:
    """Temporary files and created folders of one `write_all`, undone unless committed."""

    def __init__(self) -> None:
        self.created: list[Path] = []
        self.temporaries: list[tuple[str, Path]] = []
        self.streams: list[tuple[Path, str]] = []

    def folders(self, anchor: Path, target: Path, shown: Path) -> None:
        missing = [anchor, *[p for p in anchor.parents]]
        missing = list(reversed([p for p in missing if not os.path.lexists(p)]))
        for folder in missing:  # the user's own folder, created as named
            os.mkdir(folder)
            self.created.append(folder)
        for folder in _below(anchor, target):
            if not _check_folder(folder, shown):
                os.mkdir(folder)  # never follows: a link planted meanwhile makes it fail
                self.created.append(folder)

    def temporary(self, item: Planned) -> None:
        handle, name = tempfile.mkstemp(
            dir=item.target.parent, prefix=f".{item.target.name[:64]}.", suffix=".tmp"
        )
        self.temporaries.append((name, item.target))
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            if hasattr(os, "fchmod"):  # mkstemp makes it private; give it the usual mode
                os.fchmod(out.fileno(), _umask_mode())
            out.write(item.text)
            out.flush()
            os.fsync(out.fileno())

    def undo(self) -> None:
        for name, _ in self.temporaries:
            with contextlib.suppress(OSError):
                os.unlink(name)
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                os.rmdir(folder)


def write_all(items: Sequence[Planned], streams: bool = False) -> None:
    """Write every item, or none (see the module's notes). Raises UnsafeWriteError for a link or
    a target that is not a file, OSError for what the system refuses."""
    stage = _Stage()
    new: set[Path] = set()
    replaced: list[Path] = []
    try:
        for item in items:
            stage.folders(item.anchor, item.target, item.target)
            kind = _target_kind(item.target, item.target, streams)
            if kind == "stream":
                stage.streams.append((item.target, item.text))
                continue
            if kind == "missing":
                new.add(item.target)
            stage.temporary(item)
        for name, target in stage.temporaries:
            _target_kind(target, target, streams)  # still not a link, a moment later
            os.replace(name, target)
            replaced.append(target)
        stage.temporaries = []
    except BaseException:
        # A file this call created is removed again; one it replaced stays replaced (a failure
        # between two renames in one folder is all that can get here).
        for target in replaced:
            if target in new:
                with contextlib.suppress(OSError):
                    os.unlink(target)
        stage.undo()
        raise
    for target, text in stage.streams:
        with open(target, "w", encoding="utf-8") as out:
            out.write(text)


def write_text(anchor: Path, target: Path, text: str, streams: bool = False) -> None:
    """Write one file atomically below `anchor` (see the module's notes)."""
    write_all([Planned(anchor, target, text)], streams=streams)
