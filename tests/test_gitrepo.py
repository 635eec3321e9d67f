"""git's ignore files besides `.gitignore`, found and read as git does, and their precedence in
discovery: `exclude` > `.gitignore` (deepest first) > `info/exclude` > `core.excludesFile`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from faqlint.discover import discover
from faqlint.gitrepo import Repository, config_value, excludes_file, find_repository


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of the test's own, no XDG folder, no system config: nothing of the machine's git
    set-up leaks in."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return home


def _repo(root: Path, *files: str) -> Path:
    (root / ".git" / "info").mkdir(parents=True)
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a: 1\n")
    return root


def _names(root: Path, exclude: tuple[str, ...] = (), paths: tuple[str, ...] = (".",)) -> list[str]:
    return [f.display for f in discover(list(paths), root, exclude, root)]


def test_info_exclude_ignores_walked_and_named_files(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", "keep.yaml", "scratch/a.yaml", "notes.yaml")
    (repo / ".git" / "info" / "exclude").write_text("# local only\nscratch/\nnotes.yaml\n")
    assert _names(repo) == ["keep.yaml"]
    assert _names(repo, paths=("notes.yaml", "scratch/a.yaml", "keep.yaml")) == ["keep.yaml"]


def test_a_gitignore_overrides_info_exclude_and_exclude_overrides_both(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml", "b.yaml", "sub/c.yaml")
    (repo / ".git" / "info" / "exclude").write_text("*.yaml\n")
    (repo / ".gitignore").write_text("!a.yaml\n")
    (repo / "sub" / ".gitignore").write_text("!c.yaml\n")
    assert _names(repo) == ["a.yaml", "sub/c.yaml"]
    assert _names(repo, exclude=("a.yaml",)) == ["sub/c.yaml"]


def test_core_excludes_file_with_a_tilde_comes_after_info_exclude(
    tmp_path: Path, isolated_home: Path
) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml", "b.yaml", "c.yaml")
    (isolated_home / "my-ignores").write_text("a.yaml\nb.yaml\n")
    (repo / ".git" / "config").write_text('[core]\n\texcludesFile = "~/my-ignores"\n')
    (repo / ".git" / "info" / "exclude").write_text("!b.yaml\n")
    assert _names(repo) == ["b.yaml", "c.yaml"]


def test_the_default_excludes_file_is_under_xdg_config_home_or_dot_config(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml", "b.yaml")
    dot_config = isolated_home / ".config" / "git"
    dot_config.mkdir(parents=True)
    (dot_config / "ignore").write_text("a.yaml\n")
    assert _names(repo) == ["b.yaml"]
    xdg = tmp_path / "xdg"
    (xdg / "git").mkdir(parents=True)
    (xdg / "git" / "ignore").write_text("b.yaml\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    assert _names(repo) == ["a.yaml"]
    monkeypatch.setenv("XDG_CONFIG_HOME", "")  # empty: as unset, in git too
    assert _names(repo) == ["b.yaml"]


def test_the_repository_config_overrides_the_global_one(
    tmp_path: Path, isolated_home: Path
) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml", "b.yaml", "c.yaml")
    (isolated_home / "global-ignore").write_text("a.yaml\n")
    (isolated_home / "repo-ignore").write_text("b.yaml\n")
    (isolated_home / ".gitconfig").write_text("[core]\n  excludesfile = ~/global-ignore\n")
    assert _names(repo) == ["b.yaml", "c.yaml"]
    (repo / ".git" / "config").write_text("[CORE]\n  ExcludesFile = ~/repo-ignore\n")
    assert _names(repo) == ["a.yaml", "c.yaml"]


def test_a_relative_excludes_file_is_taken_from_the_top_of_the_work_tree(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml", "sub/b.yaml")
    (repo / "tools").mkdir()
    (repo / "tools" / "ignore").write_text("b.yaml\n")
    (repo / ".git" / "config").write_text("[core]\n  excludesFile = tools/ignore\n")
    assert _names(repo / "sub") == []  # run from a folder below the top: the same file
    assert _names(repo) == ["a.yaml"]


def test_a_linked_worktree_reads_the_main_repositorys_info_exclude(tmp_path: Path) -> None:
    main = _repo(tmp_path / "main")
    (main / ".git" / "info" / "exclude").write_text("local.yaml\n")
    (main / ".git" / "config").write_text("[core]\n\texcludesFile = /nonexistent\n")
    admin = main / ".git" / "worktrees" / "feature"
    admin.mkdir(parents=True)
    (admin / "commondir").write_text("../..\n")
    tree = tmp_path / "feature"
    for name in ("local.yaml", "kept.yaml"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text("a: 1\n")
    (tree / ".git").write_text(f"gitdir: {os.path.relpath(admin, tree)}\n")
    found = find_repository(str(tree))
    assert found == Repository(str(tree), str(admin), str(main / ".git"))
    assert _names(tree) == ["kept.yaml"]


@pytest.mark.parametrize(
    "dotgit", ["", "gitdir:\n", "gitdir: ../nowhere\n", "not a gitdir line\n", "\x00\xff"]
)
def test_a_git_file_naming_no_folder_reads_nothing_of_git_and_stops_nothing(
    tmp_path: Path, dotgit: str
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / ".git").write_text(dotgit, errors="surrogateescape")
    (tree / ".gitignore").write_text("b.yaml\n")
    for name in ("a.yaml", "b.yaml"):
        (tree / name).write_text("a: 1\n")
    assert find_repository(str(tree)) == Repository(str(tree), None, None)
    assert _names(tree) == ["a.yaml"]


def test_an_unreadable_global_config_counts_as_empty_as_in_git(
    tmp_path: Path, isolated_home: Path
) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml", "b.yaml")
    (isolated_home / ".gitconfig").mkdir()  # a folder where the file should be
    xdg_config = isolated_home / ".config" / "git" / "config"
    xdg_config.parent.mkdir(parents=True)
    os.mkfifo(xdg_config)  # never opened for reading in a way that could block
    (repo / ".git" / "info" / "exclude").write_text("a.yaml\n")
    assert _names(repo) == ["b.yaml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_global_config_without_read_permission_counts_as_empty(
    tmp_path: Path, isolated_home: Path
) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml")
    config = isolated_home / ".gitconfig"
    config.write_text("[core]\n  excludesFile = ~/ignore\n")
    (isolated_home / "ignore").write_text("a.yaml\n")
    config.chmod(0)
    assert _names(repo) == ["a.yaml"]


def test_outside_a_repository_only_gitignore_files_apply(
    tmp_path: Path, isolated_home: Path
) -> None:
    tree = tmp_path / "plain"
    for name in ("a.yaml", "b.yaml"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text("a: 1\n")
    (tree / ".gitignore").write_text("a.yaml\n")
    (isolated_home / ".config" / "git").mkdir(parents=True)
    (isolated_home / ".config" / "git" / "ignore").write_text("b.yaml\n")
    assert _names(tree) == ["b.yaml"]


def test_gitignore_files_above_the_project_root_apply_up_to_the_work_trees_top(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path / "repo", "config/tenants/a.yaml", "config/tenants/generated.yaml")
    (repo / ".gitignore").write_text("generated.yaml\n")
    (tmp_path / ".gitignore").write_text("a.yaml\n")  # above the work tree: git never reads it
    assert _names(repo / "config") == ["tenants/a.yaml"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("[core]\n\texcludesFile = ~/x\n", "~/x"),
        ("[core] excludesfile=/a/b\n", "/a/b"),
        ('[Core]\n  EXCLUDESFILE = "/with space/x" ; comment\n', "/with space/x"),
        ("[core]\n  excludesFile = /a # comment\n", "/a"),
        ('[core]\n  excludesFile = "/q\\"uote\\\\x"\n', '/q"uote\\x'),
        ("[core]\n  excludesFile = /first\n  excludesFile = /second\n", "/second"),
        ("[core]\n  excludesFile = /long\\\n/path\n", "/long/path"),
        ('[core "sub"]\n  excludesFile = /not-core\n', None),
        ("[core.sub]\n  excludesFile = /not-core\n", None),
        ("[user]\n  excludesFile = /not-core\n[core]\n  editor = vi\n", None),
        ("[core\n  excludesFile = /broken-header\n", None),
    ],
)
def test_config_values_are_read_as_git_reads_them(text: str, value: str | None) -> None:
    assert config_value(text, "core", "excludesfile", None) == value


def test_a_tilde_value_is_the_home_folder(tmp_path: Path, isolated_home: Path) -> None:
    repo = _repo(tmp_path / "repo")
    (repo / ".git" / "config").write_text("[core]\n  excludesFile = ~/.gitignore_global\n")
    found = find_repository(str(repo))
    assert found is not None
    assert excludes_file(found) == str(isolated_home / ".gitignore_global")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_same_paths_as_git_check_ignore(tmp_path: Path, isolated_home: Path) -> None:
    """git itself, where installed, as the oracle for a mix of every source."""
    repo = tmp_path / "repo"
    files = ["a.yaml", "b.yaml", "c.yaml", "d.yaml", "sub/e.yaml", "sub/f.yaml", "sub/g.yaml"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env={**os.environ})
    for name in files:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("a: 1\n")
    (isolated_home / "ignore").write_text("a.yaml\nb.yaml\nsub/e.yaml\nf.yaml\n")
    with (repo / ".git" / "config").open("a") as config:
        config.write("[core]\n\texcludesFile = ~/ignore\n")
    (repo / ".git" / "info" / "exclude").write_text("!b.yaml\nc.yaml\ng.yaml\n")
    (repo / ".gitignore").write_text("d.yaml\n")
    (repo / "sub" / ".gitignore").write_text("!g.yaml\n")
    listed = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    expected = sorted(name for name in listed if name.endswith(".yaml"))
    assert expected == ["b.yaml", "sub/g.yaml"]  # the oracle itself saw every source
    assert _names(repo) == expected


def test_a_worktree_config_counts_only_where_the_repository_turns_it_on(
    tmp_path: Path, isolated_home: Path
) -> None:
    repo = _repo(tmp_path / "repo", "a.yaml", "b.yaml")
    (isolated_home / "wt-ignore").write_text("a.yaml\n")
    (repo / ".git" / "config.worktree").write_text("[core]\n  excludesFile = ~/wt-ignore\n")
    assert _names(repo) == ["a.yaml", "b.yaml"]
    (repo / ".git" / "config").write_text("[extensions]\n  worktreeConfig = true\n")
    assert _names(repo) == ["b.yaml"]


def test_git_config_nosystem_false_still_reads_the_system_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faqlint.gitrepo import config_files

    repo = _repo(tmp_path / "repo")
    found = find_repository(str(repo))
    assert found is not None
    assert "/etc/gitconfig" not in config_files(found)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "false")
    assert config_files(found)[0] == "/etc/gitconfig"
