"""Lifecycle phases of timeline entries: explicit tags, or inferred from the wording.

Explicit tags are written in square brackets right after the time (``[detected]``,
``[mitigated]``) or in parentheses at the end of an entry, as some teams do
("... (problem started)", "... (resolved)"), or as a marker in capitals or bold at the
start of the entry ("OUTAGE BEGINS", "**INCIDENT ENDS**"). They always win.

Where a phase is not tagged anywhere (the seed's example and most real documents), it
is inferred from the entries' words, and marked as inferred. The words are a class, not
a list of sentences: verbs in every tense and voice ("acked by on-call", "is paged"),
the nouns people write instead ("rollback completed", "failover to the replica"), and
the uses that say no such thing happened ("not yet mitigated", "we could have detected",
"the previous rollback") are left out (see `phase_words`):

- start: the first entry saying impact began ("first signs", "errors started",
  "outage began", "users cannot log in", ...);
- detect: the first entry saying someone or something noticed ("detected", "alert
  fired", "paged", "a customer reports", "noticed");
- acknowledge: the first "acknowledged", "incident declared", "on-call responded";
- mitigate: the first entry saying impact ended ("service restored", "recovered",
  "back to normal", "payments succeed again"); an action ("traffic shifted to the
  replica") directly followed by an entry saying impact ended gives way to that entry;
- resolve: the last entry saying the incident was closed ("incident resolved",
  "monitoring confirmed normal", "all clear", "closed").

When nothing says outright that impact began before it was noticed, the first entry
before detection that says something went wrong ("pipeline failed", "pods evicted",
"returning 503") marks the start; failing that, the change written before anyone noticed
("the new bundle is released"), as readers take it; failing that, the detection time
stands for it (impact is known to have begun by then). Impact never starts after the
first entry saying it was noticed or taken on. Inference never looks at an entry earlier
than the inferred start for the later phases, so a deploy before the outage is not
"restored".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from postmortems.markdown.phase_words import (
    Vocabulary,
    any_of,
    asserted,
    clause_of,
    lead,
    plain,
    verb,
    words,
)
from postmortems.model import Phase

# The words a tag can be written with ("[detected]", "(problem started)"): what the
# formatter may keep as written, and what `split_tag` reads.
TAG_WORDS: dict[str, Phase] = {
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

_TAG_ALTERNATIVES = "|".join(sorted((re.escape(w) for w in TAG_WORDS), key=len, reverse=True))
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
# An incident "begins" when it is declared: by the first page in some documents, by the
# on-call taking it on in others; so "INCIDENT BEGINS" is read with the entry's words as
# the detection or the acknowledgement, whichever nothing earlier marks (see infer_phases).
_MARKER_PHASES: dict[tuple[str, str], Phase] = {
    ("outage", "begins"): Phase.START,
    ("impact", "begins"): Phase.START,
    ("outage", "detected"): Phase.DETECT,
    ("incident", "detected"): Phase.DETECT,
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


# The same markers after the entry's words: "Queue age back to normal **OUTAGE ENDS**".
_TRAILING_MARKER_RE = re.compile(
    r"(?:^|\s)(?P<open>\*\*|__)?\s*(?P<noun>outage|incident|impact)\s+"
    r"(?P<verb>begins|began|starts|started|detected|declared|mitigated|ends|ended|resolved|closed)"
    r"(?![A-Za-z])\s*(?P=open)?\s*[.!]?\s*$",
    re.IGNORECASE,
)


def marker_phase(text: str) -> Phase | None:
    """The phase a marker at the start or the end of an entry names, in capitals or bold,
    or None."""
    match = _MARKER_RE.match(text) or _TRAILING_MARKER_RE.search(text)
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
        return TAG_WORDS[match.group(1).lower()], text[match.end() :]
    match = TRAILING_TAG.search(text)
    if match:
        return TAG_WORDS[match.group(1).lower()], text[: match.start()]
    return marker_phase(text), text


# The vocabulary. Verbs are written once with `verb`, which spells their forms; each
# phase lists what people write for it, and `phase_words.asserted` drops the uses that
# do not say the moment happened ("not yet mitigated", "the previous rollback").

_BAD_NOUNS = any_of(
    (
        r"outages?",
        r"incidents?",
        r"impact",
        r"problems?",
        r"issues?",
        r"degradation",
        r"disruptions?",
        r"errors?",
        r"failures?",
        r"latency",
        r"slowness",
        r"timeouts?",
        r"bounces?",
        r"complaints?",
        r"crash(?:es)?",
        r"exceptions?",
        r"5xx(?:s|es)?",
        r"5\d\ds?",
        r"retries",
        r"delays?",
        r"duplicates?",
        r"symptoms?",
        r"(?:boot|crash|restart) ?loops?",
        r"declines?",
        r"rejections?",
        # "exposure stops", "double credits stop"
        r"exposures?",
        r"leaks?",
        r"(?:double|duplicate|dup) \w+",
    )
)
# Figures that are bad when they rise, and figures that are bad when they fall.
_BAD_METRICS = any_of(
    (
        r"latency",
        r"(?:page )?load times?",
        r"response times?",
        r"error rates?",
        r"errors?",
        r"failures?",
        r"timeouts?",
        r"5xx(?:s|es)?",
        r"cpu(?: usage| load)?",
        r"memory(?: usage)?",
        r"(?:queue|backlog)(?: depth| size)?",
        r"lag",
        r"p9\d",
        r"load",
        r"bounces?",
        # "404 rate", "error ratio", "drop rate": a share of things going wrong
        r"(?:[45]\d\d|[45]xx|error|failure|timeout|drop|bounce|rejection|decline|zero-result|miss)"
        r" (?:rate|ratio|count|share|percentage)s?",
        r"queue age|(?:replica|consumer|replication) lag",
    )
)
_GOOD_METRICS = any_of(
    (
        r"(?:event |order |request |message )?volume",
        r"traffic",
        r"throughput",
        r"conversions?(?: rate)?",
        r"success rates?",
        r"sign-?ups?",
        r"orders",
        r"revenue",
        r"availability",
        r"uptime",
    )
)
_RISE = any_of(
    (
        verb("climb"),
        verb("rise", past="rose", s="rises"),
        verb("spike"),
        verb("increase"),
        verb("grow", past="grew"),
        verb("double"),
        verb("triple"),
        verb("jump", past="jumped"),
        verb("soar"),
        r"goes up|went up|shoots? up|shot up",
    )
)
_FALL = any_of(
    (
        verb("drop", past="dropped"),
        verb("fall", past="fell"),
        verb("decrease"),
        verb("decline"),
        verb("dip", past="dipped"),
        verb("plunge"),
        verb("subside"),
        r"goes down|went down",
        r"dropping|falling|decreasing|declining|dipping|subsiding|going down",
    )
)
_BEGIN = any_of(
    (
        verb("begin", "base s past ing", past="began", ing="beginning"),
        verb("start", "base s past ing"),
        verb("appear"),
    )
)
_GOING_WRONG = any_of(
    (
        verb("fail", "base s ing"),
        r"erroring",
        r"error(?:s|ed)? out",
        verb("crash", "base s ing"),
        r"returning (?:errors?|5\d\d|4\d\d|500s|an? error)",
        r"time out|timing out",
        verb("drop", "base ing", ing="dropping"),
        r"see|seeing|get|getting|report|reporting|experience|experiencing|notice|noticing",
        r"pile up|piling up|back up|backing up|lag|lagging|slow down|slowing down",
        r"be late|run late|running late|arrive late|late",
        r"be (?:incomplete|wrong|missing|slow|stale|empty|unavailable|broken|delayed)",
    )
)
_PEOPLE_WORDS = (
    r"users?",
    r"customers?",
    r"clients?",
    r"visitors?",
    r"partners?",
    r"merchants?",
    r"sellers?",
    r"buyers?",
    r"traders?",
    r"drivers?",
    r"students?",
    r"employees?",
    r"staff",
    r"players?",
    r"members?",
    r"subscribers?",
    r"people",
    r"everyone",
    r"nobody",
    r"developers?",
)
_PEOPLE = any_of(_PEOPLE_WORDS)

_START = words(
    r"first (?:signs?|errors?|symptoms?|failures?|timeouts?)(?![\w-])",
    rf"{_BAD_NOUNS} (?:\w+ )?{_BEGIN}",
    rf"{_BEGIN} (?:to )?{_GOING_WRONG}",
    rf"{_PEOPLE} (?:\w+ )?(?:began|begin|begins|started|start|starts|were|are|was|is) "
    r"(?:to )?(?:seeing|see|reporting|report|unable|experiencing|experience|getting|get|hitting)",
    rf"{_PEOPLE} (?:\w+ )?(?:can't|cannot|could not|couldn't|(?:are|were|is|was) not able|"
    r"(?:are|were|is|was) unable|can no longer|could no longer)",
    r"(?:spike|surge|burst|flood|wave) (?:in|of) (?:errors?|5\d\d|5xx|latency|failures?|timeouts?|"
    r"complaints?|alerts?)",
    r"(?:went|goes|go|was|were|is|are) down\b",
    r"[a-z]+s (?:are |were |start |started |begin |began )?(?:fail|failing)\b|[a-z]+s fail(?:s|ed)? to\b",
    r"(?:became|becomes|become|went|goes) (?:unavailable|unresponsive|unreachable|offline)",
    rf"(?:logins?|requests?|payments?|pages?|checkouts?|queries|uploads?|"
    rf"emails?|messages?|calls?|searches|orders|transactions?) (?:\w+ )?{_BEGIN}",
    # "lag begins to grow": a figure going the wrong way from then on
    rf"{_BEGIN} to (?:grow|rise|climb|increase|spike|build up|pile up|slow|degrade|lag)\b",
    # "first double credits written", "first stale prices served", "first declines"
    r"first (?:\w+ )?(?:stale|wrong|failed|bad|broken|duplicate|double|late|missing|empty|blank|"
    r"incorrect|declined|declines|errors?|timeouts?|crash\w*|failures?|[45]\d\d|[45]xx)\b",
    r"(?:charged|billed|debited|credited|paid) twice|double[- ](?:charged|billed|counted|credited)",
    # "first visitors get the page without styles"
    rf"first {_PEOPLE} (?:\w+ ){{0,2}}(?:get|gets|got|see|sees|saw|hit|hits|receive|receives|"
    r"received|experience|experiences)\b",
)
# Words of something going wrong: an entry before detection saying so marks the start
# when no entry says outright that impact began.
_FAILURE = words(
    verb("fail", "base s past ing"),
    verb("crash", "base s past ing"),
    r"crash[- ]?loop\w*",
    r"broke\b|broken|breaks?\b|breaking",
    r"deleted (?:all|every|the)|(?:was|were|got|is|are) deleted|deleted from",
    r"(?:went|go|goes|was|were|is|are) down\b",
    r"outages?",
    r"unavailable",
    r"unreachable",
    r"unresponsive",
    r"degraded",
    rf"{verb('stop', past='stopped')} (?:\w+ing|after|on\b)",
    r"(?:returning|returned|returns|throwing|threw|throws|raising|raised) (?:errors?|5\d\d|4\d\d|"
    r"500s|an? error|exceptions?)",
    verb("exhaust"),
    verb("expire"),
    verb("evict"),
    r"timing out|timed out|times out|time out",
    r"(?:status|http) 5\d\d",
    r"go(?:es)? wrong|went wrong|wrongly|wrong (?:results?|data|prices?|currency|values?)",
    r"corrupt(?:s|ed|ing)?\b",
    r"(?:is|was|were|are) shut down",
    r"loses? (?:its |the )?(?:\w+ )?connection|lost (?:its |the )?(?:\w+ )?connection",
    rf"{_BAD_METRICS} (?:\w+ )?{_RISE}",
    rf"{_GOOD_METRICS} (?:\w+ )?{_FALL}",
    r"unschedulable",
    r"(?:does|do|did) not (?:start|run|work|load|save|arrive|respond|finish|complete)",
    r"(?:fills?|filled) up|(?:is|was|are|were) full\b|disk (?:\w+ )?fill(?:s|ed)?|"
    r"(?:quota|limit|capacity) (?:\w+ ){0,4}(?:is |was )?(?:reached|exceeded|hit)",
    r"no space left|out of (?:memory|disk|space)|\boom(?:-?kill\w*)?\b",
    verb("skip", past="skipped"),
    verb("hang", past="hung") + r"\b",
    r"overload(?:s|ed)?",
    r"(?:are|were|is|was) dropped|drops? (?:out|requests|connections|messages|writes)",
    r"(?:stuck|frozen|blank|missing|lost)\b",
    r"(?:are|were|is|was) (?:\w+ )?(?:blocklisted|blacklisted|blocked|rejected|refused)",
    r"(?:rejects?|rejecting|refuses?|refusing) (?:\w+ )?(?:connections?|requests?|logins?|traffic|"
    r"writes?|payments?|messages?|emails?|jobs?|uploads?|calls?|sends?)",
    r"leaks?\b|leaking",
    r"(?:kernel )?panic(?:s|ked)?\b|segfault\w*",
    # "dup emails out", "duplicate invoices sent"
    r"(?:dup|dupe|duplicate|double)s? (?:\w+ )?(?:emails?|messages?|charges?|orders?|payments?|"
    r"invoices?|notifications?|sms|texts?|credits?|bookings?)\b",
    r"(?:slows?|slowed|slowing) (?:down|to a crawl)\b",
    r"(?:site|service|services|api|app|apps|server|servers|website|db|database|cluster|portal|"
    r"everything|host|node) down\b",
)
# A change to the system: before detection, with no word of impact before it, the change
# that set the incident off is when impact began, as its readers take it.
_CHANGE = words(
    r"deploy(?:s|ed|ing|ment)?",
    r"releas(?:e|es|ed|ing)",
    r"roll(?:s|ed)? out|rollout",
    r"(?:up|down)grad(?:e|es|ed|ing)",
    r"updat(?:e|es|ed|ing)",
    r"migrat(?:e|es|ed|ing|ion)",
    r"chang(?:e|es|ed|ing)",
    r"config(?:uration)?",
    r"rotat(?:e|es|ed|ing|ion)",
    r"(?:is|was|are|were) (?:applied|pushed|merged|committed|shipped|enabled|disabled|"
    r"lowered|raised|tightened|loosened|scaled|replaced|removed|renamed|reduced|increased)",
    r"scal(?:e|es|ed) (?:down|up|in|out)",
    r"flag",
    r"purg(?:e|es|ed|ing)",
    r"failover|fail(?:s|ed)? over",
    r"(?:lowers?|lowered|raises?|raised|sets?|tightens?|tightened) (?:the |a )?\w+",
    r"patch(?:es|ed)?",
    r"maintenance",
    # work that starts on its own and sets an incident off: "a new index build starts"
    r"(?:jobs?|builds?|batch(?:es)?|migrations?|backups?|exports?|imports?|scripts?|cron\w*|"
    r"vacuum|reindex\w*|rebuilds?|rollouts?) (?:\w+ ){0,3}(?:starts?|started|begins?|began|"
    r"runs?|ran|kicks? off|kicked off)\b",
)
_MONITOR_WORDS = (
    r"monitor(?:ing|s)?",
    r"uptime (?:check|robot|monitor)s?",
    r"health ?checks?",
    r"(?:external |synthetic )?checks?",
    r"probes?",
    r"pager(?:duty)?",
    r"robots?",
    r"alerting",
    r"dashboards?",
    r"watchdog",
    r"canar(?:y|ies)",
    r"nagios|datadog|pingdom|prometheus|grafana|sentry|opsgenie|new relic|statuscake",
)
_MONITORS = any_of(_MONITOR_WORDS)
_DETECT = words(
    verb("detect", "base s past"),
    r"first (?:signs?|reports?|alerts?|complaints?|tickets?)(?![\w-])",
    r"reports? (?:arrived|arrive|came in|come in|comes in|were received|was received|"
    r"(?:are|is) received|from (?:users|customers|support))",
    rf"(?:{_PEOPLE}|support|someone|finance|an? \w+ team|analysts?|engineers?) (?:\w+ )?"
    r"(?:report|reports|reported|reporting|complain|complains|complained|complaining|raised|raises|"
    r"opened|opens|tweets?|tweeted|writes?|wrote|emails?|emailed|calls?|called|flag(?:s|ged)?|"
    r"escalat(?:e|es|ed|ing)|spot(?:s|ted)?|notices?|noticed|asks? why|asked why)\b",
    r"(?:automated|automatic) (?:warning|alert|alarm|notification)",
    r"(?:customer|user|client|trader|merchant|driver)s? reports?\b",
    rf"{_MONITORS} (?:\w+ )?(?:alerts?|alerted|flag(?:s|ged)?|caught|catches|showed|shows|"
    r"detects?|detected|notif(?:y|ies|ied)|triggers?|triggered|pages?|paged|fails?|failed|"
    r"goes red|went red|turns? red|turned red|warns?|warned|reports?|reported|fir(?:e|es|ed))\b",
    rf"(?:alerts?|alarms?|pages?|warnings?|(?<!push )(?<!marketing )notifications?) (?:[\w-]+ ){{0,3}}(?:{verb('fire', 'base s past ing')}|"
    rf"{verb('trigger', 'base s past')}|goes off|go off|went off|going off|sounds?|sounded|"
    r"(?:is |was |were |are )?(?:received|raised|sent|triggered)|pages?|paged|paging|arrives?|"
    r"arrived|goes out|went out|comes? in|came in)\b",
    r"notic(?:e|es|ed|ing)\b",
    r"paged\b|pages (?:the|an?|on-?call|\w+ on-?call|\w+ team)|paging\b",
    r"receives? (?:a |the |an )?(?:page|pager|alert|alarm)\b|received (?:a |the |an )?"
    r"(?:page|pager|alert|alarm)\b",
    r"pager (?:storm|alert|alarm)",
    r"(?:first )?reported",
    r"reports? of (?:an? |the )?(?:\w+ )?(?:issues?|errors?|problems?|failures?|outage|"
    r"slowness|timeouts?|blank|empty|missing|wrong)",
    r"\b(?!(?:the|a|an|this|that|its|our|their|news|media|press|weekly|daily|hourly|monthly|incident|status|"
    r"final|bug|error|crash|postmortem|post-mortem|initial|first|full|root|audit|test)\b)"
    r"[a-z]+ reports? (?:that|an?|the|of|\w+ing|blank|empty|missing|wrong|errors?|"
    r"problems?|issues?|failures?|slow\w*|duplicate\w*|no)\b",
    r"found an? (?:error|issue|problem|bug|failure)",
    r"health ?check (?:\w+ )?(?:failed|fails|failing)",
    r"(?:became|become|becomes|were made|was made|made|got) aware",
    r"woke up|woken up|wakes up|was woken|were woken",
    r"incident begins",  # the SRE book's marker, when nothing else says detected
    r"tickets? (?:opened|filed|raised|created|arrive[sd]?|come in|came in)",
    r"complaints? (?:arrive[sd]?|come in|came in|reach(?:ed|es)?|pour(?:ed)? in|start\w*)",
    r"escalat(?:e|es|ed|ing) (?:the )?(?:reports?|complaints?|tickets?|issue|problem)",
    # people: "a pharmacist calls support", "clients are telephoning", "the help desk phones
    # start ringing", "a spike of tickets", "the mobile team reports …"
    lead(
        (
            "calls?",
            "called",
            "calling",
            "phones?",
            "phoned",
            "phoning",
            "rings?",
            "rang",
            "emails?",
            "emailed",
            "emailing",
            "contacts?",
            "contacted",
            "messages",
            "messaged",
            "pings?",
            "pinged",
            "reach(?:es|ed)? out to",
            "tags?",
            "tagged",
        ),
        r" (?:the |our |a |their )?[#@]?(?:[\w-]+[ -]){0,2}(?:support|help ?desk|help ?line|"
        r"service ?desk|control room|noc|hotline|call cent(?:er|re)|operations|ops|on-?call|"
        r"it desk)\b",
    ),
    lead(
        (
            "help ?desk",
            "support",
            "service desk",
            "call cent(?:er|re)",
            "phones?",
            "phone lines?",
            "tickets?",
            "inbox",
            "switchboard",
        ),
        r" (?:\w+ ){0,2}(?:flooded|flooding|ringing|ring\b|rang|pil(?:e|es|ed|ing) up|"
        r"light(?:s|ed)? up|lit up|overwhelmed|swamped)",
    ),
    lead(
        ("spike", "surge", "wave", "flood", "rise", "burst", "influx", "jump", "pile"),
        r" (?:of|in) (?:\w+ ){0,3}(?:tickets|calls|complaints|reports|chats|emails|messages)\b",
    ),
    lead(
        _PEOPLE_WORDS,
        r" (?:are |were |start |started |begin |began )?(?:calling|telephoning|phoning|"
        r"ringing|emailing|writing in|complaining|posting|posted|posts)\b",
    ),
    lead(
        (
            "manager",
            "lead",
            "agent",
            "operator",
            "dispatcher",
            "photographer",
            "pharmacist",
            "teacher",
            "nurse",
            "doctor",
            "admin",
            "moderator",
            "vendor",
            "team",
            "centre",
            "center",
            "desk",
            "kiosk",
            "reception",
            "classmate",
            "friend",
            "colleague",
            "coworker",
            "somebody",
            "tenant",
            "employer",
            "parent",
            "patient",
            "passenger",
            "guest",
            "hotel",
            "store",
            "shop",
            "branch",
        ),
        r"s? (?:\w+ ){0,2}(?:reports?|reported|reporting|flags?|flagged|posts?|posted|calls?|"
        r"called|calling|phoning|emailing|phones?|phoned|rings?|rang|emails?|emailed|tweets?|"
        r"tweeted|complains?|complained|escalat(?:e|es|ed|ing)|notices?|noticed|spots?|"
        r"spotted)\b",
    ),
    r"first (?:\w+ ){0,3}(?:reports?|complaints?|tickets?|chats?|calls?|emails?|messages?)\b",
    # "Ticket from the teaching lab: …", "Reports in #ci-help", "Forum post: …"
    r"^(?:a |the |first )?(?:\w+ )?(?:tickets?|calls?|complaints?|reports?|emails?|chats?|posts?|"
    r"tweets?)(?: from\b| by\b| via\b| on\b| in\b|:)",
    lead(
        ("help ?desk", "support", "service desk", "call cent(?:er|re)", "noc"),
        r" (?:\w+ )?(?:gets?|got|receives?|received)\b",
    ),
    lead(
        ("customer", "cust", "user", "client", "partner", "member"),
        r"s? (?:complaint|call|ticket|report|email|chat)s?\b",
    ),
    r"^triggered\b",
    lead(
        ("was", "were", "got", "get", "gets", "is", "are"),
        r" (?:first )?(?:alerted|notified|warned)\b",
    ),
    lead(
        (
            "restore",
            "smoke",
            "synthetic",
            "canary",
            "health",
            "e2e",
            "end-to-end",
            "backup",
            "uptime",
        ),
        r" (?:tests?|checks?|probes?) (?:\w+ )?(?:fails?|failed|failing|goes red|went red|"
        r"turns? red|turned red)\b",
    ),
    lead(
        ("alerts?", "alarms?", "warnings?", *_MONITOR_WORDS),
        r"\b[^.;\n]{1,40}?\b(?:fires|fired|firing|triggers|triggered|goes off|went off|sounds|"
        r"sounded)\b",
    ),
    r"(?:it|this|the (?:issue|problem|outage|incident|error)) (?:was |is )?(?:caught|spotted)",
)
_ACKNOWLEDGE = words(
    verb("acknowledge", "base s past"),
    r"ack'?d\b|acked\b|acks\b",
    r"^ack\b|\back (?:by|from)\b|\(ack\)",
    lead(
        ("confirms?", "confirmed", "reproduces?", "reproduced"),
        r" (?:the )?(?:\w+ )?(?:problem|issue|errors?|outage|incident|failures?|bug)\b",
    ),
    lead(
        ("picks?", "picked", "picking"),
        r" (?:it |this |that )?up\b(?! (?:the )?(?:phone|speed|pace))",
    ),
    lead(
        ("picks?", "picked", "picking", "takes?", "took", "taking"),
        r" (?:over )?(?:the |this |a )?(?:ticket|page|alert|incident|case|call|command|ic)\b",
    ),
    r"on it(?=\s*(?:$|[.,;!)(\-–—]))"
    + "".join(
        rf"(?<!{word} on it)"
        for word in (
            "depends",
            "depend",
            "relies",
            "rely",
            "based",
            "lock",
            "load",
            "pressure",
            "put",
            "puts",
            "click",
            "clicked",
            "sits",
            "sat",
        )
    ),
    r"(?:is|was) declared",
    r"declare[sd]? (?:an? |the )?(?:\w+ )?incident",
    r"incident (?:was |is )?(?:declared|opened|raised)",
    r"(?:starts?|begins?|began|started|starting|beginning) (?:to |the |an |my |our |his |her |"
    r"their )?(?:investigat\w+|look(?:ing)? into|triag\w+|debug\w*|troubleshoot\w*|"
    r"work(?:ing)? on|digging|dig\b)",
    r"on-?call (?:engineer |team |person |sre )?(?:responded|responds|joined|joins|picked up|"
    r"picks up|began|begins|started|starts|takes|took|is online|logs? on|logged on|answered|"
    r"answers|is engaged|engaged|investigates|investigated)",
    r"investigation (?:began|begins|started|starts|is opened|opened)",
    r"(?:joins?|joined) (?:the )?(?:call|bridge|channel|war room|incident)",
    r"war room|incident (?:call|bridge|channel) (?:opened|started|created)",
    r"incident commander|took ownership|takes ownership|assigned to (?:the )?on-?call",
    r"responded to (?:the )?(?:page|alert|alarm)|responds to (?:the )?(?:page|alert|alarm)",
    r"woke up|woken up|wakes up|was woken|were woken",
    r"incident begins",
)
_BACK = any_of(
    (
        r"back to (?:normal|baseline|healthy|green|expected)\w*",
        r"(?:is|are|was|were|comes?|came|(?:is|are|was|were) brought) (?:fully |now |finally )?"
        r"back\b(?! (?:to (?:the|square|work|step)|down|off|from|in\b|then|when))",
        r"back (?:up|online|in (?:service|rotation))",
        r"returns? to (?:normal|baseline)|returned to (?:normal|baseline)",
    )
)
_SERVES = any_of(
    (
        verb("work"),
        verb("run", past="ran"),
        verb("load"),
        verb("print"),
        verb("respond"),
        verb("serve"),
        verb("process"),
        verb("deliver"),
        verb("answer"),
        verb("save"),
        verb("sync"),
        verb("send", past="sent"),
        verb("flow"),
        verb("publish"),
        verb("pass"),
        verb("behave"),
        verb("function"),
        verb("operate"),
        verb("succeed"),
        verb("complete"),
        verb("update"),
        r"(?:is|are|was|were) (?:\w+ )?(?:taxed|charged|shown|delivered|processed|served|"
        r"calculated|displayed|sent|saved|accepted)",
    )
)
# What things do again once impact is over: "uploads complete", "payments succeed".
_PLURAL_SUCCEED = any_of(
    (
        verb("work"),
        verb("load"),
        verb("succeed"),
        verb("complete"),
        verb("respond"),
        verb("render"),
        verb("sync"),
        verb("flow"),
        verb("connect"),
        verb("print"),
        r"go through|went through|get through|got through",
    )
)
# "uploads ok", "previews correct", "workers stable": things fine again, tersely; not
# what someone looked at and found fine ("logs ok", "all fine", "servers look healthy").
_FINE_AGAIN = (
    "".join(
        rf"(?<!\b{word} )"
        for word in (
            "all",
            "logs",
            "servers",
            "hosts",
            "nodes",
            "pods",
            "disks",
            "settings",
            "configs",
            "permissions",
            "certificates",
            "tests",
            "checks",
        )
    )
    + r"(?:are |were |now |back )?(?:ok|okay|fine|correct|green|stable|current|up to date|"
    r"up-to-date|in (?:the )?(?:correct|right) order)\b"
)
_MITIGATE = words(
    r"(?:service|services|site|system|systems|api|traffic|access|functionality|website|app) "
    r"(?:was |were |is |are |has been |have been )?(?:fully )?(?:restored|recovered|back)",
    r"(?:fully |was |were |is |are |has been |have been )restored",
    verb("recover", "s past"),
    r"(?:\w+s|everything|it|service|site|search|chat|traffic) recover\b",
    _BACK,
    r"mitigated",
    r"mitigation (?:was |is )?(?:applied|complete|completed|in place|deployed|effective)",
    # "error rate back to 0", "5xx rate below 1%", "lag back under 1k", "error rate flat"
    rf"{_BAD_METRICS} (?:\w+ )?(?:{_FALL}|returned|returns|recovered|recovers|"
    r"stopped|stops|stop|normali[sz]e[sd]?|clear(?:s|ed)?|disappear(?:s|ed)?|went away|go away|"
    r"goes away|ceased?|ceases|back (?:to|at|under|below|within|down)|below|under|down to|"
    r"at zero|to zero|flat|flatlined|flat-lined)\b",
    rf"{_GOOD_METRICS} (?:\w+ )?(?:recover(?:s|ed)?|returns?|returned|normali[sz]e[sd]?|"
    r"back (?:to|at|above|over)\b)",
    r"(?:hub|site|service|cluster|api|server|app|portal|website|system|database) "
    r"(?:is |was |are |were )?(?:back )?online",
    r"(?:solved|fixed|resolved) the (?:issue|problem|outage|incident)",
    r"(?:issue|problem|outage|incident|bug|it) (?:was |is |has been |got )?(?:fully |finally )?"
    r"(?:fixed|solved|resolved)",
    r"(?:systems?|services?|everything|servers?|website|site|app|portal|api|cluster) (?:\w+ )?"
    r"(?:verified |confirmed )?(?:operational|up and running|working (?:again|normally|as "
    r"expected|correctly|fine))",
    r"(?:confirmed|verified) (?:as )?(?:working|operational|fixed|healthy)",
    r"working as (?:intended|expected)",
    r"reports? back that it works",
    rf"{_SERVES} (?:\w+ ){{0,3}}(?:again|correctly|normally|properly|as expected|as intended|"
    r"as usual|on time)\b",
    r"\w+ again\b",  # "answers are saved again", "on time again": see _BAD_AGAIN
    rf"(?:all|(?!(?:is|was|has|does|this|its|us|as|yes|ours|reports|alerts|pages)\b)[a-z]+s) "
    rf"(?:{_PLURAL_SUCCEED}|{_FINE_AGAIN})",
    r"(?:is|are) (?:fully )?(?:restored|recovered)",
    r"results are (?:correct|right)",
    r"no more (?:errors|duplicates|failures|timeouts|alerts|crashes|complaints|bounces|5\d\ds?|"
    r"declines|rejections|[45]xx)",
    # "new servers start normally": what failed to start starts (an outcome)
    r"(?:start|starts|started|boot|boots|booted|spawn|spawns|spawned) (?:\w+ ){0,2}"
    r"(?:normally|correctly|as expected)\b",
    r"(?:^|[,;] )(?:back )?up\s*[.!]?$|up and stable|back on (?:a |the )?(?:working|good|healthy|"
    r"stable|previous|old|known-good|last good)\b",
    r"no longer (?:fail\w*|error\w*|crash\w*|time out|timing out|down|affected|impacted|"
    r"returns? errors?|returning errors?|seeing errors?)",
    rf"{_BAD_NOUNS} (?:\w+ )?(?:{verb('stop', past='stopped')}|{verb('cease')}|"
    rf"{verb('subside')}|{verb('disappear')}|go away|goes away|went away|clear(?:s|ed)?)\b",
    r"up and running",
    r"(?:services?|systems?|site|api|cluster) (?:is |are |was |were |fully )?operational",
    r"(?:confirmed|is|are|was|were|started|back) working",
    r"working (?:again|as expected|correctly)",
    r"which (?:solved|fixed|resolved) the (?:issue|problem)",
    rf"{_PEOPLE} (?:are |were |is |was |can |could )?(?:again |once again |now |finally )?"
    r"(?:able to|can|could) (?:\w+ )?(?:again|log in|sign in|check out|access|use|connect|pay|"
    r"order|upload|download|see)",
    r"\ball (?:\w+ ){0,3}(?:healthy|green|nominal|normal|visible|available|accessible)\b|"
    r"healthy again|(?:fully|now) healthy",
    r"(?:stabili[sz]ed|stable again|stabili[sz]es)",
    r"(?:backlog|queue|retries|retry queue) (?:\w+ ){0,3}(?:is |was )?(?:drained|processed|cleared|"
    r"caught up|empty|emptied)",
    r"caught up|catches up|catch up",
    r"(?:alerts?|alarms?) (?:\w+ )?(?:clear(?:s|ed)?|resolve[sd]?|recover(?:s|ed)?|stops?|stopped)",
    r"reconnect(?:s|ed)\b",
    r"resume[sd]?\b",
    r"all[- ]clear",
)
# What was done to end impact, as against what says it ended: when the next entry says
# it ended ("payments succeed again"), that entry is the moment.
_MITIGATE_ACTION = words(
    r"rollback (?:was |is )?(?:complete|completed|finished|done|succeeded|successful)",
    r"(?:rolled back|reverted|restarted|redeployed|failed over) successfully",
    r"successfully (?:restart\w*|rolled back|reverted|redeployed|failed over|switched)",
    r"(?:fix|workaround|hotfix|patch) (?:is |was )?(?:applied|deployed|in place|live|effective)",
    r"(?:restart\w*|rolled back|reverted|redeployed|failover|switch\w*|shifted|moved|"
    r"redirected|rerouted|routed) (?:\w+ ){0,4}(?:to|onto) (?:the |a )?(?:\w+ )?(?:backup|replica|"
    r"standby|secondary|fallback|healthy|previous|old|other|second|clean|dr|spare)",
    r"(?:failover|fail-over|switchover) (?:\w+ ){0,3}(?:to|complete|completed|done|succeeded)|"
    r"failed over|fails over|fail over",
    r"(?:traffic|requests|load|users) (?:is |are |was |were )?(?:shifted|moved|drained|"
    r"redirected|rerouted|routed|sent) (?:\w+ )?(?:to|away|off)",
    r"^(?:recovery|mitigation|mitigated|fix|fixed|restoration|workaround)\b\s*[:\-–—]",
    # a revert: "rolled back to 2.6.4", "bundle 2024.43 pushed back to all terminals"
    r"(?:rolled|rolls|pushed|pushes|switched|moved|reverted|reverts|downgraded|went) back to\b",
    r"(?:reverted|reverts|downgraded|downgrades) to\b",
    # "cron disabled on app2", "autocomplete disabled with the feature flag"
    r"(?:is |was |were |are |got )?(?:disabled|turned off|switched off|paused)\b",
    r"(?:start|starts|started|boot|boots|booted|spawn|spawns|spawned) (?:\w+ ){0,2}"
    r"successfully\b",
)
# "again" after a failure is its return, not recovery: "the job is skipped again".
_BAD_AGAIN = re.compile(
    r"\b(?:fail\w*|error\w*|crash\w*|skip\w*|broke\w*|down|stop\w*|time\w* out|late|slow\w*|"
    r"drop\w*|spik\w*|fir(?:e|es|ed|ing)|alert\w*|paged|paging|trigger\w*|report\w*|"
    r"complain\w*|degrad\w*|wrong|stuck|hang\w*|hung|leak\w*|block\w*|reject\w*|"
    r"happen\w*|occur\w*|return\w* (?:errors?|5\d\d)|deploy\w*|releas\w*|"
    r"tri(?:ed|es)|try\w*|check(?:s|ed|ing)?|look(?:s|ed|ing)?|investigat\w*|rais\w*|increas\w*|ris\w*|climb\w*|"
    r"rose|grow\w*|grew|dips?|lost|loses?|miss\w*|empty|blank|unavailable|unreachable)\b"
    r"(?:\W+\w+){0,3}\W+again\b"
)
# "error rate normal again": a good state again, whatever went wrong before it.
_GOOD_AGAIN = re.compile(
    r"\b(?:normal|healthy|green|fine|ok|okay|stable|working|up|online|available|reachable|"
    r"responsive|correct)\s+again$"
)
_RESOLVE = words(
    r"(?:incident|issue|outage|problem|ticket) (?:was |is |has been |got )?(?:fully |officially "
    r"|formally )?(?:resolved|closed|over|ended)",
    r"resolved",
    r"monitoring (?:confirmed|confirms)",
    r"all[- ]clear",
    r"closed (?:the |this )?(?:incident|ticket)|clos(?:e|es|ing) (?:the |this )?(?:incident|ticket)",
    r"incident closed",
    r"incident resolution\b",
    r"permanently (?:fixed|resolved|solved)",
    r"(?:issue|problem|incident) (?:was |is )?permanently (?:fixed|solved|resolved)",
    r"\ball (?:\w+ ){0,3}(?:are |were |is |was |now |fully )?(?:operational|healthy|green|nominal)",
    r"(?:services?|systems?) (?:is |are |was |were |fully )?operational",
    r"confirmed working",
    r"(?:verified|confirmed) (?:that )?all (?:systems?|services?) (?:are |were )?operational",
    r"(?:stood|stands?) down|exit criteri(?:on|a)",
    r"(?:declared|marked) (?:as )?(?:resolved|closed|over)",
    # terse: "done", "closed", "files resent, closed"
    r"^(?:done|closed|all done|finished)\W*$|[,;] (?:done|closed)\W*$",
    r"^(?:incident |ticket )?closed (?:after|at|by|with|once|when|following)\b",
)
# Impact back after it was over: "restarted php-fpm, up", then "down again".
_RELAPSE = words(
    r"(?:down|failing|fails|failed|broken|crash\w*|erroring|errors?|timeouts?|5\d\ds?|"
    r"unavailable|unreachable|slow) again\b",
    r"again (?:down|failing|broken|unavailable|slow)\b",
    r"(?:errors?|failures?|timeouts?|5\d\ds?|outage) (?:is |are |was |were )?(?:back|returned|"
    r"returns|recurred|recurs|reappeared|reappear)\b",
)


def _asserting(
    pattern: Vocabulary, text: str, *, finished: bool = False
) -> Iterator[re.Match[str]]:
    """The pattern's matches in ``text`` that say the moment happened."""
    if pattern is _MITIGATE or pattern is _MITIGATE_ACTION:
        for m in pattern.finditer(text):
            if asserted(text, m, finished=True) and not (
                m.group(0).endswith("again")
                and not _GOOD_AGAIN.search(m.group(0))
                and _BAD_AGAIN.search(text, 0, m.end())
            ):
                yield m
        return
    denials = pattern is _START or pattern is _FAILURE or pattern is _CHANGE
    for m in pattern.finditer(text):
        if pattern is _DETECT and _ALL_FINE.search(_sentence_of(text, m)):
            continue  # "tests indicate all fine, and this is reported": nothing was noticed
        if asserted(text, m, finished=finished, denials=denials):
            yield m


