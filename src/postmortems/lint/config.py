"""Lint configuration: `[tool.postmortems.lint]` in pyproject.toml or `[lint]` in
`.postmortems.toml`, found by walking up from the linted file.

Keys use the command-line flags' names. An unknown key, an unknown rule code, a bad
level or invalid TOML is a `ConfigError` naming the file and line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from postmortems.byte_order import decode_text, describe_decode_error
from postmortems.errors import ConfigError
from postmortems.lint.finding import Level
from postmortems.lint.profiles import AUTO, PROFILES, Thresholds
from postmortems.lint.registry import SELECTOR_PATTERN, Registry
from postmortems.lint.words import CONFIG_LIST_KEYS
from postmortems.markdown.sections import match_heading
from postmortems.model import SectionKind

OWN_CONFIG = ".postmortems.toml"
PYPROJECT = "pyproject.toml"

LEVEL_OFF = "off"

_THRESHOLD_KEYS = {name.replace("_", "-"): name for name in Thresholds.names()}
_LIST_KEYS = {
    f"{prefix}-{key}": (prefix, name)
    for key, name in CONFIG_LIST_KEYS.items()
    for prefix in ("extra", "removed")
}
_CODE_LIST_KEYS = ("select", "ignore", "extend-select")
KNOWN_KEYS = frozenset(
    {"profile", "levels", "required-sections", *_CODE_LIST_KEYS, *_THRESHOLD_KEYS, *_LIST_KEYS}
)


@dataclass(frozen=True)
class LintOptions:
    """Everything that shapes one lint run, built once from config and flags."""

    profile: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    levels: Mapping[str, str] = field(default_factory=dict)
    extra_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    removed_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required_sections: Mapping[str, tuple[SectionKind, ...]] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    config_path: str | None = None

    def with_flags(
        self,
        *,
        profile: str | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        extend_select: Iterable[str] = (),
    ) -> LintOptions:
        """Flags win over the config: --select replaces, --ignore and --extend-select add."""
        return replace(
            self,
            profile=profile or self.profile,
            select=tuple(select) if select is not None else self.select,
            ignore=self.ignore + tuple(ignore),
            extend_select=self.extend_select + tuple(extend_select),
        )

    def level_for(self, code: str, default: Level) -> Level | None:
        """The configured level for a code (longest prefix wins); None when turned off."""
        best = ""
        for selector in self.levels:
            if code.startswith(selector) and len(selector) > len(best):
                best = selector
        if not best:
            return default
        value = self.levels[best]
        return None if value == LEVEL_OFF else Level(value)

    def words(self, list_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return self.extra_words.get(list_name, ()), self.removed_words.get(list_name, ())


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a file or a directory)."""
    directory = start if start.is_dir() else start.parent
    return _find_config_in(directory.resolve())


@functools.cache
def _find_config_in(directory: Path) -> Path | None:
    own = directory / OWN_CONFIG
    if own.is_file():
        return own
    pyproject = directory / PYPROJECT
    if pyproject.is_file() and _mentions_our_table(pyproject):
        return pyproject
    if directory.parent == directory:
        return None
    return _find_config_in(directory.parent)


def _mentions_our_table(pyproject: Path) -> bool:
    try:
        text = decode_text(pyproject.read_bytes())
    except (OSError, UnicodeDecodeError):
        return False  # not readable as text: not a file we were meant to read
    return "tool.postmortems" in text or ("[tool]" in text and "postmortems" in text)


def load_config(path: Path, registry: Registry) -> LintOptions:
    """Read and validate the lint table of a config file."""
    return _load_config_cached(path.resolve(), registry)


@functools.cache
def _load_config_cached(path: Path, registry: Registry) -> LintOptions:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {exc.strerror or exc}", str(path)) from None
    try:
        # Windows editors save UTF-16 with a byte-order mark; TOML itself is UTF-8.
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        reason, line = describe_decode_error(raw, exc)
        raise ConfigError(f"config file {reason}", str(path), line) from None
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+)", str(exc))
        # "at end of document" carries no line: point at the last one.
        line = int(match.group(1)) if match else text.count("\n") or 1
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(f"invalid TOML: {message}", str(path), line) from None
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("postmortems", {}).get("lint", {})
    else:
        table = data.get("lint", {})
    if not isinstance(table, dict):
        raise ConfigError("the lint settings must be a table", str(path), _line_of(text, "lint"))
    return _options_from_table(table, text, str(path), registry)


