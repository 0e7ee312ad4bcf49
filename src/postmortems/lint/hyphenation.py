"""Pyphen's hyphenation patterns, read when a word asks for them.

textstat counts syllables with Pyphen, and Pyphen parses every pattern of a language's
dictionary (11,000 for English) when it is first used: most of ``pm lint one.md``'s own
work, to grade a summary of a hundred words. This dictionary only splits the file into
lines at load, keyed by the letters of each pattern, and parses a pattern with Pyphen's
own rules the first time a word looks it up, so every word hyphenates exactly as with
``pyphen.HyphDict`` (a test compares them).
"""

from __future__ import annotations

from typing import Any

import pyphen  # type: ignore[import-untyped]

_DIGITS = str.maketrans("", "", "0123456789")


def _parsed(pattern: str) -> tuple[int, Any] | None:
    """One pattern line as ``pyphen.HyphDict`` keeps it (None for all zeros), by its code."""
    pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
    factory: Any = int
    if "/" in pattern and "=" in pattern:
        pattern, alternative = pattern.split("/", 1)
        factory = pyphen.AlternativeParser(pattern, alternative)
    values = tuple(factory(i or "0") for i, _string in pyphen.parse(pattern))
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


def _key(pattern: str) -> str:
    """The letters a pattern matches: the key ``pyphen.HyphDict`` files it under."""
    if "^^" in pattern:
        pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
    if "/" in pattern and "=" in pattern:
        pattern = pattern.split("/", 1)[0]
    return pattern.translate(_DIGITS)


class _Patterns:
    """The ``patterns`` mapping of a hyphenation dictionary, parsed on lookup."""

    def __init__(self, lines: dict[str, list[str]]) -> None:
        self._lines = lines
        self._parsed: dict[str, tuple[int, Any] | None] = {}

    def get(self, key: str) -> tuple[int, Any] | None:
        try:
            return self._parsed[key]
        except KeyError:
            pass
        found = None
        # A later line for the same letters replaces an earlier one unless it is all zeros.
        for line in self._lines.get(key, ()):
            found = _parsed(line) or found
        self._parsed[key] = found
        return found


class LazyHyphDict(pyphen.HyphDict):  # type: ignore[misc]
    """``pyphen.HyphDict`` whose patterns are parsed when first looked up."""

    def __init__(self, path: Any) -> None:  # a Path or a package resource
        with path.open("rb") as fd:
            encoding = fd.readline().decode()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        lines: dict[str, list[str]] = {}
        for raw in path.read_text(encoding).split("\n")[1:]:
            pattern = raw.strip()
            if not pattern or pattern.startswith(pyphen.ignored):
                continue
            lines.setdefault(_key(pattern), []).append(pattern)
        self.patterns = _Patterns(lines)
        self.cache: dict[str, Any] = {}
        # Longer than Pyphen's when the longest pattern is all zeros: such a key is never
        # found, so the words' positions are the same.
        self.maxlen = max(map(len, lines))


def install(language: str) -> None:
    """Make Pyphen (and so textstat) use a lazy dictionary for ``language``."""
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = LazyHyphDict(path)
