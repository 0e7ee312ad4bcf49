"""The document as its author meant it: headings people write without Markdown made into
Markdown headings, before the structure is read.

People write section headings as plain lines (``Issue Summary:``), as HTML
(``<h2>Timeline</h2>``), indent the prose under them, and paste whole documents inside
an ``echo "…"`` command or one code fence. Each of these is rewritten here, line for
line (the line count never changes, so every line number still points into the file),
and every rewrite that changes what a reader of the Markdown would see says so in a
warning. A line becomes a heading only when it is nothing but a known section name
(decorations aside): a sentence that starts with "Timeline" stays a sentence.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace

from postmortems.markdown.blocks import Block, parse_blocks
from postmortems.markdown.dialects import read_dialect
from postmortems.markdown.sections import heading_candidates, match_heading, normalise
from postmortems.model import SectionKind, Warning_

_ECHO_OPEN = re.compile(r"""^\s*echo\s+(?:-[neE]+\s+)?(["'])(.*)$""")
_HEREDOC_OPEN = re.compile(
    r"""^\s*cat\s+(?:>>?\s*\S+\s+)?<<-?\s*(["']?)(\w+)\1(?:\s*>>?\s*\S+)?\s*$"""
)
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)\s*$")
_HTML_HEADING = re.compile(r"^\s{0,3}<h([1-6])(?:\s[^>]*)?>(.*?)</h\1>\s*$", re.IGNORECASE)
_NOT_PLAIN = re.compile(r"^\s{0,3}(?:[-*+>|#]|\d{1,3}[.)]\s|[*_]{1,3}\S)")
_ENDS_SENTENCE = re.compile(r"""[.!?:;)\]"'*_`]\s*$|^\s*$""")
_CODE_LIKE = re.compile(r"[{};]\s*$|^\s*(?:\$ |>>> |#!|def |import |class |SELECT |<\?)")
_MAX_HEADING = 80


@dataclass
class ReadingView:
    """The text to read, with the same number of lines as the file, and what was rewritten."""

    text: str
    warnings: list[Warning_] = field(default_factory=list)


