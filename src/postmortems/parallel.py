"""Work on many files on every core, with results in the order of the files.

Worker processes are forked, so they inherit the work and its setup (loaded rules,
configurations, caches) instead of receiving it pickled; only each item's result travels
back. Small batches, and platforms without ``fork``, run in this process: the same
results, one after the other.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items per worker, starting the workers costs more than it saves.
MIN_ITEMS_PER_WORKER = 8

# What the forked workers inherit: the function and the items (set just before forking).
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run(index: int) -> Any:
    assert _work is not None
    function, items = _work
    return function(items[index])


def map_in_order(
    function: Callable[[Item], Result], items: Sequence[Item], jobs: int | None = None
) -> Iterator[Result]:
    """``function`` over ``items``, on up to ``jobs`` processes (default: every CPU),
    yielding results in the order of ``items`` as soon as each is ready."""
    global _work
    workers = min(jobs or available_cpus(), len(items) // MIN_ITEMS_PER_WORKER)
    if workers < 2:
        yield from map(function, items)  # no workers: multiprocessing is not even loaded
        return
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    # Buffered output would be written again by every worker that inherits it.
    sys.stdout.flush()
    sys.stderr.flush()
    _work = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, min(32, len(items) // (workers * 8)))
            yield from pool.imap(_run, range(len(items)), chunksize=chunk)
    finally:
        _work = None
