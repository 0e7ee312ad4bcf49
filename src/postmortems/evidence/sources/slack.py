"""A Slack workspace export: the incident channel's conversation as chat events.

Accepted inputs: the export folder (``users.json``, ``channels.json`` and one folder per
channel holding ``YYYY-MM-DD.json`` day files), one channel's folder, or one day file.
Names come from ``users.json`` (found next to the day files' folder when reading a part
of an export), mentions like ``<@U123>`` become ``@Name``, and links become their label.

Kept in ``attrs``: channel, user id, thread (``thread_ts``, and ``parent`` = the parent
message's reference), pins (``pinned``, from ``pinned_to``/``pinned_info`` or from a later
"pinned a message" notice), reactions (name → count) and subtype. Joins, leaves, channel
renames and topic changes, and bot messages are noise: skipped unless
``opts.include_noise``. Each event's reference is ``channel/YYYY-MM-DD.json:LINE``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from postmortems.errors import InputError
from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources.base import ReadOptions, ReadStats

_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_TS = re.compile(r"^(\d+)(?:\.(\d{1,6})\d*)?$")
_MARKUP = re.compile(r"<([@#!])?([^<>|]*)(?:\|([^<>]*))?>")
_NOISE_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "group_join",
        "group_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "group_topic",
        "group_purpose",
        "group_name",
        "group_archive",
        "group_unarchive",
        "bot_add",
        "bot_remove",
        "bot_enable",
        "bot_disable",
        "reminder_add",
        "joiner_notification_for_inviter",
        "tombstone",
    }
)
_PIN_SUBTYPES = frozenset({"pinned_item", "unpinned_item"})


def slack_time(ts: object) -> datetime | None:
    """Slack's ``ts`` ("1452845865.000008": epoch seconds and microseconds) as UTC."""
    match = _TS.match(str(ts).strip()) if ts is not None else None
    if match is None:
        return None
    seconds, fraction = match.groups()
    micros = int((fraction or "0").ljust(6, "0"))
    try:
        return datetime.fromtimestamp(int(seconds), UTC).replace(microsecond=micros)
    except (OverflowError, OSError, ValueError):
        return None


class _Directory:
    """Names of users and channels, for turning ids into words."""

    def __init__(self, users: dict[str, str], channels: dict[str, str]) -> None:
        self.users = users
        self.channels = channels

    @classmethod
    def load(cls, root: Path | None, stats: ReadStats) -> _Directory:
        users: dict[str, str] = {}
        channels: dict[str, str] = {}
        if root is None:
            return cls(users, channels)
        for user in _load_list(root / "users.json", stats):
            profile = payload.as_dict(user.get("profile"))
            name = (
                payload.as_str(user.get("real_name"))
                or payload.as_str(profile.get("real_name"))
                or payload.as_str(profile.get("display_name"))
                or payload.as_str(user.get("name"))
            )
            user_id = payload.as_str(user.get("id"))
            if user_id and name:
                users[user_id] = name
        for listing in ("channels.json", "groups.json", "mpims.json"):
            for channel in _load_list(root / listing, stats):
                channel_id, name = (
                    payload.as_str(channel.get("id")),
                    payload.as_str(channel.get("name")),
                )
                if channel_id and name:
                    channels[channel_id] = name
        return cls(users, channels)

    def plain_text(self, text: str) -> str:
        """Slack markup (``<@U1>``, ``<#C1|name>``, ``<url|label>``, ``&lt;``) as plain text."""

        def replace(match: re.Match[str]) -> str:
            sigil, target, label = match.groups()
            if sigil == "@":
                return "@" + (label or self.users.get(target, target))
            if sigil == "#":
                return "#" + (label or self.channels.get(target, target))
            if sigil == "!":
                return "@" + (label.lstrip("@") if label else target.split("^")[0])
            if label and label != target:
                return f"{label} ({target})"
            return target

        return html.unescape(_MARKUP.sub(replace, text))


