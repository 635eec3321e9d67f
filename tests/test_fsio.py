"""Writes go only where the user said, atomically: never through a link, all or nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.fsio import Planned, UnsafeWriteError, write_all, write_text

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, str]:
    """Every path below `folder` with its content (or where a link points)."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[relative] = path.read_text()
        else:
            found[relative] = "<dir>"
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with the examples and exports, and a victim file outside it."""
    work = tmp_path / "work"
    shutil.copytree(EXAMPLES / "tenants", work / "tenants")
    shutil.copytree(EXPORTS, work / "exports")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim").write_text("secret\n")
    monkeypatch.chdir(work)
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / "cache"))
    return work


def victim(project: Path) -> Path:
    return project.parent / "outside" / "victim"


# --- the module -----------------------------------------------------------------------------


def test_a_write_is_atomic_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "report.txt"
    write_text(tmp_path, target, "one\n")
    write_text(tmp_path, target, "two\n")
    assert target.read_text() == "two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.txt"]


def test_a_hard_linked_target_is_replaced_not_rewritten(tmp_path: Path) -> None:
    other = tmp_path / "other-name"
    other.write_text("the other name keeps this\n")
    target = tmp_path / "report.txt"
    os.link(other, target)
    write_text(tmp_path, target, "new\n")
    assert target.read_text() == "new\n"
    assert other.read_text() == "the other name keeps this\n"


def test_a_link_at_the_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "victim").write_text("secret\n")
    (tmp_path / "report.txt").symlink_to(tmp_path / "victim")
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        write_text(tmp_path, tmp_path / "report.txt", "x")
    assert (tmp_path / "victim").read_text() == "secret\n"


def test_a_dangling_link_at_the_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report.txt").symlink_to(tmp_path / "nowhere")
    with pytest.raises(UnsafeWriteError):
        write_text(tmp_path, tmp_path / "report.txt", "x")
    assert not (tmp_path / "nowhere").exists()


def test_a_link_between_the_users_folder_and_the_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "tenant").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        write_text(tmp_path / "out", tmp_path / "out" / "tenant" / "kind" / "a.yaml", "x")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_set_of_files_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "kept.yaml").write_text("old\n")
    (tmp_path / "out" / "blocked").write_text("a file where a folder is needed\n")
    before = snapshot(tmp_path)
    items = [
        Planned(tmp_path / "out", tmp_path / "out" / "new" / "a.yaml", "a\n"),
        Planned(tmp_path / "out", tmp_path / "out" / "kept.yaml", "new\n"),
        Planned(tmp_path / "out", tmp_path / "out" / "blocked" / "c.yaml", "c\n"),
    ]
    with pytest.raises(UnsafeWriteError, match="not a folder"):
        write_all(items)
    assert snapshot(tmp_path) == before


def test_a_failure_while_moving_into_place_removes_the_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(tmp_path)
    real_replace = os.replace
    calls: list[str] = []

    def failing_second(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_second)
    items = [Planned(tmp_path, tmp_path / "t" / f"{n}.yaml", f"{n}\n") for n in "abc"]
    with pytest.raises(OSError):
        write_all(items)
    assert snapshot(tmp_path) == before


def test_a_device_the_user_names_is_written_into_not_replaced(tmp_path: Path) -> None:
    write_text(tmp_path, Path(os.devnull), "x\n", streams=True)
    assert Path(os.devnull).is_char_device()
    with pytest.raises(UnsafeWriteError, match="not a regular file"):
        write_text(tmp_path, Path(os.devnull), "x\n")  # a baseline or a cache entry: never


# --- every writer of the command line ------------------------------------------------------


def test_output_refuses_a_link_at_the_target(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("report.sarif").symlink_to(victim(project))
    code, _, err = run(capsys, "check", "tenants", "--format", "sarif", "-o", "report.sarif")
    assert code == 2 and err.count("\n") == 1 and "symbolic link" in err
    assert victim(project).read_text() == "secret\n"


def test_output_refuses_a_linked_folder_in_the_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("reports").symlink_to(project.parent / "outside")
    code, _, err = run(capsys, "check", "tenants", "--format", "json", "-o", "reports/victim")
    assert code == 2 and err.count("\n") == 1 and "reports is a symbolic link" in err
    assert victim(project).read_text() == "secret\n"


def test_output_replaces_a_hard_link_and_creates_its_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("out").mkdir()
    os.link(victim(project), "out/report.json")
    code, _, _ = run(capsys, "check", "tenants", "--format", "json", "-o", "out/report.json")
    assert code in (0, 1)
    assert victim(project).read_text() == "secret\n"
    assert Path("out/report.json").read_text().startswith("{")
    assert run(capsys, "check", "tenants", "--format", "json", "-o", "new/dir/r.json")[0] in (0, 1)
    assert Path("new/dir/r.json").is_file()


def test_write_baseline_refuses_a_link(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("baseline.json").symlink_to(victim(project))
    code, _, err = run(capsys, "check", "tenants", "--write-baseline", "baseline.json")
    assert code == 2 and err.count("\n") == 1 and "symbolic link" in err
    assert victim(project).read_text() == "secret\n"


def test_init_refuses_a_linked_folder_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("starter").mkdir()
    Path("starter/tenants").symlink_to(project.parent / "outside")
    code, _, err = run(capsys, "init", "starter")
    assert code == 2 and err.count("\n") == 1 and "symbolic link" in err
    assert sorted(p.name for p in Path("starter").iterdir()) == ["tenants"]
    assert sorted(p.name for p in (project.parent / "outside").iterdir()) == ["victim"]


def test_convert_refuses_a_linked_folder_and_a_linked_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "convert", "exports/scubagear", "--out", "repo")[0] == 0
    before = snapshot(project / "repo")
    target = project / "repo" / "default" / "subscribedsku" / "spe-e5.yaml"
    target.unlink()
    target.symlink_to(victim(project))
    code, _, err = run(capsys, "convert", "exports/scubagear", "--out", "repo", "--force")
    assert code == 2 and err.count("\n") == 1 and "symbolic link" in err
    assert victim(project).read_text() == "secret\n"

    shutil.rmtree(project / "repo")
    (project / "repo").mkdir()
    (project / "repo" / "default").symlink_to(project.parent / "outside")
    code, _, err = run(capsys, "convert", "exports/scubagear", "--out", "repo")
    assert code == 2 and "symbolic link" in err
    assert sorted(p.name for p in (project.parent / "outside").iterdir()) == ["victim"]
    assert before  # the first conversion wrote files


def test_a_convert_that_fails_midway_leaves_the_folder_as_it_was(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "repo" / "default").mkdir(parents=True)
    (project / "repo" / "default" / "notes.txt").write_text("mine\n")
    # A file where convert needs a folder: found only after other files were staged.
    (project / "repo" / "default" / "subscribedsku").write_text("in the way\n")
    before = snapshot(project / "repo")
    code, _, err = run(capsys, "convert", "exports/scubagear", "--out", "repo")
    assert code == 2 and err.count("\n") == 1
    assert snapshot(project / "repo") == before
