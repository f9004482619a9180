"""Configuration: discovery, schema, rule selection (longest prefix wins), severity overrides."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .findings import Severity
from .yamlsource import ConfigError, Located, load_located

CONFIG_NAMES = (".etiquette-lint.yaml", ".etiquette-lint.yml")
KEYS = {
    "select": "rule ids or categories to run (default: all)",
    "ignore": "rule ids or categories to skip",
    "severity": "mapping of rule id or category to error|warning|info",
    "rules": "extra rule folders, relative to this file",
    "model": "spaCy pipeline package name",
    "fail-on": "lowest severity that makes the run fail (error|warning|info)",
    "history": "globs of earlier sent drafts the follow-up cadence should see, relative to this file",
    "options": "detector parameters per rule id, e.g. {followup.cadence: {min_gap_days: 7}}",
}


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    model: str | None = None
    fail_on: Severity = Severity.WARNING
    history: list[str] = field(default_factory=list)
    options: dict[str, dict] = field(default_factory=dict)
    source: str | None = None  # the file it came from

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.source)) if self.source else os.getcwd()


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
        data = load_located(text, path) or {}
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
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(path, line("severity"), "severity", "should map rule ids or categories to error|warning|info")
    for key, value in severity.items():
        try:
            config.severity[str(key)] = Severity.parse(value)
        except ValueError as exc:
            raise ConfigError(path, line("severity"), f"severity.{key}", str(exc)) from None
    if "model" in data:
        if not isinstance(data["model"], str) or not data["model"]:
            raise ConfigError(path, line("model"), "model", "should be a pipeline package name")
        config.model = data["model"]
    if "fail-on" in data:
        try:
            config.fail_on = Severity.parse(data["fail-on"])
        except ValueError as exc:
            raise ConfigError(path, line("fail-on"), "fail-on", str(exc)) from None
    options = data.get("options", {})
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise ConfigError(path, line("options"), "options", "should map rule ids to parameter mappings")
    config.options = {str(k): dict(v) for k, v in options.items()}
    base = os.path.dirname(os.path.abspath(path))
    config.rules = [os.path.join(base, folder) for folder in config.rules]
    config.history = [os.path.join(base, pattern) for pattern in config.history]
    return config


def prefix_match(rule_id: str, selectors: list[str]) -> int:
    """Length of the longest selector that is the rule id or a dotted prefix of it (0 for none)."""
    best = 0
    for selector in selectors:
        if selector in ("all", "*"):
            best = max(best, 1)
        elif rule_id == selector or rule_id.startswith(selector + "."):
            best = max(best, len(selector) + 1)
    return best


def is_selected(rule_id: str, select: list[str], ignore: list[str]) -> bool:
    """flake8-style decision: the longest matching prefix wins; with no `select`, all are selected."""
    chosen = prefix_match(rule_id, select) if select else 1
    dropped = prefix_match(rule_id, ignore)
    return chosen > dropped  # on a tie, ignore wins


def effective_severity(rule_id: str, default: Severity, overrides: dict[str, Severity]) -> Severity:
    best, severity = 0, default
    for key, value in overrides.items():
        length = prefix_match(rule_id, [key])
        if length > best:
            best, severity = length, value
    return severity


def apply_selection(rules, config: Config, select: list[str] = (), ignore: list[str] = ()):
    """Rules that run, with severity overrides applied (command-line lists add to the config's)."""
    chosen = []
    select_all = list(select) or config.select
    ignore_all = list(config.ignore) + list(ignore)
    for rule in rules:
        if is_selected(rule.id, select_all, ignore_all):
            severity = effective_severity(rule.id, rule.severity, config.severity)
            detector = _with_options(rule, config.options.get(rule.id), config.source or "config")
            chosen.append(replace(rule, severity=severity, detector=detector))
    return chosen


def _with_options(rule, options: dict | None, source: str):
    """The rule's detector rebuilt with the config's parameter overrides (validated the same way)."""
    if not options:
        return rule.detector
    node = Located(rule.detector.where.node)
    node.line = rule.detector.where.node.line
    node.key_lines = dict(rule.detector.where.node.key_lines)
    for key, value in options.items():
        if key == "kind":
            raise ConfigError(source, None, f"options.{rule.id}.kind", "the detector kind cannot be changed")
        node[key] = value
    return type(rule.detector)(node, rule.detector.where)
