"""Markdown markup that is not prose: blanked in place so positions never shift."""
from __future__ import annotations

import re

from .regions import Range

_HTML_TAGS = (
    "a|abbr|b|blockquote|br|code|dd|del|details|div|dl|dt|em|h[1-6]|hr|i|img|ins|kbd|li|mark|ol|p|pre|"
    "s|small|span|strong|sub|summary|sup|table|tbody|td|th|thead|tr|u|ul"
)
_PATTERNS = [
    re.compile(r"^[ \t]{0,3}#{1,6}(?=[ \t])", re.MULTILINE),  # heading markers
    re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\](?=[ \t])", re.MULTILINE),  # task-list boxes
    re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE),  # thematic breaks
    # Bracket scans stop at the next bracket, so a line of "[[[[" or "](](](" stays linear.
    re.compile(r"!?\[(?=[^\[\]\n]*\]\()"),  # opening bracket of a link or image
    re.compile(r"\]\([^()\[\]\n]*\)"),  # link target
    re.compile(r"\[\^[^\[\]\n]+\]:?"),  # footnote references and definitions
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]+\S+.*$", re.MULTILINE),  # reference link definitions
    re.compile(r"\][ \t]?\[[^\]\n]*\]"),  # reference-style link label
    re.compile(r"<(?:https?|mailto|ftp):[^<>\s]+>|<[^<>\s@]+@[^<>\s]+>"),  # autolinks
    re.compile(rf"</?(?:{_HTML_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE),  # inline HTML tags
    re.compile(r"(\*\*|__)(?=\S)|(?<=\S)(\*\*|__)"),  # strong emphasis markers
    re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"),  # emphasis markers
]
_REFERENCE_LINK_TEXT = re.compile(r"\[([^\[\]\n]+)\](?=[ \t]?\[)")


def markup_ranges(text: str) -> list[Range]:
    ranges: list[Range] = []
    for pattern in _PATTERNS:
        ranges.extend((m.start(), m.end()) for m in pattern.finditer(text))
    for match in _REFERENCE_LINK_TEXT.finditer(text):
        ranges.append((match.start(), match.start() + 1))
    return ranges
