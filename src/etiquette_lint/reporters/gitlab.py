"""GitLab Code Quality report: a JSON array GitLab shows in merge requests.

Each finding has a description, check_name (the rule), a fingerprint that stays the same
across runs and edits elsewhere in the draft, a severity (info, minor, major) and a location
(path, first line). The fingerprint hashes the path, the rule, the message (which quotes the
evidence) and the finding's occurrence among identical ones in that file, never the line: a
finding that only moves is not new, and the same words flagged twice are two findings."""
from __future__ import annotations

import hashlib

from ..findings import Severity
from .base import Reporter, dump_json, relative_posix

_SEVERITY = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def fingerprint(path: str, rule: str, message: str, occurrence: int = 0) -> str:
    key = "\0".join([path, rule, message, str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class GitlabReporter(Reporter):
    name = "gitlab"

    def render(self, result) -> str:
        issues = []
        seen: dict[tuple[str, str, str], int] = {}
        for finding in result.findings:  # sorted: occurrences count from the top of the file
            path = relative_posix(finding.path)
            key = (path, finding.rule, finding.message)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            issues.append({
                "description": finding.message,
                "check_name": finding.rule,
                "fingerprint": fingerprint(path, finding.rule, finding.message, occurrence),
                "severity": _SEVERITY[finding.severity],
                "location": {"path": path, "lines": {"begin": finding.line}},
            })
        return dump_json(issues)
