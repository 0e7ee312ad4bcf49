"""YAML front matter: split it from the document, load it safely, keep each key's lines.

Unknown keys must survive formatting byte-for-byte, so besides the loaded mapping we
keep the exact lines of every top-level key.

YAML aliases let a few hundred bytes stand for billions of values ("billion laughs") or
for a value that contains itself; both are refused before anything is built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from postmortems.errors import FrontMatterError

MAX_FRONT_MATTER_BYTES = 256 * 1024  # real front matter is a few hundred bytes
MAX_EXPANDED_NODES = 100_000  # values after expanding aliases; real front matter has < 100

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w.-]*|\"[^\"]+\"|'[^']+')[ \t]*:(?:[ \t]|$)")


@dataclass
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    raw_by_key: dict[str, str] = field(default_factory=dict)  # key -> its lines as written
    line_by_key: dict[str, int] = field(default_factory=dict)  # key -> 1-based line in the file
    present: bool = False
    end_line: int = 0  # number of lines the front matter occupies, fences included


try:  # libyaml: ten times faster, and it refuses nesting deeper than 1,000 levels at once
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover -- PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """The safe loader, except that a date that does not exist stays the text written.

    YAML reads ``0000-00-00`` and ``2026-02-30`` as dates and fails; the reader of the key
    then says the value cannot be read, instead of the whole document failing.
    """

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            return self.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def split(text: str, path: str | None = None) -> tuple[FrontMatter, str, int]:
    """Front matter, the Markdown after it, and how many lines precede that Markdown."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].lstrip("\ufeff")):
        return FrontMatter(), text, 0
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            yaml_lines = lines[1:index]
            front = _load(yaml_lines, path)
            front.end_line = index + 1
            return front, "\n".join(lines[index + 1 :]), index + 1
    raise FrontMatterError("front matter starts with '---' but is never closed", path, 1)


def _load(yaml_lines: list[str], path: str | None) -> FrontMatter:
    source = "\n".join(yaml_lines)
    if len(source) > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterError(
            f"front matter is too large ({len(source) // 1024} KiB; the limit is "
            f"{MAX_FRONT_MATTER_BYTES // 1024} KiB)",
            path,
            1,
        )
    try:
        data = _safe_load(source, path) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the fence
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(f"invalid YAML in front matter: {problem}", path, line) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(
            f"front matter must be a mapping of keys to values, not a {type(data).__name__}",
            path,
            2,
        )
    front = FrontMatter(data={str(k): v for k, v in data.items()}, present=True)
    _index_keys(front, yaml_lines)
    return front


def _safe_load(source: str, path: str | None) -> Any:
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, path)
        return loader.construct_document(node)
    except RecursionError:
        # The pure-Python composer recurses once per level of nesting.
        raise FrontMatterError("front matter is nested too deeply", path, 1) from None
    finally:
        loader.dispose()


def _check_expansion(root: Node, path: str | None) -> None:
    """Refuse a value that contains itself, or that aliases expand past a sane size.

    Aliases make the node graph a DAG whose expanded size can be exponential in its length;
    counting each distinct node once, with the sizes of its children memoised, stays linear.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    # An explicit stack: a deep document must not exhaust Python's recursion limit.
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _children(node)
        if children_done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children)
            if size[key] > MAX_EXPANDED_NODES:
                raise FrontMatterError(
                    "front matter aliases expand to more than "
                    f"{MAX_EXPANDED_NODES:,} values; write the values out instead",
                    path,
                    node.start_mark.line + 2,
                )
            continue
        if key in size:
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                raise FrontMatterError(
                    "front matter has a value that contains itself (a recursive YAML alias)",
                    path,
                    child.start_mark.line + 2,
                )
            if id(child) not in size:
                stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _index_keys(front: FrontMatter, yaml_lines: list[str]) -> None:
    """Record the exact lines of each top-level key: its line and every indented line after."""
    current: str | None = None
    blocks: dict[str, list[str]] = {}
    pending: list[str] = []  # comments and blank lines before the next key belong to it
    for number, line in enumerate(yaml_lines, start=2):
        match = _TOP_KEY.match(line)
        if match:
            current = match.group(1).strip("\"'")
            blocks[current] = [*pending, line]
            pending = []
            front.line_by_key[current] = number
        elif current is not None and (line.startswith((" ", "\t", "-")) or not line.strip()):
            if line.strip():
                blocks[current].extend(pending)
                pending = []
                blocks[current].append(line)
            else:
                pending.append(line)
        else:
            pending.append(line)
    for key, block in blocks.items():
        while block and not block[-1].strip():
            block.pop()
        front.raw_by_key[key] = "\n".join(block)
