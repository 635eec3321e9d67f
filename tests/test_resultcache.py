"""The result cache: the same findings with and without it, and nothing in it trusted blindly."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from manifests import ORG, TENANT

from faqlint import resultcache, resultdb
from faqlint.cli import main
from faqlint.config import Config
from faqlint.options import RunOptions, RunResult
from faqlint.run import Catalogue, check

MAILBOX = """\
apiVersion: faqlint/v1
kind: CASMailbox
metadata:
  name: {name}
spec:
  EwsAllowList: ["Outlook-iOS/*"]
  EwsApplicationAccessPolicy: EnforceAllowList
"""

# What an edit may write: compliant and failing resources, duplicates, broken YAML, waivers.
CONTENTS = (
    ORG.format(name="org", enabled="true"),
    ORG.format(name="org", enabled="false"),
    ORG.format(name="org", enabled='false  # faqlint: ignore[OM201] reason="planned"'),
    ORG.format(name="other", enabled="false"),
    MAILBOX.format(name="m1"),
    MAILBOX.format(name="m2"),
    MAILBOX.format(name="m1") + "---\n" + ORG.format(name="org", enabled="true"),
    TENANT.format(name="fabrikam"),
    # a resource that names its tenant, and a Tenant beside other resources in one file
    ORG.format(name="org", enabled="false").replace(
        "  name: org\n", "  name: org\n  tenant: tailspin\n"
    ),
    TENANT.format(name="contoso") + "---\n" + MAILBOX.format(name="m2"),
    "kind: [unclosed\n",
    "apiVersion: faqlint/v1\nkind: ExchangeOrganizationConfig\nspec: 3\n",
    "just: a file faqlint does not read\n",
)
FILES = ("a/tenant.yaml", "a/org.yaml", "a/x.yaml", "b/tenant.yaml", "b/y.yaml", "z.yaml")


def _seed(root: Path) -> None:
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / ".git").mkdir()
    (root / "a/tenant.yaml").write_text(TENANT.format(name="contoso"))
    (root / "a/org.yaml").write_text(ORG.format(name="org", enabled="false"))
    (root / "b/tenant.yaml").write_text(TENANT.format(name="tailspin"))
    (root / "b/y.yaml").write_text(MAILBOX.format(name="m1"))


def _plain(result: RunResult) -> Any:
    def finding(f: Any) -> Any:
        return (
            f.code,
            f.severity,
            f.message,
            f.file,
            f.document,
            f.pointer,
            f.line,
            f.column,
            f.tenant,
            f.kind,
            f.resource,
            f.fix,
            json.dumps(f.extra, sort_keys=True),
        )

    return (
        [finding(f) for f in result.findings],
        [finding(f) for f in result.suppressed],
        result.files,
        result.tenants,
        result.resources,
        result.files_without_resources,
        result.checked,
    )


def _run(root: Path, catalogue: Catalogue, paths: list[str], cache: bool) -> Any:
    options = RunOptions.of(paths, Config(), root)
    from dataclasses import replace

    return _plain(check(replace(options, cache=cache), catalogue))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(FILES),
            st.one_of(st.none(), st.sampled_from(CONTENTS)),  # None: delete the file
            st.sampled_from(["."]) | st.sampled_from(FILES).map(lambda f: f),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_cached_and_uncached_runs_agree_finding_for_finding(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, edits: list[Any]
) -> None:
    """Random edit sequences over a small repository: after every edit, a run that reuses the
    cache of the runs before it says exactly what a run without any cache says, for the whole
    project and for a named file (as pre-commit names it)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        _seed(root)
        monkeypatch.setenv("FAQLINT_CACHE_DIR", str(Path(folder) / "cache"))
        clock = 1_600_000_000 * 10**9
        _run(root, catalogue, ["."], cache=True)
        for step, (file, content, named) in enumerate(edits, start=1):
            path = root / file
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(content)
                # a time long past, distinct per edit: the cache trusts it as it would a file
                # edited minutes ago (same-tick edits are covered by the racy rule)
                os.utime(path, ns=(clock + step * 10**9, clock + step * 10**9))
            paths = [named] if named == "." or (root / named).exists() else ["."]
            assert _run(root, catalogue, paths, cache=True) == _run(
                root, catalogue, paths, cache=False
            )


# --- failure modes -------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    _seed(root)
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def _documents(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "results").glob(f"*/{resultdb.DATABASE}"))


