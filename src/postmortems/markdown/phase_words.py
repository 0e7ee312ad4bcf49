"""The words of an incident's lifecycle, as a class: verbs in their tenses and voices, the
nouns people write instead ("rollback completed", "failover to the replica"), and the
sentences that use those words without the moment happening.

A phase word counts only where the clause around it asserts it. These do not:

- negation: "the alert did not fire", "not yet mitigated", "no one noticed";
- counterfactuals, plans and conditions: "we could have detected it", "the plan
  will fail over", "if the alert had fired";
- another incident: "the previous rollback", "last week's outage";
- for mitigation and resolution, work still under way ("failover to the second provider
  is started", "a rollback is attempted"), a trial ("tested locally, it worked"), or a
  message sent afterwards ("a follow-up email tells customers it was resolved").

Texts are searched in lower case, with quotes, emphasis and HTML tags taken out first, so
that an alert that “fires” or **fires** fires (see `plain`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Verb forms


def _forms(base: str, s: str | None, past: str | None, ing: str | None) -> dict[str, str]:
    if s is None:
        s = base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s")
    if ing is None:
        ing = (base[:-1] if base.endswith("e") and not base.endswith("ee") else base) + "ing"
    if past is None:
        past = base + ("d" if base.endswith("e") else "ed")
    return {"base": base, "s": s, "past": past, "ing": ing}


def verb(
    base: str,
    tenses: str = "base s past",
    *,
    s: str | None = None,
    past: str | None = None,
    ing: str | None = None,
) -> str:
    """An alternation of a verb's forms: ``verb("stop", past="stopped")`` matches stop,
    stops and stopped; add ``ing`` to ``tenses`` for the -ing form."""
    forms = _forms(base, s, past, ing)
    chosen = sorted({forms[t] for t in tenses.split()}, key=len, reverse=True)
    return "(?:" + "|".join(chosen) + r")\b"  # "fail" is not "failure" or "failover"


def any_of(words: Iterable[str]) -> str:
    return "(?:" + "|".join(words) + ")"


def words(*patterns: str) -> re.Pattern[str]:
    """Lower-case patterns, searched in `plain` text: several times faster than
    re.IGNORECASE on alternations this long, over timelines of many entries."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")")


# Texts as searched

_TAGS = re.compile(r"<[^<>\n]{1,200}>|&(?:quot|#34|#39|apos|ldquo|rdquo|lsquo|rsquo);")
_QUOTES = re.compile(r"[\"“”«»`*]|(?<!\w)['‘’]|['‘’](?!\w)|(?<!\w)_+|_+(?!\w)")
_SPACES = re.compile(r"[ \t\r]+")
_LINE_BREAKS = re.compile(r" ?\n[\s]*")


def plain(text: str) -> str:
    """The words of an entry as the patterns read them: lower case, no quotes, emphasis
    or HTML tags, one space between words; lines stay lines, as each ends a clause."""
    text = _TAGS.sub(" ", text.lower().replace("’", "'"))
    text = _SPACES.sub(" ", _QUOTES.sub("", text))
    return _LINE_BREAKS.sub("\n", text).strip()


# Clauses and what keeps a phase word from counting