# A check or a person saying all is well: what they report is no detection.
_ALL_FINE = re.compile(
    r"\b(?:all|everything|looks?|seems?|appears?|indicates?|shows?) (?:\w+ )?"
    r"(?:fine|ok|okay|normal|good|healthy|green)\b"
)


def _sentence_of(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    end = min(
        (i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i >= 0),
        default=len(text),
    )
    return text[start:end]


def _says(pattern: Vocabulary, text: str, *, finished: bool = False) -> bool:
    return next(_asserting(pattern, text, finished=finished), None) is not None


def _start(first: Callable[..., int | None], given: set[Phase]) -> int | None:
    """The entry where impact began, when no entry is tagged with it.

    Words that say so win ("errors started"), unless they only come with the detection
    itself; then, or without them, the first entry before detection saying something went
    wrong; failing that, the change that set it off, written before anyone noticed;
    failing that, detection stands for it (impact had begun by then). Impact never starts
    after it was noticed or taken on.
    """
    start = first(_START)
    detect = first(_DETECT)
    noticed = [i for i in (detect, first(_ACKNOWLEDGE)) if i is not None]
    if start is not None and detect is not None and start > detect:
        start = None  # words of impact after it was noticed are no start
    if start is None or (detect is not None and start >= detect):
        failure = first(_FAILURE)
        if failure is not None and (detect is None or failure < detect):
            start = failure
    if start is None and noticed and min(noticed) > 0:
        change = first(_CHANGE)
        if change is not None and change < min(noticed):
            start = change
    if start is None:
        start = detect
    if start is not None and noticed:
        start = min(start, *noticed)
    return start


def _only_closing(text: str) -> bool:
    """Whether every word of an entry saying impact ended says the incident was closed."""
    closing = [m.span() for m in _asserting(_RESOLVE, text, finished=True)]
    ended = [m.span() for m in _asserting(_MITIGATE, text)]
    return bool(ended) and all(
        any(start <= m_start and m_end <= end for start, end in closing) for m_start, m_end in ended
    )


def infer_phases(texts: list[str], explicit: list[Phase | None]) -> dict[Phase, int]:
    """The index of the entry that marks each phase not given explicitly, from the wording."""
    given = {phase for phase in explicit if phase is not None}
    found: dict[Phase, int] = {}
    texts = [plain(text) for text in texts]  # the patterns are lower-case: see words()
    # Each pattern is tried on an entry once, however many questions ask about it: the
    # patterns are long, and timelines can hold thousands of entries.
    said: dict[tuple[int, int], bool] = {}

    def says_at(pattern: Vocabulary, index: int) -> bool:
        key = (id(pattern), index)
        if key not in said:
            said[key] = _says(pattern, texts[index], finished=pattern is _RESOLVE)
        return said[key]

    def first(pattern: Vocabulary, after: int = 0, before: int | None = None) -> int | None:
        end = len(texts) if before is None else min(before, len(texts))
        return next((i for i in range(after, end) if says_at(pattern, i)), None)

    start_floor = 0
    if Phase.START not in given:
        start = _start(first, given)
        if start is not None:
            found[Phase.START] = start
            start_floor = start
    else:
        start_floor = next(i for i, p in enumerate(explicit) if p == Phase.START)
    if Phase.START not in given and Phase.START not in found:
        # Nothing says when impact began: it had begun by the time someone took it on, and
        # nothing before that ended it ("1.8B rows loaded" before anyone noticed is no fix).
        noticed = [i for i in (first(_DETECT), first(_ACKNOWLEDGE)) if i is not None]
        start_floor = min(noticed) if noticed else 0
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
        floor = start_floor + 1 if Phase.START in found else start_floor
        mitigate = first(_MITIGATE, floor)
        # Only an action before the entry just above the first outcome can come first.
        action = first(_MITIGATE_ACTION, floor, None if mitigate is None else mitigate - 1)
        if action is not None and (mitigate is None or action + 1 < mitigate):
            mitigate = action
        elif mitigate is not None and _only_closing(texts[mitigate]):
            # "switched to the backup provider", then "…; incident resolved": the closing
            # says the incident is over, not when impact ended; the action did that.
            action = first(_MITIGATE_ACTION, floor, mitigate)
            mitigate = action if action is not None else mitigate
        relapse = None if mitigate is None else first(_RELAPSE, mitigate + 1)
        if relapse is not None:
            # Impact came back: it ended when it ended the last time.
            later = first(_MITIGATE, relapse + 1)
            mitigate = later if later is not None else mitigate
        if mitigate is not None:
            found[Phase.MITIGATE] = mitigate
    if Phase.RESOLVE not in given:
        floor = mitigate if mitigate is not None else start_floor
        resolve = None
        for index in range(len(texts) - 1, floor - 1, -1):
            if says_at(_RESOLVE, index):
                resolve = index
                break
        if resolve is not None:
            found[Phase.RESOLVE] = resolve
    return found


_WORDS_OF: dict[Phase, tuple[Vocabulary, ...]] = {
    Phase.START: (_START, _FAILURE, _CHANGE),
    Phase.DETECT: (_DETECT,),
    Phase.ACKNOWLEDGE: (_ACKNOWLEDGE,),
    Phase.MITIGATE: (_MITIGATE, _MITIGATE_ACTION),
    Phase.RESOLVE: (_RESOLVE,),
}


def phase_clause(text: str, phase: Phase) -> str | None:
    """The clause of an entry's words that says a phase happened (as `plain` writes it):
    where an entry tells of two moments ("rolled back at 2:05 PM; previews worked again
    at 2:12 PM"), the time written in that clause is the phase's."""
    words_ = plain(text)
    for pattern in _WORDS_OF.get(phase, ()):
        finished = phase in (Phase.MITIGATE, Phase.RESOLVE)
        found = next(_asserting(pattern, words_, finished=finished), None)
        if found is not None:
            clause = clause_of(words_, found)
            # "who acknowledged it two minutes later, at 09:23": the time said just after.
            end = words_.find(clause) + len(clause)
            after = _TIME_AFTER_CLAUSE.match(words_, end)
            if after is not None and not _CLOCK_TIME.search(clause):
                clause += after.group(0)
            return clause
    return None


_CLOCK_TIME = re.compile(r"\d[:.h]\d\d|\d\s?[ap]\.?m\b")
_TIME_AFTER_CLAUSE = re.compile(
    r"\s*,\s*(?:at|around|about|by)\s+~?\d{1,2}(?:[:.h]\d\d)?(?:\s?[ap]\.?m\.?)?(?!\d)"
)
