"""Redaction: no planted secret, email or token survives; ordinary text does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.redact import ALL_TYPES, Redactor

# (type, secret as written, text around it with {} where the secret goes)
PLANTED = [
    ("aws-access-key", "AKIAIOSFODNN7EXAMPLE", "using key {} for s3"),
    ("aws-access-key", "ASIAY34FZKBOKMUTVV7A", "creds={}"),
    ("aws-secret-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = {}"),
    (
        "aws-secret-key",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        'export AWS_SECRET_ACCESS_KEY="{}"',
    ),
    (
        "github-token",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "git clone https://x:{}@github.com/o/r",
    ),
    ("github-token", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "token {} expired"),
    (
        "github-token",
        "github_pat_11AAAAAAA0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX12345",
        "{}",
    ),
    ("slack-token", "xoxb-2631584791-5198283461283-kHf8sFhPqRr0T1w2LmNcXyZa", "SLACK_BOT={}"),
    ("slack-token", "xoxp-1234567890-1234567890-1234567890-abcdefabcdef", "(token: {})"),
    (
        "slack-webhook",
        "https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/aBcDeFgHiJkLmNoPqRsTuVwX",
        "posting to {} failed",
    ),
    ("stripe-key", "sk_live_51HxYzAbCdEfGhIjKlMnOpQr", "stripe.api_key('{}')"),
    ("stripe-key", "rk_test_4eC39HqLyjWDarjtT1zdp7dc", "[{}]"),
    ("google-api-key", "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "maps?key={}&q=x"),
    (
        "bearer-token",
        "abcDEF123.ghiJKL456_mno-PQR",
        "curl -H 'Authorization: Bearer {}' https://api",
    ),
    ("bearer-token", "0123456789abcdef0123456789abcdef", "authorization=bearer {}"),
    ("auth-header", "dXNlcjpwYXNzd29yZA==", "Authorization: Basic {}"),
    (
        "jwt",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYW5hIiwiaWF0IjoxNzA5MzAyMTUwfQ.c2lnbmF0dXJlLWJ5dGVz",
        "session cookie {};",
    ),
    ("url-password", "s3cr3t-P4ss", "DATABASE_URL=postgres://app:{}@db.internal:5432/shop"),
    ("url-password", "hunter2", "amqp://guest:{}@rabbit/"),
    ("secret", "hunter2", "password=({}) user=bob".replace("({})", "{}")),
    ("secret", "Pa55 w0rd!", '{{"db_password": "{}", "user": "app"}}'),
    ("secret", "c0ffee-cafe", "client_secret: {}"),
    ("secret", "abc123abc123", "X-Api-Key={}&page=2"),
    ("secret", "tok_77bb", "auth_token='{}'"),
    ("secret", "s3cr3t", "clientSecret={} retries=3"),
    (
        "private-key",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1L\n7VLO4xz/AbC=\n-----END RSA PRIVATE KEY-----",
        "key:\n{}\nnext line",
    ),
    (
        "private-key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----",
        '"key": "{}"',
    ),
    ("email", "dana.okafor@example.com", "paged <{}> at 14:05"),
    ("email", "49699333+dependabot[bot]@users.noreply.github.com", "Author: dependabot[bot] <{}>"),
    ("ip", "10.80.40.11", "upstream {}:8080 timed out"),
    ("ip", "203.0.113.7", "client={} status=502"),
    ("ip", "2001:db8:85a3::8a2e:370:7334", "from [{}]:443"),
    ("ip", "fe80::1ff:fe23:4567:890a", "link {} up"),
]


@pytest.mark.parametrize(
    ("kind", "secret", "around"), PLANTED, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(PLANTED)]
)
def test_planted_secret_is_replaced_by_its_typed_placeholder(
    kind: str, secret: str, around: str
) -> None:
    redactor = Redactor()
    text = around.format(secret)
    redacted = redactor.redact(text)

    assert secret not in redacted
    assert f"[REDACTED:{kind}]" in redacted
    assert redactor.counts.get(kind, 0) >= 1


def test_text_around_a_secret_is_kept() -> None:
    redactor = Redactor()
    assert redactor.redact("login failed password=hunter2 for user=bob") == (
        "login failed password=[REDACTED:secret] for user=bob"
    )
    assert redactor.redact("db at postgres://app:pw123@db:5432/x") == (
        "db at postgres://app:[REDACTED:url-password]@db:5432/x"
    )


KEPT = [
    "deployed d350e31e319a84cc6e9e96421b3f574f13db1dab to production",
    "at 2024-03-01T14:05:10.123Z and 14:05:10,123 (Fri Mar  1 14:05:10 2024 +0100)",
    "version 1.2.3.4 and v10.0.0.1 and 1.2.3.4.5",
    "Author: Dana Okafor, authored the fix; tokens=5; token expired; tokenizer=fast",
    "std::vector<int> Foo::Bar 00:1a:2b:3c:4d:5e",
    "GET /api/v1/orders?id=42 HTTP/1.1 200 12ms",
    "uuid 7ec331d7-f5f3-4f78-a49c-2ad886df69fe and md5 9e107d9d372bb6826bd81d3542a419d6",
    "loopback 127.0.0.1 and ::1",
    "the secret sauce is patience",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_survives_untouched(text: str) -> None:
    redactor = Redactor()
    assert redactor.redact(text) == text
    assert redactor.counts == {}


def test_counts_add_up_per_type() -> None:
    redactor = Redactor()
    redactor.redact("a@example.com b@example.org 10.0.0.1 password=x1")
    redactor.redact("c@example.net")
    assert redactor.counts == {"email": 3, "ip": 1, "secret": 1}
    assert redactor.total == 5


def test_ips_can_be_kept_and_types_limited_and_values_allowed() -> None:
    text = "dana@example.com from 10.1.2.3 with password=x1"
    assert (
        Redactor(redact_ips=False).redact(text)
        == "[REDACTED:email] from 10.1.2.3 with password=[REDACTED:secret]"
    )
    assert (
        Redactor(types={"email"}).redact(text) == "[REDACTED:email] from 10.1.2.3 with password=x1"
    )
    allowed = Redactor(allowlist={"dana@example.com"})
    assert (
        allowed.redact(text)
        == "dana@example.com from [REDACTED:ip] with password=[REDACTED:secret]"
    )


def test_unknown_type_is_refused() -> None:
    with pytest.raises(ValueError, match="passwords"):
        Redactor(types={"passwords"})


def test_redacting_twice_changes_nothing_more() -> None:
    redactor = Redactor()
    text = "Authorization: Bearer abcdef123456 password=hunter2 ops@example.com 10.0.0.9"
    once = redactor.redact(text)
    counts = dict(redactor.counts)
    assert redactor.redact(once) == once
    assert redactor.counts == counts


def test_event_text_actor_and_nested_attrs_are_redacted() -> None:
    event = Event(
        time=datetime(2024, 3, 1, 14, 5, tzinfo=UTC),
        source="opsgenie",
        kind=EventKind.PAGE,
        text="created by kenaz@example.com",
        actor="kenaz@example.com",
        host="10.0.0.5",
        attrs={"labels": {"instance": "10.0.0.5:9100"}, "tags": ["token=abc12345"], "count": 3},
    )
    clean = Redactor().redact_event(event)
    assert clean.text == "created by [REDACTED:email]"
    assert clean.actor == "[REDACTED:email]"
    assert clean.host == "[REDACTED:ip]"
    assert clean.attrs == {
        "labels": {"instance": "[REDACTED:ip]:9100"},
        "tags": ["token=[REDACTED:secret]"],
        "count": 3,
    }
    assert event.actor == "kenaz@example.com"  # the original is left alone


filler = st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, len(PLANTED) - 1), before=filler, after=filler)
def test_no_planted_secret_survives_whatever_surrounds_it(
    index: int, before: str, after: str
) -> None:
    kind, secret, around = PLANTED[index]
    text = before + " " + around.format(secret) + " " + after
    redacted = Redactor().redact(text)
    # A fragment long enough to be usable must not survive either.
    assert secret not in redacted
    assert secret[-8:] not in redacted or kind in ("ip", "email")


def test_every_type_has_a_planted_case() -> None:
    assert {kind for kind, _, _ in PLANTED} == set(ALL_TYPES)


@pytest.mark.parametrize(
    "text",
    ["a" * 100_000 + "=", "password" * 20_000, "1." * 50_000, "a:" * 50_000, "x.y-" * 25_000],
)
def test_long_unbroken_lines_are_redacted_in_linear_time(text: str) -> None:
    import time

    started = time.perf_counter()
    Redactor().redact(text)
    assert time.perf_counter() - started < 2.0  # quadratic patterns took minutes here
