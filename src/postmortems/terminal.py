"""Rich consoles that never pass a control character from their input to the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from postmortems.control_chars import escape_for_display


class SafeConsole(Console):
    """A Console whose printed strings have control and bidirectional characters made visible
    first.

    Rich emits its own escape sequences for colour after this point, so styling still works;
    only the characters that came in with the text are neutralised. Strings reach the
    terminal through ``render_str`` whether printed directly or inside a table.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(escape_for_display(text), **kwargs)


def stdout_console() -> SafeConsole:
    return SafeConsole(highlight=False, soft_wrap=True)


def stderr_console() -> SafeConsole:
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True)
