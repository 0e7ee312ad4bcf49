"""Changes: the git log and GitHub deployment (and deployment status) webhooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from postmortems.evidence.scenario.spec import REPO
from postmortems.evidence.scenario.writer import _dump, _hex, _iso, _Writer

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
