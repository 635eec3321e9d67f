"""Shell completion scripts for bash, zsh and fish, generated from the argparse parser itself.

`faqlint completion bash|zsh|fish` prints one. The scripts are static: every command, option,
choice and rule code is written into them when they are generated, so pressing TAB never starts
Python (faqlint's start-up is a fifth of a second; argcomplete-style completion would pay it on
every key press). They are regenerated from the parser, so they cannot drift from it; shtab does
the same, but for three small generators a dependency is not worth it.

What a value completes to follows its metavar: FILE, PATH and EXPORT complete file names, DIR
folders, an option with choices its choices, and any metavar given in `words` (rule codes for
CODE|NAME, kinds for KIND) those words; anything else is left to the user.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SHELLS = ("bash", "zsh", "fish")
PROGRAM = "faqlint"

_FILES = {"FILE", "PATH", "EXPORT"}
_DIRS = {"DIR"}


@dataclass(frozen=True)
class Value:
    """What an option's value or a positional argument completes to."""

    kind: str  # "files", "dirs", "words", or "any" (nothing to offer)
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]  # "-o", "--output"
    help: str
    value: Value | None  # None: a flag that takes no value


@dataclass(frozen=True)
class Command:
    name: str  # "" for the program itself
    help: str
    options: tuple[Option, ...]
    positional: Value | None  # None: the command takes no positional argument


def _value(action: argparse.Action, words: Mapping[str, Sequence[str]]) -> Value:
    if action.choices is not None:
        return Value("words", tuple(str(c) for c in action.choices))
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    if metavar in words:
        return Value("words", tuple(words[metavar]))
    if metavar in _FILES:
        return Value("files")
    if metavar in _DIRS:
        return Value("dirs")
    return Value("any")


def _help(action: argparse.Action) -> str:
    text = action.help if isinstance(action.help, str) and action.help != argparse.SUPPRESS else ""
    text = " ".join(text.split())
    text = text.split(" (")[0]  # the gist: a completion menu has one short line
    if len(text) > 70:
        text = text[:70].rsplit(" ", 1)[0].rstrip(",:;") + "..."
    return text


def _command(
    name: str, parser: argparse.ArgumentParser, help: str, words: Mapping[str, Sequence[str]]
) -> Command:
    options: list[Option] = []
    positional: Value | None = None
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if action.option_strings:
            takes = action.nargs != 0
            options.append(
                Option(
                    tuple(action.option_strings),
                    _help(action),
                    _value(action, words) if takes else None,
                )
            )
        elif positional is None:
            positional = _value(action, words)
    return Command(name, help, tuple(options), positional)


