"""A file's text, read as untrusted: regular files only, at most `max-file-size` bytes, and
decoded from every encoding Windows writes (UTF-8, and UTF-16 or UTF-32 with a byte-order mark;
Windows PowerShell 5.1 writes UTF-16 LE). A file it cannot read is `NotRead` (FL011 where the run
reports it); one it cannot decode is an FL001 that names what the bytes look like and how to
convert them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from faqlint.codes import engine_finding
from faqlint.findings import Finding, Position

DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024  # `max-file-size`: far above any real export


def parse_error(path: str, message: str, position: Position, document: int = 1) -> Finding:
    return engine_finding("FL001", message, file=path, document=document, position=position)


# Byte-order marks, longest first: UTF-32 LE (FF FE 00 00) starts like UTF-16 LE (FF FE).
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 BE"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 LE"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 LE"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 BE"),
)
# How to convert each encoding faqlint recognises but does not read: (iconv name, PowerShell).
_CONVERT = {
    "UTF-16 LE": ("UTF-16LE", "Get-Content FILE -Encoding Unicode"),
    "UTF-16 BE": ("UTF-16BE", "Get-Content FILE -Encoding BigEndianUnicode"),
    "UTF-32 LE": ("UTF-32LE", "Get-Content FILE -Encoding UTF32"),
    "UTF-32 BE": ("UTF-32BE", "Get-Content FILE -Encoding BigEndianUTF32"),
    "UTF-8": ("UTF-8", "Get-Content FILE -Encoding UTF8"),
    "Windows-1252": ("WINDOWS-1252", "Get-Content FILE -Encoding Default"),
}


def _how_to_convert(encoding: str) -> str:
    iconv, powershell = _CONVERT[encoding]
    return (
        f"convert it to UTF-8, e.g. `iconv -f {iconv} -t UTF-8 FILE > NEW` or, in Windows "
        f"PowerShell, `{powershell} | Set-Content -Encoding utf8 NEW`"
    )


def decode(raw: bytes, path: str) -> tuple[str | None, Finding | None]:
    """The text of a file: UTF-8, or UTF-8, UTF-16 or UTF-32 with a byte-order mark (Windows
    PowerShell 5.1 writes UTF-16 LE with one). Positions are in characters of this text. Any
    other encoding is an FL001 that names what the bytes look like and how to convert them. CRLF
    is left to the parsers, which accept it."""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom) :]
            try:
                return body.decode(codec), None
            except UnicodeDecodeError as err:
                where = _position(body[: err.start].decode(codec, errors="replace"))
                message = (
                    f"not valid {name}, which its byte-order mark announces: the bytes at "
                    f"offset {len(bom) + err.start} do not decode ({err.reason}); re-export the "
                    f"file, or {_how_to_convert(name)}"
                )
                return None, parse_error(path, message, where)
    wide = _wide_without_bom(raw)
    if wide is not None:
        message = (
            f"{wide} without a byte-order mark (NUL bytes between the characters): faqlint "
            f"reads UTF-8, or UTF-16 and UTF-32 with a byte-order mark; {_how_to_convert(wide)}"
        )
        return None, parse_error(path, message, Position(1, 1))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        where = _position(raw[: err.start].decode("utf-8", errors="replace"))
        message = f"not UTF-8: byte 0x{raw[err.start]:02x} cannot be decoded; "
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            message += "save the file as UTF-8"
        else:
            convert = _how_to_convert("Windows-1252")
            message += f"the file looks like Windows-1252 (Latin-1) text: {convert}"
        return None, parse_error(path, message, where)
    return text, None


def _position(before: str) -> Position:
    """Line and column (in characters) just after `before`."""
    return Position(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


def _wide_without_bom(raw: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the NUL bytes of mostly-ASCII
    text fall; None when the bytes do not look like it."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 4 * 4]
    quarter = len(sample) // 4
    nuls = [sample[i::4].count(0) for i in range(4)]
    if nuls[1] == nuls[2] == nuls[3] == quarter and nuls[0] < quarter:
        return "UTF-32 LE"
    if nuls[0] == nuls[1] == nuls[2] == quarter and nuls[3] < quarter:
        return "UTF-32 BE"
    even, odd = nuls[0] + nuls[2], nuls[1] + nuls[3]
    half = 2 * quarter
    if odd >= 0.6 * half and even <= 0.1 * half:
        return "UTF-16 LE"
    if even >= 0.6 * half and odd <= 0.1 * half:
        return "UTF-16 BE"
    return None


class NotRead(Exception):
    """A file faqlint does not read (FL011); the message says why and what to do."""


_FILE_TYPES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a link"),
)


def not_regular(mode: int) -> str:
    what = next((name for test, name in _FILE_TYPES if test(mode)), "not a regular file")
    return f"{what}, not a regular file: faqlint reads regular files only and did not open it"


def size_text(size: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"


def too_large(size: int, limit: int) -> str:
    shown = size_text(size)
    if size >= 1024:
        shown += f" ({size:,} bytes)"
    return (
        f"{shown} is over the limit of {size_text(limit)} per file; "
        "faqlint read none of it: raise `max-file-size` in the configuration (e.g. "
        '`max-file-size: "256MiB"`), or exclude the file'
    )


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after discovery cannot block the open
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_bytes(path: str | Path, max_size: int | None, follow: bool = True) -> bytes:
    """The bytes of a regular file, reading at most `max_size` + 1 of them. Raises NotRead for
    anything else (a FIFO, a device, a folder, a file over the limit, an OS error). Without
    `follow`, a link at `path` is refused rather than followed."""
    flags = _OPEN_FLAGS | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if not follow and os.path.islink(path):
            raise NotRead("a link, not a regular file: faqlint did not follow it") from None
        raise NotRead(f"cannot read file: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRead(not_regular(info.st_mode))
        if max_size is not None and info.st_size > max_size:
            raise NotRead(too_large(info.st_size, max_size))
        data = _read_all(fd, info.st_size, None if max_size is None else max_size + 1)
    except OSError as err:
        raise NotRead(f"cannot read file: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if max_size is not None and len(data) > max_size:  # it grew after the size was taken
        raise NotRead(too_large(len(data), max_size))
    return data


def _read_all(fd: int, size: int, limit: int | None) -> bytes:
    """Up to `limit` bytes from `fd` (all without one), asking first for one byte more than
    `size`, what the file held when it was stat-ed: one read for a file that did not change. A
    buffered `read(limit)` would set aside room for the whole limit (256 MiB) on every file."""
    chunks: list[bytes] = []
    total = 0
    want = size + 1
    while limit is None or total < limit:
        chunk = os.read(fd, want if limit is None else min(want, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = 1 << 20
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_text(path: str | Path, follow: bool = True) -> str | None:
    """A file's text, decoded as `load` decodes it (UTF-8 with replacement characters where it
    does not decode), for re-reading positions and source lines; None when it is not a regular
    file or cannot be read."""
    try:
        raw = read_bytes(path, None, follow)
    except NotRead:
        return None
    text = decode(raw, str(path))[0]
    if text is None:  # shown as best it can be: UTF-16 without a mark reads as its ASCII
        text = raw.decode("utf-8", errors="replace").replace("\x00", "")
    return text
