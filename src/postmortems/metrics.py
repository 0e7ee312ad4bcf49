"""Lifecycle durations, each defined once.

- TTD, time to detect      = detected − started
- TTA, time to acknowledge = acknowledged − detected
- TTM, time to mitigate    = mitigated − started
- TTR, time to resolve     = resolved − started
- impact duration          = mitigated − started

A metric is None when either timestamp is missing. Peers disagree on these (some
measure TTR from detection); ``start`` lets a configuration choose another start point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from postmortems.model import Lifecycle, Postmortem

StartPoint = Literal["started", "detected"]


def _between(a: dt.datetime | None, b: dt.datetime | None) -> dt.timedelta | None:
    if a is None or b is None:
        return None
    return b - a


def _start(lifecycle: Lifecycle, start: StartPoint) -> dt.datetime | None:
    return lifecycle.detected_at if start == "detected" else lifecycle.started_at


def ttd(pm: Postmortem) -> dt.timedelta | None:
    return _between(pm.lifecycle.started_at, pm.lifecycle.detected_at)


def tta(pm: Postmortem) -> dt.timedelta | None:
    return _between(pm.lifecycle.detected_at, pm.lifecycle.acknowledged_at)


def ttm(pm: Postmortem, start: StartPoint = "started") -> dt.timedelta | None:
    return _between(_start(pm.lifecycle, start), pm.lifecycle.mitigated_at)


def ttr(pm: Postmortem, start: StartPoint = "started") -> dt.timedelta | None:
    return _between(_start(pm.lifecycle, start), pm.lifecycle.resolved_at)


def impact_duration(pm: Postmortem) -> dt.timedelta | None:
    return _between(pm.lifecycle.started_at, pm.lifecycle.mitigated_at)


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    value: dt.timedelta | None


def all_metrics(pm: Postmortem, start: StartPoint = "started") -> list[Metric]:
    return [
        Metric("TTD", "time to detect", ttd(pm)),
        Metric("TTA", "time to acknowledge", tta(pm)),
        Metric("TTM", "time to mitigate", ttm(pm, start)),
        Metric("TTR", "time to resolve", ttr(pm, start)),
        Metric("impact", "impact duration", impact_duration(pm)),
    ]


def format_duration(value: dt.timedelta | None) -> str:
    """``1h 30m``, ``45m``, ``2d 3h``; ``—`` when unknown; negative durations keep their sign."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if seconds and not days:
        parts.append(f"{seconds}s")
    return sign + (" ".join(parts) or "0m")


def spell_duration(value: dt.timedelta) -> str:
    """Words for prose: '30 minutes', '1 hour 30 minutes', '2 days 3 hours' (to the minute)."""
    total = round(value.total_seconds() / 60)
    days, rest = divmod(total, 1440)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not parts:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
