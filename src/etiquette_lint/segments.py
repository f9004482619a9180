"""A cheap sentence splitter: the unit the engine gates and sends to spaCy.

It needs no model: blank lines and list items end a block, and within a block a sentence ends
at . ! ? (with closing quotes) followed by whitespace. Erring towards longer pieces is
harmless; the parser sees each piece as its own text."""
from __future__ import annotations

import re

_BLOCK_BREAK = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*+•]|\d+[.)])[ \t])")
_END_MARK = "[.!?…]"
_ABBREVIATIONS = ("Mr", "Ms", "Dr", "St", "Mrs", "Prof", "Rev", r"e\.g", r"i\.e", "etc", "vs", "No")
# The pattern starts with the end mark itself, so `re` skips straight to the few . ! ? in a
# draft; the checks on what precedes it (an abbreviation, another mark) come after, as
# lookbehinds that include the mark. Possessive runs: linear, no backtracking.
_SENTENCE_END = re.compile(
    _END_MARK
    + "".join(rf"(?<!\b{abbreviation}{_END_MARK})" for abbreviation in _ABBREVIATIONS)
    + rf"(?<!{_END_MARK}{_END_MARK})"  # the first mark of a run ("?!", "...")
    + _END_MARK + r"*+[\"'”’)\]]*+[ \t\n]+(?=[\"“‘(\[]?[A-Z0-9])"
)


def split_segments(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Non-empty, whitespace-trimmed (start, end) pieces of text[start:end]."""
    end = len(text) if end is None else end
    pieces: list[tuple[int, int]] = []
    block_start = start
    for match in list(_BLOCK_BREAK.finditer(text, start, end)) + [None]:
        block_end = match.start() if match else end
        sentence_start = block_start
        for sentence in _SENTENCE_END.finditer(text, block_start, block_end):
            pieces.append((sentence_start, sentence.end()))
            sentence_start = sentence.end()
        pieces.append((sentence_start, block_end))
        block_start = match.end() if match else end
    trimmed = []
    for piece_start, piece_end in pieces:
        chunk = text[piece_start:piece_end]
        stripped = chunk.strip()
        if stripped:
            left = piece_start + (len(chunk) - len(chunk.lstrip()))
            trimmed.append((left, left + len(stripped)))
    return trimmed
