"""Configuration: discovery, the schema and per-path overrides, read into a `Config`.

What a config decides (which rules run, how bad each is) is worked out in decision.py."""
from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .findings import Severity
from .yamlsource import NODE_BUDGET, Located, load_located

CONFIG_NAMES = (".etiquette-lint.yaml", ".etiquette-lint.yml")
KEYS = {
    "select": "rule ids or categories to run (default: all)",
    "ignore": "rule ids or categories to skip",
    "severity": "mapping of rule id or category to error|warning|info",
    "rules": "extra rule folders, relative to this file",
    "max-file-size": "skip drafts larger than this (bytes, or 500KB, 2MB; default 1MB; .eml attachments do not count)",
    "model": "spaCy pipeline package name",
    "fail-on": "lowest severity that makes the run fail (error|warning|info)",
    "history": "globs of earlier sent drafts the follow-up cadence should see, relative to this file",
    "options": "detector parameters per rule id (numbers, text, true/false or flat lists), e.g. {followup.cadence: {min_gap_days: 7}}",
    "per-path": "overrides for files matching a glob relative to this file, e.g. {\"drafts/cold/**\": {ignore: [...]}}",
    "exclude": "names and globs a folder walk skips, replacing the defaults (README.*, CHANGELOG.*, docs, ...)",
    "extend-exclude": "names and globs a folder walk skips, on top of `exclude`",
    "force-exclude": "true: skip excluded files even when named on the command line (the pre-commit hook sets it)",
}
# What a folder walk skips unless told otherwise: a repository's own documents, not drafts.
# A name without a slash matches a file or folder of that name anywhere (case ignored), so
# `README.*` skips README.md but not readme-company-thanks.md; a glob with a slash is relative
# to the config file. .pre-commit-hooks.yaml's `exclude:` is the same list as a regex.
REPOSITORY_DOCS = ("README", "CHANGELOG", "CHANGES", "HISTORY", "CONTRIBUTING", "CODE_OF_CONDUCT", "SECURITY",
                   "LICENSE", "LICENCE", "COPYING", "AUTHORS", "NOTICE")
DEFAULT_EXCLUDE = tuple(p for name in REPOSITORY_DOCS for p in (name, name + ".*")) + (
    "docs", "doc", "node_modules", "__pycache__", "venv", "site-packages")
PER_PATH_KEYS = {
    "select": "rule ids or categories to run for these files (replaces the top-level select)",
    "ignore": "rule ids or categories always skipped for these files, whatever the top-level select says",
    "severity": "severity overrides for these files (merged over the top-level ones)",
    "fail-on": "lowest failing severity for these files",
}


@dataclass(frozen=True)
class PathOverride:
    """One `per-path:` entry: settings for the files its glob matches."""

    pattern: str
    regex: re.Pattern
    select: tuple[str, ...] | None = None  # None: not set here
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity | None = None


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    model: str | None = None
    max_file_size: int | None = None  # bytes; None: the default (drafts.limits.MAX_FILE_BYTES)
    fail_on: Severity = Severity.WARNING
    history: list[str] = field(default_factory=list)
    options: dict[str, dict] = field(default_factory=dict)
    per_path: list[PathOverride] = field(default_factory=list)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    force_exclude: bool = False
    source: str | None = None  # the file it came from
    applied: tuple[str, ...] = ()  # per-path globs merged in (set by for_path)
    path_ignore: tuple[str, ...] = ()  # their ignores, which beat any select (set by for_path)

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.source)) if self.source else os.getcwd()

    def overrides_for(self, path: str) -> list[PathOverride]:
        """The per-path entries whose glob matches `path` (relative to the config's folder), in file order."""
        if not self.per_path or path == "-" or path.startswith("<"):
            return []
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        if relative == ".." or relative.startswith("../"):
            return []
        return [o for o in self.per_path if o.regex.match(relative)]

    def is_excluded(self, path: str, below: str | None = None) -> bool:
        """Whether `exclude`/`extend-exclude` skip this file or folder: a pattern without a
        slash matches any one part of its path, a pattern with one matches the path relative to
        the config's folder (case ignored either way). `below`: the folder named on the command
        line that the walk met it in; only the parts under it count (`etiquette-lint docs/drafts`
        lints that folder, as ruff lints a path it is given)."""
        if not self.exclude or path == "-":
            return False
        absolute = os.path.abspath(path)
        relative = os.path.relpath(absolute, self.root).replace(os.sep, "/")
        inside = not (relative == ".." or relative.startswith("../"))
        parts = (relative if inside else absolute).split("/")
        if below is not None:
            parts = os.path.relpath(absolute, os.path.abspath(below)).replace(os.sep, "/").split("/")
        return any(_exclude_regex(pattern).match(relative) if "/" in pattern and inside
                   else any(_exclude_regex(pattern).match(part) for part in parts)
                   for pattern in self.exclude)

    def for_path(self, path: str) -> "Config":
        """This config as it applies to one file: matching per-path entries merged in order
        (select replaced, ignore added, severity merged, fail-on replaced). A per-path ignore
        is absolute: it beats even a longer top-level select (see decision.select_for_path)."""
        overrides = self.overrides_for(path)
        if not overrides:
            return self
        select, ignore, severity, fail_on = list(self.select), list(self.ignore), dict(self.severity), self.fail_on
        for override in overrides:
            if override.select is not None:
                select = list(override.select)
            ignore += override.ignore
            severity.update(override.severity)
            fail_on = override.fail_on or fail_on
        return replace(self, select=select, ignore=ignore, severity=severity, fail_on=fail_on,
                       applied=tuple(o.pattern for o in overrides),
                       path_ignore=tuple(name for o in overrides for name in o.ignore))

    def run_select(self) -> list[str]:
        """What the engine must run so every file's selection is covered: the top-level select
        plus each per-path select (empty, i.e. everything, when the top level selects all)."""
        if not self.select:
            return []
        extra = [s for o in self.per_path if o.select is not None for s in o.select]
        return list(dict.fromkeys(self.select + extra))

    def describe(self) -> dict:
        """Plain data for `--show-config` (YAML-ready)."""
        return {
            "config-file": self.source,
            "per-path-applied": list(self.applied),
            "select": list(self.select) or ["all"],
            "ignore": list(self.ignore),
            "severity": {k: v.value for k, v in self.severity.items()},
            "fail-on": self.fail_on.value,
            "rules": list(self.rules),
            "model": self.model,
            "history": list(self.history),
            "options": {k: dict(v) for k, v in self.options.items()},
            "exclude": list(self.exclude),
            "force-exclude": self.force_exclude,
        }


