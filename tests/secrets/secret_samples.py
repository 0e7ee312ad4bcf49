"""A planted secret for every rule the redactor knows, generated from the rule's pattern.

gitleaks' patterns are Go syntax; the few spellings Python's parser lacks are rewritten
for generation only (``[[:alnum:]]``, ``(?-i:…)``, ``(?i)`` in mid-pattern). Each sample is
then checked against the real rule (RE2, entropy, allowlists) by the tests: a sample the
rule does not report is retried with the next seed, and a rule no sample satisfies fails.

Generation keeps samples on one line and printable, with short runs where a pattern
allows any length, so the same sample can be planted in every evidence format.
"""

from __future__ import annotations

import random
import re
import string
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_SAFE = string.ascii_letters + string.digits
_ANY = _SAFE + "-_."
_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: string.digits,
    sre_constants.CATEGORY_NOT_DIGIT: string.ascii_letters,
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: _SAFE,
    sre_constants.CATEGORY_WORD: _SAFE + "_",
    sre_constants.CATEGORY_NOT_WORD: "-",
}


def python_spelling(pattern: str) -> str:
    """A Go pattern rewritten so Python's parser reads it (for generating only)."""
    pattern = pattern.replace("[[:alnum:]]", "[a-zA-Z0-9]").replace("\\z", "\\Z")
    pattern = re.sub(r"\(\?-i:", "(?:", pattern)
    pattern = re.sub(r"\(\?[is]+:", "(?:", pattern)
    return re.sub(r"\(\?[is]+\)", "", pattern)


class Generator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def sample(self, pattern: str) -> str:
        parsed = sre_parse.parse(python_spelling(pattern))
        return self._sequence(parsed)

    def _sequence(self, items: Any) -> str:
        return "".join(self._item(op, value) for op, value in items)

    def _item(self, op: Any, value: Any) -> str:
        if op is sre_constants.LITERAL:
            return chr(value)
        if op is sre_constants.NOT_LITERAL:
            return self.random.choice([c for c in _SAFE if ord(c) != value])
        if op is sre_constants.ANY:  # often an unescaped dot in a host name
            return "." if self.random.random() < 0.5 else self.random.choice(_SAFE)
        if op is sre_constants.IN:
            return self._in(value)
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, items = value
            high = min(high, low + 3) if high is not sre_constants.MAXREPEAT else low + 3
            return "".join(self._sequence(items) for _ in range(self.random.randint(low, high)))
        if op is sre_constants.SUBPATTERN:
            return self._sequence(value[-1])
        if op is sre_constants.BRANCH:
            return self._sequence(self.random.choice(value[1]))
        if op is sre_constants.CATEGORY:
            return self.random.choice(_CATEGORIES[value])
        if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            return ""
        if op is sre_constants.GROUPREF:
            return ""
        raise ValueError(f"cannot generate {op}")

    def _in(self, items: Any) -> str:
        negate = bool(items) and items[0][0] is sre_constants.NEGATE
        chars: list[str] = []
        for op, value in items:
            if op is sre_constants.LITERAL:
                chars.append(chr(value))
            elif op is sre_constants.RANGE:
                chars += [chr(c) for c in range(value[0], value[1] + 1)]
            elif op is sre_constants.CATEGORY:
                chars += list(_CATEGORIES[value])
        if negate:
            allowed = [c for c in _SAFE + " ;,)" if c not in chars]
            return self.random.choice(allowed)
        printable = [c for c in chars if c.isprintable() and c not in "\r\n\t\x0b\x0c"]
        # Prefer letters and digits: a token of punctuation would rarely pass entropy.
        preferred = [c for c in printable if c.isalnum()] or printable or [" "]
        pool = preferred if self.random.random() < 0.9 else (printable or preferred)
        return self.random.choice(pool)