# A clause ends at a sentence's end, a comma or semicolon, a dash between words, or
# where "and", "but", "while" or "then" join two statements.
_CLAUSE_BREAK = re.compile(
    r"\n|[.;:!?](?:\s|$)|,|\s[-–—]\s|\((?!\w+\))|\)|\b(?:and|but|while|then|whereas|although|though)\b"
)
_NEGATED = re.compile(
    r"\b(?:not|never|no|none|nobody|neither|nor|without|yet to|failed to|n't)\b|n't\b|\bno one\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:will|would|should|shall|might|may|must|could have|could've|if|unless|until|"
    r"whether|going to|plan(?:s|ned)? to|intend(?:s|ed)? to|expect(?:s|ed)? to|hope(?:s|d)? to|"
    r"want(?:s|ed)? to|need(?:s|ed)? to|ought to|in order to|to be|how to|in case)\b"
)
# "the canary detected no errors", "monitoring showed nothing": the word, denied after it.
_NOTHING = re.compile(r"\s*(?:no|nothing|none)\b")
_ANOTHER_INCIDENT = re.compile(
    r"\b(?:previous|prior|former|in the past|earlier (?:incident|outage|rollback)|"
    r"last (?:week|month|year|time|quarter|incident|outage)|a similar|another incident|"
    r"same (?:as|like) (?:in|during))\b"
)
_UNDER_WAY = re.compile(
    r"\b(?:is|was|are|were|gets|got|being) (?:started|initiated|begun|attempted|prepared|"
    r"planned|scheduled|requested|proposed|considered|discussed)\b|"
    r"\b(?:starts?|started|starting|begins?|began|beginning|initiat\w+|attempt\w*|tries|tried|"
    r"trying|prepar\w+|in progress|under ?way|ongoing|pending|awaiting|waiting for|"
    r"partially|partly|slowly|starts? to|begins? to)\b"
)


# A sentence about a trial or a guess: what "worked" there did not end anything.
_TRIAL = re.compile(
    r"\b(?:tested|tried|on my (?:laptop|machine|computer)|locally|in (?:a |the )?staging|"
    r"on staging|reproduc\w+|thought|suspected|guessed|assumed|hypothes\w+)\b"
)
# A message about the incident written after it ("a follow-up email tells customers the
# issue was resolved"): what it reports happened earlier, not when it was sent.
_MESSAGE = re.compile(
    r"\b(?:follow-?ups?|e-?mail\w*|newsletter|wrote to|writes to|informed|"
    r"informs|told|tells|apologi\w*|post-?mortem|retrospective|review meeting)\b"
)
_SENTENCE_END = re.compile(r"\n|[.!?](?:\s|$)")


def _sentence(text: str, start: int, end: int) -> str:
    left = 0
    for found in _SENTENCE_END.finditer(text, 0, start):
        left = found.end()
    after = _SENTENCE_END.search(text, end)
    return text[left : after.start() if after else len(text)]


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of a match's clause before it and after it."""
    left = 0
    for found in _CLAUSE_BREAK.finditer(text, 0, start):
        left = found.end()
    after = _CLAUSE_BREAK.search(text, end)
    right = after.start() if after else len(text)
    return text[left:start], text[end:right]


def asserted(
    text: str, match: re.Match[str], *, finished: bool = False, denials: bool = False
) -> bool:
    """Whether a phase word found in ``text`` says the moment happened; with ``finished``,
    also that it is done rather than under way (for mitigation and resolution). Words
    that go wrong are often said with a denial ("does not start", "users cannot log in"):
    with ``denials`` one inside the words found is part of them; otherwise it voids them
    ("the alert did not fire"), unless it opens them ("no more errors")."""
    before, after = _clause(text, match.start(), match.end())
    if _NEGATED.search(before) or _HYPOTHETICAL.search(before) or _NOTHING.match(after):
        return False
    if not denials and _NEGATED.search(match.group(0), 1):
        return False
    if _ANOTHER_INCIDENT.search(before) or _ANOTHER_INCIDENT.search(match.group(0)):
        return False
    if not finished:
        return True
    if _UNDER_WAY.search(before) or _UNDER_WAY.search(after):
        return False
    sentence = _sentence(text, match.start(), match.end())
    if _MESSAGE.search(sentence, 0, max(0, sentence.find(match.group(0)))):
        return False
    return not _TRIAL.search(sentence)


def clause_of(text: str, match: re.Match[str]) -> str:
    """The whole clause a match stands in."""
    before, after = _clause(text, match.start(), match.end())
    return f"{before}{match.group(0)}{after}".strip()


def says(
    pattern: re.Pattern[str], text: str, *, finished: bool = False, denials: bool = False
) -> bool:
    """Whether ``text`` (as made by `plain`) asserts one of the pattern's phase words."""
    return any(
        asserted(text, m, finished=finished, denials=denials) for m in pattern.finditer(text)
    )
