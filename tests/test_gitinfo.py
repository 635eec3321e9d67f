"""The checkout a report names, read from `.git` as files (git is never run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqlint.gitinfo import checkout

SHA = "0123456789abcdef0123456789abcdef01234567"


def _repo(root: Path, config: str = "", head: str = "ref: refs/heads/main") -> Path:
    git = root / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text(head + "\n")
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    (git / "config").write_text(config)
    return git


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/contoso/m365.git", "https://github.com/contoso/m365.git"),
        # a token in the remote never reaches a report
        ("https://x-access-token:ghp_s3cret@github.com/c/m.git", "https://github.com/c/m.git"),
        (
            "https://user@dev.azure.com/contoso/it/_git/m365",
            "https://dev.azure.com/contoso/it/_git/m365",
        ),
        ("git@github.com:contoso/m365.git", "ssh://github.com/contoso/m365.git"),
        (
            "ssh://git@gitlab.example.com:2222/it/m365.git",
            "ssh://gitlab.example.com:2222/it/m365.git",
        ),
        ('"https://github.com/quoted/m365.git"', "https://github.com/quoted/m365.git"),
        ("/srv/git/m365.git", None),  # a local path is not a repository URI anyone else can use
        ("not a url", None),
    ],
)
def test_the_remote_is_an_absolute_uri_without_credentials(
    tmp_path: Path, url: str, expected: str | None
) -> None:
    _repo(tmp_path, f'[core]\n\tbare = false\n[remote "origin"]\n\turl = {url}\n')
    found = checkout(tmp_path)
    assert found is not None and found.remote == expected


def test_origin_wins_then_the_first_remote(tmp_path: Path) -> None:
    _repo(
        tmp_path,
        '[remote "upstream"]\n\turl = https://example.com/upstream.git\n'
        '[remote "origin"]\n\turl = https://example.com/origin.git\n',
    )
    found = checkout(tmp_path)
    assert found is not None and found.remote == "https://example.com/origin.git"
    (tmp_path / ".git" / "config").write_text(
        '[remote "upstream"]\n\turl = https://example.com/upstream.git\n'
    )
    found = checkout(tmp_path)
    assert found is not None and found.remote == "https://example.com/upstream.git"


def test_branch_commit_and_root_from_a_subfolder(tmp_path: Path) -> None:
    _repo(tmp_path)
    inner = tmp_path / "tenants" / "contoso"
    inner.mkdir(parents=True)
    found = checkout(inner)
    assert found is not None
    assert (found.commit, found.branch, found.remote, found.root) == (SHA, "main", None, tmp_path)


def test_a_detached_head_has_no_branch(tmp_path: Path) -> None:
    _repo(tmp_path, head=SHA)
    found = checkout(tmp_path)
    assert found is not None and (found.commit, found.branch) == (SHA, None)


def test_outside_a_repository_or_with_a_bad_pointer(tmp_path: Path) -> None:
    if any((p / ".git").exists() for p in (tmp_path, *tmp_path.parents)):
        pytest.skip(f"{tmp_path} lies inside a git repository")
    assert checkout(tmp_path) is None
    (tmp_path / ".git").write_text("not a gitdir pointer\n")
    assert checkout(tmp_path) is None


def test_a_worktree_reads_the_remote_of_its_common_folder(tmp_path: Path) -> None:
    common = _repo(tmp_path / "main", '[remote "origin"]\n\turl = https://example.com/m.git\n')
    private = common / "worktrees" / "wip"
    private.mkdir(parents=True)
    (private / "HEAD").write_text("ref: refs/heads/main\n")
    (private / "commondir").write_text("../..\n")
    work = tmp_path / "wip"
    work.mkdir()
    (work / ".git").write_text(f"gitdir: {private}\n")
    found = checkout(work)
    assert found is not None
    assert (found.commit, found.remote, found.root) == (SHA, "https://example.com/m.git", work)
