"""The document's top-level blocks read by a compiled CommonMark parser (pulldown-cmark,
through ``pyromark``): the same blocks as markdown-it's, ten to twenty times faster.

The reader needs block structure only (headings, lists and their items, tables and their
cells, line ranges), and markdown-it in Python is most of the time of reading a document.
The blocks come out as `postmortems.markdown.blocks` defines them from markdown-it's
tokens, line ranges and heading and cell text included (a test compares the two readers
on every document at hand). Where the two parsers would disagree by design, this returns
None and markdown-it reads the document:

- raw-text HTML (``<script>``, ``<style>``, ``<textarea>``), which this project ends at a
  blank line (`postmortems.markdown.tokens`);
- lists and quotes nested near markdown-it's nesting limit, past which the text is kept
  verbatim and reported;
- a NUL character or a tab (pulldown-cmark and markdown-it expand tabs in the indentation
  of list items differently).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

import pyromark

from postmortems.markdown.blocks import Block, TableRow
from postmortems.markdown.limits import MAX_NESTING, RAW_TEXT_TAGS

_OPTIONS = pyromark.Options.ENABLE_TABLES

_DISAGREEING = re.compile(rf"<(?:{'|'.join(RAW_TEXT_TAGS)})|\t|\x00", re.IGNORECASE)
# The depth of containers (in markdown-it's levels: a list and its item are two) above
# which markdown-it's own reader decides what is too deep.
_SAFE_DEPTH = MAX_NESTING - 4

_MARKER = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?: {1,4}(?=\S)|(?=\s*$))")
_DELIMITER_ROW = re.compile(r"[ \t]*[|:-][-:| \t]*$")
_BLOCK_START = re.compile(
    r"\s*(?:[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|#{1,6}(?:\s|$)|```|~~~|<|=+\s*$)|    "
)
_HEADING_AFTER = re.compile(r"#{1,6}(?:[ \t]|$)")
_INDENTED_BLOCK_START = re.compile(r" {4,}(?:[-*+#>`~<]|\d{1,9}[.)])")
_DEFINITION = re.compile(r" {0,3}\[[^\]]*\]:")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_CONTAINERS = frozenset(("List", "Item", "BlockQuote"))


def read_blocks(markdown: str) -> list[Block] | None:
    """The top-level blocks of ``markdown`` (without "definitions" blocks), or None where
    markdown-it must read it (see the module's docstring)."""
    if _DISAGREEING.search(markdown):
        return None
    data = markdown.encode("utf-8")
    ascii_only = len(data) == len(markdown)
    starts = _line_starts(data)
    lines = markdown.split("\n")

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    blocks: list[Block] = []
    depth = 0  # Start events open
    containers = 0  # lists, items and quotes open, as markdown-it counts its levels
    block: Block | None = None
    content_end = 0  # where the last event inside a list's items ends
    row: list[str] = []
    cell_start = 0
    in_list = in_table = False
    # Typed loosely: the loop looks at each event's shape once, on the hot path.
    events: Iterable[tuple[Any, Any]] = pyromark.events_with_range(markdown, options=_OPTIONS)
    for event, span in events:
        if type(event) is str:  # a leaf without content: a rule, a line break
            if depth == 0:
                if event == "Rule":
                    line = line_of(span["start"])
                    blocks.append(Block("hr", line, line + 1))
            elif in_list and depth >= 2 and span["end"] > content_end:
                content_end = span["end"]
            continue
        start = event.get("Start")
        if start is not None:
            name = start if type(start) is str else next(iter(start))
            if name in _CONTAINERS:
                containers += 1
                if containers > _SAFE_DEPTH:
                    return None
            if depth == 0:
                block = _open_block(name, start, span, line_of, lines)
                blocks.append(block)
                content_end = span["start"]
                in_list, in_table = block.kind == "list", block.kind == "table"
            elif in_list:
                if depth == 1:
                    block.items.append((line_of(span["start"]), 0))  # type: ignore[union-attr]
                elif span["end"] > content_end:
                    content_end = span["end"]
            elif in_table:
                if name == "TableCell":
                    cell_start = span["start"]
                elif name == "TableRow":
                    row = []
                    block.rows.append(TableRow(line_of(span["start"]), row))  # type: ignore[union-attr]
                elif name == "TableHead":
                    row = block.header  # type: ignore[union-attr]
            depth += 1
            continue
        end = event.get("End")
        if end is None:  # inline content
            if in_list and depth >= 2 and span["end"] > content_end:
                content_end = span["end"]
            continue
        depth -= 1
        name = end if type(end) is str else next(iter(end))
        if name in _CONTAINERS:
            containers -= 1
        if in_table and name == "TableCell":
            row.append(_cell(data, markdown, ascii_only, cell_start, span["end"]))
        if depth == 0 and block is not None:
            block.start, block.end = _line_range(span, line_of, data)
            if in_table:
                _even_rows(block)
            elif in_list:
                last_line = line_of(max(content_end - 1, span["start"])) + 1
                _end_list(block, lines, last_line, len(lines) - (0 if lines[-1].strip(" ") else 1))
            block, in_list, in_table = None, False, False
    # markdown-it counts no line after the last newline, nor a last line of spaces.
    line_count = len(lines) - (0 if lines[-1].strip(" ") else 1)
    if not _tables_agree(blocks, lines, line_count) or _definition_then_text(markdown, lines):
        return None
    if any(not _item_words(lines[s]) for b in blocks if b.kind == "list" for s, _ in b.items):
        return None  # an empty item: where its list ends, the two parsers disagree
    if _lazy_lines(blocks, lines, line_count):
        return None
    _finish_setext(blocks, lines)
    _end_open_fences(blocks, lines, line_count)
    return blocks


def _tables_agree(blocks: list[Block], lines: list[str], line_count: int) -> bool:
    """Whether markdown-it reads the same tables: GFM (pulldown-cmark) and markdown-it
    differ on a header without a pipe, a header that is also a list item, quote or
    heading, and on what ends a table's body. Those documents go to markdown-it."""
    tables = {block.start: block for block in blocks if block.kind == "table"}
    sites = 0
    for index in range(len(lines) - 1):
        if not _DELIMITER_ROW.match(lines[index + 1]) or not lines[index].strip():
            continue
        sites += 1
        table = tables.get(index)
        header, delimiter = lines[index], lines[index + 1]
        if "|" not in header or _BLOCK_START.match(header) or _BLOCK_START.match(delimiter):
            if table is not None:
                return False
            if "|" in header:
                return False
            continue
        if table is None:
            return False
    if len(tables) > sites:
        return False
    for table in tables.values():
        for row in range(table.start + 2, table.end):
            if _BLOCK_START.match(lines[row]) or lines[row].startswith("    "):
                return False
        if table.end < line_count and lines[table.end].strip():
            return False
    return True


def _lazy_lines(blocks: list[Block], lines: list[str], line_count: int) -> bool:
    """Lines whose place depends on how lazily a paragraph continues: a line right after a
    list or quote (other than a heading), or an indented line that starts a block. There
    pulldown-cmark and markdown-it may end a list or quote one line apart."""
    for block in blocks:
        if block.kind in ("list", "blockquote") and block.end < line_count:
            last, after = lines[block.end - 1], lines[block.end]
            if last.strip() and after.strip() and not _HEADING_AFTER.match(after):
                return True
    return any(_INDENTED_BLOCK_START.match(line) for line in lines)


def _definition_then_text(markdown: str, lines: list[str]) -> bool:
    """A link reference definition followed by a line of text: markdown-it and
    pulldown-cmark end the definition in different places."""
    if "]:" not in markdown:
        return False
    return any(
        _DEFINITION.match(line)
        and lines[index + 1].strip()
        and not _DEFINITION.match(lines[index + 1])
        for index, line in enumerate(lines[:-1])
    )


def _end_open_fences(blocks: list[Block], lines: list[str], line_count: int) -> None:
    """A fence never closed runs to the end of the document, blank lines included."""
    for block in blocks:
        if block.kind != "fence":
            continue
        opening = _FENCE.match(lines[block.start])
        if opening is None:
            continue
        mark = opening.group(1)
        closing = lines[block.end - 1].strip(" ") if block.end - block.start > 1 else ""
        closed = closing.startswith(mark[0] * len(mark)) and not closing.strip(mark[0]).strip()
        if not closed:
            block.end = line_count


def _end_list(block: Block, lines: list[str], last_line: int, line_count: int) -> None:
    """markdown-it ends a list, and its last item, after the blank lines that follow it;
    each item ends where the next begins. pulldown-cmark's range of a list also takes in the
    link reference definitions after it: only those indented into the last item are its."""
    first = block.items[-1][0] if block.items else block.start
    end = max(min(last_line, line_count), first + 1)
    # An item that is a marker alone holds at most one blank line, and nothing after it.
    empty_item = end == first + 1 and not _item_words(lines[first])
    marker = _MARKER.match(lines[first])
    indent = marker.end() if marker else 2
    for index in range(end, min(block.end, line_count)):
        line = lines[index]
        if not line.strip(" \t"):
            if empty_item:
                break
            continue
        if len(line) - len(line.lstrip(" ")) < indent:
            break
        end, empty_item = index + 1, False
    limit = min(line_count, end + 1) if empty_item else line_count
    while end < limit and not lines[end].strip(" \t"):
        end += 1
    block.end = end
    starts = [start for start, _ in block.items]
    block.items = list(zip(starts, [*starts[1:], end], strict=True))


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    find = data.find
    position = find(b"\n")
    while position >= 0:
        starts.append(position + 1)
        position = find(b"\n", position + 1)
    return starts


def _item_words(line: str) -> str:
    marker = _MARKER.match(line)
    return line[marker.end() :].strip() if marker else line.strip()


def _line_range(span: dict[str, int], line_of: Any, data: bytes) -> tuple[int, int]:
    first, last = span["start"], span["end"]
    start = line_of(first)
    if last <= first:
        return start, start + 1
    # The line after the last byte of the block (its closing newline is not a line).
    end_byte = last - 1
    if data[end_byte : end_byte + 1] == b"\n" and end_byte > first:
        end_byte -= 1
    return start, line_of(end_byte) + 1


def _open_block(
    name: str, start: Any, span: dict[str, int], line_of: Any, lines: list[str]
) -> Block:
    first = line_of(span["start"])
    if name == "Heading":
        level = int(start["Heading"]["level"][1])
        return Block("heading", first, first + 1, level=level, text=_heading_text(lines, first))
    if name == "CodeBlock":
        kind = start["CodeBlock"]
        fenced = isinstance(kind, dict) and "Fenced" in kind
        return Block("fence" if fenced else "code", first, first + 1)
    kind = {
        "Paragraph": "paragraph",
        "List": "list",
        "Table": "table",
        "BlockQuote": "blockquote",
        "HtmlBlock": "html",
        "Rule": "hr",
    }.get(name, "other")
    return Block(kind, first, first + 1)


def _heading_text(lines: list[str], first: int) -> str:
    """The heading's inline source as markdown-it gives it: an ATX heading's text without
    its marks and closing sequence; a Setext heading's lines, the underline left out (filled
    in when the block ends, see `_setext_text`)."""
    line = lines[first]
    if not _ATX.match(line):
        return ""  # a Setext heading: its text is set once its lines are known
    text = line.lstrip(" ").lstrip("#")
    stripped = text.rstrip(" \t")
    closing = stripped.rstrip("#")
    if len(closing) < len(stripped) and (not closing or closing[-1] in " \t"):
        stripped = closing
    return stripped.strip()


def _cell(data: bytes, markdown: str, ascii_only: bool, start: int, end: int) -> str:
    raw = markdown[start:end] if ascii_only else data[start:end].decode("utf-8")
    # markdown-it splits a row at unescaped pipes and drops the escaping backslash.
    return raw.replace("\\|", "|").strip() if "\\|" in raw else raw.strip()


def _even_rows(block: Block) -> None:
    """Every row as many cells as the header, as markdown-it makes them."""
    width = len(block.header)
    for row in block.rows:
        if len(row.cells) > width:
            del row.cells[width:]
        elif len(row.cells) < width:
            row.cells.extend([""] * (width - len(row.cells)))


def _finish_setext(blocks: list[Block], lines: list[str]) -> None:
    """A Setext heading's text: its lines but the underline, as markdown-it joins them."""
    for block in blocks:
        if block.kind == "heading" and not block.text and not _ATX.match(lines[block.start]):
            block.text = "\n".join(lines[block.start : block.end - 1]).strip()
