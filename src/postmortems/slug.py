"""Incident ids: the date and a short slug of the title, e.g. ``2026-11-26-checkout-errors``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_FILLER = {"a", "an", "the", "of", "on", "in", "to", "for", "and", "after", "with", "by", "at"}


def slugify(text: str, max_words: int = 5) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in _NON_WORD.split(ascii_text.lower()) if w and w not in _FILLER]
    return "-".join(words[:max_words]) or "incident"


def incident_id(day: dt.date, title: str) -> str:
    return f"{day.isoformat()}-{slugify(title)}"
