"""The Slack export: the incident channel's messages, users, channel and pinned summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from postmortems.evidence.scenario.signals import _RESPONDER, _SECOND
from postmortems.evidence.scenario.spec import CHANNEL, CHANNEL_ID
from postmortems.evidence.scenario.writer import _dump, _iso, _token, _Writer

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
