"""The Markdown's top-level blocks, each with its line range, from markdown-it's tokens.

The document parser works on these: headings, paragraphs, lists (with each item's
lines), tables (with their cells), and everything else as opaque blocks. Lines that
markdown-it turns into no token at all (link reference and footnote definitions) are
blocks too, of kind "definitions", so that no line of a document falls between blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token


@dataclass
class TableRow:
    line: int  # 0-based line of the row
    cells: list[str]


@dataclass
class Block:
    kind: str  # heading, paragraph, list, table, blockquote, fence, code, html, hr, definitions
    start: int  # 0-based first line
    end: int  # 0-based line after the last
    level: int = 0  # heading level
    text: str = ""  # a heading's inline source
    items: list[tuple[int, int]] = field(default_factory=list)  # list items' line ranges
    header: list[str] = field(default_factory=list)  # a table's header cells
    rows: list[TableRow] = field(default_factory=list)  # a table's body rows
    too_deep: list[int] = field(default_factory=list)  # lines kept as text past the nesting limit


def tidy(text: str) -> str:
    """Words of an entry or item without trailing spaces on its lines or blank lines around
    it: the canonical form writes none, so the words read back the same."""
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def parse_blocks(markdown: str) -> list[Block]:
    from postmortems.markdown.pulldown import read_blocks

    fast = read_blocks(markdown)
    if fast is not None:
        return _with_definitions(fast, markdown.split("\n"))
    return parse_blocks_markdown_it(markdown)


def parse_blocks_markdown_it(markdown: str) -> list[Block]:
    """The blocks as markdown-it reads them: where the compiled reader gives way."""
    # Imported here: documents the compiled reader reads never load markdown-it.
    from postmortems.markdown.tokens import structure_parser, too_deep_lines

    env: dict[str, Any] = {}
    tokens = structure_parser().parse(markdown, env)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.map is None or token.nesting == -1:
            index += 1
            continue
        start, end = token.map
        close = _closing_index(tokens, index)
        kind = _kind(token)
        block = Block(kind, start, end)
        if kind == "heading":
            block.level = int(token.tag[1])
            block.text = tokens[index + 1].content
        elif kind == "list":
            block.items = [
                (t.map[0], t.map[1])
                for t in tokens[index:close]
                if t.type == "list_item_open" and t.level == 1 and t.map is not None
            ]
        elif kind == "table":
            _fill_table(block, tokens[index:close])
        blocks.append(block)
        index = close + 1
    for line in too_deep_lines(env):
        for block in blocks:
            if block.start <= line < block.end:
                block.too_deep.append(line)
    return _with_definitions(blocks, markdown.split("\n"))


def _with_definitions(blocks: list[Block], lines: list[str]) -> list[Block]:
    """The blocks, with a "definitions" block for each run of written lines between them."""
    out: list[Block] = []
    line = 0
    for block in [*blocks, Block("end", len(lines), len(lines))]:
        gap = [i for i in range(line, block.start) if lines[i].strip()]
        if gap:
            out.append(Block("definitions", gap[0], gap[-1] + 1))
        if block.kind != "end":
            out.append(block)
        line = max(line, block.end)
    return out


def _kind(token: Token) -> str:
    return {
        "heading_open": "heading",
        "paragraph_open": "paragraph",
        "bullet_list_open": "list",
        "ordered_list_open": "list",
        "table_open": "table",
        "blockquote_open": "blockquote",
        "fence": "fence",
        "code_block": "code",
        "html_block": "html",
        "hr": "hr",
    }.get(token.type, "other")


def _closing_index(tokens: list[Token], index: int) -> int:
    if tokens[index].nesting == 0:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


def _fill_table(block: Block, tokens: list[Token]) -> None:
    in_head = False
    row: list[str] = []
    row_line = 0
    for token in tokens:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
            row_line = token.map[0] if token.map else row_line
        elif token.type == "inline":
            row.append(token.content.strip())
        elif token.type == "tr_close":
            if in_head:
                block.header = row
            else:
                block.rows.append(TableRow(row_line, row))