def _query(database: Path, sql: str, *args: Any) -> list[Any]:
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        return db.execute(sql, args).fetchall()


def _whole(database: Path) -> bool:
    """The database is SQLite, intact, and holds faqlint's tables only."""
    names = {name for (name,) in _query(database, "SELECT name FROM sqlite_master")}
    intact = _query(database, "PRAGMA integrity_check") == [("ok",)]
    return intact and {"meta", "files", "tenants", "walks"} <= names


def test_a_warm_run_reads_the_cache_and_says_the_same(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cold = _cli(capsys)
    (database,) = _documents(tmp_path)
    folder = tmp_path / "cache"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f")
    assert (folder / ".gitignore").read_text().endswith("*\n")
    assert _cli(capsys) == cold == _cli(capsys, "--no-cache")
    files = {name for (name,) in _query(database, "SELECT display FROM files")}
    assert files == {"a/tenant.yaml", "a/org.yaml", "b/tenant.yaml", "b/y.yaml"}
    assert cold[0] == 1 and "OM201" in [f["code"] for f in cold[1]["findings"]]


def test_no_cache_and_the_environment_variable_write_nothing(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(capsys, "--no-cache")
    assert _documents(tmp_path) == []
    monkeypatch.setenv("FAQLINT_NO_CACHE", "1")
    _cli(capsys)
    assert _documents(tmp_path) == []


def _overwrite(data: bytes) -> Callable[[Path], None]:
    return lambda database: database.write_bytes(data)


def _truncate(database: Path) -> None:
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])


def _sql(statement: str) -> Callable[[Path], None]:
    def damage(database: Path) -> None:
        with contextlib.closing(sqlite3.connect(database)) as db, db:
            db.execute(statement)

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        _overwrite(b"{not a database"),
        _truncate,
        _overwrite(b"\x00" * 100),
        _sql("UPDATE meta SET value = 'other' WHERE name = 'format'"),
        # the same shape, other values: trusted while the file's stat is unchanged (see below)
        _sql(
            "UPDATE files SET body = replace(body, '\"EwsEnabled\":false', '\"EwsEnabled\":true')"
        ),
        _sql("UPDATE files SET heads = replace(heads, ',true,', ',\"yes\",')"),  # wrong shape
        # a summary of the same shape: trusted while the file's stat holds, then rewritten
        _sql("UPDATE files SET resources = resources + 1 WHERE display = 'a/org.yaml'"),
        _sql("UPDATE files SET waivers = '[1]', findings = '{}'"),
        _sql(
            'UPDATE files SET body = replace(body, \'"file":"a/org.yaml"\', \'"file":"b/y.yaml"\')'
        ),
        _sql("UPDATE files SET size = 'large'"),
        _sql("UPDATE tenants SET findings = '[[1]]'"),
        _sql("UPDATE walks SET sources = '[[1, 2, 3]]'"),
        # anything but plain tables is never queried: the database is deleted and rebuilt
        _sql("CREATE VIEW planted AS SELECT 1"),
        _sql("CREATE TRIGGER planted AFTER UPDATE ON files BEGIN DELETE FROM tenants; END"),
        _sql("CREATE INDEX planted ON files (digest)"),
    ],
)
def test_a_corrupt_or_forged_cache_is_ignored_and_rebuilt(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: Any
) -> None:
    expected = _cli(capsys, "--no-cache")
    _cli(capsys)
    (database,) = _documents(tmp_path)
    damage(database)
    (repo / "a/org.yaml").write_text(ORG.format(name="org", enabled="false") + "# edited\n")
    changed = _cli(capsys, "--no-cache")
    assert changed == _cli(capsys) == _cli(capsys)
    assert changed[1]["findings"] == expected[1]["findings"]  # the edit added a comment only
    assert _whole(database)
    objects = _query(database, "SELECT name FROM sqlite_master WHERE name = 'planted'")
    assert objects == []


