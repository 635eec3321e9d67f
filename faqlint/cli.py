"""Command line: `main(argv) -> int`. Exit 0 clean, 1 findings at or above the fail level,
2 when faqlint could not do its job (arguments, config, policies, an internal error)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from faqlint import __version__
from faqlint.errors import FaqlintError
from faqlint.findings import Severity
from faqlint.progress import terminal_progress
from faqlint.report import REPORTERS

if TYPE_CHECKING:
    from faqlint.report import Output
    from faqlint.run import Catalogue, RunResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(FaqlintError):
    """Bad arguments or environment: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    """One-line errors, and `--version` on every command as well as `--help`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument("--version", action="version", version=f"faqlint {__version__}")

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _parser() -> argparse.ArgumentParser:
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
        choices=list(REPORTERS),
        metavar="FORMAT",
        help="text, json, sarif, junit, github or gitlab (default: text; github "
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

    schema = commands.add_parser("schema", help="print a kind's JSON Schema, or list the kinds")
    schema.add_argument("kind", nargs="?", metavar="KIND")
    return parser


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(args_list)
        if args.command is None:
            _parser().print_help()
            return EXIT_ERROR
        return _dispatch(args)
    except UsageError as err:
        return _error(str(err))
    except KeyboardInterrupt:
        return _error("faqlint: interrupted")
    except FaqlintError as err:
        return _error(f"faqlint: {err}", err.details)
    except OSError as err:
        return _error(f"faqlint: {err.filename or ''}: {err.strerror or err}")
    except Exception as err:  # an internal error still gets one line and the right exit code
        if os.environ.get("FAQLINT_DEBUG"):
            raise
        return _error(
            f"faqlint: internal error: {type(err).__name__}: {err} "
            "(set FAQLINT_DEBUG=1 for the traceback, and please report it)"
        )


def _error(line: str, details: tuple[str, ...] = ()) -> int:
    """One line on stderr (and any details indented below it), exit 2. Errors name paths and
    values from the repository, and CI logs show stderr too: each line is made inert like every
    report (`faqlint.report.escape`)."""
    from faqlint.report.escape import inert

    print(inert(line), file=sys.stderr)
    for detail in details:
        print(f"  {inert(detail)}", file=sys.stderr)
    return EXIT_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _check(args)
    if args.command == "rules":
        return _rules(args)
    if args.command == "rule":
        return _rule(args)
    if args.command == "test-policies":
        return _test_policies(args)
    if args.command == "convert":
        return _convert(args)
    if args.command == "init":
        return _init(args)
    if args.command == "schema":
        return _schema(args)
    if args.command == "clean":
        return _clean(args)
    raise UsageError(f"faqlint: unknown command {args.command!r}")


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()] if text else []


def _check(args: argparse.Namespace) -> int:
    from faqlint.config import check_config, check_selector, load_config
    from faqlint.options import RunOptions, Selection
    from faqlint.run import check, exit_code, load_catalogue

    plan = _plan(args)  # argument errors first, before any work
    cwd = Path.cwd()
    loaded = load_config(Path(args.config) if args.config else None, cwd)
    config = loaded.config
    policy_paths = [loaded.root / p for p in config.policy_paths] + [
        Path(p) for p in args.policy_path
    ]
    catalogue = load_catalogue(policy_paths)
    check_config(loaded, catalogue.codes(), catalogue.kinds, cwd)
    selection = Selection.from_config(config)
    if args.select:
        selection = Selection(tuple(_split(args.select)), selection.ignore, selection.severity)
    if args.ignore:
        selection = Selection(
            selection.select, selection.ignore + tuple(_split(args.ignore)), selection.severity
        )
    for selector in _split(args.select) + _split(args.ignore):
        check_selector(selector, catalogue.codes(), "")
    baselining = bool(args.baseline or args.write_baseline)
    if baselining:
        from faqlint.baseline import excluding_baseline

        exclude = excluding_baseline(
            config.exclude, (args.baseline, args.write_baseline), cwd, loaded.root
        )
        config = replace(config, exclude=tuple(exclude))
    options = RunOptions(
        tuple(args.paths),
        config,
        loaded.root,
        cwd,
        selection,
        config_file=loaded.path,
        fingerprints=baselining,
        jobs=args.jobs,
        cache=not args.no_cache,
        policy_paths=tuple(policy_paths),
    )
    result = check(options, catalogue, terminal_progress(sys.stderr))
    if baselining:
        from faqlint.baseline import apply_baseline

        result = apply_baseline(
            result, args.baseline, args.write_baseline, cwd, loaded.root, catalogue.codes()
        )
    _report(result, plan, cwd, catalogue, show_source=not args.no_source)
    if args.exit_zero:
        return EXIT_CLEAN
    fail_on = Severity.parse(args.fail_on or config.fail_on)
    return exit_code(result.findings, fail_on)


def _plan(args: argparse.Namespace) -> tuple[Output, ...]:
    from faqlint.report import OutputPlanError, default_format, plan_outputs

    try:
        return plan_outputs(args.format, args.output, default_format())
    except OutputPlanError as err:
        raise UsageError(f"faqlint check: {err}") from None


def _report(
    result: RunResult, plan: Sequence[Output], cwd: Path, catalogue: Catalogue, show_source: bool
) -> None:
    """Write every planned report; files first, so a failing stdout cannot lose them."""
    from faqlint.report import ReportContext

    for output in sorted(plan, key=lambda o: o.to_stdout):
        colour = output.to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        context = ReportContext(cwd, catalogue, colour, show_source)
        _write(REPORTERS[output.format](result, context), output.path)


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from faqlint.fsio import anchor_of, write_text

    cwd = Path.cwd()
    path = Path(os.path.abspath(cwd / output))
    # A device or pipe the user names (`--output /dev/stderr`) is written into, not replaced.
    write_text(anchor_of(path.parent, cwd), path, text, streams=True)


def _rules(args: argparse.Namespace) -> int:
    from faqlint.docs import rule_table
    from faqlint.run import load_catalogue

    catalogue = load_catalogue([Path(p) for p in args.policy_path])
    sys.stdout.write(rule_table(catalogue, args.format))
    return EXIT_CLEAN


def _rule(args: argparse.Namespace) -> int:
    from faqlint.docs import explain
    from faqlint.run import load_catalogue

    catalogue = load_catalogue([Path(p) for p in args.policy_path])
    text = explain(catalogue, args.rule)
    if text is None:
        from faqlint.identify import suggest

        codes = catalogue.codes()
        hint = suggest(args.rule, list(codes) + list(codes.values()))
        raise UsageError(f"faqlint: no rule {args.rule!r}{hint}")
    sys.stdout.write(text)
    return EXIT_CLEAN


def _test_policies(args: argparse.Namespace) -> int:
    """Each failing example must yield its rule's finding, each passing one none: exit 1 if not."""
    from faqlint.report.escape import inert
    from faqlint.run import load_catalogue
    from faqlint.selftest import check_examples

    catalogue = load_catalogue([Path(f) for f in args.folders])
    own = [r for r in catalogue.policies.rules if not r.builtin]
    if not own:
        raise UsageError(f"faqlint test-policies: no rules in {' '.join(args.folders)}")
    failures = 0
    for rule in own:
        for outcome in check_examples(rule, catalogue):
            if outcome.problem:
                failures += 1
                print(
                    inert(
                        f"{rule.source}: {rule.code} {outcome.verdict} example {outcome.number}: "
                        f"{outcome.problem}"
                    )
                )
    examples = sum(len(r.rule.examples.fail) + len(r.rule.examples.pass_) for r in own)
    print(f"{len(own)} rules, {examples} examples: {failures} failed")
    return EXIT_FINDINGS if failures else EXIT_CLEAN


def _convert(args: argparse.Namespace) -> int:
    from faqlint.convert import run

    return run(args.exports, args.out, args.tenant, args.dry_run, args.force, args.config)


def _init(args: argparse.Namespace) -> int:
    from faqlint.init import write_starter

    for written in write_starter(Path(args.directory), force=args.force):
        print(f"wrote {written}")
    print(f"next: faqlint check {args.directory}")
    return EXIT_CLEAN


def _schema(args: argparse.Namespace) -> int:
    from faqlint.schemas_gen import schema_names, schema_text

    if args.kind is None:
        sys.stdout.write("".join(f"{name}\n" for name in schema_names()))
        return EXIT_CLEAN
    sys.stdout.write(schema_text(args.kind))
    return EXIT_CLEAN


def _clean(args: argparse.Namespace) -> int:
    from faqlint.config import load_config
    from faqlint.report.escape import inert
    from faqlint.resultcache import clean

    loaded = load_config(Path(args.config) if args.config else None, Path.cwd())
    removed = clean(loaded.root)
    print(inert(f"removed {removed}" if removed else "no cached results for this project"))
    return EXIT_CLEAN
