"""GitLab Code Quality report: a JSON array GitLab shows in merge requests.

Each finding has a description, check_name (the rule), a fingerprint that stays the same
across runs (hash of path, rule, line and message), a severity (info, minor, major) and a
location (path, first line)."""
from __future__ import annotations

import hashlib

from ..findings import Severity
from .base import Reporter, dump_json, relative_posix

_SEVERITY = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def fingerprint(path: str, rule: str, line: int, message: str, occurrence: int = 0) -> str:
    key = "\0".join([path, rule, str(line), message] + ([str(occurrence)] if occurrence else []))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class GitlabReporter(Reporter):
    name = "gitlab"

    def render(self, result) -> str:
        issues = []
        seen: dict[str, int] = {}
        for finding in result.findings:
            path = relative_posix(finding.path)
            base = fingerprint(path, finding.rule, finding.line, finding.message)
            # Two identical findings on one line (different columns) still get distinct fingerprints.
            occurrence = seen.get(base, 0)
            seen[base] = occurrence + 1
            issues.append({
                "description": finding.message,
                "check_name": finding.rule,
                "fingerprint": fingerprint(path, finding.rule, finding.line, finding.message, occurrence) if occurrence else base,
                "severity": _SEVERITY[finding.severity],
                "location": {"path": path, "lines": {"begin": finding.line}},
            })
        return dump_json(issues)
