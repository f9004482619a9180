"""The one record every detector, filter and reporter passes around, and how a hit becomes one."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is; ordered so a threshold can compare them."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=False)
class Finding:
    """A problem at a place in a draft. Lines and columns are 1-based; columns count characters."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: Severity
    message: str
    suggestion: str | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column, self.message)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Problem:
    """Something about the run itself (an unreadable file, bad front matter) rather than the draft's tone.

    `level` is "error" when a file could not be linted at all, "warning" when it was linted
    with a caveat (lossy decode, bad front matter). `rule` names the rule that failed on the
    draft, for a problem met while detecting."""

    path: str
    message: str
    level: str = "warning"
    line: int | None = None
    rule: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


def sorted_findings(findings) -> list[Finding]:
    return sorted(set(findings), key=Finding.sort_key)


def finding_at(rule: Any, hit: Any, draft: Any) -> Finding:
    """The finding for a rule's (ruleset.Rule) hit (detectors.Hit) in a draft (drafts.Draft)."""
    if hit.file_span is not None:
        line, column, end_line, end_column = hit.file_span
    else:
        line, column = draft.locate(hit.start)
        end_line, last_column = draft.locate(max(hit.end - 1, hit.start))
        end_column = last_column + 1
    message = rule.message if not hit.detail else f"{rule.message} ({hit.detail})"
    if hit.file_span is None and hit.end > hit.start:
        message += f": {_evidence(draft.text[hit.start: hit.end])}"
    return Finding(
        path=draft.path, line=line, column=column, end_line=end_line, end_column=end_column,
        rule=rule.id, category=rule.category, severity=rule.severity, message=message,
        suggestion=rule.suggestion,
    )


def _evidence(text: str, limit: int = 60) -> str:
    """The matched words, on one line and short, so the finding shows what it is about."""
    words = " ".join(text.split())
    return f'"{words}"' if len(words) <= limit else f'"{words[: limit - 1].rstrip()}…"'


def deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per rule per overlapping span: the widest wins."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.rule, f.line, f.column, -f.end_line, -f.end_column)):
        previous = kept[-1] if kept else None
        if previous and previous.rule == finding.rule and (finding.line, finding.column) < (previous.end_line, previous.end_column) \
                and (finding.line, finding.column) >= (previous.line, previous.column):
            continue
        kept.append(finding)
    return kept
