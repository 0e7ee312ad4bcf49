"""What a log message is once its variable parts are set aside: its template and its level.

The template masks the variable parts (numbers, hex, UUIDs, IP addresses, dates, times,
durations, paths, quoted strings); the level, for a message that states none, is guessed
from its words. Both are worked out once per *shape* of message and looked up after that:

- first by the message with its digits removed (a cheap C-level ``bytes.translate``), which
  is the same for lines that differ only in numbers;
- then, for lines whose ids defeat that key (hex, UUIDs), by the message with every token
  holding a digit replaced by ``#``: one regex pass, done once per such line.

Lines that differ only in tokens holding digits therefore share the first such line's
template. The caches are bounded; when one is full its oldest quarter is dropped, so a
stream of lines that never repeat (ids) cannot push out everything else at once.
"""

from __future__ import annotations

import re
from itertools import islice

from postmortems.evidence.events import Level
from postmortems.evidence.sources._levels import level_from_words

DIGITS = b"0123456789"
# A token holding a digit (ids, counters, addresses). The look-behind makes the regex try
# only at token starts: the same matches as without it, found in a fraction of the time.
_DIGIT_TOKENS = re.compile(rb"(?<![\w.:/@%+-])[\w.:/@%+-]*\d[\w.:/@%+-]*")
CACHE_LIMIT = 50_000

_MASKS = re.compile(
    r"""
    (?P<UUID>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)
  | (?P<IP>\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b
        | (?<![\w:])(?:[0-9a-fA-F]{1,4}:){4,7}[0-9a-fA-F]{1,4}(?![\w:])
        | (?<![\w:])(?:[0-9a-fA-F]{1,4}:)+:(?:[0-9a-fA-F]{1,4}:)*[0-9a-fA-F]{1,4}(?![\w:]))
  | (?P<DATE>\b\d{4}[-/.]\d\d[-/.]\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\b)
  | (?P<TIME>\b\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?\b)
  | (?P<STR>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<PATH>(?<![\w.:/])(?:[A-Za-z][\w+.-]*://[^\s"'<>]+|(?:/[\w.%+~@=-]+){2,}/?|/[\w.%+~@=-]*\d[\w.%+~@=-]*))
  | (?P<DUR>\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b)
  | (?P<HEX>\b0x[0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{6,}\b)
  | (?P<NUM>[-+]?\d+(?:[.,]\d+)*)
    """,
    re.VERBOSE,
)

Shape = tuple[Level, str]


def template_of(text: str) -> str:
    """``text`` with its variable parts masked: ``<NUM>``, ``<HEX>``, ``<UUID>``, ``<IP>``, ..."""
    return _MASKS.sub(lambda match: f"<{match.lastgroup}>", text)


def text_of(message: bytes) -> str:
    try:
        return message.decode()
    except UnicodeDecodeError:
        return message.decode("latin-1")


class Shapes:
    """The (level guessed from words, template) of messages, cached by shape.

    The fast path is ``shapes.known.get(digitless)``; on a miss, ``shape(message, digitless)``.
    """

    __slots__ = ("_by_coarse", "known", "limit")

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        self.known: dict[bytes, Shape] = {}  # by the message without its digits
        self._by_coarse: dict[bytes, Shape] = {}
        self.limit = limit

    def shape(self, message: bytes, digitless: bytes) -> Shape:
        coarse = _DIGIT_TOKENS.sub(b"#", message)
        found = self._by_coarse.get(coarse)
        if found is None:
            found = (level_from_words(coarse), template_of(text_of(message)))
            _remember(self._by_coarse, coarse, found, self.limit)
        _remember(self.known, digitless, found, self.limit)
        return found

    @property
    def by_coarse(self) -> dict[bytes, Shape]:
        """The shapes by coarse form (tokens holding digits as ``#``)."""
        return self._by_coarse

    def remember_coarse(self, coarse: bytes, shape: Shape) -> None:
        _remember(self._by_coarse, coarse, shape, self.limit)


def _remember(cache: dict[bytes, Shape], key: bytes, shape: Shape, limit: int) -> None:
    if len(cache) >= limit:
        for old in list(islice(cache, limit // 4)):  # dicts keep insertion order: oldest first
            del cache[old]
    cache[key] = shape