def commands(
    parser: argparse.ArgumentParser, words: Mapping[str, Sequence[str]] | None = None
) -> tuple[Command, ...]:
    """The program (name "") and each of its commands, as completion needs them."""
    words = words or {}
    found = [_command("", parser, parser.description or "", words)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {c.dest: c.help or "" for c in action._choices_actions}
            for name, sub in action.choices.items():
                found.append(_command(name, sub, helps.get(name, ""), words))
    found[0] = Command("", found[0].help, found[0].options, None)
    return tuple(found)


def script(
    shell: str,
    parser: argparse.ArgumentParser,
    words: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The completion script for `shell` (one of SHELLS)."""
    found = commands(parser, words)
    if shell == "bash":
        return _bash(found)
    if shell == "zsh":
        return _zsh(found)
    if shell == "fish":
        return _fish(found)
    raise ValueError(f"no completion for shell {shell!r} (choose from {', '.join(SHELLS)})")


# Every word written into a script comes from faqlint's own parser and rule catalogue, but is
# still quoted for the shell, so no help text or code can ever be read as shell syntax.
_SAFE_WORD = re.compile(r"[A-Za-z0-9_.,:/@%+=-]+")


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _sh_words(words: Sequence[str]) -> str:
    return _sh_quote(" ".join(w for w in words if _SAFE_WORD.fullmatch(w)))


# -- bash --------------------------------------------------------------------------------------


def _bash_value(value: Value) -> str:
    if value.kind == "files":
        return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))'
    if value.kind == "dirs":
        return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur"))'
    if value.kind == "words":
        return f'COMPREPLY=($(compgen -W {_sh_words(value.words)} -- "$cur"))'
    return "COMPREPLY=()"


def _bash(found: tuple[Command, ...]) -> str:
    program, subcommands = found[0], found[1:]
    names = [c.name for c in subcommands]
    lines = [
        f"# bash completion for {PROGRAM}: generated by `{PROGRAM} completion bash`.",
        f'# Load it with: eval "$({PROGRAM} completion bash)", or save it as',
        f"# ~/.local/share/bash-completion/completions/{PROGRAM}.",
        f"_{PROGRAM}() {{",
        "    local cur prev command i",
        '    cur="${COMP_WORDS[COMP_CWORD]}"',
        '    prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    command=""',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        f'            {"|".join(names)}) command="${{COMP_WORDS[i]}}"; break ;;',
        "        esac",
        "    done",
        '    case "$command" in',
    ]
    for command in (program, *subcommands):
        flags = [flag for option in command.options for flag in option.flags]
        label = command.name or '""'
        lines.append(f"    {label})")
        valued = [o for o in command.options if o.value is not None]
        if valued:
            lines.append('        case "$prev" in')
            for option in valued:
                assert option.value is not None
                lines.append(f"            {'|'.join(option.flags)})")
                lines.append(f"                {_bash_value(option.value)}; return ;;")
            lines.append("        esac")
        lines.append('        if [[ "$cur" == -* ]]; then')
        lines.append(f'            COMPREPLY=($(compgen -W {_sh_words(flags)} -- "$cur"))')
        if command is program:
            lines.append("        else")
            lines.append(f'            COMPREPLY=($(compgen -W {_sh_words(names)} -- "$cur"))')
        elif command.positional is not None:
            lines.append("        else")
            lines.append(f"            {_bash_value(command.positional)}")
        lines.append("        fi")
        lines.append("        ;;")
    lines += ["    esac", "}", f"complete -F _{PROGRAM} {PROGRAM}", ""]
    return "\n".join(lines)


# -- zsh ---------------------------------------------------------------------------------------


def _zsh_text(text: str) -> str:
    """Text inside an `_arguments` spec's [help] or a `name:description` pair, single-quoted."""
    text = re.sub(r"([\[\]:\\])", r"\\\1", text)
    return text.replace("'", "'\\''")


def _zsh_action(value: Value) -> str:
    if value.kind == "files":
        return "_files"
    if value.kind == "dirs":
        return "_files -/"
    if value.kind == "words":
        return "(" + " ".join(w for w in value.words if _SAFE_WORD.fullmatch(w)) + ")"
    return " "


def _zsh_option(option: Option) -> list[str]:
    specs = []
    for flag in option.flags:
        spec = f"*{flag}[{_zsh_text(option.help)}]"
        if flag in {"-h", "--help", "--version"}:
            spec = f"(- *){flag}[{_zsh_text(option.help)}]"
        if option.value is not None:
            spec += f":{_zsh_text(flag.lstrip('-'))}:{_zsh_action(option.value)}"
        specs.append(f"'{spec}'")
    return specs


def _zsh(found: tuple[Command, ...]) -> str:
    program, subcommands = found[0], found[1:]
    lines = [
        f"#compdef {PROGRAM}",
        f"# zsh completion for {PROGRAM}: generated by `{PROGRAM} completion zsh`.",
        f"# Save it as _{PROGRAM} in a folder of $fpath, or load it with:",
        f"# source <({PROGRAM} completion zsh)   (after compinit)",
        f"_{PROGRAM}() {{",
        "    local curcontext=$curcontext state line",
        "    local -a commands",
        "    commands=(",
    ]
    lines += [f"        '{c.name}:{_zsh_text(c.help)}'" for c in subcommands]
    lines += ["    )", "    _arguments -C \\"]
    lines += [f"        {spec} \\" for o in program.options for spec in _zsh_option(o)]
    lines += [
        "        '1: :->command' \\",
        "        '*:: :->argument'",
        "    case $state in",
        "        command) _describe -t commands 'faqlint command' commands ;;",
        "        argument)",
        "            case $words[1] in",
    ]
    for command in subcommands:
        specs = [spec for o in command.options for spec in _zsh_option(o)]
        if command.positional is not None:
            specs.append(f"'*: :{_zsh_action(command.positional)}'")
        lines.append(f"                {command.name})")
        lines.append("                    _arguments \\")
        lines += [f"                        {spec} \\" for spec in specs[:-1]]
        lines.append(f"                        {specs[-1]} ;;")
    lines += [
        "            esac ;;",
        "    esac",
        "}",
        f'if [[ "${{funcstack[1]}}" == "_{PROGRAM}" ]]; then',
        f'    _{PROGRAM} "$@"',
        "else",
        f"    compdef _{PROGRAM} {PROGRAM}",
        "fi",
        "",
    ]
    return "\n".join(lines)


# -- fish --------------------------------------------------------------------------------------


def _fish_value(value: Value) -> str:
    if value.kind == "files":
        return " -F"
    if value.kind == "dirs":
        return " -f -a '(__fish_complete_directories)'"
    if value.kind == "words":
        return f" -f -a {_sh_words(value.words)}"
    return " -f"


def _fish(found: tuple[Command, ...]) -> str:
    program, subcommands = found[0], found[1:]
    lines = [
        f"# fish completion for {PROGRAM}: generated by `{PROGRAM} completion fish`.",
        f"# Save it as ~/.config/fish/completions/{PROGRAM}.fish, or load it with:",
        f"# {PROGRAM} completion fish | source",
        f"complete -c {PROGRAM} -f",
    ]
    for command in subcommands:
        lines.append(
            f"complete -c {PROGRAM} -n '__fish_use_subcommand' -a {command.name} "
            f"-d {_sh_quote(command.help)}"
        )
    for command in (program, *subcommands):
        condition = (
            "__fish_use_subcommand"
            if command is program
            else f"__fish_seen_subcommand_from {command.name}"
        )
        for option in command.options:
            flags = "".join(
                f" -l {f[2:]}" if f.startswith("--") else f" -s {f[1:]}" for f in option.flags
            )
            value = "" if option.value is None else " -r" + _fish_value(option.value)
            lines.append(
                f"complete -c {PROGRAM} -n {_sh_quote(condition)}{flags}{value} "
                f"-d {_sh_quote(option.help)}"
            )
        if command is not program and command.positional is not None:
            lines.append(
                f"complete -c {PROGRAM} -n {_sh_quote(condition)}{_fish_value(command.positional)}"
            )
    lines.append("")
    return "\n".join(lines)
