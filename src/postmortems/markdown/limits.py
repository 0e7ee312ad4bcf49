"""What both Markdown readers (pulldown-cmark and markdown-it) agree to treat specially,
kept apart from `tokens.py` so that a document the compiled reader reads never loads
markdown-it."""

from __future__ import annotations

# Deep enough for any real document (20 list levels: a list and its item are two
# levels), shallow enough that markdown-it's recursion stays far from Python's limit.
MAX_NESTING = 40

# HTML elements whose content CommonMark reads as raw text (see `tokens.py`).
RAW_TEXT_TAGS = ("script", "style", "textarea")
