"""Suppression directives, applied to a draft's findings after detection.

Detectors never see any of this. Order per draft:
1. per-path selection from the config (`per-path:` select / ignore / severity; decision.py);
2. directives in the draft: front matter `etiquette-lint: {disable: [...]}` for the whole
   file, `<!-- etiquette-lint disable|enable|disable-next-line NAMES -->` comments, where
   the latest comment that names a finding's rule (or its category, or every rule) and
   comes before it decides;
3. a directive naming a rule or category that does not exist, or an unknown action, is
   itself reported as a finding of rule `etiquette-lint.unknown-suppression`, so a typo
   never silently suppresses nothing."""
from __future__ import annotations

import difflib
from typing import Iterable

from .decision import prefix_match
from .drafts.directives import ACTIONS, Directive
from .drafts.model import Draft
from .findings import Finding, Severity

UNKNOWN_SUPPRESSION = "etiquette-lint.unknown-suppression"
BUILTIN_RULES = {
    UNKNOWN_SUPPRESSION: "A suppression directive names a rule or category that does not exist, or an unknown action",
}
_EVERYTHING = ("all", "*")


def apply_directives(findings: Iterable[Finding], draft: Draft, known: Iterable[str]) -> list[Finding]:
    """Drop what the draft's directives silence; add a finding for each directive that names
    something unknown."""
    directives: tuple[Directive, ...] = draft.directives
    if not directives:
        return list(findings)
    kept = [f for f in findings if not _suppressed(f, directives)]
    return kept + _unknown(draft, directives, set(known))


def _names_rule(directive: Directive, finding: Finding) -> bool:
    names = directive.names
    return not names or any(n in _EVERYTHING for n in names) or finding.category in names or prefix_match(finding.rule, list(names)) > 0


def _suppressed(finding: Finding, directives: tuple[Directive, ...]) -> bool:
    where = (finding.line, finding.column)
    decided = None
    for directive in directives:  # in file order
        if directive.action == "unknown" or not _names_rule(directive, finding):
            continue
        if directive.action == "disable-file":
            return True
        if directive.action == "disable-next-line":
            if finding.line == directive.end_line + 1:
                return True
        elif (directive.line, directive.column) <= where:
            decided = directive.action
    return decided == "disable"


def _unknown(draft: Draft, directives: tuple[Directive, ...], known: set[str]) -> list[Finding]:
    findings = []
    for directive in directives:
        if directive.action == "unknown":
            written = f"'{directive.word}'" if directive.word else "nothing"
            findings.append(_finding(draft, directive, f"Unknown etiquette-lint directive {written} "
                                                       f"(expected {', '.join(ACTIONS)})"))
            continue
        for name in directive.names:
            if name in _EVERYTHING or name in known:
                continue
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            findings.append(_finding(draft, directive, f"Suppression names unknown rule or category '{name}'{hint}"))
    return findings


def _finding(draft: Draft, directive: Directive, message: str) -> Finding:
    return Finding(
        path=draft.path, line=directive.line, column=directive.column,
        end_line=directive.end_line, end_column=directive.end_column,
        rule=UNKNOWN_SUPPRESSION, category="etiquette-lint", severity=Severity.WARNING, message=message,
    )


def known_names(rules) -> frozenset[str]:
    """Every name a directive may use: rule ids, categories and the dotted prefixes between."""
    names = set()
    for rule in rules:
        names.add(rule.category)
        parts = rule.id.split(".")
        names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return frozenset(names)
