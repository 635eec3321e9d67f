from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from faqlint import cache

REPO = Path(__file__).resolve().parent.parent


def test_round_trip_and_key_changes_with_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path))
    first = cache.key("x", [("a.yaml", b"1")])
    assert first != cache.key("x", [("a.yaml", b"2")])
    assert first != cache.key("x", [("b.yaml", b"1")])
    assert cache.load(first) is None
    cache.store(first, {"value": (1, 2)})
    assert cache.load(first) == {"value": (1, 2)}
    second = cache.key("x", [("a.yaml", b"2")])
    cache.store(second, "new")
    assert cache.load(first) is None  # superseded entries are pruned
    assert cache.load(second) == "new"


def test_unusable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(blocker / "sub"))
    cache.store("k", 1)
    assert cache.load("k") is None
    monkeypatch.setenv("FAQLINT_NO_CACHE", "1")
    assert cache.cache_dir() is None


def test_corrupt_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path))
    (tmp_path / "k.pickle").write_bytes(b"garbage")
    assert cache.load("k") is None


def test_a_run_with_cached_packs_does_not_import_pydantic(tmp_path: Path) -> None:
    probe = (
        "import sys; from faqlint.cli import main; "
        f"main(['check', {str(REPO / 'examples')!r}, '--format', 'json']); "
        "print('pydantic' in sys.modules, file=sys.stderr)"
    )
    env = {**os.environ, "FAQLINT_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        for _ in range(2)
    ]
    assert [r.stderr.strip().splitlines()[-1] for r in runs] == ["True", "False"]
