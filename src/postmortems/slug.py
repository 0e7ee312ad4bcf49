"""Incident ids: the date and a short slug of the title, e.g. ``2026-11-26-checkout-errors``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG_CHARS = 60  # file names stay well below every file system's 255-byte limit
_FILLER = {"a", "an", "the", "of", "on", "in", "to", "for", "and", "after", "with", "by", "at"}


def slugify(text: str, max_words: int = 5, max_chars: int = MAX_SLUG_CHARS) -> str:
    ascii_text = unicodedata.normalize("NFKD", text[: max_chars * 20]).encode("ascii", "ignore")
    text = _DATE.sub(" ", ascii_text.decode().lower())  # the id starts with the date already
    words = [w for w in _NON_WORD.split(text) if w and w not in _FILLER]
    slug = ""
    for word in words[:max_words]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_chars:
            # A first word longer than the limit is cut; later ones are left out whole.
            slug = slug or word[:max_chars]
            break
        slug = candidate
    return slug or "incident"


def incident_id(day: dt.date, title: str) -> str:
    return f"{day.isoformat()}-{slugify(title)}"
