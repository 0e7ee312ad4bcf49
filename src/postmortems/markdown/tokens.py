"""markdown-it configured once for every reader of the toolkit, safe on any input.

Two of markdown-it's defaults lose text on hostile or careless input, so every parser
here differs from them:

- Nesting. markdown-it stops at ``maxNesting`` levels (lists, quotes) and skips the
  rest of the *enclosing* range: a list nested past the limit swallows every line after
  it, later sections included. Here the limit is higher, and what lies past it is kept
  verbatim as preformatted text (its words survive) and reported in
  ``env["too_deep"]`` (0-based lines), so readers can say so.
- Footnotes (HTML and content only). The footnote plugin drops a footnote that nothing
  refers to, and all but one of a footnote defined twice; here they are listed too.
- Raw-text HTML. CommonMark reads a line starting with ``<script``, ``<style`` or
  ``<textarea`` as an HTML block that runs to the closing tag or the end of the
  document, so prose mentioning ``<script>`` at the start of a line hid everything
  after it. Here such a block ends at the first blank line, like any other HTML block.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.state_core import StateCore

from postmortems.markdown.limits import MAX_NESTING, RAW_TEXT_TAGS

_RAW_TEXT_OPEN = re.compile(rf"^<({'|'.join(RAW_TEXT_TAGS)})(?=[\s/>]|$)", re.IGNORECASE)
_RAW_TEXT_CLOSE = re.compile(rf"</({'|'.join(RAW_TEXT_TAGS)})\s*>", re.IGNORECASE)


class _NestingSafeBlockParser(ParserBlock):
    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        if state.level < state.md.options.maxNesting:
            super().tokenize(state, startLine, endLine)
            return
        _keep_too_deep(state, startLine, endLine)


def _keep_too_deep(state: StateBlock, start: int, end: int) -> None:
    """The lines a container past the nesting limit would hold, kept as written."""
    first = state.skipEmptyLines(start)
    last = first
    line = first
    while line < end:
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                break  # the container ends here, as markdown-it's own loop would decide
            last = line + 1
        line += 1
    state.line = last
    if last <= first:
        return
    # Verbatim, as preformatted text: reading it as Markdown is what went too deep, and
    # inline parsing of thousands of markers would take minutes.
    token = state.push("code_block", "code", 0)
    token.map = [first, last]
    token.content = state.getLines(first, last, state.blkIndent, True)
    state.env.setdefault("too_deep", []).append(first)


def _raw_text_html(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """``<script>``, ``<style>``, ``<textarea>`` blocks, ended by a blank line at the latest."""
    if state.sCount[startLine] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[startLine] + state.tShift[startLine]
    first_line = state.src[begin : state.eMarks[startLine]]
    if not _RAW_TEXT_OPEN.match(first_line):
        return False
    if silent:
        return True
    line = startLine
    while line < endLine:
        if line > startLine and (state.isEmpty(line) or state.sCount[line] < state.blkIndent):
            break
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        line += 1
        if _RAW_TEXT_CLOSE.search(text):
            break
    state.line = line
    token = state.push("html_block", "", 0)
    token.map = [startLine, line]
    token.content = state.getLines(startLine, line, state.blkIndent, True)
    return True


def _configure(md: MarkdownIt) -> MarkdownIt:
    safe = _NestingSafeBlockParser()
    safe.ruler = md.block.ruler
    md.block = safe
    md.options["maxNesting"] = MAX_NESTING
    md.block.ruler.before(
        "html_block",
        "raw_text_html",
        _raw_text_html,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    return md


@cache
def structure_parser() -> MarkdownIt:
    """What the document reader uses: CommonMark with tables and raw HTML, block structure
    only. The reader takes inline tokens' source text (``content``) and never their
    children, so inline parsing (emphasis, links, ...), a third of the time, is left out."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table").disable(["inline", "text_join"])
    return _configure(md)


@cache
def display_parser() -> MarkdownIt:
    """What HTML is made with and content is read with: also strikethrough and footnotes."""
    from mdit_py_plugins.footnote import footnote_plugin  # only for HTML and `pm fmt`

    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    md = _configure(md.use(footnote_plugin))
    md.core.ruler.before("footnote_tail", "unreferenced_footnotes", _list_unreferenced_footnotes)
    return md


def _list_unreferenced_footnotes(state: StateCore) -> None:
    """Footnotes defined but never referenced, or defined twice, are shown too: the plugin
    would drop them."""
    footnotes = state.env.get("footnotes")
    if not isinstance(footnotes, dict):
        return
    seen: set[str] = set()
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            label = str(token.meta["label"])
            copy = 2
            while label in seen:
                label = f"{token.meta['label']} ({copy})"
                copy += 1
            if label != token.meta["label"]:
                token.meta["label"] = label
                footnotes["refs"][":" + label] = -1
            seen.add(label)
    listed = footnotes.setdefault("list", {})
    for key, number in footnotes.get("refs", {}).items():
        if number < 0:
            footnotes["refs"][key] = len(listed)
            listed[len(listed)] = {"label": key[1:], "count": 0}


def too_deep_lines(env: dict[str, Any]) -> list[int]:
    """0-based lines where content past the nesting limit was kept as plain text."""
    return sorted(set(env.get("too_deep", [])))
