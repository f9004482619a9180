"""The reporter interface (like flake8's BaseFormatter): findings in, one string out."""
from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reporters never need the engine at run time
    from ..api import LintResult
    from ..ruleset import Rule


class Reporter:
    name = ""

    def __init__(self, color: bool = False, rules: "list[Rule] | None" = None, suggestions: bool = True) -> None:
        self.color = color
        self.rules = rules or []
        self.suggestions = suggestions  # formats for people show each finding's suggestion

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


# Characters a file name must not bring to a terminal or a line-based log: C0 controls (a
# newline starts a fake line, ESC a terminal sequence), DEL, C1 controls (8-bit CSI/OSC), the
# Unicode line and paragraph separators and the bidi overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # JSON escapes C0 itself
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def printable(text: str, keep: str = "") -> str:
    """`text` (a file name) safe to print on a line of its own: each unsafe character shown as
    an escape (`\\n`, `\\x1b`, `\\u202e`); printable text, accents included, unchanged.
    `keep` names characters the caller encodes itself."""
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def dump_json(data) -> str:
    """JSON as the JSON formats write it (UTF-8, indented), with the unsafe characters JSON
    itself leaves raw (C1, separators, bidi overrides) written as `\\uXXXX`: the same data
    once read, nothing a terminal acts on when the report is shown."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
