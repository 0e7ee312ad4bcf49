"""Lifecycle durations in minutes, by DESIGN.md's definitions in `postmortems.metrics`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from postmortems import metrics
from postmortems.model import Postmortem

_METRICS: dict[str, Callable[[Postmortem], dt.timedelta | None]] = {
    "ttd": metrics.ttd,
    "tta": metrics.tta,
    "ttm": metrics.ttm,
    "ttr": metrics.ttr,
    "impact_duration": metrics.impact_duration,
}


def lifecycle_minutes(pm: Postmortem) -> dict[str, float]:
    """Each metric the lifecycle allows, in minutes; the others are absent."""
    result: dict[str, float] = {}
    for name, metric in _METRICS.items():
        delta = metric(pm)
        if delta is not None:
            result[name] = delta.total_seconds() / 60
    return result
