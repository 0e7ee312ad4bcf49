"""Incident scenarios with known ground truth: evidence files plus a ``truth.json``.

One story, told in many formats: a config change lowers the checkout service's payment
deadline, the deploy goes out, checkout starts failing (5xx), an alert fires, the on-call
engineer is paged and acknowledges, the team rolls the deploy back, errors stop, the alert
and the page resolve, and someone pins a summary in the incident channel. Everything is
drawn from a seeded random generator, so the same :class:`ScenarioSpec` always writes
byte-identical files; ``examples/incident/`` is :data:`EXAMPLE` written out, and a test
regenerates it and compares.

What a spec varies:

* **Zones.** ``local_tz`` is the zone the servers write local times in: the access log's
  ``[12/May/2026:16:07:12 +0200]``, the app log's ISO times with their offset, and the
  syslog's zone-less ``May 12 16:07:12``. Reading the syslog right therefore needs
  ``--tz`` (``ReadOptions.default_tz``); ``truth.json`` names that zone under
  ``read_with.default_tz``. Payloads (alerts, pages, GitHub) are in UTC as their senders
  write them, Slack in epoch seconds, git in each author's own offset.
* **Formats.** Host logs as RFC 3164 syslog or ``journalctl -o json``; app logs as JSON
  lines or logfmt; Alertmanager or Grafana; PagerDuty (v3 webhooks) or Opsgenie; with or
  without an access log (without one, the window can only come from error log lines).
* **A skewed clock.** ``skewed_host`` writes every timestamp ``skew`` off (its clock is
  wrong; the others are NTP-synced). The truth is *true* time: the lifecycle, the window
  and the impact come from the access log and the alerting and paging services, whose
  clocks are right, so they do not move; only the skewed host's own lines land ``skew``
  off in the timeline, which ``truth.json`` records under ``skew``.
* **The New Year.** Put ``start`` a few minutes before midnight, 31 December: the syslog
  has no year and crosses into January. The syslog file's modification time is set to its
  last line, as a live log's would be, which is what a year-less reader goes by.
* **Planted secrets.** AWS keys, JWTs, passwords in URLs and ``key=value``, GitHub and
  Slack tokens, email addresses, in log lines and in the chat; ``truth.json`` lists each
  under ``planted`` so a test can check none survives redaction.

Truth times (all UTC): ``start`` the first failing request; ``detected`` the alert's
``startsAt``; ``acknowledged`` the page's acknowledgement; ``mitigated`` the last failing
request; ``resolved`` the later of the alert's and the page's resolution. ``window`` is
what a per-minute detector should find: the minute of ``start`` to the minute after
``mitigated`` (half-open). ``impact`` is counted from the access log lines written, over
the window's minutes.

Run ``python -m postmortems.evidence.scenario OUT_DIR [--preset NAME]`` to write one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

MINUTE = timedelta(minutes=1)
SERVICE = "checkout-api"
HOSTS = ("app-1", "app-2")
CHANNEL_ID = "C05INCCHK"
CHANNEL = "inc-checkout"
REPO = "shopco/checkout-api"


@dataclass(frozen=True)
class ScenarioSpec:
    """Everything that varies between scenarios; the defaults are the example incident."""

    name: str = "checkout-config-deploy"
    seed: int = 20260512
    start: datetime = datetime(2026, 5, 12, 14, 7, 12, tzinfo=UTC)  # first failing request
    impact: timedelta = timedelta(minutes=32, seconds=8)  # until the last failing request
    before: timedelta = timedelta(minutes=100)  # evidence written before the start
    after: timedelta = timedelta(minutes=75)  # and after mitigation
    requests_per_minute: int = 60
    incident_error_ratio: float = 0.35
    local_tz: str = "UTC"
    host_logs: Literal["syslog", "journald"] = "syslog"
    app_logs: Literal["jsonl", "logfmt"] = "jsonl"
    alerting: Literal["alertmanager", "grafana"] = "alertmanager"
    paging: Literal["pagerduty", "opsgenie"] = "pagerduty"
    access_log: bool = True
    skewed_host: str | None = None
    skew: timedelta = timedelta(0)
    plant_secrets: bool = True
    # Tokens in the formats of real providers (GitHub, Slack, Stripe). Off for the committed
    # example, so that secret scanners watching the repository are not set off by fakes.
    provider_tokens: bool = False


EXAMPLE = ScenarioSpec()

PRESETS: dict[str, ScenarioSpec] = {
    "example": EXAMPLE,
    "berlin-journald-grafana-opsgenie": ScenarioSpec(
        name="berlin-journald-grafana-opsgenie",
        provider_tokens=True,
        seed=11,
        start=datetime(2026, 3, 2, 8, 41, 9, tzinfo=UTC),
        impact=timedelta(minutes=21, seconds=40),
        local_tz="Europe/Berlin",
        host_logs="journald",
        app_logs="logfmt",
        alerting="grafana",
        paging="opsgenie",
        requests_per_minute=30,
    ),
    "new-york-clock-skew": ScenarioSpec(
        name="new-york-clock-skew",
        provider_tokens=True,
        seed=12,
        start=datetime(2026, 7, 19, 2, 13, 5, tzinfo=UTC),
        impact=timedelta(minutes=44, seconds=12),
        local_tz="America/New_York",
        skewed_host="app-2",
        skew=timedelta(minutes=7, seconds=30),
        requests_per_minute=30,
    ),
    "new-year-syslog": ScenarioSpec(
        name="new-year-syslog",
        provider_tokens=True,
        seed=13,
        start=datetime(2026, 12, 31, 23, 50, 10, tzinfo=UTC),
        impact=timedelta(minutes=26, seconds=30),
        requests_per_minute=30,
        paging="opsgenie",
    ),
    "logs-only-kolkata": ScenarioSpec(
        name="logs-only-kolkata",
        provider_tokens=True,
        seed=14,
        start=datetime(2026, 9, 8, 10, 2, 14, tzinfo=UTC),
        impact=timedelta(minutes=18, seconds=20),
        local_tz="Asia/Kolkata",
        host_logs="journald",
        app_logs="logfmt",
        access_log=False,
        alerting="grafana",
    ),
    "tokyo-logfmt-alertmanager": ScenarioSpec(
        name="tokyo-logfmt-alertmanager",
        provider_tokens=True,
        seed=15,
        start=datetime(2026, 11, 3, 19, 30, 40, tzinfo=UTC),
        impact=timedelta(minutes=15, seconds=5),
        local_tz="Asia/Tokyo",
        app_logs="logfmt",
        requests_per_minute=40,
        incident_error_ratio=0.6,
    ),
}


@dataclass(frozen=True)
class _Moments:
    """The story's key times, in true UTC."""

    bad_commit: datetime
    deploy_created: datetime
    deploy_done: datetime
    start: datetime
    alert_firing: datetime
    page_triggered: datetime
    acknowledged: datetime
    revert_commit: datetime
    rollback_created: datetime
    rollback_done: datetime
    mitigated: datetime
    alert_resolved: datetime
    page_resolved: datetime
    first: datetime  # evidence begins
    last: datetime  # evidence ends

    @classmethod
    def of(cls, spec: ScenarioSpec) -> _Moments:
        s = spec.start
        end = s + spec.impact
        ack = s + timedelta(minutes=8, seconds=19)
        rollback = max(ack + timedelta(minutes=6), end - timedelta(minutes=6, seconds=40))
        return cls(
            bad_commit=s - timedelta(minutes=58, seconds=21),
            deploy_created=s - timedelta(minutes=5, seconds=44),
            deploy_done=s - timedelta(minutes=2, seconds=51),
            start=s,
            alert_firing=s + timedelta(minutes=3, seconds=2),
            page_triggered=s + timedelta(minutes=3, seconds=37),
            acknowledged=ack,
            revert_commit=rollback - timedelta(minutes=2, seconds=5),
            rollback_created=rollback,
            rollback_done=end - timedelta(seconds=47),
            mitigated=end,
            alert_resolved=end + timedelta(minutes=4, seconds=15),
            page_resolved=end + timedelta(minutes=11, seconds=3),
            first=s - spec.before,
            last=end + spec.after,
        )


