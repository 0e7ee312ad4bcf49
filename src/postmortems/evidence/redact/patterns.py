"""What gitleaks' rules leave to us: secrets in log shapes, and personal data.

gitleaks scans repositories; logs carry secrets in shapes its rules do not look for, and
personal data it does not look for at all:

* ``private-key`` — a PEM or PGP private key block, whole: from ``-----BEGIN … PRIVATE
  KEY-----`` to its ``END`` line, across lines and escaped ``\\n`` alike, or to the end of
  the text when the end was cut off (gitleaks' own rule needs both ends);
* ``gcp-service-account`` — a Google service-account JSON document, whole;
* ``key-material`` — a long base64 run with the mix of a key's body (a line of a key block
  logged on its own, without its ``BEGIN`` line); not a public key (``ssh-rsa AAAA…``), a
  certificate's body or a fingerprint;
* ``url-password`` — the password in ``scheme://user:password@host``;
* ``authorization`` — the credential after ``Bearer``, or after ``Basic`` / ``Token`` /
  ``Digest`` in an ``Authorization`` header;
* ``password`` / ``secret`` — the value of a key that names one (``password=…``,
  ``"db_password": "…"``, ``clientSecret: …``, ``X-Api-Key=…``), unless the value is a
  placeholder or an ordinary word (``token: expired``);
* ``email`` and ``ip`` — personal data: addresses of people and of their machines.

Precision matters as much as recall: a redacted word is evidence destroyed. So a key
counts only when the key-word ends it (``token=`` yes, ``token_type=`` and ``tokens=`` no)
and starts at a word boundary (``input_userauth_request: invalid`` is not a secret).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from postmortems.evidence.redact.gitleaks import Finding, shannon_entropy

SPECIFIC, GENERIC, PERSONAL = 0, 1, 2  # priorities where findings overlap

# Exact strings that identify nobody.
DEFAULT_ALLOWLIST = frozenset({"127.0.0.1", "0.0.0.0", "::1", "::"})
# Local parts of addresses that belong to machines and services, not people.
_SERVICE_MAILBOXES = frozenset({"git", "noreply", "no-reply", "donotreply", "do-not-reply"})

_PEM_BLOCK = re.compile(
    r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
    r"(?:.*?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|.*\Z)",
    re.DOTALL,
)
_SERVICE_ACCOUNT = re.compile(
    r"\{[^{}]{0,20000}?\\{0,3}\"type\\{0,3}\"\s*:\s*\\{0,3}\"service_account\\{0,3}\"[^{}]{0,20000}\}?"
)
_BASE64_RUN = re.compile(r"(?<![\w+/=.-])[A-Za-z0-9+/]{40,}={0,2}(?![\w+/=.-])")
_URL_PASSWORD = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^\s:/@]{1,256}:([^\s/@]{1,256})@")
_BEARER = re.compile(r"(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{8,}=*)(?=[\s\"',;:)\]}]|\.?$|\.\s)")
_AUTH_HEADER = re.compile(
    r"(?i)\b(?:proxy-)?authorization\s*[:=]\s*[\"']?"
    r"(?:basic|token|digest|apikey|sso-key|negotiate|ntlm)\s+([^\s\"',;]{6,})"
)
# key SEP value, where the key is one identifier; whether the key names a secret is
# decided in Python (see _secret_key), which is clearer than one more regex.
_ASSIGNMENT = re.compile(
    r"(?<![\w.-])([A-Za-z][\w.-]{0,60}?)[\"']?[ \t]{0,3}(?:=>?|:(?![/:]))[ \t]{0,3}"
    r"(\"(?:[^\"\\\n]|\\.){1,500}\"|'[^'\n]{1,500}'|[^\s,;&\"'<>(){}\[\]]{1,500})"
)
# .NET settings: <add key="DbPassword" value="…"/>, also with the brackets lost on the way.
_KEY_VALUE_SETTING = re.compile(
    r"(?i)\bkey\s*=\s*\\?\"[^\"]{0,60}?(?:pass(?:word|wd)?|pwd|secret|token|api_?key)[^\"]{0,20}"
    r"\\?\"\s*value\s*=\s*\\?\"([^\"\\]{1,200})"
)
_PASSWORD_WORDS = ("password", "passwd", "passphrase", "pwd", "pass")
_SECRET_WORDS = (
    "secret",
    "token",
    "apikey",
    "api_key",
    "accesskey",
    "access_key",
    "secretkey",
    "secret_key",
    "privatekey",
    "private_key",
    "credential",
    "credentials",
)
_PAGE_TOKEN_KEY = re.compile(r"(?i)(?:page|next|continuation|sync|resume)[_.-]?token$")
_ASSIGNMENT_HINTS = ("pass", "pwd", "secret", "token", "key", "credential")
# Values that stand for a secret without being one.
_PLACEHOLDER_VALUES = frozenset(
    {
        "null",
        "none",
        "nil",
        "true",
        "false",
        "yes",
        "no",
        "empty",
        "undefined",
        "unset",
        "redacted",
        "masked",
        "hidden",
        "required",
        "optional",
        "invalid",
        "expired",
        "missing",
        "changed",
        "ok",
        "n/a",
    }
)
_EMAIL = re.compile(
    # The optional "[bot]" keeps git's "name[bot]@users.noreply.github.com" whole.
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})(?:\[\w{1,20}\])?"
    r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b"
)
# Not after "version " or "v", nor after "Product/" (a user agent's "Chrome/120.0.0.0").
_IPV4 = re.compile(
    r"(?<![\w.~])(?<!version )(?<!v)(?<![A-Za-z]/)(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)"
)
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])"
)


_OPENSSH_MAGIC = "b3BlbnNzaC1rZXktdjE"  # "openssh-key-v1" in base64


def looks_like_key_material(token: str) -> bool:
    """A base64 run with a key's mix: all three character classes, few slashes, high entropy.

    Paths (``org/apache/hadoop/...``) have many slashes; hashes written in hex have one
    case; words and identifiers have low entropy.
    """
    body = token.rstrip("=")
    if _OPENSSH_MAGIC in body:
        return True  # the first line of an OpenSSH key: structured, so of low entropy
    segments = body.split("/")
    if len(segments) >= 3 and any(len(s) >= 4 and s.isalpha() and s.islower() for s in segments):
        return False  # a path: database/creds/checkout/…
    return (
        len(body) >= 40
        and any(c.isdigit() for c in body)
        and any(c.isupper() for c in body)
        and any(c.islower() for c in body)
        and body.count("/") <= len(body) // 16
        and shannon_entropy(body) >= 4.2
    )


def looks_like_secret_value(value: str) -> bool:
    """An unquoted value after ``password:`` that is not an ordinary word or a placeholder."""
    value = value.rstrip(":.,;!?")  # "getting credentials: exec: …" ends a word, not a secret
    if len(value) < 4 or value.lower() in _PLACEHOLDER_VALUES:
        return False
    if value.startswith(("[REDACTED", "$", "%", "<", "{{", "/", "~")):
        return False  # a placeholder, a variable or a path
    if set(value) <= set("*xX.#-_"):
        return False
    # An ordinary word ("expired", "Invalid", "NONE") is not a secret.
    return not (value.isalpha() and (value.islower() or value.istitle() or value.isupper()))


def _secret_key(key: str) -> str | None:
    """``password`` or ``secret`` when ``key`` ends with a word that names one, else None.

    The word must end the key and start it or follow a separator or a case change:
    ``db_password``, ``clientSecret``, ``X-Api-Key`` count; ``tokens``, ``token_type``,
    ``bypass`` and ``input_userauth_request`` do not.
    """
    if key == "PWD":
        return None  # the shell's working directory (sudo logs it), not a password
    if _PAGE_TOKEN_KEY.search(key):
        return None  # a position in a listing ("next_page_token"), not a credential
    lowered = key.lower()
    for kind, words in (("password", _PASSWORD_WORDS), ("secret", _SECRET_WORDS)):
        for word in words:
            for variant in {word, word.replace("_", "-"), word.replace("_", ".")}:
                if not lowered.endswith(variant):
                    continue
                start = len(key) - len(variant)
                if start == 0 or key[start - 1] in "_.-" or key[start].isupper():
                    return kind
    if lowered.endswith(("api-key", "api.key", "access-key")):
        return "secret"
    return None


@dataclass(frozen=True)
class Detector:
    """One of our rules: finds spans of ``kind`` in a text."""

    kind: str
    priority: int
    find: Callable[[str], Iterator[tuple[int, int]]]


def _whole(
    pattern: re.Pattern[str], hint: str | None = None
) -> Callable[[str], Iterator[tuple[int, int]]]:
    def find(text: str) -> Iterator[tuple[int, int]]:
        if hint is not None and hint not in text:
            return
        for match in pattern.finditer(text):
            yield match.span()

    return find


def _group(
    pattern: re.Pattern[str], hint: str, accept: Callable[[str], bool] | None = None
) -> Callable[[str], Iterator[tuple[int, int]]]:
    """Spans of group 1, in texts that hold ``hint`` (lower case) at all."""

    def find(text: str) -> Iterator[tuple[int, int]]:
        if hint not in text and hint not in text.lower():
            return
        for match in pattern.finditer(text):
            value = match.group(1)
            if value.startswith("[REDACTED") or (accept is not None and not accept(value)):
                continue
            yield match.span(1)

    return find


_DIGEST_PREFIXES = ("sha256:", "sha1:", "sha384:", "sha512:", "md5:")


_PUBLIC_KEY_TYPE = re.compile(
    r"(?:ssh-[a-z0-9]+|ecdsa-sha2-[a-z0-9]+|sk-[a-z0-9-]+@openssh\.com)\s+$"
)
_PUBLIC_BLOCK = re.compile(r"-----(BEGIN|END) (?:[A-Z0-9 ]*CERTIFICATE[A-Z0-9 ]*|PUBLIC KEY)-----")


def _in_public_block(text: str, position: int) -> bool:
    """``position`` is inside a certificate or public key block (public, so not redacted)."""
    marks = list(_PUBLIC_BLOCK.finditer(text, max(0, position - 20_000), position))
    return bool(marks) and marks[-1].group(1) == "BEGIN"


def _key_material(text: str) -> Iterator[tuple[int, int]]:
    for match in _BASE64_RUN.finditer(text):
        start = match.start()
        before = text[max(0, start - 40) : start]
        if before.lower().endswith(_DIGEST_PREFIXES):
            continue  # a fingerprint or digest (ssh's "SHA256:…") identifies, it does not open
        if _PUBLIC_KEY_TYPE.search(before) or ("-----" in text and _in_public_block(text, start)):
            continue  # a public key ("ssh-rsa AAAA…") or a certificate's body
        if looks_like_key_material(match.group()):
            yield match.span()


def _assignments(kind: str) -> Callable[[str], Iterator[tuple[int, int]]]:
    def find(text: str) -> Iterator[tuple[int, int]]:
        lowered = text.lower()
        if not any(word in lowered for word in _ASSIGNMENT_HINTS):
            return
        position = 0
        while (match := _ASSIGNMENT.search(text, position)) is not None:
            # The value of one pair may be the key of the next ("a= password: x"): go on
            # from the value, not past it.
            position = match.start(2)
            if _secret_key(match.group(1)) != kind:
                continue
            position = match.end(2)
            value = match.group(2)
            start, end = match.span(2)
            if value[:1] in "\"'":
                inner = value[1:-1]
                if not inner or inner.startswith(("[REDACTED", "${", "{{", "<")):
                    continue
                if inner.lower() in _PLACEHOLDER_VALUES or set(inner) <= set("*xX.#-_"):
                    continue
                yield start + 1, end - 1
            elif looks_like_secret_value(value):
                yield start, end

    return find


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
    if "::" in text and not any(ch.isdigit() for ch in text):
        return False
    # Erlang's "14-Mar-2026::09:58:15": a year and a time of day, all decimal, no address.
    groups = [group for group in text.split(":") if group]
    return not (
        len(groups) >= 3
        and all(group.isdigit() for group in groups)
        and all(len(group) == 2 for group in groups[-3:])
        and int(groups[-3]) < 24
        and int(groups[-2]) < 60
        and int(groups[-1]) < 61
    )


def _emails(text: str) -> Iterator[tuple[int, int]]:
    if "@" not in text:
        return
    for match in _EMAIL.finditer(text):
        if match.group(1).lower() not in _SERVICE_MAILBOXES:
            yield match.span()


def _ips(text: str) -> Iterator[tuple[int, int]]:
    if "." in text:
        for match in _IPV4.finditer(text):
            if _valid_ipv4(match.group()):
                yield match.span()
    if ":" in text:
        for match in _IPV6.finditer(text):
            if _valid_ipv6(match.group()):
                yield match.span()


DETECTORS: tuple[Detector, ...] = (
    Detector("private-key", SPECIFIC, _whole(_PEM_BLOCK, "-----BEGIN")),
    Detector("gcp-service-account", SPECIFIC, _whole(_SERVICE_ACCOUNT, "service_account")),
    Detector("url-password", SPECIFIC, _group(_URL_PASSWORD, "://")),
    Detector("authorization", SPECIFIC, _group(_BEARER, "bearer", looks_like_secret_value)),
    Detector("authorization", SPECIFIC, _group(_AUTH_HEADER, "authorization")),
    Detector("password", SPECIFIC, _group(_KEY_VALUE_SETTING, "value")),
    Detector("key-material", GENERIC, _key_material),
    Detector("password", GENERIC, _assignments("password")),
    Detector("secret", GENERIC, _assignments("secret")),
    Detector("email", PERSONAL, _emails),
    Detector("ip", PERSONAL, _ips),
)

PERSONAL_KINDS = frozenset({"email", "ip"})
KINDS = frozenset(d.kind for d in DETECTORS)


def find(text: str, skip: frozenset[str], allowed: frozenset[str]) -> list[Finding]:
    """Our rules' findings in ``text``, except kinds in ``skip`` and values in ``allowed``."""
    found: list[Finding] = []
    for detector in DETECTORS:
        if detector.kind in skip:
            continue
        for start, end in detector.find(text):
            if end > start and text[start:end] not in allowed:
                found.append(Finding(start, end, detector.kind, detector.priority))
    return found
