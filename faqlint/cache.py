"""A small on-disk cache for work whose result depends only on some files' bytes.

Validated policy packs and configuration are cached, so that a run whose inputs did not change
never imports pydantic. The key is a hash of faqlint's version, the Python version, the code of
the cached models and every input file's path and bytes; a changed, added or removed file is a
different key. `FAQLINT_CACHE_DIR` moves it, `FAQLINT_NO_CACHE=1` turns it off.

The cache holds data, never code: JSON, written by faqlint and read back against the type the
caller expects (`shape`: the models are plain dataclasses, rebuilt field by field). The folder can
be anywhere, even inside the repository being checked, so nothing in it is trusted: a file that is
not a regular file, too large, not JSON, of another version or key, or of the wrong shape is
ignored and rebuilt. A value is stored only when it reads back equal to itself. Writes go through
`faqlint.fsio` (atomic, never through a link). A cache that cannot be read or written is simply
not used.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import os
import stat
import sys
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from faqlint import __version__

FORMAT = "faqlint-cache"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024  # far above what the built-in packs need; a bound on a planted file


def cache_dir() -> Path | None:
    if os.environ.get("FAQLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("FAQLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "faqlint"


# The modules whose classes the cache holds, and this one: a cached value is only good for the
# code that made it, also in a checkout where the version number has not moved.
_MODEL_MODULES = ("packs.py", "config.py", "formats.py", "cache.py")


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


# --- data out and back in -------------------------------------------------------------------


class _Mismatch(Exception):
    """A cached value that does not have the shape its reader expects."""


def encode(value: Any) -> Any:
    """Plain JSON data: dataclasses as objects of their fields, tuples as lists, dates as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("a mapping with keys that are not strings")
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


@functools.cache
def _fields(model: type[Any]) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(model)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(model) if f.init)


def _is_json(value: Any) -> bool:
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def decode(data: Any, shape: Any) -> Any:
    """`data` (from JSON) rebuilt as `shape`, or _Mismatch. Every value is checked."""
    origin = typing.get_origin(shape)
    arguments = typing.get_args(shape)
    if shape is Any:
        if not _is_json(data):
            raise _Mismatch("not JSON data")
        return data
    if origin is typing.Annotated:
        return decode(data, arguments[0])
    if origin is typing.Union or origin is types.UnionType:
        for member in arguments:
            try:
                return decode(data, member)
            except _Mismatch:
                continue
        raise _Mismatch(f"none of {shape}")
    if origin is typing.Literal:
        if any(type(data) is type(a) and data == a for a in arguments):
            return data
        raise _Mismatch(f"not one of {arguments}")
    if shape is type(None):
        if data is None:
            return None
        raise _Mismatch("not null")
    if shape in (str, int, bool, float):
        if type(data) is shape or (shape is float and type(data) is int):
            return data
        raise _Mismatch(f"not a {shape.__name__}")
    if shape is datetime.date:
        if not isinstance(data, str):
            raise _Mismatch("not a date")
        try:
            return datetime.date.fromisoformat(data)
        except ValueError:
            raise _Mismatch("not a date") from None
    if origin in (tuple, list):
        if not isinstance(data, list):
            raise _Mismatch("not a list")
        if origin is list or (len(arguments) == 2 and arguments[1] is Ellipsis):
            items = [decode(v, arguments[0]) for v in data]
        elif len(arguments) == len(data):
            items = [decode(v, a) for v, a in zip(data, arguments, strict=True)]
        else:
            raise _Mismatch("a list of the wrong length")
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(data, dict) or arguments[0] is not str:
            raise _Mismatch("not a mapping")
        return {k: decode(v, arguments[1]) for k, v in data.items()}
    if isinstance(shape, type) and dataclasses.is_dataclass(shape):
        fields = _fields(shape)
        if not isinstance(data, dict) or set(data) != {name for name, _ in fields}:
            raise _Mismatch(f"not a {shape.__name__}")
        try:
            return shape(**{name: decode(data[name], hint) for name, hint in fields})
        except (TypeError, ValueError) as err:  # the model's own checks (__post_init__)
            raise _Mismatch(str(err)) from None
    raise _Mismatch(f"no reader for {shape}")


# --- the files ------------------------------------------------------------------------------


def _read(path: Path) -> bytes | None:
    """The file's bytes when it is a regular file (not a link, FIFO or device) of sane size."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        return file.read(MAX_BYTES + 1)


def load(cache_key: str, shape: Any) -> Any | None:
    """The value stored under `cache_key`, rebuilt as `shape`; None when there is none or the
    file cannot be trusted to hold one."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        raw = _read(folder / f"{cache_key}.json")
        if raw is None or len(raw) > MAX_BYTES:
            return None
        document = json.loads(raw)
        if not (
            isinstance(document, dict)
            and document.get("format") == FORMAT
            and document.get("version") == VERSION
            and document.get("key") == cache_key
            and "value" in document
        ):
            return None
        return decode(document["value"], shape)
    except (OSError, ValueError, RecursionError, _Mismatch):
        return None


def store(cache_key: str, value: Any, shape: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    from faqlint.errors import FaqlintError
    from faqlint.fsio import write_text

    try:
        data = encode(value)
        if decode(data, shape) != value:  # what would be read back must be what was meant
            return
        document = {"format": FORMAT, "version": VERSION, "key": cache_key, "value": data}
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        target = folder / f"{cache_key}.json"
        write_text(folder, target, text)
        namespace = cache_key.rsplit("-", 1)[0]
        for suffix in ("json", "pickle"):  # one entry per namespace; older formats go
            for old in folder.glob(f"{namespace}-*.{suffix}"):
                if old != target:
                    old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError, RecursionError, _Mismatch, FaqlintError):
        pass
