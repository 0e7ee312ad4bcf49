"""Reading grade through `textstat`, without its network download.

For English, textstat counts syllables with NLTK's CMU dictionary and downloads it on
first use when it is missing. Linting must never reach the network (CI, pre-commit and
air-gapped machines), so when the dictionary is not installed we make textstat take its
own fallback, Pyphen hyphenation, which ships with it.
"""

from __future__ import annotations

import functools

import textstat


@functools.cache
def _prepare() -> None:
    try:
        import nltk  # type: ignore[import-untyped]

        nltk.data.find("corpora/cmudict")
    except (ImportError, LookupError):
        from textstat.backend.counts import _count_syllables

        # count_syllables treats a missing dictionary (TypeError on lookup) as "use Pyphen".
        _count_syllables.get_cmudict = lambda lang: None


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade level of plain English text."""
    _prepare()
    return float(textstat.flesch_kincaid_grade(text))
