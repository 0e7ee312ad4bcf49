"""Small text helpers shared by the rule families (compiled once, at import)."""

from __future__ import annotations

import re

from postmortems.lint.context import LintContext

SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[*_])")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
CHECKBOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]\s+", re.MULTILINE)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MARKUP = re.compile(r"[*_`>#|]+")

USER_NOUNS = re.compile(
    r"\b(?:users?|customers?|clients?|visitors?|students?|players?|members?|people|"
    r"subscribers?|buyers?|shoppers?|readers?|developers?|tenants?|merchants?|patients?|"
    r"passengers?|guests?|employees?|staff|teams?|callers?|consumers?|accounts?|everyone|"
    r"anyone|nobody)\b",
    re.IGNORECASE,
)
EXPERIENCE_WORDS = re.compile(
    r"\b(?:errors?|(?:could|can)\s*(?:not|n['’]t)|unable|failed|failures?|fail(?:ing|s)?|"
    r"slow(?:ness|er)?|latency|timeouts?|timed\s+out|unavailable|unreachable|outage|down|"
    r"downtime|delay(?:s|ed)?|lost|loss|inconsisten(?:t|cy|cies)|saw|seen|experienced|"
    r"received|got|blank|broken|stale|wrong|missing|5\d\d|4\d\d|blocked|locked\s+out|"
    r"logged\s+out|retry|retries|degraded|disrupt(?:ed|ion))\b",
    re.IGNORECASE,
)
SEVERE_WORDS = re.compile(
    r"\b(?:all\s+(?:users|customers|clients|services|traffic|requests|regions)|"
    r"every\s+(?:user|customer|request)|data\s+loss|lost\s+data|(?:complete|total|full|"
    r"entire|global)\s+(?:service\s+)?(?:outage|downtime|loss\s+of\s+service)|"
    r"100\s?%\s+of|whole\s+site|entire\s+site)\b",
    re.IGNORECASE,
)
SEVERITY_NUMBER = re.compile(r"(?:sev|severity|s|p|priority|level)\s*[-:]?\s*([0-5])\b", re.I)


def sentences(text: str) -> list[str]:
    """Sentences of Markdown prose; each list item counts as its own sentence."""
    plain = MARKUP.sub("", text)
    parts: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)", plain):
        block = LIST_ITEM.sub("", block).strip()
        if not block:
            continue
        parts.extend(p.strip() for p in SENTENCE_END.split(block) if len(WORD.findall(p)) >= 2)
    return parts


def words(text: str) -> list[str]:
    return WORD.findall(text)


def severity_rank(severity: str | None) -> int | None:
    """1 (highest) to 5 (lowest), or None when the severity is not understood."""
    if not severity:
        return None
    text = severity.strip().lower()
    match = SEVERITY_NUMBER.search(text) or re.fullmatch(r"([0-5])", text)
    if match:
        return max(int(match.group(1)), 1)
    for words_, rank in (
        (("critical", "blocker", "emergency", "sev-critical"), 1),
        (("high", "major", "severe"), 2),
        (("medium", "moderate", "normal"), 3),
        (("low", "minor"), 4),
        (("trivial", "informational", "info", "cosmetic"), 5),
    ):
        if any(w in text for w in words_):
            return rank
    return None


def is_severe(ctx: LintContext) -> bool:
    """SEV1/SEV2 or equivalent, or impact wording that only a severe incident has."""
    rank = severity_rank(ctx.pm.severity)
    if rank is not None:
        return rank <= 2
    text = ctx.pm.impact + "\n" + ctx.pm.summary
    return bool(SEVERE_WORDS.search(text))
