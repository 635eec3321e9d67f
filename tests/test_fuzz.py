"""The whole command line against generated repositories: any bytes, hostile names, nested folders.

Each example writes a tree of files (names with spaces, dashes, CI workflow commands, control
characters, bytes that are not UTF-8; contents that are random bytes, broken or valid YAML and
JSON, resources of every shape) and runs `faqlint check` in-process in one output format. Whatever
the repository holds, faqlint must answer with exit 0 or 1, never an internal error or a
traceback, and its output must parse: JSON for json/sarif/gitlab, XML for junit, and in text and
github no line a CI log would read as a command unless faqlint wrote it.

The default run is bounded for CI (FUZZ_EXAMPLES, about ten seconds). For a release check, raise
it:

    FAQLINT_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py -q

Files faqlint reads as its own configuration (`.faqlint.yaml`, `pyproject.toml`, `.gitignore`)
are not generated: a broken configuration is the user's own and correctly ends the run with
exit 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faqlint.cli import main

FUZZ_EXAMPLES = int(os.environ.get("FAQLINT_FUZZ_EXAMPLES", "40"))
FORMATS = ["text", "json", "sarif", "junit", "github", "gitlab"]
OWN_FILES = {".faqlint.yaml", ".faqlint.yml", "pyproject.toml", ".gitignore"}
KINDS = ["Tenant", "CASMailbox", "ExchangeOrganizationConfig", "TokenLifetimePolicy", "Nope"]

HOSTILE_NAMES = [
    "--output=x.yaml",
    "-x.yaml",
    "-",
    "::error file=a::forged.yaml",
    "##vso[task.complete result=Succeeded].json",
    "a\nb.yaml",
    "\x1b]0;t\x07.yaml",
    "\u202eyaml.json",
    "spa ce.yml",
    ".hidden.yaml",
    "tenant.yaml",
]

_name_text = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1
).filter(lambda n: n not in {".", ".."} and len(n.encode()) < 200)
_names = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.builds(
        lambda stem, suffix: stem + suffix,
        _name_text,
        st.sampled_from([".yaml", ".json", ".yml", ""]),
    ),
    st.builds(
        lambda raw: os.fsdecode(raw + b".yaml"),
        st.binary(min_size=1, max_size=12).filter(
            lambda b: b"/" not in b and b"\x00" not in b and b not in {b".", b".."}
        ),
    ),
).filter(lambda n: n not in OWN_FILES)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["EnforceAllowList", "Outlook-iOS/*", "*a*a*a*a*b", "00:05:00", "::error::x"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
_resources = st.builds(
    lambda kind, name, spec: {
        "apiVersion": "faqlint/v1",
        "kind": kind,
        "metadata": {"name": name},
        "spec": spec,
    },
    st.sampled_from(KINDS),
    st.text(max_size=20),
    st.dictionaries(
        st.sampled_from(["EwsEnabled", "EwsAllowList", "EwsApplicationAccessPolicy", "cloud", "x"]),
        _values,
        max_size=4,
    ),
)


def _yaml_text(documents: list[Any]) -> bytes:
    return "\n---\n".join(json.dumps(d, ensure_ascii=False) for d in documents).encode()


_contents = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(_resources, min_size=1, max_size=3).map(_yaml_text),
    _resources.map(lambda r: json.dumps(r).encode()),
    st.lists(_values, max_size=3).map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"a: [\n", b'{"a": ', b"\xef\xbb\xbf{}", b"\xff\xfe\x00", b"- &a [*a]\n"]),
)
_trees = st.lists(
    st.tuples(st.lists(_names, max_size=3), _names, _contents), min_size=1, max_size=6
)


def _write(root: Path, tree: list[tuple[list[str], str, bytes]]) -> None:
    for folders, name, content in tree:
        folder = root
        for part in folders:
            candidate = folder / part
            if candidate.exists() and not candidate.is_dir():
                break
            candidate.mkdir(exist_ok=True)
            folder = candidate
        target = folder / name
        if not target.exists():
            target.write_bytes(content)


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _check_output(fmt: str, out: str) -> None:
    out.encode("utf-8")  # writable: no lone surrogate
    assert "##vso[" not in out.lower() and "##[" not in out  # Azure's agent looks mid-line too
    if fmt in {"json", "sarif", "gitlab"}:
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8"))
    else:
        for line in out.splitlines():
            if line.startswith(("::", "##vso[", "##[")):
                assert fmt == "github" and line.startswith(("::error ", "::warning ", "::notice "))
                properties = line.split(" ", 1)[1].split("::", 1)[0]
                keys = [p.partition("=")[0] for p in properties.split(",")]
                assert keys == ["file", "line", "col", "title"], line


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tree=_trees, fmt=st.sampled_from(FORMATS))
def test_any_repository_gets_an_answer_and_a_report_that_parses(
    tree: list[tuple[list[str], str, bytes]], fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "repo"
        root.mkdir()
        _write(root, tree)
        with _inside(root), _environment("FAQLINT_CACHE_DIR", str(Path(temporary) / "cache")):
            code, out, err = _run(["check", "--format", fmt, "--", "."])
        assert code in (0, 1), err
        assert "internal error" not in err and "Traceback" not in err, err
        _check_output(fmt, out)
        assert sorted(p.name for p in Path(temporary).iterdir()) in (["repo"], ["cache", "repo"])
