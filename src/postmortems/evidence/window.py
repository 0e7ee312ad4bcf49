"""The incident window: when the error rate left its baseline and when it came back.

Every event read (before collapsing) is fed to a :class:`MinuteSeries`, which only keeps
three counters per UTC minute: log lines at level error or above, requests seen in access
logs, and of those the 5xx responses. That is cheap enough to run on the hot path.

:func:`find_window` then works on one per-minute signal:

* the **5xx ratio** (5xx / requests) when access logs were read, because it does not move
  with traffic volume; minutes with fewer than ``min_requests`` requests are too noisy to
  judge and count as normal;
* otherwise the **count of error log lines** per minute. Minutes with no line at all
  count as zero.

The method is a robust threshold with hysteresis:

1. Every minute between the first and the last one seen (or ``since``/``until``) gets a
   value; the **baseline** is the median of those values and the **spread** is the median
   absolute deviation scaled by 1.4826 (the standard deviation for normal noise). The
   median ignores the incident itself as long as it covers less than half of the period
   read, which is why evidence usually spans hours around the incident.
2. The **threshold** is ``baseline + max(sigmas × spread, floor)``: the floor (one
   percentage point of 5xx, or three error lines a minute) keeps a perfectly flat
   baseline from turning a single stray error into an incident.
   For the 5xx ratio a minute must also hold more failures than chance explains: with
   ``p`` the pooled 5xx ratio of the minutes under the threshold and ``n`` the minute's
   requests, at least ``min_errors`` and more than ``n·p + poisson_sigmas·√(n·p)``. At 30
   requests a minute one stray 500 is already 3 %; at 300, a few are expected.
3. An **episode** starts at the first of ``start_run`` consecutive minutes above the
   threshold and ends at the first of ``end_run`` consecutive minutes at or below it (a
   short dip inside an outage does not end it); after a normal minute, a single
   anomalous one is noise, and only two in a row carry the episode on. The episode with the largest excess over
   the baseline is the incident; ``end`` is the first normal minute, so the window is
   the half-open interval ``[start, end)``.
4. A **second pass** repeats 1–3 with the baseline and spread taken from the minutes
   outside that episode (when at least ten remain). A long outage lifts the median and
   the spread of the whole period, so that a dip inside it would look normal and end the
   window early; measured against the quiet minutes only, it does not.

If the 5xx ratio finds no episode, the error-line count is tried, so an incident that
only shows in logs is still found. With ``since``/``until`` both given the window is
exactly that; with one of them, it replaces the detected bound and detection only looks
inside the range.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from postmortems.evidence.events import Event, EventKind, Level

MINUTE = timedelta(minutes=1)
_ERROR_LEVELS = frozenset({Level.ERROR, Level.CRITICAL})
_MAD_TO_SIGMA = 1.4826


def minute_of(time: datetime) -> datetime:
    """The UTC minute a time falls in."""
    if time.tzinfo is not UTC:  # sources already give UTC: skip the conversion then
        time = time.astimezone(UTC)
    return time.replace(second=0, microsecond=0)


@dataclass(slots=True)
class MinuteCounts:
    error_lines: int = 0
    requests: int = 0
    server_errors: int = 0


@dataclass
class MinuteSeries:
    """Per-minute counters fed with every event read, before any collapsing."""

    minutes: dict[datetime, MinuteCounts] = field(default_factory=dict)
    # The period logs and access logs cover, quiet minutes included: the baseline's ground.
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    def add(self, event: Event) -> None:
        if event.kind is EventKind.TRAFFIC or event.kind is EventKind.LOG:
            self._seen(event.time)
            if event.last is not None:
                self._seen(event.last)
        if event.kind is EventKind.TRAFFIC:
            requests = _as_int(event.attrs.get("requests"))
            errors = _as_int(event.attrs.get("errors"))
            if requests or errors:
                counts = self._at(event.time)
                counts.requests += requests
                counts.server_errors += errors
        elif event.kind is EventKind.LOG and event.level in _ERROR_LEVELS:
            self._at(event.time).error_lines += max(event.count, 1)

    def add_log_counts(self, minute: datetime, level: Level | None, count: int) -> None:
        """``count`` log lines at ``level`` in ``minute``, for sources that hand over counts
        (a fast path that collapses while reading) instead of every event."""
        self._seen(minute)
        if level in _ERROR_LEVELS:
            self._at(minute).error_lines += count

    def add_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)

    def _seen(self, time: datetime) -> None:
        if self.first_seen is None or time < self.first_seen:
            self.first_seen = time
        if self.last_seen is None or time > self.last_seen:
            self.last_seen = time

    @property
    def has_traffic(self) -> bool:
        return any(c.requests for c in self.minutes.values())

    def span(self) -> tuple[datetime, datetime] | None:
        """First and last minute covered by the logs and access logs read."""
        if self.first_seen is None or self.last_seen is None:
            return None
        return minute_of(self.first_seen), minute_of(self.last_seen)

    def _at(self, time: datetime) -> MinuteCounts:
        key = minute_of(time)
        counts = self.minutes.get(key)
        if counts is None:
            counts = self.minutes[key] = MinuteCounts()
        return counts


def _as_int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class Signal(enum.StrEnum):
    SERVER_ERROR_RATIO = "5xx ratio"
    ERROR_LINES = "error log lines per minute"


class WindowMethod(enum.StrEnum):
    DETECTED = "detected"  # both bounds found in the data
    GIVEN = "given"  # both bounds from --since/--until
    MIXED = "mixed"  # one bound given, the other detected
    NONE = "none"  # nothing anomalous found and no bounds given


@dataclass(frozen=True)
class WindowEvidence:
    """Why the window is where it is, for the draft's evidence appendix."""

    signal: Signal
    baseline: float
    spread: float
    threshold: float
    peak: float
    peak_minute: datetime
    anomalous_minutes: tuple[datetime, ...]
    minutes_examined: int


