"""Section names: what a heading says a section is about, and what each template calls it.

Matching ignores case, punctuation and a few filler words, so "Root Cause(s)",
"ROOT CAUSES:" and "Root causes" all name the root cause. A heading joining two names
("Root Cause and Resolution", "Mitigation & Resolution") names both sections.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from postmortems.markdown.section_phrases import phrased_kind
from postmortems.model import SectionKind as K

# Every name people use for a section, normalised (see `normalise`).
ALIASES: dict[str, K] = {}

_NAMES: dict[K, tuple[str, ...]] = {
    K.SUMMARY: (
        "summary",
        "incident summary",
        "issue summary",
        "executive summary",
        "overview",
        "incident overview",
        "outage description",
        "tldr",
        "tl dr",
        "abstract",
        "background",
        "summary of the issue",
        "summary of the incident",
        "summary of the outage",
        "issue description",
        "problem description",
        "problem summary",
        "issue overview",
        "outage summary",
        "synopsis",
        "brief",
        "short summary",
        "brief summary",
        "high level summary",
        "context",
    ),
    K.TIMELINE: (
        "timeline",
        "incident timeline",
        "events timeline",
        "timeline of events",
        "events",
        "chronology",
        "follow up timeline",
        "detailed timeline",
        "sequence of events",
        "time line",
        "timeline of the incident",
        "timeline of the outage",
        "outage timeline",
        "event timeline",
        "chronology of events",
    ),
    K.ROOT_CAUSE: (
        "root cause",
        "root causes",
        "root cause s",
        "root cause analysis",
        "rca",
        "cause",
        "causes",
        "contributing factors",
        "contributing factors findings",
        "contributing factor",
        "what caused the incident",
        "underlying cause",
        "cause of the incident",
        "process breakdown s",
        "process breakdowns",
        "five whys",
        "5 whys",
        "why",
        "the why",
    ),
    K.RESOLUTION: (
        "resolution",
        "resolution and recovery",
        "recovery",
        "mitigation",
        "mitigation and resolution",
        "resolution and mitigation",
        "short term fix",
        "fix",
        "remediation",
        "solution",
        "the fix",
        "how it was fixed",
        "how we fixed it",
        "steps taken to resolve",
        "resolution steps",
        "mitigation steps",
        "recovery steps",
        "remediation steps",
        "actions taken",
        "steps taken",
        "immediate actions",
        "immediate fix",
    ),
    K.CORRECTIVE_MEASURES: (
        "corrective and preventative measures",
        "corrective and preventive measures",
        "corrective measures",
        "preventative measures",
        "preventive measures",
        "corrective actions",
        "corrective and preventative actions",
        "prevention",
        "long term solution",
        "follow up improvements",
        "recommendations",
        "next steps",
        "corrective and preventive actions",
        "preventive actions",
        "preventative actions",
        "prevention measures",
        "preventive measures and corrective actions",
        "corrective and preventative measures tasks",
        "future prevention",
        "improvements",
        "preventive steps",
        "preventative steps",
        "corrective and preventive action",
        "capa",
        "long term fix",
        "long term fixes",
        "permanent fix",
    ),
    K.IMPACT: (
        "impact",
        "impacts",
        "customer impact",
        "user impact",
        "impact on users",
        "end user impact",
        "summary of impact",
        "business impact",
        "infrastructure impact",
        "productivity impact",
        "document impact",
        "impact assessment",
        "blast radius",
        "scope of impact",
        "affected users",
        "affected customers",
        "affected services",
    ),
    K.LESSONS: (
        "lessons learned",
        "lessons learnt",
        "lessons",
        "learnings",
        "what went well",
        "what went wrong",
        "what went badly",
        "what didnt go so well",
        "what did not go so well",
        "what could have gone better",
        "where we got lucky",
        "where did we get lucky",
        "hows d we do",
        "howd we do",
        "how did we do",
        "reflections",
        "retrospective",
    ),
    K.ACTION_ITEMS: (
        "action items",
        "action item",
        "actions",
        "follow up actions",
        "follow up items",
        "follow ups",
        "followups",
        "todo",
        "to do",
        "tasks",
        "action plan",
        "action points",
        "follow up",
        "next actions",
        "follow up tasks",
        "follow up work",
        "post incident actions",
        "post incident tasks",
        "post incident action items",
        "post mortem actions",
        "postmortem actions",
    ),
    K.TRIGGER: ("trigger", "triggers", "trigger s"),
    K.DETECTION: (
        "detection",
        "how was it detected",
        "monitoring and detection",
        "alerting",
    ),
    K.WHAT_HAPPENED: ("what happened", "incident description", "incident details"),
    K.RESPONDERS: ("responders", "incident responders", "people involved", "involved"),
    K.MESSAGING: (
        "messaging",
        "communications",
        "external message",
        "internal email",
        "status page",
        "status updates",
    ),
    K.SUPPORTING_INFORMATION: (
        "supporting information",
        "supporting documents",
        "references",
        "links",
        "useful resources",
        "appendix",
        "evidence",
    ),
    K.ATTENDEES: ("attendees", "postmortem attendees", "participants", "names of people involved"),
    K.STATS: ("stats", "statistics", "metrics", "incident timing", "key metrics", "duration"),
}

for _kind, _names in _NAMES.items():
    for _name in _names:
        ALIASES[_name] = _kind

# Names that are one part of a section rather than its whole: kept as written on render.
SUB_PART_NAMES = frozenset(
    n
    for n in _NAMES[K.LESSONS]
    if n not in ("lessons learned", "lessons learnt", "lessons", "learnings")
) | {"follow up timeline", "short term fix", "long term solution", "customer impact"}

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_PARENS = re.compile(r"\s*\((?:times?|all times|dates?)[^)]*\)\s*", re.IGNORECASE)
_JOINERS = re.compile(r"\s+(?:and|&|/|\+)\s+|\s*[&/+,]\s*", re.IGNORECASE)
_HTML_ANCHOR = re.compile(r"<a\s[^>]*>\s*</a>", re.IGNORECASE)


def normalise(heading: str) -> str:
    """Lower case, no punctuation, single spaces: the key under which aliases are looked up."""
    text = _HTML_ANCHOR.sub("", heading)
    text = _PARENS.sub(" ", text)
    text = text.replace("’", "").replace("'", "")
    text = _PUNCT.sub(" ", text.lower())
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class HeadingMatch:
    kinds: tuple[K, ...]
    sub_part: bool  # names a part of a section ("What went well"): render as written
    combined: bool  # names several sections: render as written
    # Written as a sentence or question ("Why did this happen?"): rendered as written, and
    # a first H1 written so is the document's title rather than a section.
    phrased: bool = False


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _singular_key(key: str) -> str:
    return " ".join(_singular(word) for word in key.split())


def _order_key(key: str) -> str | None:
    words = key.split()
    return " ".join(sorted(words)) if len(words) == 2 else None


def _unambiguous(pairs: list[tuple[str | None, K]]) -> dict[str, K]:
    """Keys that name one kind only: a key two kinds share decides nothing."""
    found: dict[str, K] = {}
    clashing: set[str] = set()
    for key, kind in pairs:
        if key is None:
            continue
        if found.get(key, kind) != kind:
            clashing.add(key)
        found[key] = kind
    return {key: kind for key, kind in found.items() if key not in clashing}


@lru_cache(maxsize=1)
def _variant_aliases() -> tuple[dict[str, K], dict[str, K]]:
    """Aliases under their singular words ("Corrective Action", "Root causes") and, for
    two-word names, in either order ("Cause root", "Impact customer")."""
    singular = _unambiguous([(_singular_key(a), k) for a, k in ALIASES.items()])
    ordered = _unambiguous([(_order_key(_singular_key(a)), k) for a, k in ALIASES.items()])
    return singular, ordered


# "Incident summary", "Timeline of the outage", "Impact of this issue": a name with the
# word for what went wrong before or after it names the same section.
_INCIDENT_WORDS = r"(?:incident|outage|issue|problem|event|failure|downtime|disruption)s?"
_INCIDENT_BEFORE = re.compile(rf"^(?:the )?{_INCIDENT_WORDS} ")
_INCIDENT_AFTER = re.compile(
    rf" (?:of|for|during|in|on|behind) (?:the |this |our |that )?(?:\w+ )?{_INCIDENT_WORDS}$"
)


# "Impact analysis", "Timeline details", "Root cause summary": a known name and a word
# for the kind of text under it.
_TEXT_AFTER = re.compile(
    r" (?:details|analysis|overview|section|notes|summary|description|assessment|"
    r"identification|investigation)$"
)
# "Blameless root cause", "Detailed timeline", "Final action items".
_QUALIFIER_BEFORE = re.compile(
    r"^(?:blameless|detailed|full|final|initial|preliminary|technical|overall|complete|"
    r"high level|short|brief|proposed|planned)\s"
)


def _known_kind(key: str) -> K | None:
    """The kind a normalised name is an alias of, as written or in a variant form."""
    for candidate in dict.fromkeys(
        (
            key,
            _INCIDENT_BEFORE.sub("", key),
            _INCIDENT_AFTER.sub("", key),
            _TEXT_AFTER.sub("", key),
            _QUALIFIER_BEFORE.sub("", key),
        )
    ):
        if not candidate:
            continue
        kind = ALIASES.get(candidate)
        if kind is not None:
            return kind
        singular, ordered = _variant_aliases()
        single = _singular_key(candidate)
        kind = singular.get(single)
        if kind is None:
            order = _order_key(single)
            kind = ordered.get(order) if order else None
        if kind is not None:
            return kind
    return None


_TYPO_CUTOFF = 0.93


@lru_cache(maxsize=1)
def _aliases_by_length() -> dict[int, list[str]]:
    by_length: dict[int, list[str]] = {}
    for alias in ALIASES:
        by_length.setdefault(len(alias), []).append(alias)
    return by_length


def _fewest_unmatched(a: int, b: int) -> int | None:
    """The fewest characters two different strings of lengths ``a`` and ``b`` leave unmatched
    while their ratio reaches the cutoff, or None when it cannot.

    difflib's ratio is 1 - U/T, where T = a + b and U (the characters left unmatched) is at
    least |a - b|, at least 1 for different strings, and of T's parity.
    """
    total = a + b
    unmatched = max(abs(a - b), 1)
    unmatched += (total - unmatched) % 2
    return unmatched if unmatched <= (1 - _TYPO_CUTOFF) * total + 1e-9 else None


@lru_cache(maxsize=256)
def _candidates(length: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Aliases a key of ``length`` could be a typo of: (those that must be the key with one
    character more or less, the others)."""
    one_off: list[str] = []
    others: list[str] = []
    for alias_length, aliases in _aliases_by_length().items():
        fewest = _fewest_unmatched(length, alias_length)
        if fewest is None:
            continue
        total = length + alias_length
        only_one = fewest == 1 and (1 - _TYPO_CUTOFF) * total + 1e-9 < 3
        (one_off if only_one else others).extend(aliases)
    return tuple(one_off), tuple(others)


