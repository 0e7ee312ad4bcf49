"""Alerts and pages: Alertmanager or Grafana webhook bodies, PagerDuty (v3 webhooks) or
Opsgenie."""

from __future__ import annotations

import hashlib
import string
from datetime import timedelta
from typing import Any

from postmortems.evidence.scenario.spec import SERVICE
from postmortems.evidence.scenario.writer import _dump, _hex, _iso, _token, _Writer

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
