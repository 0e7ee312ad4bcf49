"""An evidence folder with a planted secret of every kind the redactor knows, in every format.

Used by ``test_no_leaks.py`` and ``bench/secrets_corpus.py``. Every rule of the vendored
gitleaks set gets a secret generated from its own pattern (``secret_samples.py``); our own
kinds get hand-written ones, including the multi-line ones: a PEM key logged one syslog
record per line, a key with escaped newlines inside a JSON log line, a PGP key block, a
service-account file, and key material and a JWT on lines no reader understands.

Each secret is planted in: syslog, JSON lines, logfmt, CSV, journald JSON, a Slack export,
Alertmanager, Grafana, PagerDuty and Opsgenie webhooks, a GitHub push webhook, ``git log``
and an nginx access log (tokens in query strings); and in lines that cannot be parsed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from secret_samples import Generator

from postmortems.evidence.redact import gitleaks

START = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Planted:
    kind: str
    text: str  # one line that carries the secret
    secret: str  # what must not appear in any output


PEM_LINES = [
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "LxoD0P3aRq8XfN2W7mUJcPzN4v1oS8e6nQw+Hh3tA1kbR9cVbE2TzYx5gJ8sLq4u",
    "pQ7sK2wXmN9r",
    "-----END RSA PRIVATE KEY-----",
]
PGP_BODY = "lQOYBF9x2WwBCADJ3Yq6Qm0tRgeLezV6ffAt0gunVTLw7onLRnrq0IzW7yWR7Qkr"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4ODQxIiwibmFtZSI6IkRhbmEgT2thZm9yIiwiaWF0"
    "IjoxNzEwNDEwNDAwfQ.7Xq9vR2mLw4pN8sK1tY6uZ3cB5dF0gH2jJ4kM7nP9qS"
)


def gitleaks_planted() -> list[Planted]:
    """One generated secret per gitleaks rule that matches text."""
    planted = []
    ruleset = gitleaks.vendored()
    for rule in ruleset.rules:
        keywords = rule.keywords
        for seed in range(40):
            # A seed of its own per rule, so no two rules' samples share their characters.
            sample = Generator(zlib.crc32(rule.id.encode()) + seed).sample(rule.pattern.pattern)
            if keywords and not any(k in sample.lower() for k in keywords):
                sample = f"{keywords[0]} {sample}"
            ours = [f for f in ruleset.find(sample) if f.kind == rule.id]
            if ours and "\n" not in sample:
                secret = sample[ours[0].start : ours[0].end]
                planted.append(Planted(rule.id, sample, secret))
                break
        else:
            raise AssertionError(f"no sample for {rule.id}")
    return planted


def own_planted() -> list[Planted]:
    """Our own kinds, written by hand."""
    service_account = json.dumps(
        {
            "type": "service_account",
            "project_id": "shop-prod-4411",
            "private_key_id": "3f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
            "private_key": "\n".join(PEM_LINES[:3] + PEM_LINES[-1:]) + "\n",
            "client_email": "deployer@shop-prod-4411.iam.gserviceaccount.com",
        }
    )
    return [
        Planted("private-key", "key: " + "\\n".join(PEM_LINES), PEM_LINES[1]),
        Planted(
            "private-key",
            f"-----BEGIN PGP PRIVATE KEY BLOCK-----\\n\\n{PGP_BODY}\\n=Zx3a\\n"
            "-----END PGP PRIVATE KEY BLOCK-----",
            PGP_BODY,
        ),
        Planted("gcp-service-account", f"credentials {service_account}", "3f1c2b9e8d7a6f5e4d3c"),
        Planted("key-material", f"loaded {PEM_LINES[3]}", PEM_LINES[3]),
        Planted("jwt", f"session {JWT} refreshed", JWT[40:80]),
        Planted(
            "slack-app-token",
            "socket connected xapp-1-A0123456789-4567890123456-"
            "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829",
            "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829",
        ),
        Planted(
            "url-password", "retry postgres://app:Xk29-vLq8!z@db.internal:5432/x", "Xk29-vLq8!z"
        ),
        Planted(
            "authorization",
            "call with Authorization: Bearer 9fQ2xL7vR3mN8kP1tZ6w",
            "9fQ2xL7vR3mN8kP1tZ6w",
        ),
        Planted("password", "config loaded db_password=Hunt3r-Two pool=20", "Hunt3r-Two"),
        Planted("secret", "config loaded client_secret: c0ffee-cafe-77", "c0ffee-cafe-77"),
        Planted("email", "paged dana.okafor@shop.example about it", "dana.okafor@shop.example"),
        Planted("ip", "request from 203.0.113.77 refused", "203.0.113.77"),
    ]


def planted() -> list[Planted]:
    return gitleaks_planted() + own_planted()


def _at(index: int) -> datetime:
    return START + timedelta(seconds=7 * index)


def _dump(path: Path, records: list[object]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def write(folder: Path, secrets: list[Planted]) -> None:
    """Every secret in every format, under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    line = [f"credential check ({p.kind}) {p.text}" for p in secrets]

    syslog = [f"{_at(i):%b %d %H:%M:%S} web-1 app[4{i % 10}]: {t}" for i, t in enumerate(line)]
    at = len(secrets)  # a key logged one record per line
    syslog += [f"{_at(at):%b %d %H:%M:%S} web-1 keyloader[77]: {k}" for k in PEM_LINES]
    (folder / "syslog").write_text("\n".join(syslog) + "\n", encoding="utf-8")

    _dump(
        folder / "app.jsonl",
        [{"ts": _at(i).isoformat(), "level": "error", "msg": t} for i, t in enumerate(line)],
    )
    logfmt = [
        f'ts={_at(i).isoformat()} level=warn msg="{t.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
        for i, t in enumerate(line)
    ]
    (folder / "app.logfmt").write_text("\n".join(logfmt) + "\n", encoding="utf-8")

    buffer = io.StringIO()
    table = csv.writer(buffer)
    table.writerow(["Timestamp", "Severity", "Service", "Host", "Who", "Message"])
    for i, t in enumerate(line):
        table.writerow([_at(i).isoformat(), "info", "checkout", "web-2", "ops", t])
    (folder / "notes.csv").write_text(buffer.getvalue(), encoding="utf-8")

    _dump(
        folder / "journal.json",
        [
            {
                "__REALTIME_TIMESTAMP": str(int(_at(i).timestamp() * 1_000_000)),
                "MESSAGE": t,
                "_HOSTNAME": "web-3",
                "SYSLOG_IDENTIFIER": "checkout",
                "PRIORITY": "3",
            }
            for i, t in enumerate(line)
        ],
    )
    _write_slack(folder / "slack", line)
    _write_payloads(folder, line)
    gitlog = [
        f"{i:040x}\t{_at(i).isoformat()}\tMei Chen\t{t}"
        for i, t in enumerate(line)
        if "\t" not in t
    ]
    (folder / "git.log").write_text("\n".join(gitlog) + "\n", encoding="utf-8")
    access = [
        f"198.51.100.{i % 250 + 1} - - [{_at(i):%d/%b/%Y:%H:%M:%S +0000}] "
        f'"GET /export?token={p.secret} HTTP/1.1" 200 {100 + i} "-" "curl/8.4.0"'
        for i, p in enumerate(secrets)
        if " " not in p.secret and '"' not in p.secret
    ]
    (folder / "access.log").write_text("\n".join(access) + "\n", encoding="utf-8")
    # Lines no reader understands are shown as examples: five per file are kept.
    for start in range(0, len(line), 5):
        good = [{"ts": _at(start + n).isoformat(), "level": "info", "msg": "ok"} for n in range(30)]
        broken = "".join(f"{{not json {t}\n" for t in line[start : start + 5])
        (folder / f"broken-{start:03d}.jsonl").write_text(
            "".join(json.dumps(row) + "\n" for row in good) + broken, encoding="utf-8"
        )


