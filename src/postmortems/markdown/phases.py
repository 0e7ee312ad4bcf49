"""Lifecycle phases of timeline entries: explicit tags, or inferred from the wording.

Explicit tags are written in square brackets right after the time (``[detected]``,
``[mitigated]``) or in parentheses at the end of an entry, as some teams do
("... (problem started)", "... (resolved)"), or as a marker in capitals or bold at the
start of the entry ("OUTAGE BEGINS", "**INCIDENT ENDS**"). They always win.

Where a phase is not tagged anywhere (the seed's example and most real documents), it
is inferred from the entries' words, and marked as inferred:

- start: the first entry saying impact began ("first signs", "errors started",
  "outage began", "users reported", ...);
- detect: the first entry saying someone or something noticed ("detected", "alert
  fired", "paged", "alarm", "reported", "noticed");
- acknowledge: the first "acknowledged", "incident declared", "on-call responded";
- mitigate: the first entry saying impact ended ("service restored", "recovered",
  "back to normal", "mitigated", "error rate returned to baseline");
- resolve: the last entry saying the incident was closed ("incident resolved",
  "monitoring confirmed normal", "all clear", "closed").

When nothing says outright that impact began, the first entry before detection that says
something went wrong ("pipeline failed", "pods evicted", "returning 503") marks the start;
failing that, the detection time stands for it (impact is known to have begun by then).
Impact never starts after the first entry saying it was noticed or taken on. Inference never looks at an entry earlier than the
inferred start for the later phases, so a deploy before the outage is not "restored".
"""

from __future__ import annotations

import re

from postmortems.model import Phase

_TAG_WORDS: dict[str, Phase] = {
    "trigger": Phase.TRIGGER,
    "triggered": Phase.TRIGGER,
    "start": Phase.START,
    "started": Phase.START,
    "problem started": Phase.START,
    "impact started": Phase.START,
    "impact start": Phase.START,
    "detect": Phase.DETECT,
    "detected": Phase.DETECT,
    "detection": Phase.DETECT,
    "ack": Phase.ACKNOWLEDGE,
    "acknowledge": Phase.ACKNOWLEDGE,
    "acknowledged": Phase.ACKNOWLEDGE,
    "mitigate": Phase.MITIGATE,
    "mitigated": Phase.MITIGATE,
    "mitigation": Phase.MITIGATE,
    "recovered": Phase.MITIGATE,
    "ended": Phase.END,
    "impact ended": Phase.END,
    "outage ended": Phase.END,
    "resolve": Phase.RESOLVE,
    "resolved": Phase.RESOLVE,
    "resolution": Phase.RESOLVE,
}

_TAG_ALTERNATIVES = "|".join(sorted((re.escape(w) for w in _TAG_WORDS), key=len, reverse=True))
LEADING_TAG = re.compile(rf"^\[({_TAG_ALTERNATIVES})\]\s*", re.IGNORECASE)
TRAILING_TAG = re.compile(rf"\s*\(({_TAG_ALTERNATIVES})\)\s*\.?\s*$", re.IGNORECASE)

CANONICAL_TAG: dict[Phase, str] = {
    Phase.TRIGGER: "trigger",
    Phase.START: "started",
    Phase.DETECT: "detected",
    Phase.ACKNOWLEDGE: "acknowledged",
    Phase.MITIGATE: "mitigated",
    Phase.END: "ended",
    Phase.RESOLVE: "resolved",
}