def _one_insertion_apart(a: str, b: str) -> bool:
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    pairs = enumerate(zip(shorter, longer[: len(shorter)], strict=True))
    index = next((i for i, (x, y) in pairs if x != y), len(shorter))
    return shorter[index:] == longer[index + 1 :]


@lru_cache(maxsize=65536)
def _close_alias(key: str) -> str | None:
    """A known name one typo away ("Atendees", "Root Casue"); short words must match exactly.

    Only names whose length lets them reach the cutoff are compared, and those that can
    only reach it as the key with one character more or less are checked for that first:
    a document of thousands of unknown headings would otherwise compare each with every
    alias. Neither shortcut changes the answer, only how soon it comes.
    """
    if len(key) < 6:
        return None
    one_off, others = _candidates(len(key))
    candidates = [alias for alias in one_off if _one_insertion_apart(key, alias)]
    candidates.extend(others)
    if not candidates:
        return None
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=_TYPO_CUTOFF)
    return close[0] if close else None


# Large enough that a document of thousands of headings is matched once per heading.
@lru_cache(maxsize=65536)
def match_heading(heading: str, subtitles: bool = True) -> HeadingMatch | None:
    """The sections a heading names, or None when it names none we know.

    The heading as written is tried first, then without its decorations (numbering,
    emphasis, footnote links, a trailing parenthetical), then without a subtitle after a
    colon or dash: "2. Timeline [[4]](url)" and "Timeline: a long night" name the timeline.
    """
    for candidate in heading_candidates(heading, subtitles):
        found = _match_name(candidate, subtitles)
        if found is not None:
            return found
    return None