def test_a_forged_entry_with_the_files_size_and_time_but_other_findings(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Matching stat is what lets a file go unread: a row that keeps the stat but holds
    findings of other bytes is only as good as the cache folder is private (see the module).
    A row whose values are not of their shape is refused."""
    _cli(capsys)
    (database,) = _documents(tmp_path)
    _sql("UPDATE files SET digest = 'zz' WHERE display = 'a/org.yaml'")(database)
    assert _cli(capsys)[1] == _cli(capsys, "--no-cache")[1]


def test_a_new_version_of_faqlint_is_another_cache(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(capsys)
    (database,) = _documents(tmp_path)
    before = _query(database, "SELECT value FROM meta WHERE name = 'key'")
    stale = _query(database, "SELECT count(*) FROM tenants")
    monkeypatch.setattr(resultcache, "__version__", "999.0")
    assert _cli(capsys) == _cli(capsys, "--no-cache")
    after = _query(database, "SELECT value FROM meta WHERE name = 'key'")
    assert after != before  # the old version's results are gone, not reused
    assert _query(database, "SELECT count(*) FROM tenants") == stale  # the same tenants again


def test_a_changed_configuration_is_another_cache(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def om201(report: Any) -> str:
        (severity,) = [f["severity"] for f in report["findings"] if f["code"] == "OM201"]
        return str(severity)

    assert om201(_cli(capsys)[1]) == "error"
    (repo / ".faqlint.yaml").write_text("severity:\n  OM201: warning\n")
    assert om201(_cli(capsys)[1]) == "warning"
    ignored = _cli(capsys, "--ignore", "OM201")[1]["findings"]
    assert ignored and "OM201" not in {f["code"] for f in ignored}
    assert _cli(capsys)[1] == _cli(capsys, "--no-cache")[1]


def test_concurrent_runs_leave_a_whole_cache(repo: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "faqlint", "check", "--format", "json", "--exit-zero", "."]
    env = {**os.environ, "FAQLINT_CACHE_DIR": str(tmp_path / "cache")}
    for round_ in range(3):
        (repo / f"a/new{round_}.yaml").write_text(MAILBOX.format(name=f"n{round_}"))
        runs = [
            subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE) for _ in range(3)
        ]
        outputs = {run.communicate()[0] for run in runs}
        assert len(outputs) == 1  # every run says the same
        (database,) = _documents(tmp_path)
        assert _whole(database)
    uncached = subprocess.run(
        [*command, "--no-cache"], cwd=repo, env=env, stdout=subprocess.PIPE, check=True
    )
    assert outputs == {uncached.stdout}
    leftovers = {p.name for p in database.parent.iterdir()} - {resultdb.DATABASE}
    assert leftovers == set()  # no journal or temporary file left behind


def test_a_cache_folder_committed_by_someone_else_is_neither_linted_nor_trusted(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository that commits a cache folder where CI keeps its cache: the planted files
    (garbage, a database and a journal that are links to files outside) are not linted, not
    trusted, and the links are removed, never written through."""
    expected = _cli(capsys, "--no-cache")
    planted = repo / ".faqlint-cache"
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(planted))
    assert _cli(capsys) == expected
    (database,) = planted.glob(f"results/*/{resultdb.DATABASE}")
    outside = tmp_path / "outside.db"
    outside.write_text("keep me")
    journal = tmp_path / "outside-journal"
    journal.write_text("keep me too")
    database.unlink()
    database.symlink_to(outside)  # where the next run writes
    Path(f"{database}-journal").symlink_to(journal)
    (planted / "evil.yaml").write_text(ORG.format(name="evil", enabled="false"))
    (planted / "results" / "evil.yaml").write_text(ORG.format(name="evil", enabled="false"))
    assert _cli(capsys) == expected
    (repo / "a/org.yaml").write_text(ORG.format(name="org", enabled="false") + "# edited\n")
    assert _cli(capsys) == _cli(capsys, "--no-cache")
    assert outside.read_text() == "keep me"
    assert journal.read_text() == "keep me too"
    assert not database.is_symlink() and _whole(database)


@pytest.mark.parametrize("linked", ["results", "project"])
def test_a_cache_folder_that_is_a_link_is_not_used(
    repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    linked: str,
) -> None:
    """A committed cache folder whose `results` or project folder is a link to elsewhere: the
    run goes on without the cache and writes nothing there."""
    expected = _cli(capsys, "--no-cache")
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / "linked"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = resultcache.project_folder(repo)
    assert folder is not None
    link = folder.parent if linked == "results" else folder
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere)
    (elsewhere / "keep.txt").write_text("keep me")
    assert _cli(capsys) == expected
    assert _cli(capsys) == expected
    assert main(["clean"]) == 0  # nothing removed through the link
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"]


