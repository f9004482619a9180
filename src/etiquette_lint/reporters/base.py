"""The reporter interface (like flake8's BaseFormatter): findings in, one string out."""
from __future__ import annotations

import os
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


def relative_posix(path: str) -> str:
    """A finding's path for tools that want it relative to the checkout, with forward slashes:
    as given when relative (normalised), relative to the working folder when absolute under it."""
    if path == "-" or path.startswith("<"):
        return path
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            relative = path
        path = path if relative.startswith("..") else relative
    return os.path.normpath(path).replace(os.sep, "/")
