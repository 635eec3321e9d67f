"""What the README shows an admin works as shown.

Every command of its `sh` and `console` blocks that starts with `faqlint` runs in a fresh copy of
the repository, in this process, and must exit as the README says (a comment naming `exit N`
beside it or on the line above), or else 0 or 1; the output a `console` block shows under a
command must be in what it prints, in order (`...` stands for lines left out). The two
fresh-machine commands of the first block run in a copy too, in a shell (slow: they install),
and the shell completion blocks run in their shells.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from faqlint import __version__
from faqlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
# What a fresh clone does not have: the development environment and what tools leave behind.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", ".*_cache", ".hypothesis", "out"
)


@dataclass(frozen=True)
class Command:
    line: str  # as the README shows it, without its `$ ` and trailing comment
    exits: tuple[int, ...]  # the exit codes it may give
    shown: tuple[str, ...]  # output lines the README shows under it (console blocks)

    def __str__(self) -> str:
        return self.line


def _exits(*comments: str) -> tuple[int, ...]:
    for comment in comments:
        stated = re.search(r"\bexit (\d)\b", comment)
        if stated:
            return (int(stated.group(1)),)
    return (0, 1)


def _split_comment(line: str) -> tuple[str, str]:
    """`command   # comment` -> (command, comment); a `#` inside a word is not a comment."""
    match = re.search(r"\s+#\s.*$", line)
    return (line[: match.start()], match.group(0)) if match else (line, "")


def readme_commands(readme: str = README) -> tuple[list[Command], list[Command]]:
    """(the first block's fresh-machine commands, every `faqlint` command of the README)."""
    fresh: list[Command] = []
    commands: list[Command] = []
    for number, match in enumerate(FENCE.finditer(readme)):
        language, body = match.group(1), match.group(2)
        if language not in {"sh", "console"}:
            continue
        comment_above = ""
        shown: list[str] | None = None  # the output lines under the last console command
        for raw in body.splitlines():
            if language == "console" and not raw.startswith("$ "):
                if shown is not None:
                    shown.append(raw)
                continue
            text = raw.removeprefix("$ ") if language == "console" else raw
            if not text.strip() or text.lstrip().startswith("#"):
                comment_above = text
                continue
            _flush(commands, shown)
            line, comment = _split_comment(text)
            command = Command(line.strip(), _exits(comment, comment_above), ())
            comment_above, shown = "", None
            if number == 0:
                fresh.append(command)
            elif command.line.startswith("faqlint"):
                commands.append(command)
                shown = [] if language == "console" else None
        _flush(commands, shown)
    return fresh, commands


def _flush(commands: list[Command], shown: list[str] | None) -> None:
    if shown:
        last = commands[-1]
        commands[-1] = Command(last.line, last.exits, tuple(shown))


FRESH, COMMANDS = readme_commands()


def _clone(tmp_path: Path) -> Path:
    copy = tmp_path / "faqlint"
    shutil.copytree(ROOT, copy, ignore=NOT_IN_A_CLONE, symlinks=True)
    return copy


def _in_order(shown: tuple[str, ...], printed: list[str]) -> list[str]:
    """The shown lines (but `...`) missing from `printed`, or out of its order."""
    missing: list[str] = []
    position = 0
    for line in shown:
        if line.strip() == "...":
            continue
        try:
            position = printed.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


def test_the_readme_starts_with_the_two_fresh_machine_commands() -> None:
    assert README.startswith("# faqlint\n\n```sh\n")
    assert [c.line for c in FRESH] == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/faqlint check examples/",
        'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest',
    ]
    assert FRESH[0].exits == (1,)  # "exit 1: most of its tenants have violations"