# "What was the root cause?", "Who was involved?": a known name asked about.
_ASKED = re.compile(r"^(?:what|which|who) (?:was|were|is|are) (?:the |our )?(.+)$")
# "Detection and response": the known part of a heading joining a name we know and a few
# words we do not, in a heading marked up as one.
_MAX_UNKNOWN_WORDS = 2


def _match_name(heading: str, loose: bool = True) -> HeadingMatch | None:
    key = normalise(heading)
    if not key:
        return None
    kind = _known_kind(key)
    if kind is None:
        alias = _close_alias(key)
        kind = ALIASES.get(alias) if alias else None
    if kind is not None:
        return HeadingMatch((kind,), key in SUB_PART_NAMES, False)
    asked = _ASKED.match(key)
    phrased = phrased_kind(heading) or (_known_kind(asked.group(1)) if asked else None)
    if phrased is not None:  # before the joiners: "What happened, hour by hour"
        return HeadingMatch((phrased,), False, False, phrased=True)
    # "Root Cause and Resolution", "Mitigation & Resolution", "What went well / what didn't"
    raw = _HTML_ANCHOR.sub("", heading)
    raw = _PARENS.sub(" ", raw)
    parts = [p for p in _JOINERS.split(raw) if normalise(p)]
    if len(parts) < 2:
        return None
    kinds: list[K] = []
    unknown = 0
    for part in parts:
        part_kind = _known_kind(normalise(part)) or phrased_kind(part)
        if part_kind is None:
            words = len(normalise(part).split())
            if not loose or words > _MAX_UNKNOWN_WORDS:
                return None
            unknown += 1
        elif part_kind not in kinds:
            kinds.append(part_kind)
    if not kinds or unknown > len(parts) - unknown:
        return None  # as many known names as unknown parts at least
    if len(kinds) == 1:
        return HeadingMatch((kinds[0],), True, False)
    return HeadingMatch(tuple(kinds), False, True)


