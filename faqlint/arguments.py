"""faqlint's command line as argparse sees it: every command and option, one-line errors.

Built on every run (it is what `main` parses with) and by `faqlint completion`, which writes the
shell scripts from it."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from faqlint import __version__
from faqlint.errors import FaqlintError
from faqlint.report import REPORTERS

TEXT_STYLES = ("full", "concise", "grouped")  # text report variants: faqlint.report.text.STYLES


class UsageError(FaqlintError):
    """Bad arguments or environment: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    """One-line errors, and `--version` on every command as well as `--help`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument("--version", action="version", version=f"faqlint {__version__}")

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="faqlint",
        description="Lint Microsoft 365 / Exchange Online configuration against the "
        "Outlook for iOS and Android FAQ.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint files and folders (default: .)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument(
        "--format",
        action="append",
        default=[],
        choices=[*REPORTERS, *TEXT_STYLES],
        metavar="FORMAT",
        help="text, json, sarif, junit, github, gitlab or html, or a text variant: full, "
        "concise, grouped (default: text; github "
        "when GITHUB_ACTIONS=true). Repeatable: the Nth --output is written in "
        "the Nth --format, and the one format left without an --output goes to "
        "standard output, e.g. --format sarif --output faqlint.sarif --format "
        "text",
    )
    check.add_argument(
        "--output",
        "-o",
        action="append",
        default=[],
        metavar="FILE",
        help="write the report of the matching --format to FILE ('-': standard "
        "output); repeatable, see --format",
    )
    check.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        help="lowest severity that makes the run fail (default: error)",
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument("--config", metavar="FILE", help="use this config file")
    check.add_argument("--select", metavar="RULES", help="comma-separated codes, names, prefixes")
    check.add_argument("--ignore", metavar="RULES", help="comma-separated codes, names, prefixes")
    check.add_argument(
        "--policy-path",
        action="append",
        default=[],
        metavar="DIR",
        help="an extra policy pack folder (repeatable)",
    )
    check.add_argument(
        "--no-source",
        action="store_true",
        help="text format: do not show the source line under each finding",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes for large runs (default: one per CPU; 1: none)",
    )
    check.add_argument(
        "--baseline", metavar="FILE", help="report only findings that FILE does not record"
    )
    check.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record this run's findings in FILE (then report against it)",
    )
    check.add_argument(
        "--fix", action="store_true", help="apply safe fixes to native YAML and JSON files"
    )
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff: apply unsafe fixes too (they change behaviour)",
    )
    check.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff instead of writing them (exit 1 if any)",
    )
    check.add_argument(
        "--rule-url",
        type=_rule_url,
        metavar="TEMPLATE",
        help="link each rule to your own page, e.g. https://wiki.example.com/faqlint/{code} "
        "({code} and {name} are filled in; overrides the config's rule-url; default: no "
        "links, each report carries the rule's help inline)",
    )
    # ruff's habits: its name for --format, the text variants, counts by rule, no summary, colour.
    check.add_argument(
        "--output-format",
        action="append",
        dest="format",
        choices=[*REPORTERS, *TEXT_STYLES],
        metavar="FORMAT",
        help="ruff's name for --format, which takes the same names, among them the text "
        "variants full, concise and grouped (full, the default, shows each finding's source "
        "line; concise one line a finding; grouped the findings under their file)",
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="text: count the findings by rule instead of listing them",
    )
    check.add_argument(
        "--quiet", "-q", action="store_true", help="text: only the findings, no summary"
    )
    check.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the text report (default: auto, on a terminal unless NO_COLOR is set "
        "or TERM=dumb; FORCE_COLOR forces it)",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the result cache (also FAQLINT_NO_CACHE=1)",
    )

    clean = commands.add_parser("clean", help="remove this project's cached results")
    clean.add_argument("--config", metavar="FILE", help="the config file that names the project")

    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--policy-path", action="append", default=[], metavar="DIR")

    convert = commands.add_parser("convert", help="write raw exports as native YAML resources")
    convert.add_argument("exports", nargs="+", metavar="EXPORT", help="export files or folders")
    convert.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    convert.add_argument(
        "--tenant",
        metavar="NAME",
        help="tenant folder (default: the exports' Tenant resource, or default)",
    )
    convert.add_argument("--dry-run", action="store_true", help="print the files, write nothing")
    convert.add_argument("--force", action="store_true", help="overwrite existing files")
    convert.add_argument("--config", metavar="FILE", help="use this config file (for `kinds:`)")

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("rule", metavar="CODE|NAME")
    rule.add_argument("--policy-path", action="append", default=[], metavar="DIR")

    test_policies = commands.add_parser(
        "test-policies", help="run the examples of your own policy packs as tests"
    )
    test_policies.add_argument("folders", nargs="+", metavar="DIR")

    init = commands.add_parser("init", help="write a starter config repo that passes")
    init.add_argument("directory", nargs="?", default=".", metavar="DIR")
    init.add_argument("--force", action="store_true", help="overwrite files that exist")

    schema = commands.add_parser("schema", help="list, print or write the JSON Schemas")
    schema.add_argument("kind", nargs="?", metavar="KIND")
    schema.add_argument(
        "--write",
        metavar="DIR",
        help="write every schema, and resource.schema.json for any kind, into DIR "
        "(e.g. .faqlint/schemas) for editors to use offline",
    )

    completion = commands.add_parser(
        "completion", help="print a shell completion script (bash, zsh or fish)"
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"], metavar="SHELL")
    return parser


def _rule_url(text: str) -> str:
    from faqlint.config import parse_rule_url

    try:
        return parse_rule_url(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)