# --- small helpers


def _iso(time: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and a Z, as payload senders write it."""
    return time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}Z"


def _minute(time: datetime) -> datetime:
    return time.astimezone(UTC).replace(second=0, microsecond=0)


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _dump(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass
class _Writer:
    """Writes one scenario; holds the seeded RNG and what the truth needs to know."""

    spec: ScenarioSpec
    out: Path
    rng: random.Random = field(init=False)
    at: _Moments = field(init=False)
    zone: tzinfo = field(init=False)
    shas: dict[str, str] = field(default_factory=dict)
    planted: list[dict[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.spec.seed)
        self.at = _Moments.of(self.spec)
        self.zone = ZoneInfo(self.spec.local_tz)

    def failing(self, time: datetime) -> bool:
        return self.at.start <= time <= self.at.mitigated

    def host_clock(self, host: str, time: datetime) -> datetime:
        """What ``host``'s clock said at true ``time``."""
        return time + self.spec.skew if host == self.spec.skewed_host else time

    def plant(self, kind: str, value: str, where: str) -> str:
        if self.spec.plant_secrets and all(p["value"] != value for p in self.planted):
            self.planted.append({"kind": kind, "value": value, "where": where})
        return value

    def seconds(self, begin: datetime, end: datetime, mean_gap: float) -> Iterator[datetime]:
        """Random instants between ``begin`` and ``end``, ``mean_gap`` seconds apart on average."""
        time = begin
        while True:
            time += timedelta(seconds=self.rng.expovariate(1 / mean_gap))
            if time >= end:
                return
            yield time.replace(microsecond=self.rng.randrange(1000) * 1000)

    def record(self, name: str) -> Path:
        self.files.append(name)
        return self.out / name


# --- the access log


_PATHS = (
    ("GET", "/api/products?page={n}", False),
    ("GET", "/api/products/{n}", False),
    ("GET", "/api/cart", True),
    ("POST", "/api/cart/items", True),
    ("POST", "/api/checkout", True),
    ("GET", "/static/app.{h}.js", False),
    ("GET", "/healthz", False),
)
_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "ShopCoApp/5.2.1 (Android 14; Pixel 8)",
    "kube-probe/1.29",
)


