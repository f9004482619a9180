"""SARIF 2.1.0: one run whose driver lists the selected rules, one result per finding.

GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers read this.
Columns count Unicode code points (`columnKind`), as our findings do; `endColumn` is the
column just past the last character, as SARIF's region defines it. Problems with the run
itself (an unreadable file) become tool-execution notifications, not results."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..findings import Severity
from .base import Reporter, dump_json, relative_posix

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/etiquette-lint/"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A relative URI reference with forward slashes (spaces and the like percent-encoded);
    a file outside the working folder gets an absolute file: URI."""
    relative = relative_posix(path)
    if os.path.isabs(relative):
        return Path(relative).as_uri()
    return quote(relative, safe="/")


def _unwrap(text: str) -> str:
    """YAML block text has hard line breaks; viewers wrap themselves, so keep only paragraphs."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


class SarifReporter(Reporter):
    name = "sarif"

    def render(self, result) -> str:
        descriptors = [self._descriptor(rule) for rule in self.rules]
        index = {d["id"]: i for i, d in enumerate(descriptors)}
        results = []
        for finding in result.findings:
            if finding.rule not in index:  # e.g. etiquette-lint.unknown-suppression, not a YAML rule
                index[finding.rule] = len(descriptors)
                descriptors.append(self._builtin_descriptor(finding))
            results.append({
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(finding.path)},
                        "region": {
                            "startLine": finding.line,
                            "startColumn": finding.column,
                            "endLine": finding.end_line,
                            "endColumn": finding.end_column,
                        },
                    },
                }],
            })
        run = {
            "tool": {"driver": {
                "name": "etiquette-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [self._invocation(result)],
            "results": results,
        }
        log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        return dump_json(log)

    @staticmethod
    def _descriptor(rule) -> dict:
        explain = _unwrap(rule.explain)
        help_text = explain + (f"\n\nInstead: {rule.suggestion}" if rule.suggestion else "")
        return {
            "id": rule.id,
            "shortDescription": {"text": rule.message},
            "fullDescription": {"text": explain},
            "help": {"text": help_text},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"category": rule.category, "tags": [rule.category]},
        }

    @staticmethod
    def _builtin_descriptor(finding) -> dict:
        from ..suppression import BUILTIN_RULES

        text = BUILTIN_RULES.get(finding.rule, finding.rule)
        return {
            "id": finding.rule,
            "shortDescription": {"text": text},
            "defaultConfiguration": {"level": _LEVEL[finding.severity]},
            "properties": {"category": finding.category, "tags": [finding.category]},
        }

    @staticmethod
    def _invocation(result) -> dict:
        notifications = []
        for problem in result.problems:
            notification = {"level": "error" if problem.level == "error" else "warning", "message": {"text": problem.message}}
            if problem.path and problem.path != "-":
                location = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(problem.path)}}}
                if problem.line:
                    location["physicalLocation"]["region"] = {"startLine": problem.line}
                notification["locations"] = [location]
            notifications.append(notification)
        invocation = {"executionSuccessful": True}
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        return invocation
