"""Benchmark faqlint against the floor and check-jsonschema, on one generated corpus.

    python bench/run.py [--files 1000] [--rounds 5] [--seed 1] [--corpus DIR] [--schemas DIR]
    python bench/run.py --scale [--rounds 3]
    python bench/run.py --mailboxes 78000 [--rounds 3]
    python bench/run.py --all [--rounds 3]
    python bench/run.py --precommit --files 10000 [--rounds 3]

Default mode: generate the corpus (or reuse `--corpus DIR`) into a temp folder, then, round by
round, run each tool once in a fresh process, rotating which goes first (one unreported warm-up
run each fills the page cache):
- `faqlint check CORPUS --format json --exit-zero` (`python -m faqlint`, this checkout first on
  PYTHONPATH), cold (`FAQLINT_NO_CACHE=1`: the first run in a CI container) and warm (a cache
  folder of its own, filled by the warm-up run); when `faqlint.cli` does not import yet, one
  line says so and the others still run;
- the floor, `bench/floor.py CORPUS --schemas DIR` (libyaml compose + construct, jsonschema-rs);
- check-jsonschema doing schema validation alone, with one combined `--schemafile` built in the
  temp folder: every schema of DIR embedded under `$defs`, and `allOf` of
  `if kind == K then $ref K` (bench/schemas.py), the same schemas the floor compiles.

Fairness for check-jsonschema: it reads exactly one document per YAML file (it refuses a file
with several: "expected a single document in the stream"). So it gets the native single-document
files as they are, and each multi-document file split at its `---` lines into one file per
document, written to the temp folder; it therefore validates the same native documents as the
floor and faqlint, and pays its per-file cost once per document, as a user splitting files for it
would. Raw Graph exports are left out: they have no envelope, so no kind schema applies (the floor
parses them without validating them). The table shows how many files and documents each tool got.

Reported per tool: median wall time, files/s (files it was given), documents, peak RSS (largest
over the rounds, from `wait4`), and the ratios faqlint/floor and check-jsonschema/faqlint; then
cold start: each tool on one file against `python -c pass`, medians over the rounds.

`--scale`: two corpora, 1,000 files (50 tenants) and 10,000 files (500 tenants), faqlint and the
floor alternating on both: the growth ratio (target: 10x the files in at most 11x the time) and
the 10,000-file run against its targets (under 10 s, peak RSS under 150 MB).

`--precommit`: the commit hook's case: a `--files` file git repository (500 tenants) checked
once, then one file edited and named per round, against faqlint's and the floor's start-up on a
lone copy of that file (target: at most 2x faqlint's start-up).

`--mailboxes N`: one tenant whose `Get-CASMailbox | ConvertTo-Json` export holds N mailboxes
(bench/mailboxes.py; 78,000 is a size real tenants have), mapped through the config's `kinds:`:
rules over every mailbox and the location of their findings in one large JSON file must stay
linear (target: seconds, under 60 s).

`--all`: the full run (1,000 files), the commit hook (10,000), the scale comparison and the
78,000-mailbox tenant in one run, each in a folder of its own and against the floor measured
beside it: the numbers of the README's performance section.

The output is Markdown, ready for the README's performance section.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import floor, generate, mailboxes, measure
from bench import schemas as bundled
from bench.measure import Sample

REPO = Path(__file__).resolve().parent.parent
SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass
class Tool:
    name: str
    cmd: list[str]
    files: int
    documents: int
    env: dict[str, str] | None = None
    samples: list[Sample] = field(default_factory=list)


def faqlint_env() -> dict[str, str]:
    """This checkout's faqlint when it has its CLI, else the environment's `faqlint` as is.

    Prepending a checkout that lacks `faqlint/cli.py` to PYTHONPATH would mix its modules with
    an installed (editable) faqlint's; the report names the faqlint that was measured.
    """
    env = dict(os.environ)
    if (REPO / "faqlint" / "cli.py").exists():
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def cold_env() -> dict[str, str]:
    """The first run in a CI container: no cache of any kind (packs validated, files read)."""
    return {**faqlint_env(), "FAQLINT_NO_CACHE": "1"}


def warm_env(tmp: Path) -> dict[str, str]:
    """A cache of faqlint's own in the temp folder, filled by the unreported warm-up run."""
    env = {**faqlint_env(), "FAQLINT_CACHE_DIR": str(tmp / "faqlint-cache")}
    env.pop("FAQLINT_NO_CACHE", None)
    return env


