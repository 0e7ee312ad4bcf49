"""PM4xx blameless language: blame words, minimising words, people as causes,
counterfactuals and animated language, each with a neutral rewording."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from postmortems.lint.context import LintContext
from postmortems.lint.finding import Hit, Level
from postmortems.lint.registry import rule
from postmortems.lint.words import load_list, phrase_pattern

_PRONOUNS = r"(?:he|she|they|we|i|you|someone|somebody|nobody|no\s+one|everyone|one\s+of\s+us)"
_ROLES = (
    r"(?:engineers?|developers?|devs?|operators?|admins?|administrators?|sres?|interns?|"
    r"reviewers?|on-?call(?:ers?)?|on-call\s+engineer|responders?|staff|employees?|"
    r"contractors?|person|people|dbas?|devops|ops|team(?:mates?)?|colleagues?|owners?|"
    r"author|maintainers?|manager)"
)
_HANDLE = r"@[A-Za-z0-9][\w.-]*"
_PERSON_WORDS = re.compile(rf"(?:\b{_PRONOUNS}|\b{_ROLES}|{_HANDLE})\s*$", re.I)
_CAPITALISED_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s*$")
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "We",
        "Our",
        "Then",
        "When",
        "While",
        "After",
        "Before",
        "During",
        "Once",
        "Monitoring",
        "Alerting",
        "Deploy",
        "Deployment",
        "Service",
        "System",
        "Database",
        "Server",
        "Cluster",
        "Job",
        "Script",
        "Pipeline",
        "Build",
        "Test",
        "Tests",
        "Check",
        "Checks",
        "Alert",
        "Config",
        "Configuration",
        "Migration",
        "Team",
        "Nobody",
        "Someone",
        "Everyone",
        "Kubernetes",
        "Terraform",
        "Jenkins",
        "Docker",
        "Nginx",
        "Postgres",
        "Redis",
        "Kafka",
    ]
)

_CAUSE_BY = re.compile(
    rf"\b(?:caused|triggered|broken|introduced|started)\s+by\s+(?P<who>{_HANDLE}|"
    rf"(?:an?|the|our|one\s+of\s+(?:our|the))\s+{_ROLES}\b|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
    rf"|\b(?:fault|mistake|error)\s+(?:of|by)\s+(?P<who2>{_HANDLE}|(?:an?|the|our)\s+{_ROLES}\b"
    rf"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)",
)
_PERSON_VERBS = (
    r"(?:forgot|neglected|ignored|overlooked|misconfigured|mistakenly|accidentally|carelessly|"
    r"wrongly|broke|messed\s+up|screwed\s+up|made\s+a\s+mistake|did\s+not\s+(?:check|test|"
    r"follow|read|notice)|didn['’]t\s+(?:check|test|follow|read|notice)|failed\s+to|"
    r"pushed\s+(?:a\s+)?(?:bad|broken|faulty)|deleted|dropped|caused)"
)
_SUBJECT_VERB = re.compile(
    rf"(?P<who>{_HANDLE}|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+{_PERSON_VERBS}\b"
)
_COUNTERFACTUAL = re.compile(
    r"\bif\s+only\b"
    r"|\bif\s+(?:[\w'’-]+\s+){0,6}?had\s+(?:not\s+|n['’]t\s+)?(?:been\s+)?[\w'’-]+"
    r"|(?:^|[.;,]\s*|\n\s*(?:[-*+]\s+)?)had\s+(?:we|they|he|she|i|you|someone|the\s+[\w-]+)\s+"
    r"(?:not\s+)?[\w'’-]+"
    r"|\b(?:would|could|might)\s*(?:not\s+)?(?:have|['’]ve)\s+(?:been\s+)?(?:prevented|avoided|"
    r"caught|detected|stopped|noticed|averted|happened|reduced|shortened|spotted|mitigated)"
    r"|\b(?:would|could)\s*n['’]t\s+have\s+(?:happened|occurred|been)",
    re.IGNORECASE,
)
# Words without which the patterns above cannot match (checked before running them).
_CAUSE_WORDS = frozenset({"by", "of"})
_VERB_WORDS = frozenset(
    [
        "forgot",
        "neglected",
        "ignored",
        "overlooked",
        "misconfigured",
        "mistakenly",
        "accidentally",
        "carelessly",
        "wrongly",
        "broke",
        "messed",
        "screwed",
        "made",
        "did",
        "didn",
        "failed",
        "pushed",
        "deleted",
        "dropped",
        "caused",
    ]
)
_COUNTERFACTUAL_WORDS = frozenset({"had", "have", "ve", "only", "wouldn", "couldn"})
_EXCLAIM = re.compile(r"!{2,}|\?!|!\?")
# "just" only in its minimising sense: "just restart it", "we just needed to".
# Not after "we" or "they" alone: "we just remove it for now" tells what was done.
_JUST_BEFORE = re.compile(
    rf"(?:\b{_ROLES}|\b(?:simply|could|can|should|would|to|only|you|someone|somebody))\s+$",
    re.I,
)
_JUST_AFTER = re.compile(
    r"^\s+(?:restart\w*|run|rerun|reboot|click|check|read|follow|use|add|remove|delete|"
    r"revert|roll|ask|look|do|did|needed|need|had\s+to|have\s+to|forgot|ignored|a\s+typo|"
    r"a\s+one-line|one\s+line|a\s+config|a\s+small|a\s+simple|a\s+matter|google|copy|paste)\b",
    re.I,
)


_SHOULD_HAVE = re.compile(r"should(?:\s+not|n['’]t)?\s+have|should['’]ve", re.IGNORECASE)
# "should have included", "should have been caught": hindsight about what was done.
# Not "should have priority" (to have) nor "should've been 2x" (a value).
_DONE = re.compile(
    r"^\s+(?:been\s+)?(?!been\b)(?:[a-z]+(?:ed|en)|done|run|built|caught|known|seen|told|"
    r"sent|made|set|put|kept|written|taken|found|read|shut|hit|stopped|spotted)\b",
    re.IGNORECASE,
)


def _hindsight(phrase: str, before: str, after: str) -> bool:
    """A judgement of what was done; not a question ("reflect if it should have been…")."""
    if not _SHOULD_HAVE.fullmatch(phrase.strip()) or not _DONE.match(after):
        return False
    sentence = re.split(r"[.!?;\n]", before)[-1]
    return not re.search(r"\b(?:if|whether)\b", sentence, re.IGNORECASE)


@functools.cache
def _technical_terms() -> re.Pattern[str]:
    """Technical terms holding a blame or emotive word ("disaster recovery", "lazy load")."""
    phrases = sorted((e[0] for e in load_list("technical_terms")), key=len, reverse=True)
    alternation = "|".join(phrase_pattern(p) for p in phrases)
    # "lazy" before what is loaded lazily, with a word between: "lazy DB lookups"
    lazy = r"lazy(?:[\s-]+\w+)?[\s-]+(?:load\w*|lookups?|evaluat\w*|initiali[sz]\w*|import\w*|fetch\w*|joins?|quer(?:y|ies))"
    return re.compile(rf"(?<![\w-])(?:{lazy}|{alternation})(?![\w-])", re.IGNORECASE)


def _technical_spans(masked: str) -> list[tuple[int, int]]:
    return [m.span() for m in _technical_terms().finditer(masked)]


def _inside(spans: list[tuple[int, int]], start: int) -> bool:
    return any(a <= start < b for a, b in spans)


@functools.cache
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = sorted({n.strip().lstrip("@") for n in names if len(n.strip()) > 2}, key=len)
    if not cleaned:
        return None
    alternation = "|".join(re.escape(n) for n in reversed(cleaned))
    return re.compile(rf"(?:@?\b(?:{alternation}))\s*$")


def _known_names(ctx: LintContext) -> tuple[str, ...]:
    pm = ctx.pm
    names = [*pm.authors, *pm.reviewers]
    names += [i.owner for i in pm.action_items if i.owner]
    names += [e.actor for e in pm.timeline if e.actor]
    parts = [part for n in names for part in n.split() if part[:1].isupper()]
    return tuple(sorted(set(names + parts)))


def _person_before(ctx: LintContext, before: str) -> bool:
    """Whether the words just before a phrase are a person: pronoun, role, name, handle."""
    tail = before[-60:]
    if _PERSON_WORDS.search(tail):
        return True
    pattern = _names_pattern(_known_names(ctx))
    return bool(pattern and pattern.search(tail))


@rule("PM401", "blame-language", Level.WARNING)
def blame_language(ctx: LintContext) -> Iterator[Hit]:
    """Words that assign blame.

    ## What it does
    Finds blame words and phrases ("human error", "careless", "should have", "forgot
    to"…) from `lint/data/blame.txt` plus `extra-blame-words`, minus
    `removed-blame-words`. "failed to", "forgot to" and "neglected to" are flagged only
    when a person is their subject; "should have" when a person is its subject or it
    judges what was done in hindsight ("the tests should have included…"), not "critical
    workloads should have priority" nor "the ratio should've been 2x"; "should be more
    careful" always is. Technical terms are not blame ("lazy loading"). Each finding suggests a
    neutral rewording.

    ## Why is this bad?
    Blame makes people hide what they know, and stops the analysis at the person instead
    of the system that let the mistake happen.

    ## Example
    ```markdown
    The outage was caused by human error: the engineer should have checked the flag.
    ```

    ## Use instead
    ```markdown
    The deploy tool applied the flag to every region at once; nothing asked for a
    confirmation or showed the blast radius.
    ```
    """
    words = ctx.word_list("blame")
    pattern = words.pattern
    if pattern is None:
        return
    for section, masked in ctx.prose_sections():
        if not words.may_match(ctx.words_in(section)):
            continue
        technical: list[tuple[int, int]] | None = None  # found only when needed
        for match in pattern.finditer(masked):
            phrase = match.group(0)
            if (
                words.needs_person(phrase)
                and not _person_before(ctx, masked[: match.start()])
                and not _hindsight(
                    phrase,
                    masked[max(0, match.start() - 200) : match.start()],
                    masked[match.end() : match.end() + 40],
                )
            ):
                continue
            if technical is None:
                technical = _technical_spans(masked)
            if _inside(technical, match.start()):
                continue
            suggestion = words.suggestion_for(phrase)
            yield Hit(
                *ctx.locate(section, match.start()),
                f"'{phrase}' assigns blame; {suggestion or 'describe what happened neutrally'}",
                suggestion=suggestion or None,
            )


@rule("PM402", "minimising-language", Level.INFO)
def minimising_language(ctx: LintContext) -> Iterator[Hit]:
    """Words that make a step sound trivial ("obviously", "simply", "just").

    ## What it does
    Finds the words of `lint/data/minimising.txt` (extendable from config). "just" is
    flagged only in its minimising sense ("just restart it"), not as time ("just after").

    ## Why is this bad?
    If it was obvious or simple, the reader wonders why someone did not do it: these
    words carry blame by implication and hide what made the step hard at the time.

    ## Example
    ```markdown
    The fix was obviously to just restart the workers.
    ```

    ## Use instead
    ```markdown
    Restarting the workers cleared the stuck queue.
    ```
    """
    minimising = ctx.word_list("minimising")
    pattern = minimising.pattern
    if pattern is None:
        return
    for section, masked in ctx.prose_sections():
        if not minimising.may_match(ctx.words_in(section)):
            continue
        for match in pattern.finditer(masked):
            word = match.group(0)
            if word.lower() == "just" and not (
                _JUST_BEFORE.search(masked[max(0, match.start() - 30) : match.start()])
                or _JUST_AFTER.match(masked[match.end() : match.end() + 30])
            ):
                continue
            yield Hit(
                *ctx.locate(section, match.start()),
                f"'{word}' makes the step sound trivial; remove it and say what made it hard "
                "or easy to miss",
            )


@rule("PM403", "person-as-cause", Level.WARNING)
def person_as_cause(ctx: LintContext) -> Iterator[Hit]:
    """A person (a name or @handle) is named as the cause.

    ## What it does
    Flags "caused by @dana", "a mistake by Sam", "Dana forgot to…", "@sam accidentally
    deleted…", including the names of the document's own authors, owners and actors.

    ## Why is this bad?
    Naming the person stops the analysis at them. The same mistake will happen to the
    next person unless the system changes.

    ## Example
    ```markdown
    The outage was caused by @sam, who ran the migration on production.
    ```

    ## Use instead
    ```markdown
    The migration ran against production because the tool defaulted to the production
    database when no environment was given.
    ```
    """
    names = _names_pattern(_known_names(ctx))
    for section, masked in ctx.prose_sections():
        words = ctx.words_in(section)
        if _CAUSE_WORDS.isdisjoint(words) and _VERB_WORDS.isdisjoint(words):
            continue
        seen: set[int] = set()
        for match in _CAUSE_BY.finditer(masked):
            who = match.group("who") or match.group("who2") or ""
            if who.split()[0] in _NOT_NAMES:
                continue
            seen.add(match.start())
            yield _person_hit(ctx, section, match.start(), who)
        for match in _SUBJECT_VERB.finditer(masked):
            who = match.group("who")
            if who.split()[0] in _NOT_NAMES or who.split()[0].endswith("ly"):
                continue
            if not who.startswith("@") and not (names and names.search(who)):
                # An unknown capitalised word at the start of a sentence is usually not a name.
                before = masked[max(0, match.start() - 3) : match.start()]
                if match.start() == 0 or re.search(r"(?:[.!?:|]\s*|\n\s*(?:[-*+]\s+)?)$", before):
                    continue
            if any(abs(match.start() - s) < 40 for s in seen):
                continue
            yield _person_hit(ctx, section, match.start(), who)


def _person_hit(ctx: LintContext, section: object, offset: int, who: str) -> Hit:
    from postmortems.model import Section

    assert isinstance(section, Section)
    return Hit(
        *ctx.locate(section, offset),
        f"'{who}' is named as the cause; describe the conditions and the system that let the "
        "action have this effect",
        suggestion="name the role or the step, and what allowed it, not the person",
    )


@rule("PM404", "counterfactual", Level.WARNING)
def counterfactual(ctx: LintContext) -> Iterator[Hit]:
    """Counterfactual reasoning: what would have happened if someone had acted otherwise.

    ## What it does
    Finds "if we had…", "had they…", "would have prevented", "could have been avoided",
    "if only".

    ## Why is this bad?
    Counterfactuals describe a world that did not happen and judge people by what they
    could only know afterwards. Describe what did happen and what people knew then.

    ## Example
    ```markdown
    If the engineer had run the tests, the outage would have been prevented.
    ```

    ## Use instead
    ```markdown
    The tests were not part of the deploy pipeline, so the change reached production
    without them running.
    ```
    """
    for section, masked in ctx.prose_sections():
        if _COUNTERFACTUAL_WORDS.isdisjoint(ctx.words_in(section)):
            continue
        for match in _COUNTERFACTUAL.finditer(masked):
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip(".;,\n -*+")))
            yield Hit(
                *ctx.locate(section, start),
                f"'{match.group(0).strip(' .;,-*+')}' is a counterfactual; describe what "
                "happened and what was known at the time",
                suggestion="state what actually happened and what made it likely",
            )


@rule("PM405", "animated-language", Level.WARNING)
def animated_language(ctx: LintContext) -> Iterator[Hit]:
    """Animated or emotional language ("ridiculous", "disaster", "!!!").

    ## What it does
    Finds the words of `lint/data/animated.txt` (extendable from config) and repeated
    exclamation marks. Technical terms are not emotive: "disaster recovery", "fire
    drill", "kill switch", "smoke test", "blast radius" (`lint/data/technical_terms.txt`).

    ## Why is this bad?
    Emotional wording reads as judgement and distracts from the facts.

    ## Example
    ```markdown
    The retry storm was a total disaster!!!
    ```

    ## Use instead
    ```markdown
    The retries tripled the load on the database for 20 minutes.
    ```
    """
    animated = ctx.word_list("animated")
    pattern = animated.pattern
    for section, masked in ctx.prose_sections():
        may_match = pattern is not None and animated.may_match(ctx.words_in(section))
        if not may_match and "!" not in masked:
            continue
        hits = list(pattern.finditer(masked)) if pattern and may_match else []
        technical = _technical_spans(masked) if hits else []
        hits = [m for m in hits if not _inside(technical, m.start())]
        hits += list(_EXCLAIM.finditer(masked))
        for match in sorted(hits, key=lambda m: m.start()):
            yield Hit(
                *ctx.locate(section, match.start()),
                f"'{match.group(0)}' is animated language; state the facts plainly",
                suggestion="describe the effect with numbers instead",
            )
