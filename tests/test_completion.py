"""Shell completion scripts: generated from the parser, and what each shell offers from them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from faqlint.arguments import build_parser
from faqlint.cli import main
from faqlint.completion import SHELLS, commands, script


def _script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def test_every_command_and_option_of_the_parser_is_in_every_script(
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = commands(build_parser())
    names = {c.name for c in found[1:]}
    assert {"check", "rules", "rule", "convert", "init", "schema", "completion"} <= names
    check = next(c for c in found if c.name == "check")
    flags = {flag for option in check.options for flag in option.flags}
    assert {"--format", "--output-format", "--statistics", "-q", "--color"} <= flags
    for shell in SHELLS:
        text = _script(shell, capsys)
        for name in names:
            assert name in text, (shell, name)
        for flag in ("output-format", "statistics", "color", "policy-path"):
            assert flag in text, (shell, flag)


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "powershell"]) == 2
    assert "invalid choice: 'powershell'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="no completion for shell"):
        script("tcsh", build_parser())


def _bash_complete(script_text: str, line: str, cwd: Path) -> list[str]:
    """What bash offers after `line` (the cursor at its end), as readline would ask for it."""
    words = line.split(" ")
    program = "\n".join(
        [
            script_text,
            f"COMP_WORDS=({' '.join(repr(w) for w in words)})",
            f"COMP_CWORD={len(words) - 1}",
            "_faqlint",
            'printf "%s\\n" "${COMPREPLY[@]}"',
        ]
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    )
    return [w for w in done.stdout.splitlines() if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_choices_files_and_rule_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _script("bash", capsys)
    (tmp_path / "tenants").mkdir()
    (tmp_path / "tenant.yaml").write_text("")
    assert _bash_complete(text, "faqlint ch", tmp_path) == ["check"]
    assert _bash_complete(text, "faqlint check --output-f", tmp_path) == ["--output-format"]
    assert _bash_complete(text, "faqlint check --output-format c", tmp_path) == ["concise"]
    assert _bash_complete(text, "faqlint check --color ", tmp_path) == ["auto", "always", "never"]
    assert _bash_complete(text, "faqlint check ten", tmp_path) == ["tenant.yaml", "tenants"]
    assert _bash_complete(text, "faqlint check --policy-path ten", tmp_path) == ["tenants"]
    assert _bash_complete(text, "faqlint rule OM50", tmp_path)[:2] == ["OM501", "OM502"]
    assert "CASMailbox" in _bash_complete(text, "faqlint schema CAS", tmp_path)
    assert _bash_complete(text, "faqlint completion ", tmp_path) == ["bash", "zsh", "fish"]


# zsh completes only inside its line editor: an interactive zsh on a pseudo-terminal (zsh's own
# zpty module) is given the line and a TAB, then asked to echo a marker, and the screen it drew
# is read back.
_ZSH_DRIVER = """\
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PROMPT="> "; autoload -U compinit; compinit -u -d "$ZDOTDIR/.zcompdump"; \\
source "$ZDOTDIR/_faqlint"; zstyle ":completion:*" menu no; print SET-UP'
zpty -r z out '*SET-UP*'
zpty -n -w z "$1"$'\\t'
sleep 1
zpty -n -w z $'\\C-a\\C-k print -r -- TYPED\\n'
zpty -r z out '*TYPED*TYPED*'
print -r -- "$out"
zpty -d z
"""


def _zsh_complete(script_text: str, line: str, cwd: Path) -> str:
    """The screen after TAB at the end of `line`, escape sequences removed."""
    home = cwd / ".zsh"
    home.mkdir(exist_ok=True)
    (home / "_faqlint").write_text(script_text)
    (home / "driver.zsh").write_text(_ZSH_DRIVER)
    done = subprocess.run(
        ["zsh", "-f", str(home / "driver.zsh"), line],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"ZDOTDIR": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"},
        timeout=60,
    )
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\b\r]", "", done.stdout)


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_commands_options_choices_folders_and_rule_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _script("zsh", capsys)
    path = tmp_path / "_faqlint"
    path.write_text(text)
    subprocess.run(["zsh", "-n", str(path)], check=True)
    (tmp_path / "tenants").mkdir()
    (tmp_path / "tenant.yaml").write_text("")
    for line, completed in [
        ("faqlint ch", "faqlint check "),
        ("faqlint check --output-format c", "faqlint check --output-format concise "),
        ("faqlint check --stat", "faqlint check --statistics "),
        ("faqlint check --policy-path ten", "faqlint check --policy-path tenants/"),
        ("faqlint rule OM50", "faqlint rule OM50"),  # several codes: listed, not chosen
        ("faqlint rule OM502", "faqlint rule OM502 "),
        ("faqlint completion f", "faqlint completion fish "),
    ]:
        assert completed in _zsh_complete(text, line, tmp_path), line


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_from_its_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "faqlint.fish"
    path.write_text(_script("fish", capsys))
    subprocess.run(["fish", "--no-execute", str(path)], check=True)

    def complete(line: str) -> list[str]:
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {path}; complete -C {line!r}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert "check" in complete("faqlint ")
    assert complete("faqlint check --output-format c") == ["concise"]
    assert "--statistics" in complete("faqlint check --stat")
