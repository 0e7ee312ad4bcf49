"""When the columnar engine reads a file, and the way back when it cannot."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TypeVar

from postmortems.evidence.sources._io import (
    STDIN,
    file_size,
    is_pipe,
    looks_binary,
    read_head,
    stored_as_read,
)
from postmortems.evidence.sources.base import ReadStats

# Below this a file is read as quickly line by line, without loading the engine.
MIN_BYTES = 8 * 1024 * 1024
ENABLED = True
_T = TypeVar("_T")


def eligible(path: str) -> bool:
    """A plain, seekable, text file big enough to be worth the engine."""
    if not ENABLED or path == STDIN or is_pipe(path):
        return False
    if (file_size(path) or 0) < MIN_BYTES or not stored_as_read(path):
        return False
    if looks_binary(read_head(path)):
        return False
    try:
        import polars  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency, but an install may lack it
        return False
    return True


def attempt(stats: ReadStats, run: Callable[[], _T | None]) -> _T | None:
    """``run()``, or None (with ``stats`` as they were) when it returns None (the engine
    does not take the file) or the file has a stretch the engine leaves to the per-line
    reader."""
    from .blocks import CannotCut

    saved = copy.deepcopy(stats)
    try:
        found = run()
    except CannotCut:
        found = None
    if found is None:
        stats.__dict__.update(saved.__dict__)
    return found
