"""Generated Markdown: `pm fmt` writes equivalent text or refuses; HTML keeps every word
and runs no script."""

from __future__ import annotations

import os
import re
from urllib.parse import unquote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortems.errors import FormatSafetyError
from postmortems.export.html import render_html
from postmortems.markdown import content
from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_text

EXAMPLES = int(os.environ.get("PM_HYPOTHESIS_EXAMPLES", "60"))

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÄéß0123456789", min_size=1, max_size=8)
_sentence = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_label = st.text(alphabet="abcxyz-", min_size=1, max_size=6).filter(lambda s: s.strip("-"))
_url = _word.map(lambda w: f"https://example.org/{w}")


@st.composite
def _inline(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "code", "link", "ref", "image", "html", "emph", "fn"]))
        words = draw(_sentence)
        if kind == "code":
            parts.append(f"`{words}`")
        elif kind == "link":
            parts.append(f"[{words}]({draw(_url)})")
        elif kind == "ref":
            parts.append(f"[{words}][{draw(_label)}]")
        elif kind == "image":
            parts.append(f"![{words}]({draw(_url)}.png)")
        elif kind == "html":
            parts.append(draw(st.sampled_from(["<b>", "<script>", "<style>", "<br>", "</b>"])))
            parts.append(words)
        elif kind == "emph":
            parts.append(f"*{words}*")
        elif kind == "fn":
            parts.append(f"{words}[^{draw(_label)}]")
        else:
            parts.append(words)
    return " ".join(parts)


@st.composite
def _block(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(
        st.sampled_from(
            ["para", "list", "nested", "quote", "table", "fence", "html", "definition", "footnote"]
        )
    )
    if kind == "list":
        marker = draw(st.sampled_from(["-", "*", "1."]))
        return "\n".join(f"{marker} {draw(_inline())}" for _ in range(draw(st.integers(1, 3))))
    if kind == "nested":
        levels = draw(st.integers(1, 30))
        return "\n".join("  " * i + f"- {draw(_sentence)}" for i in range(levels))
    if kind == "quote":
        return ">" * draw(st.integers(1, 50)) + " " + draw(_inline())
    if kind == "table":
        columns = draw(st.integers(1, 4))
        rows = [
            "| " + " | ".join(draw(_sentence) for _ in range(columns)) + " |"
            for _ in range(draw(st.integers(0, 3)))
        ]
        header = "| " + " | ".join(draw(_sentence) for _ in range(columns)) + " |"
        return "\n".join([header, "|" + "---|" * columns, *rows])
    if kind == "fence":
        return f"```\n{draw(_sentence)}\n  {draw(_sentence)}\n```"
    if kind == "html":
        tag = draw(st.sampled_from(["div", "details", "script", "style", "p"]))
        return f"<{tag}>\n{draw(_sentence)}\n</{tag}>"
    if kind == "definition":
        return f"[{draw(_label)}]: {draw(_url)}"
    if kind == "footnote":
        return f"[^{draw(_label)}]: {draw(_sentence)}"
    return draw(_inline())


_SECTIONS = ["Summary", "Timeline", "Impact", "Action Items", "Root Cause", "Notes from the call"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = [f"# {draw(_sentence)}"]
    for _ in range(draw(st.integers(1, 4))):
        parts.append(f"## {draw(st.sampled_from(_SECTIONS))}")
        for _ in range(draw(st.integers(0, 3))):
            if draw(st.booleans()):
                time = f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
                parts.append(f"- {time} {draw(_inline())}")
            else:
                parts.append(draw(_block()))
    return "\n\n".join(parts) + "\n"


_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_SETTINGS
@given(documents())
def test_fmt_writes_equivalent_text_or_refuses(text: str) -> None:
    try:
        formatted = format_text(text)
    except FormatSafetyError:
        return  # refused: nothing would be written
    # Checked again from the outside: every piece of content is still there.
    before = content.document_content(text)
    after = content.document_content(formatted)
    lost = content.lost(before, after)
    assert all(piece.kind == "word" and re.fullmatch(r"\d+", piece.value) for piece in lost), lost
    assert format_text(formatted) == formatted


@_SETTINGS
@given(documents())
def test_html_keeps_every_word_and_runs_no_script(text: str) -> None:
    html = render_html(parse_text(text))
    main = html[html.index("<main>") :]
    assert not re.search(r"<\s*(script|style|iframe)", main, re.IGNORECASE)
    assert re.search(r"\son\w+\s*=", main) is None
    shown = set(content.words(re.sub(r"<[^>]+>", " ", main)))
    for section in parse_text(text).sections:
        assert set(content.words(section.title)) <= set(content.words(html))
    # Labels of reference links and footnotes are not shown (the link or the number is),
    # nor are link definitions, by the definition of Markdown.
    labels_removed = re.sub(
        r"\]\[[^\]]*\]|\[\^[^\]]*\]:?|^\[(?!\^)[^\]]*\]:.*$", " ", text, flags=re.M
    )
    for word in content.words(labels_removed):
        if not re.fullmatch(r"\d+", word):  # times are shown in canonical form
            assert word in shown or word in unquote(html), word
