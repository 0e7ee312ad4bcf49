"""The compiled hot loops (``_scan.c``, built by ``setup.py`` at install), or None where
they could not be built: each user then takes its polars way, which gives the same."""

from __future__ import annotations

from typing import Any

SCAN: Any
try:
    from . import _scan as SCAN  # type: ignore[attr-defined, no-redef]
except ImportError:  # no compiler at install
    SCAN = None
