"""What a Markdown document says, independent of its layout — and proof that none of it is lost.

A document's *content* is read from markdown-it's token stream (CommonMark with tables,
strikethrough and footnotes, the reader of `postmortems.markdown.tokens`):

- every word of its text (headings, paragraphs, list items, table cells, link texts,
  image descriptions, emphasis) — a word is a run of letters and digits, or a symbol
  such as an emoji; punctuation and layout (emphasis markers, list markers and their
  numbers, indentation) are not content;
- every link's and image's URL, and every link reference definition (label, URL, title),
  used or not;
- every code span and code block, whole, and every raw HTML block and inline tag, whole
  (with its whitespace folded);
- every footnote definition and reference, by label.

`pm fmt` computes the content of what it read and of what it would write, and refuses
to write when anything of the first is missing from the second (additions, such as a
canonical phase tag, are allowed). This is the model of black's ``assert_equivalent``:
the check is independent of the code that rewrites, so it also catches readers that
miss something. The HTML export is checked the same way against the page's visible
text and links (`missing_from_html`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it.token import Token

from postmortems.markdown.tokens import display_parser

_WORD = re.compile(r"[^\W_]+|[\U0001F000-\U0001FAFF\u2600-\u27BF]")
_TASK_MARKER = re.compile(r"^\[[ xX]\]\s")


@dataclass(frozen=True)
class Piece:
    """One item of content: its kind, its value, and the 1-based line it was first seen on."""

    kind: str  # word, url, definition, code, html, footnote
    value: str
    line: int = 0
    shown: str = ""  # how to name it to a person, when not its value

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.value)

    def describe(self) -> str:
        names = {
            "word": "the word",
            "url": "the link",
            "definition": "the link definition",
            "code": "the code",
            "html": "the HTML",
            "footnote": "the footnote",
        }
        value = self.shown or self.value
        value = value if len(value) <= 60 else value[:57] + "..."
        value = " ".join(value.split())
        return f"{names.get(self.kind, self.kind)} '{value}'"


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def document_content(
    markdown: str, line_offset: int = 0, skip_headings: Iterable[int] = ()
) -> list[Piece]:
    """Every piece of content of a Markdown text (no front matter), in order.

    ``line_offset`` is added to markdown-it's 0-based line numbers to give the 1-based
    lines of the file; the words of headings on the lines ``skip_headings`` (such lines)
    are left out, for a caller that compares them another way."""
    env: dict[str, object] = {}
    tokens = display_parser().parse(markdown, env)
    skipped = set(skip_headings)
    kept: list[Token] = []
    skipping = False
    for token in tokens:
        if token.type == "heading_open" and token.map and token.map[0] + line_offset + 1 in skipped:
            skipping = True
        elif token.type == "heading_close" and skipping:
            skipping = False
        elif not skipping:
            kept.append(token)
    pieces = list(_pieces(kept, line_offset))
    lines = markdown.split("\n")
    references = env.get("references")
    if isinstance(references, dict):
        for label, target in references.items():
            first = target.get("map", [0])[0]
            title = f' "{target["title"]}"' if target.get("title") else ""
            value = f"[{label}]: {target['href']}{title}"
            shown = lines[first].strip() if first < len(lines) else ""
            pieces.append(Piece("definition", value, first + line_offset + 1, shown))
    return pieces


def _pieces(tokens: list[Token], offset: int, line: int = 0) -> Iterator[Piece]:
    for token in tokens:
        here = token.map[0] + offset + 1 if token.map else line
        kind = token.type
        if kind == "text":
            yield from (Piece("word", w, here) for w in words(token.content))
        elif kind in ("code_inline", "code_block", "fence"):
            info = f"{token.info.strip()}\n" if token.info.strip() else ""
            # Trailing spaces are invisible, even in code: not content.
            code = "\n".join(line.rstrip() for line in token.content.rstrip("\n").split("\n"))
            yield Piece("code", info + code, here)
        elif kind in ("html_block", "html_inline"):
            yield Piece("html", " ".join(token.content.split()), here)
        elif kind == "link_open":
            yield Piece("url", str(token.attrs.get("href", "")), here)
            yield from (Piece("word", w, here) for w in words(str(token.attrs.get("title", ""))))
        elif kind == "image":
            yield Piece("url", str(token.attrs.get("src", "")), here)
            yield from (Piece("word", w, here) for w in words(str(token.attrs.get("title", ""))))
        elif kind in ("footnote_ref", "footnote_open"):
            label = str(token.meta.get("label", token.meta.get("id", "")))
            yield Piece("footnote", label, here)
        if token.children:
            yield from _pieces(token.children, offset, here)


def lost(
    before: Iterable[Piece], after: Iterable[Piece], allowed: Counter[tuple[str, str]] | None = None
) -> list[Piece]:
    """Pieces of ``before`` that ``after`` does not hold (as many times), in order.

    ``allowed`` are pieces the caller has proven another way (a timeline entry's time,
    rewritten in canonical form, is compared as a time)."""
    remaining = Counter(piece.key for piece in after)
    if allowed:
        remaining.update(allowed)
    missing: list[Piece] = []
    for piece in before:
        if remaining[piece.key] > 0:
            remaining[piece.key] -= 1
        else:
            missing.append(piece)
    return missing


def first_loss(missing: list[Piece]) -> Piece:
    """The loss to name first: a definition explains the links that lose their target."""
    return min(missing, key=lambda piece: (piece.kind != "definition", piece.line))


def describe_loss(missing: list[Piece]) -> str:
    """ "the word 'x'", with how many more."""
    more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
    return f"{first_loss(missing).describe()}{more}"


# The HTML export: every word and link of the Markdown must reach the page.


def visible_content(markdown: str) -> list[Piece]:
    """The words and link targets a reader of the rendered Markdown sees."""
    return visible_pieces(display_parser().parse(markdown, {}))


def visible_pieces(tokens: list[Token]) -> list[Piece]:
    """`visible_content` of Markdown already parsed (by `display_parser`)."""
    out: list[Piece] = []
    for token, here, first_in_item in _walk(tokens):
        kind = token.type
        if kind == "text":
            text = token.content
            if first_in_item:
                text = _TASK_MARKER.sub("", text)  # shown as a checkbox
            out.extend(Piece("word", w, here) for w in words(text))
        elif kind in ("code_inline", "code_block", "fence"):
            out.extend(Piece("word", w, here) for w in words(token.content))
        elif kind in ("html_block", "html_inline"):
            out.extend(Piece("word", w, here) for w in words(_html_text(token.content)))
        elif kind == "link_open":
            out.append(Piece("url", str(token.attrs.get("href", "")), here))
        elif kind == "image":
            out.append(Piece("url", str(token.attrs.get("src", "")), here))
    return out


def _walk(tokens: list[Token]) -> Iterator[tuple[Token, int, bool]]:
    in_item_paragraph = False
    for index, token in enumerate(tokens):
        here = token.map[0] + 1 if token.map else 0
        if token.type == "paragraph_open":
            in_item_paragraph = index > 0 and tokens[index - 1].type == "list_item_open"
        yield token, here, False
        if token.children:
            for position, child in enumerate(token.children):
                first = in_item_paragraph and position == 0
                yield child, here, first
                if child.children:  # an image's description
                    yield from ((c, here, False) for c in child.children)
        if token.type == "paragraph_close":
            in_item_paragraph = False


def missing_from_html(
    markdown: str, html: str, safe_schemes: set[str], visible: list[Piece] | None = None
) -> list[Piece]:
    """Words and links of ``markdown`` that the page ``html`` does not show.

    Links whose scheme the sanitiser does not allow are not required (their text is).
    ``visible`` is ``visible_content(markdown)``, when the caller has parsed it already."""
    page = _PageText()
    page.feed(html)
    page.close()
    shown = [Piece("word", w) for w in words(" ".join(page.text))]
    shown.extend(Piece("url", url) for url in page.urls)
    required = [
        piece
        for piece in (visible if visible is not None else visible_content(markdown))
        if piece.kind != "url" or _scheme_allowed(piece.value, safe_schemes)
    ]
    return lost(required, shown)


def _scheme_allowed(url: str, schemes: set[str]) -> bool:
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match is None or match.group(1).lower() in schemes


def _html_text(fragment: str) -> str:
    page = _PageText(keep_raw_text=True)
    page.feed(fragment)
    page.close()
    return " ".join(page.text)


class _PageText(HTMLParser):
    """The text a browser shows, and the link targets, of an HTML page or fragment."""

    def __init__(self, keep_raw_text: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.urls: list[str] = []
        self.keep_raw_text = keep_raw_text
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title") and not self.keep_raw_text:
            self._hidden += 1
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag == "img" and name == "src")):
                self.urls.append(value)
            if value and tag == "img" and name == "alt":
                self.text.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and not self.keep_raw_text and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)
