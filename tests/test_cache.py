from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from faqlint import cache

REPO = Path(__file__).resolve().parent.parent


Pair = dict[str, tuple[int, ...]]


def test_round_trip_and_key_changes_with_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path))
    first = cache.key("x", [("a.yaml", b"1")])
    assert first != cache.key("x", [("a.yaml", b"2")])
    assert first != cache.key("x", [("b.yaml", b"1")])
    assert cache.load(first, Pair) is None
    cache.store(first, {"value": (1, 2)}, Pair)
    assert cache.load(first, Pair) == {"value": (1, 2)}
    second = cache.key("x", [("a.yaml", b"2")])
    cache.store(second, "new", str)
    assert cache.load(first, Pair) is None  # superseded entries are pruned
    assert cache.load(second, str) == "new"
    assert [p.suffix for p in tmp_path.iterdir()] == [".json"]  # data, no temporaries left


def test_unusable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(blocker / "sub"))
    cache.store("k", 1, int)
    assert cache.load("k", int) is None
    monkeypatch.setenv("FAQLINT_NO_CACHE", "1")
    assert cache.cache_dir() is None


def _entry(key: str, value: object, **changes: object) -> str:
    document = {"format": cache.FORMAT, "version": cache.VERSION, "key": key, "value": value}
    return json.dumps({**document, **changes})


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"garbage", id="garbage"),
        pytest.param(b"\x80\x04\x95", id="a-pickle"),
        pytest.param(_entry("k", {"value": [1, 2]})[:-9].encode(), id="truncated"),
        pytest.param(_entry("k", {"value": [1, 2]}, version=0).encode(), id="wrong-version"),
        pytest.param(_entry("k", {"value": [1, 2]}, format="other").encode(), id="foreign"),
        pytest.param(_entry("other", {"value": [1, 2]}).encode(), id="another-key"),
        pytest.param(_entry("k", {"value": ["1", 2]}).encode(), id="wrong-item-type"),
        pytest.param(_entry("k", {"value": True}).encode(), id="wrong-shape"),
        pytest.param(_entry("k", [[1, 2]]).encode(), id="list-for-mapping"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deep"),
    ],
)
def test_a_corrupt_foreign_or_misshapen_entry_is_a_miss(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path))
    (tmp_path / "k.json").write_bytes(content)
    assert cache.load("k", Pair) is None


def test_the_written_entry_itself_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path))
    (tmp_path / "k.json").write_text(_entry("k", {"value": [1, 2]}))
    assert cache.load("k", Pair) == {"value": (1, 2)}  # the format the tests above break


def test_a_link_or_fifo_in_place_of_an_entry_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path))
    real = tmp_path / "real.json"
    real.write_text(_entry("k", {"value": [1]}))
    (tmp_path / "k.json").symlink_to(real)
    assert cache.load("k", Pair) is None
    os.mkfifo(tmp_path / "f.json")
    assert cache.load("f", Pair) is None  # not opened for a blocking read


def test_a_link_in_place_of_an_entry_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAQLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (tmp_path / "cache" / "k.json").symlink_to(victim)
    cache.store("k", {"value": (1,)}, Pair)
    assert victim.read_text() == "keep"


def test_cached_models_are_rebuilt_from_data_and_checked() -> None:
    from faqlint.config import Config, PerFileIgnore

    config = Config(
        select=("OM1",),
        per_file_ignores={
            "a/**": PerFileIgnore(("OM2",), "why", date(2027, 3, 31)),
            "b/**": ("OM3",),
        },
    )
    data = json.loads(json.dumps(cache.encode(config)))
    assert cache.decode(data, Config) == config
    data["fail_on"] = "fatal"  # not one of the Literal's values
    with pytest.raises(cache._Mismatch):
        cache.decode(data, Config)


def test_a_policy_rule_with_a_bad_code_in_the_cache_is_refused() -> None:
    from faqlint.packs import Rule
    from faqlint.run import load_catalogue

    rule = load_catalogue().policies.rules[0].rule
    data = json.loads(json.dumps(cache.encode(rule)))
    assert cache.decode(data, Rule) == rule
    data["code"] = "bad"
    with pytest.raises(cache._Mismatch):  # the model's own check runs on the way back in
        cache.decode(data, Rule)


def test_a_run_of_the_builtin_packs_does_not_import_pydantic(tmp_path: Path) -> None:
    """Not even on a cold cache: the shipped packs are read in their validated form."""
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
    assert [r.stderr.strip().splitlines()[-1] for r in runs] == ["False", "False"]
