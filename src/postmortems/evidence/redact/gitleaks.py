"""gitleaks' rule set, vendored as data and applied the way gitleaks applies it.

``data/gitleaks.toml`` is gitleaks' default configuration, copied unchanged (MIT, see
``data/LICENSE-gitleaks``; ``data/gitleaks.source.toml`` records the commit and checksum,
and a test holds the copy to that record). It is read once, on first use.

Patterns are Go regular expressions; RE2 (``google-re2``) is the engine Go's syntax comes
from, so every rule compiles as written, and its matching time is linear in the text, so
no line of hostile evidence can make a pattern backtrack for minutes.

For each text, as gitleaks does for each fragment:

1. the lower-cased text is searched for every rule's ``keywords`` at once (an RE2 set),
   and only rules with a keyword present are run;
2. each match's secret is its ``secretGroup``, else its first non-empty group, else the
   whole match;
3. a secret whose Shannon entropy is not above the rule's ``entropy`` is not a finding;
4. the global and the rule's ``allowlists`` are honoured (and one of ours,
   :data:`LOG_ALLOWLIST`, for page tokens): ``regexes`` tested on the
   secret, the match or the line (``regexTarget``), ``stopwords`` on the secret,
   ``condition`` OR/AND;
5. a ``generic-*`` finding inside a more specific rule's secret gives way to it.

One adaptation to logs: where a pattern ends a token as source code does (at a quote,
space or semicolon), a comma, colon, full stop, bracket, parenthesis or ``&`` ends it too
(:data:`LOG_TOKEN_ENDS`).

Where gitleaks scans files, evidence lines have no file path: ``path`` conditions cannot
hold, so a rule's path filter is not applied (its pattern runs on every text) and path
allowlists never allow. The one rule that is only a path (``pkcs12-file``: key stores
recognised by file name) has nothing to match in text; it is loaded and listed in
:attr:`RuleSet.path_only`, never silently dropped.
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import re2

DATA = resources.files("postmortems.evidence.redact") / "data"
RULES_FILE = "gitleaks.toml"
SOURCE_FILE = "gitleaks.source.toml"


@dataclass(frozen=True)
class Finding:
    """A secret found in a text: ``text[start:end]`` is what to replace."""

    start: int
    end: int
    kind: str  # the rule id, e.g. "slack-app-token"
    priority: int  # lower wins where findings overlap


@dataclass(frozen=True)
class Allowlist:
    target: str  # "secret", "match" or "line"
    regexes: tuple[Any, ...]
    stopwords: tuple[str, ...]
    need_all: bool  # condition = "AND"
    has_paths: bool  # path checks never hold for evidence text

    def allows(self, secret: str, match: str, line: str) -> bool:
        target = {"match": match, "line": line}.get(self.target, secret)
        regex = bool(target) and any(p.search(target) is not None for p in self.regexes)
        lowered = secret.lower()
        stopword = any(word in lowered for word in self.stopwords)
        if self.need_all:
            checks = [False] if self.has_paths else []
            if self.regexes:
                checks.append(regex)
            if self.stopwords:
                checks.append(stopword)
            return bool(checks) and all(checks)
        return regex or stopword


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: Any  # a compiled RE2 pattern; None for a path-only rule
    keywords: tuple[str, ...]
    entropy: float
    secret_group: int
    allowlists: tuple[Allowlist, ...]

    @property
    def generic(self) -> bool:
        return "generic" in self.id.lower()


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    path_only: tuple[str, ...]  # ids of rules that match file names only
    allowlists: tuple[Allowlist, ...]  # the global ones
    keyword_set: Any  # RE2 set of every keyword; index -> keywords[index]
    keywords: tuple[str, ...]
    rules_by_keyword: dict[str, tuple[Rule, ...]]
    always: tuple[Rule, ...]  # rules without keywords: run on every text

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules) + self.path_only

    def find(self, text: str, priority: int = 0, generic_priority: int = 1) -> list[Finding]:
        """Every secret in ``text`` under gitleaks' semantics."""
        lowered = text.lower()
        present = self.keyword_set.Match(lowered) if self.keywords else []
        selected: dict[str, Rule] = {rule.id: rule for rule in self.always}
        for index in present or ():
            for rule in self.rules_by_keyword[self.keywords[index]]:
                selected.setdefault(rule.id, rule)
        findings: list[tuple[Finding, str]] = []
        for rule in selected.values():
            for finding, secret in self._run(rule, text, priority, generic_priority):
                findings.append((finding, secret))
        return _prefer_specific(findings)

    def _run(
        self, rule: Rule, text: str, priority: int, generic_priority: int
    ) -> Iterator[tuple[Finding, str]]:
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            whole = text[start:end]
            # gitleaks trims newlines off the match (a pattern may end on a line break).
            stripped = whole.strip("\n")
            if not stripped:
                continue
            start += len(whole) - len(whole.lstrip("\n"))
            end = start + len(stripped)
            s_start, s_end = _secret_span(rule, match, start, end)
            secret = text[s_start:s_end]
            if not secret:
                continue
            if rule.entropy and shannon_entropy(secret) <= rule.entropy:
                continue
            line = _line_of(text, start, end)
            if any(a.allows(secret, stripped, line) for a in self.allowlists):
                continue
            if any(a.allows(secret, stripped, line) for a in rule.allowlists):
                continue
            if LOG_ALLOWLIST.allows(secret, stripped, line):
                continue
            rank = generic_priority if rule.generic else priority
            yield Finding(s_start, s_end, rule.id, rank), secret