def faqlint_probe(cwd: Path) -> tuple[str | None, str]:
    """(why `python -m faqlint` cannot run, or None; where its CLI was imported from)."""
    probe = measure.run(
        [
            sys.executable,
            "-c",
            "import faqlint, faqlint.cli; print(faqlint.__version__, faqlint.cli.__file__)",
        ],
        cwd=cwd,
        env=faqlint_env(),
        keep_output=True,
    )
    if probe.returncode == 0:
        return None, probe.stdout.strip()
    lines = probe.stderr.strip().splitlines()
    return (lines[-1] if lines else f"exit {probe.returncode}"), ""


def check_jsonschema_exe() -> str | None:
    beside = Path(sys.executable).parent / "check-jsonschema"
    return str(beside) if beside.exists() else shutil.which("check-jsonschema")


def schema_dir(option: Path | None) -> Path:
    folder = option or REPO / "schemas"
    if not bundled.kinds(folder):
        sys.exit(f"run.py: no kind schemas in {folder}; pass --schemas DIR")
    return folder


def corpus_stats(corpus: Path) -> tuple[int, int]:
    files = list(floor.walk([str(corpus)]))
    return len(files), sum(len(floor.documents(f)) for f in files)


def split_for_check_jsonschema(corpus: Path, out: Path) -> tuple[list[str], int]:
    """Native files as check-jsonschema can read them: one document each. Returns the paths
    and the number of documents they hold."""
    paths, docs = [], 0
    for path in floor.walk([str(corpus)]):
        found = floor.documents(path)
        native = [d for d in found if isinstance(d, dict) and d.get("apiVersion") == "faqlint/v1"]
        if not native or len(native) != len(found):
            continue
        docs += len(found)
        if len(found) == 1:
            paths.append(path)
            continue
        text = Path(path).read_text(encoding="utf-8")
        parts = [p for p in SEPARATOR.split(text) if list(floor.yaml_documents(p))]
        if len(parts) != len(found):  # a `---` inside a block scalar, say: leave the file out
            docs -= len(found)
            continue
        rel = Path(path).relative_to(corpus)
        for i, part in enumerate(parts, 1):
            target = out / rel.parent / f"{rel.stem}.doc{i}{rel.suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(part.lstrip("\n"), encoding="utf-8")
            paths.append(str(target))
    return paths, docs


def alternate(tools: Sequence[Tool], rounds: int, cwd: Path) -> None:
    for tool in tools:  # warm-up, not reported
        measure.run(tool.cmd, cwd=cwd, env=tool.env)
    for r in range(rounds):
        order = list(tools[r % len(tools) :]) + list(tools[: r % len(tools)])
        for tool in order:
            tool.samples.append(
                measure.run(tool.cmd, cwd=cwd, env=tool.env, keep_output=(r == rounds - 1))
            )


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def summary_of(tool: Tool) -> str:
    """What the tool said on its last round: findings for faqlint, counts for the floor."""
    last = tool.samples[-1]
    if last.returncode not in (0, 1):
        return f"exit {last.returncode}: {(last.stderr.strip().splitlines() or [''])[-1][:120]}"
    try:
        data = json.loads(last.stdout)
    except ValueError:
        return f"exit {last.returncode}"
    if isinstance(data, dict) and "findings" in data:
        return f"{len(data['findings'])} findings"
    if isinstance(data, dict) and "invalid" in data:
        return f"{data['invalid']} invalid, {data['raw']} raw exports not validated"
    return f"exit {last.returncode}"


