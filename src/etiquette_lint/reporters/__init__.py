"""Reporters turn a LintResult into text for a person or a tool; one small class per format."""
from __future__ import annotations

from .base import Reporter
from .json_format import JsonReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}

__all__ = ["REPORTERS", "Reporter"]
