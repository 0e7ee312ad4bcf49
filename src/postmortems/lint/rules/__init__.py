"""Rule families; importing this package registers every rule in `REGISTRY`."""

from __future__ import annotations

import importlib

FAMILY_MODULES = (
    "engine_codes",
    "hidden_text",
    "completeness",
    "summary",
    "timeline",
    "consistency",
    "blameless",
    "actions",
    "impact",
    "clarity",
)

for _module in FAMILY_MODULES:
    importlib.import_module(f"{__name__}.{_module}")
