"""The gather pipeline behind ``pm gather`` and ``pm draft``: raw inputs to one sorted timeline.

For each input (a file, a ``.gz``, "-" for stdin, or a folder) the source is detected
from the content (or forced with ``--type``) and read as a stream. Every event read feeds
the per-minute :class:`MinuteSeries` first, so the incident window is computed from all
the evidence, not from what survives collapsing (a source that collapses while it reads,
``read_collapsed``, hands over its per-minute counts instead). Then:

* log lines collapse into message templates with counts (``evidence/collapse.py``);
* alerts, pages, deploys, commits and changes are all kept;
* chat messages are kept when pinned, or when they fall near the incident window
  (an hour before its start to two hours after its end); with ``include_noise`` all are;
* access-log TRAFFIC minutes go to :attr:`GatherResult.traffic` (for the impact figures),
  not to the timeline.

Everything is merged, sorted by time, cut to ``since``/``until`` and, unless turned off,
redacted (``evidence/redact/``): the text, actor and string attributes of every event,
the examples of unparsed lines and the notes in the per-source stats, and the messages of
inputs that could not be read — everything that is written out or shown. Lines of a
private key logged one record per line are found across events and replaced whole.

Inputs are found by ``evidence/detect.py``: a Slack export folder is one input, any other
folder is walked (hidden files skipped). Inputs that cannot be read (missing, empty,
binary, not recognised) are reported in :attr:`GatherResult.errors`, and the rest are
still read: only when nothing usable comes out is the result an error (``exit_code``).

The draft's figures come from the result: ``analysis.impact.compute_impact(result.traffic,
result.window)`` and ``analysis.changes.find_changes(result.events, result.window.start)``.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Protocol

from postmortems.errors import InputError, PostmortemError
from postmortems.evidence import detect
from postmortems.evidence.collapse import Collapser, template_of
from postmortems.evidence.detect import Input
from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.redact import PLACEHOLDER, PLACEHOLDER_PATTERN, Redactor
from postmortems.evidence.redact.blocks import members as key_block_members
from postmortems.evidence.sources.base import ReadOptions, ReadStats, Source
from postmortems.evidence.window import MinuteSeries, Window, find_window

STDIN = "-"
# Sources whose lines may carry no year (RFC 3164) or no date (a learned layout).
YEARLESS_SOURCES = frozenset({"syslog", "generic"})
CHAT_BEFORE_WINDOW = timedelta(hours=1)
CHAT_AFTER_WINDOW = timedelta(hours=2)
_PROGRESS_EVERY = 50_000  # events between progress reports within one input


@dataclass
class GatherOptions:
    """Flags of ``pm gather`` / ``pm draft`` that shape reading and the result."""

    source_type: str | None = None  # --type: force one source for every input
    since: datetime | None = None
    until: datetime | None = None
    year: int | None = None
    date: date | None = None
    default_tz: tzinfo | None = None
    redact: bool = True
    keep: frozenset[str] = frozenset()  # --keep: personal-data kinds left in ("ip", "email")
    include_noise: bool = False
    exclude: tuple[str, ...] = ()  # --exclude: glob patterns of files in folders not to read

    def read_options(self) -> ReadOptions:
        return ReadOptions(
            year=self.year,
            date=self.date,
            default_tz=self.default_tz,
            since=self.since,
            until=self.until,
            include_noise=self.include_noise,
        )


@dataclass(frozen=True)
class Progress:
    """Where gathering is, for a progress bar: bytes are of the inputs on disk."""

    path: str
    input_index: int  # 0-based
    inputs: int
    bytes_done: int  # of finished inputs
    bytes_total: int | None  # None when an input's size is unknown (stdin)
    events: int  # read so far from the current input
    finished_input: bool


ProgressHook = Callable[[Progress], None]


@dataclass
class GatherResult:
    events: list[Event]  # the timeline: collapsed logs, alerts, pages, chat, deploys, commits
    traffic: list[Event]  # per-minute access-log summaries
    stats: list[ReadStats]
    series: MinuteSeries
    window: Window
    redactions: dict[str, int] = field(default_factory=dict)  # placeholder kind -> count
    kept: tuple[str, ...] = ()  # personal-data kinds left in on request (--keep)
    redacted: bool = False  # False with --no-redact: nothing was looked for
    errors: list[PostmortemError] = field(default_factory=list)  # inputs that could not be read

    @property
    def usable(self) -> bool:
        """Anything at all was understood from any input."""
        return bool(self.events or self.traffic)

    def exit_code(self) -> int:
        """0 when something usable was read, 2 (a user-input error) otherwise."""
        return 0 if self.usable else 2


# --- the pluggable steps


InputExpander = Callable[[str, str | None], list[Input]]


class LogCollapser(Protocol):
    """Folds log events into templates as they stream by (``evidence/collapse.py``)."""

    def add(self, event: Event) -> None: ...

    def result(self) -> list[Event]: ...

    def merge(self, other: Any) -> None: ...


class TextRedactor(Protocol):
    """Replaces secrets in text, counting replacements per kind (``evidence/redact/``)."""

    counts: dict[str, int]

    def redact(self, text: str) -> str: ...

    def replace_whole(self, text: str, kind: str) -> str: ...


@dataclass
class Pipeline:
    """The steps gather delegates to; tests swap them for fakes."""

    expand: InputExpander  # one path → the inputs in it, each with its source or why not
    collapser_factory: Callable[[], LogCollapser]
    redactor_factory: Callable[[GatherOptions], TextRedactor]


def default_pipeline() -> Pipeline:
    """Detection, collapsing and redaction from their modules under ``evidence/``."""
    return Pipeline(
        expand=lambda path, type_name: detect.expand([path], type_name),
        collapser_factory=Collapser,
        redactor_factory=lambda opts: Redactor(keep=opts.keep),
    )


# --- the pipeline


def gather(
    paths: Sequence[str],
    options: GatherOptions | None = None,
    progress: ProgressHook | None = None,
    pipeline: Pipeline | None = None,
) -> GatherResult:
    """Read every input and return the merged, sorted, collapsed and redacted result."""
    opts = options or GatherOptions()
    steps = pipeline or default_pipeline()
    read_opts = opts.read_options()
    inputs, errors = _expand(paths, steps.expand, opts.source_type, opts.exclude)
    # Year-less inputs go last, so the other inputs can tell them what year it is.
    inputs.sort(key=lambda item: item[1].name in YEARLESS_SOURCES)
    sizes = [_size(path) for path, _ in inputs]
    total = None if any(s is None for s in sizes) else sum(s or 0 for s in sizes)

    series = MinuteSeries()
    logs = steps.collapser_factory()
    kept: list[Event] = []
    chat: list[Event] = []
    traffic: list[Event] = []
    all_stats: list[ReadStats] = []
    done_bytes = 0
    for index, (path, source) in enumerate(inputs):
        if (
            source.name in YEARLESS_SOURCES
            and read_opts.year is None
            and read_opts.reference is None
        ):
            read_opts = replace(read_opts, reference=_latest_dated(kept, traffic))
        stats = ReadStats(path=path, source=source.name)
        all_stats.append(stats)
        position = Progress(path, index, len(inputs), done_bytes, total, 0, False)
        try:
            fast = getattr(source, "read_collapsed", None)
            if fast is not None:
                # The source collapses as it reads: take its per-minute counts and groups.
                part = fast(path, read_opts, stats, None)
                for minute, by_level in part.per_minute().items():
                    for level, count in by_level.items():
                        series.add_log_counts(minute, level, count)
                logs.merge(part)
            else:
                for event in _read(source, path, read_opts, stats, position, progress):
                    series.add(event)
                    _route(event, logs, kept, chat, traffic)
        except PostmortemError as exc:
            errors.append(exc)
            stats.notes.append(f"stopped: {exc.message}")
        except Exception as exc:  # a source's bug must not cost the user the other inputs
            error = InputError(
                f"the {source.name} reader failed: {type(exc).__name__}: {exc}", path
            )
            errors.append(error)
            stats.notes.append(f"stopped: {error.message}")
        done_bytes += sizes[index] or 0
        if progress is not None:
            progress(
                replace(position, bytes_done=done_bytes, events=stats.events, finished_input=True)
            )

    window = find_window(series, opts.since, opts.until)
    timeline = logs.result() + kept + _relevant_chat(chat, window, opts.include_noise)
    timeline = [e for e in timeline if _overlaps(e, opts.since, opts.until)]
    timeline.sort(key=lambda e: (e.time, e.source, e.ref or ""))
    traffic = [e for e in traffic if _overlaps(e, opts.since, opts.until)]
    traffic.sort(key=lambda e: e.time)

    result = GatherResult(timeline, traffic, all_stats, series, window, errors=errors)
    if opts.redact:
        redactor = steps.redactor_factory(opts)
        _redact_result(result, redactor)
        result.redactions = dict(sorted(redactor.counts.items()))
        result.kept = tuple(sorted(opts.keep))
        result.redacted = True
    return result


def _latest_dated(kept: list[Event], traffic: list[Event]) -> datetime | None:
    """The latest time of evidence that carries its own year (alerts, pages, deploys, traffic)."""
    times = [e.last or e.time for e in kept if e.kind is not EventKind.COMMIT]
    times += [e.time for e in traffic]
    return max(times, default=None)


def _read(
    source: Source,
    path: str,
    opts: ReadOptions,
    stats: ReadStats,
    position: Progress,
    progress: ProgressHook | None,
) -> Iterator[Event]:
    """The source's events, with progress every so often.

    Sources count their events into ``stats.events``; one that does not gets the count here.
    """
    count = 0
    try:
        for event in source.read(path, opts, stats):
            count += 1
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(replace(position, events=count))
            yield event
    finally:
        stats.events = max(stats.events, count)


def _route(
    event: Event, logs: LogCollapser, kept: list[Event], chat: list[Event], traffic: list[Event]
) -> None:
    if event.kind is EventKind.LOG:
        logs.add(event)
    elif event.kind is EventKind.TRAFFIC:
        traffic.append(event)
    elif event.kind is EventKind.CHAT:
        chat.append(event)
    else:
        kept.append(event)


def _relevant_chat(chat: list[Event], window: Window, include_noise: bool) -> list[Event]:
    if include_noise or window.start is None:
        return chat
    earliest = window.start - CHAT_BEFORE_WINDOW
    latest = (window.end or window.start) + CHAT_AFTER_WINDOW
    return [e for e in chat if e.attrs.get("pinned") is True or earliest <= e.time <= latest]


def _overlaps(event: Event, since: datetime | None, until: datetime | None) -> bool:
    first = event.first or event.time
    last = event.last or event.time
    if since is not None and last < since:
        return False
    return not (until is not None and first >= until)


# --- inputs


def _expand(
    paths: Iterable[str],
    expand: InputExpander,
    type_name: str | None,
    exclude: Sequence[str] = (),
) -> tuple[list[tuple[str, Source]], list[PostmortemError]]:
    """(path, source) for every readable input; what will not be read becomes an error.

    Files found inside a folder are left out when their name or path matches an
    ``exclude`` glob; a file named on the command line is always read.
    """
    inputs: list[tuple[str, Source]] = []
    errors: list[PostmortemError] = []
    for path in paths:
        try:
            found = expand(path, type_name)
        except PostmortemError as exc:
            errors.append(exc)
            continue
        for item in found:
            if item.path != path and _excluded(item.path, exclude):
                continue
            if item.source is None:
                errors.append(InputError(item.skipped or "not read", item.path))
            else:
                inputs.append((item.path, item.source))
    return inputs, errors


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) for p in patterns)


def _size(path: str) -> int | None:
    if path == STDIN:
        return None
    if os.path.isdir(path):
        return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
    try:
        return os.path.getsize(path)
    except OSError:
        return None


# --- redaction of everything in the result


_CLIENT_ID_ATTRS = ("client_ids", "error_client_ids")


def _redact_result(result: GatherResult, redactor: TextRedactor) -> None:
    """Everything written out, redacted: events, traffic, unparsed lines, notes, errors."""
    redact = redactor.redact
    in_keys = key_block_members(
        [(e.ref, e.text) for e in result.events],
        lambda i: str(result.events[i].attrs.get("sample", result.events[i].text)),
    )
    for index, event in enumerate(result.events):
        if index in in_keys:
            _replace_key_line(event, redactor)
        else:
            _redact_event(event, redact)
    # Client ids are addresses; numbered pseudonyms keep "distinct clients" countable.
    pseudonyms: dict[str, str] = {}
    for event in result.traffic:
        for key in _CLIENT_ID_ATTRS:
            ids = event.attrs.get(key)
            if isinstance(ids, frozenset | set | list | tuple):
                event.attrs[key] = frozenset(
                    pseudonyms.setdefault(str(i), f"client-{len(pseudonyms) + 1}") for i in ids
                )
        _redact_event(event, redact)
    for stats in result.stats:
        examples = stats.unparsed_examples
        in_keys = key_block_members([(f"{stats.path}:{n}", text) for n, text in examples])
        stats.unparsed_examples = [
            (n, redactor.replace_whole(text, "private-key") if i in in_keys else redact(text))
            for i, (n, text) in enumerate(examples)
        ]
        stats.notes = [redact(note) for note in stats.notes]
    for error in result.errors:
        error.message = redact(error.message)
        error.args = (error.message,)


def _replace_key_line(event: Event, redactor: TextRedactor) -> None:
    """A line inside a private key logged line by line: its text goes, whole."""
    sample = event.attrs.get("sample")
    if isinstance(sample, str) and sample and sample in event.text:
        event.text = event.text.replace(sample, redactor.replace_whole(sample, "private-key"))
        event.attrs["sample"] = event.attrs["template"] = PLACEHOLDER.format("private-key")
    else:
        event.text = redactor.replace_whole(event.text, "private-key")
        for key in ("sample", "template"):
            if key in event.attrs:
                event.attrs[key] = PLACEHOLDER.format("private-key")


def _redact_event(event: Event, redact: Callable[[str], str]) -> None:
    event.text = redact(event.text)
    if event.actor:
        event.actor = redact(event.actor)
    if event.service:
        event.service = redact(event.service)
    if event.host:
        event.host = redact(event.host)
    sample = event.attrs.get("sample")
    event.attrs = {key: _redact_value(value, redact) for key, value in event.attrs.items()}
    # The template is the sample with its digits masked: a secret in the sample is no
    # longer recognisable in it, so when the sample had one, the template is made again.
    if isinstance(sample, str) and "template" in event.attrs and event.attrs["sample"] != sample:
        event.attrs["template"] = _template_keeping_placeholders(str(event.attrs["sample"]))


def _template_keeping_placeholders(text: str) -> str:
    parts = PLACEHOLDER_PATTERN.split(text)
    placeholders = PLACEHOLDER_PATTERN.findall(text)
    masked = [template_of(part) for part in parts]
    return "".join(m + p for m, p in zip(masked, [*placeholders, ""], strict=True))


def _redact_value(value: object, redact: Callable[[str], str]) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return type(value)(_redact_value(v, redact) for v in value)
    if isinstance(value, frozenset | set):
        return type(value)(_redact_value(v, redact) for v in value)
    if isinstance(value, dict):
        return {k: _redact_value(v, redact) for k, v in value.items()}
    return value