def _load_list(path: Path, stats: ReadStats) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    # Read like the day files: a byte-order mark (UTF-16 from Windows tools) is honoured and
    # undecodable bytes are noted, not silently replaced.
    try:
        text = payload.decode_text(payload.read_input_bytes(str(path)), stats)
    except InputError as exc:
        stats.notes.append(f"{path.name}: {exc.message}")
        return []
    if text is None:
        return []
    documents = list(payload.iter_documents(text, stats, False))
    found = documents[0][1] if documents else None
    if not isinstance(found, list):
        stats.notes.append(f"{path.name}: not a list")
        return []
    return [item for item in found if isinstance(item, dict)]


def _is_day_file(path: Path) -> bool:
    return bool(_DAY_FILE.match(path.name))


def _channel_folders(root: Path) -> list[Path]:
    return sorted(
        child
        for child in root.iterdir()
        if child.is_dir() and any(map(_is_day_file, child.iterdir()))
    )


def _plan(path: Path) -> tuple[Path | None, list[tuple[str, list[Path]]]]:
    """The export root (for users.json) and each channel's day files, for any accepted input."""
    if path.is_file():
        channel_dir = path.parent
        root = channel_dir.parent if (channel_dir.parent / "users.json").is_file() else None
        return root, [(channel_dir.name, [path])]
    day_files = sorted(filter(_is_day_file, path.iterdir()))
    if day_files:  # one channel's folder
        root = path.parent if (path.parent / "users.json").is_file() else None
        return root, [(path.name, day_files)]
    plan = [
        (folder.name, sorted(filter(_is_day_file, folder.iterdir())))
        for folder in _channel_folders(path)
    ]
    return path, plan


class SlackSource:
    name = "slack"
    description = "Slack export: a workspace export folder, a channel folder or a day file"

    def sniff(self, head: bytes, path: str) -> float:
        candidate = Path(path)
        if path != "-" and candidate.is_dir():
            if (candidate / "channels.json").is_file() or (candidate / "users.json").is_file():
                return 0.95
            try:
                return 0.8 if any(map(_is_day_file, candidate.iterdir())) else 0.0
            except OSError:
                return 0.0
        if not payload.looks_like_json(head) or not head.lstrip().startswith(b"["):
            return 0.0
        first = payload.first_document(head)
        if isinstance(first, dict):
            return 0.9 if first.get("type") == "message" and "ts" in first else 0.0
        if first is None and b'"type": "message"' in head and b'"ts"' in head:
            return 0.6
        return 0.0

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        if path == "-":
            raise InputError("a Slack export is a folder or a day file, not stdin", path)
        target = Path(path)
        if not target.exists():
            raise InputError("no such file or folder", path)
        root, plan = _plan(target)
        directory = _Directory.load(root, stats)
        if not plan:
            stats.notes.append("no channel folders with YYYY-MM-DD.json files found")
        events: list[Event] = []
        for channel, day_files in plan:
            events.extend(_read_channel(channel, day_files, directory, opts, stats))
        events.sort(key=lambda event: event.time)
        yield from payload.emit(events, opts, stats)


def _read_channel(
    channel: str, day_files: list[Path], directory: _Directory, opts: ReadOptions, stats: ReadStats
) -> list[Event]:
    events: list[Event] = []
    by_ts: dict[str, Event] = {}
    pinned_later: set[str] = set()
    for day_file in day_files:
        label = f"{channel}/{day_file.name}"
        notes_before = len(stats.notes)
        messages = payload.read_array(str(day_file), stats)
        stats.notes[notes_before:] = [f"{label}: {note}" for note in stats.notes[notes_before:]]
        for line, message in messages or []:
            where = f"{label}:{line}"
            if not isinstance(message, dict):
                stats.unparsed(line, f"{where}: not a message")
                continue
            pinned_later.update(_pinned_targets(message))
            event = _message_event(message, channel, where, directory, opts)
            if event is None:
                if slack_time(message.get("ts")) is None:
                    stats.unparsed(line, f"{where}: message without a valid ts")
                continue
            events.append(event)
            by_ts[str(message.get("ts"))] = event
    for event in events:
        thread_ts = event.attrs.get("thread_ts")
        parent = by_ts.get(str(thread_ts)) if thread_ts is not None else None
        if parent is not None and parent is not event:
            event.attrs["parent"] = parent.ref
    for ts in pinned_later:
        if ts in by_ts:
            by_ts[ts].attrs["pinned"] = True
    return events