def _secret_span(rule: Rule, match: Any, start: int, end: int) -> tuple[int, int]:
    groups = match.groups()
    if not groups:
        return start, end
    if rule.secret_group:
        if rule.secret_group > len(groups) or groups[rule.secret_group - 1] is None:
            return start, start  # gitleaks skips such a match
        span: tuple[int, int] = match.span(rule.secret_group)
        return span
    for index, value in enumerate(groups, 1):
        if value:
            first: tuple[int, int] = match.span(index)
            return first
    return start, end


def _line_of(text: str, start: int, end: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start : len(text) if line_end < 0 else line_end]


def _prefer_specific(found: list[tuple[Finding, str]]) -> list[Finding]:
    """Drop a generic finding whose secret a specific rule's secret contains (as gitleaks)."""
    specific = [secret for finding, secret in found if finding.priority == 0]
    return [
        finding
        for finding, secret in found
        if finding.priority == 0 or not any(secret in other for other in specific)
    ]


def shannon_entropy(text: str) -> float:
    """Bits per character, as gitleaks computes it."""
    if not text:
        return 0.0
    size = len(text)
    return -sum(n / size * math.log2(n / size) for n in Counter(text).values())


# gitleaks ends most tokens at a quote, a space, a semicolon or the end of a line, as in
# source code. In logs a token also ends at a comma, a colon, a full stop, a bracket, a
# parenthesis or the next query parameter ("(key=rk_live_…)", "?key=AIza…&q=",
# "token …: expired"): each of gitleaks' ways of ending a token is widened for those.
LOG_TOKEN_ENDS = (
    (r"""(?:[\x60'"\s;]|\\[nr]|$)""", r"""(?:[\x60'"\s;,:.&|)\]}>]|\\[nr]|$)"""),
    (r"""(?:$|[\\'"\x60\s<),])""", r"""(?:$|[\\'"\x60\s<),:.;&|\]}>])"""),
    (r"""(?:\s|\z)""", r"""(?:[\s:.,;)\]}]|\z)"""),
)


def compile_go(pattern: str) -> Any:
    """A Go (RE2) pattern compiled as Go would: ``$`` is the end of the text."""
    return re2.compile(pattern)


def compile_rule(pattern: str) -> Any:
    """A rule's pattern, with the end of a token as it is in logs (see LOG_TOKEN_ENDS)."""
    for as_in_code, as_in_logs in LOG_TOKEN_ENDS:
        pattern = pattern.replace(as_in_code, as_in_logs)
    return compile_go(pattern)


def _allowlist(raw: dict[str, Any]) -> Allowlist:
    return Allowlist(
        target=str(raw.get("regexTarget", "secret")),
        regexes=tuple(compile_go(p) for p in raw.get("regexes", ())),
        stopwords=tuple(str(w).lower() for w in raw.get("stopwords", ())),
        need_all=str(raw.get("condition", "OR")).upper() == "AND",
        has_paths=bool(raw.get("paths")),
    )


def _rule_allowlists(raw: dict[str, Any]) -> tuple[Allowlist, ...]:
    lists = list(raw.get("allowlists", ()))
    if "allowlist" in raw:  # the older, singular spelling
        lists.append(raw["allowlist"])
    # Path-only allowlists are kept (and never allow: evidence text has no path).
    return tuple(_allowlist(a) for a in lists)


def parse(config: dict[str, Any]) -> RuleSet:
    """A rule set from a parsed gitleaks configuration."""
    rules: list[Rule] = []
    path_only: list[str] = []
    for raw in config.get("rules", ()):
        if "regex" not in raw:
            path_only.append(str(raw["id"]))
            continue
        rules.append(
            Rule(
                id=str(raw["id"]),
                pattern=compile_rule(str(raw["regex"])),
                keywords=tuple(str(k).lower() for k in raw.get("keywords", ())),
                entropy=float(raw.get("entropy", 0.0)),
                secret_group=int(raw.get("secretGroup", 0)),
                allowlists=_rule_allowlists(raw),
            )
        )
    global_lists = [config["allowlist"]] if "allowlist" in config else []
    global_lists += list(config.get("allowlists", ()))
    keywords = tuple(sorted({k for rule in rules for k in rule.keywords}))
    keyword_set = re2.Set.SearchSet()
    for keyword in keywords:
        keyword_set.Add(re2.escape(keyword))
    if keywords:
        keyword_set.Compile()
    by_keyword = {k: tuple(r for r in rules if k in r.keywords) for k in keywords}
    return RuleSet(
        rules=tuple(rules),
        path_only=tuple(path_only),
        allowlists=tuple(_allowlist(a) for a in global_lists),
        keyword_set=keyword_set,
        keywords=keywords,
        rules_by_keyword=by_keyword,
        always=tuple(r for r in rules if not r.keywords),
    )


def vendored_text() -> bytes:
    return (DATA / RULES_FILE).read_bytes()


def vendored_source() -> dict[str, Any]:
    """The record of where the vendored rules come from (commit, date, checksum)."""
    return tomllib.loads((DATA / SOURCE_FILE).read_text(encoding="utf-8"))


@cache
def vendored() -> RuleSet:
    """The vendored rule set, compiled on first use and kept."""
    return parse(tomllib.loads(vendored_text().decode("utf-8")))


# Allowed in logs besides gitleaks' own allowlists: tokens that page through results
# ("next_page_token=CiAK…") are positions in a listing, and the "keys" of alerting and
# storage ("alert_key", "dedup_key", "cache_key") name things; none is a credential.
LOG_ALLOWLIST = Allowlist(
    target="match",
    regexes=(
        compile_go(r"(?i)(?:page|next|continuation|sync|resume)[_.-]?token"),
        compile_go(
            r"(?i)(?:alert|dedup|incident|idempotency|cache|partition|object|primary|"
            r"foreign|sort|group|shard)[_.-]?key"
        ),
    ),
    stopwords=(),
    need_all=False,
    has_paths=False,
)