def table(tools: Sequence[Tool], base: Tool) -> list[str]:
    out = [
        "| tool | median wall | files/s | files | documents | peak RSS | x floor | result |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    floor_wall = measure.median_wall(base.samples)
    for tool in tools:
        wall = measure.median_wall(tool.samples)
        result = (
            summary_of(tool)
            if tool.name != "check-jsonschema"
            else (f"exit {tool.samples[-1].returncode}")
        )
        rss = measure.max_rss_mb(tool.samples)
        out.append(
            f"| {tool.name} | {seconds(wall)} | {tool.files / wall:,.0f} | "
            f"{tool.files:,} | {tool.documents:,} | {rss:.0f} MB"
            f" | {wall / floor_wall:.2f} | {result} |"
        )
    return out


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def compare(args: argparse.Namespace, tmp: Path, schemas: Path, missing: str | None) -> list[str]:
    if args.corpus:
        corpus = args.corpus.resolve()
        note = f"corpus {corpus}"
    else:
        corpus = tmp / "corpus"
        made = generate.generate(
            corpus, max(1, round(args.files / 20)), args.seed, total_files=args.files
        )
        note = (
            f"generated corpus: {made.yaml_files:,} YAML + {made.json_files} JSON export files,"
            f" {made.tenants} tenants, {len(made.violations)} planted violations, "
            f"seed {args.seed}"
        )
    files, docs = corpus_stats(corpus)
    combined = tmp / "combined.schema.json"
    combined.write_text(json.dumps(bundled.combined_schema(schemas)), encoding="utf-8")
    py = sys.executable
    floor_tool = Tool(
        "floor (libyaml compose+construct, jsonschema-rs)",
        [py, str(REPO / "bench" / "floor.py"), str(corpus), "--schemas", str(schemas), "--json"],
        files,
        docs,
    )
    tools = [floor_tool]
    if missing is None:
        command = [py, "-m", "faqlint", "check", str(corpus), "--format", "json", "--exit-zero"]
        tools[:0] = [
            Tool("faqlint cold (no cache)", command, files, docs, env=cold_env()),
            Tool(
                "faqlint --no-cache (packs cached)",
                [*command, "--no-cache"],
                files,
                docs,
                env=warm_env(tmp),
            ),
            Tool("faqlint warm (unchanged)", command, files, docs, env=warm_env(tmp)),
        ]
    cjs = check_jsonschema_exe()
    if cjs:
        cjs_files, cjs_docs = split_for_check_jsonschema(corpus, tmp / "split")
        tools.append(
            Tool(
                "check-jsonschema (schema only)",
                [cjs, "--schemafile", str(combined), *cjs_files],
                len(cjs_files),
                cjs_docs,
            )
        )
    # From inside the corpus, as an admin runs it: faqlint's project (and so its cache) is the
    # working folder, also for a --corpus that lies outside the temp folder.
    alternate(tools, args.rounds, corpus)

    lines = [
        f"### faqlint benchmark: {files:,} files, {docs:,} documents, {args.rounds} rounds",
        "",
        f"Machine: {measure.machine()}",
        "",
        f"{note}; schemas: {schemas}.",
        "",
    ]
    if missing:
        lines += [
            f"faqlint is not importable yet ({missing}): floor and check-jsonschema only.",
            "",
        ]
    else:
        lines += [f"faqlint measured: {args.measured}.", ""]
    if not cjs:
        lines += ["check-jsonschema is not installed: skipped.", ""]
    lines += [*table(tools, floor_tool), ""]
    by_name = {" ".join(t.name.split(" ")[:2]): measure.median_wall(t.samples) for t in tools}
    by_name["floor"] = measure.median_wall(floor_tool.samples)
    if "faqlint cold" in by_name:
        ratio = by_name["faqlint cold"] / by_name["floor"]
        lines.append(
            f"- faqlint cold full run / floor: **{ratio:.2f}x** (target at most 2.0x, aim "
            f"1.5x): {verdict(ratio <= 2.0)}"
        )
        ratio = by_name["faqlint warm"] / by_name["floor"]
        lines.append(
            f"- faqlint warm re-run / floor: **{ratio:.2f}x** (target at most 0.5x): "
            f"{verdict(ratio <= 0.5)}"
        )
        if "check-jsonschema (schema" in by_name:
            by_name["check-jsonschema"] = by_name["check-jsonschema (schema"]
            ratio = by_name["check-jsonschema"] / by_name["faqlint cold"]
            lines.append(
                f"- check-jsonschema / faqlint: **{ratio:.2f}x** (target at least 2x): "
                f"{verdict(ratio >= 2)}"
            )
    if "check-jsonschema (schema" in by_name:
        ratio = by_name["check-jsonschema (schema"] / by_name["floor"]
        lines.append(f"- check-jsonschema / floor: {ratio:.2f}x")
    lines += ["", *cold_start(args.rounds, corpus, schemas, missing, combined, cjs, tmp)]
    return lines


def one_file(corpus: Path) -> Path:
    for path in floor.walk([str(corpus)]):
        if path.endswith((".yaml", ".yml")) and len(floor.documents(path)) == 1:
            return Path(path)
    return Path(next(iter(floor.walk([str(corpus)]))))


def cold_start(
    rounds: int,
    corpus: Path,
    schemas: Path,
    missing: str | None,
    combined: Path,
    cjs: str | None,
    tmp: Path,
) -> list[str]:
    target = str(one_file(corpus))
    py = sys.executable
    tools = [
        Tool("python -c pass", [py, "-c", "pass"], 1, 1),
        Tool(
            "floor, one file",
            [py, str(REPO / "bench" / "floor.py"), target, "--schemas", str(schemas)],
            1,
            1,
        ),
    ]
    if missing is None:
        tools.append(
            Tool(
                "faqlint check, one file",
                [py, "-m", "faqlint", "check", target, "--exit-zero"],
                1,
                1,
                env=warm_env(tmp),
            )
        )
    if cjs:
        tools.append(
            Tool("check-jsonschema, one file", [cjs, "--schemafile", str(combined), target], 1, 1)
        )
    alternate(tools, rounds, tmp)
    out = ["| cold start (one file) | median wall | peak RSS |", "|---|---:|---:|"]
    for tool in tools:
        out.append(
            f"| {tool.name} | {seconds(measure.median_wall(tool.samples))} | "
            f"{measure.max_rss_mb(tool.samples):.0f} MB |"
        )
    walls = {t.name: measure.median_wall(t.samples) for t in tools}
    if "faqlint check, one file" in walls:
        value = walls["faqlint check, one file"]
        ratio = value / walls["floor, one file"]
        out += [
            "",
            f"- faqlint start-up on one lone file / the floor's: **{ratio:.2f}x** "
            f"({seconds(value)}; target at most 2.5x): {verdict(ratio <= 2.5)}",
        ]
    return out


def scale(args: argparse.Namespace, tmp: Path, schemas: Path, missing: str | None) -> list[str]:
    py = sys.executable
    tools: list[Tool] = []
    sizes = ((1000, 50), (10000, 500))
    for files, tenants in sizes:
        corpus = tmp / f"corpus-{files}"
        generate.generate(corpus, tenants, args.seed, total_files=files)
        n_files, docs = corpus_stats(corpus)
        if missing is None:
            tools.append(
                Tool(
                    f"faqlint {files}",
                    [py, "-m", "faqlint", "check", str(corpus), "--format", "json", "--exit-zero"],
                    n_files,
                    docs,
                    env=cold_env(),
                )
            )
        tools.append(
            Tool(
                f"floor {files}",
                [
                    py,
                    str(REPO / "bench" / "floor.py"),
                    str(corpus),
                    "--schemas",
                    str(schemas),
                    "--json",
                ],
                n_files,
                docs,
            )
        )
    alternate(tools, args.rounds, tmp)
    get = {t.name: t for t in tools}
    lines = [
        f"### faqlint benchmark: scaling, {args.rounds} rounds",
        "",
        f"Machine: {measure.machine()}",
        "",
    ]
    if missing:
        lines += [f"faqlint is not importable yet ({missing}): floor only.", ""]
    else:
        lines += [f"faqlint measured: {args.measured}.", ""]
    lines += [
        "| tool | 1,000 files (50 tenants) | 10,000 files (500 tenants) | growth "
        "| peak RSS at 10,000 | result at 10,000 |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name in ("faqlint", "floor"):
        small, big = get.get(f"{name} 1000"), get.get(f"{name} 10000")
        if not (small and big):
            continue
        a, b = measure.median_wall(small.samples), measure.median_wall(big.samples)
        lines.append(
            f"| {name} | {seconds(a)} | {seconds(b)} | {b / a:.1f}x | "
            f"{measure.max_rss_mb(big.samples):.0f} MB | {summary_of(big)} |"
        )
    if "faqlint 10000" in get:
        small, big = get["faqlint 1000"], get["faqlint 10000"]
        a, b = measure.median_wall(small.samples), measure.median_wall(big.samples)
        rss = measure.max_rss_mb(big.samples)
        lines += [
            "",
            f"- growth, 10x the files: **{b / a:.1f}x** the time (target at most 11x):"
            f" {verdict(b / a <= 11)}",
            f"- 10,000 files in 500 tenants: **{seconds(b)}** (target under 10 s): "
            f"{verdict(b < 10)}",
            f"- peak RSS at 10,000 files: **{rss:.0f} MB** (target under 150 MB): "
            f"{verdict(rss < 150)}",
        ]
    return lines


def big_tenant(args: argparse.Namespace, tmp: Path, missing: str | None) -> list[str]:
    """One tenant with a `Get-CASMailbox` export of `--mailboxes` mailboxes (bench/mailboxes.py),
    faqlint run inside it (its `.faqlint.yaml` maps the export through `kinds:`)."""
    corpus = tmp / "big-tenant"
    export = mailboxes.generate(corpus, args.mailboxes, args.seed)
    lines = [
        f"### faqlint benchmark: one tenant of {args.mailboxes:,} mailboxes, {args.rounds} rounds",
        "",
        f"Machine: {measure.machine()}",
        "",
    ]
    if missing:
        return [*lines, f"faqlint is not importable yet ({missing}): nothing to measure."]
    cmd = [sys.executable, "-m", "faqlint", "check", ".", "--format", "json", "--exit-zero"]
    tool = Tool("faqlint", cmd, 4, args.mailboxes + 2, env=cold_env())
    alternate([tool], args.rounds, corpus)
    wall = measure.median_wall(tool.samples)
    size = export.stat().st_size / 1e6
    return [
        *lines,
        f"faqlint measured: {args.measured}.",
        "",
        "| export | median wall | mailboxes/s | peak RSS | result |",
        "|---|---:|---:|---:|---|",
        f"| Get-CASMailbox.json, {size:.0f} MB | {seconds(wall)} | "
        f"{args.mailboxes / wall:,.0f} | {measure.max_rss_mb(tool.samples):.0f} MB | "
        f"{summary_of(tool)} |",
        "",
        f"- {args.mailboxes:,} mailboxes in one tenant: **{seconds(wall)}** (target: seconds, "
        f"under 60 s): {verdict(wall < 60)}",
    ]


def precommit(args: argparse.Namespace, tmp: Path, schemas: Path, missing: str | None) -> list[str]:
    """The commit hook's case: a 10,000-file git repository (500 tenants) checked once, then
    round by round one file edited and named, as pre-commit names the staged file; against
    faqlint's start-up on a lone file and the floor's, alternating in the same rounds."""
    corpus = tmp / "repo"
    generate.generate(corpus, 500, args.seed, total_files=args.files)
    subprocess.run(["git", "init", "-q", str(corpus)], check=False, capture_output=True)
    lines = [
        f"### faqlint benchmark: one edited file in a {args.files:,}-file git repository, "
        f"{args.rounds} rounds",
        "",
        f"Machine: {measure.machine()}",
        "",
    ]
    if missing:
        return [*lines, f"faqlint is not importable yet ({missing}): nothing to measure."]
    py = sys.executable
    edited = sorted(corpus.glob("tenants/*/exchange/*.yaml"))[0].relative_to(corpus)
    env = warm_env(tmp)
    full = measure.run(
        [py, "-m", "faqlint", "check", ".", "--format", "json", "--exit-zero"],
        cwd=corpus,
        env=env,
    )
    edit = (
        f'printf "# edited %s\\n" "$(date +%s%N)" >> {edited} && '
        f"exec {py} -m faqlint check --format json --exit-zero -- {edited}"
    )
    lone = tmp / "lone" / "org.yaml"
    lone.parent.mkdir()
    lone.write_bytes((corpus / edited).read_bytes())
    tools = [
        Tool("faqlint, one edited file named", ["sh", "-c", edit], 1, 1, env=env),
        Tool(
            "faqlint, one lone file",
            [py, "-m", "faqlint", "check", str(lone), "--exit-zero"],
            1,
            1,
            env=env,
        ),
        Tool(
            "floor, one lone file",
            [py, str(REPO / "bench" / "floor.py"), str(lone), "--schemas", str(schemas)],
            1,
            1,
        ),
    ]
    alternate(tools, args.rounds, corpus)
    walls = {t.name: measure.median_wall(t.samples) for t in tools}
    out = [
        *lines,
        f"faqlint measured: {args.measured}; the previous full run took "
        f"{seconds(full.wall)} ({full.peak_rss_kb / 1024:.0f} MB peak RSS).",
        "",
        "| scenario | median wall | peak RSS | result |",
        "|---|---:|---:|---|",
    ]
    for tool in tools:
        out.append(
            f"| {tool.name} | {seconds(walls[tool.name])} | "
            f"{measure.max_rss_mb(tool.samples):.0f} MB | {summary_of(tool)} |"
        )
    ratio = walls["faqlint, one edited file named"] / walls["faqlint, one lone file"]
    start = walls["faqlint, one lone file"] / walls["floor, one lone file"]
    return [
        *out,
        "",
        f"- one edited file in {args.files:,} / faqlint's start-up on a lone file: "
        f"**{ratio:.2f}x** (target at most 2x): {verdict(ratio <= 2)}",
        f"- faqlint's start-up / the floor's on the same file: **{start:.2f}x** (target at "
        f"most 2.5x): {verdict(start <= 2.5)}",
    ]


def compile_bytecode(where: str) -> None:
    """Write faqlint's .pyc files first, as `pip install` does for an installed package: an
    editable checkout under PYTHONDONTWRITEBYTECODE would otherwise recompile every module on
    every run, and the tools it is compared with are installed with their bytecode."""
    package = Path(where.split()[-1]).parent
    if package.name == "faqlint" and package.is_dir():
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(package)],
            check=False,
            capture_output=True,
        )


