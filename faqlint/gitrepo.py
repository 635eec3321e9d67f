"""The ignore files git reads besides `.gitignore`, found as git finds them, never by running git.

git ignores a path by the first of these sources, in order, that has a matching pattern
(gitignore(5)); faqlint puts the config's `exclude` before them all:

1. `.gitignore` files, the deepest folder's first (read by `faqlint.discover`);
2. `$GIT_DIR/info/exclude` of the repository;
3. the file `core.excludesFile` names, by default `$XDG_CONFIG_HOME/git/ignore`
   (`~/.config/git/ignore` when XDG_CONFIG_HOME is unset or empty).

The repository is the nearest folder upward holding `.git`: a folder, or a file saying
`gitdir: PATH` (a linked worktree or a submodule), whose `commondir` file, where present, names
the folder that holds `info/` and `config`. `core.excludesFile` is read as data from git's config
files, later ones overriding earlier: the system's (`/etc/gitconfig`, unless
GIT_CONFIG_NOSYSTEM), the user's (GIT_CONFIG_GLOBAL, or else `$XDG_CONFIG_HOME/git/config` then
`~/.gitconfig`) and the repository's (`config`, then `config.worktree` where
`extensions.worktreeConfig` is on). Its value may start with
`~`; a relative one is taken from the top of the work tree, where git runs. `include` and
`includeIf` sections are not followed. As in git, a config or ignore file that is missing or
cannot be read (a folder, a device, a file this user may not read, one over a megabyte) counts as
empty, so an unreadable global config never stops a run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from faqlint.filetext import NotRead, read_bytes

MAX_SIZE = 1024 * 1024  # far beyond any real config or ignore file; a bigger one is not read


@dataclass(frozen=True, slots=True)
class Repository:
    """Where git keeps a work tree's data. `git_dir` is None when `.git` is a file that names no
    readable folder: git refuses such a repository, and faqlint reads nothing of it."""

    top: str  # the work tree's top folder
    git_dir: str | None  # `.git`, or the folder a `.git` file names
    common_dir: str | None  # holds info/ and config: git_dir, or its `commondir`


def find_repository(start: str) -> Repository | None:
    """The repository whose work tree holds the folder `start` (absolute), or None."""
    folder = start
    while True:
        dotgit = os.path.join(folder, ".git")
        if os.path.isdir(dotgit):
            return Repository(folder, dotgit, _common_dir(dotgit))
        if os.path.isfile(dotgit):
            git_dir = _gitdir_of(dotgit)
            common = _common_dir(git_dir) if git_dir else None
            return Repository(folder, git_dir, common)
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _text(path: str) -> str | None:
    try:
        raw = read_bytes(path, MAX_SIZE, follow=True)
    except (NotRead, OSError):
        return None
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _gitdir_of(dotgit_file: str) -> str | None:
    """The folder a `.git` file names (`gitdir: PATH`, relative to the file's folder)."""
    text = _text(dotgit_file)
    if text is None or not text.startswith("gitdir:"):
        return None
    named = text.removeprefix("gitdir:").splitlines()[0].strip() if text.strip() else ""
    if not named:
        return None
    path = os.path.normpath(os.path.join(os.path.dirname(dotgit_file), named))
    return path if os.path.isdir(path) else None


def _common_dir(git_dir: str) -> str:
    """A linked worktree's `commondir` names the main repository's git folder, relative to its
    own; every other git folder is its own."""
    text = _text(os.path.join(git_dir, "commondir"))
    named = text.strip() if text else ""
    if not named:
        return git_dir
    path = os.path.normpath(os.path.join(git_dir, named))
    return path if os.path.isdir(path) else git_dir


def _home() -> str:
    return os.environ.get("HOME") or os.path.expanduser("~")


def _xdg_config_home() -> str:
    return os.environ.get("XDG_CONFIG_HOME") or os.path.join(_home(), ".config")


def config_files(repository: Repository) -> list[str]:
    """git's config files, lowest precedence first."""
    files = []
    if not _true(os.environ.get("GIT_CONFIG_NOSYSTEM") or "false"):
        files.append("/etc/gitconfig")
    explicit = os.environ.get("GIT_CONFIG_GLOBAL")
    if explicit is not None:
        files.append(os.path.expanduser(explicit))
    else:
        files.append(os.path.join(_xdg_config_home(), "git", "config"))
        files.append(os.path.join(_home(), ".gitconfig"))
    if repository.common_dir:
        common = os.path.join(repository.common_dir, "config")
        files.append(common)
        # a worktree's own config counts only where the repository turns it on
        worktree_config = config_value(_text(common) or "", "extensions", "worktreeconfig", None)
        if repository.git_dir and _true(worktree_config or "false"):
            files.append(os.path.join(repository.git_dir, "config.worktree"))
    return files


def _true(value: str) -> bool:
    """A git boolean: true, yes, on, 1 (any case) or a key written alone."""
    return value.strip().lower() in {"true", "yes", "on", "1"}


def excludes_file(repository: Repository) -> str:
    """The path of the user's ignore file: `core.excludesFile` or git's default."""
    value: str | None = None
    for path in config_files(repository):
        text = _text(path)
        if text is not None:
            value = config_value(text, "core", "excludesfile", value)
    if not value:
        return os.path.join(_xdg_config_home(), "git", "ignore")
    if value.startswith("~"):
        value = os.path.expanduser(value) if not value.startswith("~/") else _home() + value[1:]
    return os.path.join(repository.top, value)


def ignore_files(repository: Repository) -> list[str]:
    """The repository-wide ignore files, in git's order of precedence: `info/exclude`, then the
    user's."""
    files = []
    if repository.common_dir:
        files.append(os.path.join(repository.common_dir, "info", "exclude"))
    files.append(excludes_file(repository))
    return files


def read_ignore_file(path: str) -> list[str]:
    """An ignore file's lines; none when it is missing or unreadable."""
    text = _text(path)
    return text.splitlines() if text is not None else []


# --- git's config format, as much of it as finding one key needs ----------------------------


def config_value(text: str, section: str, key: str, current: str | None) -> str | None:
    """The last value of `section.key` (both compared without regard to case, as git does, in a
    section without a subsection) in a git config file's text; `current` when it has none.

    A key written alone means true; values may be quoted, hold `\\"`, `\\\\`, `\\n`, `\\t` and
    `\\b`, run on over lines ending in `\\`, and end at a `#` or `;` outside quotes. Lines that
    are not well formed are passed over."""
    in_section = False
    for line in _logical_lines(text):
        stripped = line.lstrip()
        if stripped.startswith("["):
            close = stripped.find("]")
            if close < 0:
                in_section = False
                continue
            name = stripped[1:close].strip()
            in_section = name.lower() == section and '"' not in name and "." not in name
            stripped = stripped[close + 1 :].lstrip()  # git allows `[core] key = value`
        if not in_section or not stripped or stripped[0] in "#;":
            continue
        name, sep, raw = stripped.partition("=")
        if name.strip().lower() != key:
            continue
        current = _unquoted(raw) if sep else "true"
    return current


def _logical_lines(text: str) -> list[str]:
    """Lines with a continuation (`\\` at the end, outside a comment) joined to the next."""
    lines: list[str] = []
    pending = ""
    for line in text.splitlines():
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending += line[:-1]
            continue
        lines.append(pending + line)
        pending = ""
    if pending:
        lines.append(pending)
    return lines


_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "b": "\b"}


def _unquoted(raw: str) -> str:
    out: list[str] = []
    quoted = False
    spaces = ""  # whitespace kept only when something follows it
    i = 0
    raw = raw.strip()
    while i < len(raw):
        char = raw[i]
        if char == '"':
            quoted = not quoted
            out.append(spaces)
            spaces = ""
        elif char in "#;" and not quoted:
            break
        elif char == "\\" and i + 1 < len(raw):
            out.append(spaces + _ESCAPES.get(raw[i + 1], raw[i + 1]))
            spaces = ""
            i += 1
        elif char in " \t" and not quoted:
            spaces += char
        else:
            out.append(spaces + char)
            spaces = ""
        i += 1
    return "".join(out)
