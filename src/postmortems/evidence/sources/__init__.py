"""The table of evidence sources, by name (the names ``--type`` accepts).

Each source is a module of this package exposing ``SOURCE`` (see ``base.Source``). Modules
are imported on first use and one that is missing or broken is left out (and reported by
``unavailable``) so the others keep working.
"""

from __future__ import annotations

import importlib

from postmortems.errors import InputError
from postmortems.evidence.sources.base import Source

# Module names, in the order ties in format detection are broken.
SOURCE_MODULES = (
    "journald",
    "syslog",
    "access_log",
    "jsonlines",
    "logfmt",
    "alertmanager",
    "grafana",
    "pagerduty",
    "opsgenie",
    "slack",
    "github",
    "gitlog",
    "csv_source",
    "generic",  # last: the fallback for any timestamped text log
)

_loaded: dict[str, Source] | None = None
_unavailable: dict[str, str] = {}


def all_sources() -> dict[str, Source]:
    """Every available source by its name."""
    global _loaded
    if _loaded is None:
        loaded: dict[str, Source] = {}
        for module_name in SOURCE_MODULES:
            try:
                module = importlib.import_module(f"{__name__}.{module_name}")
                source: Source = module.SOURCE
            except Exception as exc:
                _unavailable[module_name] = f"{type(exc).__name__}: {exc}"
                continue
            loaded[source.name] = source
        _loaded = loaded
    return _loaded


def unavailable() -> dict[str, str]:
    """Source modules that could not be loaded, with why."""
    all_sources()
    return dict(_unavailable)


def get_source(name: str) -> Source:
    """The source called ``name`` (also accepting its module name, e.g. ``csv_source``)."""
    sources = all_sources()
    if name in sources:
        return sources[name]
    for module_name in SOURCE_MODULES:
        module_source = sources.get(module_name.removesuffix("_source"))
        if name == module_name and module_source is not None:
            return module_source
    known = ", ".join(sorted(sources))
    raise InputError(f"unknown evidence type {name!r}; known types: {known}")