def _pinned_targets(message: dict[str, Any]) -> list[str]:
    """Timestamps of the messages a "pinned a message" notice points at."""
    if message.get("subtype") != "pinned_item":
        return []
    targets = [payload.as_str(payload.dig(message, "item", "ts"))]
    targets += [
        payload.as_str(a.get("ts"))
        for a in payload.as_list(message.get("attachments"))
        if isinstance(a, dict)
    ]
    return [ts for ts in targets if ts]


def _is_noise(message: dict[str, Any]) -> bool:
    subtype = message.get("subtype")
    if subtype in _NOISE_SUBTYPES or subtype == "bot_message":
        return True
    return bool(message.get("bot_id")) and not message.get("user")


def _message_text(message: dict[str, Any], directory: _Directory) -> str:
    text = payload.as_str(message.get("text")) or ""
    if not text:  # bots often put everything in attachments
        for attachment in payload.as_list(message.get("attachments")):
            parts = [
                payload.as_str(payload.dig(attachment, key))
                for key in ("pretext", "title", "text", "fallback")
            ]
            text = " ".join(part for part in parts if part)
            if text:
                break
    file_title = payload.as_str(payload.dig(message, "file", "title"))
    if file_title and file_title not in text:
        text = f"{text} [file: {file_title}]".strip()
    return directory.plain_text(text)


def _message_event(
    message: dict[str, Any], channel: str, where: str, directory: _Directory, opts: ReadOptions
) -> Event | None:
    time = slack_time(message.get("ts"))
    if time is None:
        return None
    if _is_noise(message) and not opts.include_noise:
        return None
    user_id = payload.as_str(message.get("user"))
    actor = (
        (directory.users.get(user_id) if user_id else None)
        or payload.as_str(payload.dig(message, "user_profile", "real_name"))
        or payload.as_str(message.get("username"))
        or payload.as_str(payload.dig(message, "bot_profile", "name"))
        or user_id
    )
    subtype = payload.as_str(message.get("subtype"))
    attrs: dict[str, object] = {"channel": channel}
    if user_id:
        attrs["user_id"] = user_id
    if subtype:
        attrs["subtype"] = subtype
    thread_ts = payload.as_str(message.get("thread_ts"))
    if thread_ts:
        attrs["thread_ts"] = thread_ts
        if thread_ts != payload.as_str(message.get("ts")):
            attrs["reply"] = True
    if message.get("reply_count"):
        attrs["reply_count"] = message.get("reply_count")
    if message.get("pinned_to") or message.get("pinned_info") or message.get("is_pinned"):
        attrs["pinned"] = True
    if subtype in _PIN_SUBTYPES:
        attrs["pin_action"] = subtype.removesuffix("_item")
    reactions = {
        str(r.get("name")): int(r.get("count") or len(payload.as_list(r.get("users"))))
        for r in payload.as_list(message.get("reactions"))
        if isinstance(r, dict) and r.get("name")
    }
    if reactions:
        attrs["reactions"] = reactions
    if message.get("edited"):
        attrs["edited"] = True
    return Event(
        time=time,
        source="slack",
        kind=EventKind.CHAT,
        text=_message_text(message, directory),
        actor=actor,
        ref=where,
        attrs=attrs,
    )


SOURCE = SlackSource()
