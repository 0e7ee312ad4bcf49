"""Which Markdown documents a list of files, folders and glob patterns names."""

from __future__ import annotations

import glob
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown")


def markdown_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files from files, directories (Markdown files below, hidden folders skipped) and
    globs, each once and in a stable order; and a problem for each pattern matching nothing.

    A named file that does not exist is kept, so that reading it reports it."""
    files: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in MARKDOWN_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        elif path.exists() or not glob.has_magic(raw):
            files.append(path)
        else:
            matches = sorted(Path(m) for m in glob.glob(raw, recursive=True))
            if not matches:
                problems.append(f"{raw}: the pattern matches no file")
            files.extend(m for m in matches if m.is_file())
    unique = list(dict.fromkeys(files))
    return unique, problems
