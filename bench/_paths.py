"""Where benchmark and evaluation scripts find the optional third-party corpus."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    configured = os.environ.get("POSTMORTEMS_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


def require(path: Path) -> Path:
    if not path.exists():
        sys.exit(
            f"{path} not found: set POSTMORTEMS_SHARED to the folder holding corpus/ and seed/"
        )
    return path
