"""Redaction of secrets and personal data in everything written out.

Each finding is replaced by a typed placeholder such as ``[REDACTED:aws-access-key]`` and
counted per type, so ``pm gather`` can say what it removed.

Detection uses hand-written compiled regular expressions, modelled on detect-secrets'
pattern plugins (AWS, GitHub, Slack, Stripe, JWT, private key, basic-auth URL, keyword)
rather than calling them: those plugins report a secret's value per line, not its
position, cannot follow a private key block over several lines, have nothing for email or
IP addresses, and run at about a thousand lines a second. These patterns find spans, so
replacement is exact, and they are cheap enough to run on every event.

What survives on purpose: 40-hex git shas and other hashes (no rule matches bare hex),
timestamps, and dotted numbers with a version prefix (``v1.2.3.4``, ``version 1.2.3.4``).
A bare ``1.2.3.4`` is indistinguishable from an address and is redacted when IPs are.
Loopback and unspecified addresses (``127.0.0.1``, ``0.0.0.0``, ``::1``, ``::``) are
allowed by default: they identify nobody.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial

from postmortems.evidence.events import Event

DEFAULT_ALLOWLIST = frozenset({"127.0.0.1", "0.0.0.0", "::1", "::"})

_PLACEHOLDER = "[REDACTED:{}]"
_NOT_REDACTED = r"(?!\[REDACTED)"

_SECRET_WORDS = (
    r"pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"private[_-]?key|client[_-]?secret|auth(?:orization|[_-]?token)?|credentials?|"
    r"session[_-]?(?:id|key|token)|cookie|signature|sig"
)
# Every repetition is bounded: an unbounded one rescans long unbroken tokens from each
# starting point, which is quadratic on a 100 kB line.
# A key names a secret when one of the words is the whole key or one of its parts
# ("db_password", "X-Api-Key", "clientSecret"), but not a longer word ("author", "tokens").
_SECRET_KEY = (
    r"(?<![\w.-])[A-Za-z0-9_.-]{0,40}?(?i:" + _SECRET_WORDS + r")(?:[_.-][A-Za-z0-9_.-]{0,40})?"
)


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    group: int = 0  # the part of the match that is secret; the rest is kept
    accept: Callable[[str], bool] | None = None  # a last check on the secret part


def _valid_ipv4(text: str) -> bool:
    return all(
        0 <= int(part) <= 255 and (part == "0" or not part.startswith("0"))
        for part in text.split(".")
    )


def _valid_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    # "dead::beef" parses but is usually a word; real compressed addresses carry a digit.
    return "::" not in text or any(ch.isdigit() for ch in text)


# Specific token shapes first, so each finding gets its most precise type.
_RULES: tuple[_Rule, ...] = (
    _Rule(
        "private-key",
        re.compile(
            r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
            r"(?:.*?-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|.*\Z)",
            re.DOTALL,
        ),
    ),
    _Rule("aws-access-key", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b")),
    _Rule(
        "github-token",
        re.compile(
            r"\b(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b"
        ),
    ),
    _Rule("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    _Rule(
        "stripe-key",
        re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{16,}"),
    ),
    _Rule("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    _Rule("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")),
    _Rule(
        "slack-webhook",
        re.compile(
            r"https://hooks\.slack(?:-gov)?\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]+"
        ),
    ),
    _Rule(
        "url-password",
        re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^\s:/@]{1,256}:([^\s/@]{1,256})@"),
        1,
    ),
    _Rule(
        "bearer-token",
        re.compile(r"(?i)\bbearer\s+" + _NOT_REDACTED + r"([A-Za-z0-9\-._~+/]{8,}=*)"),
        1,
    ),
    _Rule(
        "auth-header",
        re.compile(
            r"(?i)\b(?:proxy-)?authorization\s*[:=]\s*[\"']?(?:basic|token|digest|apikey|sso-key)\s+"
            + _NOT_REDACTED
            + r"([^\s\"',;]{6,})"
        ),
        1,
    ),
    _Rule(
        "aws-secret-key",
        re.compile(
            r"(?i)aws.{0,25}?(?:secret|key).{0,25}?[\"'=:\s]"
            + _NOT_REDACTED
            + r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
        ),
        1,
    ),
    _Rule(
        "secret",
        re.compile(
            # "key": "value" and key = 'value' (quoted: the whole string is secret)
            r"[\"']?"
            + _SECRET_KEY
            + r"[\"']?\s*[:=]\s*"
            + _NOT_REDACTED
            + r"(?:\"((?:[^\"\\]|\\.)+)\"|'([^']+)')"
        ),
        -1,
    ),
    _Rule(
        "secret",
        re.compile(
            # key=value and key: value unquoted, up to a separator
            _SECRET_KEY
            + r"\s*(?:=|:(?!//))\s*"
            + _NOT_REDACTED
            + r"(?!(?i:bearer|basic|token|digest)\s)([^\s,;&\"'<>(){}\[\]]+)"
        ),
        1,
    ),
    _Rule(
        "email",
        # The optional "[bot]" keeps git's "name[bot]@users.noreply.github.com" whole.
        re.compile(
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}(?:\[\w{1,20}\])?"
            r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b"
        ),
    ),
    _Rule(
        "ip",
        re.compile(r"(?<![\w.])(?<!version )(?<!v)(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)(?!\.\w)"),
        0,
        _valid_ipv4,
    ),
    _Rule(
        "ip",
        re.compile(
            r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])"
        ),
        0,
        _valid_ipv6,
    ),
)

ALL_TYPES = frozenset(rule.kind for rule in _RULES)


@dataclass
class Redactor:
    """Replaces secrets, emails and IP addresses in text, counting what it replaced.

    ``types`` limits redaction to some kinds (default: all of ``ALL_TYPES``);
    ``redact_ips=False`` keeps IP addresses; exact strings in ``allowlist`` are kept.
    """

    types: Iterable[str] | None = None
    redact_ips: bool = True
    allowlist: Iterable[str] = DEFAULT_ALLOWLIST
    counts: dict[str, int] = field(default_factory=dict)
    _rules: list[_Rule] = field(init=False, repr=False)
    _allowed: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        wanted = set(ALL_TYPES if self.types is None else self.types)
        unknown = wanted - ALL_TYPES
        if unknown:
            raise ValueError(f"unknown redaction type(s): {', '.join(sorted(unknown))}")
        if not self.redact_ips:
            wanted.discard("ip")
        self._rules = [rule for rule in _RULES if rule.kind in wanted]
        self._allowed = frozenset(self.allowlist)

    def redact(self, text: str) -> str:
        for rule in self._rules:
            text = rule.pattern.sub(partial(self._replace, rule), text)
        return text

    def _replace(self, rule: _Rule, match: re.Match[str]) -> str:
        group = rule.group
        if group == -1:  # the first of the alternative groups that matched
            group = next((i for i, value in enumerate(match.groups(), 1) if value is not None), 0)
        secret = match.group(group)
        if (
            not secret
            or secret.startswith("[REDACTED:")  # already replaced by an earlier, more precise rule
            or secret in self._allowed
            or (rule.accept and not rule.accept(secret))
        ):
            return match.group(0)
        self.counts[rule.kind] = self.counts.get(rule.kind, 0) + 1
        start, end = match.span(group)
        offset = match.start()
        whole = match.group(0)
        return whole[: start - offset] + _PLACEHOLDER.format(rule.kind) + whole[end - offset :]

    def redact_value(self, value: object) -> object:
        """Strings redacted inside nested dicts and lists (event attributes)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {key: self.redact_value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_value(item) for item in value]
        return value

    def redact_event(self, event: Event) -> Event:
        """A copy of ``event`` with its text, people, places and attributes redacted."""
        return replace(
            event,
            text=self.redact(event.text),
            actor=self.redact(event.actor) if event.actor else event.actor,
            host=self.redact(event.host) if event.host else event.host,
            service=self.redact(event.service) if event.service else event.service,
            attrs={key: self.redact_value(value) for key, value in event.attrs.items()},
        )

    @property
    def total(self) -> int:
        return sum(self.counts.values())
