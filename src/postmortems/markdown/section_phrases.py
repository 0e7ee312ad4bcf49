"""Section headings written as sentences or questions: what a blog post or a student calls
a section when it does not use a template's name.

"Why did this happen?", "What we're changing", "Who was affected", "How we fixed it",
"What happened, hour by hour": each is a way of saying a known section's name. The
phrasings are grammar, not a list of headings: a subject ("we", "the team"), a verb of
the section's kind and its tense decide the kind. "What we will do" looks ahead (the
corrective measures); "What we learned" looks back (the lessons).

Only short headings are read this way (a heading of many words is a title or a
sentence), and only the whole heading: "Why this matters" and "What happened to the
queue after the restart" are not section names.
"""

from __future__ import annotations

import re

from postmortems.model import SectionKind as K

# A heading longer than this is a sentence or a title, not a section's name.
MAX_WORDS = 8

_CONTRACTIONS = (
    (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"\bcan['’]t\b"), "can not"),
    (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"['’]re\b"), " are"),
    (re.compile(r"['’]ll\b"), " will"),
    (re.compile(r"['’]ve\b"), " have"),
    (re.compile(r"\bwhat['’]s\b"), "what is"),
    (re.compile(r"['’]"), ""),
)
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_LEADING_FILLER = re.compile(r"^(?:so|and|but|ok|okay|then)\s+")


def phrase_key(heading: str) -> str:
    """Lower case, contractions written out ("we'll" -> "we will"), no punctuation."""
    text = heading.lower()
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _SPACE.sub(" ", _NOT_WORD.sub(" ", text)).strip()
    return _LEADING_FILLER.sub("", text)


_WE = r"(?:we|i|the team|our team|the teams|you)"
# Looking ahead: what will be done, is being done, is planned.
_AHEAD = (
    r"(?:(?:will|are|am|are going to|plan to|intend to|need to|must|have to|want to|"
    r"would like to) )?"
)
_INCIDENT = r"(?:the |this |our |that )?(?:\w+ )?(?:incident|outage|issue|problem|event|failure)"
_AFFECTED = r"(?:affected|impacted|hit)"
_DETECT_WORDS = (
    r"(?:notic\w*|detect\w*|catch\w*|caught|spot\w*|alert\w*|alarm\w*|miss\w*|monitor\w*|"
    r"see it|saw it|page|paged|paging)"
)
_FIXED = (
    r"(?:fixed|fix|resolved|resolve|mitigated|mitigate|recovered|recover|restored|restore|"
    r"solved|solve|stopped|stop|repaired|repair|got (?:it |things )?back|brought \w+ back)"
)
_MEASURES = r"(?:measures|actions|steps|improvements|changes|fixes|work|plans?|items|initiatives)"
_AHEAD_WORDS = (
    r"\b(?:future|forward|ahead|recurrence|prevent|preventing|prevention|again|long term|"
    r"longer term|next time)\b"
)