# Phase markers written in capitals or bold at the start of an entry, as the Google SRE
# book's example does: "**OUTAGE BEGINS** — …", "OUTAGE MITIGATED, …", "INCIDENT ENDS".
# An incident "begins" when it is declared, which is taking it on (acknowledge).
_MARKER_PHASES: dict[tuple[str, str], Phase] = {
    ("outage", "begins"): Phase.START,
    ("impact", "begins"): Phase.START,
    ("outage", "detected"): Phase.DETECT,
    ("incident", "detected"): Phase.DETECT,
    ("incident", "begins"): Phase.ACKNOWLEDGE,
    ("incident", "declared"): Phase.ACKNOWLEDGE,
    ("outage", "mitigated"): Phase.MITIGATE,
    ("impact", "mitigated"): Phase.MITIGATE,
    ("incident", "mitigated"): Phase.MITIGATE,
    ("outage", "ends"): Phase.END,
    ("impact", "ends"): Phase.END,
    ("incident", "ends"): Phase.RESOLVE,
    ("incident", "resolved"): Phase.RESOLVE,
    ("incident", "closed"): Phase.RESOLVE,
}
_MARKER_VERBS = {"began": "begins", "starts": "begins", "started": "begins", "ended": "ends"}
_MARKER_RE = re.compile(
    r"^\s*(?P<open>\*\*|__)?\s*(?P<noun>outage|incident|impact)\s+"
    r"(?P<verb>begins|began|starts|started|detected|declared|mitigated|ends|ended|resolved|closed)"
    r"(?![A-Za-z])\s*(?P=open)?",
    re.IGNORECASE,
)


def marker_phase(text: str) -> Phase | None:
    """The phase a marker at the start of an entry names, in capitals or bold, or None."""
    match = _MARKER_RE.match(text)
    if match is None:
        return None
    words = f"{match['noun']} {match['verb']}"
    if not match["open"] and words != words.upper():
        return None  # "Outage began when …" is a sentence; "OUTAGE BEGINS" is a marker
    verb = match["verb"].lower()
    return _MARKER_PHASES.get((match["noun"].lower(), _MARKER_VERBS.get(verb, verb)))


def split_tag(text: str) -> tuple[Phase | None, str]:
    """An explicit phase tag and the entry's text without it."""
    match = LEADING_TAG.match(text)
    if match:
        return _TAG_WORDS[match.group(1).lower()], text[match.end() :]
    match = TRAILING_TAG.search(text)
    if match:
        return _TAG_WORDS[match.group(1).lower()], text[: match.start()]
    return marker_phase(text), text


def _words(*patterns: str) -> re.Pattern[str]:
    # Lower-case patterns, searched in lower-cased text (see infer_phases): several times
    # faster than re.IGNORECASE on alternations this long, over timelines of many entries.
    return re.compile(r"\b(?:" + "|".join(patterns) + r")")