def find_config(start: str) -> str | None:
    """The nearest .etiquette-lint.yaml, or pyproject.toml with [tool.etiquette-lint], upward from start."""
    folder = Path(start if os.path.isdir(start) else os.path.dirname(start) or ".").resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return str(candidate / name)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return str(pyproject)
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "etiquette-lint" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_config(path: str | None) -> Config:
    if path is None:
        return Config()
    if not os.path.isfile(path):
        raise ConfigError(path, None, None, "config file does not exist")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, None, f"cannot read config: {exc}") from None
    if path.endswith(".toml"):
        try:
            data = tomllib.loads(text).get("tool", {}).get("etiquette-lint", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(path, None, None, f"invalid TOML: {exc}") from None
    else:
        data = load_located(text, path, node_budget=NODE_BUDGET) or {}
    return parse_config(data, path)


def parse_config(data: Any, path: str) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(path, None, None, "config should be a mapping of settings")

    def line(key: str) -> int | None:
        return data.line_of(key) if isinstance(data, Located) else None

    def string_list(key: str) -> list[str]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(path, line(key), key, "should be a list of strings")
        return list(value)

    for key in data:
        if key not in KEYS:
            raise ConfigError(path, line(str(key)), str(key), f"unknown key (known: {', '.join(sorted(KEYS))})")
    config = Config(source=path)
    config.select = string_list("select")
    config.ignore = string_list("ignore")
    config.rules = string_list("rules")
    config.history = string_list("history")
    config.severity = _severity_map(data, path, "severity")
    if "model" in data:
        if not isinstance(data["model"], str) or not data["model"]:
            raise ConfigError(path, line("model"), "model", "should be a pipeline package name")
        config.model = data["model"]
    if "max-file-size" in data:
        from .drafts.limits import parse_size

        try:
            config.max_file_size = parse_size(data["max-file-size"])
        except ValueError as exc:
            raise ConfigError(path, line("max-file-size"), "max-file-size", str(exc)) from None
    if "fail-on" in data:
        config.fail_on = _severity_value(data, path, "fail-on")
    config.options = _options(data, path)
    base = os.path.dirname(os.path.abspath(path))
    config.rules = [os.path.join(base, folder) for folder in config.rules]
    config.history = [os.path.join(base, pattern) for pattern in config.history]
    config.per_path = _per_path(data, path)
    if "exclude" in data:
        config.exclude = tuple(string_list("exclude"))
    config.exclude += tuple(string_list("extend-exclude"))
    if "force-exclude" in data:
        if not isinstance(data["force-exclude"], bool):
            raise ConfigError(path, line("force-exclude"), "force-exclude", "should be true or false")
        config.force_exclude = data["force-exclude"]
    return config


@functools.lru_cache(maxsize=256)
def _exclude_regex(pattern: str) -> re.Pattern:
    return re.compile(glob_regex(pattern).pattern, re.IGNORECASE)


# Options tune a rule's parameters: a value is a scalar or a flat list of scalars (a rule's
# patterns or terms belong in a rule pack). Values are counted as aliases expand, so a few
# hundred bytes of `&a [*b, *b, ...]` cannot become millions of values for the cache key.
MAX_OPTION_VALUES = 10_000
_SCALARS = (str, int, float, bool)


def _options(data: Any, path: str) -> dict[str, dict]:
    """`options: {rule.id: {parameter: value}}`, each part checked before anything walks it."""
    node = data.get("options", {})
    if not isinstance(node, dict):
        raise ConfigError(path, _line(data, "options"), "options", "should map rule ids to parameter mappings")
    options, count = {}, 0
    for rule_id, parameters in node.items():
        label, at = f"options.{rule_id}", _line(node, rule_id) or _line(data, "options")
        if not isinstance(rule_id, str) or "." not in rule_id:
            raise ConfigError(path, at, label, "options are set per rule id, such as followup.cadence, not per category "
                              "(etiquette-lint --list-rules)")
        if not isinstance(parameters, dict):
            raise ConfigError(path, at, label, "should map parameter names to values, e.g. {min_gap_days: 7}")
        for name, value in parameters.items():
            where = _line(parameters, name) or at
            if not isinstance(name, str) or not name.isidentifier():
                raise ConfigError(path, where, f"{label}.{name}", "should be a parameter name (etiquette-lint --explain-kinds)")
            if name == "kind":
                raise ConfigError(path, where, f"{label}.kind", "the detector kind cannot be changed")
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(item, _SCALARS) for item in values):
                raise ConfigError(path, where, f"{label}.{name}", "should be a number, text, true/false or a flat list "
                                  "of those (a rule's patterns and terms belong in a rule pack: rules:)")
            count += len(values)
            if count > MAX_OPTION_VALUES:
                raise ConfigError(path, where, "options", f"more than {MAX_OPTION_VALUES:,} values (aliases counted as "
                                  "they expand); options tune parameters, rule packs hold lists")
        options[rule_id] = dict(parameters)
    return options


