"""Redaction of secrets and personal data in everything written out.

Each finding is replaced by a typed placeholder such as ``[REDACTED:slack-app-token]`` and
counted per kind, so ``pm gather`` and the draft can say what was removed.

Two sources of rules (``docs/evidence.md`` says why these):

* gitleaks' rule set (``gitleaks.py``): about 220 kinds of credentials, each with the
  keywords, entropy threshold and allowlists gitleaks tunes them with; vendored as data;
* our rules (``patterns.py``): multi-line private keys and service-account files, key
  material, passwords in URLs and assignments, authorization headers — and personal data
  (``email``, ``ip``), which gitleaks does not look for.

Where findings overlap, the more specific one names the placeholder and the union of
their spans is replaced, so nothing any rule flagged survives in part.

Redaction runs on what is written out (collapsed events, examples of unparsed lines,
messages), never on the per-line reading path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from postmortems.evidence.redact import gitleaks, patterns
from postmortems.evidence.redact.gitleaks import Finding
from postmortems.evidence.redact.patterns import DEFAULT_ALLOWLIST, PERSONAL, PERSONAL_KINDS

PLACEHOLDER = "[REDACTED:{}]"
PLACEHOLDER_PATTERN = re.compile(r"\[REDACTED:[a-z0-9-]+\]")
KEEPABLE = PERSONAL_KINDS  # what --keep may name
KIND_NAMES = {"ip": "IP addresses", "email": "email addresses"}


def parse_keep(value: str | None) -> frozenset[str]:
    """``--keep ip,email`` as a set of kinds; raises ValueError naming what cannot be kept."""
    kinds = frozenset(part.strip().lower() for part in (value or "").split(",") if part.strip())
    unknown = kinds - KEEPABLE
    if unknown:
        raise ValueError(
            f"cannot keep {', '.join(sorted(unknown))}: --keep takes {', '.join(sorted(KEEPABLE))}"
        )
    return kinds


def describe_kept(kinds: Iterable[str]) -> str:
    """'IP addresses and email addresses kept as written (--keep ip,email)', or ''."""
    names = sorted(kinds)
    if not names:
        return ""
    words = " and ".join(KIND_NAMES.get(k, k) for k in names)
    return f"{words} kept as written (--keep {','.join(names)})"


__all__ = [
    "DEFAULT_ALLOWLIST",
    "KEEPABLE",
    "PLACEHOLDER",
    "PLACEHOLDER_PATTERN",
    "Redactor",
    "all_kinds",
    "describe_kept",
    "parse_keep",
    "shorten",
]


def shorten(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters between words, never inside one.

    A secret cut in half no longer matches its rule, so a cut inside a word could let
    half a token through; the partial word is left out instead, and the cut is marked.
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    if not text[limit].isspace():
        head = head.rsplit(None, 1)[0] if any(c.isspace() for c in head) else ""
    return f"{head.rstrip()} … ({len(text):,} characters)"


def all_kinds() -> frozenset[str]:
    """Every placeholder kind: gitleaks' rule ids and ours."""
    return frozenset(gitleaks.vendored().ids) | patterns.KINDS


@dataclass
class Redactor:
    """Replaces secrets, emails and IP addresses in text, counting what it replaced.

    ``keep`` names personal-data kinds to leave in place (``ip``, ``email``);
    exact strings in ``allowlist`` are kept too.
    """

    keep: Iterable[str] = ()
    allowlist: Iterable[str] = DEFAULT_ALLOWLIST
    counts: dict[str, int] = field(default_factory=dict)
    _skip: frozenset[str] = field(init=False, repr=False)
    _allowed: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        keep = frozenset(self.keep)
        unknown = keep - KEEPABLE
        if unknown:
            raise ValueError(
                f"cannot keep {', '.join(sorted(unknown))}: only {', '.join(sorted(KEEPABLE))}"
            )
        self.keep = keep
        self._skip = keep
        self._allowed = frozenset(self.allowlist)

    def findings(self, text: str) -> list[Finding]:
        """What would be replaced in ``text``: merged spans, in order, none overlapping."""
        if not text:
            return []
        found = gitleaks.vendored().find(text, patterns.SPECIFIC, patterns.GENERIC)
        found += patterns.find(text, self._skip, self._allowed)
        return _merge(found)

    def redact(self, text: str) -> str:
        spans = self.findings(text)
        if not spans:
            return text
        parts: list[str] = []
        position = 0
        for finding in spans:
            parts.append(text[position : finding.start])
            parts.append(PLACEHOLDER.format(finding.kind))
            self.counts[finding.kind] = self.counts.get(finding.kind, 0) + 1
            position = finding.end
        parts.append(text[position:])
        return "".join(parts)

    def replace_whole(self, text: str, kind: str) -> str:
        """``text`` replaced as one finding of ``kind`` (a line known to be inside a key)."""
        if not text or PLACEHOLDER_PATTERN.fullmatch(text):
            return text
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return PLACEHOLDER.format(kind)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _merge(found: list[Finding]) -> list[Finding]:
    """Overlapping findings become one span, named by the most specific of them.

    Secrets overlapping secrets are replaced as the union of their spans, so no part of
    either survives. Personal data overlapping a secret gives way to it: in
    ``https://x:ghp_…@github.com`` the token goes and ``@github.com`` stays.
    """
    ordered = sorted(found, key=lambda f: (f.start, f.priority, -f.end))
    merged: list[Finding] = []
    for finding in ordered:
        if finding.start >= finding.end:
            continue
        if not merged or finding.start >= merged[-1].end:
            merged.append(finding)
            continue
        last = merged[-1]
        if (finding.priority == PERSONAL) != (last.priority == PERSONAL):
            if last.priority == PERSONAL:  # the secret wins the overlap
                merged[-1] = finding
            continue
        kind = last.kind if last.priority <= finding.priority else finding.kind
        merged[-1] = Finding(
            last.start, max(last.end, finding.end), kind, min(last.priority, finding.priority)
        )
    return merged
