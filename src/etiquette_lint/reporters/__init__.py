"""Reporters turn a LintResult into text for a person or a tool; one small class per format."""
from __future__ import annotations

from .base import Reporter
from .github import GithubReporter
from .gitlab import GitlabReporter
from .json_format import JsonReporter
from .sarif import SarifReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "gitlab": GitlabReporter,
}

__all__ = ["REPORTERS", "Reporter"]
