"""The lazily parsed hyphenation dictionary hyphenates every word as Pyphen's own does, so
reading grades (PM701) do not change."""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.lint.hyphenation import LazyHyphDict

ROOT = Path(__file__).parents[2]
LANGUAGES = ["en_US", "de_DE", "fr", "nl_NL", "hu_HU", "ca", "af_ZA"]  # hu_HU, ca: nonstandard


def _dictionaries(language: str) -> tuple[pyphen.HyphDict, LazyHyphDict]:
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    return pyphen.HyphDict(path), LazyHyphDict(path)


@pytest.fixture(scope="module")
def english() -> tuple[pyphen.HyphDict, LazyHyphDict]:
    return _dictionaries("en_US")


def _our_words() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("examples/**/*.md")))
    text += " ".join(p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("docs/*.md")))
    return sorted(set(re.findall(r"[^\W\d_]+", text.lower())))


def test_every_word_of_the_docs_and_examples_hyphenates_alike(
    english: tuple[pyphen.HyphDict, LazyHyphDict],
) -> None:
    stock, lazy = english
    words = _our_words()
    assert len(words) > 1000
    differing = [w for w in words if stock.positions(w) != lazy.positions(w)]
    assert differing == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüöäçñ'-", min_size=1, max_size=20))
def test_any_word_hyphenates_alike(
    english: tuple[pyphen.HyphDict, LazyHyphDict], word: str
) -> None:
    stock, lazy = english
    assert lazy.positions(word) == stock.positions(word)


@pytest.mark.parametrize("language", LANGUAGES)
def test_other_dictionaries_hyphenate_alike(language: str) -> None:
    stock, lazy = _dictionaries(language)
    words = ["Hyphenation", "Silbentrennung", "anticonstitutionnellement", "lettergrepen"]
    words += ["postmortem", "Szolgáltatás", "asszonnyal", "hosszú", "Schifffahrt", "paral·lel"]
    for word in words:
        assert [(p, p.data) for p in lazy.positions(word)] == [
            (p, p.data) for p in stock.positions(word)
        ], word
