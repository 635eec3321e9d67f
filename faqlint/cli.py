"""Command line: `main(argv) -> int`, and `run()` for the installed command. Exit 0 clean, 1
findings at or above the fail level, 2 when faqlint could not do its job (arguments, config,
policies, an internal error)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from faqlint.arguments import TEXT_STYLES, UsageError, build_parser
from faqlint.errors import FaqlintError
from faqlint.findings import Severity
from faqlint.progress import terminal_progress
from faqlint.report import REPORTERS

if TYPE_CHECKING:
    from faqlint.report import Output
    from faqlint.run import Catalogue, RunResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def run() -> NoReturn:
    """The `faqlint` command (and `python -m faqlint`): `main`, then exit without tearing the
    interpreter down. A run ends holding the catalogue, what it read and the compiled rules, and
    freeing them object by object took 30-60 ms of a one-second run; by then every report is
    written and closed and the cache saved, so only the standard streams are left to flush.
    (mypy's command line exits the same way.)"""
    try:
        code = main()
    except SystemExit as done:  # --help, --version and usage errors, from argparse
        if isinstance(done.code, int):
            code = done.code
        else:  # as the interpreter would: a message is printed and means failure
            if done.code is not None:
                print(done.code, file=sys.stderr)
            code = int(done.code is not None)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: what was left unwritten is lost
        code = code or EXIT_ERROR
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        if args.command is None:
            build_parser().print_help()
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
    if args.command == "completion":
        return _completion(args)
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
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("faqlint check: --unsafe-fixes needs --fix or --diff")
    if args.statistics and not any(o.format == "text" for o, _ in plan):
        raise UsageError(
            "faqlint check: --statistics counts findings in the text report, and this run "
            "writes none (add --format text)"
        )
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
    progress = None if args.quiet else terminal_progress(sys.stderr)
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
    result = check(options, catalogue, progress)
    if baselining:
        from faqlint.baseline import apply_baseline

        result = apply_baseline(
            result, args.baseline, args.write_baseline, cwd, loaded.root, catalogue.codes()
        )
    fail_on = Severity.parse(args.fail_on or config.fail_on)
    if args.diff:
        from faqlint.fix_cli import show_diff

        return show_diff(options, catalogue, result, args.unsafe_fixes)
    if args.fix:  # write the proven fixes, then check again for the report
        from faqlint.fix_cli import apply_fixes

        fixed = apply_fixes(options, catalogue, result, args.unsafe_fixes)
        again = {**vars(args), "fix": False, "unsafe_fixes": False, "fixed": fixed}
        return _check(argparse.Namespace(**again))
    if any(o.format == "powershell" for o, _ in plan):  # commands for findings in exports
        from faqlint.fix_cli import with_remediations

        result = with_remediations(options, catalogue, result)
    rule_url = args.rule_url or config.rule_url
    text = _text_options(args, config.output_format)
    _report(result, plan, cwd, catalogue, text, fail_on, rule_url)
    if getattr(args, "fixed", None) is not None:
        text_on_stdout = any(o.to_stdout and o.format == "text" for o, _ in plan)
        line = args.fixed.summary(len(result.findings), written=True)
        print(line, file=sys.stdout if text_on_stdout else sys.stderr)
    if args.exit_zero:
        return EXIT_CLEAN
    return exit_code(result.findings, fail_on)


def _plan(args: argparse.Namespace) -> tuple[tuple[Output, str | None], ...]:
    """Each report to write, with its text variant (`full`, `concise`, `grouped`) when it is
    text and the variant was named, else None (the configured one). A variant is the `text`
    format as far as pairing with --output goes."""
    from faqlint.report import OutputPlanError, default_format, plan_outputs

    named = list(args.format)
    # --statistics is a text view: with no format named, it asks for text, even in CI.
    fallback = "text" if args.statistics and not named else default_format()
    try:
        plan = plan_outputs(
            ["text" if n in TEXT_STYLES else n for n in named], args.output, fallback
        )
    except OutputPlanError as err:
        raise UsageError(f"faqlint check: {err}") from None
    styles = [n if n in TEXT_STYLES else None for n in named] or [None]
    return tuple(zip(plan, styles, strict=True))


@dataclass(frozen=True)
class _TextOptions:
    """How the text report looks: one value for the options that shape it."""

    style: str  # the configured variant; a variant named with --format wins for its output
    show_source: bool
    statistics: bool
    quiet: bool
    color: str  # auto, always, never


def _text_options(args: argparse.Namespace, configured: str) -> _TextOptions:
    return _TextOptions(configured, not args.no_source, args.statistics, args.quiet, args.color)


def _report(
    result: RunResult,
    plan: Sequence[tuple[Output, str | None]],
    cwd: Path,
    catalogue: Catalogue,
    text: _TextOptions,
    fail_on: Severity = Severity.ERROR,
    rule_url: str | None = None,
) -> None:
    """Write every planned report; files first, so a failing stdout cannot lose them."""
    from faqlint.report import ReportContext
    from faqlint.report.text import wants_colour

    for output, style in sorted(plan, key=lambda planned: planned[0].to_stdout):
        colour = output.to_stdout and wants_colour(text.color, sys.stdout)
        context = ReportContext(
            cwd,
            catalogue,
            colour,
            text.show_source,
            text_style=style or text.style,
            statistics=text.statistics,
            quiet=text.quiet,
            fail_on=fail_on,
            rule_url=rule_url,
        )
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
    from faqlint.report.escape import inert_lines, json_text
    from faqlint.run import load_catalogue

    catalogue = load_catalogue([Path(p) for p in args.policy_path])
    table = rule_table(catalogue, args.format)  # a policy pack may come from the repository
    sys.stdout.write(json_text(table) if args.format == "json" else inert_lines(table) + "\n")
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
    from faqlint.report.escape import inert_lines

    sys.stdout.write(inert_lines(text) + "\n")  # a policy pack may come from the repository
    return EXIT_CLEAN


def _test_policies(args: argparse.Namespace) -> int:
    """Each failing example must yield its rule's finding, each passing one none: exit 1 if not.

    The folders' rules are tested as written there, beside the built-in tables: a folder that
    is the built-in pack (`policies/outlook-mobile` in a checkout), or a copy of it being
    edited, has its examples run in place of the installed rules of the same codes rather than
    being refused as a redefinition (which `check --policy-path` still refuses)."""
    from faqlint.policy import Policies, load_policies
    from faqlint.report.escape import inert
    from faqlint.run import load_catalogue
    from faqlint.selftest import check_examples

    installed = load_catalogue()
    tested = load_policies([Path(f) for f in args.folders], builtin_count=0)
    own = list(tested.rules)
    if not own:
        raise UsageError(f"faqlint test-policies: no rules in {' '.join(args.folders)}")
    policies = Policies(tested.rules, {**installed.policies.data, **tested.data})
    catalogue = replace(installed, policies=policies)
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
    from faqlint.fix import example_fix_problems  # an autofix must make its examples pass

    for rule, number, problem in example_fix_problems(own, catalogue):
        failures += 1
        print(inert(f"{rule.source}: {rule.code} fail example {number}: {problem}"))
    examples = sum(len(r.rule.examples.fail) + len(r.rule.examples.pass_) for r in own)
    print(f"{len(own)} rules, {examples} examples: {failures} failed")
    return EXIT_FINDINGS if failures else EXIT_CLEAN


def _convert(args: argparse.Namespace) -> int:
    from faqlint.convert import run

    return run(args.exports, args.out, args.tenant, args.dry_run, args.force, args.config)


def _init(args: argparse.Namespace) -> int:
    from faqlint.init import write_starter

    written = write_starter(Path(args.directory), force=args.force)
    schemas = [path for path in written if path.name.endswith(".schema.json")]
    for path in written:
        if path not in schemas:
            print(f"wrote {path}")
    print(f"wrote {len(schemas)} schemas to {schemas[0].parent} (for editors, offline)")
    print(f"next: faqlint check {args.directory}")
    return EXIT_CLEAN


def _schema(args: argparse.Namespace) -> int:
    from faqlint.schemas_gen import schema_names, schema_text, write_schemas

    if args.write is not None:
        if args.kind is not None:
            raise UsageError("faqlint schema: --write writes every schema; leave out KIND")
        written = write_schemas(Path(args.write), Path.cwd())
        print(f"wrote {len(written)} schemas to {args.write}")
        return EXIT_CLEAN
    if args.kind is None:
        sys.stdout.write("".join(f"{name}\n" for name in schema_names()))
        return EXIT_CLEAN
    sys.stdout.write(schema_text(args.kind))
    return EXIT_CLEAN


def _completion(args: argparse.Namespace) -> int:
    from faqlint.completion import script
    from faqlint.run import load_catalogue

    catalogue = load_catalogue()
    words = {"CODE|NAME": sorted(catalogue.codes()), "KIND": sorted(catalogue.kinds)}
    sys.stdout.write(script(args.shell, build_parser(), words))
    return EXIT_CLEAN


def _clean(args: argparse.Namespace) -> int:
    from faqlint.config import load_config
    from faqlint.report.escape import inert
    from faqlint.resultcache import clean

    loaded = load_config(Path(args.config) if args.config else None, Path.cwd())
    removed = clean(loaded.root)
    print(inert(f"removed {removed}" if removed else "no cached results for this project"))
    return EXIT_CLEAN
