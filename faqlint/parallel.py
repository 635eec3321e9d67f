"""Spread independent work (reading files, evaluating tenants) over worker processes.

Workers are forked, so they start with everything the parent already loaded (the catalogue,
compiled rules) and only the work items and results cross between processes, as plain picklable
values. Results come back in input order, so a run's output never depends on the number of
workers. Small runs (a pre-commit hook on a few files) stay in one process: starting workers
would cost more than it saves. Where fork is unavailable (Windows, macOS by default) every run
stays in one process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
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
    """How many processes to use: `jobs` (None: one per available CPU), and only one for small
    runs or where processes cannot be forked."""
    if items < MINIMUM_ITEMS:
        return 1
    import multiprocessing  # only large runs pay for it

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = jobs if jobs else available_cpus()
    return max(1, min(wanted, items))


def shared() -> Any:
    """The state given to `Workers`, in the parent and in every worker."""
    return _shared


class Workers:
    """A pool of `count` forked workers sharing `state` (none when `count` is 1), used for
    every parallel stage of a run so that processes start once."""

    def __init__(self, count: int, state: Any) -> None:
        self.count = count
        self.state = state
        self._pool: Any = None

    def __enter__(self) -> Workers:
        global _shared
        _shared = self.state
        if self.count > 1:
            import gc
            import multiprocessing

            # What the parent holds (modules, the catalogue, compiled rules) is not garbage while
            # the workers live: frozen, the collector in each worker does not walk it, and so
            # does not copy the pages the workers share with the parent. Thawed on exit.
            gc.freeze()
            self._pool = multiprocessing.get_context("fork").Pool(self.count)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        global _shared
        if self._pool is not None:
            import gc

            self._pool.terminate()
            self._pool.join()
            gc.unfreeze()
        _shared = None

    def map(self, function: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
        """`function` over `items`, results in input order."""
        if self._pool is None:
            return (function(item) for item in items)
        chunk = max(1, len(items) // (self.count * 8))
        results: Iterator[Result] = self._pool.imap(function, items, chunksize=chunk)
        return results
