"""Inline suppression directives, read from the draft's original text.

HTML comments are blanked from the linted text (regions.py), so the comments that carry
directives are found here, before blanking, and kept on the Draft as positions in the file:

    <!-- etiquette-lint disable salary.before-offer -->        from here on
    <!-- etiquette-lint enable salary.before-offer -->         from here on again
    <!-- etiquette-lint disable-next-line criticism -->        the next line only
    <!-- etiquette-lint disable -->                            every rule (no names)

Names are rule ids or categories separated by commas or spaces; text after ` -- ` is a
reason and ignored. Front matter `etiquette-lint: {disable: [...]}` becomes a whole-file
directive at the line of that key. Applying them is suppression.py's job."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import LineMap

ACTIONS = ("disable", "enable", "disable-next-line")
_COMMENT = re.compile(r"<!--[ \t]*etiquette-lint(?=\s|-->)(?P<body>.*?)-->", re.DOTALL)
_FRONT_MATTER_KEY = re.compile(r"^etiquette-lint[ \t]*:[^\n]*", re.MULTILINE)


@dataclass(frozen=True)
class Directive:
    """`action` is one of ACTIONS, "disable-file" (front matter), or "unknown" (a typo, kept
    so it can be reported). Empty `names` means every rule. Positions are 1-based, in the file."""

    action: str
    names: tuple[str, ...]
    line: int
    column: int
    end_line: int
    end_column: int
    word: str = ""  # the action as written


def read_directives(text: str, front_end: int = 0, front_disabled: tuple[str, ...] = ()) -> tuple[Directive, ...]:
    """Directives in a .txt/.md draft whose line map is the identity."""
    line_map = LineMap.identity(text)
    found: list[Directive] = []
    if front_disabled:
        key = _FRONT_MATTER_KEY.search(text, 0, front_end)
        start, end = (key.start(), key.end()) if key else (0, 0)
        found.append(_directive("disable-file", "disable", tuple(front_disabled), start, end, line_map))
    for match in _COMMENT.finditer(text, front_end):
        body = match.group("body").split(" -- ", 1)[0].strip()
        word, _, rest = re.sub(r"\s+", " ", body).partition(" ")
        names = tuple(n for n in re.split(r"[\s,]+", rest) if n)
        action = word if word in ACTIONS else "unknown"
        found.append(_directive(action, word, names, match.start(), match.end(), line_map))
    return tuple(found)


def _directive(action: str, word: str, names: tuple[str, ...], start: int, end: int, line_map: LineMap) -> Directive:
    line, column = line_map.locate(start)
    end_line, end_column = line_map.locate(max(end - 1, start))
    return Directive(action, names, line, column, end_line, end_column + 1, word)