# Decorations people put around a section's name. Each is removed only when what remains
# is a name we know, so an unknown heading is never shortened into a known one by accident
# of its words: "Timeline of the migration project" stays unknown.
_FOOTNOTE_LINK = re.compile(r"\^?\[\[?\^?\d{1,4}\]?\]\([^)\s]*\)\^?|\[\^?\d{1,4}\]|<sup>.*?</sup>")
_LINK = re.compile(r"\[([^][]*)\]\([^()]*\)")  # no nesting: linear on "[[[["
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]{2,30}:")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_NUMBERING = re.compile(
    r"^(?:(?:section|part|step|chapter|phase)\s+)?"
    r"(?:\d{1,3}(?:\.\d{1,3})*|[ivxlc]{1,6}|[a-h])(?:\s*[.):\-\u2013\u2014]\s*|\s+)"
    r"|^(?:section|part|step|chapter|phase)\s+(?=\w)",
    re.IGNORECASE,
)
_TRAILING_BRACKETS = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])\s*$")
_SUBTITLE = re.compile(r"\s*(?::|\s[-\u2013\u2014|]\s|\u2013|\u2014)\s*")


def heading_candidates(heading: str, subtitles: bool = True) -> list[str]:
    """The heading, then ever plainer readings of it, most faithful first; with
    ``subtitles``, last the words before a colon or dash."""
    out = [heading]
    plain = _FOOTNOTE_LINK.sub(" ", heading)
    plain = _LINK.sub(r"\1", plain)
    plain = _TAG.sub(" ", plain)
    plain = _EMOJI_CODE.sub(" ", plain)
    plain = plain.strip().strip("*_~`").strip()
    while True:
        shorter = _TRAILING_BRACKETS.sub("", plain).strip().rstrip(":").strip("*_ ")
        if shorter == plain:
            break
        plain = shorter
    out.append(plain)
    word_start = re.search(r"\w", plain)
    bare = plain[word_start.start() :] if word_start else plain  # emoji and bullets before it
    numbered = _NUMBERING.match(bare)
    if numbered and numbered.end() < len(bare):
        bare = bare[numbered.end() :]
    out.append(bare.strip("*_ "))
    title = _SUBTITLE.split(bare, maxsplit=1)[0] if subtitles else bare
    if title and title != bare:
        out.append(title.strip("*_ "))
    return [c for i, c in enumerate(out) if c and c not in out[:i]]


