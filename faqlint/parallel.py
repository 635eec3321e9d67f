"""Spread independent work (reading files, evaluating tenants) over worker processes.

Workers are forked, so they start with everything the parent already loaded (the catalogue,
compiled rules) and only the work items and results cross between processes, as plain picklable
values. Results come back in input order, so a run's output never depends on the number of
workers. Small runs (a pre-commit hook on a few files) stay in one process: starting workers
would cost more than it saves. Where fork is unavailable (Windows, macOS by default) every run
stays in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MINIMUM_ITEMS = 200  # below this, one process is faster than starting workers

_shared: Any = None  # what every worker needs: set before the pool forks, inherited by it


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def workers_for(jobs: int | None, items: int) -> int:
    """How many processes to use: `jobs` (None or 0: one per available CPU), and only one for
    small runs or where processes cannot be forked."""
    if items < MINIMUM_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = jobs if jobs else available_cpus()
    return max(1, min(wanted, items))


def shared() -> Any:
    return _shared


def map_ordered(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    state: Any,
) -> Iterator[Result]:
    """`function` over `items` in order; `function` reads what it needs from `shared()`."""
    global _shared
    _shared = state
    try:
        if workers <= 1:
            yield from (function(item) for item in items)
            return
        chunk = max(1, len(items) // (workers * 8))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(function, items, chunksize=chunk)
    finally:
        _shared = None
