"""`pm fmt` over every Markdown file on the machine: nothing it would write loses content.

Runs the formatter's whole pipeline (read, format, prove) on each file without writing
anything, and prints: files checked, files that would be written, files left as they
are, files refused with each reason, files that cannot be read as a postmortem (and
why), and — the figure that must be 0 — files that would be written with content lost.

That last figure is measured twice, independently of the formatter's own guard:
by `postmortems.markdown.content` on the file and the output (markdown-it tokens), and
by the plain words of the raw text (no Markdown parsing at all), less the words a
canonical form rewrites on purpose (a timeline entry's time, its phase tag, front-matter
times, a shell wrapper the reader removes).

Where the files come from: the shared corpus, the docs of the packages installed in the
virtualenv, /usr/share/doc (``.md`` and ``.md.gz``), node's global modules, Python's
own packages, and this repository. Identical files are checked once.

    .venv/bin/python bench/fmt_safety.py [--limit N] [--show N] [PATH ...]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from _paths import REPO, shared_dir
from postmortems.errors import FormatSafetyError, PostmortemError
from postmortems.markdown import content, frontmatter
from postmortems.markdown.format import format_text
from postmortems.markdown.parse import MAX_BYTES, parse_text
from postmortems.markdown.phases import CANONICAL_TAG

ROOTS = (
    shared_dir() / "corpus",
    REPO / ".venv" / "lib",
    Path("/usr/share/doc"),
    Path("/usr/lib/node_modules"),
    Path("/usr/local/lib/node_modules"),
    Path("/usr/lib/python3"),
    Path("/usr/local/lib"),
    REPO,
)
_SKIP_PARTS = {".git", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build"}
_RAW_WORD = re.compile(r"[^\W_]+")


def markdown_files(roots: Iterable[Path]) -> Iterator[Path]:
    seen: set[Path] = set()
    for root in roots:
        if not root.exists():
            continue
        candidates = [root] if root.is_file() else sorted(root.rglob("*.md*"))
        for path in candidates:
            if not path.name.endswith((".md", ".md.gz")) or not path.is_file():
                continue
            if root == REPO and (_SKIP_PARTS & set(path.parts) or ".venv" in path.parts):
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield path


def read(path: Path) -> str:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8-sig")


def raw_words_lost(original: str, formatted: str) -> list[str]:
    """Words of the raw text missing from the output, less the ones rewritten on purpose."""
    pm = parse_text(original)
    allowed: Counter[str] = Counter()
    tag_words = {w.lower() for tag in CANONICAL_TAG.values() for w in _RAW_WORD.findall(tag)}
    for event in pm.timeline:
        allowed.update(_RAW_WORD.findall(event.time_as_written or ""))
    front, _, _ = frontmatter.split(original.replace("\r\n", "\n"))
    for key in ("date", *(f for f in front.raw_by_key if f.endswith("_at"))):
        allowed.update(_RAW_WORD.findall(front.raw_by_key.get(key, "")))
    for warning in pm.warnings:
        if "wrapped in" in warning.message and warning.line:
            lines = original.split("\n")
            allowed.update(_RAW_WORD.findall(lines[warning.line - 1]))
            allowed.update(_RAW_WORD.findall(lines[-1] if lines[-1].strip() else lines[-2]))
    remaining = Counter(_RAW_WORD.findall(_layout_removed(formatted))) + allowed
    lost: list[str] = []
    for word in _RAW_WORD.findall(_layout_removed(original)):
        if remaining[word] > 0:
            remaining[word] -= 1
        elif word.lower() not in tag_words and word.lower() not in _PHASE_SPELLINGS:
            lost.append(word)
    return lost


_LAYOUT = re.compile(
    r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"  # HTML tags: the reader makes <h2> a heading
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});"  # entities: shown as characters
    r"|^[ \t]*h[1-6]\.(?=[ \t])"  # Jira wiki heading markers: the reader makes "h2." a heading
    r"|^[ \t>]*\d{1,9}[.)](?=\s|$)"  # ordered-list numbers: the list is the content
    r"|^#{1,6}[ \t]*(?:incident[ \t]+)?title[ \t]*:[ \t]*#*[ \t]*$",  # "# Title:" label
    re.MULTILINE | re.IGNORECASE,
)


def _layout_removed(text: str) -> str:
    return _LAYOUT.sub(" ", text)


_PHASE_SPELLINGS = {
    "trigger", "start", "started", "impact", "begins", "began", "detect", "detected",
    "detection", "ack", "acknowledge", "acknowledged", "mitigate", "mitigated", "mitigation",
    "recovered", "resolve", "resolved", "resolution", "end", "ended", "ends",
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="Files or folders (default: all).")
    parser.add_argument("--limit", type=int, default=0, help="Check at most N files.")
    parser.add_argument("--show", type=int, default=15, help="Refusals to list (0: all).")
    args = parser.parse_args()
    started = time.perf_counter()
    checked = written = unchanged = 0
    refused: list[tuple[Path, str]] = []
    unreadable: Counter[str] = Counter()
    lost_tokens: list[tuple[Path, str]] = []
    lost_words: list[tuple[Path, list[str]]] = []
    digests: set[str] = set()
    for path in markdown_files(args.paths or ROOTS):
        if args.limit and checked >= args.limit:
            break
        try:
            if path.stat().st_size > MAX_BYTES:
                unreadable["larger than the size limit"] += 1
                continue
            text = read(path)
        except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
            unreadable[f"not readable as UTF-8 text ({type(exc).__name__})"] += 1
            continue
        digest = hashlib.sha1(text.encode()).hexdigest()
        if digest in digests:
            continue
        digests.add(digest)
        checked += 1
        try:
            formatted = format_text(text, str(path))
        except FormatSafetyError as exc:
            refused.append((path, exc.message))
            continue
        except PostmortemError as exc:
            unreadable[re.sub(r"'[^']*'|\d+", "…", exc.message)] += 1
            continue
        if formatted == text.replace("\r\n", "\n"):
            unchanged += 1
            continue
        written += 1
        missing = _token_losses(text, formatted)
        if missing:
            lost_tokens.append((path, content.describe_loss(missing)))
        words = raw_words_lost(text, formatted)
        if words:
            lost_words.append((path, words))
    elapsed = time.perf_counter() - started

    print(f"files checked                     {checked}")
    print(f"would be written (reformatted)    {written}")
    print(f"already canonical                 {unchanged}")
    print(f"refused (left unchanged)          {len(refused)}")
    print(f"not a readable postmortem         {sum(unreadable.values())}")
    print(f"written with content lost         {len(lost_tokens)}  (markdown-it content)")
    print(f"written with raw words lost       {len(lost_words)}  (plain words of the text)")
    print(
        f"time                              {elapsed:.1f} s ({elapsed / max(checked, 1) * 1000:.0f} ms a file)"
    )
    reasons = Counter(_reason(message) for _, message in refused)
    if reasons:
        print("\nrefusals by reason:")
        for reason, count in reasons.most_common():
            print(f"  {count:5}  {reason}")
    shown = refused if args.show == 0 else refused[: args.show]
    if shown:
        print("\nrefused files:")
        for path, message in shown:
            print(f"  {path}: {message}")
    if unreadable:
        print("\nnot read as a postmortem:")
        for reason, count in unreadable.most_common():
            print(f"  {count:5}  {reason}")
    for path, message in lost_tokens:
        print(f"LOST  {path}: {message}")
    for path, words in lost_words:
        print(f"LOST WORDS  {path}: {' '.join(words[:12])}")
    if lost_tokens or lost_words:
        sys.exit(1)


def _token_losses(text: str, formatted: str) -> list[content.Piece]:
    """The content check, again, on the raw file and the output (no reading view)."""
    from postmortems.markdown.format import lost_content

    return lost_content(text, parse_text(text), formatted, parse_text(formatted))


def _reason(message: str) -> str:
    return re.sub(r"'[^']*'(?: and \d+ more)?", "…", message)


if __name__ == "__main__":
    main()