_NOT_TITLES = {"metadata"}


def can_be_title(heading: str) -> bool:
    """Whether a first H1 with this text reads as the document's title, not a section."""
    named = match_heading(heading)
    return (
        bool(heading.strip())
        and (named is None or named.phrased)
        and normalise(heading) not in _NOT_TITLES
        and not re.match(r"^(?:title|incident title)\s*[:\-]", heading, re.IGNORECASE)
    )


@dataclass(frozen=True)
class Template:
    """A template's sections in its order, with the heading it gives each.

    This is the one list of each template's sections: the parser's names, `pm new`,
    `pm draft` and the linter's profiles all read it. ``optional`` sections are written
    by `pm new` and `pm draft` but not required by the template's lint profile.
    """

    name: str
    title: str
    headings: tuple[tuple[K, str], ...]
    description: str
    optional: frozenset[K] = frozenset()

    @property
    def kinds(self) -> tuple[K, ...]:
        return tuple(kind for kind, _ in self.headings)

    @property
    def required(self) -> tuple[K, ...]:
        return tuple(kind for kind in self.kinds if kind not in self.optional)

    def heading_for(self, kind: K) -> str:
        for k, heading in self.headings:
            if k == kind:
                return heading
        return DEFAULT_HEADINGS[kind]

    def position(self, kind: K) -> int:
        for i, (k, _) in enumerate(self.headings):
            if k == kind:
                return i
        return len(self.headings) + list(K).index(kind)


DEFAULT_HEADINGS: dict[K, str] = {
    K.SUMMARY: "Incident Summary",
    K.TIMELINE: "Timeline",
    K.ROOT_CAUSE: "Root Cause",
    K.RESOLUTION: "Resolution and Recovery",
    K.CORRECTIVE_MEASURES: "Corrective and Preventative Measures",
    K.IMPACT: "Impact",
    K.LESSONS: "Lessons Learned",
    K.ACTION_ITEMS: "Action Items",
    K.TRIGGER: "Trigger",
    K.DETECTION: "Detection",
    K.WHAT_HAPPENED: "What Happened",
    K.RESPONDERS: "Responders",
    K.MESSAGING: "Messaging",
    K.SUPPORTING_INFORMATION: "Supporting Information",
    K.ATTENDEES: "Attendees",
    K.STATS: "Stats",
}

TEMPLATES: dict[str, Template] = {
    "seed": Template(
        "seed",
        "Seed (default)",
        tuple(
            (k, DEFAULT_HEADINGS[k])
            for k in (
                K.SUMMARY,
                K.TIMELINE,
                K.ROOT_CAUSE,
                K.RESOLUTION,
                K.CORRECTIVE_MEASURES,
                K.IMPACT,
                K.LESSONS,
                K.ACTION_ITEMS,
            )
        ),
        "The eight sections of the default format.",
    ),
    "google": Template(
        "google",
        "Google SRE book",
        (
            (K.SUMMARY, "Summary"),
            (K.IMPACT, "Impact"),
            (K.ROOT_CAUSE, "Root Causes"),
            (K.TRIGGER, "Trigger"),
            (K.RESOLUTION, "Resolution"),
            (K.DETECTION, "Detection"),
            (K.ACTION_ITEMS, "Action Items"),
            (K.LESSONS, "Lessons Learned"),
            (K.TIMELINE, "Timeline"),
            (K.SUPPORTING_INFORMATION, "Supporting Information"),
        ),
        "The example postmortem of the Google SRE book.",
        frozenset({K.SUPPORTING_INFORMATION}),
    ),
    "pagerduty": Template(
        "pagerduty",
        "PagerDuty",
        (
            (K.SUMMARY, "Overview"),
            (K.WHAT_HAPPENED, "What Happened"),
            (K.ROOT_CAUSE, "Contributing Factors"),
            (K.RESOLUTION, "Resolution"),
            (K.IMPACT, "Impact"),
            (K.RESPONDERS, "Responders"),
            (K.TIMELINE, "Timeline"),
            (K.LESSONS, "How'd We Do?"),
            (K.ACTION_ITEMS, "Action Items"),
            (K.MESSAGING, "Messaging"),
        ),
        "PagerDuty's postmortem template.",
        frozenset({K.MESSAGING}),
    ),
}
