from __future__ import annotations

import os
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


# --- what a hostile repository holds: read nothing that is not a regular file in the project --

EXPORT = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata: {name: org}
spec:
  EwsEnabled: false
"""


def sources(root: Path, paths: list[str], **options: object) -> dict[str, str | None]:
    return {s.display: s.problem for s in discover(paths, root, [], root, **options)}  # type: ignore[arg-type]


def check(root: Path, *args: str) -> tuple[int, str, str]:
    import contextlib
    import io

    from faqlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", *args, "--no-source"])
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_reported_and_never_opened(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(EXPORT)
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it for reading would block the run forever
    code, out, _ = check(tmp_path, ".")
    assert code == 1
    assert "pipe.yaml:1:1: FL011 [error] a FIFO (named pipe), not a regular file" in out
    assert "org.yaml:5:3: OM201" in out
    code, out, err = check(tmp_path, "pipe.yaml")  # named, as pre-commit names files
    assert (code, err) == (1, "")
    assert "pipe.yaml:1:1: FL011" in out


def test_a_device_named_on_the_command_line_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    code, out, err = check(tmp_path, "/dev/zero")
    assert (code, err) == (1, "")
    assert "/dev/zero:1:1: FL011 [error] a character device, not a regular file" in out


def test_links_out_of_the_project_are_reported_without_their_target(tmp_path: Path) -> None:
    project, outside = tmp_path / "repo", tmp_path / "secret-place"
    project.mkdir()
    outside.mkdir()
    (outside / "secret.yaml").write_text("password: hunter2\n")
    (project / "org.yaml").write_text(EXPORT)
    (project / "leak.yaml").symlink_to(outside / "secret.yaml")
    (project / "folder").symlink_to(outside)
    code, out, _ = check(project, ".")
    assert code == 1
    assert "leak.yaml:1:1: FL011 [error] a link that leaves the project" in out
    assert "folder:1:1: FL011 [error] a link that leaves the project" in out
    assert "secret" not in out and "hunter2" not in out
    _, named, _ = check(project, "leak.yaml")
    assert "leak.yaml:1:1: FL011" in named and "secret" not in named


def test_links_inside_the_project_are_read_once_and_loops_end(tmp_path: Path) -> None:
    tree(tmp_path, "shared/org.yaml", "tenant/own.yaml")
    (tmp_path / "tenant" / "org.yaml").symlink_to(tmp_path / "shared" / "org.yaml")
    (tmp_path / "tenant" / "again").symlink_to(tmp_path / "shared")
    (tmp_path / "tenant" / "loop").symlink_to(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yaml").write_text("a: 1\n")
    found = sources(tmp_path, ["tenant", "shared"])
    assert found == {
        "shared/org.yaml": None,  # its own name, not the link's
        "tenant/own.yaml": None,
        "tenant/loop/elsewhere/x.yaml": None,  # reached through a link, once
    }


def test_a_folder_that_cannot_be_listed_is_a_finding_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, "a/x.yaml", "locked/y.yaml", "z.yaml")
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found = sources(tmp_path, ["."])
    assert found == {
        "a/x.yaml": None,
        "locked": "cannot list folder: Permission denied",
        "z.yaml": None,
    }


def test_a_file_over_the_size_limit_is_reported_with_size_and_limit(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(EXPORT)
    (tmp_path / "big.json").write_text('{"value": [' + ",".join(["1"] * 40_000) + "]}")
    (tmp_path / ".faqlint.yaml").write_text('max-file-size: "64KiB"\n')
    code, out, _ = check(tmp_path, ".")
    assert code == 1
    assert (
        "big.json:1:1: FL011 [error] 78.1 KiB (80,012 bytes) is over the limit of 64 KiB per "
        "file; faqlint read none of it: raise `max-file-size`"
    ) in out
    (tmp_path / ".faqlint.yaml").write_text("max-file-size: 1MB\n")
    _, out, _ = check(tmp_path, ".")
    assert "FL011" not in out


# --- .gitignore as git reads it -------------------------------------------------------------


def test_gitignore_lines_git_cannot_use_do_not_stop_discovery(tmp_path: Path) -> None:
    tree(tmp_path, "keep.yaml", "drop.json", "foo", "z.yaml")
    (tmp_path / ".gitignore").write_text("!\nfoo\\\n[z-a]\n*.json\n")
    assert names(tmp_path, ["."]) == ["keep.yaml", "z.yaml"]


def test_a_gitignore_with_a_byte_order_mark_applies_from_its_first_line(tmp_path: Path) -> None:
    tree(tmp_path, "keep.yaml", "generated.yaml")
    (tmp_path / ".gitignore").write_bytes(b"\xef\xbb\xbfgenerated.yaml\n")
    assert names(tmp_path, ["."]) == ["keep.yaml"]


def test_a_deeper_gitignore_re_includes_what_a_shallower_one_ignores(tmp_path: Path) -> None:
    tree(tmp_path, "a.json", "sub/b.json", "sub/c.json")
    (tmp_path / ".gitignore").write_text("*.json\n")
    (tmp_path / "sub" / ".gitignore").write_text("!b.json\n")
    assert names(tmp_path, ["."]) == ["sub/b.json"]


def test_a_hostile_gitignore_pattern_costs_linear_work(tmp_path: Path) -> None:
    name = "a" * 200 + ".yaml"
    tree(tmp_path, name)
    (tmp_path / ".gitignore").write_text("*a" * 12 + "*b\n")
    assert names(tmp_path, ["."]) == [name]  # a backtracking regex would not return


def test_an_invalid_exclude_pattern_is_a_config_error_naming_it(tmp_path: Path) -> None:
    tree(tmp_path, "a.yaml")
    (tmp_path / ".faqlint.yaml").write_text('exclude: ["archive/", "old[z-a]/"]\n')
    code, out, err = check(tmp_path, ".")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "exclude: invalid pattern 'old[z-a]/': range z-a is reversed" in err


# --- faqlint's own files are not configuration to lint --------------------------------------


def test_the_cache_folder_inside_the_tree_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, "a.yaml", ".cache-faqlint/x.yaml", "faqlint-cache/entry.json")
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / "faqlint-cache"))
    code, out, _ = check(tmp_path, ".")
    assert code == 0
    assert "1 file checked" in out


def test_a_baseline_whose_name_looks_like_a_pattern_is_still_not_linted(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(EXPORT)
    assert check(tmp_path, ".", "--write-baseline", "base[1].json")[0] == 0
    code, out, _ = check(tmp_path, ".", "--baseline", "base[1].json")
    assert code == 0
    assert "1 file checked" in out and "without faqlint resources" not in out


def test_a_gitignore_that_is_a_link_or_a_fifo_ignores_nothing_as_in_git(tmp_path: Path) -> None:
    tree(tmp_path, "a.yaml", "sub/b.yaml")
    (tmp_path / "elsewhere.txt").write_text("*.yaml\n")
    (tmp_path / ".gitignore").symlink_to(tmp_path / "elsewhere.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "sub" / ".gitignore")  # reading it would block
    assert names(tmp_path, ["."]) == ["a.yaml", "sub/b.yaml"]


def test_faqlints_own_folder_is_never_linted_even_when_named(tmp_path: Path) -> None:
    """`.faqlint/schemas/*.json`, which `faqlint init` writes and pre-commit passes by name
    when they are staged, are faqlint's own files, not tenant configuration."""
    tree(tmp_path, "a.yaml", ".faqlint/schemas/Tenant.schema.json")
    assert names(tmp_path, ["."]) == ["a.yaml"]
    assert names(tmp_path, [".faqlint/schemas/Tenant.schema.json", "a.yaml"]) == ["a.yaml"]