@dataclass(frozen=True)
class Window:
    """The incident window ``[start, end)`` in UTC; ``None`` bounds were not found."""

    start: datetime | None
    end: datetime | None
    method: WindowMethod
    evidence: WindowEvidence | None = None

    def __contains__(self, time: datetime) -> bool:
        if self.start is not None and time < self.start:
            return False
        return not (self.end is not None and time >= self.end)

    def describe(self) -> str:
        if self.start is None and self.end is None:
            return "no incident window: the error rate never left its baseline"
        bounds = f"{_fmt(self.start)} → {_fmt(self.end)}"
        ev = self.evidence
        if ev is None:
            return f"window {bounds} ({self.method})"
        return (
            f"window {bounds} ({self.method}): {ev.signal} baseline {ev.baseline:.4g}, "
            f"threshold {ev.threshold:.4g}, peak {ev.peak:.4g} at {_fmt(ev.peak_minute)}, "
            f"{len(ev.anomalous_minutes)} anomalous of {ev.minutes_examined} minutes"
        )


def _fmt(time: datetime | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC") if time is not None else "?"


@dataclass(frozen=True)
class WindowOptions:
    sigmas: float = 6.0
    start_run: int = 3
    end_run: int = 5
    min_requests: int = 5
    min_errors: int = 3
    poisson_sigmas: float = 5.0
    ratio_floor: float = 0.01
    count_floor: float = 3.0


def find_window(
    series: MinuteSeries,
    since: datetime | None = None,
    until: datetime | None = None,
    options: WindowOptions | None = None,
) -> Window:
    """The incident window from ``series``, or from ``since``/``until`` when given."""
    if since is not None and until is not None:
        return Window(since, until, WindowMethod.GIVEN)
    opts = options or WindowOptions()
    span = series.span()
    if span is None:
        return Window(since, until, WindowMethod.MIXED if since or until else WindowMethod.NONE)
    first = max(span[0], minute_of(since)) if since else span[0]
    last = min(span[1], minute_of(until) - MINUTE) if until else span[1]
    minutes = _minutes_between(first, last)

    signals = [Signal.SERVER_ERROR_RATIO, Signal.ERROR_LINES] if series.has_traffic else []
    signals = signals or [Signal.ERROR_LINES]
    for signal in signals:
        counts = [series.minutes.get(m) for m in minutes]
        values = [_value(c, signal, opts) for c in counts]
        # Too few 5xx in a minute to mean anything, whatever their ratio.
        found = _detect(minutes, values, counts, signal, opts)
        if found is not None:
            start, end, evidence = found
            method = WindowMethod.MIXED if since or until else WindowMethod.DETECTED
            return Window(since or start, until or end, method, evidence)
    return Window(since, until, WindowMethod.MIXED if since or until else WindowMethod.NONE)


def _minutes_between(first: datetime, last: datetime) -> list[datetime]:
    count = int((last - first) / MINUTE) + 1
    return [first + i * MINUTE for i in range(max(count, 0))]


def _value(counts: MinuteCounts | None, signal: Signal, opts: WindowOptions) -> float:
    if counts is None:
        return 0.0
    if signal is Signal.ERROR_LINES:
        return float(counts.error_lines)
    if counts.requests < opts.min_requests:
        return 0.0
    return counts.server_errors / counts.requests


def _detect(
    minutes: list[datetime],
    values: list[float],
    counts: list[MinuteCounts | None],
    signal: Signal,
    opts: WindowOptions,
) -> tuple[datetime, datetime | None, WindowEvidence] | None:
    if not values:
        return None
    baseline, spread, threshold, anomalous, best = _pass(
        values, counts, signal, opts, range(len(values))
    )
    if best is not None:
        # Once more with the baseline taken outside the episode: a long outage lifts the
        # median and spread of the whole period, and a dip inside it then looks normal.
        _, first_begin, first_end = best
        quiet = [i for i in range(len(values)) if not first_begin <= i < first_end]
        if len(quiet) >= _MIN_QUIET_MINUTES:
            again = _pass(values, counts, signal, opts, quiet)
            if again[4] is not None:
                baseline, spread, threshold, anomalous, best = again
    if best is None:
        return None
    _, begin, end = best
    inside = values[begin:end]
    peak = max(inside)
    evidence = WindowEvidence(
        signal=signal,
        baseline=baseline,
        spread=spread,
        threshold=threshold,
        peak=peak,
        peak_minute=minutes[begin + inside.index(peak)],
        anomalous_minutes=tuple(
            m for m, a in zip(minutes[begin:end], anomalous[begin:end], strict=True) if a
        ),
        minutes_examined=len(values),
    )
    # An episode still open when the data ends has no end: the rate never came back.
    end_time = minutes[end] if end < len(minutes) else None
    return minutes[begin], end_time, evidence


_MIN_QUIET_MINUTES = 10


def _pass(
    values: list[float],
    counts: list[MinuteCounts | None],
    signal: Signal,
    opts: WindowOptions,
    reference: Iterable[int],
) -> tuple[float, float, float, list[bool], tuple[float, int, int] | None]:
    """Baseline and spread from the ``reference`` minutes, then the anomalous minutes and
    the episode with the largest excess over the baseline (excess, begin, end)."""
    sample = [values[i] for i in reference]
    baseline = statistics.median(sample)
    spread = _MAD_TO_SIGMA * statistics.median(abs(v - baseline) for v in sample)
    floor = opts.ratio_floor if signal is Signal.SERVER_ERROR_RATIO else opts.count_floor
    threshold = baseline + max(opts.sigmas * spread, floor)
    anomalous = [v > threshold for v in values]
    if signal is Signal.SERVER_ERROR_RATIO:
        anomalous = _beyond_chance(anomalous, counts, opts)
    best: tuple[float, int, int] | None = None
    for begin, end in _episodes(anomalous, opts.start_run, opts.end_run):
        excess = sum(v - baseline for v in values[begin:end] if v > baseline)
        if best is None or excess > best[0]:
            best = (excess, begin, end)
    return baseline, spread, threshold, anomalous, best


def _beyond_chance(
    above: list[bool], counts: list[MinuteCounts | None], opts: WindowOptions
) -> list[bool]:
    """Of the minutes above the threshold, those with more 5xx than the baseline explains."""
    normal = [c for c, a in zip(counts, above, strict=True) if c is not None and not a]
    requests = sum(c.requests for c in normal)
    pooled = sum(c.server_errors for c in normal) / requests if requests else 0.0
    result = []
    for count, is_above in zip(counts, above, strict=True):
        if not is_above or count is None:
            result.append(False)
            continue
        expected = pooled * count.requests
        needed = max(opts.min_errors, expected + opts.poisson_sigmas * math.sqrt(expected))
        result.append(count.server_errors >= needed)
    return result


def _episodes(
    anomalous: list[bool], start_run: int, end_run: int, resume_run: int = 2
) -> list[tuple[int, int]]:
    """Half-open index ranges ``[begin, end)`` of anomalous episodes, with hysteresis.

    Once a normal minute has been seen, a lone anomalous minute is noise: only a run of
    ``resume_run`` carries the episode on, so one stray minute after an outage does not
    hold the window open.
    """
    found: list[tuple[int, int]] = []
    i, n = 0, len(anomalous)
    while i < n:
        if i + start_run > n or not all(anomalous[i : i + start_run]):
            i += 1
            continue
        last_bad = j = i
        while j < n:
            if anomalous[j] and (j == last_bad + 1 or all(anomalous[j : j + resume_run])):
                last_bad = j
            elif j - last_bad >= end_run:
                break
            j += 1
        found.append((i, last_bad + 1))  # ends at the first normal minute after the last bad
        i = max(j, last_bad + 1)
    return found