def test_the_readme_shows_commands_to_run() -> None:
    lines = [c.line for c in COMMANDS]
    assert "faqlint check examples/" in lines
    assert any(line.startswith("faqlint test-policies policies/") for line in lines)
    assert len(lines) >= 8


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_a_readme_command_runs_as_shown(
    command: Command,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(_clone(tmp_path))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    argv = shlex.split(command.line)
    assert argv[0] == "faqlint" and not {"|", ">", "&&", ";"} & set(argv), command.line
    code = main(argv[1:])
    out, err = capsys.readouterr()
    assert code in command.exits, f"{command.line}: exit {code}\n{err}"
    # a terminal shows both streams: the report on stdout, then what --diff says on stderr
    missing = _in_order(command.shown, out.splitlines() + err.splitlines())
    assert not missing, f"{command.line}: the README shows lines it does not print: {missing}"


def test_a_stale_output_line_is_caught() -> None:
    _, commands = readme_commands(
        "```sh\nfirst\n```\n```console\n$ faqlint rules   # exit 0\nOM999 no-such-rule\n...\n```\n"
    )
    (command,) = commands
    assert command.exits == (0,) and command.shown == ("OM999 no-such-rule", "...")
    assert _in_order(command.shown, ["OM101 x"]) == ["OM999 no-such-rule"]


def test_the_documented_release_tag_is_this_version() -> None:
    """The tag the README tells pip, pre-commit and the action to use is the version it is."""
    tags = set(re.findall(r"@(v\d+\.\d+\.\d+)\b", README))
    tags |= set(re.findall(r"rev: (v\d+\.\d+\.\d+)", README))
    assert tags == {f"v{__version__}"}
    assert set(re.findall(r"faqlint==(\S+?)\"", README)) == {__version__}


def _path_with_faqlint() -> dict[str, str]:
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.slow
@pytest.mark.parametrize("command", FRESH, ids=["install-and-check", "install-and-test"])
def test_a_fresh_machine_command_runs_as_shown(command: Command, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    if "pytest" in command.line:
        # The suite inside the suite: its fast part (this file's slow tests, which would run
        # it again, and the other slow ones, which the outer run covers, are left out).
        env["PYTEST_ADDOPTS"] = '-m "not slow" -q -x -p no:cacheprovider'
    done = subprocess.run(
        ["bash", "-c", command.line],
        cwd=_clone(tmp_path),
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode in command.exits, (
        f"{command.line}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )


def _shell_block(language: str) -> str:
    (body,) = [m.group(2) for m in FENCE.finditer(README) if m.group(1) == language]
    return body


@pytest.mark.parametrize(
    ("shell", "before", "after", "expected"),
    [
        ("bash", "", "complete -p faqlint", "complete -F _faqlint faqlint"),
        (
            "zsh",
            "autoload -U compinit && compinit -u -d $HOME/.zcompdump",
            "print -r -- ${_comps[faqlint]}",
            "_faqlint",
        ),
        ("fish", "", "complete -C 'faqlint check --output-format c'", "concise"),
    ],
)
def test_the_completion_snippet_loads_in_its_shell(
    shell: str, before: str, after: str, expected: str, tmp_path: Path
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    program = "\n".join(filter(None, [before, _shell_block(shell), after]))
    flags = {"bash": ["--norc", "--noprofile"], "zsh": ["-f"], "fish": ["--no-config"]}[shell]
    done = subprocess.run(
        [shell, *flags, "-c", program],
        env={**_path_with_faqlint(), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def _block_containing(marker: str) -> str:
    for block in re.findall(r"```yaml\n(.*?)```", README, re.S):
        if marker in block:
            return block
    raise AssertionError(f"no yaml block with {marker!r} in the README")


def test_the_custom_rule_example_passes_its_own_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rules.yaml").write_text(_block_containing("kind: PolicyPack"))
    assert main(["test-policies", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("1 rules, 2 examples: 0 failed")


def test_a_broken_example_fails_test_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = _block_containing("kind: PolicyPack").replace('EwsAllowList: ["ContosoCRM/*"]', "")
    (tmp_path / "rules.yaml").write_text(pack)
    assert main(["test-policies", str(tmp_path)]) == 1
    assert "CT001 pass example 1: expected no CT001 finding" in capsys.readouterr().out


def test_the_configuration_example_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".faqlint.yaml").write_text(_block_containing("per-file-ignores"))
    (tmp_path / "policies").mkdir()
    assert main(["check"]) == 0, capsys.readouterr().err


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_within_the_readme_lands_on_a_heading() -> None:
    outside = FENCE.sub("", README)
    headings = {_slug(h) for h in re.findall(r"^#+ (.+)$", outside, re.M)}
    links = set(re.findall(r"\]\(#([^)]+)\)", outside))
    assert links and links <= headings, links - headings


def test_every_file_the_readme_links_exists() -> None:
    for target in re.findall(r"\]\(([^)#:]+)\)", FENCE.sub("", README)):
        assert (ROOT / target).exists(), target