# In order: the first that matches decides. Detection before the root cause, as "Why we
# did not notice sooner" asks about detection, "Why did the disk fill up?" about the cause.
_PHRASES: tuple[tuple[K, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            K.TIMELINE,
            r"^(?:(?:what happened|the events?|events|how it (?:unfolded|happened)|the day|"
            r"the night) )?(?:hour by hour|minute by minute|blow by blow|play by play|"
            r"day by day|step by step)$",
        ),
        (K.TIMELINE, rf"^how (?:it|things|events|the day|the night|{_INCIDENT}) unfolded$"),
        (K.DETECTION, rf"^why\b.*\b{_DETECT_WORDS}\b"),
        (
            K.DETECTION,
            rf"^how (?:{_WE}|did {_WE}|was it|it was|{_INCIDENT} was) (?:first )?"
            r"(?:found out|find out|noticed|notice|detected|detect|discovered|discover|"
            r"spotted|caught|learned about|learnt about|found it|knew|know)\b",
        ),
        # "Why did it take so long to fix?" asks about the response, not the cause.
        (
            K.ROOT_CAUSE,
            r"^why (?!(?:this|it) matters$)(?!is this important$)"
            r"(?!.*\b(?:take|took|taking|takes) so long\b)\w+(?: \w+)*$",
        ),
        (
            K.ROOT_CAUSE,
            rf"^what (?:caused|triggered|broke|went wrong with) (?:it|this|that|{_INCIDENT}|the \w+(?: \w+)?)$",
        ),
        (
            K.ROOT_CAUSE,
            rf"^how (?:did )?(?:this|it|that|{_INCIDENT}) (?:happen|happened|come about)$",
        ),
        (
            K.ROOT_CAUSE,
            rf"^(?:the )?(?:root |underlying |real |technical |main )?(?:cause|causes|reason|reasons)"
            rf"(?: behind| for| of)? (?:it|this|that|{_INCIDENT})$",
        ),
        (
            K.ROOT_CAUSE,
            r"^(?:the )?(?:underlying |real |technical |main )?(?:reason|reasons)$",
        ),
        (
            K.IMPACT,
            rf"^(?:who|what|which \w+(?: \w+)?) (?:was|were|is|are|got|has been|have been) {_AFFECTED}$",
        ),
        (K.IMPACT, rf"^how (?:were|was|are|is) (?:\w+ ){{1,3}}{_AFFECTED}$"),
        (K.IMPACT, r"^what (?:was|were) the impacts?(?: on \w+(?: \w+)?)?$"),
        (K.IMPACT, r"^impacts? (?:on|for|to) (?:the |our |its )?\w+(?: \w+)?$"),
        (
            K.IMPACT,
            r"^(?:customer|client|user|business|service|product|partner|member|merchant|"
            r"revenue|financial|external|internal|data|operational|patient|player|"
            r"developer|tenant)s? impacts?$",
        ),
        (
            K.RESOLUTION,
            rf"^how (?:{_WE}|{_WE} (?:have|finally)|did {_WE}|was it|it was|they|{_INCIDENT} was) {_FIXED}\b",
        ),
        (K.RESOLUTION, rf"^what {_WE} did(?: to {_FIXED}(?: \w+)?| about it)?$"),
        (
            K.RESOLUTION,
            rf"^how (?:was|were|did) (?:it|this|they|{_INCIDENT}|the \w+(?: \w+)?) "
            rf"(?:get |finally )?{_FIXED}$",
        ),
        (
            K.CORRECTIVE_MEASURES,
            rf"^what {_WE} {_AHEAD}(?:do|doing|change|changing|changed|have changed|fix|"
            r"fixing|improve|improving|prevent|preventing|build|building)\b"
            r"(?: (?:next|now|about it|differently|from now on|going forward|to prevent \w+(?: \w+)?))*$",
        ),
        (
            K.CORRECTIVE_MEASURES,
            rf"^what (?:are|will|do|can|should|shall) {_WE} (?:going to |plan to )?(?:do|doing|"
            r"change|changing|fix|fixing|improve|improving)\b"
            r"(?: (?:next|now|about it|differently|from now on|going forward|to prevent \w+(?: \w+)?))*$",
        ),
        (K.CORRECTIVE_MEASURES, r"^what (?:is|comes) next$|^whats next$|^next$"),
        (
            K.CORRECTIVE_MEASURES,
            rf"^how (?:{_WE} {_AHEAD}|will {_WE} |do {_WE} |can {_WE} |to )"
            r"(?:prevent|avoid|stop|keep)\b",
        ),
        (
            K.CORRECTIVE_MEASURES,
            r"^(?:preventing|avoiding|prevent|avoid) (?:recurrence|this|it|a repeat|repeats|"
            r"future|similar|the next|it from)\b",
        ),
        (K.CORRECTIVE_MEASURES, r"^(?:going|moving|looking) (?:forward|ahead)$"),
        (
            K.CORRECTIVE_MEASURES,
            rf"^(?:future|planned|further|preventive|preventative|proposed|long term|longer term) {_MEASURES}$",
        ),
        (
            K.LESSONS,
            rf"^what {_WE} (?:have )?(?:learned|learnt|took away|take away)\b",
        ),
        (
            K.LESSONS,
            r"^(?:key |main |our )?(?:takeaways?|learnings?|lessons?)(?: learned| learnt)?$",
        ),
        (
            K.LESSONS,
            r"^what (?:worked|did not work|went right|went poorly|went badly|did not go (?:so )?well"
            r"|did not|went well|went wrong)(?: well)?$",
        ),
        (K.LESSONS, rf"^what {_WE} did (?:well|right|badly|wrong)$"),
        (
            K.LESSONS,
            rf"^what (?:could|should|can) (?:{_WE} )?(?:have )?(?:gone|go|done|do|been done|be done|"
            r"be improved|improve)(?: better| differently)?$",
        ),
        (
            K.LESSONS,
            rf"^what {_WE} (?:could|should|can) (?:have )?(?:done|do|improve)(?: better| differently)?$",
        ),
        (
            K.SUMMARY,
            r"^(?:the )?(?:short|quick|brief|tl dr|tldr|one line|one paragraph|long story short)"
            r"(?: version| summary| story| take)?$",
        ),
        (K.SUMMARY, r"^(?:synopsis|in brief|in short|at a glance|recap|the gist|gist)$"),
        (K.SUMMARY, rf"^(?:brief|synopsis|recap|gist) (?:of|on) {_INCIDENT}$"),
        (K.WHAT_HAPPENED, r"^what (?:exactly )?(?:happened|went on|occurred)(?: exactly| here)?$"),
    )
)


def phrased_kind(heading: str) -> K | None:
    """The section a heading written as a sentence or question names, or None."""
    key = phrase_key(heading)
    if not key or len(key.split()) > MAX_WORDS:
        return None
    for kind, pattern in _PHRASES:
        if pattern.search(key):
            return kind
    return K.CORRECTIVE_MEASURES if measures_ahead(key) else None


def measures_ahead(key: str) -> bool:
    """A name of measures that looks ahead: "Measures for the future", "Steps to prevent
    recurrence", "Changes going forward"."""
    words = key.split()
    return (
        len(words) <= MAX_WORDS
        and "action" not in words  # "Action items for next time": the action items
        and re.search(rf"\b{_MEASURES}\b", key) is not None
        and re.search(_AHEAD_WORDS, key) is not None
    )
