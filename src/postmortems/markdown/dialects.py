"""Postmortems written in another plain-text markup: Jira and Confluence wiki markup,
AsciiDoc and reStructuredText. Their headings and lists are written as Markdown's, line
for line, before the structure is read; the rest of their text is read as it is.

- wiki markup: ``h2. Timeline``; ``# step`` is a numbered item, ``** detail`` a nested
  bullet;
- AsciiDoc: ``== Timeline`` (``=`` is the document's title); ``. step`` a numbered item;
- reStructuredText: a title underlined, and perhaps overlined, with a run of one
  punctuation character (``Timeline`` over ``~~~~~~~~``); levels follow the order in
  which the document first uses each style, as reStructuredText says.

A document is read as one of these only when one of its headings in that markup names a
section: a line starting "h1. " or "== " that names none is left alone. Lines
inside code blocks are never read as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from postmortems.markdown.blocks import Block
from postmortems.model import Warning_

_WIKI_HEADING = re.compile(r"^h([1-6])\.\s+(\S.*?)\s*$")
_WIKI_NUMBERED = re.compile(r"^(#{1,6})\s+(\S.*)$")
_WIKI_BULLET = re.compile(r"^(\*{2,6})\s+(\S.*)$")
_ASCIIDOC_HEADING = re.compile(r"^(={1,6})\s+(\S.*?)\s*$")
_ASCIIDOC_NUMBERED = re.compile(r"^(\.{1,5})\s+(\S.*)$")
# reStructuredText's adornment characters; one of them repeated is a title's underline.
_ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>])\1{2,}\s*$")

Names = Callable[[str], bool]  # whether a heading's text names a known section


def read_dialect(blocks: list[Block], lines: list[str], base: int, names: Names) -> Warning_ | None:
    """Rewrites the headings and lists of a document written in wiki markup, AsciiDoc or
    reStructuredText as Markdown's; a warning saying which, or None when it is none."""
    prose = [
        i
        for b in blocks
        if b.kind in ("paragraph", "heading", "list")
        for i in range(b.start, b.end)
    ]
    for name, reader in (("wiki markup", _wiki), ("AsciiDoc", _asciidoc)):
        first = reader(prose, lines, names)
        if first is not None:
            return Warning_(
                message=f"{name} read as Markdown headings and lists", line=first + base
            )
    first = _restructured(blocks, lines, names)
    if first is not None:
        return Warning_(
            message="reStructuredText titles read as Markdown headings", line=first + base
        )
    return None


def _enough(headings: list[int], lines: list[str], pattern: re.Pattern[str], names: Names) -> bool:
    """Whether a markup's headings make the document one written in it: one of them at
    least names a section."""
    for index in headings:
        match = pattern.match(lines[index])
        if match is not None and names(match.group(2)):
            return True
    return False


def _wiki(prose: list[int], lines: list[str], names: Names) -> int | None:
    headings = [i for i in prose if _WIKI_HEADING.match(lines[i])]
    if not _enough(headings, lines, _WIKI_HEADING, names):
        return None
    for i in prose:
        line = lines[i]
        heading = _WIKI_HEADING.match(line)
        numbered = _WIKI_NUMBERED.match(line)
        bullet = _WIKI_BULLET.match(line)
        if heading is not None:
            lines[i] = "#" * int(heading.group(1)) + " " + heading.group(2)
        elif numbered is not None:
            lines[i] = "   " * (len(numbered.group(1)) - 1) + "1. " + numbered.group(2)
        elif bullet is not None:
            lines[i] = "  " * (len(bullet.group(1)) - 1) + "- " + bullet.group(2)
    return headings[0]


def _asciidoc(prose: list[int], lines: list[str], names: Names) -> int | None:
    headings = [
        i for i in prose if _ASCIIDOC_HEADING.match(lines[i]) and not _ADORNMENT.match(lines[i])
    ]
    if not _enough(headings, lines, _ASCIIDOC_HEADING, names):
        return None
    for i in prose:
        line = lines[i]
        heading = _ASCIIDOC_HEADING.match(line)
        numbered = _ASCIIDOC_NUMBERED.match(line)
        if heading is not None and not _ADORNMENT.match(line):
            lines[i] = "#" * len(heading.group(1)) + " " + heading.group(2)
        elif numbered is not None:
            lines[i] = "   " * (len(numbered.group(1)) - 1) + "1. " + numbered.group(2)
    return headings[0]


def _restructured(blocks: list[Block], lines: list[str], names: Names) -> int | None:
    """Titles adorned the reStructuredText way. Markdown reads ``=`` and ``-`` underlines
    itself, but reads ``~~~~`` as a code fence, ``^^^^`` as text and an overline as part
    of the title: the document is read as reStructuredText when it adorns a title with a
    character Markdown does not know, or overlines one."""
    # A "~~~~" underline opens what Markdown reads as a fence: only fences that no title
    # opens are code.
    underlines = {under for _, under, _ in _adorned_titles(lines, set())}
    code = {
        i
        for b in blocks
        if b.kind in ("fence", "code") and b.start not in underlines
        for i in range(b.start, b.end)
    }
    titles = _adorned_titles(lines, code)
    foreign = [over is not None or lines[under].strip()[0] not in "=-" for _, under, over in titles]
    if not any(foreign) or not any(names(lines[text].strip()) for text, _, _ in titles):
        return None
    styles: list[tuple[str, bool]] = []
    for text, under, over in titles:
        style = (lines[under].strip()[0], over is not None)
        if style not in styles:
            styles.append(style)
        level = min(styles.index(style) + 1, 6)
        lines[text] = "#" * level + " " + lines[text].strip()
        lines[under] = ""
        if over is not None:
            lines[over] = ""
    return titles[0][0]


def _adorned_titles(lines: list[str], code: set[int]) -> list[tuple[int, int, int | None]]:
    """(title line, underline, overline or None) for each adorned title, in order: a line
    of text no longer than the run of one punctuation character under it, after a blank
    line or an overline of the same run."""
    found: list[tuple[int, int, int | None]] = []
    for under in range(1, len(lines)):
        text = under - 1
        adornment = _ADORNMENT.match(lines[under])
        title = lines[text].strip()
        if adornment is None or not title or text in code or _ADORNMENT.match(lines[text]):
            continue
        if len(title) > len(lines[under].strip()) or lines[text][:1].isspace():
            continue
        above = lines[text - 1] if text > 0 else ""
        over = text - 1 if text > 0 and above.strip() == lines[under].strip() else None
        if over is None and above.strip():
            continue  # a line of a paragraph, not a title standing alone
        if re.match(r"^\s*(?:[-*+]|\d{1,3}[.)]|\|)", lines[text]):
            continue  # a list item or a table row over a rule
        found.append((text, under, over))
    return found