_START = _words(
    r"first (?:signs?|reports?|errors?|symptoms?)",
    r"(?:outage|incident|impact|problem|issue|degradation|errors?|failures?|latency) (?:began|begins|started|starts)",
    r"(?:began|started) (?:failing|erroring|returning|timing out|to fail|seeing|to see)",
    r"users? (?:began|started|were) (?:seeing|reporting|unable|experiencing|getting)",
    r"(?:spike|surge|burst) (?:in|of) (?:errors?|5\d\d|latency|failures?)",
    r"(?:went|goes|was) down\b",
    r"became (?:unavailable|unresponsive|unreachable)",
    r"outage (?:began|started)",
    r"(?:starts?|begins?) (?:failing|erroring|returning errors|returning 5\d\d|to fail|timing out|late)",
    r"(?:start|starts|begin|begins) (?:seeing|reporting|getting|experiencing)",
    r"(?:logins?|requests?|jobs?|payments?|pages?|checkouts?|builds?|deploys?|queries) (?:start|begin)",
)
# Words of something going wrong: an entry before detection saying so marks the start
# when no entry says outright that impact began.
_FAILURE = _words(
    r"failed",
    r"failing",
    r"crash(?:ed|es|ing)",
    r"crash ?loop(?:ing|s)?",
    r"deleted (?:all|every|the)",
    r"broke",
    r"(?:was|were|got) deleted",
    r"deleted from",
    r"(?:went|go|goes) down",
    r"outage",
    r"unavailable",
    r"unreachable",
    r"unresponsive",
    r"degraded",
    r"stopped (?:working|responding|serving)",
    r"(?:returning|returned|throwing|threw) (?:errors?|5\d\d|4\d\d)",
    r"exhausted",
    r"expire[sd]",
    r"evicted",
    r"timing out|timed out",
    r"(?:status|http) 5\d\d",
    r"fails\b",
    r"go(?:es)? wrong",
    r"stops? (?:working|responding|serving|after|running)",
    r"corrupt(?:s|ed|ing)?\b",
    r"(?:is|was|were) shut down",
    r"loses? (?:its |the )?(?:\w+ )?connection",
    r"(?:latency|errors?|error rates?|load|cpu|memory|queue) (?:climbs?|rises?|spikes?|increases?|grows?)",
    r"crash[- ]?loop\w*",
    r"unschedulable",
    r"deleted (?:all|every)",
)
_DETECT = _words(
    r"detected",
    r"first (?:signs?|reports?|alerts?|complaints?|tickets?)",
    r"reports? (?:arrived|came in|were received|was received|from (?:users|customers|support))",
    r"(?:users?|customers?|support) (?:reported|reporting|complained|raised|opened)",
    r"(?:automated|automatic) (?:warning|alert|alarm|notification)",
    r"(?:customer|user|client|trader|merchant|driver)s? reports?\b",
    r"(?:monitor|monitoring|uptime check|pager|probe)s? alerts?\b",
    r"alerts? (?:fires?|triggers?|goes off|went off)",
    r"alarms? (?:fires?|goes off)",
    r"notices?\b",
    r"detects?\b",
    r"is detected",
    r"alerts? (?:fired|firing|triggered|went off|received|raised)",
    r"alarms? (?:fired|triggered|went off|received|raised)",
    r"automatic alarm",
    r"(?:was|were|got|gets|is|are) paged",
    r"alerts? pages?\b",
    r"receives? (?:a |the )?(?:page|pager)\b",
    r"pager (?:storm|alert|alarm)",
    r"pages? (?:sent|went out|triggered)",
    r"paging",
    r"noticed",
    r"(?:first )?reported",
    r"monitoring (?:showed|flagged|caught|alerted|detected)",
    r"reports? of (?:issues?|errors?|problems?|failures?|an? outage)",
    r"found an? (?:error|issue|problem|bug|failure)",
    r"(?:first )?alert (?:fires|goes off)",
    r"uptime check (?:on [\w.-]+ )?fail",
    r"health ?check (?:failed|fails|failing)",
)
_ACKNOWLEDGE = _words(
    r"acknowledged",
    r"ack'?d",
    r"acknowledges?\b",
    r"(?:is|was) declared",
    r"declares (?:an|the) incident",
    r"(?:starts?|begins?) investigating",
    r"incident (?:was )?declared",
    r"declared (?:an|the) incident",
    r"on-?call (?:engineer )?(?:responded|joined|picked up|began|started)",
    r"(?:began|started) investigating",
    r"investigation (?:began|started)",
)
_MITIGATE = _words(
    r"(?:service|services|site|system|api|traffic|access|functionality) (?:was |were |is |are )?(?:fully |partially )?(?:restored|recovered|back)",
    r"(?:fully |was |were )restored",
    r"recovered",
    r"back to normal",
    r"returned to (?:normal|baseline)",
    r"mitigated",
    r"mitigation (?:was )?(?:applied|complete|in place)",
    r"(?:error rates?|errors?|latency) (?:dropped|returned|recovered|subsided|stopped|normali[sz]ed)",
    r"rollback (?:was )?(?:complete|completed|finished|done)",
    r"(?:rolled back|reverted) successfully",
    r"(?:hub|site|service|cluster|api) (?:is |was )?(?:back )?online",
    r"(?:solved|fixed) the (?:issue|problem)",
    r"(?:issue|problem|outage) (?:was |is )?(?:fixed|solved)",
    r"(?:systems?|services?|everything|servers?|website|site) (?:\w+ )?(?:verified |confirmed )?"
    r"(?:operational|up and running|working (?:again|normally|as expected))",
    r"back (?:up|online) (?:and running)?",
    r"(?:confirmed|verified) (?:as )?(?:working|operational|fixed)",
    r"working as (?:intended|expected)",
    r"reports? back that it works",
    r"(?:fix|workaround|hotfix) (?:was )?(?:applied|deployed|in place)",
    r"(?:succeed|succeeds|work|works|run|runs|respond|responds|load|loads|pass|passes)"
    r"(?: \w+){0,2} again",
    r"all (?:requests|jobs|payments|logins|checks|pages|queries) (?:succeed|pass|work|load)",
    r"(?:is|are) (?:fully )?(?:restored|recovered|back to normal)",
    r"results are correct",
    r"(?:update|updates|publish|publishes|flow|flows|sync|syncs) again",
    r"no more (?:errors|duplicates|failures|timeouts|alerts)",
    r"(?:serve|serves|serving|respond|responds) (?:\w+ ){0,2}again",
    r"(?:latency|error rates?|errors?|traffic) (?:returns?|goes back|is back) to (?:normal|baseline)",
    r"(?:duplicates|errors|failures|timeouts) stop\b",
    r"up and running (?:again|normally)",
    r"(?:services?|systems?|site|api|cluster) (?:is |are |was |were |fully )?operational",
    r"(?:confirmed|is|are|was|were|started|back) working",
    r"working (?:again|as expected|correctly)",
    r"up and running again",
    r"which (?:solved|fixed|resolved) the (?:issue|problem)",
    r"(?:solved|fixed) the (?:issue|problem|outage)",
    r"successfully (?:restart\w*|rolled back|reverted|redeployed)",
)
_RESOLVE = _words(
    r"(?:incident|issue|outage|problem) (?:was |is )?(?:fully )?(?:resolved|closed|over)",
    r"resolved",
    r"monitoring confirmed",
    r"all[- ]clear",
    r"closed the incident",
    r"incident closed",
    r"incident resolution\b",
    r"permanently (?:fixed|resolved|solved)",
    r"(?:issue|problem|incident) (?:was |is )?permanently (?:fixed|solved|resolved)",
    r"all (?:systems?|services?) (?:are |were )?operational",
    r"(?:services?|systems?) (?:is |are |was |were |fully )?operational",
    r"confirmed working",
    r"(?:verified|confirmed) (?:that )?all (?:systems?|services?) (?:are |were )?operational",
)


