"""What a scenario is: :class:`ScenarioSpec`, the presets, and the story's key moments.

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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

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
