"""A one-line "checked N/M files" counter on stderr, for long runs at a terminal only.

CI logs and pipes never see it: a CI log keeps every carriage-return redraw as noise, and a
machine reading stderr wants only real messages. So it appears only when stderr is a terminal,
`CI` is unset (some runners fake a terminal), and the run reads enough files to be worth it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

MANY_FILES = 200
REDRAW_SECONDS = 0.1


def terminal_progress(
    stream: TextIO, environ: Mapping[str, str] | None = None
) -> Callable[[int, int], None] | None:
    """A progress callback `(done, total)` for `faqlint.run.check`, or None where none belongs."""
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("GITHUB_ACTIONS") or env.get("TF_BUILD"):
        return None
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # a closed or unusual stream: no terminal
        return None
    return _Counter(stream).update


class _Counter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if total < MANY_FILES:
            return
        if done >= total:
            if self.shown:
                self.stream.write("\r\033[K")  # leave the terminal as it was
                self.stream.flush()
            return
        now = time.monotonic()
        if now - self.last < REDRAW_SECONDS:
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\rfaqlint: checked {done}/{total} files")
        self.stream.flush()
