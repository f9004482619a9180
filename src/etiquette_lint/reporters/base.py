"""The reporter interface (like flake8's BaseFormatter): findings in, one string out."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reporters never need the engine at run time
    from ..api import LintResult
    from ..ruleset import Rule


class Reporter:
    name = ""

    def __init__(self, color: bool = False, rules: "list[Rule] | None" = None) -> None:
        self.color = color
        self.rules = rules or []

    def render(self, result: "LintResult") -> str:
        raise NotImplementedError