def _line_of(text: str, key: str) -> int | None:
    """The first line that sets or opens ``key``; TOML parsers do not keep positions."""
    escaped = re.escape(key)
    pattern = re.compile(
        rf"^\s*(?:\[+[^\]]*\b{escaped}\]+|[\"']?{escaped}[\"']?\s*=)", re.MULTILINE
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _value_line(text: str, value: str) -> int | None:
    """The first line where a string value is written in quotes."""
    match = re.search(rf"[\"']{re.escape(value)}[\"']", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _string_list(value: Any, key: str, text: str, path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of strings", path, _line_of(text, key))
    return tuple(value)


def _check_selectors(
    codes: Iterable[str], key: str, text: str, path: str, registry: Registry
) -> tuple[str, ...]:
    checked = []
    for code in codes:
        upper = code.strip().upper()
        if not SELECTOR_PATTERN.match(upper) or not registry.matches_any(upper):
            line = _value_line(text, code) or _line_of(text, code) or _line_of(text, key)
            raise ConfigError(f"unknown rule code {code!r} in '{key}'", path, line)
        checked.append(upper)
    return tuple(checked)


def _options_from_table(
    table: dict[str, Any], text: str, path: str, registry: Registry
) -> LintOptions:
    for key in table:
        if key not in KNOWN_KEYS:
            hint = _close_key(key)
            suffix = f" (did you mean '{hint}'?)" if hint else ""
            raise ConfigError(f"unknown key '{key}'{suffix}", path, _line_of(text, key))

    profile = table.get("profile")
    if profile is not None and profile not in PROFILES and profile != AUTO:
        names = ", ".join([AUTO, *PROFILES])
        raise ConfigError(
            f"unknown profile {profile!r} (known: {names})", path, _line_of(text, "profile")
        )

    codes: dict[str, tuple[str, ...] | None] = {}
    for key in _CODE_LIST_KEYS:
        if key in table:
            values = _string_list(table[key], key, text, path)
            codes[key] = _check_selectors(values, key, text, path, registry)

    levels: dict[str, str] = {}
    raw_levels = table.get("levels", {})
    if not isinstance(raw_levels, dict):
        raise ConfigError(
            "'levels' must be a table of code = level", path, _line_of(text, "levels")
        )
    allowed = {lv.value for lv in Level} | {LEVEL_OFF}
    for code, level in raw_levels.items():
        (selector,) = _check_selectors([code], "levels", text, path, registry)
        if level not in allowed:
            raise ConfigError(
                f"level for {code} must be one of {', '.join(sorted(allowed))}, not {level!r}",
                path,
                _line_of(text, code),
            )
        levels[selector] = level

    required: dict[str, tuple[SectionKind, ...]] = {}
    raw_required = table.get("required-sections", {})
    if not isinstance(raw_required, dict):
        raise ConfigError(
            "'required-sections' must be a table of profile = [section names]",
            path,
            _line_of(text, "required-sections"),
        )
    for profile_name, names in raw_required.items():
        if profile_name not in PROFILES:
            raise ConfigError(
                f"unknown profile {profile_name!r} in 'required-sections'",
                path,
                _line_of(text, profile_name),
            )
        kinds: list[SectionKind] = []
        for name in _string_list(names, profile_name, text, path):
            kind = _section_kind(name)
            if kind is None:
                raise ConfigError(f"unknown section name {name!r}", path, _line_of(text, name))
            kinds.append(kind)
        required[profile_name] = tuple(kinds)

    thresholds: dict[str, float] = {}
    for key, name in _THRESHOLD_KEYS.items():
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(
                    f"'{key}' must be a non-negative number", path, _line_of(text, key)
                )
            thresholds[name] = float(value)

    extra: dict[str, tuple[str, ...]] = {}
    removed: dict[str, tuple[str, ...]] = {}
    for key, (prefix, list_name) in _LIST_KEYS.items():
        if key in table:
            values = _string_list(table[key], key, text, path)
            (extra if prefix == "extra" else removed)[list_name] = values

    return LintOptions(
        profile=profile,
        select=codes.get("select"),
        ignore=codes.get("ignore") or (),
        extend_select=codes.get("extend-select") or (),
        levels=levels,
        extra_words=extra,
        removed_words=removed,
        required_sections=required,
        thresholds=thresholds,
        config_path=path,
    )


def _section_kind(name: str) -> SectionKind | None:
    try:
        return SectionKind(name.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        pass
    match = match_heading(name)
    return match.kinds[0] if match and len(match.kinds) == 1 else None


def _close_key(key: str) -> str | None:
    import difflib

    close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
    return close[0] if close else None
