from __future__ import annotations

from pathlib import Path

import pytest

from faqlint.discover import DiscoveryError, discover


def tree(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a: 1\n")


def names(root: Path, paths: list[str], exclude: list[str] = []) -> list[str]:  # noqa: B006
    return [f.display for f in discover(paths, root, exclude, root)]


def test_walks_yaml_and_json_and_skips_hidden_and_other_files(tmp_path: Path) -> None:
    tree(
        tmp_path,
        "a.yaml",
        "b/c.yml",
        "b/d.json",
        "e.txt",
        ".github/w.yaml",
        ".hidden.yaml",
        "node_modules/x.yaml",
    )
    assert names(tmp_path, ["."]) == ["a.yaml", "b/c.yml", "b/d.json"]


def test_gitignore_and_exclude_apply_to_walked_and_named_files(tmp_path: Path) -> None:
    tree(tmp_path, "keep.yaml", "gen/out.yaml", "sub/secret.yaml", "sub/ok.yaml", "old/x.yaml")
    (tmp_path / ".gitignore").write_text("gen/\n")
    (tmp_path / "sub" / ".gitignore").write_text("secret.yaml\n")
    assert names(tmp_path, ["."], exclude=["old/"]) == ["keep.yaml", "sub/ok.yaml"]
    assert names(
        tmp_path, ["gen/out.yaml", "sub/secret.yaml", "old/x.yaml", "keep.yaml"], exclude=["old/"]
    ) == ["keep.yaml"]


def test_named_files_of_any_suffix_are_read_and_repeats_dropped(tmp_path: Path) -> None:
    tree(tmp_path, "a.yaml", "notes.conf")
    assert names(tmp_path, ["a.yaml", ".", "notes.conf"]) == ["a.yaml", "notes.conf"]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match=r"nope\.yaml: no such file or folder"):
        names(tmp_path, ["nope.yaml"])
