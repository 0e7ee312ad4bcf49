"""Shared test helpers: where fixtures and the optional third-party corpus live."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = FIXTURES / "documents"


@pytest.fixture
def documents() -> Path:
    return DOCUMENTS