def test_clean_removes_the_projects_results(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli(capsys)
    assert _documents(tmp_path)
    assert main(["clean"]) == 0
    assert capsys.readouterr().out.startswith("removed ")
    assert _documents(tmp_path) == []
    assert main(["clean"]) == 0
    assert capsys.readouterr().out == "no cached results for this project\n"


def test_an_edited_file_in_the_same_clock_tick_is_hashed_again(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same size, same modification time, other bytes: a fresh entry's time is not trusted."""
    org = repo / "a/org.yaml"
    before = org.stat()
    _cli(capsys)
    org.write_text(org.read_text().replace("false", "False"))
    os.utime(org, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert org.stat().st_size == before.st_size
    assert _cli(capsys) == _cli(capsys, "--no-cache")


def _age(root: Path) -> None:
    """Every folder and file an hour old: a walk of them is trusted next time."""
    old = time.time_ns() - 3600 * 10**9
    for path in [root, *root.rglob("*")]:
        os.utime(path, ns=(old, old))


def test_a_cached_walk_sees_files_added_removed_or_ignored(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unchanged tree is stat-ed, not walked; adding, removing or ignoring a file anywhere
    changes what the next run finds, even when every time is set back."""
    _age(repo)
    _cli(capsys)
    (database,) = _documents(tmp_path)
    assert _query(database, "SELECT count(*) FROM walks") == [(1,)]
    steps: list[Callable[[], object]] = [
        lambda: (repo / "b/added.yaml").write_text(MAILBOX.format(name="m1")),
        lambda: (repo / "a/tenant.yaml").unlink(),
        lambda: (repo / ".gitignore").write_text("b/\n"),
        lambda: (repo / ".gitignore").write_text("b/y.yaml\n"),  # same folder, other bytes
        lambda: (repo / ".git" / "info").mkdir(),
        lambda: (repo / ".git" / "info" / "exclude").write_text("a/\n"),
    ]
    for step in steps:
        step()
        _age(repo)
        assert _cli(capsys) == _cli(capsys, "--no-cache")
    report = _cli(capsys)[1]
    assert {f["file"] for f in report["findings"]} <= {"b/added.yaml"}  # a/, b/y.yaml ignored


def test_a_lone_file_outside_the_project_leaves_the_projects_results_alone(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lone = tmp_path / "elsewhere" / "org.yaml"
    lone.parent.mkdir()
    lone.write_text(ORG.format(name="org", enabled="false"))
    code, report = _cli(capsys, str(lone))
    assert code == 1 and [f["code"] for f in report["findings"]] == ["OM201"]
    assert _documents(tmp_path) == []


def test_a_tenant_whose_rules_failed_or_ran_out_of_time_is_evaluated_again(
    tmp_path: Path,
) -> None:
    from faqlint.codes import engine_finding

    connection = resultdb.connect(tmp_path / "results", "k" * 32)
    assert connection is not None
    cache = resultcache.ResultCache(connection)
    over = engine_finding("FL009", "rule OM201 stopped: over its budget", file="a.yaml")
    cache.put_tenant("t1", [over])
    cache.put_tenant("t2", [])
    cache.save()
    connection = resultdb.connect(tmp_path / "results", "k" * 32)
    assert connection is not None
    assert resultcache.ResultCache(connection).tenants(["t1", "t2"]) == {"t2": []}


def test_a_cached_walk_of_a_named_file_sees_it_removed(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A commit names a file; a later run names it again after it was deleted: an error, as
    without the cache, not a stale walk."""
    _age(repo)
    assert _cli(capsys, "a/org.yaml")[0] == 1
    assert _cli(capsys, "a/org.yaml")[0] == 1  # the walk of the named file is reused
    (repo / "a/org.yaml").unlink()
    _age(repo)
    assert main(["check", "a/org.yaml"]) == 2
    assert "a/org.yaml: no such file or folder" in capsys.readouterr().err


def test_a_walk_planted_in_the_cache_cannot_add_a_file(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A walk row naming a file outside the folders the walk stamped (a secret elsewhere on the
    machine) is not used: the run walks again and reads what it finds."""
    outside = tmp_path / "secret.yaml"
    outside.write_text(ORG.format(name="secret", enabled="false"))
    _age(repo)
    expected = _cli(capsys)
    (database,) = _documents(tmp_path)
    ((key, sources),) = _query(database, "SELECT key, sources FROM walks")
    locations, displays, size = json.loads(sources)
    forged = json.dumps([[*locations, str(outside)], [*displays, "a/secret.yaml"], size])
    _sql(f"UPDATE walks SET sources = '{forged}' WHERE key = '{key}'")(database)
    assert _cli(capsys) == expected
    assert "secret" not in json.dumps(expected)