def _line(node: Any, key: str) -> int | None:
    return node.line_of(key) if isinstance(node, Located) else None


def _severity_value(node: Any, path: str, key: str, label: str | None = None) -> Severity:
    try:
        return Severity.parse(node[key])
    except ValueError as exc:
        raise ConfigError(path, _line(node, key), label or key, str(exc)) from None


def _severity_map(node: Any, path: str, key: str, label: str | None = None) -> dict[str, Severity]:
    label = label or key
    value = node.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(path, _line(node, key), label, "should map rule ids or categories to error|warning|info")
    result = {}
    for name in value:
        try:
            result[str(name)] = Severity.parse(value[name])
        except ValueError as exc:
            raise ConfigError(path, _line(value, name) or _line(node, key), f"{label}.{name}", str(exc)) from None
    return result


def _per_path(data: Any, path: str) -> list[PathOverride]:
    """Parse `per-path: {glob: {select, ignore, severity, fail-on}}`; unknown keys are errors."""
    node = data.get("per-path")
    if node is None:
        return []
    if not isinstance(node, dict):
        raise ConfigError(path, _line(data, "per-path"), "per-path", "should map globs to settings, e.g. {\"drafts/cold/**\": {ignore: [...]}}")
    overrides = []
    for pattern, settings in node.items():
        label = f"per-path.{pattern}"
        at = _line(node, pattern)
        if not isinstance(pattern, str) or not pattern.strip():
            raise ConfigError(path, at, label, "should be a glob such as drafts/cold/**")
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            raise ConfigError(path, at, label, f"should be a mapping of {', '.join(sorted(PER_PATH_KEYS))}")
        for key in settings:
            if key not in PER_PATH_KEYS:
                raise ConfigError(path, _line(settings, str(key)) or at, f"{label}.{key}",
                                  f"unknown key (known here: {', '.join(sorted(PER_PATH_KEYS))})")

        def names(key: str) -> tuple[str, ...] | None:
            if key not in settings:
                return None
            value = settings[key]
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(path, _line(settings, key) or at, f"{label}.{key}", "should be a list of strings")
            return tuple(value)

        overrides.append(PathOverride(
            pattern=pattern,
            regex=glob_regex(pattern),
            select=names("select"),
            ignore=names("ignore") or (),
            severity=tuple(_severity_map(settings, path, "severity", f"{label}.severity").items()),
            fail_on=_severity_value(settings, path, "fail-on", f"{label}.fail-on") if "fail-on" in settings else None,
        ))
    return overrides


def glob_regex(pattern: str) -> re.Pattern:
    """A compiled glob over `/`-separated relative paths: `*` and `?` stay within one folder,
    `**` crosses folders, `[...]` is a character class; a glob that names a folder also
    covers everything under it."""
    pattern = pattern.strip().replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.lstrip("/")
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[" and "]" in pattern[index + 2:]:
            close = pattern.index("]", index + 2)
            body = pattern[index + 1: close]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            index = close + 1
        else:
            out.append(re.escape(char))
            index += 1
    regex = "".join(out)
    if not pattern.endswith("**"):
        regex = regex.rstrip("/") + "(?:/.*)?"  # a folder covers what is under it
    return re.compile(regex + r"\Z")


def starter_config() -> str:
    """The commented starter config `--init` writes (data/starter-config.yaml, shipped in the package)."""
    return resources.files("etiquette_lint").joinpath("data", "starter-config.yaml").read_text(encoding="utf-8")
