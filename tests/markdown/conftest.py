"""Fixtures shared by the tests that score labelled document sets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

READING_EVAL = Path(__file__).resolve().parents[2] / "bench" / "reading_eval.py"


@pytest.fixture(scope="module")
def reading_eval() -> ModuleType:
    """``bench/reading_eval.py`` loaded as a module: the scoring the bench prints."""
    spec = importlib.util.spec_from_file_location("reading_eval", READING_EVAL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["reading_eval"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