def _clients(rng: random.Random, n: int) -> list[str]:
    nets = ("198.51.100", "203.0.113", "192.0.2")
    return [f"{nets[i % 3]}.{rng.randint(1, 254)}" for i in range(n)]


def _write_access_log(w: _Writer) -> dict[str, Any]:
    """The nginx combined log, and the impact figures counted from the very lines written."""
    rng, at = w.rng, w.at
    clients = _clients(rng, 400)
    weights = [1 / (i + 1) for i in range(len(clients))]  # a few heavy users, a long tail
    window = (_minute(at.start), _minute(at.mitigated) + MINUTE)
    per_minute: dict[datetime, list[int]] = {}
    affected: set[str] = set()
    lines: list[str] = []
    minute = _minute(at.first)
    while minute < at.last:
        n = max(1, int(rng.gauss(w.spec.requests_per_minute, w.spec.requests_per_minute * 0.1)))
        for second in sorted(rng.random() * 60 for _ in range(n)):
            time = minute + timedelta(seconds=second)
            client = rng.choices(clients, weights)[0]
            method, template, checkout = rng.choice(_PATHS)
            path = template.format(n=rng.randint(1, 400), h=_hex(rng, 8))
            if checkout and w.failing(time) and rng.random() < w.spec.incident_error_ratio * 2:
                status = rng.choice((502, 503, 504, 504))
            elif rng.random() < 0.002:
                status = 500
            elif rng.random() < 0.03:
                status = rng.choice((400, 401, 404, 404, 429))
            else:
                status = 201 if method == "POST" else 200
            size = 0 if status >= 500 else rng.randint(180, 48000)
            stamp = time.astimezone(w.zone).strftime("%d/%b/%Y:%H:%M:%S %z")
            agent = "kube-probe/1.29" if path == "/healthz" else rng.choice(_AGENTS[:4])
            referer = "-" if path.startswith(("/api", "/healthz")) else "https://shop.example/"
            lines.append(
                f'{client} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} '
                f'"{referer}" "{agent}"'
            )
            if window[0] <= minute < window[1]:
                counts = per_minute.setdefault(minute, [0, 0])
                counts[0] += 1
                if status >= 500:
                    counts[1] += 1
                    affected.add(client)
        minute += MINUTE
    w.record("access.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    requests = sum(c[0] for c in per_minute.values())
    failed = sum(c[1] for c in per_minute.values())
    return {
        "requests": requests,
        "failed_requests": failed,
        "error_ratio": round(failed / requests, 6) if requests else 0.0,
        "peak_error_rate": round(max(f / r for r, f in per_minute.values() if r), 6),
        "clients_affected": len(affected),
        "minutes_of_impact": len(per_minute),
    }


# --- host logs (syslog or journald) and app logs (JSON lines or logfmt)


@dataclass(frozen=True)
class _Line:
    time: datetime  # true time
    host: str
    program: str
    pid: int
    priority: int  # syslog severity: 3 error, 4 warning, 6 info
    message: str


def _host_lines(w: _Writer) -> list[_Line]:
    rng, at = w.rng, w.at
    pids = {host: rng.randint(1200, 4800) for host in HOSTS}
    lines: list[_Line] = []

    def api(time: datetime, host: str, priority: int, message: str) -> None:
        lines.append(_Line(time, host, SERVICE, pids[host], priority, message))

    for host in HOSTS:
        for time in w.seconds(at.first, at.last, 25):
            kind = rng.random()
            if kind < 0.5:
                api(
                    time,
                    host,
                    6,
                    f"cache refresh done in {rng.randint(3, 40)}ms, {rng.randint(900, 1200)} products",
                )
            elif kind < 0.7:
                lines.append(
                    _Line(
                        time,
                        host,
                        "CRON",
                        rng.randint(20000, 30000),
                        6,
                        "(root) CMD (/usr/local/bin/rotate-sessions --max-age 24h)",
                    )
                )
            elif kind < 0.85:
                lines.append(
                    _Line(
                        time,
                        host,
                        "sshd",
                        rng.randint(20000, 30000),
                        6,
                        f"Accepted publickey for deploy from 10.20.{rng.randint(0, 9)}.{rng.randint(2, 250)} port {rng.randint(40000, 60000)} ssh2",
                    )
                )
            else:
                lines.append(
                    _Line(
                        time,
                        host,
                        "systemd",
                        1,
                        6,
                        f"Started Session {rng.randint(100, 999)} of user deploy.",
                    )
                )
        api(
            at.deploy_done + timedelta(seconds=HOSTS.index(host) * 9 + 4),
            host,
            5,
            "config reloaded from /etc/checkout/config.yaml: payment.deadline 2000ms -> 250ms",
        )
        api(
            at.rollback_done + timedelta(seconds=HOSTS.index(host) * 7 - 20),
            host,
            5,
            "config reloaded from /etc/checkout/config.yaml: payment.deadline 250ms -> 2000ms",
        )
        for time in w.seconds(at.start, at.mitigated, 1.6):
            if rng.random() < 0.9:
                api(
                    time,
                    host,
                    3,
                    f"ERROR payment-gw call failed: context deadline exceeded after 250ms order={_hex(rng, 12)}",
                )
            else:
                api(time, host, 4, "WARN circuit breaker payment-gw is half-open, retrying")
    mid = at.start + (at.mitigated - at.start) / 2
    password = w.plant("password", "Pg-" + _token(rng, 14), "host logs")
    api(
        mid,
        "app-1",
        4,
        f"WARN retrying orders db at postgres://checkout:{password}@db-primary.internal:5432/orders",
    )
    aws = w.plant(
        "aws-access-key",
        "AKIA" + _token(rng, 16, string.ascii_uppercase + string.digits),
        "host logs",
    )
    api(
        mid + timedelta(seconds=41),
        "app-2",
        6,
        f"receipts uploader using access key {aws} for bucket shopco-receipts",
    )
    lines.sort(key=lambda line: line.time)  # the order the collector received them
    return lines


def _write_syslog(w: _Writer, lines: list[_Line]) -> None:
    out = []
    for line in lines:
        local = w.host_clock(line.host, line.time).astimezone(w.zone)
        stamp = f"{local:%b} {local.day:>2} {local:%H:%M:%S}"
        out.append(f"{stamp} {line.host} {line.program}[{line.pid}]: {line.message}")
    path = w.record("syslog")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    last = w.host_clock(lines[-1].host, lines[-1].time).timestamp()
    os.utime(path, (last, last))  # a live log's mtime is its last write


def _write_journald(w: _Writer, lines: list[_Line]) -> None:
    boot = {host: _hex(w.rng, 32) for host in HOSTS}
    out = []
    for n, line in enumerate(lines):
        clock = w.host_clock(line.host, line.time)
        usec = int(clock.timestamp()) * 1_000_000 + clock.microsecond
        entry = {
            "__CURSOR": f"s={boot[line.host]};i={n + 1:x}",
            "__REALTIME_TIMESTAMP": str(usec),
            "_BOOT_ID": boot[line.host],
            "_HOSTNAME": line.host,
            "PRIORITY": str(line.priority),
            "SYSLOG_IDENTIFIER": line.program,
            "_PID": str(line.pid),
            "_SYSTEMD_UNIT": f"{line.program}.service" if line.program == SERVICE else "",
            "MESSAGE": line.message,
        }
        out.append(json.dumps(entry))
    w.record("journal.json").write_text("\n".join(out) + "\n", encoding="utf-8")


_LEVEL_NAMES = {3: "error", 4: "warn", 5: "info", 6: "info"}


def _app_lines(w: _Writer) -> list[tuple[datetime, str, str, str, dict[str, str]]]:
    """(true time, host, level, message, extra fields) of the checkout app's own log."""
    rng, at = w.rng, w.at
    out: list[tuple[datetime, str, str, str, dict[str, str]]] = []
    for time in w.seconds(at.first, at.last, 9):
        host = rng.choice(HOSTS)
        if rng.random() < 0.6:
            message = f"order placed total={rng.randint(5, 400)}.{rng.randint(0, 99):02d} EUR items={rng.randint(1, 6)}"
        else:
            message = f"cart updated items={rng.randint(1, 9)}"
        out.append((time, host, "info", message, {"trace_id": _hex(rng, 32)}))
    for time in w.seconds(at.start, at.mitigated, 2.5):
        host = rng.choice(HOSTS)
        message = "checkout failed: payment authorisation exceeded deadline (250ms)"
        out.append((time, host, "error", message, {"trace_id": _hex(rng, 32), "status": "504"}))
    mid = at.start + (at.mitigated - at.start) / 3
    jwt = w.plant("jwt", _jwt(rng), "app log")
    out.append(
        (mid, "app-1", "debug", f"payment-gw request headers: Authorization: Bearer {jwt}", {})
    )
    email = w.plant("email", "marta.oyelaran@customers.example", "app log")
    prefix = "sk_live_" if w.spec.provider_tokens else ""
    key = w.plant("api-key", prefix + _token(rng, 32), "app log")
    out.append(
        (
            mid + timedelta(seconds=75),
            "app-2",
            "warn",
            f"receipt email to {email} deferred, api_key={key}",
            {},
        )
    )
    out.sort(key=lambda row: row[0])
    return out


def _jwt(rng: random.Random) -> str:
    header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    alphabet = string.ascii_letters + string.digits + "-_"
    return f"{header}.eyJ{_token(rng, 40, alphabet)}.{_token(rng, 43, alphabet)}"


def _write_app_log(w: _Writer) -> None:
    out = []
    for time, host, level, message, extra in _app_lines(w):
        local = w.host_clock(host, time).astimezone(w.zone)
        stamp = local.isoformat(timespec="milliseconds")
        if w.spec.app_logs == "jsonl":
            row = {"ts": stamp, "level": level, "service": SERVICE, "host": host, "msg": message}
            out.append(json.dumps(row | extra))
        else:
            fields = " ".join(f"{k}={v}" for k, v in extra.items())
            out.append(
                f'ts={stamp} level={level} service={SERVICE} host={host} msg="{message}" {fields}'.rstrip()
            )
    name = "app.jsonl" if w.spec.app_logs == "jsonl" else "app.logfmt"
    w.record(name).write_text("\n".join(out) + "\n", encoding="utf-8")


# --- alerts and pages


_ZERO_TIME = "0001-01-01T00:00:00Z"


def _alert_bodies(w: _Writer) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(webhook bodies, truth of each alert start/end)."""
    at = w.at
    alerts = [
        (
            "CheckoutHighErrorRate",
            "critical",
            at.alert_firing,
            at.alert_resolved,
            "5xx ratio above 5% on checkout-api",
        ),
        (
            "CheckoutLatencyHigh",
            "warning",
            at.alert_firing + timedelta(minutes=2, seconds=30),
            at.alert_resolved - timedelta(minutes=1),
            "p95 latency above 1s on checkout-api",
        ),
    ]
    grafana = w.spec.alerting == "grafana"
    bodies, truth = [], []
    for status in ("firing", "resolved"):
        items = []
        for name, severity, starts, ends, summary in alerts:
            labels = {
                "alertname": name,
                "service": SERVICE,
                "severity": severity,
                "env": "production",
            }
            fingerprint = hashlib.sha1(name.encode()).hexdigest()[:16]
            item: dict[str, Any] = {
                "status": status,
                "labels": labels,
                "annotations": {
                    "summary": summary,
                    "runbook_url": "https://runbooks.shop.example/checkout",
                },
                "startsAt": _iso(starts),
                "endsAt": _iso(ends) if status == "resolved" else _ZERO_TIME,
                "generatorURL": f"https://prometheus.shop.example/graph?g0.expr=checkout_{name.lower()}",
                "fingerprint": fingerprint,
            }
            if grafana:
                item["values"] = {"A": 0.31 if status == "firing" else 0.004}
                item["dashboardURL"] = "https://grafana.shop.example/d/checkout"
            items.append(item)
            truth.append(
                {"name": name, "status": status, "at": _iso(starts if status == "firing" else ends)}
            )
        body: dict[str, Any] = {
            "receiver": "checkout-oncall",
            "status": status,
            "alerts": items,
            "groupLabels": {"service": SERVICE},
            "commonLabels": {"service": SERVICE, "env": "production"},
            "commonAnnotations": {},
            "externalURL": "https://alertmanager.shop.example"
            if not grafana
            else "https://grafana.shop.example/",
            "version": "4" if not grafana else "1",
            "groupKey": '{}:{service="checkout-api"}',
            "truncatedAlerts": 0,
        }
        if grafana:
            body |= {
                "orgId": 1,
                "title": f"[{status.upper()}:2] checkout-api",
                "state": "alerting" if status == "firing" else "ok",
                "message": f"{len(items)} alerts {status} for checkout-api",
            }
        bodies.append(body)
    return bodies, truth


def _write_alerts(w: _Writer) -> list[dict[str, Any]]:
    bodies, truth = _alert_bodies(w)
    _dump(w.record(f"{w.spec.alerting}.json"), bodies)
    return truth


_RESPONDER = ("Dana Whitfield", "PDANAW1", "dana.whitfield@shop.example")
_SECOND = ("Ravi Chaudhary", "PRAVIC2", "ravi.chaudhary@shop.example")


def _write_pages(w: _Writer) -> list[dict[str, str]]:
    at = w.at
    steps = [
        ("triggered", at.page_triggered, None),
        ("acknowledged", at.acknowledged, _RESPONDER),
        ("resolved", at.page_resolved, _RESPONDER),
    ]
    title = "[FIRING:1] CheckoutHighErrorRate checkout-api"
    bodies: list[dict[str, Any]] = []
    w.plant("email", _RESPONDER[2], "pages")
    if w.spec.paging == "pagerduty":
        for state, time, who in steps:
            agent = (
                {
                    "id": who[1],
                    "type": "user_reference",
                    "summary": who[0],
                    "html_url": f"https://shopco.pagerduty.com/users/{who[1]}",
                }
                if who
                else None
            )
            bodies.append(
                {
                    "event": {
                        "id": _token(w.rng, 26, string.ascii_uppercase + string.digits),
                        "event_type": f"incident.{state}",
                        "resource_type": "incident",
                        "occurred_at": _iso(time),
                        "agent": agent,
                        "client": None,
                        "data": {
                            "id": "Q2K7CHKOUT",
                            "type": "incident",
                            "number": 4127,
                            "status": state,
                            "title": title,
                            "urgency": "high",
                            "html_url": "https://shopco.pagerduty.com/incidents/Q2K7CHKOUT",
                            "service": {
                                "id": "PSVCCHK",
                                "summary": "checkout-api",
                                "type": "service_reference",
                            },
                            "assignees": [
                                {
                                    "id": _RESPONDER[1],
                                    "summary": _RESPONDER[0],
                                    "type": "user_reference",
                                }
                            ],
                            "resolve_reason": None,
                        },
                    }
                }
            )
        _dump(w.record("pagerduty.json"), bodies)
    else:
        actions = {"triggered": "Create", "acknowledged": "Acknowledge", "resolved": "Close"}
        alert_id = (
            f"{_hex(w.rng, 8)}-{_hex(w.rng, 4)}-{_hex(w.rng, 4)}-{_hex(w.rng, 4)}-{_hex(w.rng, 12)}"
        )
        created_ms = int(at.page_triggered.timestamp() * 1000)
        bodies = []
        for state, time, who in steps:
            updated_ns = int(time.timestamp() * 1000) * 1_000_000
            bodies.append(
                {
                    "action": actions[state],
                    "alert": {
                        "alertId": alert_id,
                        "message": title,
                        "tags": ["checkout", "production"],
                        "tinyId": "4127",
                        "alias": "checkout-high-error-rate",
                        "createdAt": created_ms,
                        "updatedAt": updated_ns,
                        "username": who[2] if who else "Alertmanager",
                        "priority": "P1",
                        "source": "alertmanager",
                        "entity": SERVICE,
                    },
                    "source": {"name": "", "type": "web" if who else "api"},
                    "integrationName": "checkout_Webhook",
                    "integrationType": "Webhook",
                }
            )
        _dump(w.record("opsgenie.json"), bodies)
    return [{"state": state, "at": _iso(time)} for state, time, _ in steps]


# --- changes: git log and GitHub deployments


_AUTHORS = (
    ("Dana Whitfield", "-04:00"),
    ("Ravi Chaudhary", "+05:30"),
    ("Lena Hoffmann", "+02:00"),
    ("dependabot[bot]", "+00:00"),
)


def _write_git_log(w: _Writer) -> None:
    rng, at = w.rng, w.at
    commits: list[tuple[datetime, str, str, str]] = []
    subjects = (
        "Add retry budget metric to payment client",
        "Bump pydantic from 2.7.1 to 2.7.4",
        "Cache product list for 30s",
        "Fix rounding of discounts on multi-currency carts",
        "Log order id with every payment call",
        "Tidy up checkout handler tests",
        "Move receipts upload behind a feature flag",
    )
    time = at.bad_commit - timedelta(hours=30)
    for subject in subjects:
        time += timedelta(minutes=rng.randint(90, 300))
        name, offset = _AUTHORS[3] if subject.startswith("Bump") else rng.choice(_AUTHORS[:3])
        commits.append((time, name, offset, subject))
    commits.append((at.bad_commit, *_AUTHORS[2], "Lower payment gateway deadline to 250ms"))
    commits.append(
        (at.revert_commit, *_AUTHORS[0], 'Revert "Lower payment gateway deadline to 250ms"')
    )
    out = []
    for time, name, offset, subject in sorted(commits, reverse=True):
        sha = _hex(rng, 40)
        w.shas[subject] = sha
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        sign = -1 if offset[0] == "-" else 1
        local = time.astimezone(UTC).astimezone(
            _fixed(sign * timedelta(hours=hours, minutes=minutes))
        )
        out.append(f"{sha}\t{local.isoformat(timespec='seconds')}\t{name}\t{subject}")
    w.record("git.log").write_text("\n".join(out) + "\n", encoding="utf-8")


def _fixed(offset: timedelta) -> tzinfo:
    return timezone(offset)


def _write_deployments(w: _Writer) -> list[dict[str, str]]:
    at = w.at
    bad_sha = w.shas["Lower payment gateway deadline to 250ms"]
    good_sha = w.shas['Revert "Lower payment gateway deadline to 250ms"']
    repository = {"id": 481516, "name": "checkout-api", "full_name": REPO, "private": True}
    deploys = [
        (
            9031,
            bad_sha,
            "Deploy checkout-api: payment gateway deadline 250ms",
            "lena-h",
            at.deploy_created,
            at.deploy_done,
        ),
        (
            9032,
            good_sha,
            f"Rollback checkout-api to revert of {bad_sha[:7]}",
            "dana-w",
            at.rollback_created,
            at.rollback_done,
        ),
    ]
    deployments: list[dict[str, Any]] = []
    statuses: list[dict[str, Any]] = []
    truth: list[dict[str, str]] = []
    for number, sha, description, login, created, done in deploys:
        deployment = {
            "id": number,
            "sha": sha,
            "ref": "main",
            "task": "deploy",
            "environment": "production",
            "description": description,
            "creator": {"login": login, "type": "User"},
            "created_at": _iso(created).replace(".000Z", "Z"),
            "updated_at": _iso(created).replace(".000Z", "Z"),
        }
        deployments.append(
            {
                "action": "created",
                "deployment": deployment,
                "repository": repository,
                "sender": {"login": login},
            }
        )
        truth.append({"sha": sha, "state": "created", "at": _iso(created)})
        for state, time in (("in_progress", created + timedelta(seconds=20)), ("success", done)):
            statuses.append(
                {
                    "action": "created",
                    "deployment_status": {
                        "id": number * 10 + len(statuses),
                        "state": state,
                        "creator": {"login": "deploy-bot[bot]", "type": "Bot"},
                        "description": f"{state.replace('_', ' ')}: {description}",
                        "environment": "production",
                        "created_at": _iso(time).replace(".000Z", "Z"),
                        "updated_at": _iso(time).replace(".000Z", "Z"),
                    },
                    "deployment": deployment,
                    "repository": repository,
                    "sender": {"login": "deploy-bot[bot]"},
                }
            )
            truth.append({"sha": sha, "state": state, "at": _iso(time)})
    _dump(w.record("deployment.json"), deployments)
    _dump(w.record("deployment_status.json"), statuses)
    return truth


# --- the Slack export


_PEOPLE = (
    ("U05DANAW", "dana.w", "Dana Whitfield", _RESPONDER[2]),
    ("U05RAVIC", "ravi", "Ravi Chaudhary", _SECOND[2]),
    ("U05LENAH", "lena", "Lena Hoffmann", "lena.hoffmann@shop.example"),
)


def _write_slack(w: _Writer) -> list[dict[str, str]]:
    rng, at = w.rng, w.at
    dana, ravi, lena = (p[0] for p in _PEOPLE)
    if w.spec.provider_tokens:
        token = w.plant("github-token", "ghp_" + _token(rng, 36), "chat")
        bot_credential = w.plant(
            "slack-token",
            f"xoxb-{rng.randint(10**11, 10**12)}-{rng.randint(10**11, 10**12)}-{_token(rng, 24)}",
            "chat",
        )
    else:
        token = w.plant("token", _token(rng, 40), "chat")
        bot_credential = "deploy_bot_password=" + w.plant("password", _token(rng, 20), "chat")
    for _, _, _, email in _PEOPLE:
        w.plant("email", email, "chat")
    start_local = at.start.astimezone(w.zone).strftime("%H:%M")
    deploy_local = at.deploy_done.astimezone(w.zone).strftime("%H:%M")
    bad_sha = w.shas["Lower payment gateway deadline to 250ms"][:7]
    script: list[tuple[datetime, str | None, str, dict[str, Any]]] = [
        (
            at.page_triggered + timedelta(seconds=20),
            None,
            "",
            {
                "subtype": "bot_message",
                "bot_id": "B05PAGER",
                "username": "PagerDuty",
                "text": "Triggered #4127: CheckoutHighErrorRate checkout-api",
            },
        ),
        (
            at.page_triggered + timedelta(seconds=50),
            dana,
            "",
            {"subtype": "channel_join", "text": f"<@{dana}> has joined the channel"},
        ),
        (
            at.acknowledged + timedelta(seconds=12),
            dana,
            f"I'm on it. Checkout 5xx jumped at about {start_local}, mostly 504s from the payment path.",
            {},
        ),
        (
            at.acknowledged + timedelta(minutes=1, seconds=40),
            ravi,
            "",
            {"subtype": "channel_join", "text": f"<@{ravi}> has joined the channel"},
        ),
        (
            at.acknowledged + timedelta(minutes=2, seconds=5),
            ravi,
            "app logs say `context deadline exceeded after 250ms` on every payment-gw call",
            {},
        ),
        (
            at.acknowledged + timedelta(minutes=3, seconds=30),
            dana,
            f"there was a config deploy at {deploy_local} ({bad_sha}), lowering the payment deadline. <@{lena}> can you confirm?",
            {},
        ),
        (
            at.acknowledged + timedelta(minutes=4, seconds=50),
            lena,
            f"yes, that's mine. I queried the gateway with `curl -H 'Authorization: token {token}'` and p99 there is ~600ms, so 250 is too low",
            {},
        ),
        (
            at.rollback_created - timedelta(seconds=30),
            dana,
            f"rolling back {bad_sha} now",
            {"reactions": [{"name": "+1", "users": [ravi, lena], "count": 2}]},
        ),
        (
            at.rollback_created + timedelta(minutes=1),
            ravi,
            f"FYI the deploy bot token is in the job log: {bot_credential} -- rotating it after this",
            {},
        ),
        (
            at.mitigated + timedelta(minutes=1, seconds=10),
            dana,
            "error rate is back to baseline, watching for 10 more minutes",
            {},
        ),
        (
            at.page_resolved + timedelta(minutes=2),
            dana,
            "",
            {
                "subtype": "bot_message",
                "bot_id": "B05PAGER",
                "username": "PagerDuty",
                "text": "Resolved #4127",
            },
        ),
    ]
    mitigated_local = at.mitigated.astimezone(w.zone).strftime("%H:%M")
    summary_time = at.page_resolved + timedelta(minutes=6, seconds=14)
    summary = (
        f"Summary: checkout returned 5xx from {start_local} to {mitigated_local} after deploy "
        f"{bad_sha} lowered the payment gateway deadline to 250ms. Rolled back; "
        f"postmortem to follow. Questions to {_SECOND[2]}"
    )
    script.append((summary_time, dana, summary, {"pinned_to": [CHANNEL_ID]}))
    # thread reply to the summary
    thread_ts = _slack_ts(summary_time, 0)
    script.append(
        (
            summary_time + timedelta(minutes=3),
            ravi,
            "thanks, I'll draft the postmortem",
            {"thread_ts": thread_ts, "parent_user_id": dana},
        )
    )

    days: dict[str, list[dict[str, Any]]] = {}
    for n, (time, user, text, extra) in enumerate(sorted(script, key=lambda s: s[0])):
        message: dict[str, Any] = {"type": "message", "ts": _slack_ts(time, n)}
        if user is not None and extra.get("subtype") != "bot_message":
            message["user"] = user
        if text:
            message["text"] = text
        message |= extra
        if "pinned_to" in extra:
            message["ts"] = thread_ts
        days.setdefault(time.astimezone(UTC).strftime("%Y-%m-%d"), []).append(message)

    root = w.out / "slack"
    (root / CHANNEL).mkdir(parents=True, exist_ok=True)
    users = [
        {
            "id": uid,
            "name": handle,
            "real_name": real,
            "deleted": False,
            "is_bot": False,
            "tz": w.spec.local_tz,
            "profile": {"real_name": real, "display_name": handle, "email": email},
        }
        for uid, handle, real, email in _PEOPLE
    ]
    _dump(root / "users.json", users)
    channel = {
        "id": CHANNEL_ID,
        "name": CHANNEL,
        "created": int((at.page_triggered + timedelta(seconds=5)).timestamp()),
        "creator": dana,
        "is_archived": False,
        "is_general": False,
        "members": [p[0] for p in _PEOPLE],
        "pins": [
            {
                "id": thread_ts,
                "type": "C",
                "created": int(summary_time.timestamp()) + 30,
                "user": dana,
                "owner": dana,
            }
        ],
        "topic": {"value": "Checkout 5xx — incident #4127", "creator": dana, "last_set": "0"},
        "purpose": {"value": "", "creator": "", "last_set": "0"},
    }
    _dump(root / "channels.json", [channel])
    for day, messages in sorted(days.items()):
        _dump(root / CHANNEL / f"{day}.json", messages)
    w.files.append("slack/")
    return [{"text": summary[:60], "at": _iso(summary_time)}]


def _slack_ts(time: datetime, n: int) -> str:
    return f"{int(time.timestamp())}.{(time.microsecond + n) % 1_000_000:06d}"


# --- putting it together


def generate(spec: ScenarioSpec, out: Path | str) -> dict[str, Any]:
    """Write ``spec``'s evidence files and ``truth.json`` into ``out``; return the truth."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    w = _Writer(spec, out)
    at = w.at
    impact = _write_access_log(w) if spec.access_log else None
    lines = _host_lines(w)
    if spec.host_logs == "syslog":
        _write_syslog(w, lines)
    else:
        _write_journald(w, lines)
    _write_app_log(w)
    alerts = _write_alerts(w)
    pages = _write_pages(w)
    _write_git_log(w)
    deploys = _write_deployments(w)
    pinned = _write_slack(w)
    bad_sha = w.shas["Lower payment gateway deadline to 250ms"]
    truth: dict[str, Any] = {
        "name": spec.name,
        "seed": spec.seed,
        "files": w.files,
        "read_with": {
            "default_tz": spec.local_tz if spec.host_logs == "syslog" else None,
            "year": None,
        },
        "start": _iso(at.start),
        "detected": _iso(at.alert_firing),
        "acknowledged": _iso(at.acknowledged),
        "mitigated": _iso(at.mitigated),
        "resolved": _iso(max(at.alert_resolved, at.page_resolved)),
        "window": {
            "start": _iso(_minute(at.start)),
            "end": _iso(_minute(at.mitigated) + MINUTE),
        },
        "causing_deploy": {
            "sha": bad_sha,
            "environment": "production",
            "at": _iso(at.deploy_done),
            "description": "Deploy checkout-api: payment gateway deadline 250ms",
        },
        "impact": impact,
        "alerts": alerts,
        "pages": pages,
        "deploys": deploys,
        "pinned": pinned,
        "skew": (
            {
                "host": spec.skewed_host,
                "seconds": spec.skew.total_seconds(),
                "note": "this host's own lines are written this far off true time; "
                "every truth time above is true time",
            }
            if spec.skewed_host
            else None
        ),
        "planted": w.planted,
    }
    _dump(out / "truth.json", truth)
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write an incident scenario with ground truth.")
    parser.add_argument("out", help="folder to write the evidence files and truth.json into")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="example")
    parser.add_argument("--seed", type=int, help="override the preset's seed")
    args = parser.parse_args(argv)
    spec = PRESETS[args.preset]
    if args.seed is not None:
        spec = replace(spec, seed=args.seed)
    truth = generate(spec, args.out)
    print(f"wrote {len(truth['files'])} evidence inputs and truth.json to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