def every_scenario(
    args: argparse.Namespace, tmp: Path, schemas: Path, missing: str | None
) -> list[str]:
    """`--all`: each scenario in a folder of its own, one after the other in one run, each
    against the floor it measures beside it."""
    scenarios = [
        ("full", compare, {"files": 1000}),
        ("precommit", precommit, {"files": 10000}),
        ("scale", scale, {}),
    ]
    lines: list[str] = []
    for name, run, overrides in scenarios:
        folder = tmp / name
        folder.mkdir()
        lines += [
            *run(argparse.Namespace(**{**vars(args), **overrides}), folder, schemas, missing),
            "",
        ]
    folder = tmp / "mailboxes"
    folder.mkdir()
    big = argparse.Namespace(**{**vars(args), "mailboxes": args.mailboxes or 78000})
    return lines + big_tenant(big, folder, missing)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="YAML files to generate")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="reuse this corpus instead of generating")
    parser.add_argument("--schemas", type=Path, help="kind schemas (default: the repo's schemas/)")
    parser.add_argument("--scale", action="store_true", help="1,000 vs 10,000 files")
    parser.add_argument(
        "--precommit",
        action="store_true",
        help="instead: one edited file named in a --files (say 10000) file git repository",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every scenario in one run: 1,000 files cold and warm, the commit hook in 10,000, "
        "1,000 vs 10,000 files, one tenant of 78,000 mailboxes",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument(
        "--mailboxes",
        type=int,
        metavar="N",
        help="instead: one tenant whose Get-CASMailbox export holds N mailboxes (e.g. 78000)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    schemas = schema_dir(args.schemas)
    tmp = Path(tempfile.mkdtemp(prefix="faqlint-bench-"))
    missing, where = faqlint_probe(tmp)
    if missing:
        print(
            f"faqlint is not importable yet ({missing}); running the floor and "
            "check-jsonschema only.",
            file=sys.stderr,
        )
    else:
        print(f"measuring faqlint {where}", file=sys.stderr)
        compile_bytecode(where)
    args.measured = where
    try:
        if args.all:
            lines = every_scenario(args, tmp, schemas, missing)
        elif args.mailboxes:
            lines = big_tenant(args, tmp, missing)
        elif args.precommit:
            lines = precommit(args, tmp, schemas, missing)
        elif args.scale:
            lines = scale(args, tmp, schemas, missing)
        else:
            lines = compare(args, tmp, schemas, missing)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
