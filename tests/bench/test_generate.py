"""The benchmark corpus generator and the floor script, on a tiny corpus of 2 tenants.

No timing assertions: the benchmark's numbers belong in its report, not in the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))


from bench import floor, generate, run  # noqa: E402
from bench import schemas as bundled  # noqa: E402
from tests.conftest import KINDS  # noqa: E402

REPO_SCHEMAS = REPO / "schemas"


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def natives(root: Path) -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for path in floor.walk([str(root)]):
        for i, doc in enumerate(floor.documents(path), 1):
            if isinstance(doc, dict) and doc.get("apiVersion") == "faqlint/v1":
                out.append((path, i, doc))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate.generate(root, tenants=2, seed=7)
    return root


@pytest.fixture(scope="module")
def schema_dir() -> Path:
    return REPO_SCHEMAS


def test_same_seed_same_bytes(corpus: Path, tmp_path: Path) -> None:
    generate.generate(tmp_path / "again", tenants=2, seed=7)
    generate.generate(tmp_path / "other", tenants=2, seed=8)
    assert files_of(tmp_path / "again") == files_of(corpus)
    assert files_of(tmp_path / "other") != files_of(corpus)


def test_cli_writes_the_same_corpus(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "generate.py"),
            str(out),
            "--tenants",
            "2",
            "--seed",
            "7",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert files_of(out) == files_of(corpus)


def test_files_option_counts_yaml_files(tmp_path: Path) -> None:
    made = generate.generate(tmp_path, tenants=3, seed=1, total_files=47)
    assert made.yaml_files == 47 == len(list(tmp_path.rglob("*.yaml")))
    assert made.json_files == len(list(tmp_path.rglob("*.json")))


def test_every_kind_and_every_shape(corpus: Path) -> None:
    docs = natives(corpus)
    assert {doc["kind"] for _, _, doc in docs} == set(KINDS)
    tenants = sorted(p.parent.name for p in corpus.glob("tenants/*/tenant.yaml"))
    assert len(tenants) == 2
    texts = {p: p.read_text(encoding="utf-8") for p in corpus.rglob("*.yaml")}
    assert any("\n---\n" in t for t in texts.values()), "no multi-document file"
    assert all(t.startswith("#") or "\n#" in t for t in texts.values()), "a file lacks comments"
    lines = [t.count("\n") for t in texts.values()]
    assert min(lines) >= generate.MIN_LINES and max(lines) <= generate.MAX_LINES
    exports = [json.loads(p.read_text()) for p in corpus.rglob("exports/*.json")]
    assert exports and all("@odata.context" in e and e["value"] for e in exports)


def test_floor_parses_every_file(corpus: Path, schema_dir: Path) -> None:
    for path in floor.walk([str(corpus)]):
        assert floor.documents(path), path
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "floor.py"),
            str(corpus),
            "--schemas",
            str(schema_dir),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    tally = json.loads(proc.stdout)
    assert tally["files"] == len(list(floor.walk([str(corpus)])))
    assert tally["parse_errors"] == 0 and tally["unknown_kind"] == 0
    assert tally["native"] + tally["raw"] == tally["documents"]


@pytest.mark.parametrize("rate", [0.05, 1.0], ids=["default", "every-file-violates"])
def test_native_documents_match_the_repo_schemas(rate: float, tmp_path: Path) -> None:
    made = generate.generate(tmp_path, tenants=2, seed=3, violation_rate=rate)
    if rate == 1.0:
        assert len(made.violations) == made.yaml_files + made.json_files
    checks = floor.validators(REPO_SCHEMAS)
    invalid = [
        f"{path}#{i}" for path, i, doc in natives(tmp_path) if not checks[doc["kind"]].is_valid(doc)
    ]
    assert invalid == []


def test_bundled_schemas_stay_strict(tmp_path: Path) -> None:
    """The bundling (one schema for check-jsonschema) keeps the kinds strict for both consumers."""
    jsonschema = pytest.importorskip("jsonschema")
    folder = REPO_SCHEMAS
    corpus = tmp_path / "corpus"
    generate.generate(corpus, tenants=1, seed=5, violation_rate=1.0)
    combined = bundled.combined_schema(folder)
    jsonschema.Draft202012Validator.check_schema(combined)
    python_validator = jsonschema.Draft202012Validator(combined)
    checks = floor.validators(folder)
    for _, _, doc in natives(corpus):
        assert checks[doc["kind"]].is_valid(doc)
        assert not list(python_validator.iter_errors(doc))
    tenant = next(doc for _, _, doc in natives(corpus) if doc["kind"] == "Tenant")
    bad = dict(tenant, spec={"cloud": "Moon"})
    assert not checks[bad["kind"]].is_valid(bad)
    assert list(python_validator.iter_errors(bad))


def test_split_for_check_jsonschema_keeps_every_native_document(
    corpus: Path, tmp_path: Path
) -> None:
    paths, count = run.split_for_check_jsonschema(corpus, tmp_path)
    assert count == len(natives(corpus)) == len(paths)
    assert all(len(floor.documents(p)) == 1 for p in paths)
