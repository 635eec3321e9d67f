"""The pre-commit hook, end to end: a commit with a violation is refused, the fixed one goes in.

pre-commit would install the shipped hook (`language: python`) by `pip install`-ing this
repository into its cache, which needs an index for the build backend and the dependencies: that
is a download, and this test (like pre-commit in the field) must work offline. So the hook runs as
`repo: local` with `language: system` and this interpreter as its entry, while its file selection
(`types_or`) and `require_serial` come from the shipped `.pre-commit-hooks.yaml` itself.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow

TENANT = """\
apiVersion: faqlint/v1
kind: Tenant
metadata:
  name: contoso
spec:
  cloud: Commercial
"""
MAILBOX = """\
apiVersion: faqlint/v1
kind: CASMailbox
metadata:
  name: adele
spec:
  Identity: adele@contoso.com
  EwsEnabled: {enabled}
"""


def _hook_config() -> str:
    (shipped,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {
        "id": shipped["id"],
        "name": shipped["name"],
        # this interpreter, then the shipped entry's own arguments (`check --`)
        "entry": f"{shlex.quote(sys.executable)} -m {shipped['entry']}",
        "language": "system",
        "types_or": shipped["types_or"],
        "require_serial": shipped["require_serial"],
    }
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, sort_keys=False)


@pytest.fixture
def git_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "config-repo"
    repo.mkdir()
    (tmp_path / "gitconfig").write_text("")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PYTHONPATH": str(REPO),  # this checkout's faqlint, not another installed one
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Admin",
        "GIT_AUTHOR_EMAIL": "admin@contoso.com",
        "GIT_COMMITTER_NAME": "Admin",
        "GIT_COMMITTER_EMAIL": "admin@contoso.com",
        "NO_COLOR": "1",
    }
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    _run(["git", "init", "-q", "-b", "main"], repo, env)
    (repo / ".pre-commit-config.yaml").write_text(_hook_config())
    (repo / "tenants" / "contoso").mkdir(parents=True)
    (repo / "tenants" / "contoso" / "tenant.yaml").write_text(TENANT)
    _run([sys.executable, "-m", "pre_commit", "install"], repo, env)
    _run(["git", "add", "."], repo, env)
    _run(["git", "commit", "-q", "-m", "Tenant"], repo, env)
    return repo, env


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{argv}: {done.stdout}{done.stderr}"
    return done


def test_violation_refused_then_fix_accepted(git_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = git_repo
    mailbox = repo / "tenants" / "contoso" / "adele.yaml"
    mailbox.write_text(MAILBOX.format(enabled="false"))
    _run(["git", "add", "."], repo, env)
    refused = subprocess.run(
        ["git", "commit", "-m", "Adele"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "tenants/contoso/adele.yaml:7:3: OM201 [error]" in output
    assert "mailbox adele@contoso.com" in output
    count = _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip()
    assert count == "1"

    mailbox.write_text(MAILBOX.format(enabled="true"))
    _run(["git", "add", "."], repo, env)
    accepted = _run(["git", "commit", "-m", "Adele"], repo, env)
    assert "faqlint" in accepted.stdout + accepted.stderr  # the hook ran, and passed
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip() == "2"


def test_files_named_like_options_are_linted_as_files(
    git_repo: tuple[Path, dict[str, str]],
) -> None:
    repo, env = git_repo
    # At the top of the repository, so that pre-commit passes the bare names.
    (repo / "--output=x.yaml").write_text(MAILBOX.format(enabled="false"))
    (repo / "-x.yaml").write_text(MAILBOX.format(enabled="false").replace("adele", "megan"))
    _run(["git", "add", "."], repo, env)
    refused = subprocess.run(
        ["git", "commit", "-m", "Mailboxes"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "\n--output=x.yaml:7:3: OM201 [error]" in output
    assert "\n-x.yaml:7:3: OM201 [error]" in output
    assert not (repo / "x.yaml").exists()
