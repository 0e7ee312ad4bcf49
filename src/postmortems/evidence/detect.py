"""Which source reads an input: sniffed from its first 64 KiB, or named with ``--type``.

Directories: a Slack export (a folder with ``channels.json`` and ``users.json``) is one
input for the ``slack`` source; any other folder is walked, each file an input of its own
(hidden files skipped). Binary files and files no source recognises are reported, not read.

In a folder, what is not a regular file is reported and left alone: a named pipe or socket
(reading one could wait forever), a broken symbolic link or a loop of links. Links to
folders are followed once each. A named pipe named on the command line is read (a
shell's ``<(command)`` is one), but given up when nothing arrives (see ``_io``).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass

from postmortems.errors import InputError
from postmortems.evidence.sources import all_sources, get_source
from postmortems.evidence.sources._io import STDIN, is_pipe, looks_binary, read_head
from postmortems.evidence.sources.base import Source

MIN_CONFIDENCE = 0.3
SLACK_SOURCE = "slack"


@dataclass
class Input:
    """One thing to read: a path and the source for it, or why it will not be read."""

    path: str
    source: Source | None
    skipped: str | None = None


def is_slack_export(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "channels.json")) and os.path.isfile(
        os.path.join(path, "users.json")
    )


def detect(path: str, type_name: str | None = None) -> Source | None:
    """The source for the file at ``path``: ``type_name`` when given, else the most
    confident sniffer; None when nothing recognises it (or it is binary or empty)."""
    if type_name:
        return get_source(type_name)
    if path != STDIN and os.path.isdir(path):
        if is_slack_export(path):
            return all_sources().get(SLACK_SOURCE)
        return None
    head = read_head(path)
    if not head.strip() or looks_binary(head):
        return None
    best: tuple[float, Source] | None = None
    for source in all_sources().values():
        try:
            confidence = source.sniff(head, path)
        except Exception:
            continue
        if confidence >= MIN_CONFIDENCE and (best is None or confidence > best[0]):
            best = (confidence, source)
    return best[1] if best else None


def expand(paths: Iterable[str], type_name: str | None = None) -> list[Input]:
    """The inputs named by ``paths`` (files, folders, "-"), each with its source."""
    inputs: list[Input] = []
    for path in paths:
        if path != STDIN and not os.path.exists(path):
            raise InputError(_missing(path), path)
        if path != STDIN and os.path.isdir(path) and not is_slack_export(path):
            for found in _files_under(path):
                not_regular = _not_a_regular_file(found)
                if not_regular:
                    inputs.append(Input(found, None, not_regular))
                else:
                    inputs.extend(expand([found], type_name))
            continue
        inputs.append(_input(path, type_name))
    return inputs


def _missing(path: str) -> str:
    if not os.path.islink(path):
        return "no such file or directory"
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return f"broken symbolic link (to {os.readlink(path)})"


def _not_a_regular_file(path: str) -> str | None:
    """Why a file found in a folder is not read, or None when it is a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return _missing(path)
    if stat.S_ISREG(mode) or (stat.S_ISDIR(mode) and is_slack_export(path)):
        return None
    if is_pipe(path):
        return "named pipe in a folder, not read (name it on its own to read it)"
    if stat.S_ISSOCK(mode):
        return "socket, not a file"
    return "not a regular file"


def _input(path: str, type_name: str | None) -> Input:
    try:
        source = detect(path, type_name)
    except InputError as exc:
        return Input(path, None, exc.message)
    if source is not None:
        return Input(path, source)
    if os.path.isdir(path):
        return Input(path, None, "Slack export folder, but no slack source is available")
    head = read_head(path)
    if not head.strip():
        return Input(path, None, "empty")
    if looks_binary(head):
        return Input(path, None, "binary content, not a text log")
    return Input(path, None, "format not recognised (use --type to name it)")


def _files_under(folder: str) -> list[str]:
    found: list[str] = []
    seen_folders: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen_folders:  # a link back to a folder already walked
            dirs[:] = []
            continue
        seen_folders.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if is_slack_export(root) and root != folder:
            found.append(root)
            dirs[:] = []
            continue
        found.extend(os.path.join(root, name) for name in sorted(files) if not name.startswith("."))
    return found
