"""Incident scenarios with known ground truth: evidence files plus a ``truth.json``.

One story, told in many formats: a config change lowers the checkout service's payment
deadline, the deploy goes out, checkout starts failing (5xx), an alert fires, the on-call
engineer is paged and acknowledges, the team rolls the deploy back, errors stop, the alert
and the page resolve, and someone pins a summary in the incident channel. Everything is
drawn from a seeded random generator, so the same :class:`ScenarioSpec` always writes
byte-identical files; ``examples/incident/`` is :data:`EXAMPLE` written out, and a test
regenerates it and compares.

The spec and its presets are in :mod:`.spec` (what a spec varies is described there); the
shared writer state in :mod:`.writer`; each family of evidence in its own module:
:mod:`.logs` (access log, syslog or journald, app log), :mod:`.signals` (alerts and pages),
:mod:`.changes` (git log, GitHub deployments) and :mod:`.chat` (the Slack export).

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
from dataclasses import replace
from pathlib import Path
from typing import Any

from postmortems.evidence.scenario.changes import _write_deployments, _write_git_log
from postmortems.evidence.scenario.chat import _write_slack
from postmortems.evidence.scenario.logs import (
    _host_lines,
    _write_access_log,
    _write_app_log,
    _write_journald,
    _write_syslog,
)
from postmortems.evidence.scenario.signals import _write_alerts, _write_pages
from postmortems.evidence.scenario.spec import (
    CHANNEL,
    CHANNEL_ID,
    EXAMPLE,
    HOSTS,
    MINUTE,
    PRESETS,
    REPO,
    SERVICE,
    ScenarioSpec,
)
from postmortems.evidence.scenario.writer import _dump, _iso, _minute, _Writer

__all__ = [
    "CHANNEL",
    "CHANNEL_ID",
    "EXAMPLE",
    "HOSTS",
    "MINUTE",
    "PRESETS",
    "REPO",
    "SERVICE",
    "ScenarioSpec",
    "generate",
    "main",
]


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
    parser = argparse.ArgumentParser(
        prog="python -m postmortems.evidence.scenario",
        description="Write an incident scenario with ground truth.",
    )
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
