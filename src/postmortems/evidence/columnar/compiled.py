"""The compiled hot loops (``_scan.c``, built by ``setup.py`` at install), or None where
they could not be built: each user then takes its polars way, which gives the same."""

from __future__ import annotations

from typing import Any

SCAN: Any
try:
    from . import _scan as SCAN  # type: ignore[attr-defined, no-redef]
except ImportError:  # no compiler at install
    SCAN = None


class Int64Column:
    """Integers the scan wrote (``count`` of them from the ``start``-th 64-bit one of
    ``data``) as polars takes them in one copy, through the Arrow C data interface:
    ``pl.Series(Int64Column(...))``. Building a Series from Python ints costs ~50 ns each."""

    def __init__(self, data: bytes, start: int, count: int) -> None:
        self.data, self.start, self.count = data, start, count

    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]:
        capsules: tuple[object, object] = SCAN.int64_capsules(self.data, self.start, self.count)
        return capsules