def _write_slack(folder: Path, line: list[str]) -> None:
    (folder / "inc").mkdir(parents=True, exist_ok=True)
    (folder / "users.json").write_text(
        json.dumps([{"id": "U01", "name": "dana", "profile": {"real_name": "Dana Okafor"}}])
    )
    (folder / "channels.json").write_text(
        json.dumps([{"id": "C01", "name": "inc", "created": 1710400000, "members": ["U01"]}])
    )
    messages = [
        {"type": "message", "user": "U01", "text": t, "ts": f"{_at(i).timestamp():.6f}"}
        for i, t in enumerate(line)
    ]
    (folder / "inc" / f"{START:%Y-%m-%d}.json").write_text(json.dumps(messages, indent=1))


def _write_payloads(folder: Path, line: list[str]) -> None:
    alerts, grafana, pages, opsgenie, pushes = [], [], [], [], []
    for i, t in enumerate(line):
        when = _at(i).isoformat().replace("+00:00", "Z")
        name = f"Leak{i}"
        alert = {
            "status": "firing",
            "labels": {"alertname": name, "severity": "critical"},
            "annotations": {"summary": t, "description": t},
            "startsAt": when,
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph",
            "fingerprint": f"{i:016x}",
        }
        alerts.append(
            {
                "version": "4",
                "groupKey": f'{{}}:{{alertname="{name}"}}',
                "status": "firing",
                "receiver": "pager",
                "groupLabels": {"alertname": name},
                "commonLabels": {"alertname": name},
                "commonAnnotations": {"summary": t},
                "externalURL": "http://alertmanager:9093",
                "alerts": [alert],
            }
        )
        grafana.append(
            {
                "receiver": "hook",
                "status": "firing",
                "orgId": 1,
                "alerts": [{**alert, "values": {"B": 1}, "valueString": "[ var='B' value=1 ]"}],
                "groupLabels": {"alertname": name},
                "commonLabels": {"alertname": name},
                "commonAnnotations": {},
                "externalURL": "http://grafana:3000/",
                "version": "1",
                "groupKey": f'{{}}/{{}}:{{alertname="{name}"}}',
                "truncatedAlerts": 0,
                "title": f"[FIRING:1] {name}",
                "state": "alerting",
                "message": t,
            }
        )
        pages.append(
            {
                "event": {
                    "id": f"E{i}",
                    "event_type": "incident.triggered",
                    "resource_type": "incident",
                    "occurred_at": when,
                    "agent": {"id": "PSVC1", "summary": "checkout", "type": "service_reference"},
                    "data": {
                        "id": f"Q{i}",
                        "type": "incident",
                        "number": i,
                        "status": "triggered",
                        "title": t,
                        "urgency": "high",
                        "service": {"id": "P1", "summary": "checkout", "type": "service_reference"},
                    },
                }
            }
        )
        millis = int(_at(i).timestamp() * 1000)
        opsgenie.append(
            {
                "action": "Create",
                "alert": {
                    "alertId": f"alert-{i}",
                    "message": t,
                    "tags": [],
                    "tinyId": str(i),
                    "entity": "checkout",
                    "alias": f"leak-{i}",
                    "createdAt": millis,
                    "updatedAt": millis * 1_000_000,
                    "username": "Alertmanager",
                    "userId": "",
                    "description": t,
                    "team": "payments",
                    "priority": "P2",
                    "source": "alertmanager",
                },
                "source": {"name": "alertmanager", "type": "API"},
                "integrationName": "Prometheus",
                "integrationId": "i-1",
                "integrationType": "Prometheus",
            }
        )
        pushes.append(
            {
                "ref": "refs/heads/main",
                "before": "1" * 40,
                "after": f"{i + 1:040x}",
                "created": False,
                "deleted": False,
                "forced": False,
                "compare": "https://git.example/shop/checkout/compare/1...2",
                "commits": [
                    {
                        "id": f"{i + 1:040x}",
                        "message": t,
                        "timestamp": when,
                        "author": {
                            "name": "Mei Chen",
                            "email": "mei@shop.example",
                            "username": "mei",
                        },
                    }
                ],
                "head_commit": {
                    "id": f"{i + 1:040x}",
                    "message": t,
                    "timestamp": when,
                    "author": {"name": "Mei Chen", "email": "mei@shop.example", "username": "mei"},
                },
                "repository": {"full_name": "shop/checkout", "pushed_at": millis // 1000},
                "pusher": {"name": "mei", "email": "mei@shop.example"},
            }
        )
    _dump(folder / "alertmanager.ndjson", alerts)
    _dump(folder / "grafana.ndjson", grafana)
    _dump(folder / "pagerduty.ndjson", pages)
    _dump(folder / "opsgenie.ndjson", opsgenie)
    _dump(folder / "github-push.ndjson", pushes)


# --- running every output over the corpus

OUTPUTS = ("md", "json", "ndjson", "draft", "html", "stderr")


@dataclass
class Outputs:
    texts: dict[str, str]  # output name -> everything written there
    redactions: dict[str, int]  # from the JSON output


def run_all(folder: Path, work: Path, run: Callable[..., Any]) -> Outputs:
    """gather (md, json, ndjson), draft and its HTML over ``folder``; ``run`` runs ``pm``.

    gather's three formats are rendered from one in-process gather (the command does
    exactly that); the draft and the HTML come from ``pm`` itself, with its stderr.
    """
    from postmortems.evidence.gather import GatherOptions, gather
    from postmortems.evidence.output import render_gathered

    result = gather([str(folder)], GatherOptions(include_noise=True))
    texts = {fmt: render_gathered(result, fmt) for fmt in ("md", "json", "ndjson")}
    texts["stderr"] = ""
    draft, page = work / "draft.md", work / "draft.html"
    done = run("draft", str(folder), "-o", str(draft), "--force")
    assert done.returncode == 0, done.stderr
    texts["stderr"] += done.stderr
    texts["draft"] = draft.read_text(encoding="utf-8")
    done = run("render", str(draft), "--to", "html", "-o", str(page), "--force")
    assert done.returncode == 0, done.stderr
    texts["stderr"] += done.stderr
    texts["html"] = page.read_text(encoding="utf-8")
    return Outputs(texts, dict(result.redactions))


def leaks(secrets: list[Planted], outputs: Outputs) -> dict[str, list[str]]:
    """Output name -> kinds whose secret appears in it (HTML-escaped or not)."""
    found: dict[str, list[str]] = {name: [] for name in OUTPUTS}
    for name, text in outputs.texts.items():
        unescaped = html.unescape(text)
        for plant in secrets:
            forms = {plant.secret, json.dumps(plant.secret)[1:-1]}
            if any(form in text or form in unescaped for form in forms):
                found[name].append(plant.kind)
    return found
