"""Shared test helpers: where fixtures and the optional third-party corpus live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = FIXTURES / "documents"


def shared_dir() -> Path:
    """The folder with third-party material for evaluation (absent on most machines)."""
    configured = os.environ.get("POSTMORTEMS_SHARED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def documents() -> Path:
    return DOCUMENTS
