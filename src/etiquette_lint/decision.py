"""Which rules run and how bad each finding is: select, ignore and severity decided by the
longest matching prefix of the rule id, as flake8's DecisionEngine.

Twice per run: before detection (`apply_selection`: the rules the engine runs, with severity
overrides and detector options applied) and after it, per file (`select_for_path`: the file's
`per-path:` entries narrow what the engine ran)."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from .config import Config
from .errors import ConfigError
from .findings import Finding, Severity
from .regex_safety import check_rule_regexes
from .yamlsource import Located


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
    """The severity of the longest key that is the rule id or a dotted prefix of it, else `default`."""
    best, severity = 0, default
    for key, value in overrides.items():
        length = prefix_match(rule_id, [key])
        if length > best:
            best, severity = length, value
    return severity


class DecisionEngine:
    """One set of select / ignore / severity lists, asked about rule ids."""

    def __init__(self, select: list[str], ignore: list[str], severity: dict[str, Severity] | None = None,
                 ignore_always: Iterable[str] = ()) -> None:
        self.select, self.ignore = list(select), list(ignore)
        self.overrides = dict(severity or {})
        self.ignore_always = list(ignore_always)  # a per-path ignore, which beats any select

    def selects(self, rule_id: str) -> bool:
        return is_selected(rule_id, self.select, self.ignore) and not prefix_match(rule_id, self.ignore_always)

    def severity(self, rule_id: str, default: Severity) -> Severity:
        return effective_severity(rule_id, default, self.overrides)


def apply_selection(rules, config: Config, select: list[str] = (), ignore: list[str] = ()):
    """Rules that run, with severity overrides applied (command-line lists add to the config's)."""
    chosen = []
    decide = DecisionEngine(list(select) or config.select, list(config.ignore) + list(ignore), config.severity)
    _check_selectors(rules, [("--select", s) for s in select] + [("--ignore", i) for i in ignore], "command line")
    _check_selectors(rules, [("select", s) for s in config.select] + [("ignore", i) for i in config.ignore],
                     config.source or "config")
    _check_selectors(rules, [("options", key) for key in config.options], config.source or "config")
    for rule in rules:
        # Options are checked against the rule's kind even when it does not run this time.
        detector = _with_options(rule, config.options.get(rule.id), config.source or "config")
        if decide.selects(rule.id):
            chosen.append(replace(rule, severity=decide.severity(rule.id, rule.severity), detector=detector))
    return chosen


def _check_selectors(rules, selectors: list[tuple[str, str]], source: str) -> None:
    """A selector that names no rule would silently select or ignore nothing: refuse it."""
    for field_name, selector in selectors:
        if selector not in ("all", "*") and not any(prefix_match(rule.id, [selector]) for rule in rules):
            categories = sorted({rule.category for rule in rules})
            raise ConfigError(source, None, field_name,
                              f"{selector!r} names no rule or category (categories: {', '.join(categories)})")


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
    # The config is user input: its patterns get the load-time check of a user's pack (issue 14, item 1).
    detector = type(rule.detector)(node, replace(rule.detector.where, shipped=False))
    check_rule_regexes(replace(rule, detector=detector))
    return detector


def select_for_path(findings: Iterable[Finding], config: Config, path: str,
                    cli_select: list[str] = (), cli_ignore: list[str] = ()) -> list[Finding]:
    """Findings the file's effective config keeps, with its per-path severities.

    The engine runs the union of every per-path selection (Config.run_select), so this only
    narrows; with no `per-path:` in the config it changes nothing."""
    if not config.per_path:
        return list(findings)
    effective = config.for_path(path)
    decide = DecisionEngine(list(cli_select) or effective.select, list(effective.ignore) + list(cli_ignore),
                            effective.severity, effective.path_ignore)
    kept = []
    for finding in findings:
        if not decide.selects(finding.rule):
            continue
        severity = decide.severity(finding.rule, finding.severity)
        kept.append(finding if severity == finding.severity else replace(finding, severity=severity))
    return kept
