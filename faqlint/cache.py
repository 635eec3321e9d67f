"""A small on-disk cache for work whose result depends only on some files' bytes.

Validated policy packs and configuration are cached, so that a run whose inputs did not change
never imports pydantic. The key is a hash of faqlint's version, the Python version and every
input file's path and bytes; a changed, added or removed file is a different key. A cache that
cannot be read or written is simply not used. `FAQLINT_CACHE_DIR` moves it, `FAQLINT_NO_CACHE=1`
turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from faqlint import __version__


def cache_dir() -> Path | None:
    if os.environ.get("FAQLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("FAQLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "faqlint"


# The modules whose classes the cache holds: a cached value is only good for the code that made
# it, also in a checkout where the version number has not moved.
_MODEL_MODULES = ("packs.py", "config.py", "formats.py")


@functools.lru_cache(maxsize=1)
def _code_version() -> bytes:
    digest = hashlib.sha256(__version__.encode())
    folder = Path(__file__).parent
    for name in _MODEL_MODULES:
        try:
            digest.update((folder / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.digest()


def key(namespace: str, inputs: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(f"{namespace}\0{sys.version}\0".encode() + _code_version())
    for name, data in inputs:
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return f"{namespace}-{digest.hexdigest()[:32]}"


def load(cache_key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{cache_key}.pickle", "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None


def store(cache_key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{cache_key}.pickle")
        namespace = cache_key.rsplit("-", 1)[0]
        for old in folder.glob(f"{namespace}-*.pickle"):  # one entry per namespace is enough
            if old.stem != cache_key:
                old.unlink(missing_ok=True)
    except OSError:
        pass
