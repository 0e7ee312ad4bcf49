"""User impact inside the incident window, from the per-minute access-log summaries.

Only TRAFFIC events are used: each is one minute of one access log with its request,
5xx and client counts, so the figures here are exactly what the access logs say for the
minutes whose start lies in the window. Several access logs (one per proxy) add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.window import MINUTE, Window, minute_of


@dataclass(frozen=True)
class MinuteImpact:
    """One minute of the window, all access logs together (for plotting)."""

    minute: datetime
    requests: int
    failed: int

    @property
    def error_rate(self) -> float:
        return self.failed / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class Impact:
    requests: int
    failed_requests: int  # 5xx
    clients_affected: int  # distinct clients that got at least one 5xx in the window
    minutes_of_impact: int  # length of the window in whole minutes
    minutes_with_errors: int  # minutes of the window with at least one 5xx
    peak_error_rate: float  # the worst minute's 5xx ratio
    peak_minute: datetime | None
    series: tuple[MinuteImpact, ...]

    @property
    def error_ratio(self) -> float:
        return self.failed_requests / self.requests if self.requests else 0.0


def compute_impact(events: Iterable[Event], window: Window) -> Impact | None:
    """Impact of the incident in ``window``; ``None`` without access logs or a window."""
    if window.start is None:
        return None
    per_minute: dict[datetime, list[int]] = {}
    affected: set[str] = set()
    saw_traffic = False
    for event in events:
        if event.kind is not EventKind.TRAFFIC:
            continue
        saw_traffic = True
        if event.time not in window:
            continue
        counts = per_minute.setdefault(minute_of(event.time), [0, 0])
        counts[0] += _int(event.attrs.get("requests"))
        counts[1] += _int(event.attrs.get("errors"))
        ids = event.attrs.get("error_client_ids")
        if isinstance(ids, frozenset | set | list | tuple):
            affected.update(str(i) for i in ids)
    if not saw_traffic:
        return None

    end = window.end if window.end is not None else max(per_minute, default=window.start)
    first = minute_of(window.start)
    if first < window.start:  # a minute counts when its start lies in the window
        first += MINUTE
    series = []
    minute = first
    while minute < end or (window.end is None and minute == end):
        requests, failed = per_minute.get(minute, (0, 0))
        series.append(MinuteImpact(minute, requests, failed))
        minute += MINUTE
    peak = max(series, key=lambda m: m.error_rate, default=None)
    return Impact(
        requests=sum(m.requests for m in series),
        failed_requests=sum(m.failed for m in series),
        clients_affected=len(affected),
        minutes_of_impact=len(series),
        minutes_with_errors=sum(1 for m in series if m.failed),
        peak_error_rate=peak.error_rate if peak else 0.0,
        peak_minute=peak.minute if peak and peak.failed else None,
        series=tuple(series),
    )


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
