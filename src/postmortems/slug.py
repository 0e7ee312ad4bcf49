"""Incident ids: the date and a short slug of the title, e.g. ``2026-11-26-checkout-errors``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_FILLER = {"a", "an", "the", "of", "on", "in", "to", "for", "and", "after", "with", "by", "at"}


def slugify(text: str, max_words: int = 5) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _DATE.sub(" ", ascii_text.lower())  # the id starts with the date already
    words = [w for w in _NON_WORD.split(text) if w and w not in _FILLER]
    return "-".join(words[:max_words]) or "incident"


def incident_id(day: dt.date, title: str) -> str:
    return f"{day.isoformat()}-{slugify(title)}"