def unwrap(text: str) -> ReadingView:
    """A whole document inside ``echo "…" > file``, a heredoc or one code fence: the inside."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return ReadingView(text)
    first, last = filled[0], filled[-1]
    echo = _ECHO_OPEN.match(lines[first])
    if echo is not None:
        quote = echo.group(1)
        closing = re.match(rf"^(.*){quote}\s*(?:>>?\s*\S+)?\s*$", lines[last])
        if closing is not None:
            lines[first] = echo.group(2)
            lines[last] = closing.group(1)
            return _unwrapped(lines, "an echo command", first)
    heredoc = _HEREDOC_OPEN.match(lines[first])
    if heredoc is not None and lines[last].strip() == heredoc.group(2):
        lines[first] = lines[last] = ""
        return _unwrapped(lines, "a heredoc", first)
    opening = _FENCE.match(lines[first])
    closing_fence = _FENCE.match(lines[last])
    if (
        opening is not None
        and closing_fence is not None
        and opening.group(2).lower() in ("", "md", "markdown", "text", "txt", "plain")
        and _one_fence(text)
    ):
        lines[first] = lines[last] = ""
        return _unwrapped(lines, "a code fence", first)
    return ReadingView(text)


def _one_fence(text: str) -> bool:
    """Whether the text is one fenced block and nothing else: a document with code samples
    (fences inside) is not unwrapped, as there is no telling which fence closes it."""
    blocks = parse_blocks(text)
    return len(blocks) == 1 and blocks[0].kind == "fence"


def _unwrapped(lines: list[str], wrapper: str, first: int) -> ReadingView:
    message = f"the document is wrapped in {wrapper}; read as the Markdown inside it"
    return ReadingView("\n".join(lines), [Warning_(message=message, line=first + 1)])


def headings_view(
    markdown: str, line_base: int, has_title: bool = False
) -> tuple[ReadingView, list[Block] | None]:
    """The Markdown with plain-line and HTML headings written as ATX headings and prose
    indented under them unindented; with the blocks of the text when nothing changed.

    ``line_base`` turns 0-based line indexes into the file's 1-based lines for warnings;
    without ``has_title`` (front matter gives none), a first line that reads as a title
    ("Postmortem: the checkout outage") becomes the H1."""
    lines = markdown.split("\n")
    view = ReadingView(markdown)
    blocks = parse_blocks(markdown)
    dialect = read_dialect(blocks, lines, line_base, _names_a_section)
    if dialect is not None:
        view.warnings.append(dialect)
        blocks = parse_blocks("\n".join(lines))
    changed = dialect is not None
    plain = _without_markup_headings(blocks, lines)
    changed = (not has_title and _plain_title(blocks, lines, view, line_base)) or changed
    # A rewrite can turn an HTML block's remaining lines into paragraphs holding more
    # plain headings: read again until nothing changes (twice is the most seen).
    for _ in range(3):
        rewritten, dedented = _rewrite(blocks, lines, view, line_base, plain)
        if not rewritten and not dedented:
            break
        changed = True
        blocks = parse_blocks("\n".join(lines))
        if not rewritten:
            break
    view.text = "\n".join(lines)
    return view, (None if changed else blocks)


def _names_a_section(text: str) -> bool:
    return match_heading(text) is not None


def _without_markup_headings(blocks: list[Block], lines: list[str]) -> bool:
    """Whether the document writes no heading in Markdown or HTML below its title: its
    author structures it with plain lines and labels ("cause: …"), if at all."""
    headings = [b for b in blocks if b.kind == "heading"]
    if headings and headings[0].level == 1:
        headings = headings[1:]
    if headings:
        return False
    for block in blocks:
        for i in range(block.start, block.end):
            if block.kind == "html" and _HTML_ANY_HEADING.search(lines[i]):
                return False
            if block.kind == "paragraph" and _names_in_emphasis(lines[i]):
                return False  # "**Issue Summary**", "**Impact:** …": headings in bold
    return True


_HTML_ANY_HEADING = re.compile(r"<h[1-6][\s>]", re.IGNORECASE)
_EMPHASIS_LABEL = re.compile(r"^\s{0,3}([*_]{1,3})([^*_\n]{2,60}?)(?::\s*)?([*_]{1,3})\s*:?")


def _names_in_emphasis(line: str) -> bool:
    """Whether a line opens with a section name in bold or italics."""
    match = _EMPHASIS_LABEL.match(line)
    if match is None or match.group(3) != match.group(1)[::-1]:
        return False
    named = match_heading(match.group(2))
    return named is not None and not set(named.kinds) <= _FIELD_KINDS


_TITLE_WORDS = re.compile(
    r"post[\s-]?mortem|incident|outage|\brca\b|retrospective|\breport\b|downtime",
    re.IGNORECASE,
)


# "We wrote this incident up", "On Tuesday the outage began": sentences, not titles.
_SENTENCE_START = re.compile(
    r"^(?:we|i|our|on|this|it|they|there|in|at|after|during|when|yesterday|today|the)\b",
    re.IGNORECASE,
)


def _plain_title(blocks: list[Block], lines: list[str], view: ReadingView, base: int) -> bool:
    """A document with no H1 whose first line, standing alone, names the incident report:
    that line is its title, as a reader takes it."""
    if not blocks or any(b.kind == "heading" and b.level == 1 for b in blocks):
        return False
    first = blocks[0]
    if first.kind != "paragraph" or first.end - first.start != 1:
        return False
    text = lines[first.start].strip()
    if not text or len(text) > 100 or text[-1] in ".,;:!?" or not _TITLE_WORDS.search(text):
        return False
    if not (text[0].isalnum() or not text[0].isascii()) or "](" in text or "<" in text:
        return False  # an image, a link or HTML: not words written as a title
    if _SENTENCE_START.match(text):
        return False
    if match_heading(text, subtitles=False) is not None:
        return False
    lines[first.start] = "# " + text
    view.warnings.append(Warning_(message=f"'{text}' read as the title", line=first.start + base))
    return True


def _rewrite(
    blocks: list[Block], lines: list[str], view: ReadingView, line_base: int, plain: bool
) -> tuple[bool, bool]:
    """One pass: whether heading lines were rewritten, and whether prose was unindented.
    ``plain``: the document writes no Markdown or HTML headings below its title."""
    rewritten: list[int] = []
    emphasis: list[int] = []
    dedented = False  # or otherwise rewritten without new headings
    inside = _Within()
    for block in blocks:
        found: list[int] = []
        if block.kind == "heading":
            inside.enter(" ".join(block.text.split()))
        elif block.kind == "paragraph":
            at_start = replace(inside)
            found = _plain_headings(block, lines, inside) + _strong_headings(block, lines)
            if plain and _label_headings(block, lines, at_start):
                inside = at_start  # the same headings entered in order, and the labels
                dedented = True
            emphasis.extend(_emphasis_headings(block, lines))
        elif block.kind == "list":
            found = _numbered_headings(block, lines)
        elif block.kind == "html":
            found = _html_headings(block, lines)
            if _html_list(block, lines, view, line_base):
                dedented = True
            if any(index > block.start for index in found):
                dedented = _html_document(block, lines, view, line_base) or dedented
            else:
                paragraphs = _html_paragraph_block(block, lines, view, line_base)
                if paragraphs is not None:
                    found.extend(paragraphs)
                    dedented = True
        rewritten.extend(found)
        if found:
            inside.enter(lines[max(found)].lstrip("# ").strip())
    for index in sorted({*rewritten, *emphasis}):
        dedented = _dedent_after(index, lines, view, line_base) or dedented
    return bool(rewritten), dedented


# Plain names that are a part of the section they are written in: the seed's corrective
# measures end with "Tasks:", its list of things to do, not a section of its own. A name
# of the section's own kind ("Contributing factors:" in the root cause) is a part too.
_PARTS: dict[SectionKind, frozenset[SectionKind]] = {
    SectionKind.CORRECTIVE_MEASURES: frozenset({SectionKind.ACTION_ITEMS}),
}


@dataclass
class _Within:
    """The section the scan is in: its kinds and its name as a key."""

    kinds: list[SectionKind] = field(default_factory=list)
    name: str = ""
    labelled: bool = False  # opened by a label with its text on the line ("summary: …")

    def enter(self, heading: str, labelled: bool = False) -> None:
        named = match_heading(heading)
        self.kinds = list(named.kinds) if named else []
        self.name = _name_key(heading)
        self.labelled = labelled


def _name_key(heading: str) -> str:
    candidates = heading_candidates(heading, subtitles=False)
    return normalise(candidates[-1]) if candidates else ""


def _plain_headings(block: Block, lines: list[str], inside: _Within) -> list[int]:
    """Lines of a paragraph that are only a section name: rewritten as ``## name``.
    ``inside`` is the section being read, updated as headings are found."""
    found: list[int] = []
    for index in range(block.start, block.end):
        line = lines[index]
        named = _plain_heading_kinds(line)
        if not named:
            continue
        if index > block.start and not _stands_apart(line, lines[index - 1]):
            continue
        if _among_fields(index, lines):
            continue
        if SectionKind.TIMELINE in inside.kinds and is_label_group(named, lines, index):
            continue
        parts = frozenset().union(*(_PARTS.get(kind, frozenset()) for kind in inside.kinds))
        if set(named) <= parts:
            continue
        if set(named) <= set(inside.kinds) and _name_key(line) != inside.name:
            continue  # "Contributing factors:" inside the root cause: a part of it
        lines[index] = "## " + line.strip()
        inside.enter(line.strip())
        found.append(index)
    return found


# "cause: the disk was full": a section's name and its text on one line, in lower case or
# capitalised, at the start of a line.
_LABEL_LINE = re.compile(r"^([A-Za-z][\w '’/&-]{1,40}?)\s*:\s+(\S.*)$")
_FIELD_KINDS = frozenset({SectionKind.STATS})  # "Duration: 45 min" is a figure


def _label_headings(block: Block, lines: list[str], inside: _Within) -> list[int]:
    """In a document without headings, a line that starts with a section's name and a
    colon and goes on with its text opens that section, as its author meant: the terse
    ``summary: …``, ``cause: …``, ``impact: …``. Rewritten as a bold label (``**cause:**
    …``), which the paragraph splitter opens. Not a label among other fields ("Date:",
    "Owner:"), inside a summary that lists its fields, or, inside a timeline, one that
    labels an entry ("Detection: 14:02 alert fired")."""
    found: list[int] = []
    for index in range(block.start, block.end):
        line = lines[index]
        if line.startswith("## "):  # a plain heading of this paragraph, made one just now
            inside.enter(line[3:].strip())
            continue
        match = _LABEL_LINE.match(line)
        if match is None:
            continue
        label, rest = match.group(1).strip(), match.group(2)
        named = match_heading(label, subtitles=False)
        if named is None or named.phrased or set(named.kinds) <= _FIELD_KINDS:
            continue
        kinds = list(named.kinds)
        previous = lines[index - 1] if index > block.start else ""
        if previous.strip() and not _ENDS_SENTENCE.search(previous):
            continue  # "...was the\ncause: ..." is a wrapped sentence
        if _next_to_other_fields(index, block, lines):
            continue
        if SectionKind.SUMMARY in inside.kinds and not inside.labelled:
            continue  # "Issue Summary:" then "Impact: …": the summary's fields
        if SectionKind.TIMELINE in inside.kinds and (
            set(kinds) <= _GROUP_KINDS or _TIME_IN_TEXT.search(rest)
        ):
            continue
        if set(kinds) <= set(inside.kinds):
            continue
        lines[index] = f"**{label}:** {rest}"
        inside.enter(label, labelled=True)
        found.append(index)
    return found


def _next_to_other_fields(index: int, block: Block, lines: list[str]) -> bool:
    """Whether the line before or after, in the same paragraph, is a field that names no
    section ("Date: …", "Owner: …"): the label is one of a block of fields."""
    for other in (index - 1, index + 1):
        if not block.start <= other < block.end:
            continue
        match = _LABEL_LINE.match(lines[other])
        if match is None:
            continue
        named = match_heading(match.group(1), subtitles=False)
        if named is None or set(named.kinds) <= _FIELD_KINDS:
            return True
    return False


# Inside a timeline, "**Detection:**" or "Recovery:" over a list of timed entries labels
# a group of entries (a phase of the incident), not the start of the Detection section.
_GROUP_KINDS = frozenset({SectionKind.TRIGGER, SectionKind.DETECTION, SectionKind.RESOLUTION})
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")
_TIME_IN_TEXT = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)


def is_label_group(kinds: list[SectionKind], lines: list[str], index: int) -> bool:
    """Whether a heading-like line at ``index``, read inside a timeline, labels the timed
    list that follows it rather than opening a section of these kinds."""
    if not kinds or not set(kinds) <= _GROUP_KINDS:
        return False
    after = next((line for line in lines[index + 1 :] if line.strip()), "")
    return bool(_LIST_ITEM.match(after) and _TIME_IN_TEXT.search(after))


_FIELD = re.compile(r"^\s{0,3}[*_]{0,2}[A-Z][\w /'-]{0,30}[*_]{0,2}:[*_]{0,2}\s+\S")


def _among_fields(index: int, lines: list[str]) -> bool:
    """``Involved:`` between ``Owner: @ana`` and ``Meeting: …`` is an empty field of a
    list of fields, not a heading; so is one whose value is indented under it (a
    template's "  - List the people involved")."""
    before = next((line for line in reversed(lines[:index]) if line.strip()), "")
    after = next(
        (line for line in lines[index + 1 :] if line.strip() and not line[:1].isspace()), ""
    )
    return bool(_FIELD.match(before) and _FIELD.match(after))


_LABELLED_ITEM = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+[*_]{1,3}[^*_]+[*_]{1,3}\s*:?\s*[^\s*_]")
_ORDERED_ITEM = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+(.*)$")


def _numbered_headings(block: Block, lines: list[str]) -> list[int]:
    """``1. Issue Summary:`` opening a numbered list item that holds the section's text (or
    ends in a colon, or is alone): a numbered heading. A list of one-line items that happen
    to be section names ("1. Detection", "2. Resolution") stays a list."""
    found: list[int] = []
    if any(_LABELLED_ITEM.match(lines[start]) for start, _ in block.items):
        return found  # "1. **Summary:** two sentences…": a list describing sections
    for start, end in block.items:
        item = _ORDERED_ITEM.match(lines[start])
        if item is None:
            continue
        emphasised = _EMPHASIS_ONLY.match(item.group(1))
        name = emphasised.group(2) if emphasised else item.group(1)
        if not _plain_heading_kinds(name):
            continue
        has_body = any(line.strip() for line in lines[start + 1 : end])
        if has_body or item.group(1).rstrip().endswith(":") or len(block.items) == 1:
            lines[start] = "## " + lines[start].strip()
            found.append(start)
    return found


_STRONG_LINE = re.compile(
    r"^\s{0,3}<(strong|b)>\s*([^<]{2,60}?)\s*(:?)\s*</\1>\s*(:?)(.*)$", re.IGNORECASE
)


def _strong_headings(block: Block, lines: list[str]) -> list[int]:
    """``<strong>Impact:</strong> text``: the same as ``**Impact:** text``."""
    found: list[int] = []
    for index in range(block.start, block.end):
        strong = _STRONG_LINE.match(lines[index])
        if strong is None or match_heading(strong.group(2)) is None:
            continue
        colon = strong.group(3) or strong.group(4)
        rest = strong.group(5).strip()
        lines[index] = f"**{strong.group(2)}{colon}**" + (f" {rest}" if rest else "")
        found.append(index)
    return found


def _plain_heading_kinds(line: str) -> list[SectionKind]:
    """The sections a line names when it is nothing but a (decorated) section name."""
    text = line.strip()
    if not text or len(text) > _MAX_HEADING or _NOT_PLAIN.match(line) or line[:4] == "    ":
        return []
    if text[-1] in ".,;!" or not (text[0].isalnum() or not text[0].isascii()):
        return []
    found = match_heading(text, subtitles=False)
    return list(found.kinds) if found else []


def _stands_apart(line: str, previous: str) -> bool:
    """Within a paragraph, a name stands apart as a heading when it is written as one: with
    a colon, in capitals, or capitalised after a line that ended its sentence.
    "...had a large\nimpact" is a wrapped sentence."""
    text = line.strip()
    if text.endswith(":") or (text.isupper() and sum(c.isalpha() for c in text) > 1):
        return True
    # A line made a heading just before ("## Timeline") ends what came before it too.
    return text[0].isupper() and bool(
        _ENDS_SENTENCE.search(previous) or _is_time_line(previous) or previous.startswith("## ")
    )


_TIME_LINE = re.compile(r"^\s*(?:[-*]\s+)?\**~?\d{1,2}[:.h]\d{2}")


def _is_time_line(line: str) -> bool:
    return bool(_TIME_LINE.match(line))


_EMPHASIS_ONLY = re.compile(r"^\s{0,3}([*_]{1,3})([^*_\n]{2,60}?)([*_]{1,3})\s*:?\s*$")


def _emphasis_headings(block: Block, lines: list[str]) -> list[int]:
    """Whole-line bold or italic section names: the paragraph splitter opens them; found
    here only so that the prose indented under them is read as prose."""
    found: list[int] = []
    for index in range(block.start, block.end):
        match = _EMPHASIS_ONLY.match(lines[index])
        if match and match.group(3) == match.group(1)[::-1] and match_heading(match.group(2)):
            found.append(index)
    return found


def _html_headings(block: Block, lines: list[str]) -> list[int]:
    """``<h2>Timeline</h2>`` lines: as ATX headings. A heading that names no section is
    rewritten only when it opens its HTML block, where it cannot sit inside other HTML."""
    found: list[int] = []
    for index in range(block.start, block.end):
        match = _HTML_HEADING.match(lines[index])
        if match is None:
            continue
        inner = " ".join(_unescape(re.sub(r"<[^>]+>", "", match.group(2))).split())
        opening = all(_WRAPPER.match(lines[i]) for i in range(block.start, index))
        if inner and (opening or match_heading(inner) is not None):
            lines[index] = "#" * int(match.group(1)) + " " + inner
            found.append(index)
    return found


_LIST_TAG = re.compile(r"^\s*</?(?:ul|ol)(?:\s[^>]*)?>\s*$", re.IGNORECASE)
_LIST_ITEM_TAG = re.compile(r"^\s*<li(?:\s[^>]*)?>(.*?)</li>\s*$", re.IGNORECASE)


def _html_list(block: Block, lines: list[str], view: ReadingView, line_base: int) -> bool:
    """An HTML list of one-line items, ``<ul>`` to ``</ul>``: a Markdown list, so that its
    items are read as timeline entries or action items. Any other HTML is left as it is."""
    filled = [i for i in range(block.start, block.end) if lines[i].strip()]
    if not filled or not _LIST_TAG.match(lines[filled[0]]):
        return False
    # The list ends at its closing tag; what follows without a blank line (a heading,
    # another paragraph) is no part of it.
    closing = next((n for n, i in enumerate(filled[1:], 1) if _LIST_TAG.match(lines[i])), None)
    if closing is not None:
        filled = filled[: closing + 1]
    if not all(_LIST_TAG.match(lines[i]) or _LIST_ITEM_TAG.match(lines[i]) for i in filled):
        return False
    ordered = "<ol" in lines[filled[0]].lower()
    number = 0
    for index in filled:
        item = _LIST_ITEM_TAG.match(lines[index])
        if item is None:
            lines[index] = ""
            continue
        number += 1
        lines[index] = (f"{number}. " if ordered else "- ") + item.group(1).strip()
    view.warnings.append(
        Warning_(message="HTML list read as a Markdown list", line=filled[0] + line_base)
    )
    return True


# The lines around a whole HTML page's content: no words of the document.
_WRAPPER = re.compile(
    r"^\s*(?:<!doctype[^>]*>|</?html\b[^>]*>|<head\b[^>]*>.*?</head>|</?head\b[^>]*>|"
    r"<meta\b[^>]*>|<title\b[^>]*>.*?</title>|<style\b[^>]*>.*?</style>|</?body\b[^>]*>|\s)*$",
    re.IGNORECASE,
)
_HTML_PARAGRAPH = re.compile(r"^\s{0,3}<p(?:\s[^>]*)?>(.*)</p>\s*$", re.IGNORECASE)
# Tags that style text without meaning anything a reader of the words would notice.
_STYLE_TAGS = re.compile(r"</?(?:span|font|o:p)\b[^>]*>", re.IGNORECASE)
_STRONG_LABEL = re.compile(
    r"^<(strong|b)>\s*([^<]{1,60}?)\s*(:?)\s*</\1>\s*(:?)\s*(.*)$", re.IGNORECASE | re.DOTALL
)
# Entities that would become markup if written out stay as they are.
_KEPT_ENTITIES = re.compile(r"&(?:lt|gt|amp|quot|#0*60|#0*62|#0*38|#x0*3c|#x0*3e|#x0*26);", re.I)


def _unescape(text: str) -> str:
    """Character references written out (``&mdash;`` as "—"), except those that would
    turn into markup."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = html.unescape(_KEPT_ENTITIES.sub(keep, text))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _paragraph_markdown(line: str) -> tuple[str, bool] | None:
    """A one-line HTML paragraph as Markdown, and whether it is a section heading: a
    paragraph that is only a section name (``<p><span>Root cause</span></p>``, possibly
    bold) is one; ``<p><strong>Impact:</strong> text</p>`` is a bold label, as
    ``**Impact:** text``; anything else is its text. None when the line is no paragraph."""
    match = _HTML_PARAGRAPH.match(line)
    if match is None or "<p" in match.group(1).lower():
        return None
    inner = " ".join(_unescape(_STYLE_TAGS.sub("", match.group(1))).split())
    strong = _STRONG_LABEL.match(inner)
    if strong is not None and "<" not in strong.group(5):
        label, colon, rest = strong.group(2), strong.group(3) or strong.group(4), strong.group(5)
        if colon or rest:
            return f"**{label}{colon}**" + (f" {rest}" if rest else ""), False
        inner = label
    named = match_heading(inner, subtitles=False) if "<" not in inner else None
    bold = strong is not None
    if named is not None and (bold or (not named.phrased and _plain_heading_kinds(inner))):
        return "## " + inner, True
    return inner, False


def _html_document(block: Block, lines: list[str], view: ReadingView, line_base: int) -> bool:
    """An HTML block that also held section headings is a whole document written in HTML
    (a Google Docs or Word export): without a blank line between its elements, Markdown
    would read everything after the first one as one raw block. Its page wrapper, one-line
    paragraphs and lists of one-line items are read as Markdown."""
    changed = False
    for index in range(block.start, block.end):
        line = lines[index]
        if line.strip() and _WRAPPER.match(line):
            lines[index] = ""
            changed = True
            continue
        paragraph = _paragraph_markdown(line)
        if paragraph is not None:
            lines[index] = paragraph[0]
            changed = True
    changed = _lists_within(block, lines) or changed
    if changed:
        view.warnings.append(
            Warning_(
                message="HTML paragraphs read as Markdown paragraphs", line=block.start + line_base
            )
        )
    return changed


def _lists_within(block: Block, lines: list[str]) -> bool:
    """Lists of one-line items anywhere in a block, ``<ul>`` to ``</ul>``: Markdown lists."""
    changed = False
    index = block.start
    while index < block.end:
        if not _LIST_TAG.match(lines[index]) or lines[index].strip().startswith("</"):
            index += 1
            continue
        close = next((i for i in range(index + 1, block.end) if _LIST_TAG.match(lines[i])), None)
        if close is None or not lines[close].strip().startswith("</"):
            index += 1
            continue
        items = range(index + 1, close)
        if all(_LIST_ITEM_TAG.match(lines[i]) for i in items if lines[i].strip()):
            ordered = "<ol" in lines[index].lower()
            number = 0
            for i in items:
                item = _LIST_ITEM_TAG.match(lines[i])
                if item is None:
                    continue
                number += 1
                text = " ".join(_unescape(_STYLE_TAGS.sub("", item.group(1))).split())
                lines[i] = (f"{number}. " if ordered else "- ") + text
            lines[index] = lines[close] = ""
            changed = True
        index = close + 1
    return changed


def _html_paragraph_block(
    block: Block, lines: list[str], view: ReadingView, line_base: int
) -> list[int] | None:
    """A block of one-line HTML paragraphs of which one is a section heading or a bold
    label (``<p><strong>Summary:</strong> …</p>``): read as Markdown; the headings found.
    None when the block is other HTML, left as written."""
    filled = [i for i in range(block.start, block.end) if lines[i].strip()]
    read = {i: _paragraph_markdown(lines[i]) for i in filled}
    if not filled or any(r is None for r in read.values()):
        return None
    if not any(r is not None and (r[1] or r[0].startswith("**")) for r in read.values()):
        return None
    found: list[int] = []
    for i, paragraph in read.items():
        assert paragraph is not None
        lines[i] = paragraph[0]
        if paragraph[1]:
            found.append(i)
    view.warnings.append(
        Warning_(
            message="HTML paragraphs read as Markdown paragraphs", line=block.start + line_base
        )
    )
    return found


def _dedent_after(index: int, lines: list[str], view: ReadingView, line_base: int) -> bool:
    """Prose indented under a heading that is not Markdown's: its author's paragraphs,
    not a code block. Returns whether anything was unindented."""
    run: list[int] = []
    for position in range(index + 1, len(lines)):
        line = lines[position]
        if not line.strip():
            run.append(position)
            continue
        if not line[:1].isspace():
            break
        run.append(position)
    filled = [p for p in run if lines[p].strip()]
    if not filled:
        return False
    expanded = {p: lines[p].expandtabs(4) for p in filled}
    indent = min(len(text) - len(text.lstrip(" ")) for text in expanded.values())
    if indent < 2 or any(_CODE_LIKE.search(text) for text in expanded.values()):
        return False
    if any(text.lstrip().startswith(("```", "~~~")) for text in expanded.values()):
        return False
    for p in filled:
        lines[p] = expanded[p][indent:]
    if indent >= 4:
        name = lines[index].lstrip("# ").strip()
        view.warnings.append(
            Warning_(
                message=f"indented text under '{name}' read as prose, not as a code block",
                line=filled[0] + line_base,
            )
        )
    return True
