"""Impact figures from the access logs' per-minute summaries."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postmortems.analysis.impact import compute_impact
from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.window import Window, WindowMethod

T0 = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "analysis" / "access.log"


def minute(m: int, requests: int, errors: int, bad_clients: set[str]) -> Event:
    return Event(
        time=T0 + m * MIN,
        source="nginx",
        kind=EventKind.TRAFFIC,
        text="",
        attrs={
            "requests": requests,
            "errors": errors,
            "client_ids": frozenset(bad_clients | {"ok"}),
            "error_client_ids": frozenset(bad_clients),
        },
    )


def given(start: int, end: int) -> Window:
    return Window(T0 + start * MIN, T0 + end * MIN, WindowMethod.GIVEN)


def test_figures_add_up_over_the_window_only() -> None:
    events = [
        minute(0, 100, 1, {"a"}),  # before the window
        minute(1, 100, 30, {"a", "b"}),
        minute(2, 50, 40, {"b", "c"}),
        minute(3, 100, 0, set()),  # after the window
    ]
    impact = compute_impact(events, given(1, 3))
    assert impact is not None
    assert (impact.requests, impact.failed_requests) == (150, 70)
    assert impact.error_ratio == pytest.approx(70 / 150)
    assert impact.peak_error_rate == pytest.approx(0.8)
    assert impact.peak_minute == T0 + 2 * MIN
    assert impact.clients_affected == 3
    assert impact.minutes_of_impact == 2
    assert [m.failed for m in impact.series] == [30, 40]


def test_two_access_logs_for_the_same_minute_add_up() -> None:
    events = [minute(1, 10, 5, {"a"}), minute(1, 30, 5, {"a", "z"})]
    impact = compute_impact(events, given(1, 2))
    assert impact is not None
    assert (impact.requests, impact.failed_requests, impact.clients_affected) == (40, 10, 2)
    assert impact.peak_error_rate == pytest.approx(0.25)


def test_minutes_without_traffic_are_in_the_series_as_zero() -> None:
    impact = compute_impact([minute(1, 10, 1, {"a"}), minute(4, 10, 2, {"b"})], given(1, 5))
    assert impact is not None
    assert [m.requests for m in impact.series] == [10, 0, 0, 10]
    assert (impact.minutes_of_impact, impact.minutes_with_errors) == (4, 2)


def test_no_access_logs_or_no_window_means_no_impact_figures() -> None:
    log = Event(time=T0, source="syslog", kind=EventKind.LOG, text="x")
    assert compute_impact([log], given(0, 5)) is None
    assert compute_impact([minute(0, 1, 1, {"a"})], Window(None, None, WindowMethod.NONE)) is None


_LINE = re.compile(
    r'^(\S+) \S+ \S+ \[(\d\d/\w{3}/\d{4}:\d\d:\d\d):\d\d [+-]\d{4}\] "[^"]*" (\d{3}) '
)


def test_impact_equals_what_the_fixture_access_log_says() -> None:
    """Read the fixture through the access-log source and compare with a count done here."""
    from postmortems.evidence.gather import GatherOptions, gather

    # Independent count: 09:04 to 09:08 (exclusive), straight from the text.
    start, end = T0 + 4 * MIN, T0 + 8 * MIN
    requests = failed = 0
    bad_clients: set[str] = set()
    per_minute: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in FIXTURE.read_text().splitlines():
        match = _LINE.match(line)
        assert match, line
        ip, stamp, status = match.groups()
        at = datetime.strptime(stamp, "%d/%b/%Y:%H:%M").replace(tzinfo=UTC)
        if start <= at < end:
            requests += 1
            per_minute[stamp][0] += 1
            if status.startswith("5"):
                failed += 1
                per_minute[stamp][1] += 1
                bad_clients.add(ip)
    peak = max(f / r for r, f in per_minute.values())

    result = gather([str(FIXTURE)], GatherOptions(redact=False))
    impact = compute_impact(result.traffic, Window(start, end, WindowMethod.GIVEN))
    assert impact is not None
    assert (impact.requests, impact.failed_requests) == (requests, failed)
    assert impact.clients_affected == len(bad_clients)
    assert impact.peak_error_rate == pytest.approx(peak)
    assert impact.minutes_of_impact == 4
    # and the detector finds the same four minutes on its own
    assert (result.window.start, result.window.end) == (start, end)
