"""PM0xx: codes the engine itself reports."""

from __future__ import annotations

from collections.abc import Iterator

from postmortems.lint.context import LintContext
from postmortems.lint.finding import Hit, Level
from postmortems.lint.registry import rule


@rule("PM000", "rule-crashed", Level.ERROR)
def rule_crashed(ctx: LintContext) -> Iterator[Hit]:
    """A lint rule crashed on this document.

    ## What it does
    Reports that one rule raised an exception; the other rules' findings are still shown.

    ## Why is this bad?
    It is a bug in `pm lint`, not in your document. Please report it with the document.

    ## Example
    Any document that makes a rule crash.

    ## Use instead
    Ignore the code (`--ignore PM000`) until the bug is fixed.
    """
    return iter(())


@rule("PM001", "unreadable-document", Level.ERROR)
def unreadable_document(ctx: LintContext) -> Iterator[Hit]:
    """The document could not be read or parsed.

    ## What it does
    Reports a file that is missing, empty, binary, not UTF-8, or whose YAML front matter
    is malformed. `pm lint` exits with status 2 when this happens.

    ## Why is this bad?
    Nothing else can be checked until the document can be read.

    ## Example
    ```markdown
    ---
    title: [unclosed
    ---
    ```

    ## Use instead
    ```markdown
    ---
    title: "Checkout outage"
    ---
    ```
    """
    return iter(())


@rule("PM002", "unused-suppression", Level.WARNING)
def unused_suppression(ctx: LintContext) -> Iterator[Hit]:
    """A `pm-lint` suppression comment that silences nothing or names an unknown code.

    ## What it does
    Flags `<!-- pm-lint disable=… -->` and `<!-- pm-lint disable-next-line=… -->`
    comments whose codes match no finding in their scope, or are not rule codes.

    ## Why is this bad?
    Stale suppressions hide future findings and mislead readers about the document.

    ## Example
    ```markdown
    <!-- pm-lint disable=PM401 -->
    The deploy went out at 10:00 and was rolled back at 10:20.
    ```

    ## Use instead
    Remove the comment when the text no longer needs it.
    """
    return iter(())


@rule("PM003", "parser-warning", Level.INFO)
def parser_warning(ctx: LintContext) -> Iterator[Hit]:
    """Something the parser could not fully understand.

    ## What it does
    Passes on the parser's warnings: a timeline entry whose time could not be read, a
    front-matter value of the wrong type, an ambiguous heading.

    ## Why is this bad?
    What the parser cannot read, tools (metrics, exports, other rules) cannot use.

    ## Example
    ```markdown
    - around lunch: the deploy started
    ```

    ## Use instead
    ```markdown
    - 12:10 UTC: the deploy started
    ```
    """
    untimed = {e.line for e in ctx.pm.timeline if e.at is None}  # PM202 says it better
    for warning in ctx.pm.warnings:
        if warning.line not in untimed:
            yield Hit(warning.line or 1, 1, warning.message)
