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
from collections.abc import Iterable, Iterator
from typing import Any

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


def lead(firsts: Iterable[str], tail: str) -> str:
    """``(?:a|b)tail`` written as ``atail|btail``: one alternative per opening word, as
    the gate of a `Vocabulary` reads them."""
    return "|".join(f"{first}{tail}" for first in firsts)


class Vocabulary:
    """Lower-case patterns, searched at word starts in `plain` text (lower case: several
    times faster than re.IGNORECASE on alternations this long).

    The regex engine tries every alternative at every word, so a long vocabulary costs
    in proportion to its length on every entry, most of which say nothing of a phase.
    The alternatives that open with a plain word ("paged", "customers? report…") are
    kept apart behind a gate: one regex of their opening words, written as a tree of
    their letters, which turns a word down after a letter or two. Only an entry that has
    one of those words is searched with them. `finditer` gives what one regex of all the
    alternatives would, in order (and overlapping matches of the two parts both)."""

    def __init__(self, *patterns: str) -> None:
        opened: list[str] = []  # alternatives that open with a plain word
        others: list[str] = []
        openings: set[str] = set()
        for pattern in patterns:
            for alternative in _alternatives(pattern):
                found = _openings(alternative)
                if found is not None:
                    opened.append(alternative)
                    openings.update(found)
                else:
                    others.append(alternative)
        self.pattern = "|".join(patterns)  # as one regex would read them (for tests)
        self._others = re.compile(r"\b(?:" + "|".join(others) + ")") if others else None
        self._opened = re.compile(r"\b(?:" + "|".join(opened) + ")") if opened else None
        self._gate = re.compile(r"\b" + _letter_tree(openings)) if openings else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        found = list(self._others.finditer(text)) if self._others is not None else []
        if self._opened is not None and self._gate is not None and self._gate.search(text):
            found.extend(self._opened.finditer(text))
            found.sort(key=lambda match: (match.start(), -match.end()))
        return iter(found)

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


def words(*patterns: str) -> Vocabulary:
    return Vocabulary(*patterns)


_METACHARACTERS = frozenset("\\()[]|.^$?*+{}")


def _alternatives(pattern: str) -> list[str]:
    """A pattern's alternatives at its top level (``a|b(?:c|d)`` → ``a``, ``b(?:c|d)``)."""
    out: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":  # a class: its "|" and ")" are characters
            index += 1
            if pattern[index : index + 1] == "^":
                index += 1
            if pattern[index : index + 1] == "]":
                index += 1
            while pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:index])
            start = index + 1
        index += 1
    out.append(pattern[start:])
    return out


def _opening(alternative: str) -> str:
    """The letters every match of an alternative starts with ("calls? …" → "call")."""
    opening = ""
    for index, char in enumerate(alternative):
        if char in _METACHARACTERS:
            if char in "?*{" and opening:
                opening = opening[:-1]  # "calls?": the "s" may be missing
            return opening
        opening += char
        if index + 1 == len(alternative):
            return opening
    return opening


def _openings(alternative: str, depth: int = 0) -> set[str] | None:
    """What every match of an alternative starts with, two letters at least, or None:
    "calls? …" → {"call"}; "(?:went|goes) down" → {"went", "goes"}; "[a-z]+s …" → None."""
    if alternative.startswith("(?:") and depth < 4:
        inner, after = _group(alternative)
        if inner is None or after[:1] in ("*", "+", "{"):
            return None
        optional = after[:1] == "?"  # "(?:page )?load times?": "page" or "load"
        rest = after[1:] if optional else after
        found: set[str] = set()
        for part in [*_alternatives(inner), *([""] if optional else [])]:
            part_openings = _openings(part + rest, depth + 1)
            if part_openings is None:
                return None
            found |= part_openings
        return found
    opening = _opening(alternative)
    first, _, more = opening.partition(" ")
    if (len(opening) < 3 and not opening[:1].isdigit()) or (first in _COMMON and len(more) < 3):
        return None  # a gate that lets most entries through is no gate: "is", "the "
    return {opening}


# Words in most sentences: an alternative opening with one is searched without a gate.
_COMMON = frozenset(
    [
        "a",
        "an",
        "the",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "and",
        "or",
        "this",
        "that",
        "we",
        "our",
        "all",
        "no",
        "not",
        "has",
        "have",
        "had",
        "go",
        "goes",
        "went",
        "get",
        "gets",
        "got",
        "for",
        "with",
        "as",
    ]
)


def _group(alternative: str) -> tuple[str | None, str]:
    """The inside of the group an alternative opens with, and what follows the group."""
    depth = 0
    index = 0
    while index < len(alternative):
        char = alternative[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index += 1
            while index < len(alternative) and alternative[index] != "]":
                index += 2 if alternative[index] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return alternative[3:index], alternative[index + 1 :]
        index += 1
    return None, ""


def _letter_tree(openings: set[str]) -> str:
    """One regex for "any of these openings", as a tree of their letters: ``call``,
    ``called`` and ``cust`` → ``c(?:all|ust)`` (an opening that another one starts with
    is enough alone)."""
    tree: dict[str, Any] = {}
    for opening in sorted(openings, key=len):
        node = tree
        for char in opening:
            if "" in node:
                break  # a shorter opening already covers it
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}

    def written(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        branches = [re.escape(char) + written(child) for char, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return written(tree)


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
    # A message about the incident ("a follow-up email tells customers it was resolved")
    # in the clause itself; "review meeting held and the incident was closed" closes it.
    if _MESSAGE.search(before):
        return False
    sentence = _sentence(text, match.start(), match.end())
    return not _TRIAL.search(sentence)


def clause_of(text: str, match: re.Match[str]) -> str:
    """The whole clause a match stands in."""
    before, after = _clause(text, match.start(), match.end())
    return f"{before}{match.group(0)}{after}".strip()


def says(
    pattern: Vocabulary | re.Pattern[str],
    text: str,
    *,
    finished: bool = False,
    denials: bool = False,
) -> bool:
    """Whether ``text`` (as made by `plain`) asserts one of the pattern's phase words."""
    return any(
        asserted(text, m, finished=finished, denials=denials) for m in pattern.finditer(text)
    )
