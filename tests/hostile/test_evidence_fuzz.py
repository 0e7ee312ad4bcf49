"""Generated evidence with hostile text, for every source: no record's text is lost.

Each source gets records in its own format whose text is hostile: control characters, bidi
controls, NUL, CR and lone CR, invalid UTF-8, very long lines, deeply nested JSON. Every
record carries a marker word. The promise, per source: every record either reaches an
event with all of its words, or is counted as unparsed (a drop is counted and reported,
never silent); and through `gather`, the events' collapsed counts plus the unparsed lines
account for every record.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from postmortems.evidence.events import Event
from postmortems.evidence.gather import GatherOptions, gather
from postmortems.evidence.sources import all_sources
from postmortems.evidence.sources.base import ReadOptions, ReadStats

START = datetime(2026, 3, 14, 14, 0, tzinfo=UTC)
WORD = re.compile(r"[A-Za-z0-9]+")

HOSTILE = [
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\u009b31m",
    "\u202e",
    "\u2066",
    "\u200f",
    "\x00",
    "\r",
    "\t",
    "\udcff",  # an undecodable byte once written (surrogateescape)
    "\ufeff",
    "é",
    "\u2028",
    '"',
    "\\",
    "{",
    "[",
    "=",
    ",",
    "<@U1>",
]
texts = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE),
        st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=12),
        st.from_regex(r"[a-z]{1,8}[0-9]{0,3}", fullmatch=True),
    ),
    max_size=12,
).map(" ".join)
records = st.lists(texts, min_size=1, max_size=8)


def _at(i: int) -> datetime:
    return START + timedelta(seconds=7 * i)


def _iso(i: int) -> str:
    return _at(i).strftime("%Y-%m-%dT%H:%M:%SZ")


def _syslog(items: list[str]) -> str:
    return "".join(f"{_at(i):%b %d %H:%M:%S} web1 app[1]: {t}\n" for i, t in enumerate(items))


def _generic(items: list[str]) -> str:
    return "".join(f"{_iso(i)} ERROR {t}\n" for i, t in enumerate(items))


def _jsonlines(items: list[str]) -> str:
    return "".join(
        json.dumps({"ts": _iso(i), "level": "error", "msg": t}) + "\n" for i, t in enumerate(items)
    )


def _logfmt(items: list[str]) -> str:
    quoted = [t.replace("\\", "\\\\").replace('"', '\\"') for t in items]
    return "".join(f'ts={_iso(i)} level=error msg="{t}"\n' for i, t in enumerate(quoted))


def _journald(items: list[str]) -> str:
    return "".join(
        json.dumps(
            {
                "__REALTIME_TIMESTAMP": str(int(_at(i).timestamp() * 1_000_000)),
                "_HOSTNAME": "web1",
                "PRIORITY": "3",
                "MESSAGE": t,
            }
        )
        + "\n"
        for i, t in enumerate(items)
    )


def _csv(items: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["time", "level", "message"])
    writer.writerows([_iso(i), "error", t] for i, t in enumerate(items))
    return out.getvalue()


def _alertmanager(items: list[str]) -> str:
    return "".join(
        json.dumps(
            {
                "receiver": "pager",
                "status": "firing",
                "alerts": [
                    {
                        "status": "firing",
                        "labels": {"alertname": f"Alert{i}", "severity": "critical"},
                        "annotations": {"summary": t},
                        "startsAt": _iso(i),
                    }
                ],
            }
        )
        + "\n"
        for i, t in enumerate(items)
    )


def _slack(items: list[str]) -> str:
    messages = [
        {"type": "message", "user": "U1", "text": t, "ts": f"{_at(i).timestamp():.6f}"}
        for i, t in enumerate(items)
    ]
    return json.dumps(messages)


def _gitlog(items: list[str]) -> str:
    return "".join(
        f"commit {i:040x}\nAuthor: Dana Okafor <dana@example.com>\n"
        f"Date:   {_at(i):%a %b %d %H:%M:%S %Y} +0000\n\n    {t}\n\n"
        for i, t in enumerate(items)
    )


def _ndjson(documents: list[dict[str, object]]) -> str:
    return "".join(json.dumps(d) + "\n" for d in documents)


def _pagerduty(items: list[str]) -> str:
    return _ndjson(
        [
            {
                "event": {
                    "event_type": "incident.triggered",
                    "occurred_at": _iso(i),
                    "agent": {"summary": "Dana Okafor", "type": "user_reference"},
                    "data": {"id": f"P{i}", "number": i, "title": t, "type": "incident"},
                }
            }
            for i, t in enumerate(items)
        ]
    )


def _opsgenie(items: list[str]) -> str:
    return _ndjson(
        [
            {
                "action": "Create",
                "alert": {
                    "alertId": f"a{i}",
                    "message": t,
                    "createdAt": int(_at(i).timestamp() * 1000),
                    "priority": "P1",
                },
                "source": {"name": "monitor"},
            }
            for i, t in enumerate(items)
        ]
    )


def _github(items: list[str]) -> str:
    # A commit shows its subject line: the record's text is written as one line.
    return _ndjson(
        [
            {
                "ref": "refs/heads/main",
                "repository": {"full_name": "shop/checkout"},
                "commits": [
                    {
                        "id": f"{i:040x}",
                        "message": " ".join(t.splitlines()),
                        "timestamp": _iso(i),
                        "author": {"name": "Dana Okafor"},
                    }
                ],
            }
            for i, t in enumerate(items)
        ]
    )


def _grafana(items: list[str]) -> str:
    return _ndjson(
        [
            {"ruleName": f"Rule{i}", "state": "alerting", "message": t, "time": _iso(i)}
            for i, t in enumerate(items)
        ]
    )


FORMATS: dict[str, tuple[str, Callable[[list[str]], str]]] = {
    "syslog": ("app.log", _syslog),
    "generic": ("app.log", _generic),
    "jsonlines": ("app.jsonl", _jsonlines),
    "logfmt": ("app.log", _logfmt),
    "journald": ("journal.json", _journald),
    "csv": ("notes.csv", _csv),
    "alertmanager": ("alerts.ndjson", _alertmanager),
    "slack": ("incident/2026-03-14.json", _slack),
    "gitlog": ("git.log", _gitlog),
    "pagerduty": ("pagerduty.ndjson", _pagerduty),
    "opsgenie": ("opsgenie.ndjson", _opsgenie),
    "github": ("github.ndjson", _github),
    "grafana": ("grafana.ndjson", _grafana),
}
SOURCES = all_sources()


def _marked(items: list[str]) -> list[str]:
    return [f"mark{i}x {text}" for i, text in enumerate(items)]


def _event_words(event: Event) -> set[str]:
    shown = [event.text, event.host or "", event.service or "", event.actor or ""]
    shown += [str(value) for value in event.attrs.values()]
    return set(WORD.findall(" ".join(shown)))


def _write(folder: Path, name: str, items: list[str], crlf: bool = False) -> Path:
    file_name, render = FORMATS[name]
    path = folder / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render(items)
    if crlf:  # as Windows tools end lines; no record's own text holds a newline
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


def _check_source(name: str, items: list[str], crlf: bool) -> None:
    items = _marked(items)
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), name, items, crlf)
        stats = ReadStats(path=str(path), source=name)
        events = list(SOURCES[name].read(str(path), ReadOptions(include_noise=True), stats))
        lost = []
        for i, text in enumerate(items):
            marker = f"mark{i}x"
            holders = [e for e in events if marker in _event_words(e)]
            if not holders:
                lost.append(i)
                continue
            missing = set(WORD.findall(text)) - set().union(*map(_event_words, holders))
            assert not missing, (name, text[:300], missing, [e.text[:300] for e in holders])
        # A record that reached no event must be counted as unparsed, not dropped silently.
        assert len(lost) <= stats.lines_unparsed, (name, [items[i][:300] for i in lost], stats)

        result = gather(
            [str(path)], GatherOptions(source_type=name, redact=False, include_noise=True)
        )
        accounted = sum(e.count for e in result.events) + len(result.traffic)
        unparsed = sum(s.lines_unparsed for s in result.stats)
        assert accounted + unparsed >= len(items), (name, accounted, unparsed, result.stats)
        assert result.exit_code() in (0, 2)


@pytest.mark.parametrize("name", FORMATS)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(items=records, crlf=st.booleans())
@example(items=["x" * 200_000], crlf=False)
@example(items=["lone\rcarriage\rreturns", "nul\x00byte", "\u202eoverride"], crlf=True)
def test_every_record_reaches_the_output_or_is_counted(
    name: str, items: list[str], crlf: bool
) -> None:
    _check_source(name, items, crlf)


@pytest.mark.parametrize("name", ["jsonlines", "journald", "alertmanager"])
def test_a_deeply_nested_record_is_counted_not_lost(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), name, ["mark0x fine", "mark1x also fine"])
        deep = b'{"ts": "2026-03-14T14:00:30Z", "msg": "mark2x deep", "x": ' + b"[" * 100_000
        path.write_bytes(path.read_bytes() + deep + b"]" * 100_000 + b"}\n")
        stats = ReadStats(path=str(path), source=name)
        events = list(SOURCES[name].read(str(path), ReadOptions(include_noise=True), stats))
        found = {m for e in events for m in ("mark0x", "mark1x", "mark2x") if m in e.text}
        assert {"mark0x", "mark1x"} <= found
        assert "mark2x" in found or stats.lines_unparsed >= 1


request_lines = st.lists(
    st.one_of(
        st.builds(
            lambda i, path, status: (
                f"10.0.0.{i % 250} - - [14/Mar/2026:14:{i % 60:02d}:00 +0000] "
                f'"GET /{path} HTTP/1.1" {status} 512 "-" "curl/8"'
            ),
            st.integers(0, 10_000),
            st.from_regex(r"[A-Za-z0-9/._%?=&-]{0,30}", fullmatch=True),
            st.sampled_from([200, 301, 404, 500, 503]),
        ),
        texts,  # garbage among the requests
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=40, deadline=None)
@given(lines=request_lines)
def test_every_access_log_line_is_a_counted_request_or_counted_as_not_understood(
    lines: list[str],
) -> None:
    # An access log is summarised per minute: no request's words are shown, but every
    # line is either one request of a minute or one line counted as not understood.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "access.log"
        path.write_bytes("".join(f"{line}\n" for line in lines).encode("utf-8", "surrogateescape"))
        stats = ReadStats(path=str(path), source="access_log")
        events = list(SOURCES["access_log"].read(str(path), ReadOptions(), stats))
        if any("binary" in note for note in stats.notes):
            # Refused whole, and said so: only a file of control bytes, never real requests.
            assert not any('" 200 512' in line or "HTTP/1.1" in line for line in lines)
            return
        requests = sum(int(str(e.attrs.get("requests", 0))) for e in events)
        blank = sum(1 for line in lines if not line.strip())
        assert requests + stats.lines_unparsed + blank >= len(lines), (requests, stats)
        assert requests <= len(lines)