def infer_phases(texts: list[str], explicit: list[Phase | None]) -> dict[Phase, int]:
    """The index of the entry that marks each phase not given explicitly, from the wording."""
    given = {phase for phase in explicit if phase is not None}
    found: dict[Phase, int] = {}
    texts = [text.lower() for text in texts]  # the patterns are lower-case: see _words

    def first(pattern: re.Pattern[str], after: int = 0) -> int | None:
        for index in range(after, len(texts)):
            if pattern.search(texts[index]):
                return index
        return None

    start_floor = 0
    if Phase.START not in given:
        start = first(_START)
        detect_guess = first(_DETECT)
        if start is None:
            failure = first(_FAILURE)
            if failure is not None and (detect_guess is None or failure <= detect_guess):
                start = failure
        if start is None:
            start = detect_guess
        # Impact cannot begin after the incident was noticed or taken on.
        noticed = [i for i in (detect_guess, first(_ACKNOWLEDGE)) if i is not None]
        if start is not None and noticed:
            start = min(start, *noticed)
        if start is not None:
            found[Phase.START] = start
            start_floor = start
    else:
        start_floor = next(i for i, p in enumerate(explicit) if p == Phase.START)
    if Phase.DETECT not in given:
        detect = first(_DETECT, start_floor)
        if detect is not None:
            found[Phase.DETECT] = detect
    if Phase.ACKNOWLEDGE not in given:
        acknowledge = first(_ACKNOWLEDGE, start_floor)
        if acknowledge is not None:
            found[Phase.ACKNOWLEDGE] = acknowledge
    mitigate: int | None = None
    if Phase.MITIGATE not in given:
        mitigate = first(_MITIGATE, start_floor + 1 if Phase.START in found else start_floor)
        if mitigate is not None:
            found[Phase.MITIGATE] = mitigate
    if Phase.RESOLVE not in given:
        floor = mitigate if mitigate is not None else start_floor
        resolve = None
        for index in range(len(texts) - 1, floor - 1, -1):
            if _RESOLVE.search(texts[index]):
                resolve = index
                break
        if resolve is not None:
            found[Phase.RESOLVE] = resolve
    return found
