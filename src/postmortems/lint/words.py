"""Word lists kept in `lint/data/*.txt`, extended or trimmed from config, compiled once."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TypeAlias

LIST_NAMES = ("blame", "minimising", "animated", "vague_actions", "weak_verbs", "acronyms")
# Config keys: extra-<name> and removed-<name>, in the CLI's dashed spelling.
CONFIG_LIST_KEYS = {
    "blame-words": "blame",
    "minimising-words": "minimising",
    "animated-words": "animated",
    "vague-actions": "vague_actions",
    "weak-verbs": "weak_verbs",
    "acronyms": "acronyms",
}


@functools.cache
def load_list(name: str) -> tuple[Entry, ...]:
    """Entries of a data file as (phrase, suggestion, flags); '' when not given."""
    text = resources.files("postmortems.lint").joinpath("data", f"{name}.txt").read_text("utf-8")
    return tuple(parse_entries(text.splitlines()))


def parse_entries(lines: Iterable[str]) -> Iterable[Entry]:
    """'phrase | suggestion | flags' lines; blank lines and # comments are skipped."""
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, rest = line.partition("|")
        suggestion, _, flags = rest.partition("|")
        yield phrase.strip(), suggestion.strip(), flags.strip()


def phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: words separated by any whitespace, either apostrophe."""
    words = [re.escape(w) for w in phrase.split()]
    body = r"\s+".join(words).replace("'", "['’]")
    return body


Entry: TypeAlias = tuple[str, str, str]


@dataclass(frozen=True)
class WordList:
    entries: tuple[Entry, ...]

    @functools.cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """One alternation over all phrases, longest first, at word boundaries."""
        if not self.entries:
            return None
        phrases = sorted({e[0] for e in self.entries}, key=len, reverse=True)
        alternation = "|".join(phrase_pattern(p) for p in phrases)
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)

    @functools.cached_property
    def suggestions(self) -> dict[str, str]:
        return {_key(p): s for p, s, _ in self.entries}

    @functools.cached_property
    def first_words(self) -> frozenset[str]:
        """The first word of every phrase: a text containing none of them cannot match."""
        return frozenset(
            re.findall(r"[a-z0-9]+", e[0].lower())[0]
            for e in self.entries
            if re.search(r"[a-z0-9]", e[0].lower())
        )

    def may_match(self, words: frozenset[str]) -> bool:
        return not self.first_words.isdisjoint(words)

    @functools.cached_property
    def person_only(self) -> frozenset[str]:
        """Phrases that are blame only when a person is their subject."""
        return frozenset(_key(p) for p, _, flags in self.entries if "person" in flags.split())

    @functools.cached_property
    def words(self) -> frozenset[str]:
        return frozenset(_key(e[0]) for e in self.entries)

    def suggestion_for(self, matched: str) -> str:
        return self.suggestions.get(_key(matched), "")

    def needs_person(self, matched: str) -> bool:
        return _key(matched) in self.person_only


def _key(phrase: str) -> str:
    """Case, apostrophes and spacing do not matter when comparing phrases."""
    return " ".join(phrase.lower().replace("’", "'").split())


@functools.cache
def build_list(name: str, extra: tuple[str, ...], removed: tuple[str, ...]) -> WordList:
    removed_keys = {_key(r) for r in removed}
    entries = [e for e in load_list(name) if _key(e[0]) not in removed_keys]
    entries += list(parse_entries(extra))
    return WordList(tuple(entries))
