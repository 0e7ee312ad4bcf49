"""PM5xx action items: owned, dated, typed, specific, not duplicated, covering prevention
and detection, and tracking every corrective measure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from postmortems.lint.context import LintContext
from postmortems.lint.finding import Hit, Level
from postmortems.lint.registry import rule
from postmortems.lint.rules._text import CHECKBOX, LIST_ITEM, is_severe
from postmortems.model import ActionItem, ActionType, Section, SectionKind

_STOPWORDS = frozenset(
    [
        # comparisons: "above 5,000" and "over 5,000" say the same
        "above",
        "over",
        "below",
        "under",
        "than",
        "more",
        "less",
        "greater",
        "exceeds",
        "exceeding",
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "on",
        "in",
        "at",
        "by",
        "with",
        "from",
        "into",
        "our",
        "we",
        "us",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "be",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "should",
        "can",
        "could",
        "all",
        "any",
        "new",
        "more",
        "set",
        "up",
        "make",
        "ensure",
        "add",
        "get",
        "have",
        "has",
        "do",
        "does",
        "did",
        "as",
        "so",
        "such",
        "than",
        "then",
        "also",
        "via",
        "per",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ers", "er", "ed", "es", "s", "e")
_CONCRETE = re.compile(
    r"\d|/|#\d|`|https?://|\b[A-Z]{2,}\b|\b[a-z]+[A-Z]\w*|\"[^\"]+\"|'[^']+'|\b\w+\.\w{2,4}\b"
)
_OWNER_MARKUP = re.compile(
    r"@[\w.-]+|\((?:owner|due|by|priority|p[0-4])[^)]*\)|\b(?:owner|due|priority)\s*:\s*\S+",
    re.I,
)
_PREVENT = re.compile(
    r"\b(?:prevent\w*|validat\w*|guard\w*|block\w*|lint\w*|tests?|testing|review\w*|requir\w*|"
    r"enforc\w*|limit\w*|restrict\w*|automat\w*|canary|canaries|protect\w*|fix\w*|"
    r"rate-limit\w*|safeguard\w*|check\w*|approv\w*|staged|stage|gradual\w*|rollout|"
    r"remove\w*|replac\w*|upgrad\w*|migrat\w*|redundan\w*|failover|quota\w*|circuit)\b",
    re.I,
)
_DETECT = re.compile(
    r"\b(?:alert\w*|monitor\w*|detect\w*|dashboards?|probes?|synthetic|metrics?|alarms?|"
    r"pag(?:e|ing)|observab\w*|notif\w*|health\s*checks?|slo|sli|telemetry|logging|"
    r"warn\w*)\b",
    re.I,
)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    return frozenset(
        _stem(w) for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2
    )


def _clean(item: ActionItem) -> str:
    return _OWNER_MARKUP.sub(" ", item.text).strip()


def _open_items(ctx: LintContext) -> Iterator[tuple[Section, ActionItem]]:
    for section in ctx.sections(SectionKind.ACTION_ITEMS):
        for item in section.items:
            if not item.done:
                yield section, item


# A ticket in a tracker: the tracker holds the owner, the schedule and the labels.
_TRACKED = re.compile(
    r"https?://\S+/(?:issues|pull|pulls|merge_requests|browse|tickets?|tasks?|cards?|work_?items?)"
    r"/\S+|(?<![\w/&])#\d+\b|\b[A-Z][A-Z0-9]+-\d+\b|\b(?:bug|issue|ticket|b)\s*[#/]?\s*\d{3,}\b",
    re.IGNORECASE,
)


def _tracked(item: ActionItem) -> bool:
    """Whether the item links to a ticket, which carries its owner, date and type."""
    cells = " ".join(v for v in (item.link, item.status) if v)
    return bool(_TRACKED.search(cells)) or bool(_TRACKED.search(item.text))


def _item_line(section: Section, item: ActionItem) -> int:
    return item.line or section.line or 1


def _short(item: ActionItem) -> str:
    text = _clean(item)
    return text if len(text) <= 50 else text[:47] + "…"


@rule("PM501", "action-item-without-owner", Level.WARNING)
def action_item_without_owner(ctx: LintContext) -> Iterator[Hit]:
    """An open action item has no owner.

    ## What it does
    Checks each open action item for an owner (`@dana`, `owner: Dana`, or an owner
    column in a table). An item linked to a ticket (an issue URL, `#123`, `OPS-42`) is
    owned in the tracker.

    ## Why is this bad?
    An item nobody owns is an item nobody does. Owners are the most reliable predictor of
    action items being closed.

    ## Example
    ```markdown
    - [ ] Add an alert on replication lag.
    ```

    ## Use instead
    ```markdown
    - [ ] Add an alert on replication lag above 30 s. @dana (due 2024-09-01)
    ```
    """
    for section, item in _open_items(ctx):
        if not (item.owner or "").strip() and not _tracked(item):
            yield Hit(
                _item_line(section, item),
                1,
                f"action item '{_short(item)}' has no owner; add one, e.g. '@name'",
            )


@rule("PM502", "action-item-without-due-date", Level.WARNING)
def action_item_without_due_date(ctx: LintContext) -> Iterator[Hit]:
    """An open action item has neither a due date nor a priority.

    ## What it does
    Checks each open action item for a due date or a priority (P0–P4, high/medium/low).
    An item linked to a ticket is scheduled in the tracker.

    ## Why is this bad?
    Without a date or a priority the item is never urgent, so it is never done.

    ## Example
    ```markdown
    - [ ] Add an alert on replication lag. @dana
    ```

    ## Use instead
    ```markdown
    - [ ] Add an alert on replication lag. @dana (due 2024-09-01)
    ```
    """
    for section, item in _open_items(ctx):
        if _tracked(item):
            continue
        if item.due is None and not item.due_as_written and not (item.priority or "").strip():
            yield Hit(
                _item_line(section, item),
                1,
                f"action item '{_short(item)}' has no due date or priority; add e.g. "
                "'(due 2024-09-01)' or 'P2'",
            )


@rule("PM503", "action-item-without-type", Level.INFO)
def action_item_without_type(ctx: LintContext) -> Iterator[Hit]:
    """An open action item does not say what kind of action it is.

    ## What it does
    Checks each open action item for a type: prevent, mitigate, detect, repair, process
    or investigate (`[detect]`, `type: prevent`, or a type column). Asked of documents
    with front matter, under a profile the team chose, or where other items are typed;
    not of items linked to a ticket.

    ## Why is this bad?
    Typed items show at a glance whether the follow-up prevents a repeat, detects it
    sooner, or only repairs this instance.

    ## Example
    ```markdown
    - [ ] Add an alert on replication lag. @dana (due 2024-09-01)
    ```

    ## Use instead
    ```markdown
    - [ ] [detect] Add an alert on replication lag. @dana (due 2024-09-01)
    ```
    """
    team_types = any(i.type is not None for i in ctx.pm.action_items)
    if not (team_types or ctx.profile_chosen_by_team or ctx.text.lstrip().startswith("---")):
        return  # a team format that never types its items is not asked to start here
    for section, item in _open_items(ctx):
        if item.type is None and not _tracked(item):
            yield Hit(
                _item_line(section, item),
                1,
                f"action item '{_short(item)}' has no type; tag it [prevent], [detect], "
                "[mitigate], [repair], [process] or [investigate]",
            )


@rule("PM504", "vague-action-item", Level.WARNING)
def vague_action_item(ctx: LintContext) -> Iterator[Hit]:
    """An action item names no concrete change ("improve monitoring", "be more careful").

    ## What it does
    Flags items containing a phrase of `lint/data/vague_actions.txt` ("be more careful",
    "look into", "train people to not…"), and short items that start with a weak verb of
    `lint/data/weak_verbs.txt` ("improve", "review") without naming anything specific.
    Both lists are extendable from config.

    ## Why is this bad?
    Nobody can tell when a vague item is done, and "be more careful" changes nothing in
    the system.

    ## Example
    ```markdown
    - [ ] Improve monitoring. @dana
    - [ ] Be more careful with config changes. @sam
    ```

    ## Use instead
    ```markdown
    - [ ] Alert when replication lag exceeds 30 s for 2 minutes. @dana
    - [ ] Require a second approver for changes under `db/replication/`. @sam
    ```
    """
    vague = ctx.word_list("vague_actions").pattern
    weak = ctx.word_list("weak_verbs").pattern
    for section, item in _open_items(ctx):
        text = _clean(item)
        match = vague.search(text) if vague else None
        if match is not None and len(text[: match.start()].split()) > 3:
            match = None  # "…, and consider X" at the end of a specific item is not vague
        if match is None and weak is not None:
            start = weak.match(text)
            if (
                start
                and len(content_words(text)) <= 4
                and not _CONCRETE.search(text[start.end() :])
            ):
                match = start
        if match is not None:
            yield Hit(
                _item_line(section, item),
                1,
                f"action item '{_short(item)}' is vague ('{match.group(0)}'); say what will "
                "change, where, and how you will know it is done",
            )


@rule("PM505", "duplicate-action-item", Level.WARNING)
def duplicate_action_item(ctx: LintContext) -> Iterator[Hit]:
    """Two action items say the same thing.

    ## What it does
    Flags an item whose significant words are (nearly) the same as an earlier item's.

    ## Why is this bad?
    Duplicates split ownership and make progress hard to track.

    ## Example
    ```markdown
    - [ ] Add an alert on replication lag. @dana
    - [ ] Add alerting for replication lag. @sam
    ```

    ## Use instead
    ```markdown
    - [ ] Add an alert on replication lag. @dana
    ```
    """
    items = [
        (section, item, words)
        for section in ctx.sections(SectionKind.ACTION_ITEMS)
        for item in section.items
        if (words := content_words(_clean(item)))
    ]
    # Pairs are found through an index of each item's rarest words ("prefix filtering"):
    # two sets whose overlap is at least 80% of their union share one of them, so a list of
    # thousands of items is not compared pair by pair.
    frequency = Counter(word for _, _, words in items for word in words)
    by_word: dict[str, list[int]] = {}
    for index, (section, item, words) in enumerate(items):
        ranked = sorted(words, key=lambda word: (frequency[word], word))
        prefix = ranked[: len(words) - (4 * len(words) + 4) // 5 + 1]
        candidates = sorted({i for word in prefix for i in by_word.get(word, ())})
        for earlier_index in candidates:
            earlier_words, earlier = items[earlier_index][2], items[earlier_index][1]
            if 5 * len(words & earlier_words) >= 4 * len(words | earlier_words):
                where = f" (line {earlier.line})" if earlier.line else ""
                yield Hit(
                    _item_line(section, item),
                    1,
                    f"action item '{_short(item)}' duplicates '{_short(earlier)}'{where}; "
                    "merge them",
                )
                break
        for word in prefix:
            by_word.setdefault(word, []).append(index)


def _kinds_of(item: ActionItem) -> set[str]:
    if item.type is not None:
        kinds = {item.type.value}
        if item.type in (ActionType.PREVENT, ActionType.MITIGATE, ActionType.REPAIR):
            kinds.add("prevent")
        return kinds
    kinds = set()
    if _DETECT.search(item.text):
        kinds.add("detect")
    if _PREVENT.search(item.text):
        kinds.add("prevent")
    return kinds


@rule("PM506", "missing-prevent-or-detect-item", Level.WARNING)
def missing_prevent_or_detect_item(ctx: LintContext) -> Iterator[Hit]:
    """A severe incident has no action item that prevents a repeat, or none that detects it.

    ## What it does
    For SEV1/SEV2 incidents (or, without a severity, impact wording such as "all users",
    "data loss", "complete outage"), checks that at least one action item prevents the
    failure and one detects it sooner, by type or by wording ("add validation", "alert
    on…").

    ## Why is this bad?
    Fixing only this instance leaves the next one as likely, and as slow to notice.

    ## Example
    ```markdown
    - [ ] Restore the deleted rows. @dana
    ```

    ## Use instead
    ```markdown
    - [ ] [prevent] Require confirmation for bulk deletes in the admin tool. @dana
    - [ ] [detect] Alert when the row count drops by more than 5% in an hour. @sam
    ```
    """
    items = [item for _, item in _open_items(ctx)] + [
        i for s in ctx.sections(SectionKind.ACTION_ITEMS) for i in s.items if i.done
    ]
    if not items or not is_severe(ctx):
        return
    kinds = set().union(*(_kinds_of(i) for i in items))
    section = ctx.sections(SectionKind.ACTION_ITEMS)[0]
    for kind, words in (("prevent", "prevents a repeat"), ("detect", "detects it sooner")):
        if kind not in kinds:
            yield Hit(
                *ctx.heading_position(section),
                f"this severe incident has no action item that {words}; add one (tag it [{kind}])",
            )


@rule("PM507", "untracked-corrective-measure", Level.WARNING)
def untracked_corrective_measure(ctx: LintContext) -> Iterator[Hit]:
    """A corrective measure does not appear among the action items.

    ## What it does
    Matches each bullet of "Corrective and Preventative Measures" with the action items
    by their significant words, and flags those that no item tracks.

    ## Why is this bad?
    Measures written as prose but not tracked as items, with an owner and a date, are
    the ones that quietly never happen.

    ## Example
    ```markdown
    ## Corrective and Preventative Measures
    - Add a canary stage to the deploy pipeline.
    ## Action Items
    - [ ] Alert on replication lag. @dana
    ```

    ## Use instead
    ```markdown
    ## Action Items
    - [ ] Alert on replication lag. @dana
    - [ ] Add a canary stage to the deploy pipeline. @sam
    ```
    """
    items = ctx.pm.action_items
    if not items:
        return
    item_words = [content_words(_clean(i)) for i in items]
    for section in ctx.sections(SectionKind.CORRECTIVE_MEASURES):
        if SectionKind.ACTION_ITEMS in section.kinds:
            continue
        masked = ctx.masked(section)
        for match in LIST_ITEM.finditer(masked):
            line_end = masked.find("\n", match.end())
            text = masked[match.end() : line_end if line_end >= 0 else len(masked)]
            words = content_words(text)
            if len(words) < 2:
                continue
            if any(_tracks(words, other) for other in item_words):
                continue
            shown = text.strip() if len(text.strip()) <= 50 else text.strip()[:47] + "…"
            yield Hit(
                *ctx.locate(section, match.end()),
                f"corrective measure '{shown}' has no matching action item; add one with an "
                "owner and a date",
            )


def _tracks(measure: frozenset[str], item: frozenset[str]) -> bool:
    if not item:
        return False
    shared = len(measure & item)
    return (shared >= 2 and shared / min(len(measure), len(item)) >= 0.5) or measure <= item


def _corrective(ctx: LintContext) -> list[Section]:
    return [s for s in ctx.sections(SectionKind.CORRECTIVE_MEASURES) if s.body.strip()]


_TASK_INTRO = re.compile(r"\b(?:tasks?|todo|to-do|action\s+items?)\b", re.I)


def _task_lines(body: str) -> tuple[list[str], list[str]]:
    """A corrective section's task-list lines and its other (broad improvement) lines."""
    tasks: list[str] = []
    other: list[str] = []
    in_task_list = False
    for line in body.splitlines():
        if not line.strip():
            continue
        if CHECKBOX.match(line) or (in_task_list and LIST_ITEM.match(line)):
            tasks.append(line)
            continue
        in_task_list = bool(_TASK_INTRO.search(line)) and not LIST_ITEM.match(line)
        if not in_task_list:
            other.append(line)
    return tasks, other


@rule("PM509", "corrective-without-task-list", Level.WARNING, profiles={"alx"})
def corrective_without_task_list(ctx: LintContext) -> Iterator[Hit]:
    """The corrective measures have no specific task list (alx rubric).

    ## What it does
    Checks that "Corrective and Preventative Measures" has at least two tasks, as
    checkboxes (`- [ ] …`) or as a list after a line that introduces tasks.

    ## Why is this bad?
    The rubric asks for a TODO-style list of specific tasks, which can be tracked.

    ## Example
    ```markdown
    ## Corrective and Preventative Measures
    We will improve our deploy process and monitoring.
    ```

    ## Use instead
    ```markdown
    ## Corrective and Preventative Measures
    We will make config changes safer to ship and faster to detect.

    Tasks:
    - [ ] Add a schema check for `nginx.conf` to CI.
    - [ ] Alert when the 5xx rate exceeds 1% for 2 minutes.
    ```
    """
    for section in _corrective(ctx):
        tasks, _ = _task_lines(section.body)
        if len(tasks) < 2:
            yield Hit(
                *ctx.heading_position(section),
                "the corrective measures have no task list; add specific tasks as '- [ ] …'",
            )


@rule("PM510", "corrective-without-broad-improvements", Level.WARNING, profiles={"alx"})
def corrective_without_broad_improvements(ctx: LintContext) -> Iterator[Hit]:
    """The corrective measures list tasks but no broad improvements (alx rubric).

    ## What it does
    Checks that, besides the task list, the section says what should improve in general
    (a paragraph or a list of improvements).

    ## Why is this bad?
    Tasks without the improvement they serve are hard to prioritise or to replace with
    better ones.

    ## Example
    ```markdown
    ## Corrective and Preventative Measures
    - [ ] Add a schema check for `nginx.conf` to CI.
    - [ ] Alert when the 5xx rate exceeds 1% for 2 minutes.
    ```

    ## Use instead
    ```markdown
    ## Corrective and Preventative Measures
    Broadly: validate configuration before it ships, and alert on user-facing errors.

    Tasks:
    - [ ] Add a schema check for `nginx.conf` to CI.
    ```
    """
    for section in _corrective(ctx):
        tasks, other = _task_lines(section.body)
        if tasks and not other:
            yield Hit(
                *ctx.heading_position(section),
                "the corrective measures list tasks only; say what should improve broadly",
            )
