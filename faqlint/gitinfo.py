"""What a report says about the git checkout it ran in, read from `.git` as plain files.

git itself is never run and nothing from the repository is executed: HEAD, the ref it names,
packed-refs and `.git/config` are read as bounded text (a linked worktree's `gitdir:` pointer
and `commondir` are followed), so no hook, alias or `core.fsmonitor` of a scanned repository
can run. Every answer is None when it cannot be read plainly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
_MAX_GIT_FILE = 1024 * 1024
# `[remote "origin"]`, and `url = ...` under it (git's config syntax, read as data)
_SECTION = re.compile(r'\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(.*)$')
_SCP_LIKE = re.compile(r"^(?:([^@/:]+)@)?([^/:]+):(?!//)(.+)$")  # git@host:owner/repo.git


@dataclass(frozen=True, slots=True)
class GitCheckout:
    """The checked-out commit, its branch (None when detached), the remote's URL (None when no
    remote is configured; user names and passwords removed) and the work tree's root folder."""

    commit: str | None
    branch: str | None
    remote: str | None
    root: Path


def _small(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_GIT_FILE:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def git_dirs(start: Path) -> tuple[Path, tuple[Path, ...]] | None:
    """The work tree's root holding `start`, with its git folder and, for a linked worktree,
    the common folder it shares (where refs and the config live); None outside a repository."""
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return folder, _with_common(dot_git)
        if dot_git.is_file():
            pointer = (_small(dot_git) or "").strip()
            if not pointer.startswith("gitdir:"):
                return None
            git_dir = (folder / pointer.removeprefix("gitdir:").strip()).resolve()
            return (folder, _with_common(git_dir)) if git_dir.is_dir() else None
    return None


def _with_common(git_dir: Path) -> tuple[Path, ...]:
    common = (_small(git_dir / "commondir") or "").strip()
    return (git_dir, (git_dir / common).resolve()) if common else (git_dir,)


def checkout(start: Path) -> GitCheckout | None:
    """The checkout holding `start`, or None outside a git repository."""
    found = git_dirs(start)
    if found is None:
        return None
    root, dirs = found
    head = (_small(dirs[0] / "HEAD") or "").strip()
    if _SHA.fullmatch(head):
        return GitCheckout(head, None, remote_url(dirs), root)
    ref = head.removeprefix("ref: ").strip() if head.startswith("ref: ") else ""
    if not ref.startswith("refs/") or ".." in ref.split("/"):
        return GitCheckout(None, None, remote_url(dirs), root)
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    return GitCheckout(_resolve(ref, dirs), branch, remote_url(dirs), root)


def git_commit(start: Path) -> str | None:
    """The commit checked out in the repository holding `start`; None when unknown."""
    found = checkout(start)
    return found.commit if found else None


def _resolve(ref: str, dirs: tuple[Path, ...]) -> str | None:
    for directory in dirs:
        value = (_small(directory / ref) or "").strip()
        if _SHA.fullmatch(value):
            return value
    for directory in dirs:
        for line in (_small(directory / "packed-refs") or "").splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == ref and _SHA.fullmatch(sha):
                return sha
    return None


def remote_url(dirs: tuple[Path, ...]) -> str | None:
    """The URL of the remote `origin` (else of the first remote the config names), as an
    absolute URI without credentials; None when there is none or it is not a URL."""
    remotes: dict[str, str] = {}
    for directory in reversed(dirs):  # the common config first, a worktree's own after
        section: tuple[str, str] | None = None
        for raw in (_small(directory / "config") or "").splitlines():
            line = raw.strip()
            header = _SECTION.match(line)
            if header:
                section = (header.group(1).lower(), header.group(2) or "")
                line = header.group(3).strip()
                if not line:
                    continue
            key, sep, value = line.partition("=")
            if section and section[0] == "remote" and sep and key.strip().lower() == "url":
                remotes.setdefault(section[1], value.strip().strip('"'))
    chosen = remotes.get("origin") or next(iter(remotes.values()), None)
    return _public_uri(chosen) if chosen else None


def _public_uri(url: str) -> str | None:
    """`url` as an absolute URI with any user name or password removed (a token in an HTTPS
    remote must never reach a report); scp-like `git@host:path` becomes `ssh://host/path`."""
    scp = _SCP_LIKE.match(url)
    if scp and "://" not in url:
        url = f"ssh://{scp.group(2)}/{scp.group(3).lstrip('/')}"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not host or any(c.isspace() for c in url):
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
